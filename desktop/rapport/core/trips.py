"""Trips: the events of one journey merged into one stay at one destination, in local days.

How events become trips (``rebuild``, run after every import):

- Each travel event says where the user is and when. A stay (trip marker, hotel, conference)
  covers its span at its place; a hotel's separate check-in and check-out events are paired
  into one stay. A flight or train is an *arrival* at its destination (it can start a trip)
  and a *departure* from its origin (it can only extend a trip already there: the return
  flight marks the last day). An arrival followed within hours by a departure onward to
  somewhere else is a change of planes, not a stay; going back the same day is a day trip.
- Places within ``MERGE_KM`` of each other are one destination (Boston and Cambridge). Places
  within ``reach_km`` of the home city (the setting, else a guess from the calendar) are home:
  never a trip, but being there separates two trips.
- Per destination, in time order, presences join while they overlap, or while the gap is
  under ``MAX_GAP`` and the user was seen nowhere else in between. Journeys through several
  cities become consecutive trips.
- The first and last day are local dates at the destination: instants are converted in the
  destination's time zone (an arrival in Auckland after crossing the date line is the next
  local day there; an overnight flight arrives the next morning).

How corrections survive re-import: a trip row is kept and matched to its new grouping by
the events it holds (an event keeps its row, and so its id, across re-imports since its
identity is (source, UID, RECURRENCE-ID)), or failing that by place and dates. The user's
place, dates, dismissal and note live on that row, so they stay. Merging and splitting
pin events to a trip (``Event.pinned_trip``): a pinned event goes to its trip whatever the
grouping says, and new events at the same place and time join it. Visits (a contact coming
to the user's city) and trips the user made are never touched by the grouping.
"""

from __future__ import annotations

import uuid
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from rapport.core import clock, gazetteer
from rapport.core.calendar.zones import zone_or_utc
from rapport.core.changes import Changes
from rapport.core.errors import BadInput, NotFound
from rapport.core.places import place_row
from rapport.store import settings
from rapport.store.models import Event, Meeting, Person, Trip, db_proxy

TRAVEL_KINDS = ("flight", "train", "hotel", "trip", "conference")
MERGE_KM = 50.0  # two places this close are one destination
MAX_GAP = timedelta(days=14)  # longer without news from a place: a new trip
CONNECTION = timedelta(hours=8)  # arriving and leaving onward this fast: a change of planes
HOTEL_PAIR = timedelta(days=60)  # a check-out this long after its check-in is not its pair
STRENGTH = {"trip": 4, "hotel": 3, "conference": 2, "arrival": 1, "departure": 0}
HOME = "home"
_CHUNK = 500
_CHECK_IN = ("check-in", "check in", "checkin", "einchecken")
_CHECK_OUT = ("check-out", "check out", "checkout", "auschecken")
_STRIP = " \t:-–—,;|"


@dataclass(frozen=True)
class TripView:
    id: int
    city: str
    region: str
    country: str
    lat: float | None
    lon: float | None
    timezone: str
    start: date  # local dates at the destination, inclusive
    end: date
    event_ids: tuple[int, ...]
    summaries: tuple[str, ...]
    dismissed: bool
    corrected: bool
    person_id: int | None  # a contact's visit to the user's city
    flags: int  # people flagged (state new or invited)

    def as_json(self) -> dict[str, Any]:
        """The ``rapport trips --json`` shape; ``events`` lists the trip's events."""
        return {
            "id": self.id,
            "city": self.city,
            "country": self.country,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "lat": self.lat,
            "lon": self.lon,
            "events": [
                {"id": eid, "summary": summary}
                for eid, summary in zip(self.event_ids, self.summaries, strict=True)
            ],
        }


@dataclass
class RebuildResult:
    changes: Changes
    touched: int  # trips created or changed


# ---- home ---------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def resolve_city(text: str) -> gazetteer.GazPlace | None:
    return gazetteer.resolve(text)


def home_place() -> gazetteer.GazPlace | None:
    """The home city the user set, resolved; None when unset."""
    text = str(settings.get("home_city") or "").strip()
    return resolve_city(text) if text else None


def home_zone() -> str:
    """The IANA zone of the home city ("UTC" when unset): floating times are read in it."""
    place = home_place()
    return place.timezone if place is not None and place.timezone else "UTC"


