"""The demo journal's travel: trips around today, people flagged, coffees planned."""

from __future__ import annotations

from datetime import timedelta

from travel_helpers import TODAY

from rapport.core import flags, meetings, trips
from rapport.core.calendar import sources
from rapport.core.sample import fill_sample


def test_the_sample_has_upcoming_trips_with_flags_and_a_planned_coffee(journal) -> None:
    fill_sample(count=80, today=TODAY)
    upcoming = trips.list_trips(TODAY)
    cities = [t.city for t in upcoming if t.person_id is None]
    assert cities == ["Boston", "Berlin", "Lisbon", "Paris", "San Francisco"]
    assert upcoming[0].start == TODAY + timedelta(days=12)
    assert any(t.person_id is not None for t in upcoming)  # a contact's visit
    assert [t.city for t in trips.list_trips(TODAY - timedelta(days=60), TODAY)] == ["Tokyo"]
    assert sum(t.flags for t in upcoming) >= 10
    assert any(
        "connect while you're there" in r for s in flags.suggestions(today=TODAY) for r in s.reasons
    )
    statuses = {m.status for m in meetings.list_meetings()}
    assert {"invited", "confirmed"} <= statuses
    # The sample calendar is no file on disk: refreshing leaves it alone.
    assert sources.refresh(today=TODAY) == []
