"""The main window: navigation between the views, menus, undo/redo, status bar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from rapport import APP_NAME, __version__
from rapport.core.changes import Changes
from rapport.store import settings
from rapport.store.journal import Journal
from rapport.ui.icons import icon
from rapport.ui.operations import Operations
from rapport.ui.views import View, view_factories

GEOMETRY_KEY = "ui.geometry"
VIEW_KEY = "ui.view"


class MainWindow(QMainWindow):
    def __init__(self, journal: Journal, *, demo: bool = False) -> None:
        super().__init__()
        self.journal = journal
        self.demo = demo
        self.ops = Operations(journal, self)
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
        self.views: dict[str, View] = {}
        for factory in view_factories():
            view = factory(self)
            self.views[view.key] = view
            self.stack.addWidget(view)
            item = QListWidgetItem(icon(view.icon_name), view.title)
            item.setData(Qt.ItemDataRole.UserRole, view.key)
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
        self.statusBar().addPermanentWidget(self.journal_label)
        self.journal_label.setText(
            f"Sample journal — yours is untouched ({journal.path.parent})"
            if demo
            else str(journal.path)
        )
        self._build_menus()
        self.ops.did_change.connect(self._on_changes)
        self._restore_state()

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
        action.triggered.connect(slot)
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
        quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        file_menu.addAction(quit_action)

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self.ops.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.ops.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")]
        )
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        find = self._action("&Find", self.focus_find, QKeySequence.StandardKey.Find)
        edit_menu.addAction(find)
        edit_menu.addSeparator()
        prefs = self._action("&Preferences…", self.show_preferences, "Ctrl+,")
        edit_menu.addAction(prefs)

        self.view_menu = bar.addMenu("&View")
        for n, view in enumerate(self.views.values(), start=1):
            action = self._action(
                view.title, lambda _=False, k=view.key: self.show_view(k), f"Ctrl+{n}"
            )
            self.view_menu.addAction(action)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&About Rapport", self.show_about))

    # -- views -----------------------------------------------------------------------------

    def _switch(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        view = self.current_view()
        if view is not None:
            view.activated()

    def current_view(self) -> View | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, View) else None

    def show_view(self, key: str) -> View:
        view = self.views[key]
        self.nav.setCurrentRow(self.stack.indexOf(view))
        return view

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
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    # -- dialogs ---------------------------------------------------------------------------

    def show_preferences(self) -> None:
        from rapport.ui.preferences import PreferencesDialog

        dialog = PreferencesDialog(self)
        dialog.open()

    def show_about(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}", about_html())

    # -- state -----------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = settings.get(GEOMETRY_KEY)
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        key = settings.get(VIEW_KEY)
        keys = list(self.views)
        self.nav.setCurrentRow(keys.index(key) if key in keys else 0)

    def _save_state(self) -> None:
        geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        view = self.current_view()
        key = view.key if view else ""

        def save() -> None:
            settings.put(GEOMETRY_KEY, geometry)
            settings.put(VIEW_KEY, key)

        self.ops.run_on_writer(save)

    def closeEvent(self, event: QCloseEvent) -> None:
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
