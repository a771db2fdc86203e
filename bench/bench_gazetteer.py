"""How fast the gazetteer opens and answers: first load, then resolve / within / by_id latencies.

    python bench/bench_gazetteer.py [--queries 4000] [--loads 5]

No budget of its own: it prints what it measured. The first load is timed in fresh Python
processes (import of the module, then ``load()``, then the first ``resolve``); the query mix
is drawn with a fixed seed from the gazetteer's own places: bare names, "City, ST" and full
street addresses, IATA codes, native-script names, lower-case typing and text naming no place.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "desktop"))

from rapport.core import gazetteer  # noqa: E402
from rapport.resources import resource  # noqa: E402

FIRST_LOAD = """
import json, time
t0 = time.perf_counter()
from rapport.core import gazetteer
t1 = time.perf_counter()
gazetteer.load()
t2 = time.perf_counter()
gazetteer.resolve("Hilton Boston Back Bay, 40 Dalton St, Boston, MA 02115, United States")
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "first resolve": t3 - t2}))
"""

FIXED = [
    "Boston", "Cambridge, MA", "NYC", "SF", "Frankfurt am Main", "BOS", "LHR",
    "40 Dalton St, Boston, MA, 02115",
    "Hilton Boston Back Bay, 40 Dalton St, Boston, MA 02115, United States",
    "Moscone Center, 747 Howard St, San Francisco, CA 94103", "Tokyo, Japan", "東京",
    "München", "Zurich", "London", "London, ON", "Portland", "Paris, TX", "Zoom",
    "Conference room 4B", "TBD", "Online", "Microsoft Teams Meeting",
    "Marienplatz 1, 80331 München",
]  # fmt: skip
NOT_PLACES = [
    "Zoom", "Online", "TBD", "Conference room 4B", "Lunch with Sam", "Board room, 3rd floor",
    "https://meet.google.com/abc-defg-hij", "Call +1 617 555 0100", "Suite 400",
]  # fmt: skip


def first_load(loads: int) -> dict[str, list[float]]:
    env_path = str(ROOT / "desktop")
    runs: dict[str, list[float]] = {}
    for _ in range(loads):
        out = subprocess.run(
            [sys.executable, "-c", FIRST_LOAD],
            check=True,
            capture_output=True,
            text=True,
            env={"PYTHONPATH": env_path},
        ).stdout
        for key, value in json.loads(out).items():
            runs.setdefault(key, []).append(value)
    return runs


def query_mix(count: int, rng: random.Random) -> list[str]:
    uri = resource("gazetteer", "gazetteer.sqlite").as_uri() + "?mode=ro"
    con = sqlite3.connect(uri, uri=True)
    places = con.execute(
        "SELECT p.name, z.country, z.region, p.pop FROM place p JOIN zone z ON z.id = p.zone"
    ).fetchall()
    natives = [
        key for (key,) in con.execute("SELECT key FROM name WHERE own = 0") if not key.isascii()
    ]
    codes = [code for (code,) in con.execute("SELECT iata FROM airport")]
    con.close()
    # People mostly type bigger places: weight by population, but keep the long tail.
    weights = [max(pop, 2000) ** 0.5 for *_, pop in places]
    picked = rng.choices(places, weights=weights, k=count)
    queries = list(FIXED)
    for name, country, region, _ in picked:
        shape = rng.random()
        if shape < 0.30:
            queries.append(name)
        elif shape < 0.50:
            queries.append(f"{name}, {region if country in ('US', 'CA', 'AU') else country}")
        elif shape < 0.62:
            zip_code = f"{rng.randrange(10000, 99999)}" if country == "US" else ""
            queries.append(
                f"Hotel {rng.choice('ABCDEFG')}, {rng.randrange(1, 999)} Main St, {name}, "
                f"{region} {zip_code}, {country}"
            )
        elif shape < 0.70:
            queries.append(name.lower())
        elif shape < 0.80:
            queries.append(rng.choice(codes))
        elif shape < 0.88:
            queries.append(rng.choice(natives))
        else:
            queries.append(rng.choice(NOT_PLACES))
    return queries[:count]


def timed(calls: list[Callable[[], object]]) -> list[float]:
    out = []
    for call in calls:
        t0 = time.perf_counter()
        call()
        out.append(time.perf_counter() - t0)
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def report(label: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(
        f"{label:<28} n={len(ms):<6} p50 {pct(ms, 50):7.3f} ms   p95 {pct(ms, 95):7.3f} ms   "
        f"p99 {pct(ms, 99):7.3f} ms   max {max(ms):7.3f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=4000)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)

    path = resource("gazetteer", "gazetteer.sqlite")
    info_started = time.perf_counter()
    gazetteer.load()
    info = gazetteer.info()
    print(
        f"gazetteer: {path.name} {path.stat().st_size / 1e6:.2f} MB, {info['places']} places, "
        f"{info['names']} names, {info['airports']} airports "
        f"(load in this process {1000 * (time.perf_counter() - info_started):.1f} ms)"
    )

    loads = first_load(args.loads)
    for key, values in loads.items():
        median, fastest = 1000 * statistics.median(values), 1000 * min(values)
        print(
            f"first load, fresh process: {key:<14} median {median:6.1f} ms"
            f"   min {fastest:6.1f} ms   (n={len(values)})"
        )

    queries = query_mix(args.queries, rng)
    answers = [gazetteer.resolve(q) for q in queries]  # warm the page cache once
    report("resolve (mixed)", timed([partial(gazetteer.resolve, q) for q in queries]))
    print(f"{'':<28} resolved {sum(a is not None for a in answers)} of {len(queries)}")
    hits = [a for a in answers if a is not None]
    points = [(a.lat, a.lon) for a in rng.sample(hits, min(500, len(hits)))]
    found = [len(gazetteer.within(*p, 50)) for p in points]
    report("within 50 km", timed([partial(gazetteer.within, *p, 50) for p in points]))
    print(f"{'':<28} mean {statistics.mean(found):.0f} places, max {max(found)}")
    ids = [a.geonameid for a in hits[:2000]]
    report("by_id", timed([partial(gazetteer.by_id, i) for i in ids]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
