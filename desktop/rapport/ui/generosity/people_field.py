"""A field for choosing people by typing: completion as you type, chosen people as chips.

Completion runs as a background read (names are matched in SQL), so it stays quick with
100k people. Down/Enter picks from the list, Backspace on an empty field removes the last
chip, and whatever is typed but not picked is resolved by name when the form is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from rapport.core.acts import complete_people
from rapport.core.progress import Progress

if TYPE_CHECKING:
    from rapport.ui.operations import Operations

ID_ROLE = Qt.ItemDataRole.UserRole
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
DEBOUNCE_MS = 60
SUGGESTIONS = 12


class PeopleField(QFrame):
    """Chips for the chosen people, then a line edit with completion."""

    changed = Signal()

    def __init__(
        self, ops: Operations, parent: QWidget | None = None, *, max_people: int = 0
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.max_people = max_people  # 0: any number
        self.people: list[tuple[int, str]] = []
        self._chips: list[QToolButton] = []
        self._asked = ""
        self.setObjectName("peopleField")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(3, 1, 3, 1)
        self.row.setSpacing(3)
        self.edit = QLineEdit()
        self.edit.setObjectName("peopleEdit")
        self.edit.setFrame(False)
        self._placeholder = "Type a name…"
        self.edit.setPlaceholderText(self._placeholder)
        self.edit.installEventFilter(self)
        self.row.addWidget(self.edit, 1)
        self.setFocusProxy(self.edit)

        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(SUGGESTIONS)
        # setWidget, not setCompleter: picking adds a chip instead of replacing the text.
        self.completer.setWidget(self.edit)
        self.completer.activated[QModelIndex].connect(self._picked)  # type: ignore[index]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._ask)
        self.edit.textEdited.connect(lambda _t: self._timer.start())

    def set_placeholder(self, text: str) -> None:
        """What the empty field says while nobody is chosen."""
        self._placeholder = text
        if not self.people:
            self.edit.setPlaceholderText(text)

    # -- the chosen people -----------------------------------------------------------------

    def person_ids(self) -> list[int]:
        return [pid for pid, _name in self.people]

    def pending_names(self) -> list[str]:
        """Names typed but not picked (several separated by commas)."""
        return [n.strip() for n in self.edit.text().split(",") if n.strip()]

    def set_people(self, people: list[tuple[int, str]]) -> None:
        for chip in self._chips:
            chip.deleteLater()
        self._chips.clear()
        self.people = []
        self.edit.setPlaceholderText(self._placeholder)
        for pid, name in people:
            self.add_person(pid, name, notify=False)
        self.changed.emit()

    def add_person(self, person_id: int, name: str, *, notify: bool = True) -> None:
        if person_id in self.person_ids():
            return
        if self.max_people and len(self.people) >= self.max_people:
            self.set_people([])
        chip = QToolButton()
        chip.setObjectName("personChip")
        chip.setText(f"{name}  ✕")  # QToolButton text is plain: names never render as markup
        chip.setToolTip(f"Remove {name}")
        chip.setAutoRaise(False)
        chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        chip.clicked.connect(lambda _=False, pid=person_id: self.remove_person(pid))
        self.row.insertWidget(len(self._chips), chip)
        self._chips.append(chip)
        self.people.append((person_id, name))
        self.edit.setPlaceholderText("")
        if notify:
            self.changed.emit()

    def remove_person(self, person_id: int) -> None:
        for i, (pid, _name) in enumerate(self.people):
            if pid == person_id:
                del self.people[i]
                chip = self._chips.pop(i)
                chip.hide()
                chip.deleteLater()
                break
        if not self.people:
            self.edit.setPlaceholderText(self._placeholder)
        self.changed.emit()

    def clear(self) -> None:
        self.edit.clear()
        self.set_people([])

    # -- completion ------------------------------------------------------------------------

    def _ask(self) -> None:
        text = self.edit.text().split(",")[-1].strip()
        self._asked = text
        if not text:
            self._popup().hide()
            return

        def query(_p: Progress) -> list[tuple[int, str, str]]:
            return complete_people(text, limit=SUGGESTIONS)

        self.ops.query(self, query, lambda rows: self._show(text, rows))

    def _show(self, text: str, rows: list[tuple[int, str, str]]) -> None:
        if text != self._asked or not self.edit.hasFocus():
            return  # the user typed on, or left: a newer answer is coming, or none is wanted
        self.model.clear()
        chosen = set(self.person_ids())
        for pid, name, org in rows:
            if pid in chosen:
                continue
            item = QStandardItem(f"{name}  ·  {org}" if org else name)
            item.setData(pid, ID_ROLE)
            item.setData(name, NAME_ROLE)
            item.setEditable(False)
            self.model.appendRow(item)
        if self.model.rowCount() == 0:
            self._popup().hide()
            return
        self.completer.complete()
        self._popup().setCurrentIndex(self.completer.completionModel().index(0, 0))

    def _picked(self, index: QModelIndex) -> None:
        pid, name = index.data(ID_ROLE), index.data(NAME_ROLE)
        if pid is None:
            return
        parts = self.edit.text().split(",")[:-1]
        self.edit.setText(", ".join(p.strip() for p in parts if p.strip()))
        self.add_person(int(pid), str(name))
        QTimer.singleShot(0, self.edit.setFocus)

    def _popup(self) -> QAbstractItemView:
        popup = self.completer.popup()
        assert popup is not None  # QCompleter always makes one
        return popup

    @property
    def popup_visible(self) -> bool:
        return self._popup().isVisible()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Backspace
            and not self.edit.text()
            and self.people
        ):
            self.remove_person(self.people[-1][0])
            return True
        return super().eventFilter(watched, event)
