"""Importing a calendar from the window: the TripIt fixture dropped on the window lands as a
trip on the right dates, through the calendar import (not undoable), with the empty state
saying what to do before."""

from __future__ import annotations

from datetime import date

import pytest
from calendar_helpers import BOSTON_END, BOSTON_START, TODAY, TRIPIT, import_tripit, set_home
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from rapport.store.models import CalendarSource, Event
from rapport.ui import importing
from rapport.ui.calendar import importing as calendar_importing


@pytest.fixture(autouse=True)
def _today(monkeypatch) -> None:
    monkeypatch.setenv("RAPPORT_TODAY", TODAY.isoformat())


def test_an_empty_journal_says_what_to_do(qtbot, window, settle) -> None:
    view = window.show_view("calendar")
    settle(window)
    assert view.banner.isVisible()
    assert "Import your travel calendar (.ics) or subscribe to your TripIt feed" in (
        view.banner_text.text()
    )
    assert view.panel.message.text().startswith("No trips yet.")
    assert "Import your travel calendar (.ics)" in view.panel.message.text()
    assert view.month.spans == []
    assert view.agenda.stack.currentWidget() is view.agenda.empty


def test_dropping_a_tripit_feed_shows_the_trip_on_its_days(qtbot, window, settle) -> None:
    set_home(window)
    import_tripit(window, settle)
    view = window.views["calendar"]
    assert window.current_view() is view  # the import turned to the Calendar view
    assert not view.banner.isVisible()
    assert (view.month.year, view.month.month) == (2027, 3)
    (boston,) = [s for s in view.month.spans if s.label == "Boston"]
    assert (boston.start, boston.end) == (BOSTON_START, BOSTON_END)
    rects = view.month.bar_rects(boston.key)
    assert rects  # drawn, and over the 15th .. 19th only
    for day in (BOSTON_START, BOSTON_END):
        cell = view.month.cell_rect(day)
        assert any(r.intersects(cell) for r in rects)
    for day in (date(2027, 3, 14), date(2027, 3, 20)):
        cell = view.month.cell_rect(day).adjusted(6, 0, -6, 0)
        assert not any(r.intersects(cell) for r in rects)
    assert "Trip to Boston, MA, US" in view.agenda.texts()[0]
    status = window.statusBar().currentMessage()
    assert "tripit_feed.ics" in status and "11 added" in status
    # A calendar import is not undoable: re-importing is how it is corrected.
    assert window.ops.undo_stack.count() == 0
    assert window.ops.run_on_writer(lambda: Event.select().count()) == 11
    # Importing the same file again changes nothing and doubles nothing.
    import_tripit(window, settle)
    assert window.ops.run_on_writer(lambda: Event.select().count()) == 11
    assert window.ops.run_on_writer(lambda: CalendarSource.select().count()) == 1
    assert "unchanged" in window.statusBar().currentMessage()


def test_import_from_the_view_button_and_a_refused_file(
    qtbot, window, settle, monkeypatch, tmp_path
) -> None:
    view = window.show_view("calendar")
    settle(window)
    set_home(window)
    monkeypatch.setattr(calendar_importing, "choose_ics_files", lambda _p: [TRIPIT])
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    settle(window, 20_000)
    assert [s.label for s in view.month.spans if s.key[0] == "trip"] == ["Boston"]

    hostile = tmp_path / "nested.ics"
    hostile.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        + "BEGIN:VEVENT\r\n" * 200
        + "END:VEVENT\r\n" * 200
        + "END:VCALENDAR\r\n"
    )
    importing.import_files(window, [hostile])
    settle(window)
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None and box.isVisible()
    assert box.text().startswith(str(hostile))  # FILE: why, as one line
    box.close()
    assert window.ops.run_on_writer(lambda: Event.select().count()) == 11


def test_calendars_are_told_by_content_and_contacts_still_get_their_preview(
    qtbot, window, settle, tmp_path
) -> None:
    vcf = TRIPIT.parent.parent / "contacts" / "apple_contacts_3.0.vcf"
    renamed = tmp_path / "trips.txt"  # names lie: the content says calendar
    renamed.write_bytes(b"\xef\xbb\xbf\r\n" + TRIPIT.read_bytes())
    assert calendar_importing.is_calendar(TRIPIT) and calendar_importing.is_calendar(renamed)
    assert not calendar_importing.is_calendar(vcf)
    window.import_preview = None
    importing.import_files(window, [vcf, renamed])
    qtbot.waitUntil(lambda: window.import_preview is not None, timeout=10_000)
    settle(window, 20_000)
    assert window.import_preview.plan.files[0].path == str(vcf)  # only the vCard previewed
    assert len(window.import_preview.plan.files) == 1
    window.import_preview.reject()
    assert window.ops.run_on_writer(lambda: Event.select().count()) == 11


def test_after_an_import_the_view_turns_to_the_first_trip_it_brought(qtbot, window, settle) -> None:
    set_home(window)
    view = window.views["calendar"]
    importing.import_files(window, [TRIPIT.parent / "conference_agenda.ics"])  # May and later
    settle(window, 20_000)
    assert window.current_view() is view
    assert (view.month.year, view.month.month) == (2027, 5)
    assert view.month.selected_day == min(s.start for s in view.month.spans)
    assert any(s.kind == "conference" for s in view.month.spans)
