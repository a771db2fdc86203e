"""Importing .ics files from the window: File ▸ Import…, drag and drop, and the Calendar
view's own button all end here.

A calendar import runs on the writer thread with progress and Cancel, and is not undoable
(re-importing is how it is corrected); the status bar says what it did.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

from rapport.core.backup_service import BEFORE_IMPORT, after_backup
from rapport.core.calendar import sources
from rapport.core.calendar.sources import CalendarImportReport
from rapport.core.changes import Changes
from rapport.core.clock import today
from rapport.core.progress import Progress

if TYPE_CHECKING:
    from rapport.ui.main_window import MainWindow

HEAD_BYTES = 4096
ICS_FILTERS = ("Calendar (*.ics *.ical *.ifb *.icalendar)", "All files (*)")


def choose_ics_files(parent: QWidget | None) -> list[Path]:
    """Ask which calendars to import (tests replace this function)."""
    names, _ = QFileDialog.getOpenFileNames(
        parent, "Import calendar", str(Path.home()), ";;".join(ICS_FILTERS)
    )
    return [Path(n) for n in names]


def is_calendar(path: Path) -> bool:
    """Whether the file starts like iCalendar (by content: names lie). Reads a few KB."""
    try:
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError:
        return path.suffix.lower() == ".ics"  # let the import say what is wrong with it
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff\x00 \t\r\n")
    return text[:15].upper() == "BEGIN:VCALENDAR"


def take_calendars(window: MainWindow, paths: Sequence[Path]) -> list[Path]:
    """Start importing the calendars among ``paths``; return the other files."""
    calendars = [p for p in paths if is_calendar(p)]
    if calendars:
        import_calendars(window, calendars)
    return [p for p in paths if p not in calendars]


def summary(reports: Sequence[CalendarImportReport]) -> str:
    return "; ".join(f"{Path(r.location).name or r.location}: {r.summary()}" for r in reports)


def import_calendars(
    window: MainWindow,
    paths: Sequence[Path],
    *,
    success: Callable[[list[CalendarImportReport]], None] | None = None,
) -> None:
    """Import ``paths`` one after the other off the GUI thread, then show the Calendar view."""
    paths = list(paths)
    day = today()
    reports: list[CalendarImportReport] = []

    def op(progress: Progress) -> Changes:
        changes = Changes(calendar=True, trips=True)
        for path in paths:
            report = sources.import_ics_file(path, today=day, progress=progress)
            reports.append(report)
            changes = changes | report.changes
        return changes

    def done(_changes: Changes) -> None:
        window.statusBar().showMessage(summary(reports), 15000)
        from rapport.ui.calendar.view import CalendarView

        view = window.views.get("calendar")
        if isinstance(view, CalendarView):
            window.show_view("calendar")
            view.imported(reports)
        if success is not None:
            success(reports)

    label = f"Import {paths[0].name}" if len(paths) == 1 else f"Import {len(paths)} calendars"
    # Not undoable, so a backup of the journal first (it never stops the import).
    guarded = after_backup(BEFORE_IMPORT, op)
    window.ops.change(window, label, guarded, undoable=False, show_progress=True, success=done)
