"""What the contacts tree shows: people grouped by goal, circle, city or organisation.

Built to stay fast at 100k people. Nothing here makes a peewee model instance per person:
rows come from SQLite as tuples into parallel lists indexed by a *position* (a ``Roster``).
Loading happens in two steps. ``load_overview`` answers from indexes and small tables in
a few tens of milliseconds: the group headers with their counts, and the people on goals
(the people plan is what the user sees first). ``load_roster`` then reads everyone,
with a folded search haystack per person, on a background thread; ``ContactsTree`` over
that roster filters as you type: one- and two-letter words are answered from byte masks
made at load (no search), longer ones narrow the previous matches when the query only
grew, a backspace finds the shorter query among the last few, and groups are counted with
``Counter`` from whichever side (kept or dropped) is smaller. Later changes arrive as a
small ``RosterPatch`` for the people an operation touched, never a reload of everyone.
"""

from __future__ import annotations

import bisect
import operator
import re
import sys
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, compress, repeat
from typing import Any

from rapport.core.changes import Changes
from rapport.core.names import fold
from rapport.store.models import db_proxy

GROUPINGS = ("goal", "circle", "city", "organization")
CATCH_ALL = {
    "goal": "Not on a goal",
    "circle": "In no circle",
    "city": "No city",
    "organization": "No organisation",
}
# Above this many memberships under one parent circle, its distinct count waits for the roster.
OVERVIEW_DISTINCT_LIMIT = 5_000
# A patch touching more people than this is cheaper as a full reload.
PATCH_LIMIT = 20_000
RECENT_QUERIES = 6  # remembered filter results, for backspacing
FIRST_KEYS = "abcdefghijklmnopqrstuvwxyz0123456789@"
FIRST_PAIRS = 48  # the commonest word beginnings, answered without a search as well
MASKS = 200  # short needles remembered as masks (100 kB each at 100k people)
STATE_COUNTRIES = frozenset({"US", "CA", "AU"})

_SPACE = re.compile(r"\s+")
_URL_NOISE = re.compile(r"\bhttps?://(?:www\.)?")
_PERSON_COLUMNS = (
    "p.id, p.name, p.organization, p.title, p.city, p.region, p.country, p.place_id, "
    "p.archived, p.nickname"
)
PersonTuple = tuple[int, str, str, str, str, str, str, int | None, int, str]


def fold_fast(text: str) -> str:
    """Exactly ``names.fold``, computed in C: one regex drops the combining marks."""
    if text.isascii():
        return " ".join(text.lower().split())
    stripped = _combining_marks().sub("", unicodedata.normalize("NFKD", text))
    return " ".join(stripped.casefold().split())


@cache
def _combining_marks() -> re.Pattern[str]:
    """A class of the code points ``unicodedata.combining`` flags (about 900 of them)."""
    # Unicode puts no combining mark above U+1E94A; scanning two planes takes milliseconds.
    marks = [c for c in range(0x20000) if unicodedata.combining(chr(c))]
    ranges: list[list[int]] = []
    for c in marks:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    body = "".join(
        re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
        for lo, hi in ranges
    )
    return re.compile(f"[{body}]+")


def terms_of(query: str) -> list[str]:
    """The folded words of a filter query; a person matches when every word is found."""
    return fold(query).split()


def place_label(name: str, region: str, country: str) -> str:
    """'Boston, MA, US', 'Berlin, DE': the state only where people write one by habit."""
    parts = [name]
    if region and country in STATE_COUNTRIES and region.isalpha():
        parts.append(region)
    if country:
        parts.append(country)
    return ", ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class CircleRow:
    id: int
    name: str
    parent: int | None
    position: int


@dataclass(frozen=True, slots=True)
class GoalRow:
    id: int
    title: str
    status: str
    position: int


@dataclass(frozen=True, slots=True)
class SlotRow:
    id: int
    goal: int
    description: str
    role: str
    person: int | None  # who fills it; None: still open
    position: int


# -- the roster: everyone, compactly --------------------------------------------------------


