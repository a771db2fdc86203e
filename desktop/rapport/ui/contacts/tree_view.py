"""The contacts tree widget, and the state a regroup keeps (what was open and selected)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeView

from rapport.ui.contacts.tree_model import Column


@dataclass
class TreeState:
    """What the user had open and selected, by key, to put back after a regroup."""

    expanded: set[str] = field(default_factory=set)
    people: list[tuple[int, str]] = field(default_factory=list)  # (person id, group key)
    groups: list[str] = field(default_factory=list)
    current: tuple[int, str] | str | None = None
    scroll: int = 0


class PersonTree(QTreeView):
    """The tree; Return edits the current row, and the columns share the width sensibly."""

    SHARES = {Column.ROLE: 0.17, Column.ORGANIZATION: 0.22, Column.CITY: 0.19}
    SHOWN = 0.5  # the share of the width the columns after Name take together
    on_return: Callable[[], None] | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not editing and self.on_return:
            self.on_return()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.share_width()

    def share_width(self) -> None:
        """Name takes what the other columns leave: each of them gets a share of the width."""
        width = self.viewport().width()
        header = self.header()
        shown = {c: s for c, s in self.SHARES.items() if not self.isColumnHidden(c)}
        scale = self.SHOWN / sum(shown.values()) if shown else 0
        for column, share in shown.items():
            header.resizeSection(column, max(80, int(width * share * scale)))
