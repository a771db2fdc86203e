"""The side panel: the selected trip (place, dates, events, meetings) and the people within
reach of it, each with reasons in words and the actions Invite for coffee, Snooze, Dismiss.

The panel only shows and asks; the view runs every change through ``window.ops``.
All text from calendars and records goes into plain-text labels.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rapport.core.flags import Suggestion
from rapport.core.meetings import MeetingView
from rapport.core.trips import TripView
from rapport.ui.calendar.data import EventLine, TripDetails, meeting_start, meeting_title
from rapport.ui.contacts.plain import menu_text

NO_TRIPS = (
    "No trips yet.\n\nImport your travel calendar (.ics) or subscribe to your TripIt feed: "
    "each trip shows up on the calendar with the people within reach, ready to invite for "
    "coffee."
)
PICK_A_TRIP = (
    "Select a trip on the calendar (or in the agenda) to see who is within reach and "
    "invite them for coffee."
)
NOBODY = (
    "Nobody you know is within reach of this trip yet. Add the city of the people you "
    "know in Contacts, or widen the reach in Preferences."
)
STATE_WORDS = {"new": "To invite", "invited": "Invited", "dismissed": "Dismissed"}
KIND_WORDS = {
    "flight": "Flight",
    "train": "Train",
    "hotel": "Hotel",
    "trip": "Trip",
    "conference": "Conference",
    "other": "Event",
}


def plain(text: str = "", *, bold: bool = False, wrap: bool = True, scale: float = 1.0) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold or scale != 1.0:
        font = QFont(label.font())
        font.setBold(bold)
        if scale != 1.0:
            font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    return label


def day_text(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def short_range(start: date, end: date) -> str:
    """ "15–19 Mar", "28 Mar – 2 Apr": for lists, where the weekday is noise."""
    if start == end:
        return day_text(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%b}"
    return f"{start.day} {start:%b} – {end.day} {end:%b}"


def range_text(start: date, end: date) -> str:
    if start == end:
        return f"{day_text(start)} {start.year}"
    if start.year != end.year:
        return f"{day_text(start)} {start.year} – {day_text(end)} {end.year}"
    return f"{day_text(start)} – {day_text(end)} {end.year}"


def days_text(start: date, end: date) -> str:
    n = (end - start).days + 1
    return "1 day" if n == 1 else f"{n} days"


def place_text(trip: TripView) -> str:
    """ "Boston, MA, US"; GeoNames' numeric region codes ("Berlin, 16") say nothing to people."""
    region = "" if trip.region.isdigit() else trip.region
    return ", ".join(p for p in (trip.city, region, trip.country) if p) or "Unknown place"


def distance_text(km: float | None) -> str:
    if km is None:
        return ""
    if km < 1:
        return "under 1 km away"
    return f"{km:,.0f} km away"


def score_text(score: float) -> str:
    return f"score {score:.0f}" if abs(score) >= 10 else f"score {score:.1f}"


def state_text(state: str, until: date | None) -> str:
    if state == "snoozed":
        return f"Snoozed until {day_text(until)}" if until else "Snoozed"
    return STATE_WORDS.get(state, state.capitalize())


def event_text(event: EventLine) -> str:
    when = day_text(event.start)
    if event.end != event.start:
        when += f" – {day_text(event.end)}"
    if event.time:
        when += f", {event.time}"
    kind = KIND_WORDS.get(event.kind, "Event")
    if event.summary.casefold().startswith(kind.casefold()):
        return f"{when} · {event.summary}"  # "Flight: BA212 …" says it already
    return f"{when} · {kind}: {event.summary}"


def meeting_text(meeting: MeetingView) -> str:
    local = meeting_start(meeting)
    when = f"{day_text(local.date())} {local:%H:%M}" if local is not None else "no time yet"
    return f"{meeting_title(meeting)} · {when} · {meeting.status}"


