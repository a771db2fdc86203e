"""Schema versions: ``PRAGMA user_version`` and one atomic step per version.

A brand-new journal gets the current schema at once. An older journal is first copied
with SQLite's backup API (never a file copy), then each step runs in its own transaction
inside peewee's ``migration_context`` (foreign keys off, so no cascade deletes rows).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import peewee as pw

from rapport.store.models import ALL_MODELS

if TYPE_CHECKING:
    from playhouse.migrate import SqliteMigrator

Step = Callable[[pw.SqliteDatabase, "SqliteMigrator"], None]


class SchemaTooNew(Exception):
    """The journal was written by a newer Rapport; opening it could lose data."""


def _create_v1(db: pw.SqliteDatabase, migrator: SqliteMigrator) -> None:
    """Version 1: the first schema (people, plan, generosity, calendar, settings)."""
    with db.bind_ctx(ALL_MODELS):
        db.create_tables(ALL_MODELS)


# version -> the step that brings version-1 to version. Append; never edit a released step.
STEPS: dict[int, Step] = {
    1: _create_v1,
}
CURRENT_VERSION = max(STEPS)


def schema_version(db: pw.SqliteDatabase) -> int:
    row = db.execute_sql("PRAGMA user_version").fetchone()
    return int(row[0])


def _set_version(db: pw.SqliteDatabase, version: int) -> None:
    db.execute_sql(f"PRAGMA user_version = {int(version)}")


def _is_empty(db: pw.SqliteDatabase) -> bool:
    row = db.execute_sql(
        "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()
    return int(row[0]) == 0


def create_current_schema(db: pw.SqliteDatabase) -> None:
    with db.atomic():
        with db.bind_ctx(ALL_MODELS):
            db.create_tables(ALL_MODELS)
        _set_version(db, CURRENT_VERSION)


def pre_migration_copy_path(journal_path: Path, version: int) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = journal_path.parent / "pre-migration"
    return folder / f"{journal_path.stem}-v{version}-{stamp}.sqlite"


def bring_up_to_date(db: pw.SqliteDatabase, journal_path: Path) -> tuple[int | None, Path | None]:
    """Migrate ``db`` to CURRENT_VERSION; returns (version before, pre-migration copy) or Nones."""
    version = schema_version(db)
    if version == CURRENT_VERSION:
        return None, None
    if version > CURRENT_VERSION:
        raise SchemaTooNew(
            f"{journal_path}: this journal was written by a newer Rapport "
            f"(schema {version}, this one knows {CURRENT_VERSION}); please update Rapport"
        )
    if version == 0 and _is_empty(db):
        create_current_schema(db)
        return None, None
    copy = pre_migration_copy_path(journal_path, version)
    from rapport.store.sqlite_copy import copy_database

    copy.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    copy_database(db.connection(), copy)
    from playhouse.migrate import SqliteMigrator

    migrator = SqliteMigrator(db)
    for target in range(version + 1, CURRENT_VERSION + 1):
        with migrator.migration_context():
            STEPS[target](db, migrator)
            _set_version(db, target)
    return version, copy
