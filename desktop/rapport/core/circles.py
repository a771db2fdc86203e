"""Circles: nested groups of people (a tree); a person belongs to many."""

from __future__ import annotations

from collections.abc import Iterable

from rapport.core.changes import Changes
from rapport.core.errors import BadInput, NotFound
from rapport.store.models import Circle, PersonCircle, db_proxy

PATH_SEPARATOR = "/"


def create_circle(name: str, parent_id: int | None = None) -> tuple[int, Changes]:
    name = _valid_name(name)
    if parent_id is not None:
        get_circle(parent_id)
    position = Circle.select().where(Circle.parent == parent_id).count()
    circle = Circle.create(name=name, parent=parent_id, position=position)
    return int(circle.id), Changes(circles=True)


def rename_circle(circle_id: int, name: str) -> Changes:
    get_circle(circle_id)
    Circle.update(name=_valid_name(name)).where(Circle.id == circle_id).execute()
    return Changes(circles=True)


def move_circle(circle_id: int, parent_id: int | None) -> Changes:
    get_circle(circle_id)
    ancestor = parent_id
    while ancestor is not None:
        if ancestor == circle_id:
            raise BadInput("a circle cannot move inside itself")
        ancestor = get_circle(ancestor).parent_id
    Circle.update(parent=parent_id).where(Circle.id == circle_id).execute()
    return Changes(circles=True)


def delete_circle(circle_id: int) -> Changes:
    """Delete a circle and the circles inside it; the people stay."""
    members = {
        pc.person_id
        for pc in PersonCircle.select(PersonCircle.person).where(
            PersonCircle.circle.in_(descendants(circle_id) | {circle_id})
        )
    }
    with db_proxy.atomic():
        Circle.delete().where(Circle.id == circle_id).execute()
    return Changes(circles=True, people=members)


def add_to_circle(person_ids: Iterable[int], circle_id: int) -> Changes:
    get_circle(circle_id)
    ids = sorted(set(person_ids))
    with db_proxy.atomic():
        for pid in ids:
            PersonCircle.insert(person=pid, circle=circle_id).on_conflict_ignore().execute()
    return Changes(circles=True, people=set(ids))


def remove_from_circle(person_ids: Iterable[int], circle_id: int) -> Changes:
    ids = sorted(set(person_ids))
    with db_proxy.atomic():
        PersonCircle.delete().where(
            (PersonCircle.circle == circle_id) & PersonCircle.person.in_(ids)
        ).execute()
    return Changes(circles=True, people=set(ids))


def circle_by_path(path: str, *, create: bool = False) -> tuple[int, Changes]:
    """The circle named by 'Work/Investors' (each level by exact name), made if asked."""
    parts = [p.strip() for p in path.split(PATH_SEPARATOR) if p.strip()]
    if not parts:
        raise BadInput("an empty circle name")
    parent: int | None = None
    changes = Changes()
    for part in parts:
        found = Circle.get_or_none((Circle.name == part) & (Circle.parent == parent))
        if found is None and parent is None:
            found = Circle.get_or_none((Circle.name == part) & Circle.parent.is_null())
        if found is None:
            if not create:
                raise NotFound(f"no circle named {path!r}")
            cid, made = create_circle(part, parent)
            changes = changes | made
            parent = cid
        else:
            parent = int(found.id)
    assert parent is not None
    return parent, changes


def circle_path(circle_id: int) -> str:
    names = []
    current: int | None = circle_id
    while current is not None:
        circle = get_circle(current)
        names.append(circle.name)
        current = circle.parent_id
    return PATH_SEPARATOR.join(reversed(names))


def descendants(circle_id: int) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for c in Circle.select(Circle.id, Circle.parent):
        children.setdefault(c.parent_id, []).append(c.id)
    out: set[int] = set()
    stack = list(children.get(circle_id, []))
    while stack:
        cid = stack.pop()
        out.add(cid)
        stack.extend(children.get(cid, []))
    return out


def get_circle(circle_id: int) -> Circle:
    circle = Circle.get_or_none(Circle.id == circle_id)
    if circle is None:
        raise NotFound(f"no circle with id {circle_id}")
    return circle


def _valid_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise BadInput("a circle needs a name")
    if PATH_SEPARATOR in name:
        raise BadInput(f"a circle name cannot contain {PATH_SEPARATOR!r}")
    return name
