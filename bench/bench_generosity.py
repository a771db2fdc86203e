"""The Generosity view at 100k people and 1M acts: first rows, filtering, Serve next, Due.

Run: ``python bench/bench_generosity.py [PEOPLE] [ACTS] [--gui] [--fresh]``. People come from
``gen_journal.make_journal`` (its tiers put about 3 people in 8 in tiers 1–2, so Serve next
ranks some 37k candidates); acts go in with raw ``executemany`` in one transaction, spread
over two years, 60 % given, a tenth of them introductions tying two people. The journal is
kept in ``bench/out/`` and reused unless ``--fresh``.

Each figure is the median of several runs, in milliseconds and, where a plain SQL
``count(*)`` reads the same rows, as a ratio against that count in the same run (the floor:
the log's filters against a count with the same WHERE; Serve next against a count of the
candidates' act rows). Budgets: the view's first rows ≤ 200 ms, Serve next ≤ 300 ms.
``--gui`` also times the real view (offscreen): from ``refresh()`` until the table model has
its first rows, and until every list and the chart are filled.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from gen_journal import make_journal
from rapport.core.act_log import ActFilter, act_page, count_acts
from rapport.core.acts import GENEROSITY_KINDS, TOUCHPOINT_KINDS, ledger_of
from rapport.core.due import due_people
from rapport.core.generosity import overview
from rapport.core.serve import serve_next
from rapport.store.journal import open_journal
from rapport.store.models import db_proxy

TODAY = date(2026, 11, 27)
OUT = Path(__file__).parent / "out" / "generosity"
_BALLAST: list[None] = []
NOTES = [
    "Sent the essay on usage-based pricing",
    "Boosted their launch post",
    "Thank-you note after the coffee",
    "Reviewed their pitch deck",
    "Introduced them: both building in climate tech",
    "Catch-up call",
    "",
    "",
]
KIND_WEIGHTS = [
    ("share", 24), ("amplify", 16), ("thanks", 12), ("intro", 10), ("help", 6),
    ("recommend", 4), ("invite", 3), ("gift", 1), ("other", 2),
    ("message", 10), ("call", 5), ("coffee", 4), ("meal", 2), ("met", 1),
]  # fmt: skip


def add_acts(path: Path, people: int, acts: int, seed: int = 7) -> None:
    """``acts`` acts (with their act_person rows) in one transaction, raw SQL."""
    rng = random.Random(seed)
    kinds = [k for k, w in KIND_WEIGHTS for _ in range(w)]
    journal = open_journal(path, bind=False)
    con = journal.db.connection()
    cur = con.cursor()
    cur.execute("BEGIN")
    act_rows: list[tuple[Any, ...]] = []
    link_rows: list[tuple[Any, ...]] = []
    # People log acts as they happen, so ids grow with dates, as in a journal kept for years.
    days = sorted(
        (TODAY - timedelta(days=int(rng.random() ** 1.3 * 730))).isoformat() for _ in range(acts)
    )
    for act_id, day in enumerate(days, start=1):
        kind = rng.choice(kinds)
        direction = "given" if rng.random() < 0.6 else "received"
        url = f"https://links.example/{act_id}" if kind == "share" else ""
        act_rows.append((act_id, day, kind, direction, url, rng.choice(NOTES), None, day))
        who = {rng.randint(1, people)}
        while kind == "intro" and len(who) < 2:
            who.add(rng.randint(1, people))
        ledger = ledger_of(kind, direction)
        link_rows += [(act_id, pid, day, ledger) for pid in who]
    cur.executemany(
        "INSERT INTO act (id, date, kind, direction, url, note, meeting_id, created) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        act_rows,
    )
    cur.executemany(
        "INSERT INTO act_person (act_id, person_id, date, ledger) VALUES (?, ?, ?, ?)",
        link_rows,
    )
    for n in range(300):  # meetings marked done lately, for follow-ups
        day = TODAY - timedelta(days=n % 20)
        cur.execute(
            "INSERT INTO meeting (kind, title, starts_at, timezone, location, status, notes, uid,"
            " created) VALUES ('coffee', '', ?, '', '', 'done', '', '', ?)",
            (f"{day.isoformat()} 15:00:00", day.isoformat()),
        )
        cur.execute(
            "INSERT INTO meeting_person (meeting_id, person_id) VALUES (?, ?)",
            (cur.lastrowid, rng.randint(1, people)),
        )
    cur.execute("COMMIT")
    journal.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    journal.close()


def median_ms(fn: Callable[[], object], runs: int = 5) -> float:
    fn()  # warm the page cache: every figure is for a journal already open
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def sql_count(sql: str, params: list[Any] | None = None) -> Callable[[], int]:
    return lambda: int(db_proxy.execute_sql(sql, params or []).fetchone()[0])


def line(label: str, ms: float, floor_ms: float | None, budget: float | None = None) -> str:
    verdict = "" if budget is None else ("  ok" if ms <= budget else f"  OVER {budget:.0f} ms")
    if floor_ms is None:  # no count reads the same rows: the absolute figure says it all
        return f"  {label:<34} {ms:8.1f} ms{verdict}"
    ratio = ms / floor_ms if floor_ms > 0 else float("inf")
    return f"  {label:<34} {ms:8.1f} ms   floor {floor_ms:7.1f} ms   ×{ratio:6.2f}{verdict}"


def gui_first_rows(path: Path, runs: int = 5) -> tuple[float, float]:
    """(first rows, whole view) in ms for the real GenerosityView, offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["RAPPORT_TODAY"] = TODAY.isoformat()
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QMainWindow

    from rapport.ui.app import application
    from rapport.ui.generosity.view import GenerosityView
    from rapport.ui.operations import Operations

    app = application()
    # PySide6 6.12 on CPython 3.11 drops a reference to None in many void calls (None is
    # immortal only from 3.12): enough refreshes free None and abort Python. Ballast keeps
    # it alive; main() leaves with os._exit so the ballast is never freed.
    _BALLAST.extend([None] * 10_000_000)
    journal = open_journal(path)
    host = QMainWindow()
    host.ops = Operations(journal, host)  # type: ignore[attr-defined]
    view = GenerosityView(host)  # type: ignore[arg-type]
    host.setCentralWidget(view)
    host.resize(1280, 800)
    firsts, wholes = [], []
    for _ in range(runs + 1):
        first, whole = _one_refresh(view, QEventLoop, QTimer)
        firsts.append(first)
        wholes.append(whole)
        if not host.isVisible():
            host.show()
    host.ops.shutdown()  # type: ignore[attr-defined]
    journal.close()
    del app
    return statistics.median(firsts[1:]), statistics.median(wholes[1:])


