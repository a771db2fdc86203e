"""Opening the journal: one SQLite file, WAL, foreign keys, owner-only files, migrated schema.

This is the one place that opens a journal. The CLI, the window and the tests call
``open_journal``; everything else reaches the database through the models' proxy.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from rapport.store import migrations
from rapport.store.models import db_proxy

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    # FULL: a commit that returned is on disk, even if the machine loses power next.
    "synchronous": "full",
    "busy_timeout": 10_000,
    "cache_size": -32_000,
    "temp_store": "memory",
}


class JournalError(Exception):
    """The journal cannot be opened: made by a newer Rapport, not a database, unreadable."""


@dataclass
class Journal:
    path: Path
    db: pw.SqliteDatabase
    migrated_from: int | None = None  # schema version before this open migrated it
    pre_migration_copy: Path | None = None

    @property
    def data_dir(self) -> Path:
        return self.path.parent

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()

    def connection_factory(self) -> Callable[[], pw.SqliteDatabase]:
        return lambda: self.db


def _owner_only_file(path: Path) -> None:
    """Create ``path`` with mode 0600 before SQLite opens it; -wal and -shm inherit the mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path.parent, stat.S_IRWXU)
    except PermissionError:
        pass  # a data dir someone else created: we still protect our own files
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.chmod(side, 0o600)


def make_database(path: Path) -> pw.SqliteDatabase:
    """A peewee database for ``path`` (one connection per thread, all with our pragmas)."""
    return pw.SqliteDatabase(
        str(path), pragmas=PRAGMAS, check_same_thread=False, timeout=10, autoconnect=True
    )


def open_journal(path: Path, *, bind: bool = True) -> Journal:
    """Open (creating if needed) the journal at ``path``, migrating it to the current schema.

    With ``bind`` the models' proxy points at this journal; a process has one journal open.
    """
    path = Path(path)
    _owner_only_file(path)
    db = make_database(path)
    try:
        db.connect()
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except pw.DatabaseError as exc:
        db.close()
        raise JournalError(f"{path}: not a Rapport journal or damaged ({exc})") from exc
    if bind:
        db_proxy.initialize(db)
    journal = Journal(path=path, db=db)
    try:
        journal.migrated_from, journal.pre_migration_copy = migrations.bring_up_to_date(db, path)
    except Exception:
        db.close()
        raise
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.chmod(side, 0o600)
    return journal
