"""Coffee flags: for each upcoming trip, the people within reach, ranked, with reasons in words.

"If the person is in Boston, and you'll be there on business, ask if you can take him out
for coffee." A person is flagged on a trip when their place lies within ``reach_km`` of the
destination (great-circle distance), when the user linked them to one of the trip's events
("connect while you're there"), or when the trip is their own visit to the user's city.

Fast at any size: people are grouped by place (a journal of 100k people has a few thousand
places), each destination finds its places in a latitude band and a longitude box before
any haversine, each person's score and reasons are computed once however many trips they
are near, and only the best ``MAX_PER_TRIP`` people within reach of a trip are kept.
Flags are upserted: the user's word on each one (dismissed, snoozed, invited) stays.
"""

from __future__ import annotations

import heapq
import json
import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from rapport.core import gazetteer
from rapport.core.changes import Changes
from rapport.core.due import CADENCE_SQL, LAST_CONTACT_SQL, cadence_params, cadences
from rapport.core.errors import BadInput, NotFound
from rapport.store import settings
from rapport.store.models import Flag, db_proxy

MAX_PER_TRIP = 25  # people kept per trip from its surroundings (links and visitors always)
STATES = ("new", "invited", "dismissed", "snoozed")
MEETING_KINDS = ("coffee", "meal", "met")  # touchpoints that count as having met

GOAL_POINTS = 30.0
TIER_POINTS = {1: 15.0, 2: 8.0}
DUE_POINTS = 15.0
SERVED_POINTS = 10.0
SERVED_DAYS = 90  # gave them something this recently: asking a favour back is fair
NEAR_POINTS = 10.0  # at the destination itself; nothing at the edge of reach
LINKED_POINTS = 40.0
VISIT_POINTS = 40.0
_CHUNK = 500


@dataclass(frozen=True)
class Suggestion:
    flag_id: int
    trip_id: int
    city: str
    person_id: int
    person: str
    distance_km: float | None
    score: float
    reasons: tuple[str, ...]
    state: str  # new | invited | dismissed | snoozed
    snooze_until: date | None = None

    def as_json(self) -> dict[str, Any]:
        """The ``rapport suggestions --json`` shape."""
        return {
            "trip_id": self.trip_id,
            "city": self.city,
            "person": self.person,
            "distance_km": self.distance_km,
            "score": self.score,
            "reasons": list(self.reasons),
            "state": self.state,
        }


# ---- people and their reasons ------------------------------------------------------------


class _Facts(NamedTuple):
    goals: tuple[str, ...]
    tier: int | None
    overdue: int | None  # days past the cadence (<= 0: not due)
    last_contact: date | None
    cadence: int
    last_given: date | None
    last_met: date | None


@dataclass(slots=True)
class _Person:
    id: int
    name: str
    place_id: int | None
    base: float
    facts: _Facts  # what the reasons are written from, only when needed
    _json: str | None = None

    def reasons_json(self, today: date) -> str:
        """The person's reasons as JSON list items (no brackets), written once."""
        if self._json is None:
            self._json = ", ".join(
                json.dumps(r, ensure_ascii=False) for r in _reasons(self.facts, today)
            )
        return self._json


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _reasons(f: _Facts, today: date) -> list[str]:
    goals, tier, overdue, last_contact, cadence, last_given, last_met = f
    out: list[str] = []
    if len(goals) == 1:
        out.append(f"on goal '{goals[0]}'")
    elif len(goals) == 2:
        out.append(f"on goals '{goals[0]}' and '{goals[1]}'")
    elif goals:
        out.append(f"on goal '{goals[0]}' and {len(goals) - 1} more")
    if overdue is not None and overdue > 0:
        since = cadence + overdue
        if last_contact is None:
            out.append(f"due for a touch: nothing logged since added {since} days ago")
        else:
            out.append(f"due for a touch: last contact {since} days ago (every {cadence} days)")
    if last_given is not None and (today - last_given).days <= SERVED_DAYS:
        ago = (today - last_given).days
        when = "today" if ago == 0 else f"{_plural(ago, 'day')} ago"
        out.append(f"served recently ({when}), so asking is fair")
    if last_met is None:
        out.append("never met in person")
    else:
        days = (today - last_met).days
        if days >= 30:
            out.append(f"last met {_plural(days // 30, 'month')} ago")
        elif days >= 0:
            out.append("met today" if days == 0 else f"met {_plural(days, 'day')} ago")
    if tier in TIER_POINTS:
        out.append(f"tier {tier}")
    return out