class Roster:
    """Everyone the tree can show, in parallel lists indexed by position.

    Positions are stable for the roster's life: a deleted person's position is marked dead,
    a new person gets a new position at the end. Repeated strings (organisations, titles,
    cities) are shared, so 100k people cost tens of megabytes, not hundreds.
    """

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.names: list[str] = []
        self.orgs: list[str] = []
        self.titles: list[str] = []
        self.cities: list[str] = []  # what the City column shows
        self.city_keys: list[str] = []  # "place:12", "city:<folded>" or ""
        self.org_keys: list[str] = []  # folded organisation or ""
        self.sort_keys: list[str] = []
        self.typed_cities: list[str] = []  # the city as typed, for group labels
        self.order: list[int] | None = None  # live positions in name order, once sorted
        self.archived = bytearray()
        self.alive = bytearray()
        self.haystacks: list[str] = []  # folded text to search, one per person
        self.index: dict[int, int] = {}
        self.circles_of: dict[int, tuple[int, ...]] = {}
        self.goals_of: dict[int, dict[int, str]] = {}  # position -> {goal id: role}
        self.circle_rows: dict[int, CircleRow] = {}
        self.goal_rows: list[GoalRow] = []
        self.slots: list[SlotRow] = []
        self.places: dict[int, str] = {}
        self.indexed = False  # haystacks built: filtering works
        self.spellings: dict[str, Counter[str]] = defaultdict(Counter)  # key -> typed forms
        # A one- or two-letter needle -> who has it: the first keys typed search nobody.
        self.masks: dict[str, bytearray] = {}
        self.kept_masks: set[str] = set()  # made at load; never evicted
        self._org_memo: dict[str, tuple[str, str]] = {}
        self._city_memo: dict[tuple[str, str, int | None], tuple[str, str, str]] = {}
        self._text_memo: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def people(self) -> int:
        return self.alive.count(1)

    def position(self, person_id: int) -> int | None:
        return self.index.get(person_id)

    def sort_key(self, pos: int) -> tuple[str, int]:
        return self.sort_keys[pos], self.ids[pos]

    def set_places(self, places: dict[int, str]) -> None:
        self.places = places
        self._city_memo.clear()

    # -- filling ---------------------------------------------------------------------------

    def _city(self, city: str, region: str, place_id: int | None) -> tuple[str, str, str]:
        """(group key, shown city, typed city) — memoised: a few hundred distinct cities."""
        memo_key = (city, region, place_id)
        found = self._city_memo.get(memo_key)
        if found is not None:
            return found
        intern = sys.intern
        typed = intern(city.strip())
        if place_id is not None and place_id in self.places:
            found = (intern(f"place:{place_id}"), intern(self.places[place_id]), typed)
        elif not typed:
            found = ("", "", "")
        else:
            shown = f"{typed}, {region.strip()}" if region.strip() else typed
            found = (intern(f"city:{fold_fast(typed)}"), intern(shown), typed)
        self._city_memo[memo_key] = found
        return found

    def _org(self, org: str) -> tuple[str, str]:
        found = self._org_memo.get(org)
        if found is None:
            found = (sys.intern(org.strip()), sys.intern(fold_fast(org)))
            self._org_memo[org] = found
        return found

    def _shared(self, text: str) -> str:
        return self._text_memo.setdefault(text, text)

    def _count_spellings(self, pos: int, sign: int) -> None:
        for key, spelling in (
            (self.city_keys[pos], self.typed_cities[pos]),
            ("org:" + self.org_keys[pos] if self.org_keys[pos] else "", self.orgs[pos]),
        ):
            if key and not key.startswith("place:"):
                counter = self.spellings[key]
                counter[spelling] += sign
                if counter[spelling] <= 0:
                    del counter[spelling]

    def put(
        self, row: PersonTuple, extras: str = "", notes: str = "", *, bulk: bool = False
    ) -> int:
        """Add or replace one person from a ``_PERSON_COLUMNS`` tuple; returns the position.

        ``extras`` holds their emails and link URLs, one a line. ``bulk`` (the first load)
        leaves label spellings and the name order to be computed once at the end.
        """
        pid, name, org, title, city, region, country, place_id, archived, nickname = row
        city_key, shown, typed = self._city(city, region, place_id)
        org_shown, org_key = self._org(org)
        folded_name = fold_fast(name)
        haystack = ""
        if self.indexed:
            # Every keystroke scans all of this: leave out what says nothing (a URL's scheme,
            # a typed city the shown place already spells).
            lowered = shown.lower()
            typed_place = [t for t in (city, region, country) if t and t.lower() not in lowered]
            links = _URL_NOISE.sub("", extras) if extras else ""
            rest = " ".join(
                t for t in (nickname, org, title, shown, *typed_place, notes, links) if t
            )
            haystack = f"{folded_name} {fold_fast(rest)}"
        pos = self.index.get(pid)
        if pos is None:
            pos = len(self.ids)
            self.index[pid] = pos
            self.ids.append(pid)
            self.names.append(name)
            self.sort_keys.append(folded_name)
            self.orgs.append(org_shown)
            self.org_keys.append(org_key)
            self.titles.append(self._shared(title))
            self.cities.append(shown)
            self.city_keys.append(city_key)
            self.typed_cities.append(typed)
            self.haystacks.append(haystack)
            self.archived.append(1 if archived else 0)
            self.alive.append(1)
        else:
            if self.alive[pos] and not bulk:
                self._count_spellings(pos, -1)
                self._unorder(pos)
            self.names[pos] = name
            self.sort_keys[pos] = folded_name
            self.orgs[pos] = org_shown
            self.org_keys[pos] = org_key
            self.titles[pos] = self._shared(title)
            self.cities[pos] = shown
            self.city_keys[pos] = city_key
            self.typed_cities[pos] = typed
            self.haystacks[pos] = haystack
            self.archived[pos] = 1 if archived else 0
            self.alive[pos] = 1
        if not bulk:
            self._count_spellings(pos, +1)
            self._reorder(pos)
        for needle, mask in self.masks.items():
            if pos == len(mask):
                mask.append(0)
            mask[pos] = needle in haystack
        return pos

    def finish_bulk(self) -> None:
        """After a bulk load: count label spellings and sort by name, once."""
        alive = self.alive
        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        cities = zip(
            compress(self.city_keys, alive), compress(self.typed_cities, alive), strict=True
        )
        for (key, spelling), n in Counter(cities).items():
            if key and not key.startswith("place:"):
                spellings[key][spelling] += n
        orgs = zip(compress(self.org_keys, alive), compress(self.orgs, alive), strict=True)
        for (key, spelling), n in Counter(orgs).items():
            if key:
                spellings["org:" + key][spelling] += n
        self.spellings = spellings
        self.sort()

    def remove(self, person_id: int) -> int | None:
        pos = self.index.pop(person_id, None)
        if pos is not None:
            self._count_spellings(pos, -1)
            self._unorder(pos)
            self.alive[pos] = 0
            self.haystacks[pos] = ""
            for mask in self.masks.values():
                mask[pos] = 0
            self.circles_of.pop(pos, None)
            self.goals_of.pop(pos, None)
        return pos

    def mask(self, needle: str) -> bytearray:
        """Who has ``needle`` (one or two letters) in their haystack, one byte per position."""
        mask = self.masks.get(needle)
        if mask is None:
            if len(self.masks) >= MASKS:  # forget the oldest made on demand
                old = next((n for n in self.masks if n not in self.kept_masks), None)
                if old is not None:
                    del self.masks[old]
            mask = bytearray(map(operator.contains, self.haystacks, repeat(needle)))
            self.masks[needle] = mask
        return mask

    def common_beginnings(self, count: int) -> list[str]:
        """The two letters most words of names, organisations and cities start with."""
        starts: Counter[str] = Counter()
        for name in compress(self.sort_keys, self.alive):
            starts.update(w[:2] for w in name.split() if len(w) >= 2)
        shared = Counter(compress(self.org_keys, self.alive))
        shared.update(fold_fast(c) for c in compress(self.cities, self.alive))
        for text, n in shared.items():  # organisations and cities repeat: count each once
            for word in text.split():
                if len(word) >= 2:
                    starts[word[:2]] += n
        return [pair for pair, _n in starts.most_common(count)]

    def label_for(self, key: str) -> str:
        """The group label of a typed city or organisation key: its most common spelling."""
        counter = self.spellings.get(key)
        if not counter:
            return key.partition(":")[2]
        best = max(counter.values())
        return min(s for s, n in counter.items() if n == best)

    def sort(self) -> None:
        """Put everyone in name order once; later changes keep the order by bisection."""
        self.order = sorted(compress(range(len(self.ids)), self.alive), key=self.sort_key)

    def _unorder(self, pos: int) -> None:
        if self.order is not None:
            i = bisect.bisect_left(self.order, self.sort_key(pos), key=self.sort_key)
            if i < len(self.order) and self.order[i] == pos:
                del self.order[i]
            else:  # never expected; keep the order right whatever happened
                self.order.remove(pos)

    def _reorder(self, pos: int) -> None:
        if self.order is not None:
            bisect.insort(self.order, pos, key=self.sort_key)


