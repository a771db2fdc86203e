"""Starting the window: the application object, the window's frame, ``--smoke``.

The frame paints first; the journal is opened and checked right after
(``rapport.ui.startup``), so Rapport appears as fast as a bare window would.
"""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from rapport import APP_NAME, __version__
from rapport.store import location


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    # Background work hands the GIL back to the GUI thread every millisecond rather than
    # every five: with imports running, the window's longest stall drops from ~200 to ~50 ms.
    sys.setswitchinterval(0.001)
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("rapport")
    return app


def run_window(args: argparse.Namespace) -> int:
    """The window's frame paints first; the journal is opened and checked right after."""
    from rapport.store.early_settings import peek
    from rapport.ui.main_window import STATE_KEYS, MainWindow

    app = application()
    path = location.journal_path(location.data_dir(args.data_dir), demo=args.demo)
    window = MainWindow(None, demo=args.demo, state=peek(path, STATE_KEYS))
    outcome: list[int] = []

    def open_journal_now() -> None:
        from rapport.store.journal import JournalError
        from rapport.store.migrations import SchemaTooNew
        from rapport.ui.startup import start_journal

        try:
            journal = start_journal(args)
        except (JournalError, SchemaTooNew, OSError) as exc:
            if args.smoke:
                print(f"rapport: {exc}", file=sys.stderr)
            else:
                QMessageBox.critical(window, APP_NAME, str(exc))
            journal = None
        if journal is None:
            outcome.append(1)
            window.close()  # the last window: Qt ends the event loop
            return
        note = None
        if journal.pre_migration_copy is not None:
            from rapport.core.backup_service import secure_after_open

            note = secure_after_open(journal)
        window.attach(journal)
        if note:
            window.statusBar().showMessage(note[:1].upper() + note[1:], 30000)
        if args.smoke:
            QTimer.singleShot(0, lambda: _smoke_check(window, outcome))

    window.when_painted(open_journal_now)
    window.show()
    code = app.exec()
    if window.journal is not None:
        from rapport.ui.startup import after_close

        after_close(window)
    if args.smoke:
        return _smoke_report(app, window, outcome)
    return outcome[0] if outcome else code


def _smoke_check(window: object, outcome: list[int]) -> None:
    """``--smoke``: once the journal is open and the view on screen is built, paint the whole
    window once more into an image, then leave."""
    from rapport.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.current_view()
    window.backups.automatic = False  # a smoke run proves the window; it keeps nothing
    image = window.grab()
    outcome.append(0 if not image.isNull() and image.width() > 0 else 1)
    window.close()  # the last window: Qt ends the event loop


def _smoke_report(app: QApplication, window: object, outcome: list[int]) -> int:
    from rapport.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    if window.journal is None and outcome:
        return 1  # the journal did not open: start_journal has said why
    if outcome == [0]:
        print(f"rapport: smoke ok ({app.platformName()}, {window.width()}x{window.height()})")
        return 0
    print("rapport: smoke failed: the window did not open its journal and paint", file=sys.stderr)
    return 1
