"""This week: a short plan — give to three people, meet one, reconnect with two.

Built from Serve next (give), Due (reconnect) and, to meet, the people flagged on an
upcoming trip when the calendar has any, else someone in the user's home city, else the
closest person who is due. Nobody appears twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from rapport.core.due import Cadences, DueRow, cadences, due_people
from rapport.core.serve import ServeRow, serve_next
from rapport.store import settings
from rapport.store.models import db_proxy

TRIP_HORIZON_DAYS = 30
POOL = 200  # how far down Due to look for the plan
SERVE_POOL = 50  # and down Serve next


@dataclass(frozen=True)
class PlanItem:
    person_id: int
    name: str
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"person": self.name, "reasons": list(self.reasons)}


@dataclass
class WeekPlan:
    give: list[PlanItem] = field(default_factory=list)
    meet: list[PlanItem] = field(default_factory=list)
    reconnect: list[PlanItem] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.give or self.meet or self.reconnect)

    def as_dict(self) -> dict[str, Any]:
        return {
            "give": [i.as_dict() for i in self.give],
            "meet": [i.as_dict() for i in self.meet],
            "reconnect": [i.as_dict() for i in self.reconnect],
        }


def _trip_flags(today: date) -> list[PlanItem]:
    """People flagged on a trip that is under way or starts within the horizon."""
    horizon = today + timedelta(days=TRIP_HORIZON_DAYS)
    rows = db_proxy.execute_sql(
        "SELECT f.person_id, p.name, f.reasons, s, e, pl.name FROM ("
        "SELECT t.id AS tid, coalesce(t.user_start, t.start_date) AS s, "
        "coalesce(t.user_end, t.end_date) AS e, coalesce(t.user_place_id, t.place_id) AS plid"
        " FROM trip t WHERE t.dismissed = 0) AS tr "
        "JOIN flag f ON f.trip_id = tr.tid JOIN person p ON p.id = f.person_id "
        "LEFT JOIN place pl ON pl.id = plid "
        "WHERE p.archived = 0 AND e >= ? AND s <= ? AND (f.state = 'new' OR "
        "(f.state = 'snoozed' AND (f.snooze_until IS NULL OR f.snooze_until <= ?))) "
        "ORDER BY s, f.score DESC, p.name",
        [today.isoformat(), horizon.isoformat(), today.isoformat()],
    ).fetchall()
    out = []
    for pid, name, reasons, start, end, city in rows:
        first, last = date.fromisoformat(str(start)[:10]), date.fromisoformat(str(end)[:10])
        where = f"in {city}" if city else "away"
        words = [f"you'll be {where} {first:%d %b}–{last:%d %b}: invite them for coffee"]
        try:
            extra = json.loads(reasons or "[]")
        except ValueError:
            extra = []
        if isinstance(extra, list):
            words += [str(r) for r in extra[:2]]
        out.append(PlanItem(int(pid), str(name), tuple(words)))
    return out


def _cities(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = db_proxy.execute_sql(f"SELECT id, city FROM person WHERE id IN ({marks})", ids)
    return {int(pid): str(city or "") for pid, city in rows.fetchall()}


def _home_city() -> str:
    text = str(settings.get("home_city") or "")
    return text.split(",")[0].strip().casefold()


def week_plan(
    today: date,
    *,
    give: int = 3,
    meet: int = 1,
    reconnect: int = 2,
    defaults: Cadences | None = None,
    serve: list[ServeRow] | None = None,
    due: list[DueRow] | None = None,
) -> WeekPlan:
    """The plan for the week of ``today``; ``serve`` and ``due`` reuse lists already read
    (Due in any order: the plan puts closer tiers first)."""
    defaults = defaults or cadences()
    if serve is None:
        serve = serve_next(today, limit=SERVE_POOL, defaults=defaults)
    if due is None:
        due = due_people(today, limit=POOL, order="priority", defaults=defaults)
    else:
        due = sorted(due, key=lambda d: (d.tier or 4, -d.days_overdue, d.name, d.person_id))[:POOL]
    plan = WeekPlan()
    chosen: set[int] = set()

    def take(items: list[PlanItem], item: PlanItem) -> None:
        items.append(item)
        chosen.add(item.person_id)

    for row in serve:
        if len(plan.give) >= give:
            break
        take(plan.give, PlanItem(row.person_id, row.name, row.reasons))

    for item in _trip_flags(today):
        if len(plan.meet) >= meet:
            break
        if item.person_id not in chosen:
            take(plan.meet, item)
    if len(plan.meet) < meet:
        _meet_at_home(plan, chosen, serve, due, meet, take)
    for d in due:
        if len(plan.meet) >= meet:
            break
        if d.person_id not in chosen and d.tier in (1, 2):
            take(plan.meet, PlanItem(d.person_id, d.name, (_due_words(d), _SUGGEST)))
    for s in serve:
        if len(plan.meet) >= meet:
            break
        if s.person_id not in chosen:
            take(plan.meet, PlanItem(s.person_id, s.name, (*s.reasons, _SUGGEST)))

    for d in due:
        if len(plan.reconnect) >= reconnect:
            break
        if d.person_id not in chosen:
            take(plan.reconnect, PlanItem(d.person_id, d.name, (_due_words(d),)))
    return plan


_SUGGEST = "suggest a coffee or a call"


def _due_words(d: DueRow) -> str:
    tier = f"tier {d.tier}; " if d.tier else ""
    return tier + d.reason()


def _meet_at_home(
    plan: WeekPlan,
    chosen: set[int],
    serve: list[ServeRow],
    due: list[DueRow],
    meet: int,
    take: Any,
) -> None:
    home = _home_city()
    if not home:
        return
    pool: list[tuple[int, str, tuple[str, ...]]] = [
        (s.person_id, s.name, s.reasons) for s in serve
    ] + [(d.person_id, d.name, (_due_words(d),)) for d in due]
    cities = _cities(sorted({pid for pid, _n, _r in pool}))
    for pid, name, reasons in pool:
        if len(plan.meet) >= meet:
            return
        city = cities.get(pid, "")
        if pid not in chosen and city.casefold() == home:
            take(plan.meet, PlanItem(pid, name, (f"lives in {city}, like you", *reasons)))