def _new_roster() -> Roster:
    return Roster()


# -- loading ----------------------------------------------------------------------------------


def _rows(sql: str, params: Sequence[Any] = ()) -> list[Any]:
    return list(db_proxy.execute_sql(sql, params).fetchall())


def _load_tables(roster: Roster) -> None:
    """Circles, goals, slots and places: small tables, always read whole."""
    roster.set_places(
        {
            pid: place_label(name, region, country)
            for pid, name, region, country in _rows("SELECT id, name, region, country FROM place")
        }
    )
    roster.circle_rows = {
        cid: CircleRow(cid, name, parent, position)
        for cid, name, parent, position in _rows("SELECT id, name, parent_id, position FROM circle")
    }
    roster.goal_rows = [
        GoalRow(*row)
        for row in _rows("SELECT id, title, status, position FROM goal ORDER BY position, id")
    ]
    roster.slots = [
        SlotRow(*row)
        for row in _rows(
            "SELECT id, goal_id, description, role, person_id, position FROM slot "
            "ORDER BY goal_id, position, id"
        )
    ]


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _where_ids(column: str, ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    if ids is None:
        return "", []
    return f" WHERE {column} IN ({','.join('?' * len(ids))})", list(ids)


def _read_extras(ids: Sequence[int] | None) -> dict[int, str]:
    """Emails and link URLs (handles) per person, one a line."""
    extras: dict[int, str] = {}
    for chunk in [None] if ids is None else list(_chunks(ids)):
        where, params = _where_ids("person_id", chunk)
        get = extras.get
        for pid, text in db_proxy.execute_sql(
            f"SELECT person_id, address FROM email{where} "
            f"UNION ALL SELECT person_id, url FROM link{where}",
            params + params,
        ):
            known = get(pid)
            extras[pid] = text if known is None else f"{known}\n{text}"
    return extras


def _read_people(ids: Sequence[int]) -> tuple[list[PersonTuple], dict[int, str]]:
    people: list[PersonTuple] = []
    notes: dict[int, str] = {}
    for chunk in _chunks(ids):
        where, params = _where_ids("p.id", chunk)
        for row in _rows(f"SELECT {_PERSON_COLUMNS}, p.notes FROM person p{where}", params):
            people.append(row[:-1])
            if row[-1]:
                notes[row[0]] = row[-1]
    return people, notes


def _read_memberships(
    ids: Sequence[int] | None,
) -> tuple[dict[int, list[int]], dict[int, dict[int, str]]]:
    circles: dict[int, list[int]] = defaultdict(list)
    goals: dict[int, dict[int, str]] = defaultdict(dict)
    for chunk in [None] if ids is None else list(_chunks(ids)):
        where, params = _where_ids("person_id", chunk)
        for pid, cid in db_proxy.execute_sql(
            f"SELECT person_id, circle_id FROM person_circle{where} ORDER BY person_id, circle_id",
            params,
        ):
            circles[pid].append(cid)
        for pid, gid, role in _rows(
            f"SELECT person_id, goal_id, role FROM goal_person{where}", params
        ):
            goals[pid][gid] = role
    return circles, goals


def load_roster() -> Roster:
    """Everyone, with memberships and search haystacks (run it off the GUI thread)."""
    _combining_marks()  # built here, off the GUI thread
    roster = _new_roster()
    roster.indexed = True
    _load_tables(roster)
    extras = _read_extras(None)
    put = roster.put
    get = extras.get
    for row in db_proxy.execute_sql(f"SELECT {_PERSON_COLUMNS}, p.notes FROM person p"):
        put(row[:-1], get(row[0], ""), row[-1], bulk=True)
    del extras
    circles, goals = _read_memberships(None)
    index = roster.index
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}
    for pid, cids in circles.items():
        pos = index.get(pid)
        if pos is not None:
            key = tuple(cids)
            roster.circles_of[pos] = shared.setdefault(key, key)
    for pid, links in goals.items():
        pos = index.get(pid)
        if pos is not None:
            roster.goals_of[pos] = links
    roster.finish_bulk()
    for needle in [*FIRST_KEYS, *roster.common_beginnings(FIRST_PAIRS)]:
        roster.mask(needle)
        roster.kept_masks.add(needle)
    # The scan filled this connection's page cache with every row; nobody reads them again.
    db_proxy.execute_sql("PRAGMA shrink_memory")
    return roster


