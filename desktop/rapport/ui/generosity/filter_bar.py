"""The log's filters: person, kind, given or received, a date range and text."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from rapport.core.act_log import ActFilter
from rapport.core.acts import GENEROSITY_KINDS, KIND_LABELS, KINDS, TOUCHPOINT_KINDS
from rapport.ui.generosity.people_field import PeopleField

if TYPE_CHECKING:
    from rapport.ui.operations import Operations

ANY_DAY = QDate(1900, 1, 1)  # the date boxes' "any" value
SEARCH_DELAY_MS = 200
KIND_CHOICES: list[tuple[str, tuple[str, ...]]] = [
    ("All kinds", ()),
    ("Generosity acts", GENEROSITY_KINDS),
    ("Touchpoints", TOUCHPOINT_KINDS),
    *[(KIND_LABELS[k], (k,)) for k in KINDS],
]
DIRECTION_CHOICES: list[tuple[str, str | None]] = [
    ("Given and received", None),
    ("Given", "given"),
    ("Received", "received"),
]


class DateBox(QDateEdit):
    """A date or "any"."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.setCalendarPopup(True)
        self.setDisplayFormat("d MMM yyyy")
        self.setMinimumDate(ANY_DAY)
        self.setSpecialValueText(label)
        self.setDate(ANY_DAY)

    def value(self) -> date | None:
        d = self.date()
        if d == ANY_DAY:
            return None
        return date(d.year(), d.month(), d.day())

    def set_value(self, value: date | None) -> None:
        self.setDate(ANY_DAY if value is None else QDate(value.year, value.month, value.day))


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person = PeopleField(ops, self, max_people=1)
        self.person.setObjectName("filterPerson")
        self.person.set_placeholder("Anyone")
        self.person.setMinimumWidth(150)
        self.kind = QComboBox()
        self.kind.setObjectName("filterKind")
        for label, kinds in KIND_CHOICES:
            self.kind.addItem(label, kinds)
        self.kind.insertSeparator(3)
        self.direction = QComboBox()
        self.direction.setObjectName("filterDirection")
        for label, value in DIRECTION_CHOICES:
            self.direction.addItem(label, value)
        self.since = DateBox("from any day")
        self.since.setObjectName("filterSince")
        self.until = DateBox("to any day")
        self.until.setObjectName("filterUntil")
        self.search = QLineEdit()
        self.search.setObjectName("filterSearch")
        self.search.setPlaceholderText("Search notes, links, names")
        self.search.setClearButtonEnabled(True)
        # Two rows, so every box keeps a readable width beside the lists.
        who = QHBoxLayout()
        who.addWidget(self.person, 1)
        who.addWidget(self.kind)
        who.addWidget(self.direction)
        what = QHBoxLayout()
        what.addWidget(self.search, 1)
        what.addWidget(self.since)
        what.addWidget(self.until)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(4)
        rows.addLayout(who)
        rows.addLayout(what)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.changed)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.person.changed.connect(self.changed)
        self.kind.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.direction.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.since.dateChanged.connect(lambda _d: self.changed.emit())
        self.until.dateChanged.connect(lambda _d: self.changed.emit())

    def current(self) -> ActFilter:
        ids = self.person.person_ids()
        return ActFilter(
            person_id=ids[0] if ids else None,
            kinds=tuple(self.kind.currentData() or ()),
            direction=self.direction.currentData(),
            since=self.since.value(),
            until=self.until.value(),
            text=self.search.text().strip(),
        )

    def is_filtered(self) -> bool:
        return self.current() != ActFilter()

    def set_person(self, person_id: int | None, name: str = "") -> None:
        self.person.set_people([] if person_id is None else [(person_id, name)])

    def flush(self) -> None:
        """Apply a pending search now (tests, and Enter in the search box)."""
        if self._timer.isActive():
            self._timer.stop()
            self.changed.emit()

    def reset(self) -> None:
        blockers = [self.kind, self.direction, self.since, self.until, self.search]
        for w in blockers:
            w.blockSignals(True)
        self.kind.setCurrentIndex(0)
        self.direction.setCurrentIndex(0)
        self.since.set_value(None)
        self.until.set_value(None)
        self.search.clear()
        for w in blockers:
            w.blockSignals(False)
        self.person.clear()  # emits changed once
