"""Opening the journal for the window: the start-up check, and a restore when it fails.

A journal that cannot be opened or fails ``quick_check`` is not shown as if nothing
happened: the user is offered the latest good backup (Restore), or to open it anyway when it
opens at all, or to quit; ``--smoke`` reports it and exits 1.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QProgressDialog

from rapport import APP_NAME
from rapport.core.errors import RapportError
from rapport.core.progress import Progress
from rapport.store import location
from rapport.store.journal import Journal, JournalError, open_journal
from rapport.store.sqlite_copy import quick_check
from rapport.ui.app import application

if TYPE_CHECKING:
    from rapport.core import backup_service as bs
    from rapport.store.backups import BackupInfo


def open_for_window(args: argparse.Namespace) -> Journal:
    directory = location.data_dir(args.data_dir)
    journal = open_journal(location.journal_path(directory, demo=args.demo))
    if args.demo:
        from rapport.core.sample import ensure_sample_journal

        ensure_sample_journal()
    return journal


def after_close(window: object) -> None:
    """After the event loop: close the journal (a restore may have replaced it), and note a
    close whose journal is in the latest backup, so the next start knows."""
    from rapport.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    if window._ops is None:
        return
    window.ops.journal.close()
    if window.backups.clean_at_close:
        # Every thread has closed its connection (Operations.shutdown), so the WAL is folded
        # back and the file on disk says what the backup holds.
        window.backups.service.remember_clean_close()


# -- the start-up check ----------------------------------------------------------------------

RESTORE, OPEN_ANYWAY, QUIT = "restore", "open", "quit"
Ask = Callable[[str, "BackupInfo | None", bool], str]
AskSecret = Callable[[str], "str | None"]


def ask_what_to_do(problem: str, latest: BackupInfo | None, opens: bool) -> str:
    """The start-up dialog for a damaged journal: Restore / Open anyway / Quit."""
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, "Your journal is damaged.")
    box.setObjectName("damagedJournal")
    box.setInformativeText(damaged_text(problem, latest))
    restore = None
    if latest is not None:
        restore = box.addButton("Restore the backup", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(restore)
    anyway = box.addButton("Open anyway", QMessageBox.ButtonRole.DestructiveRole) if opens else None
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if restore is not None and clicked is restore:
        return RESTORE
    if anyway is not None and clicked is anyway:
        return OPEN_ANYWAY
    return QUIT


def damaged_text(problem: str, latest: BackupInfo | None) -> str:
    text = f"SQLite reports: {problem.splitlines()[0] if problem else 'unknown problem'}\n\n"
    if latest is None:
        return text + "There is no good backup to restore."
    from rapport.core.backup_service import describe_counts

    when = latest.created.astimezone().strftime("%A %d %B %Y, %H:%M")
    held = describe_counts(latest.counts)
    return (
        text + f"The latest good backup is from {when}" + (f" ({held})" if held else "") + ". "
        "Restoring it keeps a copy of the damaged journal among the backups."
    )


def ask_secret(needs: str) -> str | None:
    """The passphrase or recovery key a backup needs, asked with a plain input dialog."""
    label = "Backup passphrase:" if needs == "passphrase" else "Recovery key:"
    mode = QLineEdit.EchoMode.Password if needs == "passphrase" else QLineEdit.EchoMode.Normal
    text, ok = QInputDialog.getText(None, APP_NAME, label, mode)
    return text if ok and text else None


def start_journal(
    args: argparse.Namespace,
    *,
    ask: Ask = ask_what_to_do,
    secret: AskSecret = ask_secret,
) -> Journal | None:
    """Open the journal for the window, or None to quit (after telling why).

    A journal that fails to open or fails ``quick_check`` is not opened as if nothing
    happened: ``ask`` decides (tests pass their own). In ``--smoke`` mode the problem is
    printed and None returned.
    """
    path = location.journal_path(location.data_dir(args.data_dir), demo=args.demo)
    problem: str | None = None
    journal: Journal | None = None
    # The check reads the file on a thread of its own (SQLite lets go of the GIL), in
    # parallel with opening (and perhaps migrating) the journal.
    found: list[str] = []
    existed = path.exists()
    checker = threading.Thread(
        target=lambda: found.append(quick_check(path) if existed else "ok"),
        name="rapport-start-check",
    )
    checker.start()
    try:
        journal = open_for_window(args)
    except JournalError as exc:
        problem = str(exc)
    else:
        checker.join()
        if found[0] != "ok":
            problem = found[0]
            journal.close()
    checker.join()
    if problem is None:
        return journal
    from rapport.core import backup_service as bs

    service = bs.BackupService(path)
    latest = service.latest_good()
    if args.smoke:
        hint = "; there is no good backup to restore"
        if latest is not None:
            hint = f"; to restore the latest good backup: rapport backup restore {latest.id}"
        print(f"rapport: the journal is damaged: {problem.splitlines()[0]}{hint}", file=sys.stderr)
        return None
    answer = ask(problem, latest, journal is not None)
    if answer == OPEN_ANYWAY and journal is not None:
        return open_for_window(args)
    if answer != RESTORE or latest is None:
        return None
    error = restore_with_progress(service, latest, secret)
    if error is not None:
        QMessageBox.critical(None, APP_NAME, f"The backup could not be restored: {error}")
        return None
    return open_for_window(args)


def restore_with_progress(
    service: bs.BackupService, info: BackupInfo, secret: AskSecret
) -> str | None:
    """Restore ``info`` before any window exists: the work on a thread, a progress dialog
    painting meanwhile; asks for a passphrase or recovery key once if the backup needs it.
    Returns None when restored, else what went wrong."""
    from rapport.core import backup_service as bs

    for _attempt in range(2):
        try:
            _run_with_progress(lambda p: service.restore(info.path, p))
            return None
        except bs.NeedsKey as err:
            given = secret(err.needs)
            if given is None:
                return str(err)
            try:
                if err.needs == "passphrase":
                    service.set_passphrase(given)
                else:
                    service.keys.add_recovery_key(given)
            except Exception as bad:  # a mistyped recovery key
                return str(bad)
        except RapportError as err:
            return str(err)
    return "the passphrase or recovery key did not open the backup"


def _run_with_progress(work: Callable[[Progress], object]) -> None:
    dialog = QProgressDialog("Restoring the backup…", "Cancel", 0, 1000)
    dialog.setWindowTitle(APP_NAME)
    dialog.setMinimumDuration(300)
    seen = {"done": 0, "total": 0}
    progress = Progress(lambda done, total, _label: seen.update(done=done, total=total))
    dialog.canceled.connect(progress.cancel)
    app = application()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rapport-restore") as pool:
        future = pool.submit(work, progress)
        while not future.done():
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            if seen["total"]:
                dialog.setValue(int(1000 * seen["done"] / seen["total"]))
            wait([future], timeout=0.05)
    dialog.close()
    dialog.deleteLater()
    future.result()
