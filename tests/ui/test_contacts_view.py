"""The Contacts view: grouping switch, filter, archive, dialogs, shortcuts, empty journal."""

from __future__ import annotations

from pathlib import Path

import pytest
from contacts_helpers import child_labels, contacts, fill_plan, group, top_labels
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox

from rapport.core import people
from rapport.store import settings
from rapport.store.models import Email, Goal, GoalPerson, Person, PersonCircle, Slot
from rapport.ui.contacts import empty_state
from rapport.ui.contacts.detail_pane import Section
from rapport.ui.contacts.dialogs import GoalDialog, MergeDialog, NewPersonDialog
from rapport.ui.contacts.tree_model import Role


@pytest.fixture
def plan(journal):
    return fill_plan()


@pytest.fixture
def view(plan, window, qtbot):
    return contacts(window, qtbot)


def ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def select_people(view, ids: list[int]) -> None:
    selection = view.view.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for pid in ids:
        index = view.model.person_index(pid)
        assert index.isValid(), pid
        view.view.expand(index.parent())
        selection.select(index, flags)
    view.view.setCurrentIndex(view.model.person_index(ids[-1]))
    selection.select(view.model.person_index(ids[0]), flags)


def visible_names(view) -> set[str]:
    names = set()
    for row in range(view.model.rowCount()):
        names.update(child_labels(view, view.model.index(row, 0)))
    return {n for n in names if not n.startswith("Open:") and "(" not in n}


def test_grouping_switch_regroups_and_is_remembered(view, window, qtbot, settle) -> None:
    qtbot.mouseClick(
        view.findChild(type(view.new_button), "group_circle"), Qt.MouseButton.LeftButton
    )
    assert top_labels(view) == ["Work (1)", "Friends (1)", "In no circle (3)"]
    assert view.view.isExpanded(group(view, "Work"))  # nesting shows at once
    qtbot.mouseClick(view.findChild(type(view.new_button), "group_city"), Qt.MouseButton.LeftButton)
    assert top_labels(view) == ["Ankh-Morpork (1)", "Boston, MA, US (1)", "No city (3)"]
    qtbot.mouseClick(
        view.findChild(type(view.new_button), "group_organization"), Qt.MouseButton.LeftButton
    )
    assert top_labels(view) == [
        "Acme (2)",
        "Analytical Engines (1)",
        "Fjord Labs (1)",
        "Markup & Co (1)",
    ]
    settle(window)
    assert settings.get("ui.contacts.group") == "organization"


def test_the_remembered_grouping_is_used_at_start(journal, qtbot) -> None:
    fill_plan()
    settings.put("ui.contacts.group", "circle")
    from rapport.ui.main_window import MainWindow

    win = MainWindow(journal)
    qtbot.addWidget(win)  # closed (and its threads stopped) when the test ends
    view = contacts(win, qtbot)
    assert top_labels(view)[0] == "Work (1)"
    assert view.findChild(type(view.new_button), "group_circle").isChecked()


def test_filter_as_you_type(view, qtbot) -> None:
    qtbot.keyClicks(view.filter, "acme")
    assert visible_names(view) == {"Ben Rossi", "Zoë Okafor"}
    assert view.status.text() == "2 people match"
    qtbot.keyClicks(view.filter, " ben")
    assert visible_names(view) == {"Ben Rossi"}
    view.filter.clear()
    qtbot.keyClicks(view.filter, "rossi.example")  # an email
    assert visible_names(view) == {"Ben Rossi"}
    qtbot.keyClick(view.filter, Qt.Key.Key_Escape)
    assert view.filter.text() == ""
    assert top_labels(view) == [
        "Raise a seed round (2)",
        "Speak at PyCon US (1)",
        "Not on a goal (3)",
    ]
    assert view.view.isExpanded(view.model.index(0, 0))  # the goals open again, as before


def test_ctrl_f_goes_to_the_filter(view, window, qtbot) -> None:
    view.view.setFocus()
    window.focus_find()
    assert view.filter.hasFocus()


def test_show_archived(view, qtbot) -> None:
    assert "Old Friend" not in visible_names(view)
    view.archived_box.click()
    assert "Old Friend" in visible_names(view)
    index = view.model.person_index(Person.get(Person.name == "Old Friend").id)
    assert index.data(Role.ARCHIVED) is True
    assert index.data(Qt.ItemDataRole.FontRole).italic()


def test_new_person_with_ctrl_n(view, window, qtbot, settle) -> None:
    view.view.setFocus()
    qtbot.keyClick(view.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = view.dialog
    assert isinstance(dialog, NewPersonDialog)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.name, "Grace Hopper")
    qtbot.keyClicks(dialog.email, "grace@navy.example")
    ok(dialog)
    settle(window)
    qtbot.waitUntil(
        lambda: view.pane.record is not None and view.pane.record.name == "Grace Hopper"
    )
    grace = Person.get(Person.name == "Grace Hopper")
    assert [e.address for e in grace.emails] == ["grace@navy.example"]
    assert view.current_item().person_id == grace.id


