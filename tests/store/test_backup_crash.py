"""SIGKILL at random moments: no committed row is lost, and a restore is all or nothing.

Children are forked (no interpreter start-up), killed with SIGKILL, and the parent checks the
journal they left. Each test prints where its kills landed; run with ``-s`` to see it.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import statistics
import struct
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import rapport.store.backups as backups_module
from rapport.store.backups import BackupManager
from rapport.store.secrets import StaticKey
from rapport.store.sqlite_copy import copy_database, integrity

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        sys.platform == "win32" or not hasattr(os, "fork"), reason="needs fork and SIGKILL"
    ),
]

ROUNDS = 100
KEY = StaticKey(bytes(range(32)))
RECORD = struct.Struct(">Q")


def read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


def fork(child: Callable[[int], None]) -> tuple[int, int]:
    """Run ``child(write_fd)`` in a forked process; return (pid, read_fd)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (child)
        os.close(r)
        code = 0
        try:
            child(w)
        except BaseException as err:
            try:
                os.write(w, b"E" + repr(err).encode()[:500])
            finally:
                code = 1
        os._exit(code)
    os.close(w)
    return pid, r


def kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


# --- (a) a writer killed while it commits -----------------------------------------------


def writer(journal: Path, synchronous: str, first_txn: int) -> Callable[[int], None]:
    def run(out: int) -> None:
        rng = random.Random(first_txn)
        conn = sqlite3.connect(journal, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {synchronous}")
        os.write(out, RECORD.pack(0))  # open, and any WAL left by the last kill recovered
        txn = first_txn
        while True:
            size = rng.randint(1, 5)
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT INTO entry (txn, seq, size, body) VALUES (?, ?, ?, ?)",
                [(txn, s, size, rng.randbytes(rng.randint(10, 400))) for s in range(size)],
            )
            conn.execute("COMMIT")
            # Only now, after COMMIT returned, is the transaction reported as committed.
            os.write(out, RECORD.pack(txn))
            txn += 1

    return run


def transactions(conn: sqlite3.Connection) -> dict[int, tuple[int, int]]:
    """txn -> (rows found, rows it should have)."""
    rows = conn.execute("SELECT txn, count(*), min(size), max(size) FROM entry GROUP BY txn")
    found = {}
    for txn, count, lo, hi in rows:
        assert lo == hi
        found[txn] = (count, lo)
    return found


