"""Whether the journal changed since the last backup, asked cheaply of SQLite itself."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

AUTO_BACKUP_EVERY = timedelta(minutes=30)


@dataclass(frozen=True)
class ChangeToken:
    """Where a connection's database stood; compare on the same connection only."""

    data_version: int  # moves when another connection commits
    total_changes: int  # moves when this connection changes rows


def change_token(conn: sqlite3.Connection) -> ChangeToken:
    version = int(conn.execute("PRAGMA data_version").fetchone()[0])
    return ChangeToken(version, conn.total_changes)


def changed_since(conn: sqlite3.Connection, token: ChangeToken | None) -> bool:
    """Whether anything was committed through or beside ``conn`` since ``token`` was taken."""
    return token is None or change_token(conn) != token


def should_back_up(
    conn: sqlite3.Connection,
    token: ChangeToken | None,
    last_backup: datetime | None,
    now: datetime,
    every: timedelta = AUTO_BACKUP_EVERY,
) -> bool:
    """The periodic timer's question: something changed and the last backup is old enough.

    ``token`` is what ``change_token(conn)`` said right after the last backup (None if
    there was none this session).
    """
    if not changed_since(conn, token):
        return False
    return last_backup is None or now - last_backup >= every
