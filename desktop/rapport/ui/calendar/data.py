"""What the Calendar view shows, read in one go on a reader thread.

The view reads through the calendar core's functions (trips, flags, meetings, sources);
what the core does not offer as a function — birthdays, an event's dates, the Meeting rows
of one trip — is read here from the store models, never written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from rapport.core import flags, follow_ups, meetings, trips
from rapport.core.calendar import sources
from rapport.core.calendar.zones import zone_or_utc
from rapport.core.errors import NotFound
from rapport.core.flags import Suggestion
from rapport.core.follow_ups import FollowUp
from rapport.core.meetings import MeetingView
from rapport.core.trips import TripView
from rapport.store import settings
from rapport.store.models import Event, Person

_BIRTHDAY = re.compile(r"^(?P<year>\d{4}|-{1,2})-?(?P<month>\d{2})-?(?P<day>\d{2})$")
AGENDA_DAYS = 120


# -- plain values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Birthday:
    person_id: int
    name: str
    day: date
    age: int | None  # None when only the day and month are known

    @property
    def text(self) -> str:
        if self.age:
            return f"{self.name} turns {self.age}"
        return f"{self.name}'s birthday"


@dataclass(frozen=True)
class EventLine:
    """An imported event as the view lists it: its local dates and a line of words."""

    id: int
    summary: str
    kind: str
    location: str
    start: date
    end: date  # inclusive
    time: str  # "09:40" for a timed event at its own zone, "" for an all-day one
    trip_id: int | None


def meeting_start(meeting: MeetingView) -> datetime | None:
    """When a meeting is, in its own zone (None: no time agreed yet)."""
    if meeting.starts_at is None:
        return None
    moment = meeting.starts_at
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(zone_or_utc(meeting.timezone)) if meeting.timezone else moment


def meeting_day(meeting: MeetingView) -> date | None:
    local = meeting_start(meeting)
    return local.date() if local is not None else None


def meeting_title(meeting: MeetingView) -> str:
    return meeting.title or f"{meeting.kind.capitalize()} with {', '.join(meeting.people)}"


@dataclass
class MonthData:
    """Everything drawn on the grid from ``start`` to ``end`` (inclusive)."""

    start: date
    end: date
    today: date
    trips: list[TripView] = field(default_factory=list)
    conferences: list[EventLine] = field(default_factory=list)
    meetings: list[MeetingView] = field(default_factory=list)
    birthdays: list[Birthday] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    sources: int = 0  # calendar sources known; none: the empty state
    home_city: str = ""
    visitors: dict[int, str] = field(default_factory=dict)  # person id: name, of visits


@dataclass
class TripDetails:
    """The side panel: a trip, its events, the people flagged on it and its meetings."""

    trip: TripView
    events: list[EventLine]
    flags: list[Suggestion]
    meetings: list[MeetingView]
    next_trip: TripView | None  # the trip after this one, for "Merge with the next trip"
    visitor: str = ""  # the contact coming to the user's city, for a visit


# -- reading -----------------------------------------------------------------------------------


def _as_datetime(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def event_line(row: Event) -> EventLine | None:
    """An Event row's local dates: all-day dates as stored, timed ones in the event's zone."""
    if row.all_day or row.start_utc is None:
        start = _as_date(row.start_date)
        end = _as_date(row.end_date) or start
        time = ""
    else:
        zone = zone_or_utc(str(row.tzid or ""))
        begin = _as_datetime(row.start_utc)
        if begin is None:
            return None
        begin = (begin if begin.tzinfo else begin.replace(tzinfo=UTC)).astimezone(zone)
        finish = _as_datetime(row.end_utc)
        finish = (
            (finish if finish.tzinfo else finish.replace(tzinfo=UTC)).astimezone(zone)
            if (finish is not None)
            else begin
        )
        start = begin.date()
        # An event ending at midnight does not take up the next day.
        end_day = finish.date()
        if finish > begin and finish.time() == datetime.min.time():
            end_day -= timedelta(days=1)
        end = max(end_day, start)
        time = begin.strftime("%H:%M")
    if start is None or end is None:
        return None
    return EventLine(
        id=int(row.id),
        summary=str(row.summary or ""),
        kind=str(row.kind or "other"),
        location=str(row.location or ""),
        start=start,
        end=max(end, start),
        time=time,
        trip_id=row.trip_id,
    )


def events_by_id(ids: Sequence[int]) -> list[EventLine]:
    out: list[EventLine] = []
    for i in range(0, len(ids), 500):
        for row in Event.select().where(Event.id.in_(list(ids[i : i + 500]))):
            line = event_line(row)
            if line is not None:
                out.append(line)
    return sorted(out, key=lambda e: (e.start, e.time, e.id))


def conferences_between(start: date, end: date) -> list[EventLine]:
    """Conference events overlapping the range (a day of slack for time zones)."""
    lo = start - timedelta(days=1)
    hi = end + timedelta(days=1)
    rows = Event.select().where(
        (Event.kind == "conference")
        & (
            ((Event.start_date <= hi) & (Event.end_date >= lo))
            | (
                (Event.start_utc <= datetime.combine(hi, datetime.max.time()))
                & (Event.end_utc >= datetime.combine(lo, datetime.min.time()))
            )
        )
    )
    lines = (event_line(r) for r in rows)
    return [e for e in lines if e is not None and e.end >= start and e.start <= end]


def parse_birthday(text: str) -> tuple[int | None, int, int] | None:
    """``YYYY-MM-DD`` or ``--MM-DD`` (vCard without a year) as (year, month, day)."""
    match = _BIRTHDAY.match(text.strip())
    if match is None:
        return None
    year = match["year"]
    month, day = int(match["month"]), int(match["day"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return (int(year) if year.isdigit() else None), month, day


def birthday_in(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        if (month, day) == (2, 29):
            return date(year, 2, 28)  # celebrated on the last day of February
        return None


def birthdays_between(start: date, end: date) -> list[Birthday]:
    rows: Any = (
        Person.select(Person.id, Person.name, Person.birthday)
        .where((Person.birthday != "") & (Person.archived == False))  # noqa: E712 - peewee
        .tuples()
    )
    out: list[Birthday] = []
    for pid, name, text in rows:
        parsed = parse_birthday(str(text))
        if parsed is None:
            continue
        born, month, day = parsed
        for year in range(start.year, end.year + 1):
            when = birthday_in(year, month, day)
            if when is None or not start <= when <= end or (born and year < born):
                continue
            age = year - born if born else None
            out.append(Birthday(int(pid), str(name), when, age))
    return sorted(out, key=lambda b: (b.day, b.name.casefold()))


def all_meetings(*, trip_id: int | None = None) -> list[MeetingView]:
    """Every meeting, whatever its status (or a trip's), dated ones first."""
    found = meetings.list_meetings(meetings.STATUSES)
    return [m for m in found if trip_id is None or m.trip_id == trip_id]


def load_month(start: date, end: date, today: date) -> MonthData:
    """Trips, conferences, meetings, birthdays and follow-ups from ``start`` to ``end``."""
    data = MonthData(start, end, today)
    data.trips = trips.list_trips(start, end)
    data.conferences = conferences_between(start, end)
    data.meetings = meetings.meetings_between(start, end)
    data.birthdays = birthdays_between(start, end)
    data.follow_ups = [f for f in follow_ups.follow_ups(today) if start <= f.due_by <= end]
    data.sources = len(sources.list_sources())
    data.home_city = str(settings.get("home_city") or "")
    data.visitors = person_names([t.person_id for t in data.trips if t.person_id is not None])
    return data


def person_names(ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    unique = sorted(set(ids))
    for i in range(0, len(unique), 500):
        for row in Person.select(Person.id, Person.name).where(Person.id.in_(unique[i : i + 500])):
            out[int(row.id)] = str(row.name)
    return out


def find_trip(trip_id: int) -> TripView | None:
    """The trip, dismissed or not; None once it is gone (merged into another, say)."""
    try:
        return trips.get_trip(trip_id)
    except NotFound:
        return None


def load_trip(trip_id: int, today: date) -> TripDetails | None:
    trip = find_trip(trip_id)
    if trip is None:
        return None
    flagged = flags.suggestions(trip_id=trip_id, include_dismissed=True, today=today)
    later = trips.list_trips(trip.end + timedelta(days=1), None)
    next_trip = min(
        (t for t in later if t.id != trip.id and t.start > trip.start),
        key=lambda t: (t.start, t.id),
        default=None,
    )
    return TripDetails(
        trip=trip,
        events=events_by_id(list(trip.event_ids)),
        flags=flagged,
        meetings=all_meetings(trip_id=trip_id),
        next_trip=next_trip,
        visitor=person_names([trip.person_id]).get(trip.person_id, "")
        if trip.person_id is not None
        else "",
    )


def load_agenda(today: date, days: int = AGENDA_DAYS) -> MonthData:
    """The agenda's range: today and the next ``days`` days."""
    return load_month(today, today + timedelta(days=days), today)
