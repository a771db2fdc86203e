"""Importing files from the window: read and plan off the GUI thread, preview, then import.

Nothing is written until the user presses Import in the preview. The import runs on the
writer thread as one undoable step (Ctrl+Z removes all of it), with progress and Cancel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rapport.core import importers
from rapport.core.backup_service import BEFORE_IMPORT, after_backup
from rapport.core.changes import Changes
from rapport.core.contacts_import import (
    MERGE,
    NEW,
    SKIP,
    UPDATE,
    ImportPlan,
    ImportResult,
    PlannedRecord,
    apply_import,
    plan_import,
)
from rapport.core.errors import Cancelled
from rapport.core.progress import Progress
from rapport.ui.errors import show_error
from rapport.ui.operations import keep_collector_off

FILE_FILTERS = (
    "Contacts and calendars (*.vcf *.vcard *.csv *.ics)",
    "vCard (*.vcf *.vcard)",
    "CSV — LinkedIn, Google, Outlook (*.csv)",
    "Calendar (*.ics)",
    "All files (*)",
)
ACTION_WORDS = {NEW: "New", UPDATE: "Update", MERGE: "Merge into", SKIP: "Skip"}

ModelIndex = QModelIndex | QPersistentModelIndex


def choose_files(window: QWidget) -> list[Path]:
    """Ask which files to import (tests replace this function)."""
    names, _ = QFileDialog.getOpenFileNames(
        window, "Import contacts", str(Path.home()), ";;".join(FILE_FILTERS)
    )
    return [Path(n) for n in names]


def choose_and_import(window: Any) -> None:
    paths = choose_files(window)
    if paths:
        import_files(window, paths)


class PreparedImport:
    """What the background read hands to the preview: the files and the contacts plan."""

    def __init__(self, files: list[importers.ReadFile], plan: ImportPlan | None) -> None:
        self.files = files
        self.plan = plan
        # Lets the collector run again once the records are let go (see keep_collector_off).
        self.release_collector: Callable[[], None] = _nothing


def _is_contacts(f: importers.ReadFile) -> bool:
    return importers.handler_for(f.kind, f.path).family == "contacts"


def prepare(paths: Sequence[Path | str], progress: Progress) -> PreparedImport:
    """Read, parse and plan (no writes): runs on a reader thread."""
    files = importers.read_files(paths, progress)
    contacts = [f for f in files if _is_contacts(f)]
    plan = plan_import([(f.path, f.result) for f in contacts], progress) if contacts else None
    if plan is not None:
        plan.reports()  # counted here, off the GUI thread, for the preview
    return PreparedImport(files, plan)


def import_files(window: Any, paths: Sequence[Path | str]) -> None:
    """Read and plan ``paths`` off the GUI thread, then show the preview (or the error)."""
    from rapport.ui.calendar.importing import take_calendars

    paths = take_calendars(window, [Path(p) for p in paths])  # .ics files: the calendar import
    if not paths:
        return

    def work(progress: Progress) -> PreparedImport:
        prepared = prepare(paths, progress)
        prepared.release_collector = keep_collector_off()  # taken before the job lets go
        return prepared

    def ready(prepared: PreparedImport) -> None:
        if prepared.plan is not None and len(prepared.files) == len(prepared.plan.files):
            show_preview(window, prepared.plan, prepared.release_collector)
        else:
            prepared.release_collector()
            _import_without_preview(window, prepared.files)

    window.ops.query(window, work, ready, label="Reading files…", show_progress=True)


def show_preview(
    window: Any, plan: ImportPlan, release_collector: Callable[[], None] | None = None
) -> ImportPreviewDialog:
    release = release_collector or _nothing
    dialog = ImportPreviewDialog(plan, window)
    dialog.accepted.connect(lambda: run_import(window, plan, release))
    window.import_preview = dialog  # tests and the window can find the open preview

    def closed(result: int) -> None:
        if window.import_preview is dialog:
            window.import_preview = None
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            # Let go of the records off the GUI thread, then let the collector run again.
            window.ops.query(
                None, lambda _p: plan.release(), lambda _r: release(), failure=lambda _e: release()
            )

    dialog.finished.connect(closed)
    dialog.open()
    return dialog


def _nothing() -> None:
    pass


def _label(paths: Sequence[str]) -> str:
    if len(paths) == 1:
        return f"Import {Path(paths[0]).name}"
    return f"Import {len(paths)} files"


def run_import(
    window: Any, plan: ImportPlan, release_collector: Callable[[], None] | None = None
) -> None:
    """Write the plan on the writer thread, undoably; the status bar says what happened."""
    outcome: list[ImportResult] = []
    release = release_collector or _nothing

    def op(progress: Progress) -> Changes:
        result = apply_import(plan, progress)
        outcome.append(result)
        plan.release()
        return result.changes

    def done(_changes: Changes) -> None:
        release()
        if outcome:
            window.statusBar().showMessage(outcome[0].summary(), 15000)

    def failed(error: BaseException) -> None:
        release()
        if not isinstance(error, Cancelled):
            show_error(window, error)

    window.ops.change(
        window,
        _label([f.path for f in plan.files]),
        after_backup(BEFORE_IMPORT, op),  # a backup of the journal first, on the writer thread
        show_progress=True,
        success=done,
        failure=failed,
    )


def _import_without_preview(window: Any, files: list[importers.ReadFile]) -> None:
    """Files of a family with no preview of its own (calendars) are imported directly."""

    reports: list[Any] = []

    def op(progress: Progress) -> Changes:
        reports.extend(importers.write_files(files, progress))
        return Changes.all()

    def done(_changes: Changes) -> None:
        text = "; ".join(f"{Path(r.path).name}: {r.summary()}" for r in reports)
        window.statusBar().showMessage(text, 15000)

    label = _label([f.path for f in files])
    guarded = after_backup(BEFORE_IMPORT, op)  # a backup of the journal first
    window.ops.change(window, label, guarded, show_progress=True, success=done)


# -- the preview dialog --------------------------------------------------------------------


class PlanModel(QAbstractTableModel):
    """The planned records as a table (lazy: a 20,000-card import stays quick to show)."""

    COLUMNS = ("Name", "Action", "Details", "From")
    NAME, ACTION, DETAILS, SOURCE = range(4)
    # Mid-tone colours that read on light and dark palettes alike.
    COLOURS = {NEW: "#2e8b57", UPDATE: "#2f6fb3", MERGE: "#8a4fbf", SKIP: "#8a8a8a"}

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.names = [Path(f.path).name for f in plan.files]
        self.rows: list[PlannedRecord] = list(plan.records)
        self._brushes = {action: QBrush(QColor(c)) for action, c in self.COLOURS.items()}

    def show_only(self, action: str | None) -> None:
        self.beginResetModel()
        self.rows = [r for r in self.plan.records if action is None or r.action == action]
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's idiom
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        rec = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.ToolTipRole and col == self.ACTION:
            return rec.describe()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == self.NAME:
                return rec.name
            if col == self.ACTION:
                if rec.action == UPDATE:
                    return f"Update {rec.target_name} (#{rec.person_id})"
                if rec.action == MERGE:
                    return f"Merge into {rec.target_name}"
                return ACTION_WORDS[rec.action]
            if col == self.DETAILS:
                return details(rec)
            return f"{self.names[rec.file]}, line {rec.line}"
        if role == Qt.ItemDataRole.ForegroundRole and col == self.ACTION:
            return self._brushes[rec.action]
        return None


def short_warning(warning: str, plan: ImportPlan) -> str:
    """A warning with the file's name instead of its whole path (the table shows where)."""
    for f in plan.files:
        if warning.startswith(f.path + ": "):
            return Path(f.path).name + warning[len(f.path) :]
    return warning


