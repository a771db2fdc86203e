"""The main window: navigation between the views, menus, undo/redo, status bar.

It starts in two steps so it paints as soon as a bare window would: the frame (navigation,
menus, status bar, the size and view remembered) needs nothing but Qt; the journal, the
views and the backups arrive right after the first paint (``attach``).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from rapport import APP_NAME, __version__
from rapport.ui.icons import icon
from rapport.ui.views import VIEWS, View

if TYPE_CHECKING:
    from rapport.core.changes import Changes
    from rapport.store.journal import Journal
    from rapport.ui.backup_status import BackupController
    from rapport.ui.operations import Operations

GEOMETRY_KEY = "ui.geometry"
VIEW_KEY = "ui.view"
STATE_KEYS = (GEOMETRY_KEY, VIEW_KEY)


class MainWindow(QMainWindow):
    """``MainWindow(journal)`` is ready at once; ``MainWindow(None, state=...)`` is the frame
    alone, painted first, and ``attach(journal)`` completes it."""

    def __init__(
        self,
        journal: Journal | None = None,
        *,
        demo: bool = False,
        state: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self._painted = False
        self._when_painted: list[Callable[[], None]] = []
        self.journal: Journal | None = None
        self._ops: Operations | None = None
        self.demo = demo
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(100)
        self.setWindowTitle(f"{APP_NAME} — sample journal" if demo else APP_NAME)
        self.setWindowIcon(icon("rapport"))
        self.setAcceptDrops(True)
        self.resize(1200, 760)
        self.setMinimumSize(QSize(760, 480))

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(168)
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setSpacing(2)
        self.stack = QStackedWidget()
        self.views = _Views(self)
        for spec in VIEWS:
            self.stack.addWidget(_stand_in(spec.title))  # until the view is built
            item = QListWidgetItem(icon(spec.icon_name), spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._switch)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.journal_label = QLabel()
        self.journal_label.setTextFormat(Qt.TextFormat.PlainText)
        self._backups: BackupController | None = None
        self.import_preview: QWidget | None = None  # the import preview while it is open
        self.statusBar().addPermanentWidget(self.journal_label)
        self._build_menus()
        if journal is not None:
            from rapport.store import settings

            state = {key: settings.get(key) for key in STATE_KEYS}
        self._restore_state(state or {})
        if journal is not None:
            self.attach(journal)

    @property
    def ops(self) -> Operations:
        """The background-operation helper; exists once the journal is attached."""
        if self._ops is None:
            raise RuntimeError("the journal is not open yet")
        return self._ops

    @property
    def ready(self) -> bool:
        return self._ops is not None and not self._ops.closed

    def attach(self, journal: Journal) -> None:
        """Open the window on ``journal``: operations, views, backups."""
        from rapport.ui.operations import Operations

        self.journal = journal
        self._ops = Operations(journal, self, self.undo_stack)
        self._ops.did_change.connect(self._on_changes)
        self.journal_label.setText(
            f"Sample journal — yours is untouched ({journal.path.parent})"
            if self.demo
            else str(journal.path)
        )
        if self._painted:
            QTimer.singleShot(0, self._finish_starting)

    def when_painted(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` right after the window first paints (at once if it has)."""
        if self._painted:
            QTimer.singleShot(0, callback)
        else:
            self._when_painted.append(callback)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not getattr(self, "_painted", True):
            # The window paints first; the journal, views and backups come after.
            self._painted = True
            for callback in self._when_painted:
                QTimer.singleShot(0, callback)
            self._when_painted.clear()
            if self._ops is not None:
                QTimer.singleShot(0, self._finish_starting)
        return super().event(event)

    def _finish_starting(self) -> None:
        if not self.ready:
            return
        self.current_view()  # the view on screen first
        _ = self.backups
        warm = threading.Thread(target=_warm_up, name="rapport-warm-up", daemon=True)
        warm.start()
        self._build_next_view(warm)

    def _build_next_view(self, warm: threading.Thread) -> None:
        if not self.ready:
            return
        if warm.is_alive() or self.ops.busy:
            # The warm-up's imports first, and the view on screen's reads: the others wait.
            QTimer.singleShot(20, lambda: self._build_next_view(warm))
            return
        missing = [spec.key for spec in VIEWS if spec.key not in self.views]
        if missing:
            self.views[missing[0]]  # asking builds it
            QTimer.singleShot(0, lambda: self._build_next_view(warm))

    @property
    def backups(self) -> BackupController:
        """The backups' status line, timer and close hook (made just after the first paint)."""
        if self._backups is None:
            from rapport.ui.backup_status import BackupController

            self._backups = BackupController(self)
            self.statusBar().insertPermanentWidget(0, self._backups.status)
        return self._backups

    def _build_view(self, key: str) -> View:
        index = next(i for i, spec in enumerate(VIEWS) if spec.key == key)
        view = VIEWS[index].load()(self)
        stand_in = self.stack.widget(index)
        current = self.stack.currentIndex()
        self.stack.insertWidget(index, view)
        if stand_in is not None:
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
        self.stack.setCurrentIndex(current)
        return view

    # -- menus -----------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[..., object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        # Until the journal is open (a moment after the first paint) there is nothing to do.
        action.triggered.connect(lambda *_: slot() if self.ready else None)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.import_action = self._action("&Import…", self.choose_import, "Ctrl+I")
        file_menu.addAction(self.import_action)
        self.export_action = self._action("&Export contacts…", self.choose_export, "Ctrl+Shift+E")
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        self.backups_action = self._action("&Backups…", self.show_backups)
        file_menu.addAction(self.backups_action)
        self.check_action = self._action("&Check journal", self.check_journal)
        file_menu.addAction(self.check_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)
        file_menu.addAction(quit_action)

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")]
        )
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.quick_log_action = self._action("&Log an act…", self.quick_log, "Ctrl+L")
        edit_menu.addAction(self.quick_log_action)
        find = self._action("&Find", self.focus_find, QKeySequence.StandardKey.Find)
        edit_menu.addAction(find)
        edit_menu.addSeparator()
        prefs = self._action("&Preferences…", self.show_preferences, "Ctrl+,")
        edit_menu.addAction(prefs)

        self.view_menu = bar.addMenu("&View")
        for n, spec in enumerate(VIEWS, start=1):
            action = self._action(
                spec.title, lambda _=False, k=spec.key: self.show_view(k), f"Ctrl+{n}"
            )
            self.view_menu.addAction(action)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&About Rapport", self.show_about))

    # -- views -----------------------------------------------------------------------------

    def _switch(self, row: int) -> None:
        if row < 0 or not self.ready:
            self.stack.setCurrentIndex(max(row, 0))
            return
        view = self.views[VIEWS[row].key]
        self.stack.setCurrentIndex(row)
        view.activated()

    def current_view(self) -> View | None:
        """The view on screen (built now if the window has not got round to it yet)."""
        row = self.stack.currentIndex()
        return self.views[VIEWS[row].key] if 0 <= row < len(VIEWS) else None

    def show_view(self, key: str) -> View:
        view = self.views[key]
        self.nav.setCurrentRow(self.stack.indexOf(view))
        return view

    def quick_log(self) -> None:
        from rapport.ui.quick_log import open_quick_log

        open_quick_log(self)

    def focus_find(self) -> None:
        view = self.current_view()
        if view is not None:
            view.focus_find()

    def _on_changes(self, changes: Changes, initiator: object | None) -> None:
        for view in self.views.values():
            view.on_changes(changes, initiator)
        summary = changes.describe()
        if summary:
            self.statusBar().showMessage(summary, 5000)

    # -- import / export -------------------------------------------------------------------

    def choose_import(self) -> None:
        from rapport.ui import importing

        importing.choose_and_import(self)

    def import_files(self, paths: list[Path]) -> None:
        from rapport.ui import importing

        importing.import_files(self, paths)

    def choose_export(self) -> None:
        from rapport.ui import exporting

        exporting.choose_and_export(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths and self.ready:
            event.acceptProposedAction()
            self.import_files(paths)

    # -- dialogs ---------------------------------------------------------------------------

    def show_preferences(self) -> None:
        from rapport.ui.preferences import PreferencesDialog

        dialog = PreferencesDialog(self)
        dialog.open()

    def show_backups(self) -> None:
        from rapport.ui.backups_dialog import open_backups

        open_backups(self)

    def check_journal(self) -> None:
        from rapport.ui.backups_dialog import open_backups

        open_backups(self).check_journal()

    def show_about(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}", about_html())

    # -- state -----------------------------------------------------------------------------

    def _restore_state(self, state: dict[str, Any]) -> None:
        geometry = state.get(GEOMETRY_KEY)
        if isinstance(geometry, str) and geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        key = state.get(VIEW_KEY)
        keys = [spec.key for spec in VIEWS]
        row = keys.index(key) if key in keys else 0
        # Select it without building it: the window paints first, the view right after.
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(row)
        self.nav.blockSignals(False)
        self.stack.setCurrentIndex(row)

    def _save_state(self) -> None:
        geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        row = self.stack.currentIndex()
        key = VIEWS[row].key if 0 <= row < len(VIEWS) else ""

        def save() -> None:
            from rapport.store import settings

            settings.put(GEOMETRY_KEY, geometry)
            settings.put(VIEW_KEY, key)

        self.ops.run_on_writer(save)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ready:
            self.backups.on_close()  # backs up if anything changed since the last backup
            self._save_state()
            self.ops.shutdown()
        super().closeEvent(event)


def about_html() -> str:
    return (
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>A relationship journal: know who you need to know, serve them first, "
        "and meet them for coffee when your travel takes you to their city.</p>"
        "<p>Your journal stays on this computer.</p>"
        "<p>Place names and coordinates: "
        "<a href='https://www.geonames.org/'>GeoNames</a> (CC BY 4.0). "
        "Airports: <a href='https://github.com/mborsetti/airportsdata'>airportsdata</a> (MIT).</p>"
    )


class _Views(dict[str, View]):
    """The views built so far; asking for one that is not built yet builds it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window

    def __missing__(self, key: str) -> View:
        view = self.window._build_view(key)
        self[key] = view
        return view


def _stand_in(title: str) -> QWidget:
    """What shows for a moment where a view is still being built."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    note = QLabel(f"Opening {title}…")
    note.setAlignment(Qt.AlignmentFlag.AlignCenter)
    note.setEnabled(False)
    layout.addWidget(note)
    return holder


def _warm_up() -> None:
    """Import what the other views and first lookups need, on a thread of its own."""
    for spec in VIEWS:
        importlib.import_module(spec.target.partition(":")[0])
    import keyring

    from rapport.core import gazetteer

    gazetteer.load()
    keyring.get_keyring()  # finding the system keyring takes a while the first time
