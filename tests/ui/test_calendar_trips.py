"""Correcting trips from the side panel (dates, place, split, merge, dismiss — undoable), and
the home city with its guess from the calendar."""

from __future__ import annotations

from datetime import date

import pytest
from calendar_helpers import (
    BOSTON_END,
    BOSTON_START,
    TODAY,
    add_people,
    boston_trip,
    import_tripit,
    set_home,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from rapport.store import settings
from rapport.ui.calendar.trip_dialogs import (
    CorrectTripDialog,
    HomeCityDialog,
    SplitTripDialog,
    qdate,
)


@pytest.fixture(autouse=True)
def _today(monkeypatch) -> None:
    monkeypatch.setenv("RAPPORT_TODAY", TODAY.isoformat())


@pytest.fixture
def selected(qtbot, window, settle):
    set_home(window)
    add_people(window)
    import_tripit(window, settle)
    view = window.views["calendar"]
    view.select_trip(boston_trip(window).id)
    settle(window)
    return view


def boston_spans(view) -> list[tuple[date, date]]:
    return [(s.start, s.end) for s in view.month.spans if s.label == "Boston"]


def test_change_the_dates_and_undo(qtbot, window, settle, selected) -> None:
    view = selected
    view.panel.change_action.trigger()
    dialog = view.dialog
    assert isinstance(dialog, CorrectTripDialog)
    assert dialog.place.text() == "Boston, MA, US"
    dialog.end.setDate(qdate(date(2027, 3, 14)))
    assert not dialog.ok.isEnabled() and dialog.problem.isVisible()  # ends before it starts
    dialog.end.setDate(qdate(date(2027, 3, 21)))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    settle(window)
    assert boston_spans(view) == [(BOSTON_START, date(2027, 3, 21))]
    assert view.panel.note.text() == "Corrected by you; kept when the calendar is imported again."
    assert view.panel.reset_action.isVisible()
    assert window.ops.undo_stack.undoText() == "Correct trip to Boston"
    window.undo_action.trigger()
    settle(window)
    assert boston_spans(view) == [(BOSTON_START, BOSTON_END)]
    assert view.panel.note.isHidden()


def test_an_unknown_place_is_refused_with_a_message(qtbot, window, settle, selected) -> None:
    view = selected
    view.panel.change_action.trigger()
    view.dialog.place.setText("Qwxzzy Flurbington")
    qtbot.mouseClick(view.dialog.ok, Qt.MouseButton.LeftButton)
    settle(window)
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None and "Qwxzzy Flurbington" in box.text()
    box.close()
    assert boston_spans(view) == [(BOSTON_START, BOSTON_END)]


def test_split_then_merge_with_the_next_trip(qtbot, window, settle, selected) -> None:
    view = selected
    view.panel.split_action.trigger()
    dialog = view.dialog
    assert isinstance(dialog, SplitTripDialog)
    dialog.day.setDate(qdate(date(2027, 3, 17)))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    settle(window)
    assert sorted(boston_spans(view)) == [
        (BOSTON_START, date(2027, 3, 16)),
        (date(2027, 3, 17), BOSTON_END),
    ]
    assert view.panel.merge_action.isEnabled()
    assert "Boston, Wed 17 Mar" in view.panel.merge_action.text()
    view.panel.merge_action.trigger()
    settle(window)
    assert boston_spans(view) == [(BOSTON_START, BOSTON_END)]


def test_dismiss_a_trip_and_restore_it(qtbot, window, settle, selected) -> None:
    view = selected
    view.panel.dismiss_action.trigger()
    settle(window)
    assert boston_spans(view) == []  # off the calendar
    assert view.panel.note.text().startswith("Dismissed")
    assert view.panel.dismiss_action.text() == "Restore trip"
    view.panel.dismiss_action.trigger()
    settle(window)
    assert boston_spans(view) == [(BOSTON_START, BOSTON_END)]
    window.undo_action.trigger()
    settle(window)
    assert boston_spans(view) == []


def test_the_home_city_is_guessed_from_the_calendar(qtbot, window, settle) -> None:
    import_tripit(window, settle)
    view = window.views["calendar"]
    assert view.home_button.text() == "Home city: not set"
    assert view.guess_button.isVisible()
    qtbot.mouseClick(view.guess_button, Qt.MouseButton.LeftButton)
    settle(window)
    dialog = view.dialog
    assert isinstance(dialog, HomeCityDialog)
    assert dialog.city.text() == "London, GB"
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    settle(window)
    assert window.ops.run_on_writer(lambda: settings.get("home_city")) == "London, GB"
    assert view.home_button.text() == "Home city: London, GB"
    assert not view.guess_button.isVisible()
    assert "Boston" in [s.label for s in view.month.spans]
