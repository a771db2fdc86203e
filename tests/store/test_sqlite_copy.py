"""Copies through SQLite's backup API are whole, consistent, private; checks say what is wrong."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from rapport.store import sqlite_copy
from rapport.store.sqlite_copy import (
    copy_database,
    foreign_key_problems,
    integrity,
    table_counts,
)


def make_db(path: Path, rows: int = 500, *, wal: bool = True) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT)")
    conn.execute("CREATE INDEX people_name ON people(name)")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO people (name, note) VALUES (?, ?)",
        [(f"Person {i}", "n" * (i % 200)) for i in range(rows)],
    )
    conn.execute("COMMIT")
    return conn


def rows_of(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT * FROM people ORDER BY id").fetchall()


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_copy_from_a_path_is_whole_and_private(tmp_path: Path) -> None:
    src = tmp_path / "journal.sqlite"
    make_db(src).close()
    dest = tmp_path / "copy.sqlite"

    copy_database(src, dest)

    assert rows_of(dest) == rows_of(src)
    assert mode_of(dest) == 0o600
    assert leftovers(tmp_path) == []


def test_copy_from_a_connection_includes_what_is_only_in_the_wal(tmp_path: Path) -> None:
    src = tmp_path / "journal.sqlite"
    conn = make_db(src)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("INSERT INTO people (name) VALUES ('only in the WAL')")
    assert (tmp_path / "journal.sqlite-wal").stat().st_size > 0

    dest = tmp_path / "copy.sqlite"
    copy_database(conn, dest)

    names = [r[1] for r in rows_of(dest)]
    assert names[-1] == "only in the WAL"
    assert len(names) == 501
    conn.close()


def test_copy_is_one_snapshot_while_another_connection_writes(tmp_path: Path) -> None:
    src = tmp_path / "journal.sqlite"
    make_db(src, rows=3000).close()
    reader = sqlite3.connect(src, isolation_level=None)
    writer = sqlite3.connect(src, isolation_level=None)
    steps: list[tuple[int, int]] = []

    def write_between_steps(done: int, total: int) -> None:
        steps.append((done, total))
        writer.execute("INSERT INTO people (name) VALUES ('written during the copy')")

    dest = tmp_path / "copy.sqlite"
    copy_database(reader, dest, pages=2, progress=write_between_steps)

    # Many steps, each followed by a commit elsewhere; the copy still holds the state at
    # its start and did not restart (the step count would have grown without end).
    assert len(steps) > 10
    assert steps[-1][0] == steps[-1][1]
    assert [d for d, _ in steps] == sorted(d for d, _ in steps)
    with sqlite3.connect(dest) as copy:
        assert copy.execute("SELECT count(*) FROM people").fetchone()[0] == 3000
        assert integrity(copy) == "ok"
    assert table_counts(writer)["people"] == 3000 + len(steps)
    reader.close()
    writer.close()


def test_copy_replaces_an_existing_file_atomically(tmp_path: Path) -> None:
    src = tmp_path / "journal.sqlite"
    make_db(src, rows=10).close()
    dest = tmp_path / "copy.sqlite"
    dest.write_bytes(b"an older copy")
    os.chmod(dest, 0o644)

    copy_database(src, dest, durable=False)

    assert len(rows_of(dest)) == 10
    assert mode_of(dest) == 0o600


def test_cancelled_copy_leaves_nothing(tmp_path: Path) -> None:
    src = tmp_path / "journal.sqlite"
    make_db(src, rows=3000).close()
    dest = tmp_path / "copy.sqlite"

    class Stop(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        if done > 4:
            raise Stop

    with pytest.raises(Stop):
        copy_database(src, dest, pages=4, progress=cancel)
    assert not dest.exists()
    assert leftovers(tmp_path) == []


def test_missing_source_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        copy_database(tmp_path / "nope.sqlite", tmp_path / "copy.sqlite")
    assert list(tmp_path.iterdir()) == []


def test_table_counts_cover_user_tables_only(tmp_path: Path) -> None:
    conn = make_db(tmp_path / "j.sqlite", rows=7)
    conn.execute('CREATE TABLE "odd ""name""" (x INTEGER PRIMARY KEY AUTOINCREMENT)')
    conn.execute('INSERT INTO "odd ""name""" DEFAULT VALUES')
    conn.execute("CREATE VIRTUAL TABLE notes_fts USING fts5(body)")
    conn.execute("INSERT INTO notes_fts (body) VALUES ('coffee in Boston')")
    conn.execute("ANALYZE")

    counts = table_counts(conn)

    assert counts["people"] == 7
    assert counts['odd "name"'] == 1
    assert "notes_fts" not in counts  # virtual: its rows live in the shadow tables
    assert counts["notes_fts_content"] == 1
    assert not any(name.startswith("sqlite_") for name in counts)
    conn.close()


def test_integrity_reports_a_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    conn = make_db(path, rows=3000, wal=False)
    assert integrity(conn) == "ok"
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek(page_size * (pages // 2) + 20)
        f.write(b"\xff" * 200)

    with sqlite3.connect(path) as damaged:
        found = integrity(damaged)
    assert found != "ok"
    assert found.strip()


def test_foreign_key_problems_name_the_orphans(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "j.sqlite", isolation_level=None)
    conn.execute("CREATE TABLE person (id INTEGER PRIMARY KEY)")
    conn.execute("CREATE TABLE act (id INTEGER PRIMARY KEY, person_id REFERENCES person(id))")
    conn.execute("INSERT INTO person VALUES (1)")
    conn.execute("INSERT INTO act VALUES (10, 1), (11, 2)")
    assert foreign_key_problems(conn) == [
        {"table": "act", "rowid": 11, "parent": "person", "fkid": 0}
    ]
    conn.close()


def test_a_source_holding_its_own_write_transaction_fails_instead_of_hanging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_copy, "BUSY_TIMEOUT", 0.2)
    conn = make_db(tmp_path / "j.sqlite", rows=5)
    conn.execute("BEGIN")
    conn.execute("INSERT INTO people (name) VALUES ('uncommitted')")

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        copy_database(conn, tmp_path / "copy.sqlite")

    assert not (tmp_path / "copy.sqlite").exists()
    conn.execute("ROLLBACK")
    conn.close()
