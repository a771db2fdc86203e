"""People: create, edit, archive, delete, merge, find. Each operation reports its Changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import peewee as pw

from rapport.core.changes import Changes
from rapport.core.errors import Ambiguous, BadInput, NotFound
from rapport.core.names import fold, name_key
from rapport.store.models import (
    ALL_MODELS,
    Address,
    Email,
    Link,
    Person,
    Phone,
    db_proxy,
    utcnow,
)

TEXT_FIELDS = (
    "name",
    "given_name",
    "family_name",
    "additional_names",
    "prefix",
    "suffix",
    "nickname",
    "organization",
    "title",
    "city",
    "region",
    "country",
    "birthday",
    "how_we_met",
    "notes",
)
OTHER_FIELDS = ("tier", "cadence_days", "archived", "met_through", "place")
EDITABLE = frozenset(TEXT_FIELDS + OTHER_FIELDS)
PLACE_FIELDS = frozenset({"city", "region", "country"})
TIERS = (1, 2, 3)


def _clean(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - EDITABLE
    if unknown:
        raise BadInput(f"unknown field(s): {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key in TEXT_FIELDS:
            value = "" if value is None else str(value).strip() if key != "notes" else str(value)
        elif key == "tier" and value is not None:
            value = int(value)
            if value not in TIERS:
                raise BadInput(f"tier must be 1, 2 or 3, not {value}")
        elif key == "cadence_days" and value is not None:
            value = int(value)
            if value < 1:
                raise BadInput(f"cadence must be at least one day, not {value}")
        elif key == "archived":
            value = bool(value)
        out[key] = value
    if "name" in out:
        if not out["name"]:
            raise BadInput("a person needs a name")
        out["name_key"] = name_key(out["name"])
    return out


def _resolve_place(values: dict[str, Any], current: Person | None) -> None:
    """Point the person at a gazetteer place when their city changed."""
    if not PLACE_FIELDS & values.keys() or "place" in values:
        return
    from rapport.core.places import place_id_for

    def pick(key: str) -> str:
        if key in values:
            return str(values[key])
        return str(getattr(current, key, "") or "") if current is not None else ""

    values["place"] = place_id_for(pick("city"), pick("region"), pick("country"))


def create_person(name: str, **fields: Any) -> tuple[int, Changes]:
    values = _clean({"name": name, **fields})
    _resolve_place(values, None)
    with db_proxy.atomic():
        person = Person.create(**values)
    return int(person.id), Changes(people={person.id}, people_added={person.id})


def update_person(person_id: int, **fields: Any) -> Changes:
    values = _clean(fields)
    if not values:
        return Changes()
    person = get_person(person_id)
    _resolve_place(values, person)
    if values.get("met_through") == person_id:
        raise BadInput("a person cannot have met you through themselves")
    values["updated"] = utcnow()
    with db_proxy.atomic():
        Person.update(**values).where(Person.id == person_id).execute()
    return Changes(people={person_id})


def append_note(person_id: int, text: str) -> Changes:
    person = get_person(person_id)
    text = text.strip()
    if not text:
        return Changes()
    notes = f"{person.notes.rstrip()}\n\n{text}" if person.notes.strip() else text
    return update_person(person_id, notes=notes)


def set_archived(person_ids: Iterable[int], archived: bool = True) -> Changes:
    ids = sorted(set(person_ids))
    if not ids:
        return Changes()
    with db_proxy.atomic():
        for chunk in _chunks(ids):
            Person.update(archived=archived, updated=utcnow()).where(Person.id.in_(chunk)).execute()
    return Changes(people=set(ids))


def delete_people(person_ids: Iterable[int]) -> Changes:
    ids = sorted(set(person_ids))
    if not ids:
        return Changes()
    with db_proxy.atomic():
        for chunk in _chunks(ids):
            Person.delete().where(Person.id.in_(chunk)).execute()
    return Changes(people=set(ids), people_removed=set(ids), circles=True, goals=True, acts=True)


# -- contact points ------------------------------------------------------------------------


def add_email(person_id: int, address: str, label: str = "") -> Changes:
    address = address.strip()
    if "@" not in address:
        raise BadInput(f"not an email address: {address!r}")
    key = address.casefold()
    exists = Email.select().where((Email.person == person_id) & (Email.key == key)).exists()
    if exists:
        return Changes()
    Email.create(person=person_id, address=address, key=key, label=label)
    return Changes(people={person_id})


def add_phone(person_id: int, number: str, label: str = "") -> Changes:
    number = number.strip()
    if not any(c.isdigit() for c in number):
        raise BadInput(f"not a phone number: {number!r}")
    digits = _digits(number)
    for phone in Phone.select().where(Phone.person == person_id):
        if _digits(phone.number) == digits:
            return Changes()
    Phone.create(person=person_id, number=number, label=label)
    return Changes(people={person_id})


def add_link(person_id: int, url: str, service: str | None = None) -> Changes:
    from rapport.core.links import classify_link, link_key

    url = url.strip()
    if not url:
        raise BadInput("an empty link")
    service = service or classify_link(url)
    key = link_key(url)
    if Link.select().where((Link.person == person_id) & (Link.key == key)).exists():
        return Changes()
    Link.create(person=person_id, service=service, url=url, key=key)
    return Changes(people={person_id})


def replace_contact_points(
    person_id: int,
    *,
    emails: Sequence[tuple[str, str]] | None = None,
    phones: Sequence[tuple[str, str]] | None = None,
    links: Sequence[tuple[str, str]] | None = None,
) -> Changes:
    """Set a person's emails, phones or links (label/service, value) to exactly these."""
    from rapport.core.links import link_key

    with db_proxy.atomic():
        if emails is not None:
            Email.delete().where(Email.person == person_id).execute()
            seen: set[str] = set()
            for label, address in emails:
                address = address.strip()
                if address and address.casefold() not in seen:
                    seen.add(address.casefold())
                    Email.create(
                        person=person_id, address=address, key=address.casefold(), label=label
                    )
        if phones is not None:
            Phone.delete().where(Phone.person == person_id).execute()
            for label, number in phones:
                if number.strip():
                    Phone.create(person=person_id, number=number.strip(), label=label)
        if links is not None:
            Link.delete().where(Link.person == person_id).execute()
            for service, url in links:
                if url.strip():
                    Link.create(
                        person=person_id, service=service, url=url.strip(), key=link_key(url)
                    )
        Person.update(updated=utcnow()).where(Person.id == person_id).execute()
    return Changes(people={person_id})


