"""Quick log: one shortcut (Ctrl+L) from anywhere opens a small form to log an act.

People (with completion; several for an introduction), kind, given or received, link,
note and day (today unless changed). Enter logs it; everything is reachable by keyboard.
The same form edits an act already in the log. Logging goes through ``ops.change``, so it
is undoable and every view hears of it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from rapport.core import acts
from rapport.core.act_log import ActRow
from rapport.core.changes import Changes
from rapport.core.clock import today
from rapport.core.progress import Progress
from rapport.store.models import Person
from rapport.ui.generosity.people_field import PeopleField

if TYPE_CHECKING:
    from rapport.ui.main_window import MainWindow


MAX_PREFILL = 10  # a selection of thousands is not an introduction


def kind_text(kind: str) -> str:
    return f"{acts.KIND_LABELS[kind]} — {acts.KIND_HINTS[kind]}"


class QuickLogDialog(QDialog):
    """Log a new act, or (with ``act``) edit one."""

    def __init__(
        self,
        window: MainWindow,
        *,
        people: list[tuple[int, str]] | None = None,
        kind: str = "share",
        act: ActRow | None = None,
    ) -> None:
        super().__init__(window)
        self.window_ = window
        self.act = act
        self.setObjectName("quickLog")
        self.setWindowTitle("Edit act" if act else "Log an act")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self.people = PeopleField(window.ops, self)
        self.people.set_placeholder("Who? Type a name — several for an intro")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for k in acts.GENEROSITY_KINDS:
            self.kind.addItem(kind_text(k), k)
        self.kind.insertSeparator(self.kind.count())
        for k in acts.TOUCHPOINT_KINDS:
            self.kind.addItem(kind_text(k), k)
        self.gave = QRadioButton("I gave")
        self.gave.setObjectName("gave")
        self.received = QRadioButton("I received")
        self.received.setObjectName("received")
        self.direction = QButtonGroup(self)
        self.direction.addButton(self.gave)
        self.direction.addButton(self.received)
        self.gave.setChecked(True)
        directions = QHBoxLayout()
        directions.setContentsMargins(0, 0, 0, 0)
        directions.addWidget(self.gave)
        directions.addWidget(self.received)
        directions.addStretch(1)
        self.url = QLineEdit()
        self.url.setObjectName("url")
        self.url.setPlaceholderText("https://… (optional)")
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText("What was it? (optional)")
        self.day = QDateEdit()
        self.day.setObjectName("day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd d MMM yyyy")
        self.day.setDate(_qdate(today()))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("&People", self.people)
        form.addRow("&Kind", self.kind)
        form.addRow("", _wrap(directions))
        form.addRow("&Link", self.url)
        form.addRow("&Note", self.note)
        form.addRow("&Day", self.day)
        self.hint = QLabel("Enter logs it · Esc closes · Ctrl+Z undoes")
        self.hint.setObjectName("hint")
        self.hint.setEnabled(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Save" if act else "Log it")
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self.setMinimumWidth(520)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._set_kind(act.kind if act else kind)
        if act is not None:
            self.people.set_people(list(act.people))
            self.received.setChecked(act.direction == "received")
            self.gave.setChecked(act.direction == "given")
            self.url.setText(act.url)
            self.note.setText(act.note)
            self.day.setDate(_qdate(act.date))
        elif people:
            self.people.set_people(people)
        self.people.setFocus()
        self._busy = False

    def add_people_by_id(self, person_ids: list[int]) -> None:
        """Start with these people (names are read in the background)."""
        ids = list(person_ids)

        def names(_p: Progress) -> list[tuple[int, str]]:
            found = {int(p.id): str(p.name) for p in Person.select().where(Person.id.in_(ids))}
            return [(pid, found[pid]) for pid in ids if pid in found]

        def show(people: list[tuple[int, str]]) -> None:
            if shiboken6.isValid(self):
                for pid, name in people:
                    self.people.add_person(pid, name)

        self.window_.ops.query(self, names, show)

    def _set_kind(self, kind: str) -> None:
        index = self.kind.findData(kind)
        self.kind.setCurrentIndex(max(index, 0))

    def _kind_changed(self) -> None:
        touch = acts.is_touchpoint(self.chosen_kind())
        self.gave.setText("I reached out" if touch else "I gave")
        self.received.setText("They reached out" if touch else "I received")

    def chosen_kind(self) -> str:
        return str(self.kind.currentData())

    def chosen_day(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def submit(self) -> None:
        """Log (or save) on the writer thread; the form stays open if the input is refused."""
        if self._busy:
            return
        if self.people.popup_visible:
            return  # Enter went to the completion list
        ids = self.people.person_ids()
        names = self.people.pending_names()
        kind = self.chosen_kind()
        direction = "received" if self.received.isChecked() else "given"
        url, note, day = self.url.text(), self.note.text(), self.chosen_day()
        act = self.act

        def op(_progress: Progress) -> Changes:
            chosen = ids + acts.resolve_people(names, loose=True) if names else ids
            if act is not None:
                return acts.update_act(
                    act.id,
                    person_ids=chosen,
                    kind=kind,
                    on=day,
                    direction=direction,
                    url=url,
                    note=note,
                )
            return acts.log_act(chosen, kind, on=day, direction=direction, url=url, note=note)[1]

        label = f"Edit {acts.KIND_LABELS[kind].lower()}" if act else f"Log {kind}"
        self._busy = True
        self.ok.setEnabled(False)

        def done(_changes: Changes) -> None:
            self.accept()

        def failed(error: BaseException) -> None:
            self._busy = False
            self.ok.setEnabled(True)
            from rapport.ui.errors import show_error

            show_error(self, error)

        self.window_.ops.change(self, label, op, initiator=self, success=done, failure=failed)


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _wrap(layout: QHBoxLayout) -> QWidget:
    holder = QWidget()
    holder.setLayout(layout)
    return holder


def open_quick_log(
    window: MainWindow,
    *,
    people: list[tuple[int, str]] | None = None,
    kind: str = "share",
    act: ActRow | None = None,
) -> QuickLogDialog:
    """Open the form (raising the one already open, when logging). It starts with the
    people the current view offers: ``quick_log_people()`` as (id, name) pairs, or the ids
    of ``selected_people()``."""
    if act is None:
        for existing in window.findChildren(QuickLogDialog):
            if existing.isVisible() and existing.act is None:
                existing.raise_()
                existing.activateWindow()
                return existing
    ids: list[int] = []
    if act is None and people is None:
        view = window.current_view()
        offer = getattr(view, "quick_log_people", None)
        picked = getattr(view, "selected_people", None)  # the Contacts view's selection
        if callable(offer):
            people = list(offer())
        elif callable(picked):
            ids = [int(pid) for pid in picked()][:MAX_PREFILL]
    dialog = QuickLogDialog(window, people=people, kind=kind, act=act)
    if ids:
        dialog.add_people_by_id(ids)
    dialog.open()
    dialog.people.setFocus()
    return dialog
