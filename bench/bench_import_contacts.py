"""How long importing 20,000 vCards takes: into a fresh journal, into 10k people, and again.

Run: ``python bench/bench_import_contacts.py [cards] [people]``. The cards come from
``bench_contact_formats.make_cards`` (Apple-shaped vCard 3.0, a photo on one in ten); the
10k-people journal from ``gen_journal.make_journal``. Each phase prints its seconds and
records per second: parse (bytes → records), plan (matching against the journal), apply
(the one write transaction, places resolved once per city). The last run imports the same
file again, which must write nothing and report every card skipped; the fourth imports the
journal's own vCard export with a new phone on every card, so every person is updated.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from bench_contact_formats import make_cards
from gen_journal import make_journal
from rapport.core.contact_formats import parse_vcards, write_vcards
from rapport.core.contacts_export import contact_records
from rapport.core.contacts_import import apply_import, plan_import
from rapport.store.journal import open_journal
from rapport.store.models import Person

T = TypeVar("T")


def timed(label: str, count: int, fn: Callable[[], T]) -> tuple[T, float]:
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    # CPU seconds too: on a shared machine the wall clock also counts other people's work.
    print(f"  {label:<6} {seconds:6.2f} s  {count / seconds:>9,.0f} records/s  ({cpu:.2f} s CPU)")
    return value, seconds


def run(title: str, journal_path: Path, data: bytes | None, count: int) -> dict[str, Any]:
    """Import ``data`` into the journal; None: the journal's own vCard export, one new phone
    on every card (every person matched through their email and updated)."""
    journal = open_journal(journal_path)
    try:
        before = Person.select().count()
        print(f"{title} ({before:,} people before):")
        if data is None:
            records = contact_records()
            for i, rec in enumerate(records):
                rec.phones.append(("work", f"+1 617 555 {i:06d}"))
            data = write_vcards(records).encode("utf-8")
            count = len(records)
        parsed, t_parse = timed("parse", count, lambda: parse_vcards(data, "bench.vcf"))
        plan, t_plan = timed("plan", count, lambda: plan_import([("bench.vcf", parsed)]))
        result, t_apply = timed("apply", count, lambda: apply_import(plan))
        report = result.files[0]
        total = t_parse + t_plan + t_apply
        print(
            f"  total  {total:6.2f} s  {count / total:>9,.0f} records/s — {report.summary()}; "
            f"{Person.select().count():,} people after"
        )
        return {"parse": t_parse, "plan": t_plan, "apply": t_apply, "report": report}
    finally:
        journal.close()


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 20_000
    people = int(argv[1]) if len(argv) > 1 else 10_000
    data = make_cards(count)
    print(f"{count:,} vCards ({len(data) / 1e6:.1f} MB); journal of {people:,} people\n")
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh" / "journal.sqlite"
        run("Fresh journal", fresh, data, count)
        start = time.perf_counter()
        big = make_journal(Path(tmp) / "big", people)
        print(f"\n(made the {people:,}-people journal in {time.perf_counter() - start:.1f} s)")
        run(f"Journal of {people:,} people", big, data, count)
        print()
        again = run("The same file again", big, data, count)
        report = again["report"]
        assert (report.added, report.updated, report.merged) == (0, 0, 0), report
        assert report.skipped == count
        print()
        updates = run("Its own export, one new phone per card", big, None, 0)
        assert updates["report"].updated == people + count, updates["report"]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