# -- merging -------------------------------------------------------------------------------


def merge_people(keep_id: int, other_ids: Iterable[int]) -> Changes:
    """Fold ``other_ids`` into ``keep_id``: every email, phone, link, address, note,
    membership, act, meeting and flag of both survives on the kept person."""
    others = sorted(set(other_ids) - {keep_id})
    if not others:
        return Changes()
    keep = get_person(keep_id)
    with db_proxy.atomic():
        for other_id in others:
            other = get_person(other_id)
            _merge_fields(keep, other)
            _move_rows(keep_id, other_id)
            Person.delete().where(Person.id == other_id).execute()
        keep.updated = utcnow()
        keep.save()
        _dedupe_contact_points(keep_id)
    return Changes(
        people={keep_id, *others},
        people_removed=set(others),
        circles=True,
        goals=True,
        acts=True,
        meetings=True,
        trips=True,
    )


def _merge_fields(keep: Person, other: Person) -> None:
    for field in TEXT_FIELDS:
        mine, theirs = getattr(keep, field) or "", getattr(other, field) or ""
        if field in ("notes", "how_we_met"):
            if theirs.strip() and theirs.strip() not in mine:
                setattr(
                    keep, field, f"{mine.rstrip()}\n\n{theirs.strip()}" if mine.strip() else theirs
                )
        elif not mine and theirs:
            setattr(keep, field, theirs)
    if keep.place_id is None and other.place_id is not None:
        keep.place_id = other.place_id
    if other.tier is not None:
        keep.tier = other.tier if keep.tier is None else min(keep.tier, other.tier)
    if other.cadence_days is not None:
        keep.cadence_days = (
            other.cadence_days
            if keep.cadence_days is None
            else min(keep.cadence_days, other.cadence_days)
        )
    if keep.met_through_id is None and other.met_through_id not in (None, keep.id):
        keep.met_through_id = other.met_through_id
    if keep.met_through_id == other.id:
        keep.met_through_id = None
    keep.archived = bool(keep.archived and other.archived)
    keep.name_key = name_key(keep.name)
    keep.created = min(keep.created, other.created)


