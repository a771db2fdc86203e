"""Consistent copies and health checks of any SQLite file, done through SQLite itself.

Never copy a live database file byte by byte: a copy taken while a writer commits, or
without its ``-wal``, is silently corrupt. ``copy_database`` uses SQLite's online backup
API inside one read transaction, so the copy is one committed state of the source.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rapport.store.safe_files import (
    create_private,
    fsync_path,
    private_temp,
    replace_durably,
)

_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
BUSY_TIMEOUT = 10.0  # seconds a copy waits for a writer that holds the database

Progress = Callable[[int, int], None]
"""``progress(done, total)``; it may raise (e.g. to cancel), which aborts the work cleanly."""


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def open_for_reading(path: Path) -> sqlite3.Connection:
    """A connection that reads ``path`` in autocommit mode and refuses to write.

    Not ``mode=ro``: a read-only handle cannot recover a WAL left by a crashed writer.
    """
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such database file")
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA query_only = ON")
    return conn


def open_snapshot_file(path: Path) -> sqlite3.Connection:
    """Open a private, finished copy (a backup being checked) without creating -wal/-shm."""
    return sqlite3.connect(
        path.resolve().as_uri() + "?mode=ro&immutable=1",
        uri=True,
        isolation_level=None,
        check_same_thread=False,
    )


@contextlib.contextmanager
def read_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Pin one snapshot of the database for the duration of the block.

    If the caller already holds a transaction on ``conn`` we read inside it instead.
    """
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN")
    try:
        # BEGIN is deferred: the snapshot is taken by the first read.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        yield conn
    finally:
        conn.execute("COMMIT")


def copy_database(
    src: sqlite3.Connection | Path,
    dest: Path,
    *,
    pages: int = 1024,
    progress: Progress | None = None,
    durable: bool = True,
) -> None:
    """Copy the database ``src`` to a new file ``dest`` (replacing it atomically if it exists).

    ``src`` is an open connection (which must not hold uncommitted writes) or a path. The
    copy is one committed state of the source even while other connections write: it is
    taken inside a single read transaction. ``dest`` is created readable by the owner only
    and appears complete or not at all; with ``durable`` (the default) it is fsynced before
    it appears. ``progress(done_pages, total_pages)`` is called after each step of ``pages``.
    """
    if isinstance(src, Path):
        with contextlib.closing(open_for_reading(src)) as conn:
            copy_database(conn, dest, pages=pages, progress=progress, durable=durable)
        return

    busy_since: list[float] = []

    def on_step(status: int, remaining: int, total: int) -> None:
        # Python retries a busy step forever; a source holding its own write transaction
        # would never stop being busy, so give up after a while.
        if status in (_SQLITE_BUSY, _SQLITE_LOCKED):
            if not busy_since:
                busy_since.append(time.monotonic())
            elif time.monotonic() - busy_since[0] > BUSY_TIMEOUT:
                raise sqlite3.OperationalError(
                    "database is locked: a write transaction is open on it"
                )
            return
        busy_since.clear()
        if progress is not None:
            progress(total - remaining, total)

    with private_temp(dest) as tmp:
        os.close(create_private(tmp))
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            # The temp file is thrown away on any failure, so it needs no journal and no
            # syncs of its own; durability comes from one fsync of the finished file.
            target.execute("PRAGMA journal_mode = OFF")
            target.execute("PRAGMA synchronous = OFF")
            with read_transaction(src):
                src.backup(target, pages=pages, progress=on_step, sleep=0.05)
        finally:
            target.close()
        if durable:
            fsync_path(tmp)
            replace_durably(tmp, dest)
        else:
            os.replace(tmp, dest)


def user_tables(conn: sqlite3.Connection) -> list[str]:
    """Ordinary tables holding user data (also FTS shadow tables; not virtual ones)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
    ).fetchall()
    return [str(r[0]) for r in rows]


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row count of every user table, read in one snapshot."""
    with read_transaction(conn):
        return {
            name: int(conn.execute(f"SELECT count(*) FROM {quote_ident(name)}").fetchone()[0])
            for name in user_tables(conn)
        }


def integrity(conn: sqlite3.Connection, *, quick: bool = False) -> str:
    """``"ok"``, or what ``PRAGMA integrity_check`` (``quick_check``) found, one line each."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = conn.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.DatabaseError as err:
        return str(err)
    lines = [str(r[0]) for r in rows]
    return "ok" if lines == ["ok"] else "\n".join(lines)


def quick_check(path: Path) -> str:
    """``"ok"`` or what is wrong with the file at ``path``: the start-up check (``quick_check``
    only; the full check also looks at every foreign key)."""
    try:
        with contextlib.closing(open_for_reading(Path(path))) as conn:
            return integrity(conn, quick=True)
    except (sqlite3.DatabaseError, OSError) as err:
        return str(err)


def foreign_key_problems(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Rows that point at a missing parent: ``{"table", "rowid", "parent", "fkid"}`` each."""
    return [
        {"table": r[0], "rowid": r[1], "parent": r[2], "fkid": r[3]}
        for r in conn.execute("PRAGMA foreign_key_check").fetchall()
    ]
