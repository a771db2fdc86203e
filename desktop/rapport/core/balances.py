"""Give and receive, per person and over time: counts, last given, last contact, weekly
series for the chart and sparklines — all SQL aggregates over ``act_person``'s indexes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from rapport.core.act_log import ActFilter, ActRow, act_page
from rapport.core.acts import GENEROSITY_KINDS
from rapport.core.due import Cadences, cadences
from rapport.core.people import get_person
from rapport.store.models import db_proxy

WEEKS = 52  # twelve months of weeks
CHUNK = 500


@dataclass(frozen=True)
class PersonStats:
    given: int = 0
    received: int = 0
    last_given: date | None = None
    last_received: date | None = None
    last_contact: date | None = None  # any act or touchpoint, either direction


def _d(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


_STATS_SQL = (
    "SELECT person_id, sum(ledger = 'given'), sum(ledger = 'received'), "
    "max(CASE WHEN ledger = 'given' THEN date END), "
    "max(CASE WHEN ledger = 'received' THEN date END), max(date) FROM act_person"
)


def person_stats(ids: Iterable[int] | None = None) -> dict[int, PersonStats]:
    """Stats for these people (everyone when None); people with no acts are left out."""
    if ids is None:
        rows = db_proxy.execute_sql(f"{_STATS_SQL} GROUP BY person_id").fetchall()
    else:
        wanted = sorted(set(ids))
        rows = []
        for i in range(0, len(wanted), CHUNK):
            chunk = wanted[i : i + CHUNK]
            marks = ",".join("?" * len(chunk))
            rows += db_proxy.execute_sql(
                f"{_STATS_SQL} WHERE person_id IN ({marks}) GROUP BY person_id", chunk
            ).fetchall()
    return {
        int(r[0]): PersonStats(int(r[1]), int(r[2]), _d(r[3]), _d(r[4]), _d(r[5])) for r in rows
    }


@dataclass(frozen=True)
class WeekCount:
    start: date  # a Monday
    given: int
    received: int


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_series(
    today: date, *, weeks: int = WEEKS, person_id: int | None = None
) -> list[WeekCount]:
    """Generosity acts given and received per week, oldest first, ending with this week.

    Touchpoints are left out: the chart is about serving, not about meeting.
    """
    first = week_start(today) - timedelta(weeks=weeks - 1)
    last = week_start(today) + timedelta(days=6)
    if person_id is None:
        marks = ",".join("?" * len(GENEROSITY_KINDS))
        rows = db_proxy.execute_sql(
            "SELECT date, direction, count(*) FROM act WHERE date BETWEEN ? AND ? "
            f"AND +kind IN ({marks}) GROUP BY date, direction",
            [first.isoformat(), last.isoformat(), *GENEROSITY_KINDS],
        ).fetchall()
    else:
        rows = db_proxy.execute_sql(
            "SELECT date, ledger, count(*) FROM act_person WHERE person_id = ? "
            "AND ledger != '' AND date BETWEEN ? AND ? GROUP BY date, ledger",
            [person_id, first.isoformat(), last.isoformat()],
        ).fetchall()
    given = [0] * weeks
    received = [0] * weeks
    for day, direction, count in rows:
        index = (date.fromisoformat(str(day)[:10]) - first).days // 7
        if 0 <= index < weeks:
            (given if direction == "given" else received)[index] += int(count)
    return [WeekCount(first + timedelta(weeks=i), given[i], received[i]) for i in range(weeks)]


@dataclass(frozen=True)
class PersonSummary:
    """What the per-person timeline shows."""

    person_id: int
    name: str
    stats: PersonStats
    cadence_days: int
    since: date  # last contact, or the day they joined the journal
    series: list[WeekCount]
    recent: list[ActRow]

    def days_overdue(self, today: date) -> int:
        """As in ``due_people``: above zero, they are due; otherwise due in ``1 - this`` days."""
        return (today - self.since).days - self.cadence_days


def person_summary(
    person_id: int, today: date, *, recent: int = 50, defaults: Cadences | None = None
) -> PersonSummary:
    person = get_person(person_id)
    stats = person_stats([person_id]).get(person_id, PersonStats())
    cadence = (defaults or cadences()).for_person(person.tier, person.cadence_days)
    since = stats.last_contact or _created_day(person.created)
    return PersonSummary(
        person_id=person_id,
        name=person.name,
        stats=stats,
        cadence_days=cadence,
        since=since,
        series=weekly_series(today, person_id=person_id),
        recent=act_page(ActFilter(person_id=person_id), limit=recent),
    )


def _created_day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
