"""Benchmark: coffee flags for 1,000 upcoming trips in a journal of 100,000 contacts.

Budget (DESIGN.md): ``compute_flags`` ≤ 0.5 s. The journal comes from ``gen_journal``
(100k people, three quarters of them in 24 cities); the trips go to random cities among
those, every one upcoming, so each trip has thousands of people within reach. Measured
cold (no flags yet: every row is written) and again (nothing changed: nothing written).

Usage: ``python bench/bench_flags.py [PEOPLE] [TRIPS]``.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from gen_journal import make_journal
from rapport.core import flags
from rapport.store import settings
from rapport.store.journal import open_journal
from rapport.store.models import Flag, db_proxy

TODAY = date(2026, 11, 27)
BUDGET_SECONDS = 0.5


def add_trips(count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    places = [int(r[0]) for r in db_proxy.execute_sql("SELECT id FROM place").fetchall()]
    rows = []
    for n in range(count):
        start = TODAY + timedelta(days=rng.randrange(1, 720))
        rows.append(
            (rng.choice(places), start, start + timedelta(days=rng.randrange(1, 6)), f"b{n}")
        )
    with db_proxy.atomic():
        db_proxy.cursor().executemany(
            "INSERT INTO trip (place_id, start_date, end_date, key, label, manual, dismissed, note)"
            " VALUES (?, ?, ?, ?, '', 0, 0, '')",
            [(p, s.isoformat(), e.isoformat(), k) for p, s, e, k in rows],
        )


def main(argv: list[str]) -> int:
    people = int(argv[0]) if argv else 100_000
    trip_count = int(argv[1]) if len(argv) > 1 else 1_000
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        path = make_journal(Path(folder), people)
        journal = open_journal(path)
        settings.put("home_city", "Reykjavik, IS")
        add_trips(trip_count)
        took = time.perf_counter() - began
        print(f"journal: {people:,} people, {trip_count:,} trips ({took:.1f} s)")
        began = time.perf_counter()
        flags.compute_flags(today=TODAY)
        cold = time.perf_counter() - began
        written = Flag.select().count()
        began = time.perf_counter()
        flags.compute_flags(today=TODAY)
        warm = time.perf_counter() - began
        journal.close()
    print(f"flags, first time: {cold:.3f} s ({written:,} flags written)")
    print(f"flags, again (nothing changed): {warm:.3f} s")
    verdict = "ok" if cold <= BUDGET_SECONDS else "OVER BUDGET"
    print(f"budget {BUDGET_SECONDS} s: {cold / BUDGET_SECONDS:.2f} of it — {verdict}")
    return 0 if cold <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
