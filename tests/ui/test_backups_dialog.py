"""The Backups dialog, driven by its buttons: back up, verify, restore, check, settings, keys."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from rapport.core import backup_service as bs
from rapport.core import people
from rapport.store import settings
from rapport.store.journal import Journal
from rapport.store.models import Person
from rapport.ui import backups_dialog
from rapport.ui.backups_dialog import BackupsDialog

LEFT = Qt.MouseButton.LeftButton


def add_person(window: Any, settle: Callable[[Any], None], name: str) -> None:
    window.ops.change(window, f"Add {name}", lambda _p: people.create_person(name)[1])
    settle(window)


def open_dialog(window: Any, qtbot: Any) -> BackupsDialog:
    window.show_backups()
    dialog = window.backups_dialog
    qtbot.waitExposed(dialog)
    return dialog


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, LEFT)


def states(dialog: BackupsDialog) -> list[str]:
    return [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]


def live_names(window: Any) -> list[str] | None:
    roster = window.views["contacts"].roster
    if roster is None:
        return None
    return sorted(roster.names[i] for i in range(len(roster)) if roster.alive[i])


def back_up_now(qtbot: Any, dialog: BackupsDialog) -> None:
    before = dialog.table.rowCount()
    click(qtbot, dialog.backup_button)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == before + 1, timeout=10000)
    qtbot.waitUntil(lambda: dialog.controller.running is None)


def error_boxes(widget: Any) -> list[QMessageBox]:
    return [b for b in widget.findChildren(QMessageBox) if b.objectName() == "errorBox"]


def test_back_up_now_shows_a_verified_row(window: Any, qtbot: Any, settle: Any) -> None:
    add_person(window, settle, "Ada Lovelace")
    dialog = open_dialog(window, qtbot)
    assert dialog.table.rowCount() == 0 and "No backups yet" in dialog.detail.text()

    back_up_now(qtbot, dialog)

    assert states(dialog) == ["Verified"]
    assert dialog.table.item(0, 3).text() == "Backed up by you"
    assert "1 person" in dialog.detail.text()
    assert dialog.folder_text.text() == str(window.journal.path.parent / "backups")
    assert window.backups.status.text() == "Last backup just now"


def test_restore_shows_the_restored_journal_and_clears_undo(
    window: Any, qtbot: Any, settle: Any
) -> None:
    add_person(window, settle, "Ada Lovelace")
    dialog = open_dialog(window, qtbot)
    back_up_now(qtbot, dialog)
    add_person(window, settle, "Grace Hopper")
    qtbot.waitUntil(lambda: live_names(window) == ["Ada Lovelace", "Grace Hopper"])
    assert window.ops.undo_stack.count() == 2
    old_journal = window.journal

    dialog.table.selectRow(0)
    click(qtbot, dialog.restore_button)
    confirm = dialog.confirm
    assert confirm is not None and confirm.isVisible()
    assert (
        "1 person" in confirm.informativeText() and "backed up first" in confirm.informativeText()
    )
    click(qtbot, dialog.restore_confirm)

    qtbot.waitUntil(lambda: live_names(window) == ["Ada Lovelace"], timeout=10000)
    settle(window)
    assert [p.name for p in Person.select()] == ["Ada Lovelace"]
    assert window.ops.undo_stack.count() == 0
    assert window.journal is window.ops.journal and window.journal is not old_journal
    qtbot.waitUntil(
        lambda: (
            "Before restore"
            in [dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())]
        )
    )
    safety = next(i for i in window.backups.service.list() if i.reason == "before restore")
    assert safety.counts["person"] == 2  # Grace is kept in the safety backup
    assert "Restored the backup" in window.statusBar().currentMessage()

    # The window works on the restored journal: a change is written and undone.
    add_person(window, settle, "Alan Turing")
    qtbot.waitUntil(lambda: live_names(window) == ["Ada Lovelace", "Alan Turing"])
    window.ops.undo_stack.undo()
    settle(window)
    assert [p.name for p in Person.select()] == ["Ada Lovelace"]


def test_verify_marks_a_tampered_backup_failed(window: Any, qtbot: Any, settle: Any) -> None:
    add_person(window, settle, "Ada Lovelace")
    dialog = open_dialog(window, qtbot)
    back_up_now(qtbot, dialog)
    path = dialog.infos[0].path
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x04
    path.write_bytes(bytes(data))

    dialog.table.selectRow(0)
    click(qtbot, dialog.verify_button)

    qtbot.waitUntil(lambda: states(dialog) == ["Failed"], timeout=10000)
    qtbot.waitUntil(lambda: bool(error_boxes(dialog)))
    assert "is bad" in error_boxes(dialog)[0].text()
    assert "Problem:" in dialog.detail.text()
    assert not dialog.restore_button.isEnabled()
    assert window.backups.status.text() == "Last backup failed — open Backups"


def test_verify_all_says_when_every_backup_is_good(window: Any, qtbot: Any, settle: Any) -> None:
    add_person(window, settle, "Ada Lovelace")
    dialog = open_dialog(window, qtbot)
    back_up_now(qtbot, dialog)
    add_person(window, settle, "Grace Hopper")
    back_up_now(qtbot, dialog)
    click(qtbot, dialog.verify_all_button)
    qtbot.waitUntil(lambda: dialog.detail.text() == "All 2 backups are good.", timeout=10000)


def test_check_journal_says_it_is_healthy_or_what_is_wrong(
    window: Any, journal: Journal, qtbot: Any, settle: Any
) -> None:
    add_person(window, settle, "Ada Lovelace")
    dialog = open_dialog(window, qtbot)
    click(qtbot, dialog.check_button)
    qtbot.waitUntil(lambda: dialog.message_box is not None and dialog.message_box.isVisible())
    assert "healthy" in dialog.message_box.text()
    dialog.message_box.close()

    conn = sqlite3.connect(journal.path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO email (person_id, address, key, label) VALUES (77, 'a@b', 'a@b', '')")
    conn.commit()
    conn.close()
    dialog.message_box = None
    window.check_journal()  # the File menu's "Check journal"
    qtbot.waitUntil(lambda: dialog.message_box is not None and dialog.message_box.isVisible())
    assert "failed its check" in dialog.message_box.text()
    assert "pointing at missing rows (email)" in dialog.message_box.text()
    dialog.message_box.close()


def test_settings_are_saved_and_followed(
    window: Any, qtbot: Any, settle: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_person(window, settle, "Ada Lovelace")
    dialog = open_dialog(window, qtbot)
    assert [s.value() for s in dialog.keep.values()] == [12, 10, 9]
    dialog.keep["daily"].setValue(3)
    dialog.keep["daily"].editingFinished.emit()
    dialog.interval.setValue(15)
    dialog.interval.editingFinished.emit()
    settle(window)
    assert settings.get("backup.daily") == 3
    assert settings.get("backup.interval_minutes") == 15
    assert window.ops.undo_stack.count() == 1  # the settings left the undo history alone

    synced = tmp_path / "Synced" / "Rapport"
    monkeypatch.setattr(backups_dialog, "choose_folder", lambda _parent, _start: synced)
    click(qtbot, dialog.choose_button)
    qtbot.waitUntil(lambda: dialog.folder_text.text() == str(synced))
    back_up_now(qtbot, dialog)
    assert dialog.infos[0].path.parent == synced

    opened: list[Path] = []
    monkeypatch.setattr(backups_dialog, "open_folder", opened.append)
    click(qtbot, dialog.folder_button)
    assert opened == [synced]
    click(qtbot, dialog.default_button)
    qtbot.waitUntil(lambda: dialog.folder_text.text().endswith("backups"))


def test_the_recovery_key_is_shown_once_with_copy_and_save(
    window: Any, qtbot: Any, settle: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_person(window, settle, "Ada Lovelace")
    window.backups.back_up(bs.MANUAL)  # the first backup makes the key
    qtbot.waitUntil(lambda: window.backups.running is None)
    settle(window)
    qtbot.waitUntil(
        lambda: window.backups.status.text() == "New backup key — save its recovery key"
    )
    dialog = open_dialog(window, qtbot)
    assert dialog.recovery_box.isVisible()
    key = dialog.recovery_text.text()
    assert key == window.backups.service.keys.recovery_key()
    assert len(key.split("-")) == 14
    assert "shown once" in dialog.recovery_intro.text()

    click(qtbot, dialog.copy_button)
    assert QGuiApplication.clipboard().text() == key
    target = tmp_path / "recovery.txt"
    monkeypatch.setattr(backups_dialog, "choose_save_path", lambda _p, _s: target)
    click(qtbot, dialog.save_button)
    assert key in target.read_text() and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert window.backups.status.text() == "Last backup just now"

    dialog.close()
    again = open_dialog(window, qtbot)
    assert not again.recovery_box.isVisible()  # shown once; "Show recovery key…" is there
    click(qtbot, again.show_key_button)
    assert again.recovery_box.isVisible() and again.recovery_text.text() == key


@pytest.fixture
def headless_window(qtbot: Any, journal: Journal) -> Iterator[Any]:
    """A window on a machine without a secure keyring."""
    from rapport.ui.main_window import MainWindow

    keyring.set_keyring(keyring.backends.fail.Keyring())
    win = MainWindow(journal)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    if win.isVisible():
        win.close()
    notice = win.backups.close_notice
    if notice is not None:
        notice.close()
    bs.forget_service(journal.path)


def test_passphrase_mode_says_so_and_takes_a_passphrase(
    headless_window: Any, qtbot: Any, settle: Any
) -> None:
    window = headless_window
    add_person(window, settle, "Ada Lovelace")
    assert window.backups.status.text() == "Backups need your passphrase — open Backups"
    dialog = open_dialog(window, qtbot)
    assert "no secure keyring" in dialog.key_banner.text()
    assert dialog.passphrase_button.isVisible() and not dialog.show_key_button.isVisible()
    assert dialog.key_state_label.text() == "Passphrase: not set"

    click(qtbot, dialog.passphrase_button)
    asked = dialog.text_dialog
    assert asked is not None
    asked.fields[0].setText("coffee in Lisbon")
    asked.fields[1].setText("coffee in Lisbon!")
    click(qtbot, asked.ok_button)
    assert asked.isVisible() and error_boxes(asked)
    asked.fields[1].setText("coffee in Lisbon")
    click(qtbot, asked.ok_button)
    assert not asked.isVisible()
    assert dialog.key_state_label.text() == "Passphrase: set for this session"

    back_up_now(qtbot, dialog)
    assert states(dialog) == ["Verified"]
    assert window.backups.status.text() == "Last backup just now"
