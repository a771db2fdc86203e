"""Everything the Generosity view shows beside the log, read in one go off the GUI thread:
Serve next, Due, Follow-ups, the week's plan and the twelve-month chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rapport.core.balances import WeekCount, weekly_series
from rapport.core.due import DueRow, cadences, due_people
from rapport.core.follow_ups import FollowUp, follow_ups
from rapport.core.progress import Progress
from rapport.core.serve import ServeRow, serve_next
from rapport.core.week_plan import SERVE_POOL, WeekPlan, week_plan

SHOWN = 100  # rows of Due shown; the rest are counted


@dataclass
class Overview:
    today: date
    serve: list[ServeRow]
    due: list[DueRow]
    due_total: int
    follow_ups: list[FollowUp]
    plan: WeekPlan
    series: list[WeekCount]


def overview(today: date, progress: Progress | None = None) -> Overview:
    progress = progress or Progress.silent()
    defaults = cadences()
    progress.update(0, 5, "Serve next")
    serve = serve_next(today, limit=SERVE_POOL, defaults=defaults)
    progress.update(1, 5, "Who is due")
    due = due_people(today, defaults=defaults)
    progress.update(2, 5, "Follow-ups")
    pending = follow_ups(today)
    progress.update(3, 5, "This week")
    plan = week_plan(today, defaults=defaults, serve=serve, due=due)
    progress.update(4, 5, "Twelve months")
    series = weekly_series(today)
    return Overview(
        today=today,
        serve=serve[:SHOWN],
        due=due[:SHOWN],
        due_total=len(due),
        follow_ups=pending,
        plan=plan,
        series=series,
    )