class FlagCard(QFrame):
    """One person within reach: name, distance, state, reasons, and the three actions."""

    invite = Signal(object)  # the Suggestion
    open_meeting = Signal(int)
    set_state = Signal(object, str, object)  # Suggestion, state, snooze_until (date | None)
    pick_snooze_date = Signal(object)  # Suggestion

    def __init__(
        self,
        flag: Suggestion,
        trip: TripView,
        today: date,
        meeting: MeetingView | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.flag = flag
        self.meeting = meeting
        self.setObjectName("flagCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"{flag.person}, {state_text(flag.state, flag.snooze_until)}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(3)

        top = QHBoxLayout()
        self.name = plain(flag.person, bold=True, wrap=False)
        self.name.setObjectName("flagName")
        facts = " · ".join(
            t for t in (distance_text(flag.distance_km), score_text(flag.score)) if t
        )
        self.facts = plain(facts, wrap=False)
        self.facts.setObjectName("flagFacts")
        self.facts.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.name, 1)
        top.addWidget(self.facts)
        layout.addLayout(top)

        self.state = plain(state_text(flag.state, flag.snooze_until))
        self.state.setObjectName("flagState")
        state_font = QFont(self.state.font())
        state_font.setItalic(True)
        self.state.setFont(state_font)
        layout.addWidget(self.state)

        self.reasons = plain("\n".join(f"• {r}" for r in flag.reasons))
        self.reasons.setObjectName("flagReasons")
        self.reasons.setVisible(bool(flag.reasons))
        layout.addWidget(self.reasons)

        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        if meeting is not None and flag.state == "invited":
            self.invite_button = QPushButton("Open invitation…")
            self.invite_button.clicked.connect(lambda: self.open_meeting.emit(meeting.id))
        else:
            self.invite_button = QPushButton("Invite for coffee")
            self.invite_button.clicked.connect(lambda: self.invite.emit(flag))
        self.invite_button.setObjectName("inviteButton")
        self.invite_button.setAccessibleName(f"Invite {flag.person} for coffee")
        buttons.addWidget(self.invite_button)

        self.snooze_button = QToolButton()
        self.snooze_button.setObjectName("snoozeButton")
        self.snooze_button.setText("Snooze")
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.snooze_button)
        self.week_action = QAction("For a week", menu)
        self.week_action.triggered.connect(
            lambda: self.set_state.emit(flag, "snoozed", today + timedelta(days=7))
        )
        self.trip_action = QAction(f"Until the trip ({day_text(trip.start)})", menu)
        self.trip_action.triggered.connect(lambda: self.set_state.emit(flag, "snoozed", trip.start))
        self.trip_action.setEnabled(trip.start > today)
        self.date_action = QAction("Until a date…", menu)
        self.date_action.triggered.connect(lambda: self.pick_snooze_date.emit(flag))
        for action in (self.week_action, self.trip_action, self.date_action):
            menu.addAction(action)
        self.snooze_button.setMenu(menu)
        buttons.addWidget(self.snooze_button)

        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setObjectName("dismissButton")
        self.dismiss_button.clicked.connect(lambda: self.set_state.emit(flag, "dismissed", None))
        buttons.addWidget(self.dismiss_button)

        self.restore_button = QPushButton("Restore")
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setToolTip("Back to the people to invite")
        self.restore_button.clicked.connect(lambda: self.set_state.emit(flag, "new", None))
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        resting = flag.state in ("dismissed", "snoozed")
        self.restore_button.setVisible(resting)
        self.dismiss_button.setVisible(not resting)
        self.snooze_button.setVisible(flag.state != "dismissed")
        self.invite_button.setVisible(flag.state != "dismissed")
        if flag.state == "dismissed":
            for label in (self.name, self.facts, self.reasons):
                label.setEnabled(False)


