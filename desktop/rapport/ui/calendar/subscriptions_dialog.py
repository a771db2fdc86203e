"""Calendar sources: imported files and subscribed feeds, when each was last read and what
went wrong; subscribe to a feed URL, refresh now, remove a source.

Fetching runs through ``window.ops`` off the GUI thread (not undoable: a feed is not the
user's edit). A feed that cannot be reached says so in its own row, never in a pile of
message boxes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rapport.core.backup_service import BEFORE_IMPORT, after_backup
from rapport.core.calendar import sources
from rapport.core.calendar.sources import SourceView
from rapport.core.changes import Changes
from rapport.core.clock import today
from rapport.core.progress import Progress
from rapport.ui.calendar.trip_panel import plain
from rapport.ui.contacts.plain import tooltip
from rapport.ui.errors import error_text

if TYPE_CHECKING:
    from rapport.ui.main_window import MainWindow

BEFORE_REMOVE = "before removing a calendar"  # why the backup was made, as the list shows it
COLUMNS = ("Kind", "Source", "Last read", "Events", "Status")
ERROR_COLOR = QColor("#c5221f")
HELP = (
    "Paste the private iCal address of your travel calendar: TripIt (Settings ▸ Calendar "
    "Feeds), Google Calendar (Settings ▸ Secret address in iCal format), Outlook (Publish "
    "calendar ▸ ICS). Rapport reads it at start and every few hours."
)


def fetched_text(when: datetime | None, now: datetime | None = None) -> str:
    if when is None:
        return "never"
    moment = when if when.tzinfo else when.replace(tzinfo=UTC)
    local = moment.astimezone()
    now = now or datetime.now(UTC)
    if local.date() == now.astimezone().date():
        return f"today {local:%H:%M}"
    return f"{local:%a} {local.day} {local:%b %Y %H:%M}"


def alive(widget: QWidget) -> bool:
    return shiboken6.isValid(widget)


def refresh_op(source_id: int | None, today: Any) -> Any:
    """The refresh operation for ``window.ops.change`` (one source, or every feed)."""

    def op(progress: Progress) -> Changes:
        changes = Changes(calendar=True)
        for report in sources.refresh(source_id, today=today, progress=progress):
            changes = changes | report.changes
        return changes

    return op


class SubscriptionsDialog(QDialog):
    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.sources: list[SourceView] = []
        self.confirm: QMessageBox | None = None
        self.setObjectName("subscriptionsDialog")
        self.setWindowTitle("Calendar subscriptions")
        self.resize(760, 420)
        layout = QVBoxLayout(self)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("sourcesTable")
        self.table.setAccessibleName("Calendar sources")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(4, 200)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)

        self.empty = plain("No calendars yet: subscribe to a feed below, or import an .ics file.")
        self.empty.setObjectName("noSources")
        layout.addWidget(self.empty)

        help_text = plain(HELP)
        layout.addWidget(help_text)
        row = QHBoxLayout()
        self.url = QLineEdit()
        self.url.setObjectName("feedUrl")
        self.url.setPlaceholderText("webcal://www.tripit.com/feed/ical/private/…/tripit.ics")
        self.url.setAccessibleName("Feed address")
        self.add_button = QPushButton("Subscribe")
        self.add_button.setObjectName("subscribeButton")
        self.add_button.setEnabled(False)
        self.url.textChanged.connect(lambda t: self.add_button.setEnabled(bool(t.strip())))
        self.url.returnPressed.connect(self.subscribe)
        self.add_button.clicked.connect(self.subscribe)
        row.addWidget(self.url, 1)
        row.addWidget(self.add_button)
        layout.addLayout(row)

        self.message = plain()
        self.message.setObjectName("subscriptionsMessage")
        self.message.hide()
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox()
        self.refresh_button: QPushButton = self.buttons.addButton(
            "Refresh now", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.refresh_button.setObjectName("refreshButton")
        self.remove_button: QPushButton = self.buttons.addButton(
            "Remove", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.remove_button.setObjectName("removeButton")
        self.close_button: QPushButton = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Close
        )
        self.refresh_button.clicked.connect(self.refresh)
        self.remove_button.clicked.connect(self.remove)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        self.finished.connect(self.deleteLater)
        self._update_buttons()
        self.load()

    # -- listing ---------------------------------------------------------------------------

    def load(self) -> None:
        def query(_p: Progress) -> list[Any]:
            return list(sources.list_sources())

        def done(found: list[Any]) -> None:
            if alive(self):
                self.show_sources(found)

        self.window_.ops.query(self, query, done)

    def show_sources(self, found: list[Any]) -> None:
        keep = self.selected()
        self.sources = found
        self.table.setRowCount(len(found))
        for row, source in enumerate(found):
            error = str(source.last_error or "")
            status = error if error else "OK"
            cells = (
                "Feed" if source.kind == "feed" else "File",
                source.name or source.location,
                fetched_text(source.last_fetch),
                str(source.events),
                status,
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 1:
                    item.setToolTip(tooltip(source.name, source.location))
                if col == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if col == 4 and error:
                    item.setForeground(QBrush(ERROR_COLOR))
                    item.setToolTip(tooltip(error))
                self.table.setItem(row, col, item)
            if keep is not None and source.id == keep.id:
                self.table.selectRow(row)
        self.empty.setVisible(not found)
        self._update_buttons()

    def selected(self) -> Any | None:
        rows = {i.row() for i in self.table.selectedItems()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.sources[row] if row < len(self.sources) else None

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.selected() is not None)
        self.refresh_button.setEnabled(bool(self.sources))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {ERROR_COLOR.name()};" if error else "")
        self.message.setVisible(bool(text))

    # -- changing --------------------------------------------------------------------------

    def subscribe(self) -> None:
        url = self.url.text().strip()
        if not url:
            return
        day = today()
        reports: list[Any] = []

        def op(progress: Progress) -> Changes:
            report = sources.subscribe(url, today=day, progress=progress)
            reports.append(report)
            return report.changes | Changes(calendar=True)

        def done(_c: Changes) -> None:
            if not alive(self):
                return
            self.url.clear()
            r = reports[0] if reports else None
            if r is not None:
                name = r.name or r.location
                self._say(f"Subscribed to {name}: {r.added} events, {r.trips} trips.")
            self.load()

        def failed(error: BaseException) -> None:
            if alive(self):
                self._say(error_text(error), error=True)
                self.load()

        self._say("Reading the feed…")
        self.window_.ops.change(
            self,
            "Subscribe to a calendar",
            after_backup(BEFORE_IMPORT, op),  # not undoable: a backup first
            undoable=False,
            show_progress=True,
            success=done,
            failure=failed,
        )

    def refresh(self) -> None:
        source = self.selected()

        def done(_c: Changes) -> None:
            if alive(self):
                self._say("")
                self.load()

        def failed(error: BaseException) -> None:
            if alive(self):
                self._say(error_text(error), error=True)
                self.load()

        self._say("Refreshing…")
        self.window_.ops.change(
            self,
            "Refresh calendars",
            refresh_op(source.id if source is not None else None, today()),
            undoable=False,
            show_progress=True,
            success=done,
            failure=failed,
        )

    def remove(self) -> None:
        """Ask first: imported events are not kept in the undo history."""
        source = self.selected()
        if source is None:
            return
        name = source.name or source.location
        box = QMessageBox(self)
        box.setObjectName("confirmRemove")
        box.setWindowTitle("Remove calendar")
        box.setIcon(QMessageBox.Icon.Question)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            f"Remove {name} and its {source.events} events? Trips made only from them go too; "
            "import the file or subscribe again to get them back."
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("Remove")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.accepted.connect(lambda: self._remove(source))
        box.finished.connect(box.deleteLater)
        self.confirm = box
        box.open()

    def _remove(self, source: SourceView) -> None:
        sid = source.id

        def op(_p: Progress) -> Changes:
            return sources.remove_source(sid) | Changes(calendar=True)

        def done(_c: Changes) -> None:
            if alive(self):
                self._say(f"Removed {source.name or source.location}.")
                self.load()

        guarded = after_backup(BEFORE_REMOVE, op)  # not undoable: a backup first
        self.window_.ops.change(self, "Remove calendar", guarded, undoable=False, success=done)
