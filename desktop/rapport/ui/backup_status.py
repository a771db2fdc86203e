"""Backups without thinking about them: the status-bar line, the timer, the close, the restore.

``BackupController`` is the window's one owner of backup work. It keeps the line "Last backup
5 minutes ago" current (a timer ticks every minute), backs up when the journal changed and
``backup.interval_minutes`` passed, backs up on close when anything changed since the last
backup, and restores a backup into the running window (through ``ops.replace_journal``). All
of it runs off the GUI thread through ``window.ops``; nothing here touches the journal itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QToolButton, QWidget

from rapport.core import backup_service as bs
from rapport.core.errors import Cancelled
from rapport.store.backups import BackupInfo
from rapport.store.change_token import ChangeToken
from rapport.store.journal import open_journal
from rapport.ui.errors import show_error

TICK_MS = 60_000
Clock = Callable[[], datetime]


def describe_age(then: datetime, now: datetime) -> str:
    """ "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago", "on 2 March"."""
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    days = (now.astimezone().date() - then.astimezone().date()).days
    if days <= 1:
        return "yesterday"
    if days < 30:
        return f"{days} days ago"
    local = then.astimezone()
    return f"on {local.day} {local.strftime('%B %Y')}"


def status_text(
    latest: BackupInfo | None,
    latest_good: BackupInfo | None,
    attempt: bs.Attempt | None,
    now: datetime,
    *,
    running: bool = False,
    needs_passphrase: bool = False,
    recovery_pending: bool = False,
) -> str:
    """The status-bar line, from what the backup folder and the last attempt say."""
    if running:
        return "Backing up…"
    newest = latest.created if latest is not None else None
    if attempt is not None and attempt.failed and (newest is None or attempt.when >= newest):
        if attempt.needs == "passphrase":
            return "Backups need your passphrase — open Backups"
        return "Last backup failed — open Backups"
    if latest is not None and latest.state == "failed":
        return "Last backup failed — open Backups"
    if recovery_pending:
        return "New backup key — save its recovery key"
    if latest_good is None:
        if needs_passphrase:
            return "Backups need your passphrase — open Backups"
        return "No backup yet"
    return f"Last backup {describe_age(latest_good.created, now)}"


class BackupController(QObject):
    """The window's backups: status line, timer, close, restore. One per window."""

    changed = Signal()  # the list or the status changed: an open Backups dialog refreshes
    _attempted = Signal(object)  # an Attempt, from whichever thread made it

    def __init__(
        self,
        window: Any,
        *,
        service: bs.BackupService | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.service = service or bs.service_for(window.ops.journal.path)
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self.running: str | None = None  # the reason of the backup under way
        self.recovery_key: str | None = None  # made this session, not yet shown
        self.clean_at_close = False
        self.close_notice: QMessageBox | None = None
        self._closed = False
        # The sample journal is not the user's: it is never backed up automatically.
        self.automatic = not getattr(window, "demo", False)
        self._token: ChangeToken | None = None
        try:
            if self.service.unchanged_since_last_backup():
                self._token = self.service.change_token()
        except sqlite3.Error:
            self._token = None

        self.status = QToolButton()
        self.status.setObjectName("backupStatus")
        self.status.setAutoRaise(True)
        self.status.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.status.setToolTip("Backups: open the list, back up, restore")
        self.status.clicked.connect(self._open_dialog)

        self.timer = QTimer(self)
        self.timer.setObjectName("backupTimer")
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)

        self._attempted.connect(self._on_attempt, Qt.ConnectionType.QueuedConnection)
        self.service.subscribe(self._attempted.emit)
        self.refresh()
        self.timer.start()

    # -- the status line ---------------------------------------------------------------------

    def text(self) -> str:
        if not self.automatic:
            return "Sample journal: not backed up"
        infos = self.service.list()
        good = next((i for i in infos if i.verified), None)
        return status_text(
            infos[0] if infos else None,
            good,
            self.service.last_attempt,
            self.clock(),
            running=self.running is not None,
            needs_passphrase=self.service.key_state().needs_passphrase,
            recovery_pending=self.recovery_key is not None,
        )

    def refresh(self) -> None:
        self.status.setText(self.text())

    def _on_attempt(self, attempt: bs.Attempt) -> None:
        fresh = self.service.keys.pop_new_recovery_key()
        if fresh is not None:
            self.recovery_key = fresh
        self.refresh()
        self.changed.emit()

    def take_recovery_key(self) -> str | None:
        """The recovery key made this session, once (the Backups dialog shows it)."""
        shown, self.recovery_key = self.recovery_key, None
        if shown is not None:
            self.refresh()
        return shown

    def _open_dialog(self) -> None:
        self.window.show_backups()

    # -- automatic backups -------------------------------------------------------------------

    def tick(self) -> None:
        """Every minute: refresh the line; back up if something changed and one is due."""
        self.refresh()
        if not self.automatic or self.running is not None or self._closed or self.window.ops.busy:
            return
        if self.service.key_state().needs_passphrase:
            return  # the line already asks for it; failing every interval helps nobody
        try:
            due = self.service.due(self._token, self.clock())
        except sqlite3.Error:
            return
        if due:
            self.back_up(bs.AUTOMATIC, quiet=True)

    def back_up(
        self,
        reason: str,
        *,
        parent: QWidget | None = None,
        show_progress: bool = False,
        quiet: bool = False,
        then: Callable[[BackupInfo | None], None] | None = None,
    ) -> bool:
        """Start a backup off the GUI thread; False if one is already running.

        ``quiet`` failures only show in the status line (automatic backups); others are
        shown with ``show_error`` too. ``then(info or None)`` runs on the GUI thread after.
        """
        if self.running is not None:
            return False
        try:
            token: ChangeToken | None = self.service.change_token()
        except sqlite3.Error:
            token = None
        self.running = reason
        self.refresh()

        def done(info: BackupInfo) -> None:
            self.running = None
            self._token = token
            self.refresh()
            self.changed.emit()
            if then is not None:
                then(info)

        def failed(error: BaseException) -> None:
            self.running = None
            self.refresh()
            self.changed.emit()
            if not quiet and not isinstance(error, Cancelled):
                show_error(parent or self.window, error)
            if then is not None:
                then(None)

        self.window.ops.query(
            parent,
            lambda progress: self.service.back_up(reason, progress),
            done,
            failure=failed,
            label="Backing up the journal…",
            show_progress=show_progress,
        )
        return True

    def changed_since_backup(self) -> bool:
        try:
            return self.service.changed_since(self._token)
        except sqlite3.Error:
            return True

    # -- closing -----------------------------------------------------------------------------

    def on_close(self) -> None:
        """The window is closing: back up if anything changed since the last backup.

        Queued writes finish first. The backup runs off the GUI thread, with a progress
        dialog when it takes a while, while a local event loop keeps the window painting. A
        journal that fails its check is not backed up; the user is told in a box that
        outlives the window.
        """
        if self._closed:
            return
        self._closed = True
        self.timer.stop()
        self.window.ops.run_on_writer(lambda: None)
        if self.running is not None:
            self._wait(self.changed)  # a timer backup under way: let it finish first
        if not self.automatic:
            pass  # the sample journal, or a --smoke run: nothing to keep
        elif not self.changed_since_backup():
            self.clean_at_close = True
        elif self.service.key_state().needs_passphrase:
            self._tell_at_close()
        else:
            outcome: list[BackupInfo | None] = []
            loop = QEventLoop()

            def finished(info: BackupInfo | None) -> None:
                outcome.append(info)
                loop.quit()

            self.back_up(
                bs.ON_CLOSE, parent=self.window, show_progress=True, quiet=True, then=finished
            )
            if not outcome:
                loop.exec()
            if outcome and outcome[0] is not None:
                self.clean_at_close = not self.changed_since_backup()
            else:
                self._tell_at_close()
        self.service.unsubscribe(self._attempted.emit)
        self.service.close()

    @staticmethod
    def _wait(signal: Any) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)
        try:
            loop.exec()
        finally:
            signal.disconnect(loop.quit)

    def _tell_at_close(self) -> None:
        attempt = self.service.last_attempt
        if attempt is not None and attempt.error:
            why = attempt.error
        elif self.service.key_state().needs_passphrase:
            why = self.service.key_state().message
        else:
            why = "it did not finish"
        box = QMessageBox(QMessageBox.Icon.Warning, "Rapport", "")
        box.setObjectName("closeBackupNotice")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            "Rapport could not back up your journal as it closed.\n\n"
            f"{why[:1].upper()}{why[1:]}.\n\n"
            "Your changes are saved in the journal itself. Open Backups next time to "
            "check the journal or restore a good backup."
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.close_notice = box
        box.show()

    # -- checking ----------------------------------------------------------------------------

    def check_journal(self, parent: QWidget | None, then: Callable[[Any], None]) -> None:
        """Run "Check journal" off the GUI thread; ``then(CheckResult)`` on the GUI thread."""
        self.window.ops.query(
            parent,
            self.service.check,
            then,
            label="Checking the journal…",
            show_progress=True,
        )

    # -- restoring ---------------------------------------------------------------------------

    def restore(
        self,
        info: BackupInfo,
        parent: QWidget | None,
        then: Callable[[BackupInfo | None], None] | None = None,
    ) -> None:
        """Replace the journal with ``info``'s backup and show it in this window.

        A safety backup of the current journal comes first (in the store). Every
        connection of the window is closed for it and the journal reopened after
        (``ops.replace_journal``); the views reload, the undo history is gone.
        """
        self.timer.stop()
        path = self.window.ops.journal.path
        notes: list[str] = []

        def work(progress: Any) -> BackupInfo:
            return self.service.restore(info.path, progress)

        def reopen() -> Any:
            journal = open_journal(path)
            note = self.service.secure_pre_migration_copy(journal)
            if note:
                notes.append(note)
            return journal

        def settle() -> None:
            self.window.journal = self.window.ops.journal
            try:
                self._token = self.service.change_token()
            except sqlite3.Error:
                self._token = None
            self.timer.start()
            self.refresh()
            self.changed.emit()

        def done(restored: BackupInfo) -> None:
            settle()
            local = restored.created.astimezone().strftime("%d %B %Y, %H:%M")
            message = f"Restored the backup of {local}."
            if notes:
                message += " " + notes[0]
            self.window.statusBar().showMessage(message, 15000)
            if then is not None:
                then(restored)

        def failed(error: BaseException) -> None:
            settle()
            show_error(parent or self.window, error)
            if then is not None:
                then(None)

        self.window.ops.replace_journal(
            parent, "Restoring the backup…", work, reopen, done, failure=failed
        )
