"""A small people plan and helpers shared by the Contacts view tests."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex

from rapport.core import circles, goals, people
from rapport.store.models import Place

MARKUP = "<b>Bold</b> <img src=x>"


def fill_plan() -> dict[str, int]:
    """Six people (one archived, one named in markup), two goals with slots, nested circles."""
    boston = int(Place.create(name="Boston", region="MA", country="US", lat=42.36, lon=-71.06).id)
    ids = {
        "ada": people.create_person(
            "Ada Lovelace",
            organization="Analytical Engines",
            city="Boston",
            place=boston,
            notes="Writes about Bernoulli numbers.",
        )[0],
        "zoe": people.create_person("Zoë Okafor", organization="Acme", city="Ankh-Morpork")[0],
        "ben": people.create_person("Ben Rossi", organization="Acme")[0],
        "cleo": people.create_person("Cleo Patel", organization="Fjord Labs")[0],
        "markup": people.create_person(MARKUP, organization="Markup & Co", notes="As typed.")[0],
        "old": people.create_person("Old Friend", organization="Acme")[0],
    }
    people.add_email(ids["ben"], "ben@rossi.example")
    people.set_archived([ids["old"]])
    seed, _ = goals.create_goal("Raise a seed round")
    talk, _ = goals.create_goal("Speak at PyCon US")
    goals.link_people(seed, [ids["ada"]], "decision maker")
    goals.link_people(seed, [ids["zoe"]], "connector")
    goals.link_people(talk, [ids["zoe"]], "expert")
    slot, _ = goals.add_slot(seed, "A partner at a climate fund", "decision maker")
    work, _ = circles.create_circle("Work")
    investors, _ = circles.create_circle("Investors", work)
    friends, _ = circles.create_circle("Friends")
    circles.add_to_circle([ids["ada"]], investors)
    circles.add_to_circle([ids["cleo"]], friends)
    return {
        **ids,
        "seed": seed,
        "talk": talk,
        "slot": slot,
        "work": work,
        "investors": investors,
        "friends": friends,
        "boston": boston,
    }


def contacts(window: Any, qtbot: Any) -> Any:
    """The Contacts view of ``window``, once everyone is loaded."""
    view = window.show_view("contacts")
    wait_loaded(view, qtbot)
    return view


def wait_loaded(view: Any, qtbot: Any) -> None:
    qtbot.waitUntil(
        lambda: (
            not view.ops.busy
            and (view.roster is not None or view.pages.currentWidget() is view.empty)
        ),
        timeout=10_000,
    )


def top_labels(view: Any) -> list[str]:
    model = view.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def child_labels(view: Any, parent: QModelIndex) -> list[str]:
    model = view.model
    while model.canFetchMore(parent):
        model.fetchMore(parent)
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def group(view: Any, label_start: str) -> QModelIndex:
    model = view.model

    def find(parent: QModelIndex) -> QModelIndex | None:
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            text = index.data() or ""
            if text.startswith(label_start):
                return index
            found = find(index) if model.hasChildren(index) and model.rowCount(index) else None
            if found is not None:
                return found
        return None

    found = find(QModelIndex())
    assert found is not None, f"no group {label_start!r} in {top_labels(view)}"
    return found
