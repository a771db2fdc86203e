"""Importing from the window: the preview dialog, Import and Cancel, undo, errors, export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from rapport.store.models import Person
from rapport.ui import exporting, importing

CONTACTS = Path(__file__).parent.parent / "fixtures" / "contacts"
LINKEDIN = CONTACTS / "linkedin_Connections.csv"
APPLE = CONTACTS / "apple_contacts_3.0.vcf"


def open_preview(qtbot, window, paths, monkeypatch) -> importing.ImportPreviewDialog:
    monkeypatch.setattr(importing, "choose_files", lambda _w: [Path(p) for p in paths])
    window.import_preview = None
    window.choose_import()  # File ▸ Import…
    qtbot.waitUntil(
        lambda: window.import_preview is not None and window.import_preview.isVisible(),
        timeout=10_000,
    )
    return window.import_preview


def people_in_journal(window) -> list[str]:
    return window.ops.run_on_writer(lambda: sorted(p.name for p in Person.select()))


def test_preview_shows_each_file_and_import_writes_the_people(
    qtbot, window, settle, monkeypatch
) -> None:
    dialog = open_preview(qtbot, window, [LINKEDIN, APPLE], monkeypatch)
    assert people_in_journal(window) == []  # a preview writes nothing
    table = dialog.files_table
    assert table.rowCount() == 2
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(2)]
    assert rows[0][:6] == ["linkedin_Connections.csv", "LinkedIn connections", "19", "0", "0", "0"]
    assert rows[1][:6] == ["apple_contacts_3.0.vcf", "vCard", "1", "0", "3", "0"]
    model = dialog.model
    assert model.rowCount() == 23
    actions = [model.index(r, importing.PlanModel.ACTION).data() for r in range(model.rowCount())]
    assert actions.count("New") == 20
    assert "Merge into Mathieu Lefèvre" in actions
    row = actions.index("Merge into Mathieu Lefèvre")
    tip = model.index(row, importing.PlanModel.ACTION).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Merge into Mathieu Lefèvre (linkedin_Connections.csv line 6): adds ")
    assert dialog.warnings.isVisible() and "line" in dialog.warnings.toPlainText()

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    settle(window)
    names = people_in_journal(window)
    assert len(names) == 20 == len(set(names))
    assert "<b>Bold</b> <img src=x>" in names
    assert window.statusBar().currentMessage() == (
        "Imported 2 files: 20 added, 0 updated, 3 merged, 0 skipped, 2 warnings"
    )
    assert window.ops.undo_stack.undoText() == "Import 2 files"


def test_cancel_writes_nothing(qtbot, window, settle, monkeypatch) -> None:
    dialog = open_preview(qtbot, window, [APPLE], monkeypatch)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert window.import_preview is None
    assert people_in_journal(window) == []
    assert window.ops.undo_stack.count() == 0


def test_undo_removes_the_whole_import(qtbot, window, settle, monkeypatch) -> None:
    dialog = open_preview(qtbot, window, [LINKEDIN], monkeypatch)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert len(people_in_journal(window)) == 19
    window.undo_action.trigger()  # Ctrl+Z
    settle(window)
    assert people_in_journal(window) == []
    window.redo_action.trigger()
    settle(window)
    assert len(people_in_journal(window)) == 19


def test_filtering_the_preview_by_action(qtbot, window, settle, monkeypatch) -> None:
    dialog = open_preview(qtbot, window, [LINKEDIN, APPLE], monkeypatch)
    dialog.show_filter.setCurrentIndex(dialog.show_filter.findData(importing.MERGE))
    assert dialog.model.rowCount() == 3
    assert {dialog.model.index(r, importing.PlanModel.NAME).data() for r in range(3)} == {
        "Dr. Adaeze Okafor",
        "Mathieu Lefèvre",
        "<b>Bold</b> <img src=x>",
    }
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_importing_the_same_file_again_has_nothing_to_import(
    qtbot, window, settle, monkeypatch
) -> None:
    dialog = open_preview(qtbot, window, [APPLE], monkeypatch)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    settle(window)
    again = open_preview(qtbot, window, [APPLE], monkeypatch)
    assert not again.import_button.isEnabled()
    assert "nothing new" in again.summary.text()
    assert [
        again.model.index(r, importing.PlanModel.ACTION).data()
        for r in range(again.model.rowCount())
    ] == ["Skip"] * 4
    qtbot.mouseClick(again.cancel_button, Qt.MouseButton.LeftButton)


def test_a_broken_file_shows_the_error_and_writes_nothing(qtbot, window, settle) -> None:
    broken = CONTACTS / "broken_unterminated.vcf"
    window.import_preview = None
    window.import_files([LINKEDIN, broken])  # also what dropping files on the window does
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorBox") is not None, timeout=10_000)
    box = window.findChild(QMessageBox, "errorBox")
    assert box.isVisible()
    assert box.text() == f"{broken}: line 12: this card has no END:VCARD (the file is cut short?)"
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.button(QMessageBox.StandardButton.Ok).click()
    settle(window)
    assert window.import_preview is None
    assert people_in_journal(window) == []


def test_names_with_markup_are_plain_text_in_the_preview(
    qtbot, window, settle, monkeypatch
) -> None:
    dialog = open_preview(qtbot, window, [APPLE], monkeypatch)
    assert dialog.summary.textFormat() == Qt.TextFormat.PlainText
    names = [
        dialog.model.index(r, importing.PlanModel.NAME).data()
        for r in range(dialog.model.rowCount())
    ]
    assert "<b>Bold</b> <img src=x>" in names
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_export_from_the_window_writes_off_the_gui_thread(
    qtbot, window, settle, monkeypatch, tmp_path
) -> None:
    dialog = open_preview(qtbot, window, [APPLE], monkeypatch)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    settle(window)
    target = tmp_path / "out.json"
    monkeypatch.setattr(exporting, "choose_target", lambda _w: target)
    window.choose_export()  # File ▸ Export contacts…
    qtbot.waitUntil(lambda: "Wrote 4 people" in window.statusBar().currentMessage(), timeout=10_000)
    assert target.exists() and (target.stat().st_mode & 0o777) == 0o600


def test_the_save_dialogs_filter_decides_the_extension() -> None:
    filters = list(exporting.FILTERS)
    assert exporting.with_extension("/x/contacts", filters[1]) == Path("/x/contacts.csv")
    assert exporting.with_extension("/x/contacts.json", filters[0]) == Path("/x/contacts.json")
    assert exporting.with_extension("/x/my.contacts", filters[2]) == Path("/x/my.contacts.json")
