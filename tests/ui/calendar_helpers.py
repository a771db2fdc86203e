"""Shared by the Calendar view tests: a pinned today, a home city, people near Boston, and
the TripIt fixture imported the way the window imports files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from rapport.core import people, preferences
from rapport.ui import importing

CALENDARS = Path(__file__).parent.parent / "fixtures" / "calendar"
TRIPIT = CALENDARS / "tripit_feed.ics"
TODAY = date(2027, 3, 1)
BOSTON_START, BOSTON_END = date(2027, 3, 15), date(2027, 3, 19)
MARKUP = "<b>Bold</b> <img src=x>"


def set_home(window: Any, city: str = "London") -> None:
    window.ops.run_on_writer(lambda: preferences.put("home_city", city))


def add_people(window: Any) -> dict[str, int]:
    """People within reach of Boston (one named in markup), and one far away."""

    def create() -> dict[str, int]:
        ids = {
            "ada": people.create_person("Ada Lovelace", city="Cambridge, MA")[0],
            "markup": people.create_person(MARKUP, city="Boston, MA")[0],
            "far": people.create_person("Far Away", city="San Francisco, CA")[0],
        }
        people.add_email(ids["ada"], "ada@example.org")
        return ids

    return window.ops.run_on_writer(create)


def import_tripit(window: Any, settle: Any) -> None:
    """Drop the TripIt feed on the window (the same call as File ▸ Import…)."""
    importing.import_files(window, [TRIPIT])
    settle(window, 20_000)


def boston_trip(window: Any) -> Any:
    view = window.views["calendar"]
    trips = [t for t in view.month_data.trips if t.city == "Boston"]
    assert len(trips) == 1, [t.city for t in view.month_data.trips]
    return trips[0]