def _active_goals() -> dict[int, list[str]]:
    """person id -> titles of their active goals, the user's first goal first."""
    out: dict[int, list[str]] = defaultdict(list)
    for pid, title in db_proxy.execute_sql(
        "SELECT gp.person_id, g.title FROM goal_person gp JOIN goal g ON g.id = gp.goal_id "
        "WHERE g.status = 'active' ORDER BY g.position, g.id"
    ).fetchall():
        out[int(pid)].append(str(title))
    return out


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


_MET_KINDS = ", ".join(f"'{k}'" for k in MEETING_KINDS)
# A person's score before distance, in SQL so that SQLite ranks a whole city's people and
# hands back only the best few. Last met is left out of the score (it needs a join per act,
# too slow at 100k people) and only told in the reasons.
_SCORE_SQL = f"""
  EXISTS (SELECT 1 FROM goal_person gp JOIN goal g ON g.id = gp.goal_id
    WHERE gp.person_id = p.id AND g.status = 'active') * :goal
  + CASE p.tier WHEN 1 THEN :tier1 WHEN 2 THEN :tier2 ELSE 0 END
  + CASE WHEN julianday(:today) - julianday(coalesce({LAST_CONTACT_SQL}, date(p.created)))
      > {CADENCE_SQL} THEN :due ELSE 0 END
  + CASE WHEN (SELECT max(g.date) FROM act_person g WHERE g.person_id = p.id
      AND g.ledger = 'given') >= :served_since THEN :served ELSE 0 END"""
_FACTS_SQL = f"""
SELECT p.id, p.name, p.place_id, p.tier, {LAST_CONTACT_SQL}, {CADENCE_SQL},
  (SELECT max(g.date) FROM act_person g WHERE g.person_id = p.id AND g.ledger = 'given'),
  (SELECT max(m.date) FROM act_person m JOIN act a ON a.id = m.act_id
    WHERE m.person_id = p.id AND a.kind IN ({_MET_KINDS})),
  date(p.created), {_SCORE_SQL}
FROM person p WHERE p.archived = 0 AND """


def _params(today: date) -> dict[str, Any]:
    return {
        **cadence_params(cadences()),
        "today": today.isoformat(),
        "goal": GOAL_POINTS,
        "tier1": TIER_POINTS[1],
        "tier2": TIER_POINTS[2],
        "due": DUE_POINTS,
        "served": SERVED_POINTS,
        "served_since": (today - timedelta(days=SERVED_DAYS)).isoformat(),
    }


def _best_of_place(place_id: int, keep: int, params: dict[str, Any]) -> list[int]:
    """The ids of the ``keep`` best people living at one place, best first."""
    rows = db_proxy.execute_sql(
        f"SELECT p.id, {_SCORE_SQL} AS base FROM person p "
        "WHERE p.archived = 0 AND p.place_id = :place ORDER BY base DESC, p.id LIMIT :keep",
        {**params, "place": place_id, "keep": keep},
    ).fetchall()
    return [int(r[0]) for r in rows]


