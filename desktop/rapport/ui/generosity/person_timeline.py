"""One person's give and take: given vs received, last given, last contact, whether they
are due, a sparkline of twelve months and their recent acts and touchpoints.

The Contacts detail pane shows it as a section; the Generosity view shows the compact
form (no list) above the log when the log is filtered to one person.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rapport.core.acts import KIND_LABELS, is_touchpoint
from rapport.core.balances import PersonSummary, person_summary
from rapport.core.changes import Changes
from rapport.core.clock import today
from rapport.core.errors import NotFound
from rapport.core.progress import Progress
from rapport.ui.generosity.chart import Sparkline

if TYPE_CHECKING:
    from rapport.ui.main_window import MainWindow


def _ago(day: date, on: date) -> str:
    days = (on - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 0:
        return f"in {-days} days"
    return f"{days} days ago"


def summary_lines(summary: PersonSummary, on: date) -> list[str]:
    """The timeline's sentences, in plain words."""
    s = summary.stats
    lines = [f"Given {s.given} · received {s.received}"]
    lines.append(
        f"Last given {s.last_given:%d %b %Y} ({_ago(s.last_given, on)})"
        if s.last_given
        else "Nothing given yet"
    )
    lines.append(
        f"Last contact {s.last_contact:%d %b %Y} ({_ago(s.last_contact, on)})"
        if s.last_contact
        else "No contact logged yet"
    )
    overdue = summary.days_overdue(on)
    every = f"every {summary.cadence_days} days"
    if overdue > 0:
        lines.append(f"Due: {overdue} days overdue ({every})")
    else:
        lines.append(f"Due in {1 - overdue} days ({every})")
    return lines


class PersonTimeline(QWidget):
    """``set_person(id)`` shows that person; it refreshes itself when their acts change."""

    def __init__(
        self, window: MainWindow, parent: QWidget | None = None, *, compact: bool = False
    ) -> None:
        super().__init__(parent)
        self.window_ = window
        self.person_id: int | None = None
        self.summary: PersonSummary | None = None
        self._generation = 0
        self.setObjectName("personTimeline")
        self.lines = QLabel()
        self.lines.setObjectName("timelineSummary")
        self.lines.setTextFormat(Qt.TextFormat.PlainText)
        self.lines.setWordWrap(True)
        self.lines.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sparkline = Sparkline()
        self.log_button = QPushButton("Log an act…")
        self.log_button.setObjectName("timelineLog")
        self.log_button.clicked.connect(self._log)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if compact:  # above the log: one band, the sentences beside the sparkline
            top = QHBoxLayout()
            top.addWidget(self.lines, 1)
            side = QVBoxLayout()
            side.addWidget(self.sparkline)
            side.addWidget(self.log_button)
            side.addStretch(1)
            top.addLayout(side)
            layout.addLayout(top)
        else:  # in the narrow Contacts pane: the sentences get the whole width
            layout.addWidget(self.lines)
            row = QHBoxLayout()
            row.addWidget(self.sparkline)
            row.addStretch(1)
            row.addWidget(self.log_button)
            layout.addLayout(row)
        self.list: QTreeWidget | None = None
        if not compact:
            self.list = QTreeWidget()
            self.list.setObjectName("timelineActs")
            self.list.setRootIsDecorated(False)
            self.list.setHeaderLabels(["Date", "What", "With", "Note"])
            self.list.setAlternatingRowColors(True)
            self.list.setMinimumHeight(140)
            layout.addWidget(self.list, 1)
        compact_text = "" if compact else "Pick a person to see what you gave and received."
        self.lines.setText(compact_text)
        window.ops.did_change.connect(self._on_changes)

    def set_person(self, person_id: int | None) -> None:
        self.person_id = person_id
        self.refresh()

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        pid = self.person_id
        if pid is None:
            self._show(None)
            return
        day = today()

        def query(_p: Progress) -> PersonSummary | None:
            try:
                return person_summary(pid, day)
            except NotFound:
                return None  # deleted meanwhile

        def done(summary: PersonSummary | None) -> None:
            if generation == self._generation:
                self._show(summary, day)

        self.window_.ops.query(self, query, done)

    def _show(self, summary: PersonSummary | None, on: date | None = None) -> None:
        self.summary = summary
        self.log_button.setEnabled(summary is not None)
        if summary is None or on is None:
            self.lines.setText("")
            self.sparkline.set_series([])
            if self.list is not None:
                self.list.clear()
            return
        self.lines.setText("\n".join(summary_lines(summary, on)))
        self.sparkline.set_series(summary.series)
        if self.list is None:
            return
        self.list.clear()
        for act in summary.recent:
            others = [name for pid, name in act.people if pid != summary.person_id]
            if is_touchpoint(act.kind):
                what = KIND_LABELS[act.kind]
            else:
                what = (
                    f"{KIND_LABELS[act.kind]} {'given' if act.direction == 'given' else 'received'}"
                )
            item = QTreeWidgetItem([f"{act.date:%d %b %Y}", what, ", ".join(others), act.note])
            item.setToolTip(3, act.note)
            self.list.addTopLevelItem(item)
        if not summary.recent:
            item = QTreeWidgetItem(["", "Nothing logged with them yet — press Ctrl+L"])
            item.setDisabled(True)
            self.list.addTopLevelItem(item)
        for column in range(3):
            self.list.resizeColumnToContents(column)

    def _on_changes(self, changes: Changes, _initiator: object) -> None:
        if self.person_id is None:
            return
        if (
            changes.everything
            or changes.acts
            or changes.settings
            or self.person_id in changes.people
        ):
            self.refresh()

    def _log(self) -> None:
        if self.summary is None:
            return
        from rapport.ui.quick_log import open_quick_log

        open_quick_log(self.window_, people=[(self.summary.person_id, self.summary.name)])
