"""Starting the window: the application object, the journal, the sample journal, ``--smoke``."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from rapport import APP_NAME, __version__
from rapport.core.sample import ensure_sample_journal
from rapport.store import location
from rapport.store.journal import Journal, JournalError, open_journal
from rapport.store.migrations import SchemaTooNew


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("rapport")
    return app


def open_for_window(args: argparse.Namespace) -> Journal:
    directory = location.data_dir(args.data_dir)
    journal = open_journal(location.journal_path(directory, demo=args.demo))
    if args.demo:
        ensure_sample_journal()
    return journal


def run_window(args: argparse.Namespace) -> int:
    app = application()
    try:
        journal = open_for_window(args)
    except (JournalError, SchemaTooNew, OSError) as exc:
        if args.smoke:
            print(f"rapport: {exc}", file=sys.stderr)
            return 1
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    from rapport.ui.main_window import MainWindow

    window = MainWindow(journal, demo=args.demo)
    window.show()
    if args.smoke:
        return _smoke(app, window)
    code = app.exec()
    journal.close()
    return code


def _smoke(app: QApplication, window: QApplication | object) -> int:
    """Paint the window once and leave: proves the install can open Rapport."""
    from rapport.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    painted: list[bool] = []

    def paint_and_quit() -> None:
        image = window.grab()
        painted.append(not image.isNull() and image.width() > 0)
        window.close()
        app.quit()

    QTimer.singleShot(0, paint_and_quit)
    app.exec()
    window.journal.close()
    if painted and painted[0]:
        print(f"rapport: smoke ok ({app.platformName()}, {window.width()}x{window.height()})")
        return 0
    print("rapport: smoke failed: the window did not paint", file=sys.stderr)
    return 1
