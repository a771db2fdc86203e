"""The agenda: what is coming up — trips, meetings, birthdays, follow-ups — in date order,
and the list of planned meetings with their status.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rapport.core.meetings import MeetingView
from rapport.ui.calendar.data import MonthData, meeting_day, meeting_start, meeting_title
from rapport.ui.calendar.trip_panel import day_text, place_text, plain, short_range
from rapport.ui.contacts.plain import tooltip

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
DAY_ROLE = Qt.ItemDataRole.UserRole + 2
EMPTY_AGENDA = (
    "Nothing coming up in the next four months.\n\nImport your travel calendar (.ics) or "
    "subscribe to your TripIt feed; meetings you plan and your contacts' birthdays show up "
    "here too."
)
STATUS_COLORS = {
    "suggested": QColor("#5f6368"),
    "invited": QColor("#b06000"),
    "confirmed": QColor("#1e8e3e"),
    "done": QColor("#5f6368"),
    "declined": QColor("#c5221f"),
}


@dataclass(frozen=True)
class AgendaEntry:
    day: date
    end: date | None
    kind: str  # trip | meeting | birthday | follow_up | conference
    text: str
    detail: str
    key: Hashable  # ("trip", id), ("meeting", id), ("person", id), ("event", id)


def agenda_entries(data: MonthData) -> list[AgendaEntry]:
    out: list[AgendaEntry] = []
    for trip in data.trips:
        who = (
            f"{trip.flags} {'person' if trip.flags == 1 else 'people'} to meet"
            if trip.flags
            else ""
        )
        out.append(
            AgendaEntry(
                max(trip.start, data.start),
                trip.end,
                "trip",
                f"{data.visitors[trip.person_id]} visiting {place_text(trip)}"
                if trip.person_id in data.visitors
                else f"Trip to {place_text(trip)}",
                who,
                ("trip", trip.id),
            )
        )
    for event in data.conferences:
        out.append(
            AgendaEntry(
                max(event.start, data.start),
                event.end,
                "conference",
                event.summary,
                event.location,
                ("event", event.id),
            )
        )
    for meeting in data.meetings:
        day = meeting_day(meeting)
        if day is None or meeting.status in ("done", "declined"):
            continue
        title = meeting_title(meeting)
        out.append(
            AgendaEntry(day, None, "meeting", title, meeting.status, ("meeting", meeting.id))
        )
    for birthday in data.birthdays:
        out.append(
            AgendaEntry(
                birthday.day, None, "birthday", birthday.text, "", ("person", birthday.person_id)
            )
        )
    for follow in data.follow_ups:
        out.append(
            AgendaEntry(
                follow.due_by,
                None,
                "follow_up",
                f"Thank {follow.name}",
                follow.reason(data.today),
                ("person", follow.person_id),
            )
        )
    order = {"trip": 0, "conference": 1, "meeting": 2, "follow_up": 3, "birthday": 4}
    return sorted(out, key=lambda e: (e.day, order.get(e.kind, 9), e.text.casefold()))


def when_text(entry: AgendaEntry, today: date) -> str:
    if entry.end is not None and entry.end != entry.day:
        return short_range(entry.day, entry.end)
    if entry.day == today:
        return "Today"
    return day_text(entry.day)


class AgendaList(QWidget):
    """Upcoming things in order; choosing one shows it on the calendar."""

    chosen = Signal(object, object)  # day, key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[AgendaEntry] = []
        self.tree = QTreeWidget()
        self.tree.setObjectName("agendaList")
        self.tree.setAccessibleName("Agenda")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["When", "What"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.empty = plain(EMPTY_AGENDA)
        self.empty.setObjectName("emptyAgenda")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMargin(24)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def set_entries(self, entries: list[AgendaEntry], today: date) -> None:
        self.entries = entries
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for entry in entries:
            text = entry.text + (f" · {entry.detail}" if entry.detail else "")
            item = QTreeWidgetItem([when_text(entry, today), text])
            item.setData(0, KEY_ROLE, entry.key)
            item.setData(0, DAY_ROLE, entry.day)
            item.setToolTip(1, tooltip(entry.text, entry.detail))
            if entry.kind == "trip":
                item.setFont(1, bold)
            self.tree.addTopLevelItem(item)
        self.stack.setCurrentWidget(self.tree if entries else self.empty)

    def texts(self) -> list[str]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item.text(1) for item in items if item is not None]

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.chosen.emit(item.data(0, DAY_ROLE), item.data(0, KEY_ROLE))


class MeetingsList(QWidget):
    """Planned meetings with their status; the view offers the status changes."""

    selection_changed = Signal()
    opened = Signal(int)  # meeting id (double click or Enter)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.meetings: list[MeetingView] = []
        self.tree = QTreeWidget()
        self.tree.setObjectName("meetingsList")
        self.tree.setAccessibleName("Planned meetings")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["When", "Meeting", "Status"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.itemSelectionChanged.connect(self.selection_changed)
        self.tree.itemActivated.connect(
            lambda item, _c: self.opened.emit(int(item.data(0, KEY_ROLE)))
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)

    def set_meetings(self, meetings: list[MeetingView]) -> None:
        keep = self.selected()
        self.meetings = meetings
        self.tree.clear()
        for meeting in meetings:
            local = meeting_start(meeting)
            when = f"{day_text(local.date())} {local:%H:%M}" if local is not None else "No time yet"
            item = QTreeWidgetItem([when, meeting_title(meeting), meeting.status])
            item.setData(0, KEY_ROLE, meeting.id)
            item.setForeground(2, QBrush(STATUS_COLORS.get(meeting.status, QColor("#5f6368"))))
            words = (meeting_title(meeting), meeting.location, ", ".join(meeting.people))
            item.setToolTip(1, tooltip(*words))
            self.tree.addTopLevelItem(item)
            if keep is not None and meeting.id == keep.id:
                item.setSelected(True)
                self.tree.setCurrentItem(item)

    def selected(self) -> MeetingView | None:
        items = self.tree.selectedItems()
        if not items:
            return None
        mid = int(items[0].data(0, KEY_ROLE))
        return next((m for m in self.meetings if m.id == mid), None)

    def select(self, meeting_id: int) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None and int(item.data(0, KEY_ROLE)) == meeting_id:
                self.tree.setCurrentItem(item)
                return