# -- patches: what one operation changed ------------------------------------------------------


@dataclass
class RosterPatch:
    """Fresh rows for the people an operation touched (read off the GUI thread)."""

    ids: list[int]
    people: list[PersonTuple]
    notes: dict[int, str]
    extras: dict[int, str]
    circles: dict[int, list[int]]
    goals: dict[int, dict[int, str]]
    tables: Roster | None  # circles, goals, slots and places, when they may have changed


def load_patch(changes: Changes) -> RosterPatch | None:
    """What to apply for ``changes``; None when a full reload is the better answer."""
    if changes.everything:
        return None
    ids = sorted(changes.people | changes.people_added | changes.people_removed)
    if len(ids) > PATCH_LIMIT:
        return None
    tables: Roster | None = None
    if changes.circles or changes.goals or ids:
        tables = _new_roster()
        _load_tables(tables)
    people, notes = _read_people(ids) if ids else ([], {})
    extras = _read_extras(ids) if ids else {}
    circles, goals = _read_memberships(ids) if ids else ({}, {})
    return RosterPatch(ids, people, notes, extras, dict(circles), dict(goals), tables)


@dataclass
class PatchEffect:
    """What applying a patch did: positions updated in place, and whether groups moved."""

    touched: set[int] = field(default_factory=set)
    regroup: bool = False


# -- groups -------------------------------------------------------------------------------------


@dataclass(eq=False)
class Group:
    """One group row: a goal, a circle, a city, an organisation, or the catch-all."""

    key: str
    kind: str  # goal | circle | city | organization
    label: str
    ref: int | None = None  # goal id, circle id or place id
    catch_all: bool = False
    parent: Group | None = None
    subgroups: list[Group] = field(default_factory=list)
    slots: list[SlotRow] = field(default_factory=list)  # open "who I need to know" slots
    members: list[int] | None = None  # direct members in name order, once asked for
    listable: bool = True  # False: the overview knows the count, not the people yet
    roles: dict[int, str] = field(default_factory=dict)
    status: str = ""  # a goal's status
    count: int | None = 0  # people shown here and below; None: not known yet
    # under the current filter:
    shown_subgroups: list[Group] = field(default_factory=list)
    shown_slots: list[SlotRow] = field(default_factory=list)

    @property
    def display(self) -> str:
        count = "…" if self.count is None else f"{self.count:,}"
        return f"{self.label} ({count})"

    def walk(self) -> Iterable[Group]:
        yield self
        for sub in self.subgroups:
            yield from sub.walk()


def _goal_groups(goal_rows: Sequence[GoalRow], slots: Sequence[SlotRow]) -> list[Group]:
    open_slots: dict[int, list[SlotRow]] = defaultdict(list)
    for slot in slots:
        if slot.person is None:
            open_slots[slot.goal].append(slot)
    return [
        Group(
            f"goal:{g.id}",
            "goal",
            g.title,
            ref=g.id,
            status=g.status,
            slots=open_slots.get(g.id, []),
        )
        for g in goal_rows
    ]


def _circle_groups(circle_rows: dict[int, CircleRow]) -> tuple[list[Group], dict[int, Group]]:
    by_id = {
        c.id: Group(f"circle:{c.id}", "circle", c.name, ref=c.id) for c in circle_rows.values()
    }
    tops: list[Group] = []

    def order(c: CircleRow) -> tuple[int, str, int]:
        return c.position, fold_fast(c.name), c.id

    for c in sorted(circle_rows.values(), key=order):
        group = by_id[c.id]
        parent = by_id.get(c.parent) if c.parent is not None else None
        if parent is None or _cycles(circle_rows, c.id):
            tops.append(group)
        else:
            group.parent = parent
            parent.subgroups.append(group)
    return tops, by_id


def _cycles(circle_rows: dict[int, CircleRow], cid: int) -> bool:
    """True if ``cid``'s parent chain loops (never made by core, but never trusted either)."""
    seen = {cid}
    current = circle_rows[cid].parent
    while current is not None and current in circle_rows:
        if current in seen:
            return True
        seen.add(current)
        current = circle_rows[current].parent
    return False


def _ancestors(group: Group) -> tuple[Group, ...]:
    chain_: list[Group] = []
    current: Group | None = group
    while current is not None:
        chain_.append(current)
        current = current.parent
    return tuple(chain_)


def _named_order(group: Group) -> tuple[int, str, str]:
    return (1 if group.catch_all else 0, fold_fast(group.label), group.key)


