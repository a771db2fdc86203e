"""The contacts item model: rows, lazy fetching, data roles, and drag-and-drop linking."""

from __future__ import annotations

import pytest
from contacts_helpers import MARKUP, child_labels, contacts, fill_plan, group, top_labels
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QTextDocument

from rapport.core import people
from rapport.core.contacts_tree import ContactsTree, load_roster
from rapport.store.models import Circle, GoalPerson, PersonCircle, Slot
from rapport.ui.contacts import tree_model
from rapport.ui.contacts.tree_model import Column, ContactsTreeModel, Kind, Role


@pytest.fixture
def plan(journal):
    return fill_plan()


@pytest.fixture
def view(plan, window, qtbot):
    return contacts(window, qtbot)


def test_groups_slots_and_people_rows(view, plan) -> None:
    assert top_labels(view) == [
        "Raise a seed round (2)",
        "Speak at PyCon US (1)",
        "Not on a goal (3)",
    ]
    seed = view.model.index(0, 0)
    assert child_labels(view, seed) == [
        "Open: A partner at a climate fund — decision maker",
        "Ada Lovelace",
        "Zoë Okafor",
    ]
    model = view.model
    ada = model.index(1, 0, seed)
    assert model.index(1, Column.ROLE, seed).data() == "decision maker"
    assert model.index(1, Column.ORGANIZATION, seed).data() == "Analytical Engines"
    assert model.index(1, Column.CITY, seed).data() == "Boston, MA, US"
    assert ada.data(Role.PERSON_ID) == plan["ada"]
    assert ada.data(Role.KIND) == Kind.PERSON
    assert ada.data(Role.GROUP_KEY) == f"goal:{plan['seed']}"
    assert ada.parent() == seed
    slot = model.index(0, 0, seed)
    assert slot.data(Role.KIND) == Kind.SLOT and slot.data(Role.REF) == plan["slot"]
    assert slot.data(Qt.ItemDataRole.FontRole).italic()
    assert isinstance(seed.data(Qt.ItemDataRole.FontRole), QFont)
    assert seed.data(Qt.ItemDataRole.FontRole).bold()
    assert seed.data(Role.REF) == plan["seed"]


def test_a_person_on_two_goals_shows_under_each(view, plan) -> None:
    under = [
        [i.data(Role.PERSON_ID) for i in _people(view, view.model.index(row, 0))]
        for row in range(2)
    ]
    assert plan["zoe"] in under[0] and plan["zoe"] in under[1]


def test_children_come_a_page_at_a_time(journal, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(tree_model, "PAGE", 2)
    for n in range(5):
        people.create_person(f"Person {n}")
    model = ContactsTreeModel()
    model.set_tree(ContactsTree(load_roster(), "city"))
    no_city = model.index(0, 0)
    assert no_city.data() == "No city (5)"
    assert model.hasChildren(no_city) and model.rowCount(no_city) == 0
    counts = []
    while model.canFetchMore(no_city):
        model.fetchMore(no_city)
        counts.append(model.rowCount(no_city))
    assert counts == [2, 4, 5]
    assert [model.index(r, 0, no_city).data() for r in range(5)] == [
        f"Person {n}" for n in range(5)
    ]


def test_the_model_passes_qts_model_tester(view, qtmodeltester) -> None:
    for row in range(view.model.rowCount()):
        view.view.expand(view.model.index(row, 0))
    qtmodeltester.check(view.model)


def test_tooltips_show_markup_names_literally(view, plan) -> None:
    index = view.model.person_index(plan["markup"])
    assert index.data() == MARKUP
    document = QTextDocument()
    document.setHtml(index.data(Qt.ItemDataRole.ToolTipRole))
    assert MARKUP in document.toPlainText()
    assert "Markup & Co" in document.toPlainText()


# -- drag and drop ---------------------------------------------------------------------------


def _people(view, parent: QModelIndex) -> list[QModelIndex]:
    child_labels(view, parent)
    model = view.model
    rows = [model.index(r, 0, parent) for r in range(model.rowCount(parent))]
    return [i for i in rows if i.data(Role.KIND) == Kind.PERSON]


def _drop(view, settle, window, indexes, target: QModelIndex, row: int = -1) -> bool:
    model = view.model
    data = model.mimeData(indexes)
    assert model.canDropMimeData(data, Qt.DropAction.CopyAction, row, 0, target)
    accepted = model.dropMimeData(data, Qt.DropAction.CopyAction, row, 0, target)
    settle(window)
    return accepted


def test_dropping_people_on_a_goal_links_them(view, plan, window, settle) -> None:
    rest = group(view, "Not on a goal")
    dragged = [
        i for i in _people(view, rest) if i.data(Role.PERSON_ID) in (plan["ben"], plan["cleo"])
    ]
    assert len(dragged) == 2
    assert _drop(view, settle, window, dragged, group(view, "Speak at PyCon US"))
    linked = {gp.person_id for gp in GoalPerson.select().where(GoalPerson.goal == plan["talk"])}
    assert linked == {plan["zoe"], plan["ben"], plan["cleo"]}
    assert top_labels(view)[1] == "Speak at PyCon US (3)"
    window.undo_action.trigger()
    settle(window)
    assert top_labels(view)[1] == "Speak at PyCon US (1)"


def test_dropping_a_person_on_a_slot_fills_it(view, plan, window, settle) -> None:
    rest = group(view, "Not on a goal")
    ben = next(i for i in _people(view, rest) if i.data(Role.PERSON_ID) == plan["ben"])
    slot = view.model.slot_index(plan["slot"])
    assert _drop(view, settle, window, [ben], slot)
    assert Slot.get_by_id(plan["slot"]).person_id == plan["ben"]
    seed = group(view, "Raise a seed round")
    assert child_labels(view, seed) == ["Ada Lovelace", "Ben Rossi", "Zoë Okafor"]
    assert "fills" in view.model.index(1, Column.ROLE, seed).data()


def test_dropping_people_on_a_circle_and_circles_into_circles(view, plan, window, settle) -> None:
    view.set_grouping("circle")
    assert top_labels(view) == ["Work (1)", "Friends (1)", "In no circle (3)"]
    rest = group(view, "In no circle")
    ben = next(i for i in _people(view, rest) if i.data(Role.PERSON_ID) == plan["ben"])
    assert _drop(view, settle, window, [ben], group(view, "Friends"))
    assert PersonCircle.get_or_none(person=plan["ben"], circle=plan["friends"]) is not None
    assert _drop(view, settle, window, [group(view, "Friends")], group(view, "Work"))
    assert Circle.get_by_id(plan["friends"]).parent_id == plan["work"]
    assert top_labels(view) == ["Work (3)", "In no circle (2)"]
    work = group(view, "Work")
    assert child_labels(view, work)[:2] == ["Investors (1)", "Friends (2)"]
    assert _drop(view, settle, window, [group(view, "Friends")], QModelIndex())
    assert Circle.get_by_id(plan["friends"]).parent_id is None


def test_drops_that_mean_nothing_are_refused(view, plan) -> None:
    model = view.model
    rest = group(view, "Not on a goal")
    ben = next(i for i in _people(view, rest) if i.data(Role.PERSON_ID) == plan["ben"])
    data = model.mimeData([ben])
    assert not model.canDropMimeData(data, Qt.DropAction.CopyAction, -1, 0, rest)
    assert not model.canDropMimeData(data, Qt.DropAction.CopyAction, -1, 0, QModelIndex())
    view.set_grouping("city")
    assert not model.canDropMimeData(data, Qt.DropAction.CopyAction, -1, 0, group(view, "Boston"))
