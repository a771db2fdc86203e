"""Planned meetings — coffee on a trip, a meal, a call — from a flag to done.

A meeting moves ``suggested → invited → confirmed → done`` (or ``declined`` on the way);
other moves are refused. Sending the invitation (status ``invited``) marks the trip's
flags for those people invited, so the Calendar view stops suggesting them. Once done, a
meeting can be logged as a touchpoint in the generosity log (``log_meeting``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapport.core import acts, clock, trips
from rapport.core.changes import Changes
from rapport.core.errors import BadInput, NotFound
from rapport.store.models import Flag, Meeting, MeetingPerson, Person, Trip, db_proxy

KINDS = ("coffee", "meal", "call", "event")
STATUSES = ("suggested", "invited", "confirmed", "done", "declined")
OPEN = ("suggested", "invited", "confirmed")
TRANSITIONS: dict[str, frozenset[str]] = {
    "suggested": frozenset({"invited", "confirmed", "declined"}),
    "invited": frozenset({"confirmed", "declined"}),
    "confirmed": frozenset({"done", "declined"}),
    "done": frozenset(),
    "declined": frozenset({"suggested"}),  # asked again later
}
DEFAULT_HOUR = 10  # a coffee proposed without a time: mid-morning, local
DEFAULT_MINUTES = 60
_TOUCHPOINT = {"coffee": "coffee", "meal": "meal", "call": "call", "event": "met"}
_CHUNK = 500


@dataclass(frozen=True)
class MeetingView:
    id: int
    kind: str
    title: str
    starts_at: datetime | None  # aware, UTC
    timezone: str
    location: str
    trip_id: int | None
    status: str
    people: tuple[str, ...]
    person_ids: tuple[int, ...]

    def as_json(self) -> dict[str, Any]:
        """The ``rapport meetings --json`` shape."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
            "timezone": self.timezone,
            "location": self.location,
            "trip_id": self.trip_id,
            "status": self.status,
            "people": list(self.people),
        }


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _stored(moment: datetime, zone: str) -> datetime:
    """Naive UTC for the database; a naive ``moment`` is read in ``zone``."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=_zone(zone))
    return aware.astimezone(UTC).replace(tzinfo=None)


def _trip_place(trip_id: int) -> tuple[int | None, str, str]:
    """(place id, city name, time zone) of a trip, its corrections applied."""
    row = db_proxy.execute_sql(
        "SELECT pl.id, coalesce(pl.name, t.label), pl.timezone FROM trip t "
        "LEFT JOIN place pl ON pl.id = coalesce(t.user_place_id, t.place_id) WHERE t.id = ?",
        (trip_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no trip with id {trip_id}")
    return (None if row[0] is None else int(row[0]), str(row[1] or ""), str(row[2] or ""))


def _names(person_ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for i in range(0, len(person_ids), _CHUNK):
        chunk = list(person_ids[i : i + _CHUNK])
        for pid, name in db_proxy.execute_sql(
            f"SELECT id, name FROM person WHERE id IN ({', '.join('?' * len(chunk))})", chunk
        ).fetchall():
            out[int(pid)] = str(name)
    return out


def plan_meeting(
    person_ids: Iterable[int],
    *,
    trip_id: int | None = None,
    kind: str = "coffee",
    starts_at: datetime | None = None,
    location: str = "",
    flag_id: int | None = None,
    title: str = "",
    timezone: str = "",
) -> tuple[int, Changes]:
    """A ``suggested`` meeting with these people (and the flag's person, on the flag's trip).

    A naive ``starts_at`` is local time at the trip's destination (else ``timezone``, else
    the home city's zone). Without ``starts_at``, a meeting on a trip is proposed for 10:00
    local on the trip's first full day (the user edits it with ``update_meeting``).
    """
    kind = kind.strip().lower()
    if kind not in KINDS:
        raise BadInput(f"a meeting is {', '.join(KINDS)}, not {kind!r}")
    ids = list(dict.fromkeys(int(p) for p in person_ids))
    if flag_id is not None:
        flag = Flag.get_or_none(Flag.id == flag_id)
        if flag is None:
            raise NotFound(f"no flag with id {flag_id}")
        trip_id = trip_id if trip_id is not None else int(flag.trip_id)
        if int(flag.person_id) not in ids:
            ids.insert(0, int(flag.person_id))
    if not ids:
        raise BadInput("a meeting needs at least one person")
    names = _names(ids)
    missing = [p for p in ids if p not in names]
    if missing:
        raise NotFound(f"no person with id {missing[0]}")
    place_id: int | None = None
    zone = timezone
    if trip_id is not None:
        place_id, _city, trip_zone = _trip_place(trip_id)
        zone = zone or trip_zone
    zone = zone or trips.home_zone()
    if not title:
        who = [names[p] for p in ids]
        title = f"{kind.capitalize()} with {_and(who)}"
    stored = None if starts_at is None else _stored(starts_at, zone)
    if stored is None and trip_id is not None:
        stored = _proposal(trip_id, zone)
    with db_proxy.atomic():
        meeting = Meeting.create(
            kind=kind,
            title=title.strip(),
            starts_at=stored,
            timezone=zone,
            location=location.strip(),
            place=place_id,
            trip=trip_id,
            status="suggested",
            uid=f"{uuid.uuid4()}@rapport",
        )
        for pid in ids:
            MeetingPerson.create(meeting=meeting.id, person=pid)
    return int(meeting.id), Changes(meetings=True, people=set(ids))


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def meeting_row(meeting_id: int) -> Meeting:
    row = Meeting.get_or_none(Meeting.id == meeting_id)
    if row is None:
        raise NotFound(f"no meeting with id {meeting_id}")
    return row


def person_ids_of(meeting_id: int) -> list[int]:
    return [
        int(r[0])
        for r in db_proxy.execute_sql(
            "SELECT person_id FROM meeting_person WHERE meeting_id = ? ORDER BY id", (meeting_id,)
        ).fetchall()
    ]


def set_meeting_status(meeting_id: int, status: str) -> Changes:
    """Move a meeting on (suggested → invited → confirmed → done, or declined)."""
    status = status.strip().lower()
    if status not in STATUSES:
        raise BadInput(f"a meeting is {', '.join(STATUSES)}, not {status!r}")
    with db_proxy.atomic():
        row = meeting_row(meeting_id)
        now = str(row.status)
        if status == now:
            return Changes()
        if status not in TRANSITIONS.get(now, frozenset()):
            raise BadInput(f"a meeting that is {now} cannot become {status}")
        row.status = status
        row.save()
        changes = Changes(meetings=True)
        if status == "invited" and row.trip_id is not None:
            people = person_ids_of(meeting_id)
            Flag.update(state="invited", snooze_until=None).where(
                (Flag.trip == row.trip_id) & (Flag.person.in_(people))
            ).execute()
            changes = changes | Changes(trips=True)
    return changes


def update_meeting(
    meeting_id: int,
    *,
    starts_at: datetime | None = None,
    location: str | None = None,
    title: str | None = None,
    notes: str | None = None,
    timezone: str | None = None,
) -> Changes:
    """Edit a meeting's time (naive: local in its zone), place, title or notes."""
    with db_proxy.atomic():
        row = meeting_row(meeting_id)
        if timezone is not None:
            row.timezone = timezone
        if starts_at is not None:
            row.starts_at = _stored(starts_at, str(row.timezone))
        if location is not None:
            row.location = location.strip()
        if title is not None:
            row.title = title.strip()
        if notes is not None:
            row.notes = notes
        row.save()
    return Changes(meetings=True)