def _people(ids: Sequence[int], today: date, params: dict[str, Any]) -> dict[int, _Person]:
    """Everything the reasons are written from, for these people (archived ones left out)."""
    goals = _active_goals()
    out: dict[int, _Person] = {}
    for i in range(0, len(ids), _CHUNK):
        where, names = _in("p.id", ids[i : i + _CHUNK])
        for row in db_proxy.execute_sql(_FACTS_SQL + where, {**params, **names}).fetchall():
            pid, name, place_id, tier, last, cad, given, met, joined, base = row
            pid = int(pid)
            last_day = _day(last)
            since = last_day or _day(joined) or today
            facts = _Facts(
                tuple(goals.get(pid, ())),
                None if tier is None else int(tier),
                (today - since).days - int(cad),
                last_day,
                int(cad),
                _day(given),
                _day(met),
            )
            out[pid] = _Person(
                pid, str(name), None if place_id is None else int(place_id), float(base), facts
            )
    return out


def _in(column: str, values: Sequence[int]) -> tuple[str, dict[str, Any]]:
    names = {f"v{n}": v for n, v in enumerate(values)}
    return f"{column} IN ({', '.join(':' + k for k in names)})", names


# ---- geometry ----------------------------------------------------------------------------


class _PlaceIndex:
    """The places people live in, sorted by latitude for band-and-box queries."""

    def __init__(self, rows: Iterable[tuple[int, float, float]]) -> None:
        self.rows = sorted(rows, key=lambda r: r[1])
        self.lats = [r[1] for r in self.rows]

    def within(self, lat: float, lon: float, radius_km: float) -> list[tuple[int, float]]:
        dlat = radius_km / gazetteer.KM_PER_DEGREE
        cos_lat = math.cos(math.radians(min(89.9, abs(lat) + dlat)))
        dlon = radius_km / (gazetteer.KM_PER_DEGREE * cos_lat) if cos_lat > 1e-6 else 360.0
        out = []
        for i in range(bisect_left(self.lats, lat - dlat), bisect_right(self.lats, lat + dlat)):
            pid, plat, plon = self.rows[i]
            gap = abs((plon - lon + 180.0) % 360.0 - 180.0)  # across the antimeridian too
            if gap > dlon:
                continue
            km = gazetteer.distance_km((lat, lon), (plat, plon))
            if km <= radius_km:
                out.append((pid, km))
        return out


def _distance_words(km: float, city: str) -> str:
    if km < 1.0:
        return f"in {city}"
    return f"{km:.0f} km from {city}"


# ---- computing ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Trip:
    id: int
    place_id: int
    city: str
    lat: float
    lon: float
    person_id: int | None
    start: date
    end: date


def _upcoming(today: date, trip_ids: Iterable[int] | None) -> list[_Trip]:
    rows = db_proxy.execute_sql(
        "SELECT t.id, pl.id, pl.name, pl.lat, pl.lon, t.person_id, "
        "coalesce(t.user_start, t.start_date), coalesce(t.user_end, t.end_date) "
        "FROM trip t JOIN place pl ON pl.id = coalesce(t.user_place_id, t.place_id) "
        "WHERE t.dismissed = 0 AND coalesce(t.user_end, t.end_date) >= ?",
        (today.isoformat(),),
    ).fetchall()
    wanted = None if trip_ids is None else {int(t) for t in trip_ids}
    out = []
    for tid, pid, name, lat, lon, person, start, end in rows:
        if wanted is not None and int(tid) not in wanted:
            continue
        start_day, end_day = _day(start), _day(end)
        assert start_day is not None and end_day is not None
        out.append(
            _Trip(
                int(tid),
                int(pid),
                str(name),
                float(lat),
                float(lon),
                None if person is None else int(person),
                start_day,
                end_day,
            )
        )
    return out


