"""The people plan: goals, the people linked to them with a role, and open slots."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from peewee import fn

from rapport.core.changes import Changes
from rapport.core.errors import Ambiguous, BadInput, NotFound
from rapport.store.models import Goal, GoalPerson, Slot, db_proxy

STATUSES = ("active", "paused", "done", "dropped")
ROLES = ("expert", "decision maker", "connector", "mentor", "peer", "investor", "customer")


def create_goal(
    title: str, why: str = "", target_date: date | None = None, status: str = "active"
) -> tuple[int, Changes]:
    title = _title(title)
    _status(status)
    position = Goal.select().count()
    goal = Goal.create(
        title=title, why=why, target_date=target_date, status=status, position=position
    )
    return int(goal.id), Changes(goals=True)


def update_goal(goal_id: int, **fields: Any) -> Changes:
    get_goal(goal_id)
    allowed = {"title", "why", "target_date", "status", "position"}
    unknown = set(fields) - allowed
    if unknown:
        raise BadInput(f"unknown goal field(s): {', '.join(sorted(unknown))}")
    if "title" in fields:
        fields["title"] = _title(fields["title"])
    if "status" in fields:
        _status(fields["status"])
    Goal.update(**fields).where(Goal.id == goal_id).execute()
    return Changes(goals=True)


def delete_goal(goal_id: int) -> Changes:
    people = {gp.person_id for gp in GoalPerson.select().where(GoalPerson.goal == goal_id)}
    Goal.delete().where(Goal.id == goal_id).execute()
    return Changes(goals=True, people=people)


def link_people(goal_id: int, person_ids: Iterable[int], role: str = "") -> Changes:
    get_goal(goal_id)
    ids = sorted(set(person_ids))
    with db_proxy.atomic():
        for pid in ids:
            GoalPerson.insert(goal=goal_id, person=pid, role=role.strip()).on_conflict(
                conflict_target=[GoalPerson.goal, GoalPerson.person],
                update={GoalPerson.role: role.strip()}
                if role.strip()
                else {GoalPerson.goal: goal_id},
            ).execute()
    return Changes(goals=True, people=set(ids))


def unlink_people(goal_id: int, person_ids: Iterable[int]) -> Changes:
    ids = sorted(set(person_ids))
    GoalPerson.delete().where((GoalPerson.goal == goal_id) & GoalPerson.person.in_(ids)).execute()
    return Changes(goals=True, people=set(ids))


def add_slot(goal_id: int, description: str, role: str = "") -> tuple[int, Changes]:
    get_goal(goal_id)
    description = description.strip()
    if not description:
        raise BadInput("describe who you need to know")
    position = Slot.select().where(Slot.goal == goal_id).count()
    slot = Slot.create(goal=goal_id, description=description, role=role, position=position)
    return int(slot.id), Changes(goals=True)


def update_slot(
    slot_id: int, *, description: str | None = None, role: str | None = None
) -> Changes:
    slot = get_slot(slot_id)
    if description is not None:
        if not description.strip():
            raise BadInput("describe who you need to know")
        slot.description = description.strip()
    if role is not None:
        slot.role = role.strip()
    slot.save()
    return Changes(goals=True)


def fill_slot(slot_id: int, person_id: int | None) -> Changes:
    """Say who fills a slot (None opens it again); the person joins the goal too."""
    slot = get_slot(slot_id)
    previous = slot.person_id
    with db_proxy.atomic():
        slot.person_id = person_id
        slot.save()
        changes = Changes(goals=True, people={p for p in (previous, person_id) if p is not None})
        if person_id is not None:
            changes = changes | link_people(slot.goal_id, [person_id], slot.role)
    return changes


def delete_slot(slot_id: int) -> Changes:
    Slot.delete().where(Slot.id == slot_id).execute()
    return Changes(goals=True)


def get_goal(goal_id: int) -> Goal:
    goal = Goal.get_or_none(Goal.id == goal_id)
    if goal is None:
        raise NotFound(f"no goal with id {goal_id}")
    return goal


def find_goal(title_or_id: str) -> Goal:
    text = title_or_id.strip()
    matches = list(Goal.select().where(fn.lower(Goal.title) == text.lower()))
    if not matches and text.lstrip("#").isdigit():
        return get_goal(int(text.lstrip("#")))
    if not matches:
        raise NotFound(f"no goal titled {text!r}")
    if len(matches) > 1:
        raise Ambiguous(f"{len(matches)} goals are titled {text!r}")
    return matches[0]


def get_slot(slot_id: int) -> Slot:
    slot = Slot.get_or_none(Slot.id == slot_id)
    if slot is None:
        raise NotFound(f"no slot with id {slot_id}")
    return slot


def _title(title: str) -> str:
    title = title.strip()
    if not title:
        raise BadInput("a goal needs a title")
    return title


def _status(status: str) -> None:
    if status not in STATUSES:
        raise BadInput(f"goal status must be one of {', '.join(STATUSES)}, not {status!r}")