def delete_meeting(meeting_id: int) -> Changes:
    if not Meeting.delete().where(Meeting.id == meeting_id).execute():
        raise NotFound(f"no meeting with id {meeting_id}")
    return Changes(meetings=True)


def log_meeting(meeting_id: int, *, on: date | None = None, note: str = "") -> tuple[int, Changes]:
    """Log a done meeting as a touchpoint (coffee, meal, call) with its people."""
    row = meeting_row(meeting_id)
    if row.status != "done":
        raise BadInput("only a meeting that is done can be logged")
    day = on or local_day(row) or clock.today()
    return acts.log_act(
        person_ids_of(meeting_id),
        _TOUCHPOINT.get(str(row.kind), "met"),
        on=day,
        note=note or str(row.title),
        meeting_id=meeting_id,
    )


def local_day(row: Meeting) -> date | None:
    if row.starts_at is None:
        return None
    moment = row.starts_at
    if not isinstance(moment, datetime):
        moment = datetime.fromisoformat(str(moment))
    return moment.replace(tzinfo=UTC).astimezone(_zone(str(row.timezone))).date()


def _proposal(trip_id: int, zone: str) -> datetime | None:
    """A time to propose on a trip (naive UTC): 10:00 local on its first full day."""
    trip = Trip.get_or_none(Trip.id == trip_id)
    if trip is None:
        return None
    first = trip.user_start or trip.start_date
    last = trip.user_end or trip.end_date
    day = first + timedelta(days=1) if last > first else first
    local = datetime.combine(day, time(DEFAULT_HOUR), _zone(zone))
    return local.astimezone(UTC).replace(tzinfo=None)


