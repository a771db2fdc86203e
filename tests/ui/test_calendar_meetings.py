"""Planned meetings: the .ics invitation, status changes in the Meetings list (only the moves
a meeting can make), the follow-up offered once done, and exporting meetings as .ics."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest
from calendar_helpers import TODAY, add_people, boston_trip, import_tripit, set_home
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel

from rapport.core import meetings, preferences
from rapport.store.models import Act, ActPerson, Meeting
from rapport.ui.calendar import invitation_dialog
from rapport.ui.calendar.view import STATUSES


@pytest.fixture(autouse=True)
def _today(monkeypatch) -> None:
    monkeypatch.setenv("RAPPORT_TODAY", TODAY.isoformat())


@pytest.fixture
def planned(qtbot, window, settle):
    """Coffee with Ada planned on the Boston trip; the view on the Meetings tab."""
    set_home(window)
    ids = add_people(window)
    import_tripit(window, settle)
    view = window.views["calendar"]
    trip = boston_trip(window)
    meeting_id = window.ops.run_on_writer(
        lambda: meetings.plan_meeting([ids["ada"]], trip_id=trip.id)[0]
    )
    view.reload()
    settle(window)
    view.tabs.setCurrentIndex(2)
    return view, ids, meeting_id


def status(window, meeting_id: int) -> str:
    return window.ops.run_on_writer(lambda: str(Meeting.get_by_id(meeting_id).status))


def choose(view, status_name: str) -> None:
    box = view.status_box
    box.setCurrentIndex(box.findData(status_name))
    box.activated.emit(box.currentIndex())


def enabled_statuses(view) -> list[str]:
    model = view.status_box.model()
    assert isinstance(model, QStandardItemModel)
    return [s for row, s in enumerate(STATUSES) if model.item(row).isEnabled()]


def test_saving_the_ics_invitation_needs_me_and_marks_invited(
    qtbot, window, settle, planned, monkeypatch, tmp_path
) -> None:
    view, _ids, meeting_id = planned
    view.open_invitation(meeting_id)
    settle(window)
    dialog = view.invitation_dialog
    assert not dialog.ics_button.isEnabled()  # no organizer yet
    assert "Edit ▸ Preferences" in dialog.warning.text()
    dialog.reject()

    window.ops.run_on_writer(lambda: preferences.put("me.email", "sam@example.com"))
    window.ops.run_on_writer(lambda: preferences.put("me.name", "Sam Rivera"))
    target = tmp_path / "coffee.ics"
    asked: list[str] = []

    def save_as(_parent, suggested: str) -> Path:
        asked.append(suggested)
        return target

    monkeypatch.setattr(invitation_dialog, "choose_save_path", save_as)
    view.open_invitation(meeting_id)
    settle(window)
    dialog = view.invitation_dialog
    assert dialog.ics_button.isEnabled() and not dialog.warning.isVisible()
    qtbot.mouseClick(dialog.ics_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert asked == ["coffee-ada-lovelace.ics"]
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    assert str(calendar["METHOD"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert "sam@example.com" in str(event["ORGANIZER"])
    assert "ada@example.org" in str(event["ATTENDEE"])
    assert dialog.outcome.text().startswith("Saved coffee.ics")
    assert status(window, meeting_id) == "invited"
    dialog.reject()


def test_status_moves_and_the_follow_up_once_done(qtbot, window, settle, planned) -> None:
    view, ids, meeting_id = planned
    tree = view.meetings.tree
    assert tree.topLevelItemCount() == 1
    item = tree.topLevelItem(0)
    assert item.text(1) == "Coffee with Ada Lovelace" and item.text(2) == "suggested"
    assert item.text(0) == "Tue 16 Mar 10:00"  # proposed: the first full day, mid-morning
    tree.setCurrentItem(item)
    assert enabled_statuses(view) == ["suggested", "invited", "confirmed", "declined"]

    choose(view, "invited")
    settle(window)
    assert status(window, meeting_id) == "invited"
    assert enabled_statuses(view) == ["invited", "confirmed", "declined"]  # not done yet
    choose(view, "confirmed")
    settle(window)
    assert not view.followup.isVisible()
    choose(view, "done")
    settle(window)
    assert status(window, meeting_id) == "done"
    assert enabled_statuses(view) == ["done"]
    assert view.followup.isVisible()
    assert "Ada Lovelace within two days" in view.followup_text.text()

    qtbot.mouseClick(view.followup_button, Qt.MouseButton.LeftButton)  # Log a thank-you
    settle(window)
    acts = window.ops.run_on_writer(
        lambda: [(a.kind, a.direction, a.meeting_id) for a in Act.select()]
    )
    assert acts == [("thanks", "given", meeting_id)]
    people = window.ops.run_on_writer(lambda: [p.person_id for p in ActPerson.select()])
    assert people == [ids["ada"]]
    assert not view.followup.isVisible()
    window.undo_action.trigger()
    settle(window)
    assert window.ops.run_on_writer(lambda: Act.select().count()) == 0


def test_a_refused_move_is_not_offered_and_declined_can_be_asked_again(
    qtbot, window, settle, planned
) -> None:
    view, _ids, meeting_id = planned
    view.meetings.select(meeting_id)
    choose(view, "declined")
    settle(window)
    assert status(window, meeting_id) == "declined"
    assert enabled_statuses(view) == ["suggested", "declined"]
    choose(view, "suggested")
    settle(window)
    assert status(window, meeting_id) == "suggested"


def test_export_meetings_writes_an_ics(qtbot, window, settle, planned, monkeypatch, tmp_path):
    view, _ids, _meeting_id = planned
    target = tmp_path / "meetings.ics"
    monkeypatch.setattr(invitation_dialog, "choose_save_path", lambda _p, _s: target)
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    settle(window)
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Coffee with Ada Lovelace"
    assert "meetings.ics" in window.statusBar().currentMessage()
