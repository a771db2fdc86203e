"""The Qt binding must not corrupt Python's reference counts (PySide6 6.12.0 on 3.11 does)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QListView, QListWidgetItem


class _NoneModel(QAbstractListModel):
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 50

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        return None


def test_ordinary_calls_keep_none_alive(qtbot) -> None:
    label = QLabel()
    combo = QComboBox()
    item = QListWidgetItem("x")
    view = QListView()
    model = _NoneModel()
    view.setModel(model)
    qtbot.addWidget(label)
    qtbot.addWidget(combo)
    qtbot.addWidget(view)
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("y")
        combo.addItem("z")
        item.setData(Qt.ItemDataRole.UserRole, 1)
        model.data(model.index(0, 0), 0)
    view.show()
    qtbot.waitExposed(view)
    # A leak is harmless here; a loss of 500+ references means the binding is broken.
    assert sys.getrefcount(None) - before > -100
