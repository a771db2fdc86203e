"""Undo and redo of core operations through the SQLite undo log."""

from __future__ import annotations

from rapport.core import circles, goals, people
from rapport.core.undo import UndoLog
from rapport.store.models import Email, GoalPerson, Person, PersonCircle


def snapshot() -> dict:
    return {
        "people": sorted(
            (p.id, p.name, p.organization, p.notes, p.archived) for p in Person.select()
        ),
        "emails": sorted((e.person_id, e.address) for e in Email.select()),
        "circles": sorted((pc.person_id, pc.circle_id) for pc in PersonCircle.select()),
        "goals": sorted((gp.person_id, gp.goal_id, gp.role) for gp in GoalPerson.select()),
    }


def test_undo_and_redo_an_edit(journal) -> None:
    log = UndoLog(journal.db)
    pid, _ = people.create_person("Ada", organization="Before")
    with log.recording() as step:
        people.update_person(pid, organization="After")
    inverse, changes = log.undo(step)
    assert Person.get_by_id(pid).organization == "Before"
    assert pid in changes.people
    again, _ = log.undo(inverse)
    assert Person.get_by_id(pid).organization == "After"
    log.undo(again)
    assert Person.get_by_id(pid).organization == "Before"


def test_undo_a_merge_brings_back_both_people_whole(journal) -> None:
    log = UndoLog(journal.db)
    a, _ = people.create_person("Jane Doe", notes="one")
    b, _ = people.create_person("Jane D.", notes="two", organization="Acme")
    people.add_email(b, "jane@acme.example")
    c, _ = circles.create_circle("Friends")
    circles.add_to_circle([a, b], c)
    g, _ = goals.create_goal("Seed round")
    goals.link_people(g, [b], "connector")
    before = snapshot()
    with log.recording() as step:
        people.merge_people(a, [b])
    assert snapshot() != before
    inverse, changes = log.undo(step)
    assert snapshot() == before
    assert {a, b} <= changes.people and changes.circles and changes.goals
    log.undo(inverse)
    assert Person.get_or_none(Person.id == b) is None


def test_undo_a_delete_with_cascades(journal) -> None:
    log = UndoLog(journal.db)
    a, _ = people.create_person("Gone Soon")
    people.add_email(a, "gone@example.com")
    c, _ = circles.create_circle("Friends")
    circles.add_to_circle([a], c)
    before = snapshot()
    with log.recording() as step:
        people.delete_people([a])
    assert Person.select().count() == 0 and Email.select().count() == 0
    log.undo(step)
    assert snapshot() == before
    assert journal.db.execute_sql("PRAGMA foreign_key_check").fetchall() == []


def test_nothing_is_recorded_outside_a_step(journal) -> None:
    log = UndoLog(journal.db)
    people.create_person("Unrecorded")
    assert journal.db.execute_sql("SELECT count(*) FROM temp.undo_log").fetchone()[0] == 0
    with log.recording() as step:
        people.create_person("Recorded")
    assert log.has(step)