def proposed_start(meeting_id: int) -> datetime | None:
    """When the meeting is (aware UTC): its time, else a proposal on its trip, else None."""
    row = meeting_row(meeting_id)
    moment = row.starts_at
    if moment is None and row.trip_id is not None:
        moment = _proposal(int(row.trip_id), str(row.timezone))
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        moment = datetime.fromisoformat(str(moment))
    return moment.replace(tzinfo=UTC)


# ---- reading ------------------------------------------------------------------------------


def _views(where: str, params: Sequence[Any]) -> list[MeetingView]:
    rows = db_proxy.execute_sql(
        "SELECT m.id, m.kind, m.title, m.starts_at, m.timezone, m.location, m.trip_id, m.status "
        f"FROM meeting m WHERE {where} ORDER BY m.starts_at IS NULL, m.starts_at, m.id",
        list(params),
    ).fetchall()
    ids = [int(r[0]) for r in rows]
    people: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        for mid, pid, name in db_proxy.execute_sql(
            "SELECT mp.meeting_id, p.id, p.name FROM meeting_person mp "
            "JOIN person p ON p.id = mp.person_id "
            f"WHERE mp.meeting_id IN ({', '.join('?' * len(chunk))}) ORDER BY mp.id",
            chunk,
        ).fetchall():
            people[int(mid)].append((int(pid), str(name)))
    out = []
    for mid, kind, title, starts, zone, location, trip_id, status in rows:
        moment = None
        if starts is not None:
            parsed = starts if isinstance(starts, datetime) else datetime.fromisoformat(str(starts))
            moment = parsed.replace(tzinfo=UTC)
        who = people.get(int(mid), [])
        out.append(
            MeetingView(
                id=int(mid),
                kind=str(kind),
                title=str(title),
                starts_at=moment,
                timezone=str(zone or ""),
                location=str(location or ""),
                trip_id=None if trip_id is None else int(trip_id),
                status=str(status),
                people=tuple(n for _, n in who),
                person_ids=tuple(p for p, _ in who),
            )
        )
    return out


def get_meeting(meeting_id: int) -> MeetingView:
    found = _views("m.id = ?", [meeting_id])
    if not found:
        raise NotFound(f"no meeting with id {meeting_id}")
    return found[0]


def meetings_between(start: date, end: date) -> list[MeetingView]:
    """Meetings on local days in [start, end], and those without a time on a trip then."""
    # A day of slack each side: stored instants are UTC, the days asked for are local.
    lo = datetime.combine(start - timedelta(days=1), time(0)).isoformat(sep=" ")
    hi = datetime.combine(end + timedelta(days=2), time(0)).isoformat(sep=" ")
    found = _views(
        "(m.starts_at >= ? AND m.starts_at < ?) OR (m.starts_at IS NULL AND m.trip_id IN ("
        "SELECT id FROM trip WHERE coalesce(user_start, start_date) <= ? "
        "AND coalesce(user_end, end_date) >= ?))",
        [lo, hi, end.isoformat(), start.isoformat()],
    )
    out = []
    for view in found:
        if view.starts_at is None:
            out.append(view)
            continue
        day = view.starts_at.astimezone(_zone(view.timezone)).date()
        if start <= day <= end:
            out.append(view)
    return out


def list_meetings(statuses: Iterable[str] = OPEN) -> list[MeetingView]:
    wanted = [s for s in statuses if s in STATUSES]
    if not wanted:
        return []
    return _views(f"m.status IN ({', '.join('?' * len(wanted))})", wanted)


def people_names(person_ids: Sequence[int]) -> dict[int, str]:
    return _names(list(person_ids))


def first_email(person_ids: Sequence[int]) -> dict[int, str]:
    """Each person's first email address (as entered), if they have one."""
    out: dict[int, str] = {}
    ids = list(person_ids)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        for pid, address in db_proxy.execute_sql(
            "SELECT person_id, address FROM email "
            f"WHERE person_id IN ({', '.join('?' * len(chunk))}) ORDER BY id",
            chunk,
        ).fetchall():
            out.setdefault(int(pid), str(address))
    return out


def person_first_names(person_ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for row in Person.select(Person.id, Person.name, Person.given_name).where(
        Person.id.in_(list(person_ids))
    ):
        given = str(row.given_name or "").strip()
        out[int(row.id)] = given or (str(row.name).split() or [""])[0]
    return out
