"""Benchmark: importing a 10k-event travel calendar, whole, against icalendar's parse alone.

Budgets (DESIGN.md), measured in one run:
- the WHOLE import — read, parse, classify, resolve places, store, group trips, flag people
  (in a journal of 10k contacts) — ÷ ``icalendar.Calendar.from_ical`` on the same bytes ≤ 1.0;
- refreshing the unchanged calendar ÷ its first import ≤ 0.1.

The calendar comes from ``gen_calendar.py`` (TripIt, Gmail, Outlook, trains, conferences,
recurring series). Usage: ``python bench/bench_calendar_import.py [EVENTS] [PEOPLE]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import icalendar

from gen_calendar import write_calendar
from gen_journal import make_journal
from rapport.core.calendar import sources
from rapport.store import settings
from rapport.store.journal import open_journal
from rapport.store.models import Flag, Trip

TODAY = date(2026, 11, 27)
IMPORT_BUDGET = 1.0
REFRESH_BUDGET = 0.1


def main(argv: list[str]) -> int:
    events = int(argv[0]) if argv else 10_000
    people = int(argv[1]) if len(argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        ics = write_calendar(root / "travel.ics", events)
        data = ics.read_bytes()
        journal = open_journal(make_journal(root / "journal", people))
        settings.put("home_city", "London, GB")
        print(f"calendar: {events:,} events, {len(data) / 1e6:.1f} MB; journal: {people:,} people")

        began = time.perf_counter()
        icalendar.Calendar.from_ical(data)
        floor = time.perf_counter() - began
        print(f"icalendar Calendar.from_ical: {floor:.2f} s")

        began = time.perf_counter()
        report = sources.import_ics_file(ics, today=TODAY)
        first = time.perf_counter() - began
        print(
            f"whole import: {first:.2f} s — {report.added:,} events, "
            f"{Trip.select().count():,} trips, {Flag.select().count():,} flags"
        )

        began = time.perf_counter()
        [again] = sources.refresh(report.source_id, today=TODAY)
        refresh = time.perf_counter() - began
        assert again.unchanged, again
        print(f"refresh, unchanged: {refresh * 1000:.1f} ms")
        journal.close()

    import_ratio, refresh_ratio = first / floor, refresh / first
    ok = import_ratio <= IMPORT_BUDGET and refresh_ratio <= REFRESH_BUDGET
    print(f"import ÷ from_ical: {import_ratio:.2f} (budget ≤ {IMPORT_BUDGET})")
    print(f"unchanged refresh ÷ first import: {refresh_ratio:.4f} (budget ≤ {REFRESH_BUDGET})")
    print("ok" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