def _prune(groups: list[Group], terms: list[str]) -> list[Group]:
    """Decide which groups, subgroups and open slots show; returns the top-level ones.

    Without a filter, goals and circles always show (an empty goal is still a plan), other
    groups only when someone is in them. With a filter, only what holds a match shows; an
    open slot matches on its description and role.
    """

    def slot_matches(slot: SlotRow) -> bool:
        text = fold_fast(f"{slot.description} {slot.role}")
        return all(t in text for t in terms)

    def keep(group: Group) -> bool:
        group.shown_subgroups = [s for s in group.subgroups if keep(s)]
        group.shown_slots = (
            [s for s in group.slots if slot_matches(s)] if terms else list(group.slots)
        )
        if terms:
            return bool(group.count or group.shown_slots or group.shown_subgroups)
        if group.kind in ("goal", "circle") and not group.catch_all:
            return True
        return group.count is None or group.count > 0

    return [g for g in groups if keep(g)]


# -- the tree ------------------------------------------------------------------------------------


class ContactsTree:
    """The groups of one grouping over a roster, filtered by a query and the archive switch.

    Per position it keeps the groups that count the person (``_counted``: for a circle, the
    circle and its ancestors) and the groups that list them (``_listed``). Filtering and
    counting then run as C-level ``compress``/``map``/``Counter`` passes, not Python loops.
    """

    def __init__(
        self,
        roster: Roster,
        grouping: str = "goal",
        *,
        include_archived: bool = False,
        query: str = "",
    ) -> None:
        if grouping not in GROUPINGS:
            raise ValueError(f"unknown grouping {grouping!r}")
        self.roster = roster
        self.grouping = grouping
        self.include_archived = include_archived
        self.complete = roster.indexed
        self.groups: list[Group] = []
        self.shown: list[Group] = []  # top-level groups under the current filter
        self.total: int = 0  # people shown
        self._terms: list[str] = terms_of(query)
        self._matches: list[int] | None = None
        self._base: list[int] | None = None
        self._match_counts: Counter[Any] | None = None
        self._recent: dict[tuple[str, ...], tuple[list[int], Counter[Any]]] = {}
        self._base_counts: Counter[Any] | None = None
        self._mask: bytearray | None = None
        self._visible: dict[int, list[int]] = {}  # id(group) -> visible members
        self._counted: list[Any] = []  # per position: a Group, or a tuple of Groups
        self._listed: list[tuple[Group, ...]] | None = None  # circles only
        self._by_key: dict[str, Group] = {}
        if self.complete:
            self.rebuild()

    def rebuild(self) -> None:
        """Regroup everyone (after a grouping or structure change)."""
        self._build()
        self._refilter(None)

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        roster = self.roster
        n = len(roster)
        catch_all = Group(
            f"{self.grouping}:", self.grouping, CATCH_ALL[self.grouping], catch_all=True
        )
        self._listed = None
        groups: list[Group]
        if self.grouping == "goal":
            groups = _goal_groups(roster.goal_rows, roster.slots)
            only_catch_all = (catch_all,)
            counted: list[Any] = [only_catch_all] * n
            by_goal = {g.ref: g for g in groups}
            fills: dict[tuple[int, int], str] = {}
            for slot in roster.slots:
                if slot.person is not None:
                    fills[(slot.goal, slot.person)] = slot.description
            for pos, links in roster.goals_of.items():
                mine = tuple(by_goal[g] for g in links if g in by_goal)
                if not mine or not roster.alive[pos]:
                    continue
                counted[pos] = mine
                pid = roster.ids[pos]
                for group in mine:
                    assert group.ref is not None
                    role = links[group.ref]
                    filled = fills.get((group.ref, pid))
                    if filled:
                        role = f"{role} · fills “{filled}”" if role else f"fills “{filled}”"
                    if role:
                        group.roles[pos] = role
            groups.append(catch_all)
        elif self.grouping == "circle":
            groups, by_id = _circle_groups(roster.circle_rows)
            only_catch_all = (catch_all,)
            counted = [only_catch_all] * n
            listed: list[tuple[Group, ...]] = [only_catch_all] * n
            made: dict[tuple[int, ...], tuple[tuple[Group, ...], tuple[Group, ...]]] = {}
            for pos, cids in roster.circles_of.items():
                if not roster.alive[pos]:
                    continue
                pair = made.get(cids)
                if pair is None:
                    direct = tuple(by_id[c] for c in cids if c in by_id)
                    lineage: dict[int, Group] = {}
                    for group in direct:
                        for g in _ancestors(group):
                            lineage[id(g)] = g
                    pair = (tuple(lineage.values()), direct)
                    made[cids] = pair
                if pair[1]:
                    counted[pos], listed[pos] = pair
            self._listed = listed
            groups.append(catch_all)
        else:
            keys = roster.city_keys if self.grouping == "city" else roster.org_keys
            prefix = "" if self.grouping == "city" else "org:"
            keyed = {
                key: self._keyed_group(prefix + key) if key else catch_all
                for key in set(compress(keys, roster.alive))
            }
            keyed.setdefault("", catch_all)
            counted = [keyed.get(k, catch_all) for k in keys]
            groups = sorted((g for g in keyed.values() if not g.catch_all), key=_named_order)
            groups.append(catch_all)
        self.groups = groups
        self._counted = counted
        self._base_counts = None
        self._recent.clear()  # counts are per group object: these groups are new
        self._by_key = {g.key: g for top in groups for g in top.walk()}

    def _keyed_group(self, key: str) -> Group:
        roster = self.roster
        if key.startswith("place:"):
            ref = int(key.partition(":")[2])
            return Group(key, "city", roster.places.get(ref, "?"), ref=ref)
        if key.startswith("city:"):
            return Group(key, "city", roster.label_for(key))
        return Group(key, "organization", roster.label_for(key))

    def members(self, group: Group) -> list[int]:
        """Everyone ``group`` lists directly, in name order (all groups are filled at once,
        the first time any is asked: one pass over everyone instead of one per group)."""
        if group.members is None:
            if not self.complete or not group.listable:
                return []
            self.fill_members()
        assert group.members is not None
        return group.members

    def fill_members(self) -> None:
        roster = self.roster
        if roster.order is None:
            roster.sort()
        assert roster.order is not None
        buckets: dict[int, list[int]] = defaultdict(list)
        if self.grouping in ("city", "organization"):
            counted = self._counted
            for pos in roster.order:
                buckets[id(counted[pos])].append(pos)
        else:
            listed = self._listed if self._listed is not None else self._counted
            for pos in roster.order:
                for g in listed[pos]:
                    buckets[id(g)].append(pos)
        for top in self.groups:
            for g in top.walk():
                g.members = buckets.get(id(g), [])

    # -- filtering ------------------------------------------------------------------------

    @property
    def terms(self) -> list[str]:
        return list(self._terms)

    @property
    def filtering(self) -> bool:
        return bool(self._terms)

    def set_query(self, query: str) -> bool:
        """Filter by ``query``; False when nothing changed (the same folded words)."""
        terms = terms_of(query)
        if terms == self._terms:
            return False
        previous = self._terms
        self._terms = terms
        if self.complete:
            self._refilter(previous)
        return True

    def set_include_archived(self, include: bool) -> bool:
        if include == self.include_archived:
            return False
        self.include_archived = include
        if self.complete:
            self._forget_base()
            self._refilter(None)
        return True

    def _forget_base(self) -> None:
        self._base = None
        self._base_counts = None
        self._recent.clear()

    def base(self) -> list[int]:
        """Everyone the archive switch lets through, by position."""
        if self._base is None:
            roster = self.roster
            if self.include_archived:
                keep: bytes | bytearray = roster.alive
            else:
                keep = bytes(map(operator.gt, roster.alive, roster.archived))
            self._base = list(compress(range(len(roster)), keep))
        return self._base

    def _refilter(self, previous: list[str] | None) -> None:
        """Find who matches the terms, and count them per group.

        Typing forward narrows the last matches instead of searching everyone; a backspace
        finds the shorter query among the last few. Counts come from the smaller side:
        when a word keeps most people, the groups lose the few it drops.
        """
        self._mask = None
        self._visible = {}
        terms = self._terms
        if not terms:
            self._matches = self._match_counts = None
            self._recount(self._base_count())
            return
        key = tuple(sorted(terms))
        recent = self._recent.get(key)
        if recent is not None:
            self._matches, self._match_counts = recent
            self._recount(recent[1])
            return
        refine = (
            previous
            and self._matches is not None
            and all(any(old in new for new in terms) for old in previous)
        )
        if refine and self._matches is not None and self._match_counts is not None:
            candidates, counts = self._matches, self._match_counts
        else:
            candidates, counts = self.base(), self._base_count()
        hay = self.roster.haystacks
        for needle in sorted(terms, key=len, reverse=True):
            if len(needle) <= 2:  # a short needle has a mask: no search
                keep = list(map(self.roster.mask(needle).__getitem__, candidates))
            else:
                keep = list(
                    map(operator.contains, map(hay.__getitem__, candidates), repeat(needle))
                )
            kept = list(compress(candidates, keep))
            if len(kept) * 2 < len(candidates):
                counts = self._count(kept)
            else:
                counts = counts - self._count(list(compress(candidates, map(operator.not_, keep))))
            candidates = kept
        self._matches, self._match_counts = candidates, counts
        if len(self._recent) >= RECENT_QUERIES:
            del self._recent[next(iter(self._recent))]
        self._recent[key] = (candidates, counts)
        self._recount(counts)

    def _base_count(self) -> Counter[Any]:
        if self._base_counts is None:
            self._base_counts = self._count(self.base())
        return self._base_counts

    def visible_mask(self) -> bytearray:
        """One byte per position: 1 where the person shows now."""
        if self._mask is None:
            mask = bytearray(len(self.roster))
            shown = self._matches if self._matches is not None else self.base()
            deque(map(mask.__setitem__, shown, repeat(1)), maxlen=0)
            self._mask = mask
        return self._mask

    def _count(self, positions: list[int]) -> Counter[Any]:
        counted = self._counted
        if self.grouping in ("goal", "circle"):
            return Counter(chain.from_iterable(map(counted.__getitem__, positions)))
        return Counter(map(counted.__getitem__, positions))

    def _recount(self, counts: Counter[Any]) -> None:
        self._visible = {}
        for top in self.groups:
            for g in top.walk():
                g.count = counts.get(g, 0)
        self.total = len(self._matches) if self._matches is not None else len(self.base())
        self.shown = _prune(self.groups, self._terms)

    def visible_members(self, group: Group) -> list[int]:
        """The people listed under ``group`` now, in name order."""
        cached = self._visible.get(id(group))
        if cached is not None:
            return cached
        if group.members is None and (not self.complete or not group.listable):
            return []
        matches = self._matches
        if matches is not None and len(matches) * 8 < len(self.roster):
            # Few matches, a big group: pick the group's among the matches and sort them.
            if self._listed is not None:
                listed = self._listed
                out = [p for p in matches if group in listed[p]]
            elif self.grouping == "goal":
                counted = self._counted
                out = [p for p in matches if group in counted[p]]
            else:
                counted = self._counted
                out = [p for p in matches if counted[p] is group]
            out.sort(key=self.roster.sort_key)
        else:
            members = self.members(group)
            mask = self.visible_mask()
            out = list(compress(members, map(mask.__getitem__, members)))
        self._visible[id(group)] = out
        return out

    def group(self, key: str) -> Group | None:
        return self._by_key.get(key)

    def groups_of(self, pos: int) -> list[Group]:
        """Every group that lists the person at ``pos`` directly."""
        source = self._listed if self._listed is not None else self._counted
        if pos >= len(source):
            return []
        where = source[pos]
        return [where] if isinstance(where, Group) else list(where)

    def role(self, group: Group, pos: int) -> str:
        return group.roles.get(pos, "")

    # -- changes --------------------------------------------------------------------------

    def apply(self, patch: RosterPatch) -> PatchEffect:
        """Bring the roster and the groups up to date with ``patch``."""
        roster = self.roster
        effect = PatchEffect()
        self._recent.clear()  # remembered results may hold the old text of these people
        before: dict[int, tuple[Any, ...]] = {}
        for pid in patch.ids:
            pos = roster.position(pid)
            if pos is not None:
                before[pos] = self._signature(pos)
        if patch.tables is not None:
            fresh = patch.tables
            if (
                fresh.circle_rows != roster.circle_rows
                or fresh.goal_rows != roster.goal_rows
                or fresh.slots != roster.slots
                or fresh.places != roster.places
            ):
                effect.regroup = True
            roster.circle_rows = fresh.circle_rows
            roster.goal_rows = fresh.goal_rows
            roster.slots = fresh.slots
            if fresh.places != roster.places:
                roster.set_places(fresh.places)
        present = {row[0] for row in patch.people}
        for pid in patch.ids:
            if pid not in present and roster.remove(pid) is not None:
                effect.regroup = True
        for row in patch.people:
            pid = row[0]
            new = pid not in roster.index
            pos = roster.put(row, patch.extras.get(pid, ""), patch.notes.get(pid, ""))
            circles = patch.circles.get(pid)
            if circles:
                roster.circles_of[pos] = tuple(sorted(circles))
            else:
                roster.circles_of.pop(pos, None)
            goals = patch.goals.get(pid)
            if goals:
                roster.goals_of[pos] = dict(goals)
            else:
                roster.goals_of.pop(pos, None)
            if new or self._signature(pos) != before.get(pos):
                effect.regroup = True
            effect.touched.add(pos)
        if effect.regroup:
            self._forget_base()
            self._build()
            self._refilter(None)
        if not effect.regroup and self._terms and effect.touched:
            # An edit can make a person match the filter, or stop matching it.
            hay = roster.haystacks
            matched = set(self._matches or ())
            for pos in effect.touched:
                if all(t in hay[pos] for t in self._terms) != (pos in matched):
                    effect.regroup = True
            if effect.regroup:
                self._refilter(None)
        return effect

    def _signature(self, pos: int) -> tuple[Any, ...]:
        """What decides where, in which order and how a person is listed."""
        r = self.roster
        return (
            r.sort_keys[pos],
            r.archived[pos],
            r.city_keys[pos],
            r.org_keys[pos],
            r.typed_cities[pos],
            r.orgs[pos],
            r.circles_of.get(pos),
            r.goals_of.get(pos),
        )


