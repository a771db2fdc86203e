"""Coffee invitations: a ``mailto:`` draft from the user's template, and .ics files.

The mail draft is filled from the ``invite.template`` preference ({first} {name} {city}
{start} {end} {me}) and percent-encoded as RFC 6068 asks (spaces as %20, line ends as
%0D%0A). The invitation .ics is an iTIP REQUEST written with ``icalendar``: the user as
ORGANIZER, each person as an ATTENDEE asked to reply. ``meetings_ics`` exports planned
meetings for the user's own calendar, with the same UIDs, so the two never double.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar

from rapport import __version__
from rapport.core import meetings
from rapport.core.errors import BadInput
from rapport.store import settings
from rapport.store.models import Meeting, Trip, db_proxy

PRODID = f"-//Rapport//Rapport {__version__}//EN"
_PLACEHOLDER = re.compile(r"\{(first|name|city|start|end|me)\}")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Invitation:
    to: list[str]
    subject: str
    body: str
    mailto: str


def day_words(day: date) -> str:
    """ "Monday 15 March" — in English whatever the system locale, like the template."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def fill_template(template: str, values: dict[str, str]) -> str:
    """Replace the known {placeholders}; anything else in braces is left as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def mailto_url(to: Sequence[str], subject: str, body: str) -> str:
    """An RFC 6068 mailto: URL (CRLF line ends, everything outside the unreserved set
    percent-encoded, so the draft opens the same in every mail program)."""
    addresses = ",".join(urllib.parse.quote(a.strip(), safe="@") for a in to if a.strip())
    crlf = body.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    query = (
        f"subject={urllib.parse.quote(subject, safe='')}&body={urllib.parse.quote(crlf, safe='')}"
    )
    return f"mailto:{addresses}?{query}"


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _trip_days(row: Meeting) -> tuple[date, date] | None:
    if row.trip_id is None:
        return None
    trip = Trip.get_or_none(Trip.id == row.trip_id)
    if trip is None:
        return None
    return (trip.user_start or trip.start_date, trip.user_end or trip.end_date)


def _city(row: Meeting) -> str:
    if row.trip_id is not None:
        found = db_proxy.execute_sql(
            "SELECT coalesce(pl.name, t.label) FROM trip t "
            "LEFT JOIN place pl ON pl.id = coalesce(t.user_place_id, t.place_id) WHERE t.id = ?",
            (row.trip_id,),
        ).fetchone()
        if found and found[0]:
            return str(found[0])
    return str(row.location or "")


def invitation_for(meeting_id: int) -> Invitation:
    """The mail draft inviting the meeting's people, from the ``invite.template`` setting."""
    row = meetings.meeting_row(meeting_id)
    ids = meetings.person_ids_of(meeting_id)
    names = meetings.people_names(ids)
    firsts = meetings.person_first_names(ids)
    emails = meetings.first_email(ids)
    days = _trip_days(row)
    if days is None:
        day = meetings.local_day(row)
        days = (day, day) if day is not None else None
    city = _city(row)
    values = {
        "first": _and([firsts.get(p, "") for p in ids if firsts.get(p)]),
        "name": _and([names[p] for p in ids if p in names]),
        "city": city,
        "start": day_words(days[0]) if days else "",
        "end": day_words(days[1]) if days else "",
        "me": str(settings.get("me.name") or ""),
    }
    body = fill_template(str(settings.get("invite.template")), values)
    what = str(row.kind).capitalize() if row.kind != "event" else "Meeting"
    subject = f"{what} in {city}?" if city else f"{what}?"
    if days is not None and city:
        when = _span_words(*days)
        subject = f"{what} while I'm in {city} ({when})?"
    to = [emails[p] for p in ids if p in emails]
    return Invitation(to=to, subject=subject, body=body, mailto=mailto_url(to, subject, body))


def _span_words(start: date, end: date) -> str:
    if start == end:
        return f"{start.day} {_MONTHS[start.month - 1][:3]}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {_MONTHS[end.month - 1][:3]}"
    return f"{start.day} {_MONTHS[start.month - 1][:3]} – {end.day} {_MONTHS[end.month - 1][:3]}"


def _organizer() -> icalendar.vCalAddress:
    email = str(settings.get("me.email") or "").strip()
    if not email:
        raise BadInput("set your email address first: rapport config set me.email ADDRESS")
    organizer = icalendar.vCalAddress(f"mailto:{email}")
    name = str(settings.get("me.name") or "").strip()
    if name:
        organizer.params["CN"] = icalendar.vText(name)
    return organizer


def _event(meeting_id: int, *, invite: bool, stamp: datetime) -> icalendar.Event | None:
    row = meetings.meeting_row(meeting_id)
    start = meetings.proposed_start(meeting_id)
    if start is None:
        if invite:
            raise BadInput("give the meeting a time first: it is on no trip")
        return None
    ids = meetings.person_ids_of(meeting_id)
    names = meetings.people_names(ids)
    emails = meetings.first_email(ids)
    event = icalendar.Event()
    event.add("uid", str(row.uid) or f"meeting-{meeting_id}@rapport")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=meetings.DEFAULT_MINUTES))
    event.add("summary", str(row.title) or str(row.kind).capitalize())
    location = str(row.location or "") or _city(row)
    if location:
        event.add("location", location)
    if row.notes:
        event.add("description", str(row.notes))
    event.add("sequence", 0)
    status = "CONFIRMED" if row.status in ("confirmed", "done") else "TENTATIVE"
    event.add("status", "CONFIRMED" if invite else status)
    email = str(settings.get("me.email") or "").strip()
    if invite or email:
        event.add("organizer", _organizer())
    missing = []
    for pid in ids:
        address = emails.get(pid)
        if not address:
            missing.append(names.get(pid, str(pid)))
            continue
        attendee = icalendar.vCalAddress(f"mailto:{address}")
        attendee.params["CN"] = icalendar.vText(names.get(pid, ""))
        attendee.params["ROLE"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = icalendar.vText("NEEDS-ACTION")
        attendee.params["RSVP"] = icalendar.vText("TRUE")
        event.add("attendee", attendee, encode=False)
    if invite and len(missing) == len(ids):
        raise BadInput(f"{_and(missing)} {'has' if len(missing) == 1 else 'have'} no email address")
    return event


def _calendar(method: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def invitation_ics(meeting_id: int) -> bytes:
    """An iTIP REQUEST for the meeting: ORGANIZER (me.email), ATTENDEEs asked to reply."""
    calendar = _calendar("REQUEST")
    event = _event(meeting_id, invite=True, stamp=datetime.now(UTC))
    assert event is not None
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def meetings_ics(meeting_ids: list[int] | None = None) -> bytes:
    """Planned meetings (not declined) as an .ics to add to the user's main calendar.

    Without ``meeting_ids``, every open meeting (suggested, invited, confirmed). Meetings
    with neither a time nor a trip are left out: there is no day to put them on.
    """
    if meeting_ids is None:
        meeting_ids = [m.id for m in meetings.list_meetings(meetings.OPEN)]
    calendar = _calendar("PUBLISH")
    stamp = datetime.now(UTC)
    for mid in meeting_ids:
        row = meetings.meeting_row(mid)
        if row.status == "declined":
            continue
        event = _event(mid, invite=False, stamp=stamp)
        if event is not None:
            calendar.add_component(event)
    return bytes(calendar.to_ical())
