"""From property values to an EventRecord: the rules both calendar readers share.

The fast reader (``ics_parse``) and the full icalendar reader (``ics_full``) parse values
their own way, then hand Python dates and datetimes to :func:`build_record`, so start/end,
all-day, floating-time and recurrence-id rules live in one place.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from rapport.core.calendar.records import EventRecord

Moment = date | datetime  # a datetime is a date too; check datetime first

_WHEN = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(?:T([0-9]{2})([0-9]{2})([0-9]{2})(Z?))?")
_DURATION = re.compile(
    r"([-+]?)P(?:([0-9]+)W)?(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)S)?)?"
)
STATUSES = frozenset({"CONFIRMED", "TENTATIVE", "CANCELLED"})


def parse_when(value: str) -> Moment:
    """A DATE (``20270301``) or DATE-TIME (``20270301T090000``, ``...Z`` = aware UTC)."""
    m = _WHEN.fullmatch(value.strip())
    if m is None:
        raise ValueError(value)
    year, month, day, hour, minute, second, z = m.groups()
    if hour is None:
        return date(int(year), int(month), int(day))
    return datetime(
        int(year),
        int(month),
        int(day),
        int(hour),
        int(minute),
        int(second),
        tzinfo=UTC if z else None,
    )


def parse_duration(value: str) -> timedelta:
    m = _DURATION.fullmatch(value.strip())
    if m is None:
        raise ValueError(value)
    sign, weeks, days, hours, minutes, seconds = m.groups()
    delta = timedelta(
        weeks=int(weeks or 0),
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=int(seconds or 0),
    )
    return -delta if sign == "-" else delta


def recurrence_key(value: Moment, floating: tzinfo) -> str:
    """A recurrence id as stored: ISO date, or ISO UTC instant ending in Z."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=floating)
        return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def format_organizer(address: str, name: str) -> str:
    address = address.strip()
    if address[:7].lower() == "mailto:":
        address = address[7:]
    name = name.strip()
    if name and address:
        return f"{name} <{address}>"
    return name or address


def short_hash(*parts: str) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


@dataclass(slots=True)
class EventValues:
    """One event's values as a reader parsed them, before the shared rules apply.

    Datetimes are aware (in the zone they were written in) or naive for floating time;
    ``start_label`` is the record's ``tzid`` for an aware start.
    """

    uid: str
    recurrence_id: Moment | None
    start: Moment | None
    end: Moment | None
    duration: timedelta | None
    start_label: str
    summary: str
    description: str
    location: str
    status: str
    url: str
    organizer: str
    line: int
    content_hash: str


def build_record(
    v: EventValues, floating: tzinfo, floating_label: str
) -> tuple[EventRecord | None, list[str]]:
    """The record for ``v`` and the problems to report; no record when it cannot be dated."""
    try:
        return _build_record(v, floating, floating_label)
    except (OverflowError, ValueError):  # year 1 in New York is before year 1 in UTC
        return None, ["its dates are out of range, skipped"]


def _build_record(
    v: EventValues, floating: tzinfo, floating_label: str
) -> tuple[EventRecord | None, list[str]]:
    problems: list[str] = []
    start = v.start
    if start is None:
        return None, ["no DTSTART, skipped"]
    start_utc = end_utc = None
    start_date = end_date = None
    label = ""
    if isinstance(start, datetime):
        if start.tzinfo is None:
            start, label = start.replace(tzinfo=floating), floating_label
        else:
            label = v.start_label
        end: datetime = start
        if v.end is not None and not isinstance(v.end, datetime):
            problems.append("DTEND is a date but DTSTART has a time; DTEND ignored")
        elif v.end is not None:
            end = v.end if v.end.tzinfo is not None else v.end.replace(tzinfo=floating)
        if (v.end is None or end is start) and v.duration is not None:
            end = start + v.duration
        start_utc = start.astimezone(UTC)
        end_utc = end.astimezone(UTC)
        if end_utc < start_utc:
            problems.append("it ends before it starts; the end was set to the start")
            end_utc = start_utc
    else:
        start_date = start
        exclusive: date | None = None
        if isinstance(v.end, datetime):
            problems.append("DTEND has a time but DTSTART is a date; DTEND ignored")
        elif v.end is not None:
            exclusive = v.end
        if exclusive is None and v.duration is not None:
            exclusive = start + timedelta(days=v.duration.days)
        if exclusive is not None and exclusive < start:
            problems.append("it ends before it starts; the end was set to the start")
        end_date = exclusive - timedelta(days=1) if exclusive and exclusive > start else start
    summary = v.summary.strip()
    uid = v.uid.strip()
    if not uid:
        when = start_utc.isoformat() if start_utc else str(start_date)
        uid = "rapport-no-uid-" + short_hash(when, summary)
    status = v.status.strip().upper()
    record = EventRecord(
        uid=uid,
        recurrence_id=(
            recurrence_key(v.recurrence_id, floating) if v.recurrence_id is not None else ""
        ),
        summary=summary,
        description=v.description.strip(),
        location=v.location.strip(),
        start_utc=start_utc,
        end_utc=end_utc,
        tzid=label,
        all_day=start_date is not None,
        start_date=start_date,
        end_date=end_date,
        status=status if status in STATUSES else "",
        url=v.url.strip(),
        organizer=v.organizer,
        line=v.line,
        content_hash=v.content_hash,
    )
    return record, problems