# -- the overview: headers first ------------------------------------------------------------------


@dataclass
class Overview:
    """What the journal holds, in a glance (for the empty state)."""

    people: int
    goals: int
    circles: int

    @property
    def empty(self) -> bool:
        return not (self.people or self.goals or self.circles)


def journal_overview() -> Overview:
    people = _rows("SELECT count(*) FROM person")[0][0]
    goals = _rows("SELECT count(*) FROM goal")[0][0]
    circles = _rows("SELECT count(*) FROM circle")[0][0]
    return Overview(int(people), int(goals), int(circles))


def load_overview(grouping: str, *, include_archived: bool = False) -> ContactsTree:
    """Group headers with counts (and the people on goals), from indexes: fast at 100k.

    The tree it returns is incomplete: groups other than goals list nobody yet, and filtering
    waits for ``load_roster``. Its groups have the same keys, labels and order as the full
    tree's, so the window can swap one for the other and keep what was expanded.
    """
    if grouping not in GROUPINGS:
        raise ValueError(f"unknown grouping {grouping!r}")
    roster = _new_roster()
    _load_tables(roster)
    total = int(_rows("SELECT count(*) FROM person")[0][0])
    archived_rows = _rows("SELECT id, place_id, city, organization FROM person WHERE archived = 1")
    archived_ids = {row[0] for row in archived_rows}
    visible_total = total if include_archived else total - len(archived_rows)
    catch_all = Group(f"{grouping}:", grouping, CATCH_ALL[grouping], catch_all=True, listable=False)
    groups: list[Group]
    if grouping == "goal":
        tree = _overview_goals(roster, include_archived)
        groups = [g for g in tree.groups if not g.catch_all]
        linked = sum(1 for pos in roster.goals_of if include_archived or not roster.archived[pos])
        catch_all.count = visible_total - linked
    else:
        tree = ContactsTree(roster, grouping, include_archived=include_archived)
        if grouping == "circle":
            groups = _overview_circles(roster, archived_ids, include_archived)
            catch_all.count = _in_no_circle(visible_total, include_archived)
        elif grouping == "city":
            groups = _overview_cities(roster, archived_rows, include_archived)
            catch_all.count = visible_total - sum(g.count or 0 for g in groups)
        else:
            groups = _overview_orgs(roster, archived_rows, include_archived)
            catch_all.count = visible_total - sum(g.count or 0 for g in groups)
    groups.append(catch_all)
    tree.complete = False
    tree.groups = groups
    tree._by_key = {g.key: g for top in groups for g in top.walk()}
    tree.total = visible_total
    tree.shown = _prune(groups, [])
    return tree