def test_sigkilled_writer_never_loses_a_committed_transaction(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite"
    with sqlite3.connect(journal) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(
            "CREATE TABLE entry (id INTEGER PRIMARY KEY, txn INTEGER NOT NULL, "
            "seq INTEGER NOT NULL, size INTEGER NOT NULL, body BLOB)"
        )
        conn.execute("CREATE INDEX entry_txn ON entry (txn, size)")
    conn.close()
    rng = random.Random(20250601)
    reported: set[int] = set()
    per_round: list[int] = []
    unreported_commits = 0
    stages: Counter[str] = Counter()
    copies_checked = 0

    # How long a first commit takes here (fsync-bound with synchronous=FULL), so the kills
    # are spread over opening and committing whatever the disk's speed.
    pid, pipe = fork(writer(journal, "FULL", 1))
    assert len(os.read(pipe, RECORD.size)) == RECORD.size
    opened_at = time.perf_counter()
    assert len(os.read(pipe, RECORD.size)) == RECORD.size
    first_commit = time.perf_counter() - opened_at
    kill(pid)
    os.close(pipe)
    window = min(max(0.02, 4 * first_commit), 0.06)
    with sqlite3.connect(journal) as conn:
        next_txn = max(transactions(conn), default=0) + 1
        reported |= set(transactions(conn))
    conn.close()
    started = time.perf_counter()

    for round_no in range(ROUNDS):
        synchronous = "FULL" if round_no % 2 else "NORMAL"
        pid, pipe = fork(writer(journal, synchronous, next_txn))
        if round_no % 10 == 9:
            # A backup of the live journal taken while the writer commits.
            time.sleep(rng.uniform(0.002, 0.01))
            copy = tmp_path / "live-copy.sqlite"
            copy_database(journal, copy, pages=16)
            with sqlite3.connect(copy) as c:
                assert integrity(c) == "ok"
                assert all(n == size for n, size in transactions(c).values())
                assert reported <= set(transactions(c))
            c.close()
            copies_checked += 1
        ready = b""
        if round_no % 4 < 2:
            # Half the kills are timed from the start of the child (so some land while it
            # opens and recovers the journal), half from its first moment of writing.
            while len(ready) < RECORD.size and (chunk := os.read(pipe, RECORD.size - len(ready))):
                ready += chunk
        time.sleep(rng.uniform(0.0, window))
        kill(pid)
        data = ready + read_all(pipe)
        assert not data.startswith(b"E"), data
        assert len(data) % RECORD.size == 0
        now_reported = {RECORD.unpack_from(data, i)[0] for i in range(0, len(data), RECORD.size)}
        opened = 0 in now_reported
        now_reported.discard(0)
        reported |= now_reported
        per_round.append(len(now_reported))

        conn = sqlite3.connect(journal)
        try:
            # The checker's own flushes only matter for power loss, not for this test.
            conn.execute("PRAGMA synchronous = OFF")
            assert integrity(conn) == "ok"
            found = transactions(conn)
        finally:
            conn.close()
        assert reported <= set(found), f"round {round_no}: committed transactions lost"
        assert all(n == size for n, size in found.values()), "a transaction is half there"
        extra = set(found) - reported
        # At most the one transaction whose COMMIT returned just before the kill.
        assert len(extra) <= 1
        unreported_commits += len(extra)
        reported |= extra
        wrote = bool(now_reported or extra)
        stages["opening"] += not opened and not wrote
        stages["before its first commit"] += opened and not wrote
        stages["committing"] += wrote
        next_txn = max(found, default=0) + 1

    elapsed = time.perf_counter() - started
    spread = ", ".join(f"{k} {v}" for k, v in stages.items())
    print(
        f"\nwriter: first commit {first_commit * 1000:.1f} ms, kills within "
        f"{window * 1000:.0f} ms; {ROUNDS} SIGKILLs in {elapsed:.1f}s; killed while {spread}; "
        f"transactions reported per round min {min(per_round)} / median "
        f"{statistics.median(per_round):.0f} / max {max(per_round)}; committed but killed "
        f"before reporting {unreported_commits}; live copies checked {copies_checked}; "
        f"total transactions {len(reported)}"
    )
    assert stages["committing"] >= ROUNDS // 4  # the kills did land while committing
    assert len(reported) > ROUNDS


# --- (b) a restore killed at any moment -----------------------------------------------------

# Markers written by the restoring child as it passes each step, in order.
STEPS = [
    (b"D", "decrypt_file"),
    (b"C", "_check_copy"),
    (b"B", "safety backup"),
    (b"W", "_retire_old_journal"),
    (b"R", "replace_durably"),
]
PHASES = {
    "": "decrypting",
    "D": "checking",
    "C": "safety backup",
    "B": "retiring the old WAL",
    "W": "renaming",
    "R": "cleaning up",
    "F": "finished",
}


def make_people(path: Path, label: str, count: int) -> set[tuple[Any, ...]]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT, bio TEXT)")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO person (name, bio) VALUES (?, ?)",
        [(f"{label} {i}", label * (i % 50)) for i in range(count)],
    )
    conn.execute("COMMIT")
    rows = set(conn.execute("SELECT * FROM person"))
    conn.close()
    return rows


