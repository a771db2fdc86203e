"""Exporting from the window: pick a file and a format, then write it off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from rapport.core.contacts_export import ExportResult, export_contacts

# Filter text → the extension it writes; the first is the default.
FILTERS = {
    "vCard 3.0 (*.vcf)": ".vcf",
    "CSV for spreadsheets (*.csv)": ".csv",
    "JSON — everything: people, circles, goals (*.json)": ".json",
}


def with_extension(name: str, chosen_filter: str) -> Path:
    """The path to write: the filter's extension is added when the name has none we know."""
    path = Path(name)
    if path.suffix.lower() in {".vcf", ".vcard", ".csv", ".json"}:
        return path
    return path.with_name(path.name + FILTERS.get(chosen_filter, ".vcf"))


def choose_target(window: QWidget) -> Path | None:
    """Ask where to export (tests replace this function)."""
    start = str(Path.home() / "rapport-contacts.vcf")
    name, chosen = QFileDialog.getSaveFileName(window, "Export contacts", start, ";;".join(FILTERS))
    if not name:
        return None
    return with_extension(name, chosen)


def choose_and_export(window: Any) -> None:
    target = choose_target(window)
    if target is not None:
        export_to(window, target)


def export_to(window: Any, target: Path) -> None:
    """Write the export on a reader thread; the status bar says what was written."""

    def done(result: ExportResult) -> None:
        text = result.summary()
        window.statusBar().showMessage(text[:1].upper() + text[1:], 15000)

    window.ops.query(
        window, lambda p: export_contacts(target, p), done, label="Exporting…", show_progress=True
    )