def _guessed_home_place_id() -> int | None:
    # Journeys start and end at home: the most frequent origin, the first one on a tie.
    row = db_proxy.execute_sql(
        "SELECT origin_place_id, count(*) AS n, min(start_utc) AS first FROM event "
        "WHERE kind IN ('flight', 'train') AND origin_place_id IS NOT NULL "
        "GROUP BY origin_place_id ORDER BY n DESC, first ASC LIMIT 1"
    ).fetchone()
    return None if row is None else int(row[0])


def guess_home_city() -> str | None:
    """A guess at the user's home city from the calendar: where their journeys start."""
    pid = _guessed_home_place_id()
    if pid is None:
        return None
    row = db_proxy.execute_sql(
        "SELECT name, region, country FROM place WHERE id = ?", (pid,)
    ).fetchone()
    name, region, country = (str(v or "") for v in row)
    if region and country in gazetteer.REGION_IN_LABEL:
        return f"{name}, {region}, {country}"
    return f"{name}, {country}" if country else name


def _home_point() -> tuple[float, float] | None:
    place = home_place()
    if place is not None:
        return place.point
    pid = _guessed_home_place_id()
    if pid is None:
        return None
    row = db_proxy.execute_sql("SELECT lat, lon FROM place WHERE id = ?", (pid,)).fetchone()
    return (float(row[0]), float(row[1]))


def reach_km() -> float:
    return float(settings.get("reach_km"))


# ---- presences: where each event puts the user, and when -------------------------------


@dataclass(slots=True)
class _Place:
    lat: float
    lon: float
    zone: str


@dataclass(slots=True)
class _Presence:
    event_ids: tuple[int, ...]
    role: str  # trip | hotel | conference | arrival | departure
    place_id: int | None
    group: str
    zone: ZoneInfo
    begin: datetime  # aware UTC
    end: datetime
    days: tuple[date, date] | None  # an all-day event's own local dates
    creates: bool  # can start a trip (a departure only extends one)
    label: str
    pinned: int | None
    via: str = ""  # a move's other end: where an arrival came from, where a departure goes


@dataclass
class _Cluster:
    members: list[_Presence]
    begin: datetime
    end: datetime
    groups: set[str]
    pinned: int | None = None

    def add(self, p: _Presence) -> None:
        self.members.append(p)
        self.begin = min(self.begin, p.begin)
        self.end = max(self.end, p.end)
        self.groups.add(p.group)


def _as_utc(text: Any) -> datetime | None:
    if text is None or text == "":
        return None
    moment = text if isinstance(text, datetime) else datetime.fromisoformat(str(text))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


