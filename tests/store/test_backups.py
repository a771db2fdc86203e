"""Backups are private, encrypted, verified before they count, thinned exactly, restorable."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import keyring.backends.fail
import pytest

import rapport.store.backups as backups_module
from helpers_keyring import MemoryKeyring
from rapport.store.backup_format import BackupError, KeyMismatch
from rapport.store.backups import (
    BackupInfo,
    BackupManager,
    Retention,
    change_token,
    changed_since,
    check_journal,
    obsolete_backups,
    should_back_up,
)
from rapport.store.secrets import BackupKeys, ScryptParams, StaticKey
from rapport.store.sqlite_copy import copy_database, table_counts

KEY = bytes(range(32))
SECRET_NOTE = "met Ada at the Lisbon meetup; she wants an intro to Grace"


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def make_journal(path: Path, people: int = 50) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.executescript(
        """
        CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT);
        CREATE TABLE note (id INTEGER PRIMARY KEY,
                           person_id INTEGER NOT NULL REFERENCES person(id), body TEXT);
        CREATE TABLE act (id INTEGER PRIMARY KEY, kind TEXT, day TEXT);
        """
    )
    conn.execute("BEGIN")
    for i in range(people):
        conn.execute("INSERT INTO person (name, city) VALUES (?, ?)", (f"Person {i}", "Boston"))
        conn.execute("INSERT INTO note (person_id, body) VALUES (?, ?)", (i + 1, SECRET_NOTE))
    conn.executemany("INSERT INTO act (kind, day) VALUES ('share', '2025-01-02')", [()] * 7)
    conn.execute("COMMIT")
    conn.close()


def names(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM person ORDER BY id")]


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "journal.sqlite"
    path.parent.mkdir()
    make_journal(path)
    return path


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2025, 6, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def manager(tmp_path: Path, journal: Path, clock: Clock) -> BackupManager:
    return BackupManager(journal, tmp_path / "backups", StaticKey(KEY), clock=clock, tz=UTC)


def temp_files(*folders: Path) -> list[str]:
    return [p.name for f in folders for p in f.iterdir() if p.name.endswith(".tmp")]


# --- backing up ----------------------------------------------------------------------------


def test_backup_now_is_encrypted_private_verified_and_listed(
    manager: BackupManager, journal: Path
) -> None:
    info = manager.backup_now("manual")

    assert info.verified and info.state == "good"
    assert info.counts == {"act": 7, "note": 50, "person": 50}
    assert info.id == "20250601T090000Z"
    assert info.created == datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
    assert info.path.name == "rapport-20250601T090000Z.rbak"
    assert info.size == info.path.stat().st_size
    assert SECRET_NOTE.encode() not in info.path.read_bytes()
    assert b"Person 1" not in info.path.read_bytes()
    for path in manager.backup_dir.iterdir():
        assert mode_of(path) == 0o600, path.name
    assert temp_files(manager.backup_dir, journal.parent) == []
    assert manager.list() == [info]
    assert list(info.to_json())[:5] == ["id", "path", "created", "size", "verified"]
    assert info.to_json()["created"] == "2025-06-01T09:00:00Z"
    assert json.loads(json.dumps(info.to_json()))["verified"] is True


def test_counts_come_from_the_same_snapshot_as_the_copy(
    manager: BackupManager, journal: Path
) -> None:
    writer = sqlite3.connect(journal, isolation_level=None)

    def write_meanwhile(done: int, total: int) -> None:
        writer.execute("INSERT INTO act (kind, day) VALUES ('thanks', '2025-06-01')")

    info = manager.backup_now("while writing", progress=write_meanwhile)

    assert info.verified
    assert info.counts["act"] == 7
    assert table_counts(writer)["act"] > 7
    writer.close()


def test_progress_moves_forward_to_the_end(manager: BackupManager) -> None:
    seen: list[tuple[int, int]] = []
    manager.backup_now("manual", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] > 0
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_cancelled_backup_leaves_no_file(manager: BackupManager, journal: Path) -> None:
    class Cancel(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        if done > total // 2:
            raise Cancel

    with pytest.raises(Cancel):
        manager.backup_now("manual", progress=cancel)
    assert [p.name for p in manager.backup_dir.glob("*.rbak")] == []
    assert temp_files(manager.backup_dir, journal.parent) == []


def test_backups_in_the_same_second_get_distinct_ids(manager: BackupManager) -> None:
    first = manager.backup_now("one")
    second = manager.backup_now("two")
    assert (first.id, second.id) == ("20250601T090000Z", "20250601T090001Z")
    assert [i.id for i in manager.list()] == [second.id, first.id]


def test_no_journal_no_backup(tmp_path: Path) -> None:
    m = BackupManager(tmp_path / "missing.sqlite", tmp_path / "b", StaticKey(KEY))
    with pytest.raises(BackupError, match="no journal to back up"):
        m.backup_now("manual")
    assert not (tmp_path / "missing.sqlite").exists()


# --- verify catches what is wrong ----------------------------------------------------------


def corrupting_copy(damage: Callable[[Path], None]) -> Callable[..., None]:
    def copy(src: sqlite3.Connection | Path, dest: Path, **kwargs: object) -> None:
        copy_database(src, dest, **kwargs)  # type: ignore[arg-type]
        damage(dest)

    return copy


def scribble_over_pages(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as f:
        for offset in range(4096 + 100, size, 4096):
            f.seek(offset)
            f.write(b"\xa5" * 64)


def drop_rows(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DELETE FROM act WHERE id > 3")
    conn.close()  # the copy is in WAL mode like its source: closing folds the change in


@pytest.mark.parametrize(
    ("damage", "expected"),
    [(scribble_over_pages, "damaged"), (drop_rows, "act: 3 instead of 7")],
    ids=["damaged pages", "missing rows"],
)
def test_verify_catches_a_backup_whose_plain_copy_is_bad(
    manager: BackupManager,
    monkeypatch: pytest.MonkeyPatch,
    clock: Clock,
    damage: Callable[[Path], None],
    expected: str,
) -> None:
    good = manager.backup_now("good one")
    clock.now += timedelta(days=40)
    monkeypatch.setattr(backups_module, "copy_database", corrupting_copy(damage))

    with pytest.raises(BackupError, match="failed its check") as err:
        manager.backup_now("bad one")

    assert expected in str(err.value)
    listed = {i.reason: i for i in manager.list()}
    assert listed["good one"].verified  # the older good one was not thinned away
    bad = listed["bad one"]
    assert bad.state == "failed"
    assert expected in (bad.error or "")
    assert bad.path.exists()
    assert manager.latest_good() == good


def test_verify_finds_a_backup_tampered_with_later(manager: BackupManager) -> None:
    info = manager.backup_now("manual")
    data = bytearray(info.path.read_bytes())
    data[len(data) // 2] ^= 0x10
    info.path.write_bytes(bytes(data))

    with pytest.raises(BackupError, match="damaged or was altered"):
        manager.verify(info.id)
    assert manager.get(info.id).state == "failed"


def test_verify_with_another_key_does_not_condemn_the_backup(
    manager: BackupManager, journal: Path
) -> None:
    info = manager.backup_now("manual")
    stranger = BackupManager(journal, manager.backup_dir, StaticKey(os.urandom(32)))

    with pytest.raises(KeyMismatch, match="recovery key"):
        stranger.verify(info.id)
    assert manager.get(info.id).state == "good"
    results = stranger.verify_all()
    assert [r.error for r in results] == [
        f"this backup was made with a different key (key id {info.key_id}): enter its recovery key"
    ]
    assert manager.get(info.id).state == "good"


def test_a_file_missing_from_the_index_is_still_found(manager: BackupManager) -> None:
    first = manager.backup_now("one")
    (manager.backup_dir / "backups.json").unlink()

    found = manager.list()
    assert [(i.id, i.state, i.key_id) for i in found] == [(first.id, "unverified", first.key_id)]
    assert found[0].created == first.created

    checked = manager.verify(first.id)
    assert checked.verified
    assert checked.counts == first.counts


def test_a_damaged_index_is_rebuilt_from_the_files(manager: BackupManager) -> None:
    info = manager.backup_now("one")
    (manager.backup_dir / "backups.json").write_text("{not json")
    assert [i.id for i in manager.list()] == [info.id]
    manager.verify(info.id)
    assert manager.get(info.id).verified


def test_a_file_changed_after_its_check_is_unverified_again(manager: BackupManager) -> None:
    info = manager.backup_now("one")
    with open(info.path, "ab") as f:
        f.write(b"more")
    assert manager.get(info.id).state == "unverified"


def test_get_by_id_prefix_or_path(manager: BackupManager, clock: Clock) -> None:
    first = manager.backup_now("one")
    clock.now += timedelta(hours=1)
    second = manager.backup_now("two")

    assert manager.get("20250601T10") == second
    assert manager.get(first.path) == first
    assert manager.get(first.path.name) == first
    with pytest.raises(BackupError, match="matches 2 backups"):
        manager.get("20250601")
    with pytest.raises(BackupError, match="no backup with id"):
        manager.get("19990101")
    with pytest.raises(BackupError, match="no such backup file"):
        manager.get(manager.backup_dir / "rapport-nope.rbak")


# --- restore -------------------------------------------------------------------------------


def test_restore_brings_the_backup_back_after_a_safety_backup(
    manager: BackupManager, journal: Path, clock: Clock
) -> None:
    before = names(journal)
    info = manager.backup_now("manual")
    with sqlite3.connect(journal) as conn:
        conn.execute("DELETE FROM note")
        conn.execute("DELETE FROM person WHERE id > 3")
    conn.close()
    clock.now += timedelta(minutes=5)

    restored = manager.restore(info.id)

    assert restored.id == info.id
    assert names(journal) == before
    assert mode_of(journal) == 0o600
    safety = next(i for i in manager.list() if i.reason == "before restore")
    assert safety.verified
    assert safety.counts == {"act": 7, "note": 0, "person": 3}
    assert temp_files(manager.backup_dir, journal.parent) == []
    with sqlite3.connect(journal) as conn:
        assert check_journal(conn).ok


def leave_a_hot_wal(journal: Path, name: str) -> None:
    """A writer that committed and then died: its rows live only in the -wal file."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover (child)
        try:
            conn = sqlite3.connect(journal, isolation_level=None)
            conn.execute("PRAGMA wal_autocheckpoint = 0")
            conn.execute("INSERT INTO person (name) VALUES (?)", (name,))
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert journal.with_name(journal.name + "-wal").stat().st_size > 0


