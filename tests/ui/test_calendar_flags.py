"""The side panel: selecting a trip shows who is within reach; Invite for coffee plans the
meeting and opens the invitation; Dismiss and Snooze change the flag, and undo restores it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import shiboken6
from calendar_helpers import (
    BOSTON_START,
    MARKUP,
    TODAY,
    add_people,
    boston_trip,
    import_tripit,
    set_home,
)
from PySide6.QtCore import Qt

from rapport.core import flags, invitations
from rapport.store.models import Flag, Meeting, MeetingPerson
from rapport.ui.calendar import invitation_dialog
from rapport.ui.calendar.invitation_dialog import InvitationDialog
from rapport.ui.calendar.trip_dialogs import SnoozeDateDialog, qdate


@pytest.fixture(autouse=True)
def _today(monkeypatch) -> None:
    monkeypatch.setenv("RAPPORT_TODAY", TODAY.isoformat())


@pytest.fixture
def boston(qtbot, window, settle):
    """The window showing the imported TripIt feed, people near Boston, nothing selected."""
    set_home(window)
    ids = add_people(window)
    import_tripit(window, settle)
    view = window.views["calendar"]
    return view, ids


def click_trip(qtbot, view, settle, window) -> None:
    trip = boston_trip(window)
    bar = view.month.bar_rects(("trip", trip.id))[0]
    qtbot.mouseClick(view.month, Qt.MouseButton.LeftButton, pos=bar.center().toPoint())
    settle(window)


def flag_state(window, person_id: int) -> tuple[str, date | None]:
    row = window.ops.run_on_writer(lambda: Flag.get(Flag.person == person_id))
    return str(row.state), row.snooze_until


def test_selecting_a_trip_shows_its_people_with_reasons(qtbot, window, settle, boston) -> None:
    view, ids = boston
    assert view.tabs.currentWidget() is view.agenda
    (span,) = [s for s in view.month.spans if s.label == "Boston"]
    assert span.badge == 2  # two people within reach; San Francisco is not
    click_trip(qtbot, view, settle, window)
    assert view.tabs.currentWidget() is view.panel
    panel = view.panel
    assert panel.title.text() == "Boston, MA, US"
    assert panel.dates.text() == "Mon 15 Mar – Fri 19 Mar 2027 · 5 days"
    assert panel.flags_title.text() == "People within reach (2)"
    names = [c.name.text() for c in panel.cards]
    assert names == [MARKUP, "Ada Lovelace"]  # best first; markup shown as typed
    ada = panel.card_for(ids["ada"])
    assert ada.facts.text() == "4 km away · score 9.0"
    assert "4 km from Boston" in ada.reasons.text()
    assert ada.state.text() == "To invite"
    assert "BA213 LHR to BOS" in panel.events.text()
    assert "Far Away" not in names


def test_names_in_the_panel_are_plain_text(qtbot, window, settle, boston) -> None:
    view, ids = boston
    click_trip(qtbot, view, settle, window)
    card = view.panel.card_for(ids["markup"])
    label = card.name
    assert label.textFormat() == Qt.TextFormat.PlainText
    image = label.grab().toImage()
    dark = [
        x
        for x in range(image.width())
        if any(image.pixelColor(x, y).lightness() < 110 for y in range(image.height()))
    ]
    width = dark[-1] - dark[0] + 1
    # Read as HTML the label would show a bold "Bold" and a broken image: far narrower.
    assert width >= label.fontMetrics().horizontalAdvance(MARKUP) - 6


def test_invite_for_coffee_plans_the_meeting_and_opens_the_draft(
    qtbot, window, settle, boston, monkeypatch
) -> None:
    view, ids = boston
    opened: list[str] = []
    monkeypatch.setattr(invitation_dialog, "open_url", lambda url: opened.append(url) or True)
    click_trip(qtbot, view, settle, window)  # click 1: the trip
    card = view.panel.card_for(ids["ada"])
    qtbot.mouseClick(card.invite_button, Qt.MouseButton.LeftButton)  # click 2
    settle(window)
    dialog = view.invitation_dialog
    assert isinstance(dialog, InvitationDialog) and dialog.isVisible()
    meeting = window.ops.run_on_writer(lambda: Meeting.get())
    assert (meeting.kind, meeting.status, meeting.trip_id) == (
        "coffee",
        "suggested",
        card.flag.trip_id,
    )
    people = window.ops.run_on_writer(
        lambda: [
            m.person_id for m in MeetingPerson.select().where(MeetingPerson.meeting == meeting.id)
        ]
    )
    assert people == [ids["ada"]]
    assert dialog.to.text() == "ada@example.org"
    assert dialog.subject.text() == "Coffee while I'm in Boston (15–19 Mar)?"
    assert "I'll be in Boston from Monday 15 March to Friday 19 March" in dialog.body.toPlainText()
    assert dialog.email_button.isDefault()
    expected = window.ops.run_on_writer(lambda: invitations.invitation_for(meeting.id).mailto)

    qtbot.mouseClick(dialog.email_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert opened == [expected]
    assert opened[0].startswith(
        "mailto:ada@example.org?subject=Coffee%20while%20I%27m%20in%20Boston"
    )
    assert window.ops.run_on_writer(lambda: Meeting.get().status) == "invited"
    assert flag_state(window, ids["ada"])[0] == "invited"
    assert not shiboken6.isValid(dialog)  # closed and gone: the email app takes over
    # The panel now offers the invitation that was sent, not a second one.
    card = view.panel.card_for(ids["ada"])
    assert card.state.text() == "Invited" and card.invite_button.text() == "Open invitation…"
    assert window.ops.undo_stack.undoText() == "Invite Ada Lovelace"
    window.undo_action.trigger()
    settle(window)
    assert window.ops.run_on_writer(lambda: Meeting.get().status) == "suggested"
    assert flag_state(window, ids["ada"])[0] == "new"


def test_an_edited_draft_is_what_opens(qtbot, window, settle, boston, monkeypatch) -> None:
    view, ids = boston
    opened: list[str] = []
    monkeypatch.setattr(invitation_dialog, "open_url", lambda url: opened.append(url) or True)
    click_trip(qtbot, view, settle, window)
    qtbot.mouseClick(view.panel.card_for(ids["markup"]).invite_button, Qt.MouseButton.LeftButton)
    settle(window)
    dialog = view.invitation_dialog
    assert dialog.to.text() == "" and dialog.warning.isVisible()  # no address on record
    assert "has no email address" in dialog.warning.text()
    dialog.to.setText("bold@example.net")
    dialog.body.setPlainText("Coffee?\nSam")
    subject = dialog.subject.text()
    qtbot.mouseClick(dialog.email_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert opened == [invitations.mailto_url(["bold@example.net"], subject, "Coffee?\nSam")]
    assert opened[0].endswith("&body=Coffee%3F%0D%0ASam")


def test_dismiss_and_undo(qtbot, window, settle, boston) -> None:
    view, ids = boston
    click_trip(qtbot, view, settle, window)
    card = view.panel.card_for(ids["markup"])
    qtbot.mouseClick(card.dismiss_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert flag_state(window, ids["markup"]) == ("dismissed", None)
    card = view.panel.card_for(ids["markup"])
    assert card.state.text() == "Dismissed" and not card.restore_button.isHidden()
    assert card.invite_button.isHidden()
    assert view.panel.flags_title.text() == "People within reach (1)"
    assert [s.badge for s in view.month.spans if s.label == "Boston"] == [1]
    assert window.ops.undo_stack.undoText() == f"Dismiss {MARKUP}"
    window.undo_action.trigger()
    settle(window)
    assert flag_state(window, ids["markup"]) == ("new", None)
    assert [s.badge for s in view.month.spans if s.label == "Boston"] == [2]
    assert not view.panel.card_for(ids["markup"]).dismiss_button.isHidden()


def test_snooze_a_week_until_the_trip_or_a_date_and_undo(qtbot, window, settle, boston) -> None:
    view, ids = boston
    click_trip(qtbot, view, settle, window)
    ada = ids["ada"]
    view.panel.card_for(ada).week_action.trigger()
    settle(window)
    assert flag_state(window, ada) == ("snoozed", TODAY + timedelta(days=7))
    card = view.panel.card_for(ada)
    assert card.state.text() == "Snoozed until Mon 8 Mar"
    assert not card.restore_button.isHidden() and not card.snooze_button.isHidden()

    card.trip_action.trigger()
    settle(window)
    assert flag_state(window, ada) == ("snoozed", BOSTON_START)

    view.panel.card_for(ada).date_action.trigger()
    dialog = view.dialog
    assert isinstance(dialog, SnoozeDateDialog) and dialog.isVisible()
    dialog.day.setDate(qdate(date(2027, 3, 12)))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    settle(window)
    assert flag_state(window, ada) == ("snoozed", date(2027, 3, 12))

    for expected in (("snoozed", BOSTON_START), ("snoozed", TODAY + timedelta(days=7))):
        window.undo_action.trigger()
        settle(window)
        assert flag_state(window, ada) == expected
    window.undo_action.trigger()
    settle(window)
    assert flag_state(window, ada) == ("new", None)

    view.panel.card_for(ada).week_action.trigger()
    settle(window)
    qtbot.mouseClick(view.panel.card_for(ada).restore_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert flag_state(window, ada) == ("new", None)


def test_enter_on_a_trip_day_opens_it_with_the_first_person_focused(
    qtbot, window, settle, boston
) -> None:
    view, _ids = boston
    view.month.setFocus()
    qtbot.keyClick(view.month, Qt.Key.Key_Home)
    for _ in range(2):
        qtbot.keyClick(view.month, Qt.Key.Key_Down)  # Mon 1 -> Mon 15 March
    assert view.month.selected_day == BOSTON_START
    qtbot.keyClick(view.month, Qt.Key.Key_Return)
    settle(window)
    assert view.tabs.currentWidget() is view.panel
    assert view.panel.title.text() == "Boston, MA, US"
    # (offscreen windows are never active, so ask which widget holds the window's focus)
    qtbot.waitUntil(lambda: window.focusWidget() is view.panel.cards[0].invite_button)


def test_suggestions_agree_with_the_core(window, settle, boston) -> None:
    _view, ids = boston
    found = window.ops.run_on_writer(lambda: flags.suggestions(today=TODAY))
    assert {s.person_id for s in found} == {ids["ada"], ids["markup"]}
