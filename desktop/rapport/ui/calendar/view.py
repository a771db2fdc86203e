"""The Calendar view: the month grid with trips, meetings and birthdays; beside it the selected
trip with the people within reach, the agenda, and the planned meetings.

Reads go through ``ops.query`` (``data.py``), every change through ``ops.change``: flag and
trip actions and meetings are undoable, imports and feed refreshes are not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rapport.core import acts, flags, invitations, meetings, preferences, trips
from rapport.core.calendar import sources
from rapport.core.calendar.sources import CalendarImportReport, SourceView
from rapport.core.changes import Changes
from rapport.core.clock import today
from rapport.core.flags import Suggestion
from rapport.core.meetings import MeetingView
from rapport.core.progress import Progress
from rapport.core.trips import TripView
from rapport.ui.calendar import data as calendar_data
from rapport.ui.calendar.agenda import AgendaList, MeetingsList, agenda_entries
from rapport.ui.calendar.data import MonthData, TripDetails, meeting_day, meeting_title
from rapport.ui.calendar.month_layout import Span
from rapport.ui.calendar.month_view import DayItem, MonthView
from rapport.ui.calendar.trip_panel import NO_TRIPS, PICK_A_TRIP, TripPanel, plain
from rapport.ui.contacts.plain import menu_text
from rapport.ui.views import View

if TYPE_CHECKING:
    from rapport.ui.main_window import MainWindow

log = logging.getLogger("rapport")

EMPTY_BANNER = (
    "Import your travel calendar (.ics) or subscribe to your TripIt feed: Rapport turns "
    "flights, trains, hotels and conferences into trips, and flags the people you know "
    "within reach of each one, ready to invite for coffee."
)
STARTUP_REFRESH_MS = 3000
HOUR_MS = 3600 * 1000
STATUSES = meetings.STATUSES  # suggested → invited → confirmed → done, or declined
STATUS_WORDS = {
    "suggested": "Suggested",
    "invited": "Invited",
    "confirmed": "Confirmed",
    "done": "Done",
    "declined": "Declined",
}


def alive(widget: QWidget) -> bool:
    return shiboken6.isValid(widget)


def span_label(trip: TripView, visitors: dict[int, str]) -> str:
    """A trip's bar says where; a contact's visit says who is coming."""
    if trip.person_id is not None and trip.person_id in visitors:
        return f"{visitors[trip.person_id]} visiting"
    return trip_label(trip)


def trip_label(trip: TripView) -> str:
    return trip.city or (trip.summaries[0] if trip.summaries else "") or "Unknown place"


def month_content(data: MonthData) -> tuple[list[Span], list[DayItem]]:
    """What the grid draws for ``data``: bars for trips and conferences, lines for the rest."""
    spans = [
        Span(
            ("trip", t.id),
            t.start,
            t.end,
            span_label(t, data.visitors),
            "visit" if t.person_id is not None else "trip",
            t.flags,
        )
        for t in data.trips
    ]
    spans += [
        Span(("event", e.id), e.start, e.end, e.summary, "conference") for e in data.conferences
    ]
    items: list[DayItem] = []
    for m in data.meetings:
        day = meeting_day(m)
        if day is not None:
            text = f"{meeting_title(m)} ({m.status})"
            items.append(DayItem(day, "meeting", text, ("meeting", m.id), m.status))
    for b in data.birthdays:
        items.append(DayItem(b.day, "birthday", b.text, ("person", b.person_id)))
    for f in data.follow_ups:
        items.append(DayItem(f.due_by, "follow_up", f"Thank {f.name}", ("person", f.person_id)))
    return spans, items


class CalendarView(View):
    key = "calendar"
    title = "Calendar"
    icon_name = "calendar"

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("calendarView")
        self.today = today()
        self._dirty = True
        self._generations: dict[str, int] = {}
        self.month_data: MonthData | None = None
        self.details: TripDetails | None = None
        self.selected_trip: int | None = None
        self.home_city = ""
        self.refresh_hours = 4.0
        self.has_sources = False
        self.dialog: QWidget | None = None  # the last dialog opened here (tests find it)
        self.invitation_dialog: QWidget | None = None
        self.followup_meeting: MeetingView | None = None

        # -- toolbar ------------------------------------------------------------------------
        self.today_button = QPushButton("Today")
        self.today_button.setObjectName("todayButton")
        self.today_button.setToolTip("Go to today (Home)")
        self.prev_button = QToolButton()
        self.prev_button.setText("◀")
        self.prev_button.setObjectName("prevMonth")
        self.prev_button.setAccessibleName("Previous month")
        self.prev_button.setToolTip("Previous month (Page Up)")
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setObjectName("nextMonth")
        self.next_button.setAccessibleName("Next month")
        self.next_button.setToolTip("Next month (Page Down)")
        self.month_title = plain(wrap=False, bold=True, scale=1.35)
        self.month_title.setObjectName("monthTitle")
        self.month_title.setMinimumWidth(180)

        self.home_button = QToolButton()
        self.home_button.setObjectName("homeCityButton")
        self.home_button.setToolTip("Your own city is never a trip. Click to change it.")
        self.guess_button = QPushButton("Guess from my calendar")
        self.guess_button.setObjectName("guessHomeButton")
        self.guess_button.setFlat(True)
        self.guess_button.setStyleSheet("color: palette(link); text-decoration: underline;")
        self.guess_button.hide()
        self.import_button = QPushButton("Import .ics…")
        self.import_button.setObjectName("importIcsButton")
        self.subscribe_button = QPushButton("Subscribe…")
        self.subscribe_button.setObjectName("subscribeButton")
        self.subscribe_button.setToolTip("Calendar feeds (TripIt, Google, Outlook) and files")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setObjectName("refreshButton")
        self.refresh_button.setToolTip("Read every subscribed feed again now")

        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(self.today_button)
        bar.addWidget(self.prev_button)
        bar.addWidget(self.next_button)
        bar.addSpacing(8)
        bar.addWidget(self.month_title)
        bar.addStretch(1)
        bar.addWidget(self.home_button)
        bar.addWidget(self.guess_button)
        bar.addSpacing(8)
        bar.addWidget(self.import_button)
        bar.addWidget(self.subscribe_button)
        bar.addWidget(self.refresh_button)

        # -- empty state --------------------------------------------------------------------
        self.banner = QFrame()
        self.banner.setObjectName("calendarEmpty")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        banner_layout = QHBoxLayout(self.banner)
        self.banner_text = plain(EMPTY_BANNER)
        self.banner_text.setObjectName("calendarEmptyText")
        self.banner_import = QPushButton("Import .ics…")
        self.banner_import.setObjectName("bannerImport")
        self.banner_subscribe = QPushButton("Subscribe to a feed…")
        self.banner_subscribe.setObjectName("bannerSubscribe")
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.banner_import)
        banner_layout.addWidget(self.banner_subscribe)
        self.banner.hide()

        # -- month, trip, agenda, meetings --------------------------------------------------
        self.month = MonthView(today=self.today)
        self.panel = TripPanel()
        self.panel.show_message(PICK_A_TRIP)
        self.agenda = AgendaList()
        self.meetings = MeetingsList()

        self.status_box = QComboBox()
        self.status_box.setObjectName("meetingStatus")
        self.status_box.setAccessibleName("Meeting status")
        for status in STATUSES:
            self.status_box.addItem(STATUS_WORDS[status], status)
        self.open_meeting_button = QPushButton("Invitation…")
        self.open_meeting_button.setObjectName("openMeetingButton")
        self.export_button = QPushButton("Export meetings…")
        self.export_button.setObjectName("exportMeetingsButton")
        self.export_button.setToolTip("Planned meetings as an .ics file for your main calendar")
        meeting_bar = QHBoxLayout()
        meeting_bar.addWidget(plain("Status:", wrap=False))
        meeting_bar.addWidget(self.status_box)
        meeting_bar.addWidget(self.open_meeting_button)
        meeting_bar.addStretch(1)
        meeting_bar.addWidget(self.export_button)

        self.followup = QFrame()
        self.followup.setObjectName("followUpOffer")
        self.followup.setFrameShape(QFrame.Shape.StyledPanel)
        offer = QHBoxLayout(self.followup)
        self.followup_text = plain()
        self.followup_log = QPushButton("Log the meeting")
        self.followup_log.setObjectName("logMeetingButton")
        self.followup_button = QPushButton("Log a thank-you")
        self.followup_button.setObjectName("logThanksButton")
        self.followup_skip = QPushButton("Not now")
        offer.addWidget(self.followup_text, 1)
        offer.addWidget(self.followup_log)
        offer.addWidget(self.followup_button)
        offer.addWidget(self.followup_skip)
        self.followup.hide()

        meetings_page = QWidget()
        meetings_layout = QVBoxLayout(meetings_page)
        meetings_layout.setContentsMargins(4, 4, 4, 4)
        meetings_layout.addWidget(self.meetings, 1)
        meetings_layout.addWidget(self.followup)
        meetings_layout.addLayout(meeting_bar)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("calendarTabs")
        self.tabs.addTab(self.panel, "Trip")
        self.tabs.addTab(self.agenda, "Agenda")
        self.tabs.addTab(meetings_page, "Meetings")
        self.tabs.setCurrentWidget(self.agenda)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.month)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([640, 380])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)

        # -- wiring -------------------------------------------------------------------------
        self.today_button.clicked.connect(self.go_today)
        self.prev_button.clicked.connect(lambda: self.month.step_month(-1))
        self.next_button.clicked.connect(lambda: self.month.step_month(1))
        self.month.month_changed.connect(lambda _y, _m: self._month_changed())
        self.month.span_selected.connect(self._span_selected)
        self.month.span_activated.connect(self._span_activated)
        self.home_button.clicked.connect(self.ask_home_city)
        self.guess_button.clicked.connect(self.guess_home_city)
        self.import_button.clicked.connect(self.choose_import)
        self.banner_import.clicked.connect(self.choose_import)
        self.subscribe_button.clicked.connect(self.open_subscriptions)
        self.banner_subscribe.clicked.connect(self.open_subscriptions)
        self.refresh_button.clicked.connect(lambda: self.refresh_feeds(manual=True))
        self.agenda.chosen.connect(self._agenda_chosen)
        self.meetings.selection_changed.connect(self._meeting_selected)
        self.meetings.opened.connect(self.open_invitation)
        self.status_box.activated.connect(lambda _i: self._status_chosen())
        self.open_meeting_button.clicked.connect(self._open_selected_meeting)
        self.export_button.clicked.connect(self.export_meetings)
        self.followup_log.clicked.connect(self.log_meeting)
        self.followup_button.clicked.connect(self.log_thanks)
        self.followup_skip.clicked.connect(self.followup.hide)
        self.panel.invite.connect(self.invite)
        self.panel.open_meeting.connect(self.open_invitation)
        self.panel.set_flag_state.connect(self.set_flag_state)
        self.panel.pick_snooze_date.connect(self.pick_snooze_date)
        self.panel.correct.connect(self.correct_trip)
        self.panel.merge_next.connect(self.merge_trips)
        self.panel.split.connect(self.split_trip)
        self.panel.dismiss_trip.connect(self.dismiss_trip)
        self.panel.reset.connect(self.reset_trip)
        for keys, slot in (
            ("Ctrl+T", self.go_today),
            ("Ctrl+Shift+I", self.choose_import),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        self.refresh_timer = QTimer(self)
        self.refresh_timer.setObjectName("feedRefreshTimer")
        self.refresh_timer.timeout.connect(lambda: self.refresh_feeds(manual=False))
        QTimer.singleShot(STARTUP_REFRESH_MS, self, self._startup)

        self._show_home_city()
        self._meeting_selected()
        self._update_title()

    # -- View ------------------------------------------------------------------------------

    def on_changes(self, changes: Changes, initiator: object | None) -> None:
        relevant = (
            changes.everything
            or changes.calendar
            or changes.trips
            or changes.meetings
            or changes.any_people
            or changes.acts
            or changes.settings
        )
        if not relevant:
            return
        if changes.settings or changes.everything or changes.calendar:
            self._schedule_check()  # a feed added or removed, or a new interval
        if self.isVisible():
            self.reload()
        else:
            self._dirty = True

    def focus_find(self) -> None:
        self.month.setFocus()

    def activated(self) -> None:
        if self._dirty:
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def quick_log_people(self) -> list[tuple[int, str]]:
        """Ctrl+L here starts with the people of the selected meeting."""
        meeting = self.meetings.selected()
        if meeting is not None and self.tabs.currentIndex() == 2:
            return list(zip(meeting.person_ids, meeting.people, strict=False))
        return []

    # -- loading ---------------------------------------------------------------------------

    def _next(self, name: str) -> Callable[[], bool]:
        """A new generation of one kind of read; the returned check says if it is current."""
        generation = self._generations.get(name, 0) + 1
        self._generations[name] = generation
        return lambda: self._generations.get(name) == generation and alive(self)

    def reload(self) -> None:
        self._dirty = False
        self.today = today()
        self.month.set_today(self.today)
        self.load_month()
        self.load_agenda()
        self.load_meetings()
        if self.selected_trip is not None:
            self.load_trip(self.selected_trip)

    def load_month(self) -> None:
        current = self._next("month")
        start, end, day = self.month.first_visible, self.month.last_visible, self.today
        self.ops.query(
            self,
            lambda _p: calendar_data.load_month(start, end, day),
            lambda data: self.show_month_data(data) if current() else None,
        )

    def show_month_data(self, data: MonthData) -> None:
        self.month_data = data
        spans, items = month_content(data)
        self.month.set_content(spans, items)
        self.home_city = data.home_city
        self.has_sources = data.sources > 0
        self._show_home_city()
        empty = data.sources == 0 and not data.trips
        self.banner.setVisible(empty)
        if self.selected_trip is None:
            self.panel.show_message(NO_TRIPS if empty else PICK_A_TRIP)

    def load_agenda(self) -> None:
        current = self._next("agenda")
        day = self.today

        def done(data: MonthData) -> None:
            if current():
                self.agenda.set_entries(agenda_entries(data), data.today)

        self.ops.query(self, lambda _p: calendar_data.load_agenda(day), done)

    def load_meetings(self) -> None:
        current = self._next("meetings")

        def done(found: list[MeetingView]) -> None:
            if current():
                self.meetings.set_meetings(found)
                self._meeting_selected()

        self.ops.query(self, lambda _p: calendar_data.all_meetings(), done)

    def load_trip(self, trip_id: int, *, focus: bool = False) -> None:
        current = self._next("trip")
        day = self.today

        def done(details: TripDetails | None) -> None:
            if not current():
                return
            if details is None:
                self.selected_trip = None
                self.details = None
                self.panel.show_message(PICK_A_TRIP)
                self.month.select_span(None)
                return
            self.details = details
            self.panel.show_trip(details, day)
            if focus:
                self.panel.focus_first_card()

        self.ops.query(self, lambda _p: calendar_data.load_trip(trip_id, day), done)

    def imported(self, reports: list[CalendarImportReport]) -> None:
        """After an import: when the shown month has no trip, turn to the next upcoming one.

        (The view has already reloaded: the operation's changes reached ``on_changes``.)
        """
        if not any(r.trips for r in reports):
            return
        current = self._next("imported")
        first, last, day = self.month.first_visible, self.month.last_visible, self.today

        def query(_p: Progress) -> date | None:
            if trips.list_trips(first, last):
                return None
            upcoming = trips.list_trips(day, None)
            return min((t.start for t in upcoming), default=None)

        def done(start: date | None) -> None:
            if start is not None and current():
                self.month.select_day(start)

        self.ops.query(self, query, done)

    # -- navigating ------------------------------------------------------------------------

    def _update_title(self) -> None:
        self.month_title.setText(self.month.month_title())

    def _month_changed(self) -> None:
        self._update_title()
        self.load_month()

    def go_today(self) -> None:
        self.month.go_today()
        self.month.setFocus()

    def show_day(self, day: date) -> None:
        self.month.select_day(day)

    def _span_selected(self, key: Hashable | None) -> None:
        trip_id = self._trip_of(key)
        if trip_id is None:
            self.selected_trip = None
            self.details = None
            empty = self.month_data is not None and not self.month_data.trips
            self.panel.show_message(NO_TRIPS if empty and self.banner.isVisible() else PICK_A_TRIP)
            return
        self.select_trip(trip_id)

    def _trip_of(self, key: Hashable | None) -> int | None:
        if not isinstance(key, tuple) or len(key) != 2:
            return None
        kind, ident = key
        if kind == "trip":
            return int(ident)
        if kind == "event" and self.month_data is not None:
            event = next((e for e in self.month_data.conferences if e.id == ident), None)
            return event.trip_id if event is not None else None
        return None

    def select_trip(self, trip_id: int, *, focus: bool = False) -> None:
        self.selected_trip = trip_id
        self.tabs.setCurrentWidget(self.panel)
        self.load_trip(trip_id, focus=focus)

    def _span_activated(self, key: Hashable) -> None:
        trip_id = self._trip_of(key)
        if trip_id is not None:
            self.select_trip(trip_id, focus=True)

    def _agenda_chosen(self, day: date | None, key: Hashable | None) -> None:
        if day is not None:
            self.month.select_day(day)
        if isinstance(key, tuple) and key and key[0] in ("trip", "event"):
            self.month.select_span(key)
        elif isinstance(key, tuple) and key and key[0] == "meeting":
            self.meetings.select(int(key[1]))
            self.tabs.setCurrentIndex(2)

    # -- flags -----------------------------------------------------------------------------

    def invite(self, flag: Suggestion) -> None:
        """Invite for coffee: plan the meeting (undoable), then open the invitation."""
        planned: list[int] = []

        def op(_p: Progress) -> Changes:
            meeting_id, changes = meetings.plan_meeting(
                [flag.person_id], trip_id=flag.trip_id, kind="coffee", flag_id=flag.flag_id
            )
            planned.append(meeting_id)
            return changes

        def done(_c: Changes) -> None:
            if planned:
                self.open_invitation(planned[0])

        self.ops.change(self, f"Plan coffee with {flag.person}", op, initiator=self, success=done)

    def open_invitation(self, meeting_id: int) -> None:
        from rapport.ui.calendar.invitation_dialog import open_invitation

        self.invitation_dialog = open_invitation(self.window_, meeting_id)

    def set_flag_state(self, flag: Suggestion, state: str, until: date | None) -> None:
        words = {"dismissed": "Dismiss", "snoozed": "Snooze", "new": "Restore"}
        label = f"{words.get(state, state.capitalize())} {flag.person}"
        flag_id = flag.flag_id

        def op(_p: Progress) -> Changes:
            return flags.set_flag_state(flag_id, state, snooze_until=until)

        self.ops.change(self, label, op, initiator=self)

    def pick_snooze_date(self, flag: Suggestion) -> None:
        from datetime import timedelta

        from rapport.ui.calendar.trip_dialogs import SnoozeDateDialog

        suggested = self.today + timedelta(days=14)
        dialog = SnoozeDateDialog(flag.person, suggested, self)
        dialog.chosen.connect(lambda day: self.set_flag_state(flag, "snoozed", day))
        self._open(dialog)

    # -- trip corrections ------------------------------------------------------------------

    def correct_trip(self, trip: TripView) -> None:
        from rapport.ui.calendar.trip_dialogs import CorrectTripDialog

        dialog = CorrectTripDialog(trip, self)

        def apply(place: str | None, start: date | None, end: date | None) -> None:
            if place is None and start is None and end is None:
                return

            def op(_p: Progress) -> Changes:
                return trips.correct_trip(trip.id, place=place, start=start, end=end)

            self.ops.change(self, f"Correct trip to {place or trip_label(trip)}", op)

        dialog.corrected.connect(apply)
        self._open(dialog)

    def merge_trips(self, trip: TripView, following: TripView) -> None:
        ids = [trip.id, following.id]

        def op(_p: Progress) -> Changes:
            return trips.merge_trips(ids)

        self.ops.change(self, f"Merge trips to {trip_label(trip)} and {trip_label(following)}", op)

    def split_trip(self, trip: TripView) -> None:
        from rapport.ui.calendar.trip_dialogs import SplitTripDialog

        dialog = SplitTripDialog(trip, self)

        def apply(day: date) -> None:
            def op(_p: Progress) -> Changes:
                return trips.split_trip(trip.id, day)

            self.ops.change(self, f"Split trip to {trip_label(trip)}", op)

        dialog.chosen.connect(apply)
        self._open(dialog)

    def reset_trip(self, trip: TripView) -> None:
        def op(_p: Progress) -> Changes:
            return trips.reset_trip(trip.id)

        self.ops.change(self, f"Forget corrections of the trip to {trip_label(trip)}", op)

    def dismiss_trip(self, trip: TripView, dismissed: bool) -> None:
        def op(_p: Progress) -> Changes:
            return trips.dismiss_trip(trip.id, dismissed)

        verb = "Dismiss" if dismissed else "Restore"
        self.ops.change(self, f"{verb} trip to {trip_label(trip)}", op)

    # -- meetings --------------------------------------------------------------------------

    def _meeting_selected(self) -> None:
        meeting = self.meetings.selected()
        for widget in (self.status_box, self.open_meeting_button):
            widget.setEnabled(meeting is not None)
        if meeting is None:
            return
        # Only the moves a meeting can make (the core refuses the others).
        allowed = meetings.TRANSITIONS.get(meeting.status, frozenset()) | {meeting.status}
        model = self.status_box.model()
        for row, status in enumerate(STATUSES):
            item = model.item(row) if isinstance(model, QStandardItemModel) else None
            if item is not None:
                item.setEnabled(status in allowed)
        self.status_box.setCurrentIndex(max(self.status_box.findData(meeting.status), 0))

    def _open_selected_meeting(self) -> None:
        meeting = self.meetings.selected()
        if meeting is not None:
            self.open_invitation(meeting.id)

    def _status_chosen(self) -> None:
        meeting = self.meetings.selected()
        status = self.status_box.currentData()
        if meeting is not None and status and status != meeting.status:
            self.set_meeting_status(meeting, str(status))

    def set_meeting_status(self, meeting: MeetingView, status: str) -> None:
        def op(_p: Progress) -> Changes:
            return meetings.set_meeting_status(meeting.id, status)

        def done(_c: Changes) -> None:
            if status == "done" and meeting.person_ids and alive(self):
                self.offer_follow_up(meeting)

        label = f"Mark {meeting_title(meeting)} {STATUS_WORDS[status].lower()}"
        self.ops.change(self, label, op, success=done)

    def offer_follow_up(self, meeting: MeetingView) -> None:
        """After a meeting is done: log it, and the thank-you that keeps you on their radar."""
        self.followup_meeting = meeting
        who = ", ".join(meeting.people)
        self.followup_text.setText(
            f"{meeting_title(meeting)} is done. Log it in your generosity log, and a word of "
            f"thanks to {who} within two days?"
        )
        self.followup_log.setEnabled(True)
        self.followup.show()

    def log_meeting(self) -> None:
        meeting = self.followup_meeting
        if meeting is None:
            return
        self.followup_log.setEnabled(False)

        def op(_p: Progress) -> Changes:
            return meetings.log_meeting(meeting.id)[1]

        self.ops.change(self, f"Log {meeting_title(meeting)}", op)

    def log_thanks(self) -> None:
        meeting = self.followup_meeting
        self.followup.hide()
        if meeting is None:
            return
        day = self.today

        def op(_p: Progress) -> Changes:
            _act, changes = acts.log_act(
                list(meeting.person_ids),
                "thanks",
                on=day,
                note=f"Thank-you after: {meeting_title(meeting)}",
                meeting_id=meeting.id,
            )
            return changes

        self.ops.change(self, f"Log thanks to {', '.join(meeting.people)}", op)

    def export_meetings(self) -> None:
        from rapport.ui.calendar import invitation_dialog

        path = invitation_dialog.choose_save_path(self, "rapport-meetings.ics")
        if path is None:
            return

        def write(_p: Progress) -> Path:
            path.write_bytes(invitations.meetings_ics())
            return path

        def done(saved: Path) -> None:
            self.window_.statusBar().showMessage(
                f"Planned meetings saved to {saved.name}: open it with your calendar to add them.",
                10000,
            )

        self.ops.query(self, write, done, label="Exporting meetings…")

    # -- sources ---------------------------------------------------------------------------

    def choose_import(self) -> None:
        from rapport.ui.calendar import importing

        paths = importing.choose_ics_files(self)
        if paths:
            importing.import_calendars(self.window_, paths)

    def open_subscriptions(self) -> None:
        from rapport.ui.calendar.subscriptions_dialog import SubscriptionsDialog

        self._open(SubscriptionsDialog(self.window_))

    def refresh_feeds(self, *, manual: bool) -> None:
        """Read every feed again: by hand with progress and Cancel, on the timer quietly."""
        from rapport.ui.calendar.subscriptions_dialog import refresh_op

        def done(_c: Changes) -> None:
            self._report_feed_errors(manual)

        def failed(error: BaseException) -> None:
            from rapport.ui.errors import error_text

            self.window_.statusBar().showMessage(
                f"Calendar feeds could not be refreshed: {error_text(error)}", 15000
            )

        self.ops.change(
            self.window_,
            "Refresh calendars",
            refresh_op(None, today()),
            undoable=False,
            show_progress=manual,
            success=done,
            failure=failed,
        )

    def _report_feed_errors(self, manual: bool) -> None:
        def query(_p: Progress) -> list[SourceView]:
            return [s for s in sources.list_sources() if s.last_error]

        def done(broken: list[SourceView]) -> None:
            if broken:
                names = ", ".join(s.name or s.location for s in broken[:3])
                text = (
                    f"{len(broken)} calendar feed{'s' if len(broken) != 1 else ''} could not be "
                    f"read ({names}): see Subscriptions."
                )
            else:
                text = "Calendar feeds refreshed." if manual else ""
            if text:
                self.window_.statusBar().showMessage(text, 15000)

        self.ops.query(self, query, done)

    def _schedule_check(self, *, refresh_now: bool = False) -> None:
        """Read the refresh interval and whether any feed exists; refresh when asked."""

        def query(_p: Progress) -> tuple[float, int]:
            from rapport.store import settings

            feeds = sum(1 for s in sources.list_sources() if s.kind == "feed")
            return float(settings.get("calendar.refresh_hours") or 0), feeds

        def done(result: tuple[float, int]) -> None:
            if not alive(self):
                return
            hours, feeds = result
            self.refresh_hours = hours
            if hours > 0 and feeds:
                interval = int(hours * HOUR_MS)
                if self.refresh_timer.interval() != interval or not self.refresh_timer.isActive():
                    self.refresh_timer.start(interval)
            else:
                self.refresh_timer.stop()
            if refresh_now and feeds:
                self.refresh_feeds(manual=False)

        def failed(error: BaseException) -> None:
            # A background check never interrupts the user; the Subscriptions dialog shows why.
            log.warning("calendar feed check failed: %s", error)

        self.ops.query(self, query, done, failure=failed)

    def _startup(self) -> None:
        if alive(self):
            self._schedule_check(refresh_now=True)

    # -- home city -------------------------------------------------------------------------

    def _show_home_city(self) -> None:
        if self.home_city:
            self.home_button.setText(menu_text(f"Home city: {self.home_city}"))
            self.guess_button.hide()
        else:
            self.home_button.setText("Home city: not set")
            self.guess_button.setVisible(self.has_sources)  # a guess needs a calendar

    def ask_home_city(self, guess: str | None = None) -> None:
        from rapport.ui.calendar.trip_dialogs import HomeCityDialog

        dialog = HomeCityDialog(self.home_city, guess or None, self)
        dialog.chosen.connect(self.set_home_city)
        self._open(dialog)

    def guess_home_city(self) -> None:
        def query(_p: Progress) -> str | None:
            return trips.guess_home_city()

        def done(guess: str | None) -> None:
            if not alive(self):
                return
            if not guess:
                self.window_.statusBar().showMessage(
                    "Your calendar does not say where you live yet: type your city instead.",
                    10000,
                )
            self.ask_home_city(guess)

        self.ops.query(self, query, done)

    def set_home_city(self, city: str) -> None:
        day = self.today

        def op(_p: Progress) -> Changes:
            return preferences.put("home_city", city, today=day)  # rebuilds trips and flags

        # Not undoable: preferences are not in the undo history, and undoing only the trips
        # it rebuilt would leave them at odds with the setting.
        self.ops.change(self, f"Set home city to {city}", op, undoable=False)

    # -- helpers ---------------------------------------------------------------------------

    def _open(self, dialog: QWidget) -> None:
        self.dialog = dialog
        dialog.open()  # type: ignore[attr-defined]
