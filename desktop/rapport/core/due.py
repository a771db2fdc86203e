"""Keeping in touch: each person's cadence (their own, or the default for their tier) and
who is due — the last act or touchpoint (or, for someone never contacted, the day they
joined the journal) is older than the cadence. Logging anything with them resets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from rapport.store import settings
from rapport.store.models import db_proxy


@dataclass(frozen=True)
class Cadences:
    """The default cadence (days) for each tier and for untiered people."""

    tier1: int = 21
    tier2: int = 60
    tier3: int = 180
    default: int = 365

    def for_person(self, tier: int | None, cadence_days: int | None) -> int:
        if cadence_days:
            return int(cadence_days)
        return {1: self.tier1, 2: self.tier2, 3: self.tier3}.get(tier or 0, self.default)


def cadences() -> Cadences:
    """The defaults as set in the preferences."""
    return Cadences(
        tier1=int(settings.get("cadence.tier1")),
        tier2=int(settings.get("cadence.tier2")),
        tier3=int(settings.get("cadence.tier3")),
        default=int(settings.get("cadence.default")),
    )


@dataclass(frozen=True)
class DueRow:
    person_id: int
    name: str
    tier: int | None
    cadence_days: int
    last_contact: date | None
    days_overdue: int  # > 0: due for this many days

    @property
    def days_since(self) -> int:
        return self.cadence_days + self.days_overdue

    def as_dict(self) -> dict[str, Any]:
        """The ``rapport due --json`` shape."""
        return {
            "person": self.name,
            "cadence_days": self.cadence_days,
            "last_contact": self.last_contact.isoformat() if self.last_contact else None,
            "days_overdue": self.days_overdue,
        }

    def reason(self) -> str:
        if self.last_contact is None:
            return (
                f"no contact since added {self.days_since} days ago "
                f"(every {self.cadence_days} days)"
            )
        return f"last contact {self.days_since} days ago (every {self.cadence_days} days)"


CADENCE_SQL = (
    "coalesce(p.cadence_days, CASE p.tier WHEN 1 THEN :t1 WHEN 2 THEN :t2 WHEN 3 THEN :t3 "
    "ELSE :t0 END)"
)
LAST_CONTACT_SQL = "(SELECT max(c.date) FROM act_person c WHERE c.person_id = p.id)"


def cadence_params(c: Cadences) -> dict[str, int]:
    return {"t1": c.tier1, "t2": c.tier2, "t3": c.tier3, "t0": c.default}


def due_people(
    today: date,
    *,
    limit: int | None = None,
    order: Literal["overdue", "priority"] = "overdue",
    defaults: Cadences | None = None,
) -> list[DueRow]:
    """Everyone due on ``today`` (archived people never are), most overdue first.

    ``order="priority"`` puts closer tiers first (tier 1, 2, 3, then untiered), each most
    overdue first: whom to reconnect with this week.
    """
    params: dict[str, Any] = {**cadence_params(defaults or cadences()), "today": today.isoformat()}
    ordering = "overdue DESC, name, id"
    if order == "priority":
        ordering = "coalesce(tier, 4), " + ordering
    sql = (
        "SELECT id, name, tier, cad, last, overdue FROM ("
        "SELECT id, name, tier, cad, last, "
        "CAST(julianday(:today) - julianday(coalesce(last, date(created))) AS INTEGER) - cad"
        " AS overdue FROM ("
        f"SELECT p.id, p.name, p.tier, p.created, {CADENCE_SQL} AS cad, {LAST_CONTACT_SQL} AS last"
        " FROM person p WHERE +p.archived = 0)) "
        f"WHERE overdue > 0 ORDER BY {ordering}"
    )
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = int(limit)
    rows = db_proxy.execute_sql(sql, params).fetchall()
    return [
        DueRow(
            person_id=int(r[0]),
            name=str(r[1]),
            tier=None if r[2] is None else int(r[2]),
            cadence_days=int(r[3]),
            last_contact=None if r[4] is None else date.fromisoformat(str(r[4])[:10]),
            days_overdue=int(r[5]),
        )
        for r in rows
    ]
