"""At start a damaged journal is caught and the latest good backup offered (Restore / Quit)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest

from rapport.core import backup_service as bs
from rapport.core import people
from rapport.store.backups import BackupInfo
from rapport.store.journal import open_journal
from rapport.store.models import Person
from rapport.ui import app, startup

GARBAGE = b"this journal was overwritten by a runaway sync tool\n" * 400


def args_for(data: Path, *, smoke: bool = False) -> argparse.Namespace:
    return argparse.Namespace(data_dir=str(data), demo=False, smoke=smoke)


def journal_with_backup(data: Path, names: list[str]) -> BackupInfo:
    """A journal holding ``names``, backed up; then one more person, not backed up."""
    path = data / "journal.sqlite"
    journal = open_journal(path)
    for name in names:
        people.create_person(name)
    info = bs.BackupService(path).back_up(bs.MANUAL)
    people.create_person("Added after the backup")
    journal.close()
    return info


def overwrite_with_garbage(path: Path) -> None:
    path.write_bytes(GARBAGE)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def damage_a_page(path: Path) -> None:
    """The file still opens, but one of its pages is garbage: ``quick_check`` fails."""
    with path.open("r+b") as f:
        f.seek(4096 * 40)
        f.write(b"\xde\xad\xbe\xef" * 1024)


class Answer:
    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.asked: list[tuple[str, BackupInfo | None, bool]] = []

    def __call__(self, problem: str, latest: BackupInfo | None, opens: bool) -> str:
        self.asked.append((problem, latest, opens))
        return self.answer


def test_a_garbage_journal_is_replaced_by_the_latest_good_backup(
    data_dir: Path, qtbot: Any
) -> None:
    info = journal_with_backup(data_dir, ["Ada Lovelace", "Grace Hopper"])
    path = data_dir / "journal.sqlite"
    overwrite_with_garbage(path)
    answer = Answer(startup.RESTORE)

    journal = startup.start_journal(args_for(data_dir), ask=answer)

    assert journal is not None
    try:
        assert sorted(p.name for p in Person.select()) == ["Ada Lovelace", "Grace Hopper"]
        ((problem, latest, opens),) = answer.asked
        assert "not a Rapport journal or damaged" in problem
        assert latest is not None and latest.id == info.id and not opens
        # The damaged file is kept among the backups, listed as failed.
        raw = [b for b in bs.BackupService(path).list() if "raw copy" in b.reason]
        assert len(raw) == 1 and raw[0].state == "failed"
    finally:
        journal.close()


def test_quit_leaves_the_damaged_journal_as_it_is(data_dir: Path, qtbot: Any) -> None:
    journal_with_backup(data_dir, ["Ada Lovelace"])
    path = data_dir / "journal.sqlite"
    overwrite_with_garbage(path)
    assert startup.start_journal(args_for(data_dir), ask=Answer(startup.QUIT)) is None
    assert path.read_bytes() == GARBAGE


def test_smoke_reports_the_damage_and_exits_1(
    data_dir: Path, qtbot: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    info = journal_with_backup(data_dir, ["Ada Lovelace"])
    overwrite_with_garbage(data_dir / "journal.sqlite")
    assert app.run_window(args_for(data_dir, smoke=True)) == 1
    err = capsys.readouterr().err
    assert "the journal is damaged" in err and f"rapport backup restore {info.id}" in err
    assert err.count("\n") == 1


def test_a_journal_that_opens_but_fails_quick_check_is_caught(data_dir: Path, qtbot: Any) -> None:
    path = data_dir / "journal.sqlite"
    journal = open_journal(path)
    for i in range(3000):
        people.create_person(f"Person {i}", notes="met at the Lisbon meetup " * 8)
    journal.close()
    damage_a_page(path)
    answer = Answer(startup.OPEN_ANYWAY)

    journal = startup.start_journal(args_for(data_dir), ask=answer)

    ((problem, latest, opens),) = answer.asked
    assert "malformed" in problem and latest is None and opens
    assert journal is not None  # the user chose to open it anyway (to export what is left)
    journal.close()


def test_a_healthy_journal_opens_without_a_question(data_dir: Path, qtbot: Any) -> None:
    journal_with_backup(data_dir, ["Ada Lovelace"])
    answer = Answer(startup.QUIT)
    journal = startup.start_journal(args_for(data_dir), ask=answer)
    assert journal is not None and answer.asked == []
    journal.close()


def test_a_passphrase_backup_asks_for_the_passphrase_at_start(
    data_dir: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # a headless box
    monkeypatch.setenv("RAPPORT_BACKUP_PASSPHRASE", "tea with Grace")
    journal_with_backup(data_dir, ["Ada Lovelace"])
    monkeypatch.delenv("RAPPORT_BACKUP_PASSPHRASE")
    overwrite_with_garbage(data_dir / "journal.sqlite")
    asked: list[str] = []

    def secret(needs: str) -> str:
        asked.append(needs)
        return "tea with Grace"

    journal = startup.start_journal(args_for(data_dir), ask=Answer(startup.RESTORE), secret=secret)

    assert journal is not None and asked == ["passphrase"]
    try:
        assert [p.name for p in Person.select()] == ["Ada Lovelace"]
    finally:
        journal.close()