def _overview_goals(roster: Roster, include_archived: bool) -> ContactsTree:
    """A tree over just the people on goals; its goal groups are already whole."""
    for row in _rows(
        f"SELECT gp.goal_id, gp.role, {_PERSON_COLUMNS} FROM goal_person gp "
        "JOIN person p ON p.id = gp.person_id"
    ):
        pos = roster.put(row[2:])
        roster.goals_of.setdefault(pos, {})[row[0]] = row[1]
    roster.sort()
    tree = ContactsTree(roster, "goal", include_archived=include_archived)
    tree.complete = True  # the goal groups are whole (only the catch-all is not)
    tree._build()
    tree._refilter(None)
    for group in tree.groups:
        if group.catch_all:
            group.listable = False
        else:
            tree.members(group)
    return tree


def _overview_circles(
    roster: Roster, archived_ids: set[int], include_archived: bool
) -> list[Group]:
    tops, by_id = _circle_groups(roster.circle_rows)
    direct: Counter[int] = Counter(
        dict(_rows("SELECT circle_id, count(*) FROM person_circle GROUP BY circle_id"))
    )
    if archived_ids and not include_archived:
        direct.subtract(
            dict(
                _rows(
                    "SELECT circle_id, count(*) FROM person_circle WHERE person_id IN "
                    "(SELECT id FROM person WHERE archived = 1) GROUP BY circle_id"
                )
            )
        )
    for group in by_id.values():
        group.listable = False
        if not group.subgroups:
            group.count = direct.get(group.ref or 0, 0)
    for group in by_id.values():
        if not group.subgroups:
            continue
        ids = [g.ref for g in group.walk()]
        if sum(direct.get(i or 0, 0) for i in ids) > OVERVIEW_DISTINCT_LIMIT:
            group.count = None  # known when the roster arrives
            continue
        marks = ",".join("?" * len(ids))
        pids = _rows(
            f"SELECT DISTINCT person_id FROM person_circle WHERE circle_id IN ({marks})", ids
        )
        group.count = sum(1 for (pid,) in pids if include_archived or pid not in archived_ids)
    return tops