def test_restore_never_replays_the_old_journals_wal_into_the_new_one(
    manager: BackupManager, journal: Path
) -> None:
    info = manager.backup_now("manual")
    before = names(journal)
    leave_a_hot_wal(journal, "committed just before a crash")

    manager.restore(info.id)

    assert names(journal) == before
    safety = next(i for i in manager.list() if i.reason == "before restore")
    assert safety.counts["person"] == len(before) + 1  # the WAL's row is in the safety copy
    with sqlite3.connect(journal) as conn:
        assert check_journal(conn).ok


def test_restore_refuses_while_the_journal_is_open_elsewhere(
    manager: BackupManager, journal: Path
) -> None:
    info = manager.backup_now("manual")
    reader = sqlite3.connect(journal, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM person").fetchone()
    reader.execute("INSERT INTO act (kind) VALUES ('x')")  # holds the write lock

    with pytest.raises(BackupError, match="still open"):
        manager.restore(info.id)

    reader.execute("COMMIT")
    reader.close()
    assert len(names(journal)) == 50
    assert temp_files(manager.backup_dir, journal.parent) == []


def test_a_damaged_backup_is_not_restored(manager: BackupManager, journal: Path) -> None:
    info = manager.backup_now("manual")
    data = bytearray(info.path.read_bytes())
    data[-3] ^= 1
    info.path.write_bytes(bytes(data))
    with sqlite3.connect(journal) as conn:
        conn.execute("DELETE FROM act")
    conn.close()
    original = journal.read_bytes()

    with pytest.raises(BackupError, match="damaged or was altered"):
        manager.restore(info.id)

    assert journal.read_bytes() == original
    assert temp_files(manager.backup_dir, journal.parent) == []


def test_restore_on_a_new_machine_with_the_recovery_key(tmp_path: Path, journal: Path) -> None:
    old_keys = BackupKeys(MemoryKeyring(), environ={})
    old = BackupManager(journal, tmp_path / "synced", old_keys)
    info = old.backup_now("manual")
    recovery = old_keys.pop_new_recovery_key()
    assert recovery is not None

    new_journal = tmp_path / "new machine" / "journal.sqlite"
    new_keys = BackupKeys(MemoryKeyring(), environ={})
    new = BackupManager(new_journal, tmp_path / "synced", new_keys)
    with pytest.raises(KeyMismatch) as err:
        new.restore(info.id)
    assert err.value.needs == "recovery_key"
    assert not new_journal.exists()

    new_keys.add_recovery_key(recovery)
    new.restore(info.id)
    assert names(new_journal) == names(journal)


def test_passphrase_mode_end_to_end(tmp_path: Path, journal: Path) -> None:
    fast = ScryptParams(log2_n=10, r=8, p=1)
    keys = BackupKeys(
        keyring.backends.fail.Keyring(),
        environ={"RAPPORT_BACKUP_PASSPHRASE": "tea in Lisbon"},
        scrypt=fast,
    )
    info = BackupManager(journal, tmp_path / "b", keys).backup_now("manual")
    assert info.verified

    wrong = BackupKeys(keyring.backends.fail.Keyring(), passphrase="coffee in Porto")
    with pytest.raises(KeyMismatch, match="wrong passphrase"):
        BackupManager(journal, tmp_path / "b", wrong).verify(info.id)
    right = BackupKeys(keyring.backends.fail.Keyring(), passphrase="tea in Lisbon")
    assert BackupManager(journal, tmp_path / "b", right).verify(info.id).verified


def test_restore_from_a_file_outside_the_folder(
    manager: BackupManager, journal: Path, tmp_path: Path
) -> None:
    info = manager.backup_now("manual")
    elsewhere = tmp_path / "usb" / info.path.name
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(info.path.read_bytes())
    info.path.unlink()
    with sqlite3.connect(journal) as conn:
        conn.execute("DELETE FROM act")
    conn.close()

    manager.restore(elsewhere)

    with sqlite3.connect(journal) as conn:
        assert conn.execute("SELECT count(*) FROM act").fetchone()[0] == 7
    conn.close()


def test_restoring_over_an_unreadable_journal_keeps_a_raw_copy(
    manager: BackupManager, journal: Path
) -> None:
    info = manager.backup_now("manual")
    journal.write_bytes(b"this is not a database any more" * 100)

    manager.restore(info.id)

    assert len(names(journal)) == 50
    raw = next(i for i in manager.list() if "raw copy" in i.reason)
    assert raw.state == "failed"
    assert "not a database" in (raw.error or "")


# --- journal checks and the change detector ------------------------------------------------


def test_check_journal(journal: Path) -> None:
    conn = sqlite3.connect(journal, isolation_level=None)
    assert check_journal(conn).to_json() == {"integrity": "ok", "foreign_keys": []}
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO note (person_id, body) VALUES (999, 'orphan')")
    result = check_journal(conn)
    assert not result.ok
    assert result.foreign_keys == [{"table": "note", "rowid": 51, "parent": "person", "fkid": 0}]
    conn.close()


def test_changes_are_noticed_from_this_and_other_connections(journal: Path) -> None:
    app = sqlite3.connect(journal, isolation_level=None)
    token = change_token(app)
    assert not changed_since(app, token)

    app.execute("INSERT INTO act (kind) VALUES ('share')")
    assert changed_since(app, token)

    token = change_token(app)
    other = sqlite3.connect(journal, isolation_level=None)
    other.execute("INSERT INTO act (kind) VALUES ('thanks')")
    assert changed_since(app, token)

    token = change_token(app)
    app.execute("SELECT count(*) FROM act").fetchone()
    assert not changed_since(app, token)
    app.close()
    other.close()


def test_should_back_up_only_when_changed_and_due(journal: Path) -> None:
    app = sqlite3.connect(journal, isolation_level=None)
    t0 = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
    token = change_token(app)
    assert not should_back_up(app, token, t0, t0 + timedelta(hours=5))
    app.execute("INSERT INTO act (kind) VALUES ('share')")
    assert not should_back_up(app, token, t0, t0 + timedelta(minutes=29))
    assert should_back_up(app, token, t0, t0 + timedelta(minutes=30))
    assert should_back_up(app, None, None, t0)
    app.close()


# --- thinning ------------------------------------------------------------------------------


def fake(created: datetime) -> BackupInfo:
    return BackupInfo(
        id=created.strftime("%Y%m%dT%H%M%SZ"),
        path=Path(f"rapport-{created:%Y%m%dT%H%M%SZ}.rbak"),
        created=created,
        size=1,
        verified=True,
    )


def expected_survivors(times: list[datetime], now: datetime, policy: Retention) -> set[datetime]:
    """The policy, written independently: calendar groups, not the manager's running state."""
    newest_first = sorted(times, reverse=True)
    yesterday = now.date() - timedelta(days=1)
    keep = {t for t in newest_first if t.date() >= yesterday}
    older = [t for t in newest_first if t.date() < yesterday]

    def newest_per(group: Callable[[date], object], candidates: list[datetime]) -> list[datetime]:
        seen: dict[object, datetime] = {}
        for t in candidates:
            seen.setdefault(group(t.date()), t)
        return list(seen.values())  # newest first, one per group

    def monday(d: date) -> date:
        return d - timedelta(days=d.weekday())

    def first_of_month(d: date) -> date:
        return d.replace(day=1)

    days = newest_per(lambda d: d, older)[: policy.daily]
    keep.update(days)
    if len(days) < policy.daily or not days:
        return keep
    cutoff = monday(days[-1].date())
    weeks = newest_per(monday, [t for t in older if t.date() < cutoff])[: policy.weekly]
    keep.update(weeks)
    if len(weeks) < policy.weekly or not weeks:
        return keep
    cutoff = first_of_month(weeks[-1].date())
    months = newest_per(first_of_month, [t for t in older if t.date() < cutoff])
    keep.update(months[: policy.monthly])
    return keep


def test_a_year_of_daily_backups_thinned_at_once() -> None:
    # Like Anki's own check: 365 daily backups, thinned once, by calendar reasoning.
    now = datetime(2025, 1, 1, 18, 0, tzinfo=UTC)
    days = [now.replace(hour=12) - timedelta(days=i) for i in range(365)]
    dropped = obsolete_backups([fake(t) for t in days], Retention(), now)
    survivors = set(days) - {b.created for b in dropped}

    today, yesterday = now.date(), now.date() - timedelta(days=1)
    expected = {t for t in days if t.date() in (today, yesterday)}
    daily = sorted((t for t in days if t.date() < yesterday), reverse=True)[:12]
    expected.update(daily)
    oldest_daily = daily[-1].date()
    sundays = [
        t
        for t in days
        if t.weekday() == 6 and t.date() < oldest_daily - timedelta(days=oldest_daily.weekday())
    ]
    weekly = sorted(sundays, reverse=True)[:10]
    expected.update(weekly)
    month_ends = [
        t
        for t in days
        if (t + timedelta(days=1)).month != t.month and t.date() < weekly[-1].date().replace(day=1)
    ]
    expected.update(sorted(month_ends, reverse=True)[:9])

    assert survivors == expected
    assert len(survivors) == 2 + 12 + 10 + 9
    assert survivors == expected_survivors(days, now, Retention())
    # Spot checks a person can read: the oldest weekly and monthly survivors.
    # 2025-01-01 is a Wednesday: recent Jan 1 and Dec 31, daily Dec 30..19, weekly the ten
    # Sundays before Monday Dec 16, monthly the nine month ends before October.
    assert min(daily).date() == date(2024, 12, 19)
    assert sorted(t.date() for t in weekly) == [
        date(2024, 10, 13) + timedelta(weeks=w) for w in range(10)
    ]
    assert sorted(t.date() for t in survivors)[:3] == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
    ]