class TripPanel(QWidget):
    """The selected trip and its flags; empty states say what to do."""

    invite = Signal(object)  # Suggestion
    open_meeting = Signal(int)
    set_flag_state = Signal(object, str, object)  # Suggestion, state, snooze_until
    pick_snooze_date = Signal(object)  # Suggestion
    correct = Signal(object)  # TripView
    merge_next = Signal(object, object)  # TripView, the next TripView
    split = Signal(object)  # TripView
    dismiss_trip = Signal(object, bool)  # TripView, dismissed
    reset = Signal(object)  # TripView: forget the user's corrections

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tripPanel")
        self.details: TripDetails | None = None
        self.today = date.today()
        self.cards: list[FlagCard] = []

        self.message = plain(PICK_A_TRIP)
        self.message.setObjectName("tripPanelMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setMargin(24)

        self.title = plain(bold=True, scale=1.35)
        self.title.setObjectName("tripTitle")
        self.dates = plain()
        self.dates.setObjectName("tripDates")
        self.note = plain()
        self.note.setObjectName("tripNote")

        self.correct_button = QToolButton()
        self.correct_button.setObjectName("correctTripButton")
        self.correct_button.setText("Correct trip")
        self.correct_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.correct_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = QMenu(self.correct_button)
        self.change_action = QAction("Change place or dates…", menu)
        self.change_action.triggered.connect(self._correct)
        self.merge_action = QAction("Merge with the next trip", menu)
        self.merge_action.triggered.connect(self._merge)
        self.split_action = QAction("Split…", menu)
        self.split_action.triggered.connect(self._split)
        self.reset_action = QAction("Forget my corrections", menu)
        self.reset_action.triggered.connect(self._reset)
        self.dismiss_action = QAction("Dismiss trip", menu)
        self.dismiss_action.setToolTip("Not a trip: hide it and its flags")
        self.dismiss_action.triggered.connect(self._dismiss)
        for action in (self.change_action, self.merge_action, self.split_action):
            menu.addAction(action)
        menu.addAction(self.reset_action)
        menu.addSeparator()
        menu.addAction(self.dismiss_action)
        self.correct_button.setMenu(menu)

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.correct_button, 0, Qt.AlignmentFlag.AlignTop)

        self.events_title = plain("Events", bold=True)
        self.events = plain()
        self.events.setObjectName("tripEvents")
        self.meetings_title = plain("Meetings", bold=True)
        self.meetings_box = QVBoxLayout()
        self.meetings_box.setSpacing(2)
        self.flags_title = plain("People within reach", bold=True)
        self.flags_title.setObjectName("flagsTitle")
        self.nobody = plain(NOBODY)
        self.nobody.setObjectName("noFlags")
        self.flags_box = QVBoxLayout()
        self.flags_box.setSpacing(6)

        body = QWidget()
        body.setObjectName("tripBody")
        column = QVBoxLayout(body)
        column.setContentsMargins(10, 8, 10, 8)
        column.setSpacing(6)
        column.addLayout(head)
        column.addWidget(self.dates)
        column.addWidget(self.note)
        column.addSpacing(4)
        column.addWidget(self.flags_title)
        column.addWidget(self.nobody)
        column.addLayout(self.flags_box)
        column.addSpacing(4)
        column.addWidget(self.meetings_title)
        column.addLayout(self.meetings_box)
        column.addSpacing(4)
        column.addWidget(self.events_title)
        column.addWidget(self.events)
        column.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(body)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.scroller)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(360, 520)

    # -- showing ---------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.details = None
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self._clear_cards()

    def show_trip(self, details: TripDetails, today: date) -> None:
        self.details = details
        self.today = today
        trip = details.trip
        title = place_text(trip)
        if details.visitor:
            title = f"{details.visitor} visiting {title}"
        self.title.setText(title)
        span = f"{range_text(trip.start, trip.end)} · {days_text(trip.start, trip.end)}"
        self.dates.setText(span)
        notes = []
        if trip.dismissed:
            notes.append("Dismissed: not shown on the calendar.")
        if trip.corrected:
            notes.append("Corrected by you; kept when the calendar is imported again.")
        self.note.setText(" ".join(notes))
        self.note.setVisible(bool(notes))
        self.dismiss_action.setText("Restore trip" if trip.dismissed else "Dismiss trip")
        self.reset_action.setVisible(trip.corrected)
        nxt = details.next_trip
        self.merge_action.setEnabled(nxt is not None)
        self.merge_action.setText(
            menu_text(f"Merge with the next trip ({nxt.city}, {day_text(nxt.start)})")
            if nxt is not None
            else "Merge with the next trip"
        )
        self.split_action.setEnabled(trip.end > trip.start)

        self.events.setText("\n".join(event_text(e) for e in details.events))
        self.events_title.setVisible(bool(details.events))
        self.events.setVisible(bool(details.events))

        self._clear_cards()
        while self.meetings_box.count():
            item = self.meetings_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for meeting in details.meetings:
            row = QWidget()
            row.setObjectName("tripMeeting")
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            text = plain(meeting_text(meeting))
            button = QPushButton("Invitation…")
            button.setAccessibleName(f"Invitation: {meeting_title(meeting)}")
            button.clicked.connect(lambda _=False, m=meeting.id: self.open_meeting.emit(m))
            line.addWidget(text, 1)
            line.addWidget(button)
            self.meetings_box.addWidget(row)
        self.meetings_title.setVisible(bool(details.meetings))

        by_person: dict[int, MeetingView] = {}
        for meeting in details.meetings:
            for pid in meeting.person_ids:
                by_person.setdefault(pid, meeting)
        active = [f for f in details.flags if f.state != "dismissed"]
        resting = [f for f in details.flags if f.state == "dismissed"]
        count = sum(1 for f in details.flags if f.state in ("new", "invited"))
        self.flags_title.setText(
            f"People within reach ({count})" if count else "People within reach"
        )
        self.nobody.setVisible(not details.flags)
        for flag in active + resting:
            card = FlagCard(flag, trip, today, by_person.get(flag.person_id))
            card.invite.connect(self.invite)
            card.open_meeting.connect(self.open_meeting)
            card.set_state.connect(self.set_flag_state)
            card.pick_snooze_date.connect(self.pick_snooze_date)
            self.flags_box.addWidget(card)
            self.cards.append(card)
        self.stack.setCurrentWidget(self.scroller)

    def _clear_cards(self) -> None:
        for card in self.cards:
            card.hide()
            card.deleteLater()
        self.cards = []

    def card_for(self, person_id: int) -> FlagCard | None:
        return next((c for c in self.cards if c.flag.person_id == person_id), None)

    def focus_first_card(self) -> None:
        if self.cards:
            self.scroller.ensureWidgetVisible(self.cards[0])
            self.cards[0].invite_button.setFocus()

    # -- asking ----------------------------------------------------------------------------

    def _correct(self) -> None:
        if self.details is not None:
            self.correct.emit(self.details.trip)

    def _merge(self) -> None:
        if self.details is not None and self.details.next_trip is not None:
            self.merge_next.emit(self.details.trip, self.details.next_trip)

    def _split(self) -> None:
        if self.details is not None:
            self.split.emit(self.details.trip)

    def _reset(self) -> None:
        if self.details is not None:
            self.reset.emit(self.details.trip)

    def _dismiss(self) -> None:
        if self.details is not None:
            self.dismiss_trip.emit(self.details.trip, not self.details.trip.dismissed)
