"""The status-bar line, the timer's automatic backups, the backup on close and before imports."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from rapport.core import backup_service as bs
from rapport.core import people
from rapport.core.progress import Progress
from rapport.store.backups import BackupInfo
from rapport.store.journal import Journal
from rapport.ui import importing
from rapport.ui.backup_status import TICK_MS, describe_age, status_text

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def add_person(window: Any, settle: Callable[[Any], None], name: str) -> None:
    window.ops.change(window, f"Add {name}", lambda _p: people.create_person(name)[1])
    settle(window)


def backups(window: Any) -> list[BackupInfo]:
    return window.backups.service.list()


def finished(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window.backups.running is None, timeout=10000)


def info(minutes_ago: float, state: str = "good") -> BackupInfo:
    from pathlib import Path

    return BackupInfo(
        id="x",
        path=Path("x.rbak"),
        created=NOW - timedelta(minutes=minutes_ago),
        size=1,
        verified=state == "good",
        error="bad" if state == "failed" else None,
    )


def break_a_link(journal: Journal) -> None:
    conn = sqlite3.connect(journal.path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO email (person_id, address, key, label) VALUES (77, 'a@b', 'a@b', '')")
    conn.commit()
    conn.close()


# --- words ----------------------------------------------------------------------------------


def test_ages_read_like_a_person_would_say_them() -> None:
    assert describe_age(NOW - timedelta(seconds=20), NOW) == "just now"
    assert describe_age(NOW - timedelta(minutes=1), NOW) == "1 minute ago"
    assert describe_age(NOW - timedelta(minutes=5, seconds=40), NOW) == "5 minutes ago"
    assert describe_age(NOW - timedelta(hours=3), NOW) == "3 hours ago"
    assert describe_age(NOW - timedelta(hours=30), NOW) == "yesterday"
    assert describe_age(NOW - timedelta(days=4), NOW) == "4 days ago"
    assert describe_age(NOW - timedelta(days=90), NOW).startswith("on ")


def test_the_status_line_says_what_matters_most() -> None:
    good = info(5)
    assert status_text(None, None, None, NOW) == "No backup yet"
    assert status_text(good, good, None, NOW) == "Last backup 5 minutes ago"
    assert status_text(good, good, None, NOW, running=True) == "Backing up…"
    failed_now = bs.Attempt(NOW, "automatic", "disk full")
    assert status_text(good, good, failed_now, NOW) == "Last backup failed — open Backups"
    failed_before = bs.Attempt(NOW - timedelta(hours=1), "automatic", "disk full")
    assert status_text(good, good, failed_before, NOW) == "Last backup 5 minutes ago"
    bad = info(1, "failed")
    assert status_text(bad, good, None, NOW) == "Last backup failed — open Backups"
    needs = bs.Attempt(NOW, "automatic", "no passphrase", needs="passphrase")
    assert status_text(None, None, needs, NOW) == "Backups need your passphrase — open Backups"
    assert status_text(None, None, None, NOW, needs_passphrase=True).startswith("Backups need")
    pending = status_text(good, good, None, NOW, recovery_pending=True)
    assert pending == "New backup key — save its recovery key"


# --- the window -----------------------------------------------------------------------------


def test_the_line_updates_itself_and_counts_minutes(window: Any, qtbot: Any, settle: Any) -> None:
    controller = window.backups
    assert controller.status.text() == "No backup yet"
    assert controller.timer.isActive() and controller.timer.interval() == TICK_MS == 60_000
    add_person(window, settle, "Ada Lovelace")
    controller.back_up(bs.MANUAL)
    finished(qtbot, window)
    controller.take_recovery_key()
    assert controller.status.text() == "Last backup just now"
    made = backups(window)[0].created
    controller.clock = lambda: made + timedelta(minutes=5, seconds=3)
    controller.tick()
    assert controller.status.text() == "Last backup 5 minutes ago"
    controller.clock = lambda: made + timedelta(hours=2)
    controller.timer.timeout.emit()  # what the timer does every minute
    assert controller.status.text() == "Last backup 2 hours ago"


def test_the_timer_backs_up_while_something_changed(window: Any, qtbot: Any, settle: Any) -> None:
    controller = window.backups
    start = datetime.now(UTC)
    controller.clock = lambda: start
    controller.tick()
    assert controller.running is None and backups(window) == []  # nothing changed yet

    add_person(window, settle, "Ada Lovelace")
    controller.tick()
    assert controller.running == "automatic"
    finished(qtbot, window)
    assert [b.reason for b in backups(window)] == ["automatic"]

    controller.clock = lambda: start + timedelta(hours=3)
    controller.tick()  # due, but nothing changed since
    assert controller.running is None and len(backups(window)) == 1

    add_person(window, settle, "Grace Hopper")
    controller.clock = lambda: start + timedelta(minutes=10)
    controller.tick()  # changed, but not due (every 30 minutes)
    assert controller.running is None and len(backups(window)) == 1
    controller.clock = lambda: start + timedelta(minutes=31)
    controller.tick()
    finished(qtbot, window)
    assert [b.counts["person"] for b in backups(window)] == [2, 1]


def test_a_failed_automatic_backup_shows_in_the_line_and_nowhere_else(
    window: Any, journal: Journal, qtbot: Any, settle: Any
) -> None:
    add_person(window, settle, "Ada Lovelace")
    break_a_link(journal)
    window.backups.tick()
    finished(qtbot, window)
    assert window.backups.status.text() == "Last backup failed — open Backups"
    assert backups(window) == []
    assert not [w for w in window.findChildren(object) if w.objectName() == "errorBox"]


def test_close_backs_up_when_something_changed(window: Any, qtbot: Any, settle: Any) -> None:
    add_person(window, settle, "Ada Lovelace")
    window.close()
    assert [b.reason for b in backups(window)] == ["on close"]
    assert backups(window)[0].verified and window.backups.clean_at_close


def test_close_without_changes_makes_no_backup(window: Any, qtbot: Any, settle: Any) -> None:
    add_person(window, settle, "Ada Lovelace")
    window.backups.back_up(bs.MANUAL)
    finished(qtbot, window)
    window.close()
    assert [b.reason for b in backups(window)] == ["manual"]
    assert window.backups.clean_at_close


def test_an_empty_journal_is_not_backed_up_on_close(window: Any) -> None:
    window.close()
    assert backups(window) == [] and window.backups.clean_at_close


def test_a_journal_failing_its_check_is_not_backed_up_on_close_and_the_user_is_told(
    window: Any, journal: Journal, qtbot: Any, settle: Any
) -> None:
    add_person(window, settle, "Ada Lovelace")
    window.backups.back_up(bs.MANUAL)
    finished(qtbot, window)
    good = [b.id for b in backups(window)]
    add_person(window, settle, "Grace Hopper")
    break_a_link(journal)

    window.close()

    assert [b.id for b in backups(window)] == good
    notice = window.backups.close_notice
    assert notice is not None and notice.isVisible() and notice.parent() is None
    assert "could not back up" in notice.text() and "failed its check" in notice.text()
    assert not window.backups.clean_at_close
    notice.close()


def test_an_import_in_the_window_is_preceded_by_a_backup(
    window: Any, qtbot: Any, settle: Any, fixtures: Any
) -> None:
    add_person(window, settle, "Ada Lovelace")
    prepared = importing.prepare([fixtures / "contacts" / "apple_contacts_3.0.vcf"], Progress())
    assert prepared.plan is not None
    importing.run_import(window, prepared.plan)
    settle(window, 10000)
    before = [b for b in backups(window) if b.reason == "before import"]
    assert len(before) == 1 and before[0].counts["person"] == 1
    qtbot.waitUntil(lambda: window.backups.status.text().startswith("New backup key"))
    window.backups.take_recovery_key()
    assert window.backups.status.text() == "Last backup just now"


def test_a_clean_close_carries_over_to_the_next_session(
    window: Any, journal: Journal, qtbot: Any, settle: Any
) -> None:
    from rapport.store.journal import open_journal
    from rapport.ui.main_window import MainWindow
    from rapport.ui.startup import after_close as _closed

    add_person(window, settle, "Ada Lovelace")
    window.close()
    _closed(window)  # what run_window does after the event loop
    assert [b.reason for b in backups(window)] == ["on close"]
    assert bs.BackupService(journal.path).unchanged_since_last_backup()

    again = open_journal(journal.path)
    second = MainWindow(again)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    second.close()  # nothing changed since the last session's backup: no new one
    assert [b.reason for b in second.backups.service.list()] == ["on close"]
    again.close()
