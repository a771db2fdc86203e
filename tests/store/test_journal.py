"""Opening the journal: WAL, foreign keys, owner-only files, schema version, refusal."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from rapport.store import migrations
from rapport.store.journal import JournalError, open_journal
from rapport.store.models import Person


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_journal_is_wal_with_foreign_keys_and_owner_only(data_dir: Path) -> None:
    path = data_dir / "sub" / "journal.sqlite"
    journal = open_journal(path)
    Person.create(name="Ada Lovelace")
    db = journal.db
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert migrations.schema_version(db) == migrations.CURRENT_VERSION
    assert mode(path) == 0o600
    assert mode(path.with_name("journal.sqlite-wal")) == 0o600
    assert mode(path.parent) == 0o700
    journal.close()


def test_reopen_keeps_data_and_makes_no_copy(data_dir: Path) -> None:
    path = data_dir / "journal.sqlite"
    open_journal(path).close()
    j = open_journal(path)
    Person.create(name="Grace Hopper")
    j.close()
    j = open_journal(path)
    assert [p.name for p in Person.select()] == ["Grace Hopper"]
    assert j.migrated_from is None and j.pre_migration_copy is None
    assert not (data_dir / "pre-migration").exists()
    j.close()


def test_newer_schema_is_refused_untouched(data_dir: Path) -> None:
    path = data_dir / "journal.sqlite"
    open_journal(path).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {migrations.CURRENT_VERSION + 1}")
    con.close()
    before = path.read_bytes()
    with pytest.raises(migrations.SchemaTooNew, match="newer Rapport"):
        open_journal(path)
    assert path.read_bytes() == before


def test_garbage_file_is_refused(data_dir: Path) -> None:
    path = data_dir / "journal.sqlite"
    path.write_bytes(b"this is not a database\n" * 100)
    with pytest.raises(JournalError, match="not a Rapport journal"):
        open_journal(path)


def test_migration_copies_first_then_steps_in_a_transaction(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older journal is copied with the backup API, then migrated; data survives."""
    path = data_dir / "journal.sqlite"
    open_journal(path).close()
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO person(name, given_name, family_name, additional_names, prefix, suffix,"
        " nickname, name_key, organization, title, city, region, country, birthday,"
        " how_we_met, notes, archived, created, updated) VALUES"
        " ('Old Friend','','','','','','','friend old','','','','','','','','',0,"
        " '2020-01-01','2020-01-01')"
    )
    con.commit()
    con.close()

    def step_2(db, migrator):  # a real column addition, as a future version would do
        from peewee import CharField
        from playhouse.migrate import migrate

        migrate(migrator.add_column("person", "pronouns", CharField(default="")))

    steps = dict(migrations.STEPS)
    steps[2] = step_2
    monkeypatch.setattr(migrations, "STEPS", steps)
    monkeypatch.setattr(migrations, "CURRENT_VERSION", 2)
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 1")
    con.close()
    j = open_journal(path)
    assert j.migrated_from == 1
    assert j.pre_migration_copy is not None and j.pre_migration_copy.exists()
    assert mode(j.pre_migration_copy) == 0o600
    copy = sqlite3.connect(j.pre_migration_copy)
    assert copy.execute("SELECT name FROM person").fetchall() == [("Old Friend",)]
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
    copy.close()
    cols = [r[1] for r in j.db.execute_sql("PRAGMA table_info(person)").fetchall()]
    assert "pronouns" in cols
    assert j.db.execute_sql("SELECT name FROM person").fetchall() == [("Old Friend",)]
    assert migrations.schema_version(j.db) == 2
    j.close()


def test_failed_migration_rolls_back(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = data_dir / "journal.sqlite"
    open_journal(path).close()

    def broken(db, migrator):
        db.execute_sql("ALTER TABLE person ADD COLUMN half_done TEXT")
        raise RuntimeError("step failed")

    steps = dict(migrations.STEPS)
    steps[2] = broken
    monkeypatch.setattr(migrations, "STEPS", steps)
    monkeypatch.setattr(migrations, "CURRENT_VERSION", 2)
    with pytest.raises(RuntimeError):
        open_journal(path)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    cols = [r[1] for r in con.execute("PRAGMA table_info(person)").fetchall()]
    assert "half_done" not in cols
    con.close()