def content(path: Path) -> set[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        assert integrity(conn) == "ok"
        return set(conn.execute("SELECT * FROM person"))
    finally:
        conn.close()


def restoring_child(manager: BackupManager, backup_id: str) -> Callable[[int], None]:
    def run(out: int) -> None:
        def marking(fn: Callable[..., Any], mark: bytes) -> Callable[..., Any]:
            def wrapped(*args: Any, **kwargs: Any) -> Any:
                result = fn(*args, **kwargs)
                os.write(out, mark)
                return result

            return wrapped

        for mark, name in STEPS:
            if name == "safety backup":
                original = BackupManager._safety_backup
                BackupManager._safety_backup = marking(original, mark)  # type: ignore[method-assign]
            else:
                setattr(backups_module, name, marking(getattr(backups_module, name), mark))
        os.write(out, b"S")
        manager.restore(backup_id)
        os.write(out, b"F")

    return run


def reset_journal(template: Path, journal: Path, hot_wal_row: str | None) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        journal.with_name(journal.name + suffix).unlink(missing_ok=True)
    copy_database(template, journal, durable=False)
    if hot_wal_row is None:
        return

    # The old journal's last commit lives only in its WAL, as after a crash.
    def crash_after_commit(_out: int) -> None:
        conn = sqlite3.connect(journal, isolation_level=None)
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("INSERT INTO person (id, name) VALUES (100000, ?)", (hot_wal_row,))

    pid, pipe = fork(crash_after_commit)
    os.waitpid(pid, 0)
    assert read_all(pipe) == b""


def test_sigkilled_restore_leaves_the_old_journal_or_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A SIGKILL leaves the page cache intact: the flushes to disk only matter for a power
    # cut, which this harness cannot make. Skipping them keeps 100 rounds fast.
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    rng = random.Random(7)
    data = tmp_path / "data"
    data.mkdir()
    template = tmp_path / "old-template.sqlite"
    old_rows = make_people(template, "old", 400)
    source = tmp_path / "other" / "journal.sqlite"
    source.parent.mkdir()
    new_rows = make_people(source, "new", 300)
    backup_dir = tmp_path / "backups"
    made = BackupManager(source, backup_dir, KEY).backup_now("the content to restore")
    journal = data / "journal.sqlite"
    manager = BackupManager(journal, backup_dir, KEY)

    # How long one whole restore takes here, to spread the kills over it.
    reset_journal(template, journal, None)
    durations = []
    for _ in range(3):
        reset_journal(template, journal, None)
        start = time.perf_counter()
        pid, pipe = fork(restoring_child(manager, made.id))
        os.waitpid(pid, 0)
        durations.append(time.perf_counter() - start)
        assert read_all(pipe).endswith(b"F")
        assert content(journal) == new_rows
    full = statistics.median(durations)

    phases: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    started = time.perf_counter()
    for round_no in range(ROUNDS):
        hot = f"hot WAL row {round_no}" if round_no % 2 else None
        reset_journal(template, journal, hot)
        old = old_rows | ({(100000, hot, None)} if hot else set())
        pid, pipe = fork(restoring_child(manager, made.id))
        if round_no % 3 == 2:
            # Aim at the short, critical end: wait for a chosen step, then kill at once or
            # a moment later.
            wanted = rng.choice([b"C", b"B", b"W", b"R"])
            seen = b""
            while wanted not in seen and (chunk := os.read(pipe, 1)):
                seen += chunk
            if rng.random() < 0.5:
                time.sleep(rng.uniform(0, 0.002))
            kill(pid)
            seen += read_all(pipe)
        else:
            time.sleep(rng.uniform(0, full * 1.2))
            kill(pid)
            seen = read_all(pipe)
        assert b"E" not in seen, seen
        last = seen.decode()[-1:] if seen.strip(b"S") else ""
        phase = PHASES[last]
        phases[phase] += 1

        found = content(journal)
        assert found in (old, new_rows), f"round {round_no}: killed while {phase}: mixed content"
        outcome = "new" if found == new_rows else "old"
        outcomes[outcome] += 1
        if last in ("", "D", "C", "B"):
            assert outcome == "old", f"round {round_no}: replaced before the rename"
        if last in ("R", "F"):
            assert outcome == "new", f"round {round_no}: not replaced after the rename"

    elapsed = time.perf_counter() - started
    # Leftovers of killed restores (plain temp copies) go at the next operation.
    manager.thin()
    leftovers = [p.name for p in data.iterdir() if p.name.endswith(".tmp")]
    leftovers += [p.name for p in backup_dir.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert manager.get(made.id).verified
    order = list(PHASES.values())
    spread = ", ".join(f"{p} {phases[p]}" for p in order if phases[p])
    print(
        f"\nrestore: one restore takes {full * 1000:.0f} ms; {ROUNDS} SIGKILLs in "
        f"{elapsed:.1f}s; killed while: {spread}; journal afterwards: old {outcomes['old']}, "
        f"new {outcomes['new']}; at {datetime.now(UTC):%H:%M:%S}Z"
    )
    assert outcomes["old"] and outcomes["new"]
    assert len(phases) >= 5