def test_new_person_from_a_goal_joins_it(view, plan, window, qtbot, settle) -> None:
    view.view.setCurrentIndex(group(view, "Speak at PyCon US"))
    view.new_person()
    qtbot.keyClicks(view.dialog.name, "Guido")
    ok(view.dialog)
    settle(window)
    guido = Person.get(Person.name == "Guido")
    assert GoalPerson.get_or_none(goal=plan["talk"], person=guido.id) is not None


def test_bulk_archive_and_undo(view, plan, window, qtbot, settle) -> None:
    select_people(view, [plan["ben"], plan["cleo"]])
    assert view.pane.pages.currentWidget() is view.pane.many_page
    assert view.status.text().endswith("2 selected")
    qtbot.keyClick(
        view.view,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    settle(window)
    assert {p.name for p in Person.select().where(Person.archived == True)} == {  # noqa: E712
        "Ben Rossi",
        "Cleo Patel",
        "Old Friend",
    }
    assert top_labels(view)[-1] == "Not on a goal (1)"
    window.undo_action.trigger()
    settle(window)
    assert top_labels(view)[-1] == "Not on a goal (3)"
    window.redo_action.trigger()
    settle(window)
    assert top_labels(view)[-1] == "Not on a goal (1)"


def test_merge_selected_keeps_everything(view, plan, window, qtbot, settle) -> None:
    select_people(view, [plan["ben"], plan["cleo"]])
    qtbot.keyClick(
        view.view,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = view.dialog
    assert isinstance(dialog, MergeDialog)
    rows = [dialog.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(2)]
    assert sorted(rows) == sorted([plan["ben"], plan["cleo"]])
    dialog.list.setCurrentRow(rows.index(plan["cleo"]))  # keep Cleo
    ok(dialog)
    settle(window)
    assert Person.get_or_none(Person.id == plan["ben"]) is None
    assert [e.address for e in Email.select().where(Email.person == plan["cleo"])] == [
        "ben@rossi.example"
    ]
    assert top_labels(view)[-1] == "Not on a goal (2)"


def test_delete_asks_first_and_undo_brings_back(view, plan, window, qtbot, settle) -> None:
    select_people(view, [plan["ben"]])
    view.view.setFocus()
    qtbot.keyClick(view.view, Qt.Key.Key_Delete)
    box = view.dialog
    assert isinstance(box, QMessageBox)
    assert "Ben Rossi" in box.text()
    next(b for b in box.buttons() if b.text() == "Delete").click()
    settle(window)
    assert Person.get_or_none(Person.id == plan["ben"]) is None
    window.undo_action.trigger()
    settle(window)
    assert Person.get_by_id(plan["ben"]).emails[0].address == "ben@rossi.example"
    assert "Ben Rossi" in visible_names(view)


def test_context_menus_offer_what_fits(view, plan) -> None:
    def texts(index: QModelIndex) -> list[str]:
        menu = view.build_menu(view.model.item(index))
        return [a.text() for a in menu.actions() if a.text()]

    seed = group(view, "Raise a seed round")
    assert texts(seed) == [
        "Edit goal…",
        "Add open slot…",
        "New person on this goal…",
        "New goal…",
        "Delete goal…",
    ]
    ada = view.model.person_index(plan["ada"], f"goal:{plan['seed']}")
    person_menu = texts(ada)
    assert "Unlink from “Raise a seed round”" in person_menu
    assert "Archive Ada Lovelace" in person_menu
    assert texts(view.model.slot_index(plan["slot"])) == ["Edit slot…", "Delete slot"]
    view.set_grouping("circle")
    assert texts(group(view, "Work"))[:2] == ["New circle inside…", "Rename circle…"]
    markup = view.model.person_index(plan["markup"])
    assert "Archive <b>Bold</b> <img src=x>" in texts(markup)


def test_a_goal_with_slots_from_its_dialog(view, window, qtbot, settle) -> None:
    view.new_goal()
    dialog = view.dialog
    assert isinstance(dialog, GoalDialog)
    qtbot.keyClicks(dialog.title_, "Open a Lisbon office")
    dialog.add_slot.click()
    dialog.slots.item(0, 0).setText("A lawyer who set up a Portuguese company")
    dialog.slots.item(0, 1).setText("expert")
    ok(dialog)
    settle(window)
    goal = Goal.get(Goal.title == "Open a Lisbon office")
    assert [(s.description, s.role) for s in goal.slots] == [
        ("A lawyer who set up a Portuguese company", "expert")
    ]
    lisbon = group(view, "Open a Lisbon office")
    assert child_labels(view, lisbon) == ["Open: A lawyer who set up a Portuguese company — expert"]
    view.edit_goal(goal.id)
    qtbot.waitUntil(lambda: isinstance(view.dialog, GoalDialog))
    view.dialog.slots.setCurrentCell(0, 0)
    view.dialog.remove_slot.click()
    ok(view.dialog)
    settle(window)
    assert Slot.select().where(Slot.goal == goal.id).count() == 0


def test_add_to_a_new_circle_from_the_picker(view, plan, window, qtbot, settle) -> None:
    select_people(view, [plan["ben"]])
    qtbot.keyClick(
        view.view,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: view.dialog is not None and hasattr(view.dialog, "new_name"))
    qtbot.keyClicks(view.dialog.new_name, "Community/Rust")
    ok(view.dialog)
    settle(window)
    view.set_grouping("circle")
    assert top_labels(view)[2] == "Community (1)"
    assert PersonCircle.select().where(PersonCircle.person == plan["ben"]).count() == 1


def test_an_edit_elsewhere_patches_one_row_not_the_tree(view, plan, window, settle) -> None:
    resets, changed = [], []
    view.model.modelReset.connect(lambda: resets.append(1))
    view.model.dataChanged.connect(lambda a, b: changed.append(a.data(Role.PERSON_ID)))
    window.ops.change(None, "Note", lambda _p: people.update_person(plan["ada"], notes="Hi"))
    settle(window)
    assert resets == []
    assert plan["ada"] in changed
    window.ops.change(None, "Move", lambda _p: people.update_person(plan["ada"], name="Ada King"))
    settle(window)
    assert len(resets) == 1  # a rename reorders: regrouped, keeping what was open
    assert child_labels(view, group(view, "Raise a seed round"))[1] == "Ada King"


# -- empty journal ---------------------------------------------------------------------------


@pytest.fixture
def empty_view(window, qtbot):
    return contacts(window, qtbot)


def test_an_empty_journal_says_what_to_do(empty_view, window, qtbot, settle) -> None:
    view = empty_view
    assert view.pages.currentWidget() is view.empty
    assert not view.bar.isVisible()
    qtbot.mouseClick(view.empty.panel.add_button, Qt.MouseButton.LeftButton)
    assert isinstance(view.dialog, NewPersonDialog)
    qtbot.keyClicks(view.dialog.name, "First Friend")
    ok(view.dialog)
    settle(window)
    qtbot.waitUntil(
        lambda: view.pages.currentWidget() is view.tree_page and view.roster is not None
    )
    assert top_labels(view) == ["Not on a goal (1)"]


def test_empty_journal_import_button(empty_view, monkeypatch, qtbot) -> None:
    calls = []
    monkeypatch.setattr(empty_view.window_, "choose_import", lambda: calls.append("import"))
    qtbot.mouseClick(empty_view.empty.panel.import_button, Qt.MouseButton.LeftButton)
    assert calls == ["import"]


def test_empty_journal_sample_button(empty_view, journal, monkeypatch, qtbot) -> None:
    launched: list[Path] = []
    monkeypatch.setattr(empty_state, "launch_sample", lambda d: launched.append(d) or True)
    qtbot.mouseClick(empty_view.empty.panel.sample_button, Qt.MouseButton.LeftButton)
    assert launched == [journal.path.parent]
    _program, args = empty_state.sample_command(journal.path.parent)
    assert args == ["-m", "rapport", "--demo", "--data-dir", str(journal.path.parent)]


def test_the_sample_launcher_starts_rapport_demo(monkeypatch, tmp_path) -> None:
    started = []
    monkeypatch.setattr(
        empty_state.QProcess,
        "startDetached",
        lambda program, args: started.append((program, args)) or (True, 1),
    )
    assert empty_state.launch_sample(tmp_path)
    import sys

    assert started == [(sys.executable, ["-m", "rapport", "--demo", "--data-dir", str(tmp_path)])]


def test_deleting_everyone_shows_the_empty_state_again(journal, qtbot, settle) -> None:
    pid = people.create_person("Only One")[0]
    from rapport.ui.main_window import MainWindow

    win = MainWindow(journal)
    qtbot.addWidget(win)
    view = contacts(win, qtbot)
    assert view.pages.currentWidget() is view.tree_page
    win.ops.change(None, "Delete", lambda _p: people.delete_people([pid]))
    settle(win)
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.empty)
    assert view.model.rowCount() == 0


def test_f2_edits_what_is_current(view, plan, qtbot) -> None:
    view.select_person(plan["ada"])
    qtbot.waitUntil(lambda: view.pane.record is not None and view.pane.record.id == plan["ada"])
    view.view.setFocus()
    qtbot.keyClick(view.view, Qt.Key.Key_F2)
    assert view.pane.edit("name").hasFocus()
    view.view.setCurrentIndex(group(view, "Speak at PyCon US"))
    view.view.setFocus()
    qtbot.keyClick(view.view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(view.dialog, GoalDialog))
    assert view.dialog.title_.text() == "Speak at PyCon US"


def test_the_pane_follows_the_person_with_their_generosity(view, plan, qtbot, settle, window):
    """The 'Given and received' section appears with the first person shown, and follows."""
    assert view.timeline is None  # nothing to show yet: not made before it is needed
    first, second = list(plan.values())[:2]
    select_people(view, [first])
    qtbot.waitUntil(lambda: view.timeline is not None)
    titles = [s.findChild(QLabel, "sectionTitle").text() for s in view.pane.findChildren(Section)]
    assert "Given and received" in titles
    assert view.timeline.person_id == first
    select_people(view, [second])
    qtbot.waitUntil(lambda: view.timeline.person_id == second)