class _Builder:
    """Turns the travel events in the journal into clusters, one per trip."""

    def __init__(self, home: tuple[float, float] | None, reach: float) -> None:
        self.home = home
        self.reach = reach
        self.places: dict[int, _Place] = {}
        self.groups: dict[int, str] = {}
        self.presences: list[_Presence] = []
        self.event_trip: dict[int, int | None] = {}  # event id -> its trip now
        self.summaries: dict[int, str] = {}

    # -- reading

    def load(self) -> None:
        kinds = ", ".join(f"'{k}'" for k in TRAVEL_KINDS)
        rows = db_proxy.execute_sql(
            "SELECT id, kind, place_id, origin_place_id, place_text, start_utc, end_utc, all_day,"
            " start_date, end_date, summary, trip_id, pinned_trip_id, tzid"
            f" FROM event WHERE kind IN ({kinds})"
        ).fetchall()
        wanted = {r[2] for r in rows if r[2] is not None} | {r[3] for r in rows if r[3]}
        self._load_places(sorted(wanted))
        self._group_places()
        for row in rows:
            self._add_event(row)
        self._pair_hotels()
        self._mark_connections()

    def _load_places(self, ids: list[int]) -> None:
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            for pid, lat, lon, zone in db_proxy.execute_sql(
                f"SELECT id, lat, lon, timezone FROM place WHERE id IN ({marks})",
                chunk,
            ).fetchall():
                self.places[int(pid)] = _Place(float(lat), float(lon), str(zone or ""))

    def _group_places(self) -> None:
        """Home for places within reach of home; the others joined when within MERGE_KM."""
        parent: dict[int, int] = {}

        def root(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        away: list[int] = []
        for pid, place in self.places.items():
            point = (place.lat, place.lon)
            if self.home is not None and gazetteer.distance_km(self.home, point) <= self.reach:
                self.groups[pid] = HOME
            else:
                parent[pid] = pid
                away.append(pid)
        # Sorted by latitude, so only places within MERGE_KM north-south are compared.
        away.sort(key=lambda p: self.places[p].lat)
        span = MERGE_KM / gazetteer.KM_PER_DEGREE
        for i, a in enumerate(away):
            pa = self.places[a]
            for b in away[i + 1 :]:
                pb = self.places[b]
                if pb.lat - pa.lat > span:
                    break
                if gazetteer.distance_km((pa.lat, pa.lon), (pb.lat, pb.lon)) <= MERGE_KM:
                    parent[root(a)] = root(b)
        for pid in away:
            self.groups[pid] = f"p{root(pid)}"

    def _zone_of(self, place_id: int | None, fallback: str) -> ZoneInfo:
        place = self.places.get(place_id) if place_id is not None else None
        return zone_or_utc(place.zone if place is not None and place.zone else fallback)

    def _add_event(self, row: Sequence[Any]) -> None:
        (eid, kind, place_id, origin_id, text, start_utc, end_utc, all_day, start_date, end_date,
         summary, trip_id, pinned, tzid) = row  # fmt: skip
        eid = int(eid)
        self.event_trip[eid] = None if trip_id is None else int(trip_id)
        self.summaries[eid] = str(summary or "")
        pin = None if pinned is None else int(pinned)
        begin, end = _as_utc(start_utc), _as_utc(end_utc)
        first, last = _as_date(start_date), _as_date(end_date)
        label = str(text or "")
        if kind in ("flight", "train"):
            self._add_move(eid, place_id, origin_id, begin, end, first, label, pin, str(tzid or ""))
            return
        if place_id is not None:
            group = self.groups[int(place_id)]
        elif kind == "trip" and label.strip():
            group = "t:" + _normal(label)  # a trip marker the gazetteer could not place
        else:
            return
        zone = self._zone_of(place_id, str(tzid or ""))
        if bool(all_day) and first is not None:
            last = last or first
            begin, end, days = (
                _midnight(first, zone),
                _midnight(last + timedelta(1), zone),
                (
                    first,
                    last,
                ),
            )
        elif begin is not None:
            end, days = (end if end is not None and end >= begin else begin), None
        else:
            return
        self.presences.append(
            _Presence(
                (eid,),
                str(kind),
                None if place_id is None else int(place_id),
                group,
                zone,
                begin,
                end,
                days,
                True,
                label or self.summaries[eid],
                pin,
            )
        )

    def _add_move(
        self,
        eid: int,
        place_id: int | None,
        origin_id: int | None,
        begin: datetime | None,
        end: datetime | None,
        first: date | None,
        label: str,
        pin: int | None,
        tzid: str,
    ) -> None:
        ends = {"arrival": (place_id, origin_id), "departure": (origin_id, place_id)}
        for role, (pid, other) in ends.items():
            if pid is None:
                continue
            zone = self._zone_of(int(pid), tzid)
            days: tuple[date, date] | None = None
            if begin is None:
                if first is None:
                    return
                moment = _midnight(first, zone)
                days = (first, first)
            elif role == "arrival":
                moment = end if end is not None and end >= begin else begin
            else:
                moment = begin
            self.presences.append(
                _Presence(
                    (eid,),
                    role,
                    int(pid),
                    self.groups[int(pid)],
                    zone,
                    moment,
                    moment,
                    days,
                    role == "arrival",
                    label,
                    pin,
                    self.groups[int(other)] if other is not None else "",
                )
            )

    def _pair_hotels(self) -> None:
        """A hotel's check-in and check-out events become one stay between them."""
        ins: list[tuple[_Presence, str]] = []
        outs: dict[tuple[int | None, str], list[_Presence]] = defaultdict(list)
        for p in self.presences:
            if p.role != "hotel" or p.days is not None:
                continue
            summary = _normal(self.summaries[p.event_ids[0]])
            for prefixes, found in ((_CHECK_IN, "in"), (_CHECK_OUT, "out")):
                prefix = next((x for x in prefixes if summary.startswith(x)), None)
                if prefix is None:
                    continue
                name = summary[len(prefix) :].strip(_STRIP)
                if found == "in":
                    ins.append((p, name))
                else:
                    outs[(p.place_id, name)].append(p)
        used: set[int] = set()
        for p, name in sorted(ins, key=lambda pn: pn[0].begin):
            for q in sorted(outs.get((p.place_id, name), ()), key=lambda x: x.begin):
                if id(q) in used or q.pinned != p.pinned:
                    continue
                if p.begin <= q.begin <= p.begin + HOTEL_PAIR:
                    used.add(id(q))
                    p.event_ids = p.event_ids + q.event_ids
                    p.end = max(p.end, q.end)
                    break
        if used:
            self.presences = [p for p in self.presences if id(p) not in used]

    def _mark_connections(self) -> None:
        """An arrival soon followed by a departure onward (not back) is a change of planes."""
        departures: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
        for p in self.presences:
            if p.role == "departure":
                departures[p.group].append((p.begin, p.via))
        for moves in departures.values():
            moves.sort()
        for p in self.presences:
            if p.role != "arrival" or p.group == HOME:
                continue
            moves = departures.get(p.group, [])
            i = bisect_left(moves, (p.begin, ""))
            while i < len(moves) and moves[i][0] - p.begin <= CONNECTION:
                if moves[i][1] != p.via or not p.via:
                    p.creates = False
                    break
                i += 1

    # -- grouping

    def clusters(self) -> list[_Cluster]:
        timeline = sorted(self.presences, key=lambda p: p.begin)
        begins = [p.begin for p in timeline]
        longest = max((p.end - p.begin for p in timeline), default=timedelta(0))

        def elsewhere(a: datetime, b: datetime, group: str) -> bool:
            """Was the user seen away from ``group`` between instants a and b?"""
            for i in range(bisect_left(begins, a - longest), bisect_left(begins, b)):
                q = timeline[i]
                if q.group != group and q.end > a and q.begin < b:
                    return True
            return False

        pinned: dict[int, _Cluster] = {}
        by_group: dict[str, list[_Presence]] = defaultdict(list)
        for p in timeline:
            if p.pinned is not None:
                c = pinned.get(p.pinned)
                if c is None:
                    pinned[p.pinned] = _Cluster([p], p.begin, p.end, {p.group}, p.pinned)
                else:
                    c.add(p)
            elif p.group != HOME:
                by_group[p.group].append(p)
        free: list[_Cluster] = []
        for group, items in by_group.items():
            current: _Cluster | None = None
            for p in items:
                if current is not None and (
                    p.begin <= current.end
                    or (
                        p.begin - current.end <= MAX_GAP
                        and not elsewhere(current.end, p.begin, group)
                    )
                ):
                    current.add(p)
                elif p.creates:
                    current = _Cluster([p], p.begin, p.end, {group})
                    free.append(current)
        out = list(pinned.values())
        day = timedelta(days=1)
        for c in free:
            best: _Cluster | None = None
            best_overlap = -day
            for pc in pinned.values():
                if not (c.groups & pc.groups):
                    continue
                overlap = min(c.end, pc.end) - max(c.begin, pc.begin)
                if overlap >= best_overlap:
                    best, best_overlap = pc, overlap
            if best is not None:
                for p in c.members:
                    best.add(p)
            else:
                out.append(c)
        return out


def _main(c: _Cluster) -> _Presence:
    return max(
        c.members, key=lambda p: (STRENGTH.get(p.role, 0), p.end - p.begin, -p.begin.timestamp())
    )


def _days(c: _Cluster, zone: ZoneInfo) -> tuple[date, date]:
    first: date | None = None
    last: date | None = None
    for p in c.members:
        if p.days is not None:
            d0, d1 = p.days
        else:
            d0 = _local_day(p.begin, zone)
            # An event ending at local midnight does not take the next day.
            tail = p.end - timedelta(microseconds=1) if p.end > p.begin else p.end
            d1 = _local_day(tail, zone)
        first = d0 if first is None or d0 < first else first
        last = d1 if last is None or d1 > last else last
    assert first is not None and last is not None
    return first, max(first, last)


# ---- rebuilding ---------------------------------------------------------------------------


@dataclass
class _Old:
    id: int
    place_id: int | None
    start: date
    end: date
    label: str
    manual: bool
    eff_place: int | None
    eff_start: date
    eff_end: date


@dataclass
class _Planned:
    cluster: _Cluster
    place_id: int | None
    label: str
    start: date
    end: date
    events: list[int] = field(default_factory=list)
    trip_id: int | None = None


def rebuild(*, today: date) -> RebuildResult:
    """Group the journal's travel events into trips again, then recompute the flags."""
    from rapport.core import flags  # flags reads trips; trips asks flags to follow

    builder = _Builder(_home_point(), reach_km())
    builder.load()
    clusters = builder.clusters()
    planned = [_plan(c) for c in clusters]
    # Each event goes to the trip its arrival or stay is in, else the one it leaves.
    owner: dict[int, tuple[int, int]] = {}
    for n, plan in enumerate(planned):
        for p in plan.cluster.members:
            rank = 0 if p.role == "departure" else 1
            for eid in p.event_ids:
                if eid not in owner or owner[eid][0] < rank:
                    owner[eid] = (rank, n)
    for eid, (_, n) in owner.items():
        planned[n].events.append(eid)
    olds = _old_trips()
    _match(planned, olds, builder.event_trip)
    touched = _write(planned, olds, builder.event_trip)
    changes = Changes(trips=True, calendar=True) if touched else Changes()
    changes = changes | flags.compute_flags(today=today)
    return RebuildResult(changes, touched)


def rebuild_trips(*, today: date) -> Changes:
    """Rebuild trips and flags (after an import, or a change of home city or reach)."""
    with db_proxy.atomic():
        return rebuild(today=today).changes | Changes(trips=True)


def _plan(c: _Cluster) -> _Planned:
    main = _main(c)
    zone = main.zone
    start, end = _days(c, zone)
    return _Planned(c, main.place_id, main.label if main.place_id is None else "", start, end)


def _old_trips() -> dict[int, _Old]:
    rows = db_proxy.execute_sql(
        "SELECT id, place_id, start_date, end_date, label, manual, "
        "coalesce(user_place_id, place_id), coalesce(user_start, start_date), "
        "coalesce(user_end, end_date) FROM trip WHERE person_id IS NULL"
    ).fetchall()
    out = {}
    for tid, pid, s, e, label, manual, eff_pid, eff_s, eff_e in rows:
        out[int(tid)] = _Old(
            int(tid),
            None if pid is None else int(pid),
            _as_date(s) or date.min,
            _as_date(e) or date.min,
            str(label or ""),
            bool(manual),
            None if eff_pid is None else int(eff_pid),
            _as_date(eff_s) or date.min,
            _as_date(eff_e) or date.min,
        )
    return out


def _match(
    planned: list[_Planned], olds: dict[int, _Old], event_trip: dict[int, int | None]
) -> None:
    """Give each planned trip the row it continues, if any."""
    claimed: set[int] = set()
    for plan in planned:
        if plan.cluster.pinned is not None and plan.cluster.pinned in olds:
            plan.trip_id = plan.cluster.pinned
            claimed.add(plan.trip_id)
    votes: list[tuple[int, int, int]] = []
    for n, plan in enumerate(planned):
        if plan.trip_id is not None:
            continue
        counted = Counter(
            tid for eid in plan.events if (tid := event_trip.get(eid)) is not None and tid in olds
        )
        votes += [(count, n, tid) for tid, count in counted.items()]
    for _count, n, tid in sorted(votes, key=lambda v: (-v[0], v[1], v[2])):
        if planned[n].trip_id is None and tid not in claimed:
            planned[n].trip_id = tid
            claimed.add(tid)
    # A journey whose events all changed identity (a feed that renews its UIDs) still
    # finds its row, and the corrections on it, by place and dates.
    for plan in planned:
        if plan.trip_id is not None or plan.place_id is None:
            continue
        for old in olds.values():
            if old.id in claimed or old.manual or old.place_id is None:
                continue
            if old.place_id == plan.place_id and old.start <= plan.end and plan.start <= old.end:
                plan.trip_id = old.id
                claimed.add(old.id)
                break


def _write(
    planned: list[_Planned], olds: dict[int, _Old], event_trip: dict[int, int | None]
) -> int:
    """Store the planned trips and their events; returns how many trips changed."""
    touched: set[int] = set()
    fresh = [plan for plan in planned if plan.trip_id is None]
    if fresh:
        # Ids given here (inside the import's write transaction) so that thousands of new
        # trips go in with one executemany.
        row = db_proxy.execute_sql("SELECT coalesce(max(id), 0) FROM trip").fetchone()
        first = int(row[0]) + 1
        for n, plan in enumerate(fresh):
            plan.trip_id = first + n
        db_proxy.cursor().executemany(
            "INSERT INTO trip (id, place_id, start_date, end_date, key, label, dismissed, "
            "manual, note) VALUES (?, ?, ?, ?, ?, ?, 0, 0, '')",
            [
                (p.trip_id, p.place_id, p.start.isoformat(), p.end.isoformat(),
                 uuid.uuid4().hex, p.label)
                for p in fresh
            ],
        )  # fmt: skip
        touched.update(p.trip_id for p in fresh if p.trip_id is not None)
    changed = []
    for plan in planned:
        assert plan.trip_id is not None
        old = olds.get(plan.trip_id)
        if old is None:
            continue
        if (old.place_id, old.start, old.end, old.label) != (
            plan.place_id, plan.start, plan.end, plan.label
        ):  # fmt: skip
            changed.append(
                (plan.place_id, plan.start.isoformat(), plan.end.isoformat(), plan.label,
                 plan.trip_id)
            )  # fmt: skip
            touched.add(plan.trip_id)
    if changed:
        db_proxy.cursor().executemany(
            "UPDATE trip SET place_id = ?, start_date = ?, end_date = ?, label = ? WHERE id = ?",
            changed,
        )
    wanted: dict[int, int] = {}
    for plan in planned:
        assert plan.trip_id is not None
        for eid in plan.events:
            wanted[eid] = plan.trip_id
    moves = [(wanted.get(eid), eid) for eid, now in event_trip.items() if wanted.get(eid) != now]
    if moves:
        db_proxy.cursor().executemany("UPDATE event SET trip_id = ? WHERE id = ?", moves)
    keep = {plan.trip_id for plan in planned}
    for target, eid in moves:
        for tid in (target, event_trip.get(eid)):
            if tid is not None and tid in keep:
                touched.add(tid)
    kinds = ", ".join(f"'{k}'" for k in TRAVEL_KINDS)
    db_proxy.execute_sql(
        f"UPDATE event SET trip_id = NULL WHERE trip_id IS NOT NULL AND kind NOT IN ({kinds})"
    )
    gone = [tid for tid, old in olds.items() if tid not in keep and not old.manual]
    for i in range(0, len(gone), _CHUNK):
        chunk = gone[i : i + _CHUNK]
        db_proxy.execute_sql(f"DELETE FROM trip WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
    return len(touched) + len(gone)


# ---- reading ------------------------------------------------------------------------------


def list_trips(
    start: date | None = None, end: date | None = None, *, include_dismissed: bool = False
) -> list[TripView]:
    """Trips whose days touch [start, end] (either bound open), in date order."""
    where = ["1 = 1"]
    params: list[Any] = []
    if start is not None:
        where.append("coalesce(t.user_end, t.end_date) >= ?")
        params.append(start.isoformat())
    if end is not None:
        where.append("coalesce(t.user_start, t.start_date) <= ?")
        params.append(end.isoformat())
    if not include_dismissed:
        where.append("t.dismissed = 0")
    return _views(" AND ".join(where), params)


def get_trip(trip_id: int) -> TripView:
    found = _views("t.id = ?", [trip_id])
    if not found:
        raise NotFound(f"no trip with id {trip_id}")
    return found[0]


def _views(where: str, params: list[Any]) -> list[TripView]:
    rows = db_proxy.execute_sql(
        "SELECT t.id, coalesce(t.user_start, t.start_date), coalesce(t.user_end, t.end_date), "
        "t.dismissed, t.person_id, t.label, "
        "(t.user_place_id IS NOT NULL OR t.user_start IS NOT NULL OR t.user_end IS NOT NULL), "
        "pl.name, pl.region, pl.country, pl.lat, pl.lon, pl.timezone "
        "FROM trip t LEFT JOIN place pl ON pl.id = coalesce(t.user_place_id, t.place_id) "
        f"WHERE {where} ORDER BY coalesce(t.user_start, t.start_date), t.id",
        params,
    ).fetchall()
    ids = [int(r[0]) for r in rows]
    events: dict[int, list[tuple[int, str]]] = defaultdict(list)
    counts: dict[int, int] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        for eid, tid, summary in db_proxy.execute_sql(
            f"SELECT id, trip_id, summary FROM event WHERE trip_id IN ({marks}) "
            "ORDER BY coalesce(start_utc, start_date), id",
            chunk,
        ).fetchall():
            events[int(tid)].append((int(eid), str(summary)))
        for tid, n in db_proxy.execute_sql(
            f"SELECT trip_id, count(*) FROM flag WHERE trip_id IN ({marks}) "
            "AND state IN ('new', 'invited') GROUP BY trip_id",
            chunk,
        ).fetchall():
            counts[int(tid)] = int(n)
    out = []
    for (
        tid,
        s,
        e,
        dismissed,
        person,
        label,
        corrected,
        name,
        region,
        country,
        lat,
        lon,
        zone,
    ) in rows:
        tid = int(tid)
        found = events.get(tid, [])
        out.append(
            TripView(
                id=tid,
                city=str(name) if name is not None else str(label or ""),
                region=str(region or ""),
                country=str(country or ""),
                lat=None if lat is None else float(lat),
                lon=None if lon is None else float(lon),
                timezone=str(zone or ""),
                start=_as_date(s) or date.min,
                end=_as_date(e) or date.min,
                event_ids=tuple(eid for eid, _ in found),
                summaries=tuple(summary for _, summary in found),
                dismissed=bool(dismissed),
                corrected=bool(corrected),
                person_id=None if person is None else int(person),
                flags=counts.get(tid, 0),
            )
        )
    return out


# ---- the user's corrections ---------------------------------------------------------------


def _trip(trip_id: int) -> Trip:
    row = Trip.get_or_none(Trip.id == trip_id)
    if row is None:
        raise NotFound(f"no trip with id {trip_id}")
    return row


def _effective(row: Trip) -> tuple[date, date]:
    start = _as_date(row.user_start) or _as_date(row.start_date)
    end = _as_date(row.user_end) or _as_date(row.end_date)
    assert start is not None and end is not None
    return start, end


def place_for_text(text: str) -> int:
    """The Place row for a city the user typed; BadInput if the gazetteer knows no such place."""
    found = resolve_city(text.strip()) if text.strip() else None
    if found is None:
        raise BadInput(f"no place called {text.strip()!r} (try 'City, Country')")
    return place_row(found)


def _follow(today: date | None) -> Changes:
    from rapport.core import flags

    return flags.compute_flags(today=today or clock.today()) | Changes(trips=True)


def correct_trip(
    trip_id: int,
    *,
    place: str | None = None,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> Changes:
    """Set a trip's place or first/last day by hand; the correction survives re-import."""
    with db_proxy.atomic():
        row = _trip(trip_id)
        if place is not None:
            row.user_place_id = place_for_text(place)
        if start is not None:
            row.user_start = start
        if end is not None:
            row.user_end = end
        first, last = _effective(row)
        if first > last:
            raise BadInput(f"a trip cannot end ({last}) before it starts ({first})")
        row.save()
        return _follow(today)


def reset_trip(trip_id: int, *, today: date | None = None) -> Changes:
    """Forget the user's place and date corrections on a trip."""
    with db_proxy.atomic():
        _trip(trip_id)
        Trip.update(user_place=None, user_start=None, user_end=None).where(
            Trip.id == trip_id
        ).execute()
        return _follow(today)


def dismiss_trip(trip_id: int, dismissed: bool = True) -> Changes:
    """Hide a trip (and its flags); it stays hidden when the calendar is imported again."""
    if not Trip.update(dismissed=dismissed).where(Trip.id == trip_id).execute():
        raise NotFound(f"no trip with id {trip_id}")
    return Changes(trips=True)


def merge_trips(trip_ids: list[int], *, today: date | None = None) -> Changes:
    """Make one trip of several (the earliest keeps its corrections); survives re-import."""
    ids = list(dict.fromkeys(int(t) for t in trip_ids))
    if len(ids) < 2:
        raise BadInput("merging needs two trips or more")
    with db_proxy.atomic():
        rows = [_trip(t) for t in ids]
        if any(r.person_id is not None for r in rows):
            raise BadInput("a contact's visit cannot be merged with a trip")
        rows.sort(key=lambda r: (_effective(r)[0], int(r.id)))
        target, others = rows[0], rows[1:]
        spans = [_effective(r) for r in rows]
        if any(r.user_start or r.user_end for r in rows):
            target.user_start = min(s for s, _ in spans)
            target.user_end = max(e for _, e in spans)
        target.save()
        tid = int(target.id)
        other_ids = [int(r.id) for r in others]
        marks = ", ".join("?" * (len(other_ids) + 1))
        db_proxy.execute_sql(
            f"UPDATE event SET pinned_trip_id = ?, trip_id = ? WHERE trip_id IN ({marks}) "
            f"OR pinned_trip_id IN ({marks})",
            [tid, tid, tid, *other_ids, tid, *other_ids],
        )
        Meeting.update(trip=tid).where(Meeting.trip.in_(other_ids)).execute()
        # The user's word on a person (dismissed, invited, snoozed) moves with them.
        db_proxy.execute_sql(
            f"UPDATE OR IGNORE flag SET trip_id = ? WHERE state != 'new' "
            f"AND trip_id IN ({', '.join('?' * len(other_ids))})",
            [tid, *other_ids],
        )
        Trip.delete().where(Trip.id.in_(other_ids)).execute()
        result = rebuild(today=today or clock.today())
    return result.changes | Changes(trips=True, meetings=True)


def split_trip(trip_id: int, first_day_of_second: date, *, today: date | None = None) -> Changes:
    """Cut a trip in two before ``first_day_of_second``; survives re-import."""
    return split_off(trip_id, first_day_of_second, today=today)[1]


def split_off(
    trip_id: int, first_day_of_second: date, *, today: date | None = None
) -> tuple[int, Changes]:
    """``split_trip``, returning the new (second) trip's id too."""
    day = first_day_of_second
    with db_proxy.atomic():
        row = _trip(trip_id)
        if row.person_id is not None:
            raise BadInput("a contact's visit cannot be split; change its dates instead")
        first, last = _effective(row)
        if not first < day <= last:
            raise BadInput(f"split on a day after {first} and no later than {last}")
        zone = zone_or_utc(_trip_zone(row))
        before: list[int] = []
        after: list[int] = []
        for event in Event.select().where(Event.trip == row.id):
            (after if _event_day(event, row, zone) >= day else before).append(int(event.id))
        second = int(
            Trip.insert(
                place=row.place_id,
                user_place=row.user_place_id,
                start_date=day,
                end_date=last,
                user_start=day,
                user_end=last,
                key=uuid.uuid4().hex,
                label=row.label,
                manual=not after,  # nothing to hold it: kept as the user made it
                note=row.note,
            ).execute()
        )
        Trip.update(user_start=first, user_end=day - timedelta(days=1)).where(
            Trip.id == row.id
        ).execute()
        _pin(before, int(row.id))
        _pin(after, second)
        result = rebuild(today=today or clock.today())
    return second, result.changes | Changes(trips=True)


def _trip_zone(row: Trip) -> str:
    pid = row.user_place_id or row.place_id
    if pid is None:
        return "UTC"
    found = db_proxy.execute_sql("SELECT timezone FROM place WHERE id = ?", (pid,)).fetchone()
    return str(found[0] or "UTC") if found else "UTC"


def _event_day(event: Event, trip: Trip, zone: ZoneInfo) -> date:
    """The local day an event belongs to in the trip: an arrival's day, else its start."""
    if event.all_day or event.start_utc is None:
        return _as_date(event.start_date) or date.min
    moment = _as_utc(event.start_utc)
    if event.kind in ("flight", "train") and event.place_id in (trip.place_id, trip.user_place_id):
        moment = _as_utc(event.end_utc) or moment
    assert moment is not None
    return _local_day(moment, zone)


def _pin(event_ids: Iterable[int], trip_id: int) -> None:
    ids = list(event_ids)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        db_proxy.execute_sql(
            f"UPDATE event SET pinned_trip_id = ?, trip_id = ? "
            f"WHERE id IN ({', '.join('?' * len(chunk))})",
            [trip_id, trip_id, *chunk],
        )


def add_visit(
    person_id: int,
    start: date,
    end: date,
    city: str | None = None,
    *,
    today: date | None = None,
) -> tuple[int, Changes]:
    """Record that a contact comes to the user's city (or ``city``); they get flagged."""
    if start > end:
        raise BadInput(f"a visit cannot end ({end}) before it starts ({start})")
    with db_proxy.atomic():
        if Person.get_or_none(Person.id == person_id) is None:
            raise NotFound(f"no person with id {person_id}")
        if city and city.strip():
            place_id = place_for_text(city)
        else:
            home = home_place()
            if home is None:
                raise BadInput("say which city the visit is to, or set your home city first")
            place_id = place_row(home)
        trip_id = int(
            Trip.insert(
                person=person_id,
                place=place_id,
                start_date=start,
                end_date=end,
                key=f"visit-{uuid.uuid4().hex}",
                label=(city or "").strip(),
                manual=True,
            ).execute()
        )
        changes = _follow(today)
    return trip_id, changes | Changes(people={person_id})


def remove_trip(trip_id: int, *, today: date | None = None) -> Changes:
    """Delete a visit or a trip the user made (trips from events are dismissed instead)."""
    with db_proxy.atomic():
        row = _trip(trip_id)
        if row.person_id is None and not row.manual:
            raise BadInput("a trip from your calendar cannot be deleted; dismiss it instead")
        Event.update(pinned_trip=None).where(Event.pinned_trip == trip_id).execute()
        row.delete_instance()
        return _follow(today)