def _person_references() -> list[tuple[str, str]]:
    """(table, column) of every foreign key that points at a person."""
    refs = []
    for model in ALL_MODELS:
        for field in model._meta.sorted_fields:
            if isinstance(field, pw.ForeignKeyField) and field.rel_model is Person:
                refs.append((model._meta.table_name, field.column_name))
    return refs


def _move_rows(keep_id: int, other_id: int) -> None:
    db = db_proxy.obj
    for table, column in _person_references():
        # OR IGNORE skips rows that would duplicate a (thing, person) pair the kept person has.
        db.execute_sql(
            f'UPDATE OR IGNORE "{table}" SET "{column}" = ? WHERE "{column}" = ?',
            (keep_id, other_id),
        )
        if table != "person":
            db.execute_sql(f'DELETE FROM "{table}" WHERE "{column}" = ?', (other_id,))
    db.execute_sql(
        "UPDATE person SET met_through_id = NULL WHERE id = ? AND met_through_id = id", (keep_id,)
    )


def _dedupe_contact_points(person_id: int) -> None:
    seen: set[object] = set()
    for email in Email.select().where(Email.person == person_id).order_by(Email.id):
        if email.key in seen:
            email.delete_instance()
        seen.add(email.key)
    seen = set()
    for link in Link.select().where(Link.person == person_id).order_by(Link.id):
        if link.key in seen:
            link.delete_instance()
        seen.add(link.key)
    seen = set()
    for phone in Phone.select().where(Phone.person == person_id).order_by(Phone.id):
        digits = _digits(phone.number)
        if digits in seen:
            phone.delete_instance()
        seen.add(digits)
    seen = set()
    for addr in Address.select().where(Address.person == person_id).order_by(Address.id):
        whole = tuple(
            fold(getattr(addr, f)) for f in ("street", "locality", "region", "postcode", "country")
        )
        if whole in seen:
            addr.delete_instance()
        seen.add(whole)


# -- finding -------------------------------------------------------------------------------


def get_person(person_id: int) -> Person:
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        raise NotFound(f"no person with id {person_id}")
    return person


def find_person(name_or_id: str | int, *, include_archived: bool = True) -> Person:
    """The one person with exactly this name (case-insensitive), or this id.

    Raises NotFound or Ambiguous (with the candidates' ids) so scripts can be precise.
    """
    text = str(name_or_id).strip()
    if not text:
        raise NotFound("no person named ''")
    query = Person.select().where(pw.fn.lower(Person.name) == text.lower())
    if not include_archived:
        query = query.where(Person.archived == False)  # noqa: E712 - peewee expression
    matches = list(query.limit(10))
    if not matches and (text.isdigit() or (text.startswith("#") and text[1:].isdigit())):
        person = Person.get_or_none(Person.id == int(text.lstrip("#")))
        if person is not None:
            return person
    if not matches:
        folded = fold(text)
        matches = [
            p
            for p in Person.select().where(Person.name_key == name_key(text))
            if fold(p.name) == folded
        ]
    if not matches:
        raise NotFound(f"no person named {text!r}")
    if len(matches) > 1:
        ids = ", ".join(f"#{p.id}" for p in matches)
        raise Ambiguous(f"{len(matches)} people are named {text!r} ({ids}); give the id instead")
    return matches[0]


def search_people(text: str, *, include_archived: bool = False, limit: int = 200) -> list[Person]:
    """People whose name, organisation, city, notes, emails or links contain ``text``."""
    like = f"%{text.strip()}%"
    email_hit = Email.select(Email.person).where(Email.address**like)
    link_hit = Link.select(Link.person).where(Link.url**like)
    query = Person.select().where(
        (Person.name**like)
        | (Person.organization**like)
        | (Person.city**like)
        | (Person.notes**like)
        | (Person.title**like)
        | Person.id.in_(email_hit)
        | Person.id.in_(link_hit)
    )
    if not include_archived:
        query = query.where(Person.archived == False)  # noqa: E712
    return list(query.order_by(Person.name).limit(limit))


def _digits(number: str) -> str:
    return "".join(c for c in number if c.isdigit())


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]