def test_several_a_day_with_gaps_thinned_at_once() -> None:
    now = datetime(2025, 3, 10, 23, 0, tzinfo=UTC)
    times: list[datetime] = []
    for i in range(400):
        day = now - timedelta(days=i)
        if 40 <= i < 75 or i % 11 == 5:
            continue  # the app was not opened
        times.extend(day.replace(hour=h, minute=0) for h in (8, 13, 21) if i % 3 or h == 13)
    dropped = obsolete_backups([fake(t) for t in times], Retention(), now)
    survivors = set(times) - {b.created for b in dropped}
    assert survivors == expected_survivors(times, now, Retention())
    assert sum(1 for t in survivors if t.date() >= now.date() - timedelta(days=1)) == 4


@pytest.mark.slow
def test_a_year_of_real_daily_backups_keeps_exactly_the_expected_ones(
    tmp_path: Path, journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The manager thins after every backup, so what survives is the policy applied day after
    # day; the independent model is applied the same way.
    # 365 backups: skip the flushes to disk, which only matter if the power fails.
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    clock = Clock(datetime(2024, 1, 1, 12, 0, tzinfo=UTC))
    manager = BackupManager(journal, tmp_path / "b", StaticKey(KEY), clock=clock, tz=UTC)
    model: list[datetime] = []
    for _ in range(365):
        manager.backup_now("daily")
        model.append(clock.now)
        model = sorted(expected_survivors(model, clock.now, Retention()))
        clock.now += timedelta(days=1)

    listed = manager.list()
    assert sorted(i.created for i in listed) == model
    assert len(model) == 2 + 12 + 10 + 9
    on_disk = sorted(p.name for p in manager.backup_dir.glob("*.rbak"))
    assert on_disk == sorted(i.path.name for i in listed)


def test_thinning_never_deletes_failed_unverified_or_the_newest_good_one(
    manager: BackupManager, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    oldest = manager.backup_now("first")
    clock.now += timedelta(days=100)
    monkeypatch.setattr(backups_module, "copy_database", corrupting_copy(drop_rows))
    with pytest.raises(BackupError):
        manager.backup_now("bad")
    monkeypatch.undo()
    clock.now += timedelta(days=100)
    unverified = manager.backup_now("not checked", verify=False)
    clock.now += timedelta(days=100)

    manager.policy = Retention(daily=0, weekly=0, monthly=0)
    result = manager.thin()

    assert result.deleted == []
    assert [i.id for i in result.kept] == [oldest.id]  # the newest (and only) good one
    assert {i.reason for i in result.attention} == {"bad", "not checked"}
    assert unverified.path.exists()

    newer = manager.backup_now("second good")
    assert not oldest.path.exists()
    assert [i.reason for i in manager.list()] == ["second good", "not checked", "bad"]
    assert newer.verified


def test_leftovers_of_a_killed_backup_are_removed(manager: BackupManager, journal: Path) -> None:
    dead_pid = 2**22 + 12345  # above pid_max on Linux: never a live process
    plain = journal.parent / f".{journal.name}.{dead_pid}.0123abcd.tmp"
    plain.write_bytes(b"a plain copy of the journal")
    half = manager.backup_dir / f".rapport-x.rbak.{dead_pid}.0123abcd.tmp"
    manager.backup_dir.mkdir(exist_ok=True)
    half.write_bytes(b"half a backup")
    mine = journal.parent / f".{journal.name}.{os.getpid()}.0123abcd.tmp"
    mine.write_bytes(b"still being written")

    manager.backup_now("manual")

    assert not plain.exists()
    assert not half.exists()
    assert mine.exists()