def details(rec: PlannedRecord) -> str:
    if rec.action in (UPDATE, MERGE):
        return "adds " + ", ".join(rec.adds)
    return rec.reason


class ImportPreviewDialog(QDialog):
    """Per file its kind and counts, every record's planned action, the warnings; Import/Cancel.

    Everything from the files is shown as plain text.
    """

    FILE_COLUMNS = ("File", "Kind", "New", "Updated", "Merged", "Skipped", "Warnings")

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setObjectName("importPreview")
        self.setWindowTitle("Import contacts")
        self.resize(940, 620)
        layout = QVBoxLayout(self)

        totals = plan.totals()
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        count = len(plan.records)
        if plan.writes_anything:
            self.summary.setText(
                f"{count} contact{'s' if count != 1 else ''} read: {totals.added} new, "
                f"{totals.updated} updating people you have, {totals.merged} merged with "
                f"another record of this import, {totals.skipped} skipped. "
                "Nothing is written until you press Import; Undo removes the whole import."
            )
        else:
            self.summary.setText(
                f"{count} contact{'s' if count != 1 else ''} read: nothing new to import."
            )
        layout.addWidget(self.summary)

        self.files_table = QTableWidget(len(plan.files), len(self.FILE_COLUMNS))
        self.files_table.setObjectName("importFiles")
        self.files_table.setHorizontalHeaderLabels(list(self.FILE_COLUMNS))
        self.files_table.verticalHeader().hide()
        self.files_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.files_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.files_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.files_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        for row, report in enumerate(plan.reports()):
            cells = (
                Path(report.path).name,
                importers.KIND_NAMES.get(report.kind, report.kind),
                report.added,
                report.updated,
                report.merged,
                report.skipped,
                len(report.warnings),
            )
            for col, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                if col == 0:
                    item.setToolTip(report.path)
                if isinstance(value, int):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.files_table.setItem(row, col, item)
        header = self.files_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(self.FILE_COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        rows_height = sum(self.files_table.rowHeight(r) for r in range(len(plan.files)))
        self.files_table.setFixedHeight(
            min(rows_height, 5 * 30) + self.files_table.horizontalHeader().sizeHint().height() + 4
        )
        layout.addWidget(self.files_table)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        self.show_filter = QComboBox()
        self.show_filter.setObjectName("importShow")
        for text, action in (
            (f"All contacts ({count})", None),
            (f"New ({totals.added})", NEW),
            (f"Updates ({totals.updated})", UPDATE),
            (f"Merged ({totals.merged})", MERGE),
            (f"Skipped ({totals.skipped})", SKIP),
        ):
            self.show_filter.addItem(text, action)
        bar.addWidget(self.show_filter)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.model = PlanModel(plan, self)
        self.records = QTableView()
        self.records.setObjectName("importRecords")
        self.records.setModel(self.model)
        self.records.verticalHeader().hide()
        self.records.setAlternatingRowColors(True)
        self.records.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.records.setWordWrap(False)
        self.records.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.records.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        rheader = self.records.horizontalHeader()
        rheader.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        rheader.setSectionResizeMode(PlanModel.DETAILS, QHeaderView.ResizeMode.Stretch)
        longest = max((Path(f.path).name for f in plan.files), key=len, default="")
        source_width = self.fontMetrics().horizontalAdvance(f"{longest}, line 00000") + 16
        for col, width in (
            (PlanModel.NAME, 190),
            (PlanModel.ACTION, 250),
            (PlanModel.SOURCE, min(source_width, 320)),
        ):
            self.records.setColumnWidth(col, width)
        self.show_filter.currentIndexChanged.connect(
            lambda _i: self.model.show_only(self.show_filter.currentData())
        )
        layout.addWidget(self.records, 3)

        warnings = [short_warning(w, plan) for w in totals.warnings]
        self.warnings = QPlainTextEdit()
        self.warnings.setObjectName("importWarnings")
        self.warnings.setReadOnly(True)
        self.warnings.setPlainText("\n".join(warnings))
        self.warnings.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.warnings_label = QLabel(f"Warnings ({len(warnings)})")
        self.warnings_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.warnings, 1)
        self.warnings.setVisible(bool(warnings))
        self.warnings_label.setVisible(bool(warnings))

        self.buttons = QDialogButtonBox()
        self.import_button: QPushButton = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("importButton")
        self.import_button.setEnabled(plan.writes_anything)
        self.import_button.setDefault(plan.writes_anything)
        self.cancel_button: QPushButton = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Cancel
        )
        self.cancel_button.setObjectName("cancelButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
