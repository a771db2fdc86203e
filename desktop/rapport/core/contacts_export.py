"""Contacts out of the journal: vCard 3.0 and CSV for other apps, or everything as JSON.

The format follows the file's extension (``.vcf``, ``.csv``, ``.json``). The file is written
to a private temporary file and renamed into place, readable by its owner only (0600): an
export is the user's private data.

The JSON document is for scripts and for leaving Rapport with everything::

    {"format": "rapport-export", "version": 1, "exported": "2025-05-01T09:30:00Z",
     "people": [...],   # as ``rapport contacts --json`` (core.directory.people_dicts)
     "circles": [...],  # the tree: {"id", "name", "path", "people": [person ids], "children"}
     "goals": [...]}    # {"id", "title", ..., "people": [{"id", "name", "role"}], "slots": [...]}

People are referred to by ``id`` everywhere, so a script can join the sections. Each section
comes from one function in ``SECTIONS``; a later part of Rapport adds its own (acts, trips)
with one line, and ``version`` only changes when an existing key changes meaning.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rapport.core.contact_formats.csv_export import write_csv
from rapport.core.contact_formats.records import AddressRecord, ContactRecord
from rapport.core.contact_formats.vcard_writer import write_vcards
from rapport.core.directory import circle_paths, people_dicts
from rapport.core.errors import BadInput
from rapport.core.progress import Progress
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
    Slot,
)
from rapport.store.safe_files import write_bytes_atomically

FORMAT_NAME = "rapport-export"
FORMAT_VERSION = 1
FORMATS = {".vcf": "vcard", ".vcard": "vcard", ".csv": "csv", ".json": "json"}
FORMAT_LABELS = {"vcard": "vCard 3.0", "csv": "CSV", "json": "JSON, everything"}


@dataclass
class ExportResult:
    path: str
    format: str  # vcard | csv | json
    people: int

    def summary(self) -> str:
        noun = "person" if self.people == 1 else "people"
        return f"wrote {self.people} {noun} to {self.path} ({FORMAT_LABELS[self.format]})"


def format_for(path: str | Path) -> str:
    """The export format a file name asks for; BadInput for an extension we do not write."""
    suffix = Path(path).suffix.lower()
    kind = FORMATS.get(suffix)
    if kind is None:
        what = f"'{suffix}' files" if suffix else "a file without an extension"
        raise BadInput(f"cannot export to {what}: use .vcf, .csv or .json", str(path))
    return kind


# -- records for vCard and CSV -------------------------------------------------------------


def _tuples(query: Any) -> Iterator[tuple[Any, ...]]:
    """Plain row tuples, streamed: no model object per row."""
    return iter(query.tuples().iterator())


def _by_person(query: Any) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in _tuples(query):
        grouped[row[0]].append(row[1:])
    return grouped


def contact_records(*, include_archived: bool = True) -> list[ContactRecord]:
    """Every person as a ContactRecord, in name order, from one query per table."""
    query = Person.select().order_by(Person.name, Person.id)
    if not include_archived:
        query = query.where(Person.archived == False)  # noqa: E712 - peewee expression
    emails = _by_person(Email.select(Email.person, Email.label, Email.address).order_by(Email.id))
    phones = _by_person(Phone.select(Phone.person, Phone.label, Phone.number).order_by(Phone.id))
    links = _by_person(Link.select(Link.person, Link.service, Link.url).order_by(Link.id))
    addresses = _by_person(
        Address.select(
            Address.person,
            Address.label,
            Address.street,
            Address.locality,
            Address.region,
            Address.postcode,
            Address.country,
        ).order_by(Address.id)
    )
    paths = circle_paths()
    circles: dict[int, list[str]] = defaultdict(list)
    for pid, cid in _tuples(PersonCircle.select(PersonCircle.person, PersonCircle.circle)):
        if cid in paths:
            circles[pid].append(paths[cid])
    out = []
    for p in query.iterator():
        out.append(
            ContactRecord(
                line=0,
                full_name=p.name,
                given_name=p.given_name,
                family_name=p.family_name,
                additional_names=p.additional_names,
                prefix=p.prefix,
                suffix=p.suffix,
                nickname=p.nickname,
                organization=p.organization,
                title=p.title,
                emails=[(label, address) for label, address in emails.get(p.id, [])],
                phones=[(label, number) for label, number in phones.get(p.id, [])],
                links=[(service, url) for service, url in links.get(p.id, [])],
                addresses=[AddressRecord(*row) for row in addresses.get(p.id, [])],
                city=p.city,
                region=p.region,
                country=p.country,
                birthday=p.birthday,
                notes=p.notes,
                how_we_met=p.how_we_met,
                categories=sorted(circles.get(p.id, [])),
            )
        )
    return out


# -- the JSON document ---------------------------------------------------------------------


def circles_tree() -> list[dict[str, Any]]:
    """Circles as a tree, each with its full path and the ids of its people."""
    members: dict[int, list[int]] = defaultdict(list)
    for pid, cid in _tuples(PersonCircle.select(PersonCircle.person, PersonCircle.circle)):
        members[cid].append(pid)
    paths = circle_paths()
    nodes: dict[int, dict[str, Any]] = {}
    parents: dict[int, int | None] = {}
    for c in Circle.select().order_by(Circle.position, Circle.name, Circle.id):
        nodes[c.id] = {
            "id": c.id,
            "name": c.name,
            "path": paths.get(c.id, c.name),
            "people": sorted(members.get(c.id, [])),
            "children": [],
        }
        parents[c.id] = c.parent_id
    roots = []
    for cid, node in nodes.items():
        parent = parents[cid]
        if parent is None or parent not in nodes:
            roots.append(node)
        else:
            nodes[parent]["children"].append(node)
    return roots


def goals_list() -> list[dict[str, Any]]:
    """Goals in the user's order, with linked people (and roles) and slots."""
    names: dict[int, str] = dict(_tuples(Person.select(Person.id, Person.name)))
    linked: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for goal_id, pid, role in _tuples(
        GoalPerson.select(GoalPerson.goal, GoalPerson.person, GoalPerson.role).order_by(
            GoalPerson.id
        )
    ):
        linked[goal_id].append({"id": pid, "name": names.get(pid, ""), "role": role})
    slots: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for s in Slot.select().order_by(Slot.position, Slot.id):
        slots[s.goal_id].append(
            {
                "id": s.id,
                "description": s.description,
                "role": s.role,
                "position": s.position,
                "person": None
                if s.person_id is None
                else {"id": s.person_id, "name": names.get(s.person_id, "")},
            }
        )
    out = []
    for g in Goal.select().order_by(Goal.position, Goal.id):
        out.append(
            {
                "id": g.id,
                "title": g.title,
                "why": g.why,
                "target_date": g.target_date.isoformat() if g.target_date else None,
                "status": g.status,
                "position": g.position,
                "created": _iso(g.created),
                "people": linked.get(g.id, []),
                "slots": slots.get(g.id, []),
            }
        )
    return out


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):  # a row written by hand; keep what is there
        return value
    return str(value.replace(microsecond=0).isoformat()) + "Z"


