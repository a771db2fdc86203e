"""Benchmark: reading a 10k-event travel calendar, against icalendar's own parse of it.

Generates the calendar (``gen_calendar.py``) in a temporary folder, then times, in the same
run and interleaved so both see the same machine load, ``icalendar.Calendar.from_ical`` on
the bytes and Rapport's ``parse_ics`` + ``classify`` of every event (best of several runs
each). Budget (DESIGN.md): the whole import <= 1.0 x from_ical; parsing and classifying
should stay near 0.5 x to leave room for the database write.

Usage: ``python bench/bench_ics_import.py [--events 10000] [--runs 3]``
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import icalendar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_calendar import write_calendar
from rapport.core.calendar.classify import classify
from rapport.core.calendar.ics_parse import parse_ics

TODAY = date(2026, 11, 27)
BUDGET = 1.0


def _timed(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_calendar(Path(tmp) / "travel.ics", args.events)
        data = path.read_bytes()
    kinds: Counter[str] = Counter()
    parsed_events = 0

    def ours() -> None:
        nonlocal parsed_events
        parsed = parse_ics(data, "travel.ics", today=TODAY)
        kinds.clear()
        kinds.update(classify(ev).kind for ev in parsed.events)
        parsed_events = len(parsed.events)

    def library() -> None:
        icalendar.Calendar.from_ical(data)

    ours()  # warm caches (zone data, airport codes) outside the timed runs
    lib_times, our_times = [], []
    for _ in range(args.runs):
        lib_times.append(_timed(library))
        our_times.append(_timed(ours))
    lib, mine = min(lib_times), min(our_times)
    print(
        f"calendar: {args.events:,} VEVENTs, {len(data) / 1e6:.1f} MB -> {parsed_events:,} "
        f"records ({', '.join(f'{k} {n}' for k, n in kinds.most_common())})"
    )
    print(f"icalendar.Calendar.from_ical: {lib:.3f} s (best of {args.runs})")
    print(f"parse_ics + classify:         {mine:.3f} s (best of {args.runs})")
    ratio = mine / lib
    print(f"ics parse+classify / icalendar.from_ical = {ratio:.2f} (budget {BUDGET})")
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
