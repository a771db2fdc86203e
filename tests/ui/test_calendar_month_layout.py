"""The month grid's geometry, apart from painting: weeks, bars across week rows, lanes."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from rapport.ui.calendar.month_layout import Span, assign_lanes, grid_start, layout_month

MONDAY, SUNDAY = 0, 6


def trip(key: int, start: date, end: date) -> Span:
    return Span(("trip", key), start, end, f"trip {key}")


def test_the_grid_starts_on_the_locales_first_day_of_the_week() -> None:
    # March 2027 begins on a Monday.
    assert grid_start(2027, 3, MONDAY) == date(2027, 3, 1)
    assert grid_start(2027, 3, SUNDAY) == date(2027, 2, 28)
    monday = layout_month(2027, 3, [], first_weekday=MONDAY)
    sunday = layout_month(2027, 3, [], first_weekday=SUNDAY)
    assert monday.weeks == 5 and monday.last_day == date(2027, 4, 4)
    assert sunday.weeks == 5 and sunday.last_day == date(2027, 4, 3)
    assert sunday.day_at(0, 0).weekday() == 6
    # February 2027 fills exactly four Monday weeks; August 2027 needs six.
    assert layout_month(2027, 2, [], first_weekday=MONDAY).weeks == 4
    assert layout_month(2027, 8, [], first_weekday=MONDAY).weeks == 6


def test_a_trip_across_a_week_boundary_becomes_two_segments_on_the_right_days() -> None:
    # Friday 12 March to Tuesday 16 March, weeks starting on Monday.
    layout = layout_month(2027, 3, [trip(1, date(2027, 3, 12), date(2027, 3, 16))])
    segments = [(s.week, s.first_col, s.last_col) for s in layout.segments]
    assert segments == [(1, 4, 6), (2, 0, 1)]
    first, second = layout.segments
    assert not first.continues_before and first.continues_after
    assert second.continues_before and not second.continues_after
    assert layout.day_at(first.week, first.first_col) == date(2027, 3, 12)
    assert layout.day_at(second.week, second.last_col) == date(2027, 3, 16)


def test_the_same_trip_wraps_differently_when_weeks_start_on_sunday() -> None:
    layout = layout_month(
        2027, 3, [trip(1, date(2027, 3, 12), date(2027, 3, 16))], first_weekday=SUNDAY
    )
    # Sunday weeks: Fri 12 and Sat 13 end one row, Sun 14 .. Tue 16 start the next.
    assert [(s.week, s.first_col, s.last_col) for s in layout.segments] == [(1, 5, 6), (2, 0, 2)]


def test_a_long_trip_spans_whole_rows_and_is_clipped_to_the_grid() -> None:
    span = trip(1, date(2027, 2, 20), date(2027, 4, 10))
    layout = layout_month(2027, 3, [span])
    assert [(s.week, s.first_col, s.last_col) for s in layout.segments] == [
        (w, 0, 6) for w in range(5)
    ]
    assert layout.segments[0].continues_before and layout.segments[-1].continues_after


def test_spans_outside_the_grid_are_left_out() -> None:
    layout = layout_month(
        2027,
        3,
        [trip(1, date(2027, 1, 1), date(2027, 1, 5)), trip(2, date(2027, 5, 1), date(2027, 5, 2))],
    )
    assert layout.segments == []
    assert layout.lanes == 0


def test_overlapping_trips_take_lanes_and_a_lane_is_reused_once_free() -> None:
    boston = trip(1, date(2027, 3, 8), date(2027, 3, 16))
    new_york = trip(2, date(2027, 3, 12), date(2027, 3, 13))
    conference = Span(("event", 9), date(2027, 3, 9), date(2027, 3, 11), "PyCon", "conference")
    berlin = trip(3, date(2027, 3, 18), date(2027, 3, 20))
    layout = layout_month(2027, 3, [new_york, berlin, conference, boston])
    lanes = {s.span.key: s.lane for s in layout.segments}
    assert lanes[("trip", 1)] == 0  # earliest first
    assert lanes[("event", 9)] == 1
    assert lanes[("trip", 2)] == 1  # the conference's lane is free again on the 12th
    assert lanes[("trip", 3)] == 0  # Boston is over by the 18th
    assert layout.lanes == 2
    assert layout.lanes_in_week(1) == 2 and layout.lanes_in_week(2) == 1
    # A wrapped bar keeps its lane in the next week row.
    assert {s.lane for s in layout.segments if s.span.key == ("trip", 1)} == {0}
    assert [s.span.key for s in layout.segments_at(1, 4)] == [("trip", 1), ("trip", 2)]


def test_one_day_trips_and_the_cell_of_a_day() -> None:
    layout = layout_month(2027, 3, [trip(1, date(2027, 3, 31), date(2027, 3, 31))])
    (seg,) = layout.segments
    assert (seg.week, seg.first_col, seg.last_col) == (4, 2, 2)
    assert layout.cell_of(date(2027, 3, 31)) == (4, 2)
    assert layout.cell_of(date(2027, 2, 28)) is None
    assert layout.in_month(date(2027, 3, 31)) and not layout.in_month(date(2027, 4, 1))


dates = st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31))


@given(st.lists(st.tuples(dates, st.integers(0, 40)), max_size=25), st.sampled_from([0, 6]))
def test_segments_cover_exactly_the_visible_days_and_never_collide(
    raw: list[tuple[date, int]], first_weekday: int
) -> None:
    from datetime import timedelta

    spans = [trip(i, d, d + timedelta(days=n)) for i, (d, n) in enumerate(raw)]
    layout = layout_month(2027, 6, spans, first_weekday=first_weekday)
    taken: set[tuple[int, int, int]] = set()
    for span in spans:
        mine = [s for s in layout.segments if s.span is span]
        days = {layout.day_at(s.week, c) for s in mine for c in range(s.first_col, s.last_col + 1)}
        expected = {
            span.start + timedelta(days=k)
            for k in range((span.end - span.start).days + 1)
            if layout.first_day <= span.start + timedelta(days=k) <= layout.last_day
        }
        assert days == expected
        for s in mine:
            for c in range(s.first_col, s.last_col + 1):
                assert (s.week, c, s.lane) not in taken  # two bars never share a place
                taken.add((s.week, c, s.lane))
    lanes = assign_lanes(spans)
    # Interval colouring is optimal: lanes used == the most spans on one day.
    if spans:
        busiest = max(
            sum(1 for s in spans if s.start <= d <= s.end) for d in (s.start for s in spans)
        )
        assert max(lanes.values()) + 1 == busiest