SECTIONS: dict[str, Callable[[], Any]] = {
    "people": people_dicts,
    "circles": circles_tree,
    "goals": goals_list,
}


def export_document(now: datetime | None = None) -> dict[str, Any]:
    """Everything in the journal that the sections know, as one JSON-ready dict."""
    when = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    for key, section in SECTIONS.items():
        doc[key] = section()
    return doc


# -- writing -------------------------------------------------------------------------------


def render(kind: str) -> tuple[bytes, int]:
    """The bytes of an export of ``kind`` and how many people it holds."""
    if kind == "json":
        doc = export_document()
        text = json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n"
        return text.encode("utf-8"), len(doc["people"])
    records = contact_records()
    if kind == "vcard":
        return write_vcards(records).encode("utf-8"), len(records)
    # utf-8-sig: Excel takes a CSV for UTF-8 only when it starts with a byte-order mark.
    return write_csv(records).encode("utf-8-sig"), len(records)


def export_contacts(path: str | Path, progress: Progress | None = None) -> ExportResult:
    """Write the journal to ``path`` in the format its extension names, atomically, 0600."""
    kind = format_for(path)
    progress = progress or Progress.silent()
    progress.update(0, 2, "Reading the journal…")
    data, count = render(kind)
    progress.update(1, 2, "Writing…")
    dest = Path(path)
    try:
        write_bytes_atomically(dest, data)
    except OSError as exc:
        raise BadInput(f"cannot write the file: {exc.strerror or exc}", str(path)) from exc
    progress.update(2, 2, "")
    return ExportResult(str(path), kind, count)
