"""Serve next: whom to give something to now, ranked, each with its reasons in words.

The candidates are the people on the user's active goals and in the top two tiers. The
score (0–100) adds up: the goal's priority, the tier, how long since the user last gave
them anything, whether they gave the user something that is not yet returned, and
whether they are due for a touch.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from rapport.core.due import CADENCE_SQL, LAST_CONTACT_SQL, Cadences, cadence_params, cadences
from rapport.store.models import db_proxy

GOAL_POINTS = 35.0  # the top goal; the next ones count a little less each
TIER_POINTS = {1: 15.0, 2: 8.0}
GAP_POINTS = 30.0  # nothing ever given, or nothing for GAP_FULL_DAYS
GAP_FULL_DAYS = 180
OWED_POINTS = 10.0
DUE_POINTS = 10.0
TOP_TIERS = (1, 2)


@dataclass(frozen=True)
class ServeRow:
    person_id: int
    name: str
    score: int
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """The ``rapport serve --json`` shape."""
        return {"person": self.name, "score": self.score, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class _Candidate:
    person_id: int
    name: str
    tier: int | None
    cadence: int
    since: date  # last contact, or the day they joined
    contacted: bool
    last_given: date | None
    last_received: date | None
    goals: tuple[tuple[int, str], ...]  # (priority rank, title), best first


def _days(a: date, b: date) -> int:
    return max(0, (a - b).days)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _reasons(c: _Candidate, today: date) -> tuple[str, ...]:
    out: list[str] = []
    titles = [f"'{title}'" for _rank, title in c.goals]
    if len(titles) == 1:
        out.append(f"on goal {titles[0]}")
    elif len(titles) == 2:
        out.append(f"on goals {titles[0]} and {titles[1]}")
    elif titles:
        out.append(f"on goal {titles[0]} and {len(titles) - 1} more")
    if c.tier in TOP_TIERS:
        out.append(f"tier {c.tier}")
    if c.last_given is None:
        out.append("nothing given yet")
    else:
        gap = _days(today, c.last_given)
        out.append("gave today" if gap == 0 else f"nothing given in {_plural(gap, 'day')}")
    if c.last_received is not None and (c.last_given is None or c.last_received > c.last_given):
        ago = _days(today, c.last_received)
        when = "today" if ago == 0 else f"{_plural(ago, 'day')} ago"
        out.append(f"they gave you something {when}; nothing back since")
    since = _days(today, c.since)
    if since > c.cadence:
        if c.contacted:
            out.append(f"due: last contact {since} days ago (every {c.cadence} days)")
        else:
            out.append(f"due: no contact since added {since} days ago (every {c.cadence} days)")
    return tuple(out)


# Candidates come in three groups; each group's best is found by SQL alone. A group is
# skipped when even a perfect score there (its base plus every act point) could not pass
# the last of the top rows found so far: with 100k people, the top is full of goal and
# tier-1 people and tier 2 is never read.
GROUPS = (
    ("b.rank IS NOT NULL", None),  # on an active goal, whatever the tier
    ("b.rank IS NULL AND p.tier = 1", 15.0),
    ("b.rank IS NULL AND p.tier = 2", 8.0),
)
ACT_POINTS = GAP_POINTS + OWED_POINTS + DUE_POINTS

_GROUP_SQL = (
    "WITH ranked AS (SELECT id, row_number() OVER (ORDER BY position, id) - 1 AS rank"
    " FROM goal WHERE status = 'active'), "
    "best AS (SELECT gp.person_id, min(r.rank) AS rank FROM goal_person gp "
    "JOIN ranked r ON r.id = gp.goal_id GROUP BY gp.person_id), "
    # MATERIALIZED: each act lookup runs once per person, not once per use in the score.
    "cand AS MATERIALIZED (SELECT p.id, p.name, p.tier, date(p.created) AS joined, "
    f"{CADENCE_SQL} AS cad, b.rank AS rank, {LAST_CONTACT_SQL} AS last, "
    "(SELECT max(g.date) FROM act_person g WHERE g.person_id = p.id AND g.ledger = 'given')"
    " AS lg, "
    "(SELECT max(r.date) FROM act_person r WHERE r.person_id = p.id AND r.ledger = 'received')"
    " AS lr "
    "FROM person p LEFT JOIN best b ON b.person_id = p.id "
    # +archived: a plain scan; the archived index would fetch nearly every row one by one.
    "WHERE +p.archived = 0 AND {group}) "
    "SELECT id, name, tier, joined, cad, rank, last, lg, lr, "
    "(CASE WHEN rank IS NULL THEN 0.0 ELSE :goal / (1 + 0.5 * rank) END)"
    " + (CASE tier WHEN 1 THEN :tier1 WHEN 2 THEN :tier2 ELSE 0.0 END)"
    " + (CASE WHEN lg IS NULL THEN :gap"
    " ELSE :gap * min(max(julianday(:today) - julianday(lg), 0), :full) / :full END)"
    " + (CASE WHEN lr IS NOT NULL AND (lg IS NULL OR lr > lg) THEN :owed ELSE 0.0 END)"
    " + (CASE WHEN julianday(:today) - julianday(coalesce(last, joined)) > cad"
    " THEN :due ELSE 0.0 END) AS score "
    "FROM cand ORDER BY score DESC, name COLLATE NOCASE, id LIMIT :limit"
)


def _goals_of(person_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """person id -> [(priority rank, goal title)] over active goals, best first."""
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if not person_ids:
        return out
    goals = db_proxy.execute_sql(
        "SELECT id, title FROM goal WHERE status = 'active' ORDER BY position, id"
    ).fetchall()
    rank = {int(gid): (n, str(title)) for n, (gid, title) in enumerate(goals)}
    marks = ",".join("?" * len(person_ids))
    for person_id, goal_id in db_proxy.execute_sql(
        f"SELECT person_id, goal_id FROM goal_person WHERE person_id IN ({marks})", person_ids
    ).fetchall():
        if int(goal_id) in rank:
            out[int(person_id)].append(rank[int(goal_id)])
    for links in out.values():
        links.sort()
    return out


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


def serve_next(
    today: date, *, limit: int | None = 20, defaults: Cadences | None = None
) -> list[ServeRow]:
    """The people to serve next on ``today``, best first. Ties go to people on a goal, then
    tier 1, then tier 2, and then by name."""
    params: dict[str, Any] = {
        **cadence_params(defaults or cadences()),
        "today": today.isoformat(),
        "goal": GOAL_POINTS,
        "tier1": TIER_POINTS[1],
        "tier2": TIER_POINTS[2],
        "gap": GAP_POINTS,
        "full": float(GAP_FULL_DAYS),
        "owed": OWED_POINTS,
        "due": DUE_POINTS,
        "limit": -1 if limit is None else int(limit),
    }
    top: list[tuple[float, int, Any]] = []  # (score, group, row)
    for number, (group, base) in enumerate(GROUPS):
        full = limit is not None and len(top) >= limit
        if full and base is not None and base + ACT_POINTS <= top[-1][0]:
            continue  # a tie at best, and this group ranks after the ones before
        rows = db_proxy.execute_sql(_GROUP_SQL.replace("{group}", group), params).fetchall()
        top += [(float(row[9]), number, row) for row in rows]
        top.sort(key=lambda t: (-t[0], t[1]))  # stable: each group keeps its name order
        if limit is not None:
            del top[limit:]
    goals = _goals_of([int(row[0]) for _s, _g, row in top])
    out = []
    for score, _group, row in top:
        pid, name, tier, joined, cadence, _rank, last, given, received, _score = row
        candidate = _Candidate(
            person_id=int(pid),
            name=str(name),
            tier=None if tier is None else int(tier),
            cadence=int(cadence),
            since=_day(last) or _day(joined) or today,
            contacted=last is not None,
            last_given=_day(given),
            last_received=_day(received),
            goals=tuple(goals.get(int(pid), ())),
        )
        out.append(
            ServeRow(candidate.person_id, candidate.name, round(score), _reasons(candidate, today))
        )
    return out
