"""The detail pane: reading and editing a person, every edit undoable."""

from __future__ import annotations

import pytest
from contacts_helpers import child_labels, contacts, fill_plan, group
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from rapport.store.models import Email, Person, PersonCircle
from rapport.ui.contacts.tree_model import Column


@pytest.fixture
def plan(journal):
    return fill_plan()


@pytest.fixture
def view(plan, window, qtbot):
    return contacts(window, qtbot)


def show(view, qtbot, person_id: int):
    assert view.select_person(person_id)
    pane = view.pane
    qtbot.waitUntil(lambda: pane.record is not None and pane.record.id == person_id)
    return pane


def retype(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_the_pane_shows_the_selected_person(view, plan, qtbot) -> None:
    pane = show(view, qtbot, plan["ada"])
    assert pane.heading.text() == "Ada Lovelace"
    assert pane.subtitle.text() == "Analytical Engines"
    assert pane.edit("city").text() == "Boston"
    assert pane.place_label.text() == "Boston, MA, US"
    assert pane.edit("notes").toPlainText() == "Writes about Bernoulli numbers."
    assert [pane.circle_list.item(i).text() for i in range(pane.circle_list.count())] == [
        "Work/Investors"
    ]
    assert pane.goal_list.item(0).text() == "Raise a seed round — decision maker"
    assert not pane.archived_badge.isVisible()


def test_edit_a_field_then_undo_and_redo(view, plan, window, qtbot, settle) -> None:
    pane = show(view, qtbot, plan["ada"])
    retype(qtbot, pane.edit("organization"), "Difference Engines")
    settle(window)
    assert Person.get_by_id(plan["ada"]).organization == "Difference Engines"
    seed = group(view, "Raise a seed round")
    row = view.model.person_index(plan["ada"], f"goal:{plan['seed']}").row()
    assert view.model.index(row, Column.ORGANIZATION, seed).data() == "Difference Engines"
    assert window.undo_action.text() == "&Undo Organisation of Ada Lovelace"
    window.undo_action.trigger()
    settle(window)
    assert Person.get_by_id(plan["ada"]).organization == "Analytical Engines"
    qtbot.waitUntil(lambda: pane.edit("organization").text() == "Analytical Engines")
    assert view.model.index(row, Column.ORGANIZATION, seed).data() == "Analytical Engines"
    window.redo_action.trigger()
    settle(window)
    qtbot.waitUntil(lambda: pane.edit("organization").text() == "Difference Engines")


def test_renaming_keeps_the_person_selected(view, plan, window, qtbot, settle) -> None:
    pane = show(view, qtbot, plan["ada"])
    retype(qtbot, pane.edit("name"), "Augusta Ada King")
    settle(window)
    assert view.current_item().person_id == plan["ada"]
    assert child_labels(view, group(view, "Raise a seed round"))[1] == "Augusta Ada King"
    assert pane.heading.text() == "Augusta Ada King"


def test_notes_commit_when_leaving_the_field(view, plan, window, qtbot, settle) -> None:
    pane = show(view, qtbot, plan["ben"])
    notes = pane.edit("notes")
    notes.setFocus()
    qtbot.keyClicks(notes, "Plays the oboe.")
    pane.edit("title").setFocus()
    settle(window)
    assert Person.get_by_id(plan["ben"]).notes == "Plays the oboe."
    view.filter.setText("oboe")
    assert view.status.text() == "1 person matches"


def test_emails_edit_add_and_refuse_bad_ones(view, plan, window, qtbot, settle) -> None:
    pane = show(view, qtbot, plan["ben"])
    table = pane.emails.table
    assert table.item(0, 1).text() == "ben@rossi.example"
    table.item(0, 1).setText("ben@new.example")
    settle(window)
    assert [e.address for e in Email.select().where(Email.person == plan["ben"])] == [
        "ben@new.example"
    ]
    pane.emails.add_button.click()
    table.item(1, 1).setText("not an address")
    qtbot.waitUntil(lambda: pane.findChild(QMessageBox, "errorBox") is not None)
    box = pane.findChild(QMessageBox, "errorBox")
    assert "not an email address" in box.text()
    box.close()
    settle(window)
    assert Email.select().where(Email.person == plan["ben"]).count() == 1
    window.undo_action.trigger()
    settle(window)
    assert [e.address for e in Email.select().where(Email.person == plan["ben"])] == [
        "ben@rossi.example"
    ]


def test_a_bad_birthday_is_refused(view, plan, window, qtbot, settle) -> None:
    pane = show(view, qtbot, plan["ben"])
    retype(qtbot, pane.edit("birthday"), "next tuesday")
    box = pane.findChild(QMessageBox, "errorBox")
    assert box is not None and "birthday" in box.text()
    box.close()
    assert Person.get_by_id(plan["ben"]).birthday == ""
    retype(qtbot, pane.edit("birthday"), "--04-23")
    settle(window)
    assert Person.get_by_id(plan["ben"]).birthday == "--04-23"


def test_met_through_completes_over_names(view, plan, window, qtbot, settle) -> None:
    pane = show(view, qtbot, plan["ben"])
    edit = pane.met_through
    edit.setFocus()
    qtbot.keyClicks(edit, "ada")
    assert pane._met_model.stringList() == ["Ada Lovelace — Analytical Engines"]
    pane._met_chosen("Ada Lovelace — Analytical Engines")
    settle(window)
    assert Person.get_by_id(plan["ben"]).met_through_id == plan["ada"]
    edit.setText("Nobody Known")
    pane._met_finished()
    assert pane.met_hint.isVisibleTo(pane)
    edit.setText("")
    pane._met_finished()
    settle(window)
    assert Person.get_by_id(plan["ben"]).met_through_id is None


def test_tier_and_cadence(view, plan, window, qtbot, settle) -> None:
    pane = show(view, qtbot, plan["ben"])
    pane.tier.setCurrentIndex(1)
    pane.tier.activated.emit(1)
    pane.cadence.setValue(30)
    pane.cadence.editingFinished.emit()
    settle(window)
    ben = Person.get_by_id(plan["ben"])
    assert (ben.tier, ben.cadence_days) == (1, 30)


def test_leave_a_circle_and_a_goal_from_the_pane(view, plan, window, qtbot, settle) -> None:
    pane = show(view, qtbot, plan["ada"])
    pane.circle_list.setCurrentRow(0)
    pane._leave_circle()
    pane.goal_list.setCurrentRow(0)
    pane._leave_goal()
    settle(window)
    assert PersonCircle.select().where(PersonCircle.person == plan["ada"]).count() == 0
    qtbot.waitUntil(lambda: pane.goal_list.count() == 0 and pane.circle_list.count() == 0)
    assert "Ada Lovelace" in child_labels(view, group(view, "Not on a goal"))


def test_archive_from_the_pane(view, plan, window, qtbot, settle) -> None:
    pane = show(view, qtbot, plan["cleo"])
    pane.archive_button.click()
    settle(window)
    assert Person.get_by_id(plan["cleo"]).archived
    assert "Cleo Patel" not in child_labels(view, group(view, "Not on a goal"))


def test_later_features_add_sections(view, plan, qtbot) -> None:
    pane = show(view, qtbot, plan["ada"])
    section = pane.add_section("Generosity", QLabel("timeline here"))
    titles = [
        pane.sections.itemAt(i).widget().findChild(QLabel, "sectionTitle").text()
        for i in range(pane.sections.count())
        if pane.sections.itemAt(i).widget() is not None
        and pane.sections.itemAt(i).widget().findChild(QLabel, "sectionTitle") is not None
    ]
    assert titles[-1] == "Generosity"  # after the built-in sections (and earlier additions)
    assert titles.index("Goals") < titles.index("Generosity")
    assert section.body.text() == "timeline here"
