"""People as plain dicts (the ``rapport contacts --json`` shape), fetched in bulk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from peewee import JOIN

from rapport.core.balances import PersonStats, person_stats
from rapport.core.circles import PATH_SEPARATOR
from rapport.store.models import (
    Address,
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

CHUNK = 500


def people_dicts(
    *, include_archived: bool = True, ids: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """Every person (or those in ``ids``) with emails, links, circles and goals, in name order."""
    query = Person.select(Person, Place).join(
        Place, on=(Person.place == Place.id), join_type=JOIN.LEFT_OUTER
    )
    if ids is not None:
        wanted = sorted(set(ids))
        query = query.where(Person.id.in_(wanted))
    if not include_archived:
        query = query.where(Person.archived == False)  # noqa: E712 - peewee expression
    people = list(query.order_by(Person.name, Person.id))
    pids = [p.id for p in people]
    emails = _grouped(Email, pids, lambda e: e.address, Email.id)
    phones = _grouped(Phone, pids, lambda p: p.number, Phone.id)
    links = _grouped(Link, pids, lambda link: (link.service, link.url), Link.id)
    addresses = _grouped(
        Address,
        pids,
        lambda a: {
            "label": a.label,
            "street": a.street,
            "locality": a.locality,
            "region": a.region,
            "postcode": a.postcode,
            "country": a.country,
        },
        Address.id,
    )
    paths = circle_paths()
    circles: dict[int, list[str]] = defaultdict(list)
    for row in PersonCircle.select(PersonCircle.person, PersonCircle.circle).tuples().iterator():
        circles[row[0]].append(paths.get(row[1], ""))
    goals: dict[int, list[dict[str, str]]] = defaultdict(list)
    titles = {g.id: g.title for g in Goal.select(Goal.id, Goal.title)}
    for gp in GoalPerson.select().tuples().iterator():
        _id, goal_id, person_id, role = gp
        goals[person_id].append({"goal": titles.get(goal_id, ""), "role": role})
    names = {p.id: p.name for p in people}
    stats = person_stats(pids if ids is not None else None)
    nothing = PersonStats()
    out = []
    for p in people:
        link_map: dict[str, str] = {}
        for service, url in links.get(p.id, []):
            key = service
            n = 2
            while key in link_map:
                key = f"{service}_{n}"
                n += 1
            link_map[key] = url
        place = p.place if p.place_id is not None else None
        balance = stats.get(p.id, nothing)
        out.append(
            {
                "id": p.id,
                "name": p.name,
                "given_name": p.given_name,
                "family_name": p.family_name,
                "organization": p.organization,
                "title": p.title,
                "city": p.city,
                "region": p.region,
                "country": p.country or (place.country if place else ""),
                "place": None
                if place is None
                else {
                    "name": place.name,
                    "country": place.country,
                    "region": place.region,
                    "lat": place.lat,
                    "lon": place.lon,
                },
                "emails": emails.get(p.id, []),
                "phones": phones.get(p.id, []),
                "links": link_map,
                "addresses": addresses.get(p.id, []),
                "circles": sorted(circles.get(p.id, [])),
                "goals": [g["goal"] for g in goals.get(p.id, [])],
                "goal_roles": goals.get(p.id, []),
                "birthday": p.birthday,
                "how_we_met": p.how_we_met,
                "met_through": names.get(p.met_through_id) if p.met_through_id else None,
                "tier": p.tier,
                "cadence_days": p.cadence_days,
                "notes": p.notes,
                "archived": p.archived,
                "given": balance.given,
                "received": balance.received,
                "last_contact": balance.last_contact.isoformat() if balance.last_contact else None,
            }
        )
    return out


def circle_paths() -> dict[int, str]:
    rows = {
        c.id: (c.name, c.parent_id) for c in Circle.select(Circle.id, Circle.name, Circle.parent)
    }
    cache: dict[int, str] = {}

    def path(cid: int, depth: int = 0) -> str:
        if cid in cache:
            return cache[cid]
        name, parent = rows[cid]
        full = (
            name
            if parent is None or depth > 64
            else f"{path(parent, depth + 1)}{PATH_SEPARATOR}{name}"
        )
        cache[cid] = full
        return full

    return {cid: path(cid) for cid in rows}


def _grouped(model: Any, pids: list[int], value: Any, order: Any) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    if not pids:
        return out
    if len(pids) > 20_000:
        rows: Iterable[Any] = model.select().order_by(order).iterator()
        wanted = set(pids)
        for row in rows:
            if row.person_id in wanted:
                out[row.person_id].append(value(row))
        return out
    for i in range(0, len(pids), CHUNK):
        chunk = pids[i : i + CHUNK]
        for row in model.select().where(model.person.in_(chunk)).order_by(order):
            out[row.person_id].append(value(row))
    return out