def _in_no_circle(visible_total: int, include_archived: bool) -> int:
    in_any = _rows("SELECT count(DISTINCT person_id) FROM person_circle")[0][0]
    if not include_archived:
        in_any -= _rows(
            "SELECT count(DISTINCT person_id) FROM person_circle WHERE person_id IN "
            "(SELECT id FROM person WHERE archived = 1)"
        )[0][0]
    return visible_total - int(in_any)


def _typed_key(city: str, places: dict[int, str], place_id: int | None) -> str:
    if place_id is not None and place_id in places:
        return f"place:{place_id}"
    typed = city.strip()
    return f"city:{fold_fast(typed)}" if typed else ""


def _overview_cities(
    roster: Roster, archived_rows: list[Any], include_archived: bool
) -> list[Group]:
    counts: Counter[str] = Counter()
    spellings = roster.spellings
    for place_id, n in _rows(
        "SELECT place_id, count(*) FROM person WHERE place_id IS NOT NULL GROUP BY place_id"
    ):
        if place_id in roster.places:
            counts[f"place:{place_id}"] += n
    # Unresolved cities group as typed (a place id always names a row: the key is enforced).
    for city, n in _rows("SELECT city, count(*) FROM person WHERE place_id IS NULL GROUP BY city"):
        key = _typed_key(city, roster.places, None)
        if key:
            counts[key] += n
            spellings[key][city.strip()] += n
    if not include_archived:
        for _pid, place_id, city, _org in archived_rows:
            key = _typed_key(city, roster.places, place_id)
            if key:
                counts[key] -= 1
    groups = []
    for key, n in counts.items():
        ref = int(key.partition(":")[2]) if key.startswith("place:") else None
        label = roster.places[ref] if ref is not None else roster.label_for(key)
        groups.append(Group(key, "city", label, ref=ref, listable=False, count=n))
    return sorted(groups, key=_named_order)


def _overview_orgs(roster: Roster, archived_rows: list[Any], include_archived: bool) -> list[Group]:
    counts: Counter[str] = Counter()
    for org, n in _rows("SELECT organization, count(*) FROM person GROUP BY organization"):
        folded = fold_fast(org)
        if folded:
            key = f"org:{folded}"
            counts[key] += n
            roster.spellings[key][org.strip()] += n
    if not include_archived:
        for _pid, _place, _city, org in archived_rows:
            folded = fold_fast(org)
            if folded:
                counts[f"org:{folded}"] -= 1
    groups = [
        Group(key, "organization", roster.label_for(key), listable=False, count=n)
        for key, n in counts.items()
    ]
    return sorted(groups, key=_named_order)
