"""Everything the detail pane shows about one person, read in one go off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass, field

from rapport.core.circles import PATH_SEPARATOR
from rapport.core.contacts_tree import place_label
from rapport.core.people import TEXT_FIELDS
from rapport.store.models import (
    Circle,
    Email,
    Goal,
    GoalPerson,
    Link,
    Person,
    PersonCircle,
    Phone,
    Place,
)


@dataclass
class PersonRecord:
    id: int
    text: dict[str, str]
    tier: int | None
    cadence_days: int | None
    archived: bool
    place: str  # the resolved place, '' if none
    met_through: tuple[int, str] | None
    emails: list[tuple[str, str]] = field(default_factory=list)  # (label, address)
    phones: list[tuple[str, str]] = field(default_factory=list)  # (label, number)
    links: list[tuple[str, str]] = field(default_factory=list)  # (service, url)
    circles: list[tuple[int, str]] = field(default_factory=list)  # (id, path)
    goals: list[tuple[int, str, str]] = field(default_factory=list)  # (id, title, role)

    @property
    def name(self) -> str:
        return self.text["name"]


def circle_paths() -> dict[int, str]:
    rows = {
        c.id: (c.name, c.parent_id) for c in Circle.select(Circle.id, Circle.name, Circle.parent)
    }
    out: dict[int, str] = {}
    for cid in rows:
        parts, current, seen = [], cid, set()
        while current is not None and current in rows and current not in seen:
            seen.add(current)
            name, parent = rows[current]
            parts.append(name)
            current = parent
        out[cid] = PATH_SEPARATOR.join(reversed(parts))
    return out


def load_person(person_id: int) -> PersonRecord | None:
    """The person with ``person_id``, or None if they no longer exist."""
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        return None
    place = ""
    if person.place_id is not None:
        row = Place.get_or_none(Place.id == person.place_id)
        if row is not None:
            place = place_label(row.name, row.region, row.country)
    met: tuple[int, str] | None = None
    if person.met_through_id is not None:
        other = Person.get_or_none(Person.id == person.met_through_id)
        if other is not None:
            met = (int(other.id), other.name)
    paths = circle_paths()
    record = PersonRecord(
        id=int(person.id),
        text={f: str(getattr(person, f) or "") for f in TEXT_FIELDS},
        tier=person.tier,
        cadence_days=person.cadence_days,
        archived=bool(person.archived),
        place=place,
        met_through=met,
    )
    record.emails = [
        (e.label, e.address)
        for e in Email.select().where(Email.person == person_id).order_by(Email.id)
    ]
    record.phones = [
        (p.label, p.number)
        for p in Phone.select().where(Phone.person == person_id).order_by(Phone.id)
    ]
    record.links = [
        (link.service, link.url)
        for link in Link.select().where(Link.person == person_id).order_by(Link.id)
    ]
    record.circles = sorted(
        (
            (pc.circle_id, paths.get(pc.circle_id, ""))
            for pc in PersonCircle.select().where(PersonCircle.person == person_id)
        ),
        key=lambda c: c[1].casefold(),
    )
    record.goals = [
        (gp.goal_id, gp.goal.title, gp.role)
        for gp in GoalPerson.select(GoalPerson, Goal)
        .join(Goal)
        .where(GoalPerson.person == person_id)
        .order_by(Goal.position, Goal.id)
    ]
    return record


@dataclass
class Choices:
    """Circles and goals to pick from in dialogs."""

    circles: list[tuple[int, str]]  # (id, path), in path order
    goals: list[tuple[int, str]]  # (id, title), in plan order


def load_choices() -> Choices:
    paths = circle_paths()
    return Choices(
        circles=sorted(paths.items(), key=lambda c: c[1].casefold()),
        goals=[(g.id, g.title) for g in Goal.select().order_by(Goal.position, Goal.id)],
    )
