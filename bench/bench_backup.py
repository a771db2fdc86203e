"""Encrypted backup of a ~100 MB journal against SQLite's backup API alone, in one run.

    python bench/bench_backup.py [--mb 100] [--rounds 5] [--keep DIR]

Prints ``encrypted backup / sqlite backup API = X.XX (budget 1.5)``, the verify time, where
the encrypted backup spends its time, and the scrypt timing. Rounds are interleaved and the
medians compared, so a busy machine slows both sides alike.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rapport.store.backup_format import decrypt_file, encrypt_file
from rapport.store.backups import BackupManager
from rapport.store.secrets import DEFAULT_SCRYPT, StaticKey, time_scrypt
from rapport.store.sqlite_copy import copy_database

_WORD_TEXT = (
    "coffee conference intro thanks share amplify recommend help invite gift podcast "
    "startup sales design research Berlin Boston Lisbon Porto Tokyo Nairobi Austin "
    "product engineering hiring fundraising mentor advisor panel keynote meetup talk "
    "article newsletter book launch release demo feedback community open source data"
)
WORDS = _WORD_TEXT.split()
CITIES = ["Boston", "Cambridge, MA", "Berlin", "Lisbon", "Tokyo", "Nairobi", "Austin", "NYC"]
KINDS = ["share", "amplify", "intro", "thanks", "gift", "recommend", "help", "invite", "other"]


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def build_journal(path: Path, target_mb: int) -> None:
    """People, notes about them, and a generosity log, until the file reaches ``target_mb``."""
    rng = random.Random(1)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.executescript(
        """
        CREATE TABLE person (id INTEGER PRIMARY KEY, display_name TEXT NOT NULL,
            organisation TEXT, title TEXT, city TEXT, emails TEXT, links TEXT,
            how_we_met TEXT, tier INTEGER, cadence_days INTEGER, notes TEXT,
            archived INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE note (id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES person(id), created TEXT, body TEXT);
        CREATE TABLE act (id INTEGER PRIMARY KEY, day TEXT, kind TEXT, direction TEXT,
            url TEXT, note TEXT);
        CREATE TABLE act_person (act_id INTEGER NOT NULL REFERENCES act(id),
            person_id INTEGER NOT NULL REFERENCES person(id), PRIMARY KEY (act_id, person_id));
        CREATE INDEX person_name ON person(display_name);
        CREATE INDEX note_person ON note(person_id);
        CREATE INDEX act_day ON act(day);
        """
    )
    people = 0
    while path.stat().st_size < target_mb << 20:
        conn.execute("BEGIN")
        batch = range(people + 1, people + 2001)
        conn.executemany(
            "INSERT INTO person VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
            [
                (
                    i,
                    f"Person {i} {rng.choice(WORDS).title()}",
                    f"{rng.choice(WORDS).title()} Labs",
                    rng.choice(["CTO", "Founder", "Engineer", "Editor", "Investor"]),
                    rng.choice(CITIES),
                    f"p{i}@example.org",
                    f"https://example.org/{i}",
                    text(rng, 12),
                    rng.randint(1, 3),
                    rng.choice([30, 60, 90, 180]),
                    text(rng, rng.randint(20, 120)),
                )
                for i in batch
            ],
        )
        conn.executemany(
            "INSERT INTO note (person_id, created, body) VALUES (?, ?, ?)",
            [
                (i, f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", text(rng, 80))
                for i in batch
                for _ in range(3)
            ],
        )
        first_act = conn.execute("SELECT coalesce(max(id), 0) FROM act").fetchone()[0] + 1
        acts = [
            (
                first_act + k,
                f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(KINDS),
                rng.choice(["given", "received"]),
                f"https://example.org/post/{rng.randint(1, 10**6)}",
                text(rng, 25),
            )
            for k in range(4000)
        ]
        conn.executemany("INSERT INTO act VALUES (?, ?, ?, ?, ?, ?)", acts)
        conn.executemany(
            "INSERT OR IGNORE INTO act_person VALUES (?, ?)",
            [(a[0], rng.choice(batch)) for a in acts],
        )
        conn.execute("COMMIT")
        people += 2000
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def sqlite_backup_api(src: Path, dest: Path) -> None:
    """The floor: SQLite's backup API to a new file, with SQLite's default settings."""
    dest.unlink(missing_ok=True)
    source = sqlite3.connect(src)
    target = sqlite3.connect(dest)
    source.backup(target)
    target.close()
    source.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the journal here (and reuse it)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as scratch:
        root = args.keep or Path(scratch)
        root.mkdir(parents=True, exist_ok=True)
        journal = root / "journal.sqlite"
        if not journal.exists():
            print(f"building a {args.mb} MB journal …", flush=True)
            build_journal(journal, args.mb)
        conn = sqlite3.connect(journal)
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("person", "note", "act", "act_person")
        }
        conn.close()
        size = journal.stat().st_size
        print(f"journal: {size / 2**20:.1f} MiB, rows {counts}")

        backups = Path(scratch) / "backups"
        key = StaticKey(os.urandom(32))
        manager = BackupManager(journal, backups, key)
        floor_copy = Path(scratch) / "floor.sqlite"

        floor, encrypted, verify = [], [], []
        ids = []
        for _ in range(args.rounds):
            floor.append(timed(lambda: sqlite_backup_api(journal, floor_copy)))
            start = time.perf_counter()
            info = manager.backup_now("bench", verify=False)
            encrypted.append(time.perf_counter() - start)
            ids.append(info.id)
            verify.append(timed(lambda i=info.id: manager.verify(i)))  # type: ignore[misc]
            for stale in backups.glob("*.rbak"):
                stale.unlink()
            (backups / "backups.json").unlink(missing_ok=True)

        # Where the encrypted backup's time goes.
        plain = Path(scratch) / "plain.sqlite"
        sealed = Path(scratch) / "sealed.rbak"
        copy_t = statistics.median(
            timed(lambda: copy_database(journal, plain, durable=False)) for _ in range(3)
        )
        enc_t = statistics.median(
            timed(lambda: encrypt_file(plain, sealed, key.encryption_key().key)) for _ in range(3)
        )
        dec_t = statistics.median(
            timed(lambda: decrypt_file(sealed, plain, key.encryption_key().key, durable=False))
            for _ in range(3)
        )

        f, e, v = (statistics.median(x) for x in (floor, encrypted, verify))
        print(f"sqlite backup API alone:      median {f:.3f} s  (runs {_fmt(floor)})")
        print(f"encrypted backup, no verify:  median {e:.3f} s  (runs {_fmt(encrypted)})")
        print(f"verify (decrypt + checks):    median {v:.3f} s  (runs {_fmt(verify)})")
        print(
            f"  parts: copy to a temp file {copy_t:.3f} s, encrypt + fsync {enc_t:.3f} s, "
            f"decrypt {dec_t:.3f} s"
        )
        print(
            f"encrypted backup / sqlite backup API = {e / f:.2f} (budget 1.5)"
            f"  [fastest runs: {min(encrypted) / min(floor):.2f}]"
        )
        print(f"verify / sqlite backup API = {v / f:.2f} (reported, no budget)")
        p = DEFAULT_SCRYPT
        scrypt_t = statistics.median(time_scrypt() for _ in range(3))
        print(
            f"scrypt N=2^{p.log2_n} r={p.r} p={p.p} ({p.memory >> 20} MiB): {scrypt_t:.3f} s "
            "per derivation"
        )


def _fmt(runs: list[float]) -> str:
    return " ".join(f"{r:.3f}" for r in runs)


if __name__ == "__main__":
    main()
