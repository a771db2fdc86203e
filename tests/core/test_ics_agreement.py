"""The fast reader and the full icalendar path agree on every event of the fixtures.

``parse_ics`` reads properties itself and hands only recurring series to icalendar;
``parse_ics_full`` lets icalendar, x-wr-timezone and recurring-ical-events read everything.
Both must give the same records (icalendar keeps no line numbers or source text, so
``line`` and ``content_hash`` are left out of the comparison).
"""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from icalendar.timezone import tzp

from rapport.core.calendar.ics_full import parse_ics_full
from rapport.core.calendar.ics_parse import default_window, parse_ics
from rapport.core.calendar.records import EventRecord

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "calendar"
WINDOW = default_window(date(2026, 11, 27))


def _comparable(events: list[EventRecord]) -> dict[tuple[str, str], EventRecord]:
    return {(e.uid, e.recurrence_id): replace(e, line=0, content_hash="") for e in events}


def _agree(data: bytes, name: str, default_tz: str = "UTC") -> int:
    fast = parse_ics(data, name, window=WINDOW, default_tz=default_tz)
    tzp.use_zoneinfo()  # icalendar caches VTIMEZONEs process-wide; start clean
    full = parse_ics_full(data, name, window=WINDOW, default_tz=default_tz)
    ours, theirs = _comparable(fast.events), _comparable(full.events)
    assert ours.keys() == theirs.keys()
    for key, record in ours.items():
        assert record == theirs[key], key
    assert fast.calendar_name == full.calendar_name
    assert fast.default_tz == full.default_tz
    return len(ours)


@pytest.mark.parametrize("default_tz", ["UTC", "Europe/Paris"])
@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.ics")), ids=lambda p: p.name)
def test_every_fixture_reads_the_same_both_ways(path: Path, default_tz: str) -> None:
    assert _agree(path.read_bytes(), path.name, default_tz) > 0


def test_a_generated_travel_calendar_reads_the_same_both_ways() -> None:
    # The benchmark's generator: many zones, Windows names, series with EXDATEs and
    # moved occurrences, alarms, folded descriptions.
    spec = importlib.util.spec_from_file_location(
        "gen_calendar", ROOT / "bench" / "gen_calendar.py"
    )
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    data = gen.calendar_text(events=400, seed=7).encode()
    assert _agree(data, "generated.ics") > 400  # the series add occurrences
