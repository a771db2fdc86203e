"""The backup service: settings, the check before a backup, risky-operation backups, restore."""

from __future__ import annotations

import json
import sqlite3
import stat
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring.backends.fail
import pytest

from rapport.core import backup_service as bs
from rapport.core import people
from rapport.core.errors import BadInput, Cancelled, NotFound
from rapport.core.progress import Progress
from rapport.store import settings
from rapport.store.backups import Retention
from rapport.store.journal import Journal, open_journal
from rapport.store.models import Person
from rapport.store.secrets import BackupKeys, ScryptParams

FAST = ScryptParams(log2_n=10, r=8, p=1)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def service(journal: Journal, clock: Clock) -> Iterator[bs.BackupService]:
    svc = bs.BackupService(journal.path, clock=clock, tz=UTC)
    yield svc
    svc.close()


def names() -> list[str]:
    return [p.name for p in Person.select().order_by(Person.id)]


def break_a_link(journal: Journal) -> None:
    """A row pointing at a person who does not exist (what a bad tool could leave)."""
    conn = sqlite3.connect(journal.path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(
        "INSERT INTO email (person_id, address, key, label) VALUES (999, 'x@e.co', 'x@e.co', '')"
    )
    conn.commit()
    conn.close()


# --- configuration --------------------------------------------------------------------------


def test_config_defaults_to_the_data_folder_and_ankis_policy(journal: Journal) -> None:
    config = bs.read_config(journal.path)
    assert config.folder == journal.path.parent / "backups"
    assert config.retention == Retention(12, 10, 9)
    assert config.interval == timedelta(minutes=30)


def test_config_follows_the_settings(journal: Journal, tmp_path: Path) -> None:
    settings.put("backup.folder", str(tmp_path / "synced"))
    settings.put("backup.daily", 3)
    settings.put("backup.weekly", 0)
    settings.put("backup.interval_minutes", 5)
    config = bs.read_config(journal.path)
    assert config.folder == tmp_path / "synced"
    assert config.retention == Retention(3, 0, 9)
    assert config.interval == timedelta(minutes=5)
    settings.put("backup.folder", "elsewhere")  # relative: inside the data folder
    assert bs.read_config(journal.path).folder == journal.path.parent / "elsewhere"


def test_nonsense_settings_and_a_damaged_journal_fall_back_to_defaults(
    journal: Journal, tmp_path: Path
) -> None:
    settings.put("backup.daily", -4)
    settings.put("backup.interval_minutes", 0)
    config = bs.read_config(journal.path)
    assert config.retention.daily == 12 and config.interval == timedelta(minutes=30)
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    assert bs.read_config(garbage).folder == tmp_path / "backups"


# --- backing up -----------------------------------------------------------------------------


def test_back_up_makes_a_verified_private_backup_and_tells_listeners(
    journal: Journal, service: bs.BackupService
) -> None:
    people.create_person("Ada Lovelace")
    heard: list[bs.Attempt] = []
    service.subscribe(heard.append)
    info = service.back_up(bs.MANUAL)
    assert info.verified and info.reason == "manual" and info.counts["person"] == 1
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    assert info.path.parent == journal.path.parent / "backups"
    assert [a.backup for a in heard] == [info]
    assert service.latest() == service.latest_good() == service.list()[0]


def test_a_journal_that_fails_its_check_is_never_backed_up_over_good_backups(
    journal: Journal, service: bs.BackupService, clock: Clock
) -> None:
    settings.put("backup.daily", 1)
    settings.put("backup.weekly", 0)
    settings.put("backup.monthly", 0)
    people.create_person("Ada Lovelace")
    kept = []
    for _ in range(3):  # good backups on three earlier days; the policy keeps one of them
        kept.append(service.back_up(bs.AUTOMATIC))
        clock.now += timedelta(days=3)
    before = {i.id for i in service.list()}
    break_a_link(journal)

    with pytest.raises(bs.JournalCheckFailed, match="pointing at missing rows"):
        service.back_up(bs.AUTOMATIC)

    assert {i.id for i in service.list()} == before  # nothing written, nothing thinned
    attempt = service.last_attempt
    assert attempt is not None and attempt.failed
    # The failure outlives the session: the status line of the next one still shows it.
    again = bs.BackupService(journal.path)
    assert again.last_attempt is not None and "missing rows" in str(again.last_attempt.error)


def test_a_damaged_file_fails_the_check_and_is_not_backed_up(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    result = bs.check_file(path)
    assert not result.ok
    with pytest.raises(bs.BackupFailed):
        bs.BackupService(path).back_up(bs.MANUAL)
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").glob("*.rbak"))


def test_cancel_interrupts_the_check(journal: Journal) -> None:
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        bs.check_file(journal.path, progress)


def test_passphrase_mode_without_a_passphrase_needs_a_key(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = BackupKeys(keyring.backends.fail.Keyring(), environ={}, scrypt=FAST)
    service = bs.BackupService(journal.path, keys)
    assert service.key_state().needs_passphrase
    with pytest.raises(bs.NeedsKey) as caught:
        service.back_up(bs.MANUAL)
    assert caught.value.needs == "passphrase"
    assert isinstance(caught.value, BadInput)
    assert service.last_attempt is not None and service.last_attempt.needs == "passphrase"
    service.set_passphrase("coffee in Lisbon")
    assert service.key_available_without_asking()
    assert service.back_up(bs.MANUAL).verified
    assert service.last_attempt is not None and not service.last_attempt.failed


def test_backup_before_never_stops_the_operation_but_says_why(
    journal: Journal, service: bs.BackupService
) -> None:
    people.create_person("Ada Lovelace")
    good = service.backup_before(bs.BEFORE_IMPORT)
    assert not good.failed and good.backup is not None and good.backup.reason == "before import"
    break_a_link(journal)
    bad = service.backup_before(bs.BEFORE_IMPORT)
    assert bad.failed and "failed its check" in str(bad.error)
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):  # Cancel during the backup cancels the operation too
        service.backup_before(bs.BEFORE_IMPORT, progress)


def test_after_backup_wraps_a_risky_change_with_a_backup_of_the_bound_journal(
    journal: Journal,
) -> None:
    ids = [people.create_person("Ada Lovelace")[0], people.create_person("Ada King")[0]]
    merge = bs.after_backup(bs.BEFORE_MERGE, lambda _p: people.merge_people(ids[0], ids[1:]))
    merge(Progress.silent())
    backup = bs.service_for(journal.path).latest()
    assert backup is not None and backup.reason == "before merging people"
    assert backup.counts["person"] == 2  # taken before the merge
    assert names() == ["Ada Lovelace"]
    bs.forget_service(journal.path)


# --- verify and restore ---------------------------------------------------------------------


def test_verify_one_or_all_and_a_tampered_one_is_bad(service: bs.BackupService) -> None:
    people.create_person("Ada Lovelace")
    first = service.back_up(bs.MANUAL)
    assert [i.id for i in service.verify(first.id)] == [first.id]
    data = bytearray(first.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    first.path.write_bytes(bytes(data))
    with pytest.raises(bs.BadBackup, match="is bad"):
        service.verify(first.id)
    assert [i.verified for i in service.verify()] == [False]
    with pytest.raises(NotFound):
        service.verify("19990101")


def test_restore_brings_back_the_backup_and_keeps_a_safety_backup(
    journal: Journal, service: bs.BackupService, clock: Clock
) -> None:
    people.create_person("Ada Lovelace")
    info = service.back_up(bs.MANUAL)
    people.create_person("Grace Hopper")
    clock.now += timedelta(minutes=5)
    journal.close()

    service.restore(info.id)

    reopened = open_journal(journal.path)
    try:
        assert names() == ["Ada Lovelace"]
        safety = [i for i in service.list() if i.reason == "before restore"]
        assert len(safety) == 1 and safety[0].counts["person"] == 2
    finally:
        reopened.close()


def test_restore_refuses_while_an_idle_connection_has_the_journal_open(
    journal: Journal, service: bs.BackupService
) -> None:
    people.create_person("Ada Lovelace")
    info = service.back_up(bs.MANUAL)
    people.create_person("Grace Hopper")
    # The journal fixture's connection is open and idle, as a window's would be.
    assert bs.journal_in_use(journal.path)
    with pytest.raises(bs.BackupFailed, match="still open"):
        service.restore(info.id)
    assert names() == ["Ada Lovelace", "Grace Hopper"]
    journal.close()
    assert not bs.journal_in_use(journal.path)


def test_restoring_a_damaged_backup_is_the_files_fault(
    journal: Journal, service: bs.BackupService
) -> None:
    info = service.back_up(bs.MANUAL)
    with info.path.open("r+b") as f:
        f.truncate(info.size - 40)
    journal.close()
    with pytest.raises(bs.BadBackup):
        service.restore(info.id)


# --- "has anything changed" ------------------------------------------------------------------


def test_changes_are_seen_through_the_watch_connection(
    journal: Journal, service: bs.BackupService, clock: Clock
) -> None:
    token = service.change_token()
    assert not service.changed_since(token)
    assert not service.due(token, clock.now)
    people.create_person("Ada Lovelace")
    assert service.changed_since(token)
    assert service.due(token, clock.now)  # no backup yet: due at once
    service.back_up(bs.AUTOMATIC)
    token = service.change_token()
    people.create_person("Grace Hopper")
    assert not service.due(token, clock.now + timedelta(minutes=29))
    assert service.due(token, clock.now + timedelta(minutes=30))


def test_a_clean_close_is_remembered_until_the_journal_changes(
    data_dir: Path, clock: Clock
) -> None:
    path = data_dir / "journal.sqlite"
    journal = open_journal(path)
    service = bs.BackupService(path, clock=clock)
    assert service.unchanged_since_last_backup()  # empty: nothing worth a backup
    people.create_person("Ada Lovelace")
    assert not service.unchanged_since_last_backup()
    service.back_up(bs.ON_CLOSE)
    journal.close()
    service.remember_clean_close()
    assert bs.BackupService(path).unchanged_since_last_backup()

    journal = open_journal(path)  # e.g. the command line, between two sessions
    people.create_person("Grace Hopper")
    journal.close()
    assert not bs.BackupService(path).unchanged_since_last_backup()


# --- migrations -----------------------------------------------------------------------------


def make_old_journal(path: Path) -> None:
    journal = open_journal(path)
    people.create_person("Ada Lovelace")
    journal.db.execute_sql("PRAGMA user_version = 0")
    journal.close()


def test_a_migrations_plain_copy_becomes_an_encrypted_backup(data_dir: Path) -> None:
    path = data_dir / "journal.sqlite"
    make_old_journal(path)
    journal = open_journal(path)
    try:
        copy = journal.pre_migration_copy
        assert copy is not None and copy.exists()
        assert bs.secure_after_open(journal) is None
        assert not copy.exists() and not copy.parent.exists()
        backup = bs.service_for(path).latest()
        assert backup is not None and backup.verified
        assert backup.reason == "before upgrading from schema 0"
        assert backup.counts["person"] == 1
    finally:
        journal.close()
        bs.forget_service(path)


def test_without_a_key_at_hand_the_plain_copy_stays_and_we_say_so(data_dir: Path) -> None:
    path = data_dir / "journal.sqlite"
    make_old_journal(path)
    journal = open_journal(path)
    try:
        keys = BackupKeys(keyring.backends.fail.Keyring(), environ={}, scrypt=FAST)
        note = bs.BackupService(path, keys).secure_pre_migration_copy(journal)
        copy = journal.pre_migration_copy
        assert copy is not None and copy.exists()
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert note is not None and "unencrypted" in note and str(copy) in note
    finally:
        journal.close()


# --- words ----------------------------------------------------------------------------------


def test_words_for_sizes_counts_and_checks() -> None:
    assert bs.human_size(512) == "512 bytes"
    assert bs.human_size(1_234_567) == "1.2 MB"
    assert (
        bs.describe_counts({"person": 1, "act": 0, "goal": 3, "setting": 9}) == "1 person, 3 goals"
    )
    result = bs.CheckResult("ok", [{"table": "email", "rowid": 1, "parent": "person", "fkid": 0}])
    assert bs.describe_check(result) == "1 row pointing at missing rows (email)"


def test_the_shared_service_is_one_per_journal(journal: Journal) -> None:
    first = bs.service_for(journal.path)
    results: list[bs.BackupService] = []
    thread = threading.Thread(target=lambda: results.append(bs.service_for(journal.path)))
    thread.start()
    thread.join()
    assert results == [first]
    assert bs.bound_journal_path() == journal.path
    bs.forget_service(journal.path)
    assert bs.service_for(journal.path) is not first
    bs.forget_service(journal.path)


def test_state_file_is_private_json(journal: Journal, service: bs.BackupService) -> None:
    break_a_link(journal)
    with pytest.raises(bs.JournalCheckFailed):
        service.back_up(bs.MANUAL)
    data = json.loads(service.state_path.read_text())
    assert data["failure"]["reason"] == "manual"
    assert stat.S_IMODE(service.state_path.stat().st_mode) == 0o600
