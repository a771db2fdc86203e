"""Where things go on a month grid, computed apart from painting so it can be tested on its own.

A month is shown as whole weeks starting on the locale's first day of the week. Multi-day
things (trips, conferences) become bars: one segment per week row they cross, each in a lane
(a row inside the week) that stays the same for the whole span, so a trip that wraps from
one week to the next continues at the same height. Overlapping spans take different lanes;
lanes are reused as soon as they are free (interval colouring, which needs the fewest lanes).
"""

from __future__ import annotations

import calendar
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class Span:
    """Something that lasts from ``start`` to ``end`` (inclusive local dates)."""

    key: Hashable  # ("trip", 3), ("event", 12): what a click on the bar selects
    start: date
    end: date
    label: str = ""
    kind: str = "trip"  # trip | visit | conference: how it is painted
    badge: int = 0  # people flagged on a trip; 0: no badge


@dataclass(frozen=True)
class Segment:
    """The part of a span inside one week row: columns ``first_col..last_col`` inclusive."""

    span: Span
    week: int
    first_col: int
    last_col: int
    lane: int
    continues_before: bool  # the span started in an earlier week row (or before the grid)
    continues_after: bool


@dataclass
class MonthLayout:
    year: int
    month: int
    first_day: date  # the date in the top-left cell
    weeks: int
    segments: list[Segment] = field(default_factory=list)
    lanes: int = 0  # lanes used by the busiest week

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=7 * self.weeks - 1)

    def day_at(self, week: int, col: int) -> date:
        return self.first_day + timedelta(days=7 * week + col)

    def cell_of(self, day: date) -> tuple[int, int] | None:
        offset = (day - self.first_day).days
        if not 0 <= offset < 7 * self.weeks:
            return None
        return divmod(offset, 7)

    def in_month(self, day: date) -> bool:
        return day.year == self.year and day.month == self.month

    def lanes_in_week(self, week: int) -> int:
        return max((s.lane + 1 for s in self.segments if s.week == week), default=0)

    def segments_at(self, week: int, col: int) -> list[Segment]:
        return [s for s in self.segments if s.week == week and s.first_col <= col <= s.last_col]


def grid_start(year: int, month: int, first_weekday: int) -> date:
    """The first cell of the grid: the last ``first_weekday`` (0 = Monday) on or before the 1st."""
    first = date(year, month, 1)
    return first - timedelta(days=(first.weekday() - first_weekday) % 7)


def weeks_needed(year: int, month: int, first_weekday: int) -> int:
    start = grid_start(year, month, first_weekday)
    days = calendar.monthrange(year, month)[1]
    return -(-((date(year, month, 1) - start).days + days) // 7)


def assign_lanes(spans: Iterable[Span]) -> dict[Span, int]:
    """The lowest free lane for each span, earliest (then longest) first."""
    lane_ends: list[date] = []  # the last day taken in each lane
    lanes: dict[Span, int] = {}
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start).days, str(s.key))):
        for lane, end in enumerate(lane_ends):
            if end < span.start:
                lane_ends[lane] = span.end
                lanes[span] = lane
                break
        else:
            lanes[span] = len(lane_ends)
            lane_ends.append(span.end)
    return lanes


def layout_month(
    year: int, month: int, spans: Iterable[Span], *, first_weekday: int = 0
) -> MonthLayout:
    """Lay ``spans`` out on the grid of ``year``-``month``; spans outside the grid are left out."""
    start = grid_start(year, month, first_weekday)
    weeks = weeks_needed(year, month, first_weekday)
    layout = MonthLayout(year, month, start, weeks)
    last = layout.last_day
    visible = [s for s in spans if s.end >= start and s.start <= last and s.end >= s.start]
    lanes = assign_lanes(visible)
    for span in visible:
        first_offset = max((span.start - start).days, 0)
        last_offset = min((span.end - start).days, 7 * weeks - 1)
        week = first_offset // 7
        while week * 7 <= last_offset:
            row_first = max(first_offset, week * 7)
            row_last = min(last_offset, week * 7 + 6)
            layout.segments.append(
                Segment(
                    span=span,
                    week=week,
                    first_col=row_first - week * 7,
                    last_col=row_last - week * 7,
                    lane=lanes[span],
                    continues_before=(start + timedelta(days=row_first)) > span.start,
                    continues_after=(start + timedelta(days=row_last)) < span.end,
                )
            )
            week += 1
    layout.segments.sort(key=lambda s: (s.week, s.lane, s.first_col))
    layout.lanes = max((s.lane + 1 for s in layout.segments), default=0)
    return layout