def _links(trip_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """trip id -> (person id, event summary) the user linked to that trip's events."""
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for i in range(0, len(trip_ids), _CHUNK):
        chunk = trip_ids[i : i + _CHUNK]
        for tid, pid, summary in db_proxy.execute_sql(
            "SELECT e.trip_id, ep.person_id, e.summary FROM event_person ep "
            "JOIN event e ON e.id = ep.event_id "
            f"WHERE e.trip_id IN ({', '.join('?' * len(chunk))}) ORDER BY e.start_utc, e.id",
            chunk,
        ).fetchall():
            out[int(tid)].append((int(pid), str(summary)))
    return out


def _day_words(start: date, end: date) -> str:
    if start == end:
        return f"{start.day} {start:%b}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%b}"
    return f"{start.day} {start:%b} – {end.day} {end:%b}"


# (person id, score, reasons as JSON, km) of one flag
_Row = tuple[int, float, str, float | None]


def compute_flags(*, today: date, trip_ids: Iterable[int] | None = None) -> Changes:
    """Flag the people to see on each upcoming trip (or only ``trip_ids``); keeps user states."""
    with db_proxy.atomic():
        woke = _wake_snoozed(today)
        trips = _upcoming(today, trip_ids)
        if not trips:
            return Changes(trips=True) if woke else Changes()
        computer = _Computer(today, float(settings.get("reach_km")))
        links = _links([t.id for t in trips])
        computer.load(trips, links)
        wanted: dict[tuple[int, int], tuple[float, str, float | None]] = {}
        for trip in trips:
            for pid, score, reasons, km in computer.flags_of(trip, links.get(trip.id, ())):
                wanted[(trip.id, pid)] = (score, reasons, km)
        changed = _upsert(wanted, [t.id for t in trips])
    return Changes(trips=True) if changed or woke else Changes()


class _Computer:
    """Who is near each destination, and their flags; one computation per place."""

    def __init__(self, today: date, reach: float) -> None:
        self.today = today
        self.reach = reach
        self.near: dict[int, list[tuple[int, float]]] = {}
        self.by_place: dict[int, list[_Person]] = {}
        self.by_id: dict[int, _Person] = {}
        self.per_place: dict[int, list[_Row]] = {}

    def load(self, trips: list[_Trip], links: dict[int, list[tuple[int, str]]]) -> None:
        index = _PlaceIndex(
            (int(pid), float(lat), float(lon))
            for pid, lat, lon in db_proxy.execute_sql(
                "SELECT pl.id, pl.lat, pl.lon FROM place pl "
                "WHERE pl.id IN (SELECT place_id FROM person WHERE archived = 0)"
            ).fetchall()
        )
        for trip in trips:
            if trip.person_id is None and trip.place_id not in self.near:
                self.near[trip.place_id] = index.within(trip.lat, trip.lon, self.reach)
        params = _params(self.today)
        places = sorted({pid for found in self.near.values() for pid, _ in found})
        best = {place: _best_of_place(place, MAX_PER_TRIP, params) for place in places}
        wanted = {pid for ids in best.values() for pid in ids}
        wanted |= {pid for found in links.values() for pid, _ in found}
        wanted |= {t.person_id for t in trips if t.person_id is not None}
        self.by_id = _people(sorted(wanted), self.today, params)
        self.by_place = {
            place: [self.by_id[pid] for pid in ids if pid in self.by_id]
            for place, ids in best.items()
        }

    def around(self, trip: _Trip) -> list[_Row]:
        """The best MAX_PER_TRIP people within reach of a trip's destination."""
        found = self.per_place.get(trip.place_id)
        if found is not None:
            return found
        pool: list[tuple[float, int, _Person, float]] = []
        for place_id, km in self.near.get(trip.place_id, ()):
            bonus = NEAR_POINTS * (1.0 - km / self.reach) if self.reach > 0 else 0.0
            # Each place's best are enough to find the best overall.
            for p in self.by_place.get(place_id, ()):
                pool.append((p.base + bonus, -p.id, p, km))
        picked = heapq.nlargest(MAX_PER_TRIP, pool, key=lambda x: (x[0], x[1]))
        words: dict[float, str] = {}
        found = []
        for score, _, p, km in picked:
            where = words.get(km)
            if where is None:
                where = words[km] = json.dumps(_distance_words(km, trip.city), ensure_ascii=False)
            reasons = p.reasons_json(self.today)
            text = f"[{reasons}, {where}]" if reasons else f"[{where}]"
            found.append((p.id, float(round(min(100.0, score))), text, round(km, 1)))
        self.per_place[trip.place_id] = found
        return found

    def flags_of(self, trip: _Trip, links: Iterable[tuple[int, str]]) -> list[_Row]:
        extra: dict[int, tuple[float, str]] = {}
        if trip.person_id is not None:
            words = f"visiting {trip.city}, {_day_words(trip.start, trip.end)}"
            extra[trip.person_id] = (VISIT_POINTS, json.dumps(words, ensure_ascii=False))
        for pid, summary in links:
            if pid not in extra:
                words = f"linked to '{summary}': connect while you're there"
                extra[pid] = (LINKED_POINTS, json.dumps(words, ensure_ascii=False))
        nearby = self.around(trip) if trip.person_id is None else []
        if not extra:
            return nearby
        out: list[_Row] = []
        for pid, score, text, km in nearby:
            if pid in extra:
                bonus, words = extra.pop(pid)
                score = float(round(min(100.0, score + bonus)))
                text = f"[{words}, {text[1:]}"
            out.append((pid, score, text, km))
        for pid, (bonus, words) in extra.items():
            p = self.by_id.get(pid)
            if p is None:
                continue  # archived
            reasons = p.reasons_json(self.today)
            text = f"[{words}, {reasons}]" if reasons else f"[{words}]"
            out.append((pid, float(round(min(100.0, p.base + bonus))), text, None))
        return out


def _upsert(
    wanted: dict[tuple[int, int], tuple[float, str, float | None]], trip_ids: list[int]
) -> bool:
    existing: dict[tuple[int, int], tuple[int, str, float, str, float | None]] = {}
    for i in range(0, len(trip_ids), _CHUNK):
        chunk = trip_ids[i : i + _CHUNK]
        for fid, tid, pid, state, score, reasons, km in db_proxy.execute_sql(
            "SELECT id, trip_id, person_id, state, score, reasons, distance_km FROM flag "
            f"WHERE trip_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ).fetchall():
            existing[(tid, pid)] = (fid, state, score, reasons, km)
    inserts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    for key, value in wanted.items():
        old = existing.get(key)
        if old is None:
            inserts.append((*key, *value))
        elif (old[2], old[3], old[4]) != value:
            updates.append((*value, old[0]))
    # A flag the user never touched goes when the person is no longer near; the user's
    # own word (dismissed, invited, snoozed) is kept.
    stale = [old[0] for key, old in existing.items() if key not in wanted and old[1] == "new"]
    cursor = db_proxy.cursor()
    if inserts:
        cursor.executemany(
            "INSERT INTO flag (trip_id, person_id, score, reasons, distance_km, state) "
            "VALUES (?, ?, ?, ?, ?, 'new')",
            inserts,
        )
    if updates:
        cursor.executemany(
            "UPDATE flag SET score = ?, reasons = ?, distance_km = ? WHERE id = ?", updates
        )
    for i in range(0, len(stale), _CHUNK):
        chunk = stale[i : i + _CHUNK]
        db_proxy.execute_sql(f"DELETE FROM flag WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
    return bool(inserts or updates or stale)


def _wake_snoozed(today: date) -> bool:
    return bool(
        Flag.update(state="new", snooze_until=None)
        .where((Flag.state == "snoozed") & (Flag.snooze_until <= today))
        .execute()
    )


# ---- reading and the user's word ---------------------------------------------------------


def suggestions(
    *,
    start: date | None = None,
    trip_id: int | None = None,
    include_dismissed: bool = False,
    today: date,
) -> list[Suggestion]:
    """Flags of the trips ending on or after ``start`` (default ``today``), or of one trip.

    Trip by trip in date order, best first. Without ``include_dismissed`` only flags that
    are new or invited show (and trips the user dismissed do not); a snooze that has run
    out reads as new.
    """
    where = ["p.archived = 0"]
    params: list[Any] = []
    if trip_id is not None:
        where.append("f.trip_id = ?")
        params.append(trip_id)
    else:
        where.append("coalesce(t.user_end, t.end_date) >= ?")
        params.append((start or today).isoformat())
    if not include_dismissed:
        where.append("t.dismissed = 0")
        where.append(
            "(f.state IN ('new', 'invited') OR (f.state = 'snoozed' AND f.snooze_until <= ?))"
        )
        params.append(today.isoformat())
    rows = db_proxy.execute_sql(
        "SELECT f.id, f.trip_id, coalesce(pl.name, t.label), f.person_id, p.name, f.distance_km,"
        " f.score, f.reasons, f.state, f.snooze_until "
        "FROM flag f JOIN trip t ON t.id = f.trip_id JOIN person p ON p.id = f.person_id "
        "LEFT JOIN place pl ON pl.id = coalesce(t.user_place_id, t.place_id) "
        f"WHERE {' AND '.join(where)} "
        "ORDER BY coalesce(t.user_start, t.start_date), t.id, f.score DESC, p.name, p.id",
        params,
    ).fetchall()
    out = []
    for fid, tid, city, pid, name, km, score, reasons, state, snooze in rows:
        until = _day(snooze)
        if state == "snoozed" and until is not None and until <= today:
            state, until = "new", None
        try:
            words = tuple(str(r) for r in json.loads(reasons))
        except ValueError:
            words = ()
        out.append(
            Suggestion(
                flag_id=int(fid),
                trip_id=int(tid),
                city=str(city or ""),
                person_id=int(pid),
                person=str(name),
                distance_km=None if km is None else float(km),
                score=float(score),
                reasons=words,
                state=str(state),
                snooze_until=until,
            )
        )
    return out


def set_flag_state(flag_id: int, state: str, *, snooze_until: date | None = None) -> Changes:
    """Dismiss, snooze (until a date), mark invited, or bring a flag back (``new``)."""
    state = state.strip().lower()
    if state not in STATES:
        raise BadInput(f"a flag is {', '.join(STATES)}, not {state!r}")
    if state == "snoozed" and snooze_until is None:
        raise BadInput("snoozing needs a date to wake up on")
    until = snooze_until if state == "snoozed" else None
    if not Flag.update(state=state, snooze_until=until).where(Flag.id == flag_id).execute():
        raise NotFound(f"no flag with id {flag_id}")
    return Changes(trips=True)


def get_flag(flag_id: int) -> Flag:
    row = Flag.get_or_none(Flag.id == flag_id)
    if row is None:
        raise NotFound(f"no flag with id {flag_id}")
    return row


def snooze_days(flag_id: int, days: int, *, today: date) -> Changes:
    return set_flag_state(flag_id, "snoozed", snooze_until=today + timedelta(days=days))


def link_people(event_id: int, person_ids: Iterable[int], *, today: date) -> Changes:
    """Link people to an event ("connect while you're there"): they are flagged on its trip."""
    from rapport.store.models import Event, EventPerson

    if Event.get_or_none(Event.id == event_id) is None:
        raise NotFound(f"no event with id {event_id}")
    ids = list(dict.fromkeys(int(p) for p in person_ids))
    with db_proxy.atomic():
        for pid in ids:
            EventPerson.insert(event=event_id, person=pid).on_conflict_ignore().execute()
        changes = compute_flags(today=today)
    return changes | Changes(trips=True, calendar=True)


def unlink_people(event_id: int, person_ids: Iterable[int], *, today: date) -> Changes:
    from rapport.store.models import EventPerson

    ids = [int(p) for p in person_ids]
    with db_proxy.atomic():
        EventPerson.delete().where(
            (EventPerson.event == event_id) & (EventPerson.person.in_(ids))
        ).execute()
        changes = compute_flags(today=today)
    return changes | Changes(trips=True, calendar=True)
