"""Which backups the thinning policy keeps: one per day, per week, per month, as Anki does."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar


class Dated(Protocol):
    @property
    def created(self) -> datetime: ...


B = TypeVar("B", bound=Dated)


@dataclass(frozen=True)
class Retention:
    """How many backups thinning keeps: one per day, per week, per month (Anki's defaults)."""

    daily: int = 12
    weekly: int = 10
    monthly: int = 9

    def __post_init__(self) -> None:
        if min(self.daily, self.weekly, self.monthly) < 0:
            raise ValueError("a retention count cannot be negative")


def obsolete_backups(backups: Sequence[B], policy: Retention, now: datetime) -> list[B]:
    """The backups the policy drops, as Anki thins its own.

    Newest first: every backup from today and yesterday is kept; then the newest backup of
    each earlier day until ``daily`` days are kept; then the newest of each earlier week
    (weeks start on Monday) until ``weekly``; then of each earlier month until ``monthly``;
    the rest go. Days are counted in ``now``'s time zone.
    """
    zone = now.tzinfo
    yesterday = now.date().toordinal() - 1
    remaining = {"daily": policy.daily, "weekly": policy.weekly, "monthly": policy.monthly}
    last_day = last_week = last_month = sys.maxsize
    obsolete: list[B] = []
    for backup in sorted(backups, key=lambda b: b.created, reverse=True):
        local = backup.created.astimezone(zone)
        day = local.date().toordinal()
        week = (day - 1) // 7  # ordinal 1 (0001-01-01) was a Monday
        month = local.year * 12 + local.month
        if day >= yesterday:
            stage = None
        elif remaining["daily"] > 0:
            stage = "daily" if day < last_day else "drop"
        elif remaining["weekly"] > 0:
            stage = "weekly" if week < last_week else "drop"
        elif remaining["monthly"] > 0:
            stage = "monthly" if month < last_month else "drop"
        else:
            stage = "drop"
        if stage == "drop":
            obsolete.append(backup)
            continue
        last_day, last_week, last_month = day, week, month
        if stage is not None:
            remaining[stage] -= 1
    return obsolete