def _one_refresh(view: Any, event_loop: Any, timer: Any) -> tuple[float, float]:
    marks: dict[str, float] = {}
    loop = event_loop()
    view.model.loaded.connect(lambda: marks.setdefault("rows", time.perf_counter()))
    start = time.perf_counter()
    view.refresh()

    def check() -> None:
        if view.model.rows and not view.ops.busy:
            marks["all"] = time.perf_counter()
            loop.quit()
        else:
            timer.singleShot(2, check)

    check()
    loop.exec()
    view.model.loaded.disconnect()
    return (marks["rows"] - start) * 1000, (marks["all"] - start) * 1000


def main(argv: list[str]) -> int:
    flags = {a for a in argv if a.startswith("--")}
    numbers = [int(a) for a in argv if not a.startswith("--")]
    people = numbers[0] if numbers else 100_000
    acts = numbers[1] if len(numbers) > 1 else 1_000_000
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"journal-{people}-{acts}.sqlite"
    if "--fresh" in flags or not path.exists():
        began = time.perf_counter()
        make_journal(path, people)
        add_acts(path, people, acts)
        print(f"built {path.name}: {people:,} people, {acts:,} acts in "
              f"{time.perf_counter() - began:.0f} s")  # fmt: skip
    journal = open_journal(path)
    try:
        links = sql_count("SELECT count(*) FROM act_person")()
        print(f"{people:,} people, {acts:,} acts ({links:,} act-person rows), today {TODAY}")
        all_acts = median_ms(sql_count("SELECT count(*) FROM act"))
        print("The log (first 200 rows, newest first):")
        print(
            line("first rows, no filter", median_ms(lambda: act_page(ActFilter())), all_acts, 200)
        )
        some_person = int(
            db_proxy.execute_sql(
                "SELECT person_id FROM act_person GROUP BY person_id ORDER BY count(*) DESC LIMIT 1"
            ).fetchone()[0]
        )
        filters = {
            "person (the busiest)": ActFilter(person_id=some_person),
            "kind: intro": ActFilter(kinds=("intro",)),
            "kind: touchpoints": ActFilter(kinds=TOUCHPOINT_KINDS),
            "received": ActFilter(direction="received"),
            "last 90 days": ActFilter(since=TODAY - timedelta(days=90)),
            "a year ago, one month": ActFilter(
                since=TODAY - timedelta(days=395), until=TODAY - timedelta(days=365)
            ),
            "text: 'pitch deck'": ActFilter(text="pitch deck"),
            "text: rare ('links.example/99999')": ActFilter(text="links.example/99999"),
            "kind gift + received + 90 days": ActFilter(
                kinds=("gift",), direction="received", since=TODAY - timedelta(days=90)
            ),
        }
        for label, flt in filters.items():
            floor = median_ms(lambda flt=flt: count_acts(flt))
            print(line(label, median_ms(lambda flt=flt: act_page(flt)), floor))
        print("What to do next:")
        candidates = (
            "SELECT count(*) FROM act_person WHERE person_id IN (SELECT id FROM person "
            "WHERE archived = 0 AND (tier IN (1, 2) OR id IN (SELECT gp.person_id FROM "
            "goal_person gp JOIN goal g ON g.id = gp.goal_id WHERE g.status = 'active')))"
        )
        n_candidates = sql_count(
            "SELECT count(*) FROM person WHERE archived = 0 AND (tier IN (1, 2) OR id IN "
            "(SELECT person_id FROM goal_person))"
        )()
        floor = median_ms(sql_count(candidates))
        print(f"  ({n_candidates:,} Serve next candidates)")
        print(line("Serve next (top 20)", median_ms(lambda: serve_next(TODAY)), floor, 300))
        # The worst case: no goal fills the top, so every tier-1 (and maybe tier-2) person
        # is scored. Goals are paused inside a transaction that is rolled back.
        with db_proxy.atomic() as txn:
            db_proxy.execute_sql("UPDATE goal SET status = 'paused'")
            tiers = sql_count(candidates.replace("tier IN (1, 2)", "tier = 1"))
            floor_tiers = median_ms(tiers)
            worst = median_ms(lambda: serve_next(TODAY))
            txn.rollback()
        print(line("Serve next, no active goal", worst, floor_tiers, 300))
        due_rows = len(due_people(TODAY))
        print(f"  ({due_rows:,} people due)")
        print(line("Due (all, most overdue first)", median_ms(lambda: due_people(TODAY)), None))
        print(line("whole overview (beside the log)", median_ms(lambda: overview(TODAY), 3), None))
        print(line("chart: 52 weeks", median_ms(lambda: _series()), None))
    finally:
        journal.close()
    if "--gui" in flags:
        first, whole = gui_first_rows(path)
        print("The real view (offscreen, through the reader threads):")
        print(line("refresh → first rows in the table", first, all_acts, 200))
        print(line("refresh → every list and the chart", whole, None))
        sys.stdout.flush()
        os._exit(0)
    return 0


def _series() -> object:
    from rapport.core.balances import weekly_series

    return weekly_series(TODAY)


if __name__ == "__main__":
    assert GENEROSITY_KINDS
    sys.exit(main(sys.argv[1:]))
