"""The plain values a parsed calendar is made of: what the importer stores and classifies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One VEVENT, or one occurrence of a recurring one, with times already resolved.

    Identity for re-import is ``(uid, recurrence_id)``. A timed event has ``start_utc`` and
    ``end_utc`` (aware, UTC) and the IANA name of the zone it was written in; an all-day
    event has ``start_date`` and an *inclusive* ``end_date`` (DTEND minus one day) instead.
    """

    uid: str
    # "" for a single event (or a series imported as its first occurrence only); for an
    # occurrence or a moved occurrence of a series, its original start: an ISO UTC instant
    # "2027-03-01T09:00:00Z" for timed events, an ISO date "2027-03-01" for all-day ones.
    recurrence_id: str
    summary: str
    description: str
    location: str
    start_utc: datetime | None
    end_utc: datetime | None
    # IANA zone the times were written in (Outlook's Windows names are mapped), "" for UTC;
    # floating times take the calendar's X-WR-TIMEZONE or the caller's default zone.
    tzid: str
    all_day: bool
    start_date: date | None
    end_date: date | None
    status: str  # CONFIRMED, TENTATIVE, CANCELLED or ""
    url: str
    organizer: str  # "Name <address>", or just one of them
    line: int  # line of BEGIN:VEVENT in the file
    content_hash: str  # changes when the event's text (or how it is read) changes


@dataclass
class ParsedCalendar:
    """Everything read from one file: the events, and what the user should be told."""

    events: list[EventRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    calendar_name: str = ""  # X-WR-CALNAME of the first calendar that has one
    default_tz: str = ""  # zone used for floating times in the first calendar
    content_hash: str = ""  # of the file's bytes and the parser version
