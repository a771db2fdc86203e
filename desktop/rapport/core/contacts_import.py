"""Turning parsed contact records into people: match, merge instead of duplicating, write once.

``plan_import`` only reads. For every record it decides one action, in file order:

- **new** — nobody matches: the record becomes a new person.
- **update** — it matches a person already in the journal and brings something new
  (an empty field it fills, an email, phone, link, address, circle, a note).
- **merge** — it matches a person that an *earlier record of the same import* creates
  (a duplicate within the import, in the same file or another) and brings something new.
- **skip** — it brings nothing new (the person already has all of it), or it cannot be
  used (no name; a name shared by several people and nothing else to tell them apart).

A record matches, in this order: a person with one of its email addresses (case-folded);
a person with its LinkedIn profile URL (``links.link_key``); a person with its normalised
name (``names.name_key``) — unless that would join two profiles that disagree: both have
a LinkedIn URL and they differ, or both have email addresses and share none. Records folded
into a person lend it their keys, so a third record can match through the second's email.
When several namesakes fit, the record is skipped with a warning rather than guessed. An
email address or LinkedIn URL that already belongs to someone else is never moved.

``apply_import`` writes a plan in ONE transaction: all or nothing, and a cancelled
``Progress`` rolls everything back. Merging never overwrites: empty fields are filled, new
emails, phones, links and addresses are added, categories become circles, a note is
appended only when its text is not already there, and an existing "how we met" is kept.
The city comes from the record's address and resolves to a Place once per distinct city.
If the journal changed between planning and applying (the preview stayed open while the
user edited), the plan is made again inside the transaction before anything is written.

The counts reported per file (``FileReport``) are counts of *records*, so
``added + updated + merged + skipped`` is the number of records the file held:

- ``added``: new people (one per **new** record);
- ``updated``: records that matched a person already in the journal and brought something new;
- ``merged``: records folded into a person made earlier in the same import;
- ``skipped``: records that brought nothing new or could not be used.

Importing the same file twice therefore changes nothing the second time and reports every
record skipped. Warnings are the parser's plus the importer's, each ``FILE: line N: ...``.
"""

from __future__ import annotations

import gc
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from rapport.core.changes import Changes
from rapport.core.circles import PATH_SEPARATOR, circle_by_path
from rapport.core.contact_formats.records import AddressRecord, ContactRecord, ParseResult
from rapport.core.directory import circle_paths
from rapport.core.links import link_key
from rapport.core.names import fold, name_key
from rapport.core.progress import Progress, drop_gradually
from rapport.store.models import (
    Address,
    Circle,
    Email,
    Link,
    Person,
    PersonCircle,
    Phone,
    db_proxy,
    utcnow,
)

NEW, UPDATE, MERGE, SKIP = "new", "update", "merge", "skip"
ACTIONS = (NEW, UPDATE, MERGE, SKIP)

# Filled when the person has them empty; never overwritten.
FILL_FIELDS = (
    "given_name",
    "family_name",
    "additional_names",
    "prefix",
    "suffix",
    "nickname",
    "organization",
    "title",
    "birthday",
    "how_we_met",
)
_FIELD_WORDS = {
    "given_name": "given name",
    "family_name": "family name",
    "additional_names": "middle name",
    "prefix": "name prefix",
    "suffix": "name suffix",
    "nickname": "nickname",
    "organization": "organisation",
    "title": "title",
    "birthday": "birthday",
    "how_we_met": "how we met",
}
_PERSON_TEXT = ("name", *FILL_FIELDS, "city", "region", "country", "notes")
_PROGRESS_EVERY = 500
_NON_DIGIT = re.compile(r"\D")


# -- the plan ------------------------------------------------------------------------------


@dataclass
class PlannedFile:
    """One input file of the plan; ``warnings`` holds the parser's and the importer's."""

    path: str
    kind: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class PlannedRecord:
    """What the import will do with one record (see the module docstring for the actions)."""

    file: int  # index into ImportPlan.files
    line: int
    name: str
    action: str
    target: str = ""  # the person it updates or merges into: "Jane Doe (#12)"
    target_name: str = ""  # that person's name alone
    person_id: int | None = None  # update: the journal person
    into: int | None = None  # merge: index of the planned record that creates the person
    adds: list[str] = field(default_factory=list)  # update/merge: what it brings, in words
    reason: str = ""  # skip: why; new: a note such as "same name as #12 but other emails"

    def describe(self) -> str:
        """The action in words, as the preview shows it: 'Update Jane Doe (#12): email …'."""
        if self.action == NEW:
            return f"New — {self.reason}" if self.reason else "New"
        if self.action == SKIP:
            return f"Skip — {self.reason}"
        verb = "Update" if self.action == UPDATE else "Merge into"
        what = ", ".join(self.adds)
        return f"{verb} {self.target}: adds {what}" if what else f"{verb} {self.target}"


@dataclass
class FileReport:
    """The per-file result of ``rapport import --json`` (key order is part of the contract)."""

    path: str
    kind: str
    added: int = 0
    updated: int = 0
    merged: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "added": self.added,
            "updated": self.updated,
            "merged": self.merged,
            "skipped": self.skipped,
            "warnings": list(self.warnings),
        }

    def summary(self) -> str:
        parts = [
            f"{self.added} added",
            f"{self.updated} updated",
            f"{self.merged} merged",
            f"{self.skipped} skipped",
        ]
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}")
        return ", ".join(parts)


@dataclass
class ImportPlan:
    files: list[PlannedFile]
    records: list[PlannedRecord]
    parsed: list[tuple[str, ParseResult]]
    _targets: list[_Target] = field(repr=False, default_factory=list)
    _fingerprint: tuple[Any, ...] = field(repr=False, default=())
    _reports: list[FileReport] | None = field(repr=False, default=None)

    def reports(self) -> list[FileReport]:
        """Counts per file (computed once: a plan does not change after it is made)."""
        if self._reports is None:
            self._reports = self._count()
        return [replace(r, warnings=list(r.warnings)) for r in self._reports]

    def _count(self) -> list[FileReport]:
        out = [FileReport(f.path, f.kind, warnings=list(f.warnings)) for f in self.files]
        for rec in self.records:
            report = out[rec.file]
            if rec.action == NEW:
                report.added += 1
            elif rec.action == UPDATE:
                report.updated += 1
            elif rec.action == MERGE:
                report.merged += 1
            else:
                report.skipped += 1
        return out

    def totals(self) -> FileReport:
        return _sum(self.reports())

    @property
    def writes_anything(self) -> bool:
        return any(r.action != SKIP for r in self.records)

    def release(self) -> None:
        """Let go of the parsed records once written, slice by slice (see ``drop_gradually``)."""
        drop_gradually(self.records)
        for _path, parsed in self.parsed:
            drop_gradually(parsed.records)
        drop_gradually(self._targets)


@dataclass
class ImportResult:
    files: list[FileReport]
    changes: Changes
    people_added: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"files": [f.as_dict() for f in self.files]}

    def summary(self) -> str:
        """One sentence for a status bar: 'Imported 2 files: 120 added, 4 updated, …'."""
        n = len(self.files)
        return f"Imported {n} file{'s' if n != 1 else ''}: {_sum(self.files).summary()}"


def _sum(reports: Iterable[FileReport]) -> FileReport:
    total = FileReport("", "")
    for r in reports:
        total.added += r.added
        total.updated += r.updated
        total.merged += r.merged
        total.skipped += r.skipped
        total.warnings += r.warnings
    return total


# -- who a record can be -------------------------------------------------------------------


class _Target:
    """A person the import writes to: one already in the journal, or one it creates.

    It holds what the person has (to tell what a record adds) and what the import will
    write (``set_fields`` and the ``new_*`` lists), accumulated over every record folded in.
    """

    __slots__ = (
        "address_keys",
        "circles",
        "email_keys",
        "first",
        "key",
        "link_keys",
        "linkedin_keys",
        "name",
        "name_keys",
        "new_addresses",
        "new_circles",
        "new_emails",
        "new_links",
        "new_phones",
        "person_id",
        "phone_digits",
        "set_fields",
        "values",
    )

    def __init__(self, person_id: int | None, first: int | None, values: dict[str, str]) -> None:
        self.person_id = person_id
        self.first = first
        self.values = values
        self.name = values.get("name", "")
        self.key = ""  # a new person's name_key
        self.name_keys: set[str] = set()  # names it is known by in this import
        self.email_keys: set[str] = set()
        self.linkedin_keys: set[str] = set()
        self.link_keys: set[str] = set()
        self.phone_digits: set[str] = set()
        self.address_keys: set[tuple[str, ...]] = set()
        self.circles: set[str] = set()  # folded circle paths
        self.set_fields: dict[str, str] = {}
        self.new_emails: list[tuple[str, str, str]] = []  # label, address, key
        self.new_phones: list[tuple[str, str]] = []
        self.new_links: list[tuple[str, str, str]] = []  # service, url, key
        self.new_addresses: list[AddressRecord] = []
        self.new_circles: list[str] = []

    def set(self, name: str, value: str) -> None:
        self.values[name] = value
        self.set_fields[name] = value

    @property
    def is_new(self) -> bool:
        return self.person_id is None

    @property
    def writes(self) -> bool:
        return bool(
            self.is_new
            or self.set_fields
            or self.new_emails
            or self.new_phones
            or self.new_links
            or self.new_addresses
            or self.new_circles
        )


class _NameBucket:
    """The people known by one normalised name; ``no_*`` hold those still without any."""

    __slots__ = ("everyone", "no_email", "no_linkedin")

    def __init__(self) -> None:
        # dicts keyed by id(target): ordered sets with O(1) removal
        self.everyone: dict[int, _Target] = {}
        self.no_email: dict[int, _Target] = {}
        self.no_linkedin: dict[int, _Target] = {}


@dataclass
class _Keys:
    """A record's matching keys and cleaned contact points."""

    name: str
    name_key: str
    emails: list[tuple[str, str, str]]  # label, address, key
    phones: list[tuple[str, str, str]]  # label, number, digits
    links: list[tuple[str, str, str]]  # service, url, key
    linkedin: list[str]
    addresses: list[tuple[AddressRecord, tuple[str, ...]]]
    circles: list[str]  # cleaned paths
    email_set: frozenset[str] = frozenset()
    linkedin_set: frozenset[str] = frozenset()


@contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cycle collector: a big import makes a million small objects, none of them
    cyclic garbage, and repeated full collections over them cost a fifth of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _digits(number: str) -> str:
    return _NON_DIGIT.sub("", number)


# Cities, regions and countries repeat across thousands of records: fold each spelling once.
_fold = lru_cache(maxsize=1 << 16)(fold)


def _address_key(a: AddressRecord) -> tuple[str, ...]:
    return (
        _fold(a.street),
        _fold(a.locality),
        _fold(a.region),
        _fold(a.postcode),
        _fold(a.country),
    )


def _is_linkedin(service: str, key: str) -> bool:
    return service == "linkedin" or key.startswith("linkedin.com/")


def _circle_path(category: str) -> str:
    parts = [" ".join(p.split()) for p in category.split(PATH_SEPARATOR)]
    return PATH_SEPARATOR.join(p for p in parts if p)


def _keys(rec: ContactRecord, warn: Any) -> _Keys:
    name = " ".join(rec.full_name.split())
    emails: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for label, address in rec.emails:
        address = address.strip()
        if not address:
            continue
        if "@" not in address:
            warn(rec.line, f"{address[:60]!r} is not an email address; left out")
            continue
        key = address.casefold()
        if key not in seen:
            seen.add(key)
            emails.append((label.strip(), address, key))
    phones: list[tuple[str, str, str]] = []
    seen = set()
    for label, number in rec.phones:
        number = number.strip()
        digits = _digits(number)
        if digits and digits not in seen:
            seen.add(digits)
            phones.append((label.strip(), number, digits))
    links: list[tuple[str, str, str]] = []
    linkedin: list[str] = []
    seen = set()
    for service, url in rec.links:
        url = url.strip()
        if not url:
            continue
        key = link_key(url)
        if key and key not in seen:
            seen.add(key)
            links.append((service or "website", url, key))
            if _is_linkedin(service, key):
                linkedin.append(key)
    addresses: list[tuple[AddressRecord, tuple[str, ...]]] = []
    seen_addr: set[tuple[str, ...]] = set()
    for adr in rec.addresses:
        if adr.is_empty():
            continue
        akey = _address_key(adr)
        if akey not in seen_addr:
            seen_addr.add(akey)
            addresses.append((adr, akey))
    circles: list[str] = []
    seen = set()
    for category in rec.categories:
        path = _circle_path(category)
        if path and _fold(path) not in seen:
            seen.add(_fold(path))
            circles.append(path)
    return _Keys(
        name,
        name_key(name),
        emails,
        phones,
        links,
        linkedin,
        addresses,
        circles,
        frozenset(k for _, _, k in emails),
        frozenset(linkedin),
    )


# -- what the journal already holds --------------------------------------------------------


def _rows(model: Any, *names: str) -> Any:
    """A raw cursor over some columns of a table: peewee's row objects cost 5x at 100k rows."""
    columns = ", ".join(f'"{model._meta.fields[n].column_name}"' for n in names)
    return db_proxy.obj.execute_sql(f'SELECT {columns} FROM "{model._meta.table_name}"')


class _Journal:
    """Everything matching needs from the journal, read in a handful of bulk queries."""

    def __init__(self) -> None:
        self.people: dict[int, tuple[Any, ...]] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for row in _rows(Person, "id", *_PERSON_TEXT, "name_key"):
            pid = row[0]
            self.people[pid] = row
            nk = row[-1] or name_key(row[1] or "")
            if nk:
                self.by_name[nk].append(pid)
        self.by_email: dict[str, int] = {}
        self.emails: dict[int, set[str]] = defaultdict(set)
        for pid, address in _rows(Email, "person", "address"):
            key = address.casefold()
            self.by_email.setdefault(key, pid)
            self.emails[pid].add(key)
        self.by_linkedin: dict[str, int] = {}
        self.links: dict[int, set[str]] = defaultdict(set)
        self.linkedin: dict[int, set[str]] = defaultdict(set)
        for pid, service, url, key in _rows(Link, "person", "service", "url", "key"):
            key = key or link_key(url)
            self.links[pid].add(key)
            if _is_linkedin(service, key):
                self.by_linkedin.setdefault(key, pid)
                self.linkedin[pid].add(key)
        self.phones: dict[int, set[str]] = defaultdict(set)
        for pid, number in _rows(Phone, "person", "number"):
            self.phones[pid].add(_digits(number))
        self.addresses: dict[int, set[tuple[str, ...]]] = defaultdict(set)
        for row in _rows(Address, "person", "street", "locality", "region", "postcode", "country"):
            self.addresses[row[0]].add(tuple(_fold(x or "") for x in row[1:]))
        paths = circle_paths()
        self.circles: dict[int, set[str]] = defaultdict(set)
        for pid, cid in _rows(PersonCircle, "person", "circle"):
            if cid in paths:
                self.circles[pid].add(fold(paths[cid]))

    def target(self, pid: int) -> _Target:
        row = self.people[pid]
        values = {name: (row[i + 1] or "") for i, name in enumerate(_PERSON_TEXT)}
        t = _Target(pid, None, values)
        t.email_keys = set(self.emails.get(pid, ()))
        t.link_keys = set(self.links.get(pid, ()))
        t.linkedin_keys = set(self.linkedin.get(pid, ()))
        t.phone_digits = set(self.phones.get(pid, ()))
        t.address_keys = set(self.addresses.get(pid, ()))
        t.circles = set(self.circles.get(pid, ()))
        return t


def _fingerprint() -> tuple[Any, ...]:
    """A cheap summary of the tables an import reads; a change means the plan is stale."""
    db = db_proxy.obj
    parts: list[Any] = []
    for model in (Person, Email, Link, Phone, Address, Circle, PersonCircle):
        table = model._meta.table_name
        parts.extend(db.execute_sql(f'SELECT count(*), max(rowid) FROM "{table}"').fetchone())
    parts.extend(db.execute_sql('SELECT max("updated") FROM "person"').fetchone())
    return tuple(parts)


# -- planning ------------------------------------------------------------------------------


class _Planner:
    def __init__(self, parsed: Sequence[tuple[str, ParseResult]]) -> None:
        self.parsed = [(str(path), result) for path, result in parsed]
        self.journal = _Journal()
        self.files = [
            PlannedFile(path, result.kind, list(result.warnings)) for path, result in self.parsed
        ]
        self.records: list[PlannedRecord] = []
        self.targets: list[_Target] = []
        self.existing: dict[int, _Target] = {}
        # Keys of people this import creates or has already extended.
        self.by_email: dict[str, _Target] = {}
        self.by_linkedin: dict[str, _Target] = {}
        self.names: dict[str, _NameBucket] = {}
        self.file = 0

    def warn(self, line: int, message: str) -> None:
        f = self.files[self.file]
        f.warnings.append(f"{f.path}: line {line}: {message}")

    # -- lookups -------------------------------------------------------------------------

    def _person(self, pid: int) -> _Target:
        t = self.existing.get(pid)
        if t is None:
            t = self.journal.target(pid)
            self.existing[pid] = t
            self.targets.append(t)
        return t

    def _by_email(self, key: str) -> _Target | None:
        t = self.by_email.get(key)
        if t is not None:
            return t
        pid = self.journal.by_email.get(key)
        return self._person(pid) if pid is not None else None

    def _by_linkedin(self, key: str) -> _Target | None:
        t = self.by_linkedin.get(key)
        if t is not None:
            return t
        pid = self.journal.by_linkedin.get(key)
        return self._person(pid) if pid is not None else None

    def _bucket(self, key: str) -> _NameBucket:
        bucket = self.names.get(key)
        if bucket is None:
            bucket = self.names[key] = _NameBucket()
            for pid in self.journal.by_name.get(key, ()):
                self._register(self._person(pid), key)
        return bucket

    def _register(self, t: _Target, key: str) -> None:
        """``t`` is known by the name ``key`` from now on (for later records of the import)."""
        bucket = self._bucket(key)
        t.name_keys.add(key)
        ident = id(t)
        bucket.everyone.setdefault(ident, t)
        if not t.email_keys:
            bucket.no_email.setdefault(ident, t)
        if not t.linkedin_keys:
            bucket.no_linkedin.setdefault(ident, t)

    def _lost_open(self, t: _Target, had_email: bool, had_linkedin: bool) -> None:
        """``t`` gained its first email or LinkedIn URL: it stops fitting some records."""
        ident = id(t)
        for key in t.name_keys:
            bucket = self.names[key]
            if not had_email and t.email_keys:
                bucket.no_email.pop(ident, None)
            if not had_linkedin and t.linkedin_keys:
                bucket.no_linkedin.pop(ident, None)

    @staticmethod
    def _conflict(t: _Target, keys: _Keys) -> str:
        """Why ``t`` cannot be the record's person although the names agree ('' if it can)."""
        if keys.linkedin_set and t.linkedin_keys and keys.linkedin_set.isdisjoint(t.linkedin_keys):
            return "a different LinkedIn profile"
        if keys.email_set and t.email_keys and keys.email_set.isdisjoint(t.email_keys):
            return "other email addresses"
        return ""

    def _label(self, t: _Target) -> str:
        if t.person_id is not None:
            return f"{t.name} (#{t.person_id})"
        assert t.first is not None
        first = self.records[t.first]
        return f"{t.name} ({_base_name(self.files[first.file].path)} line {first.line})"

    def match(self, keys: _Keys, line: int) -> tuple[_Target | None, str]:
        """The target for a record, or None and a note (why it is new, or ambiguous)."""
        for _, _, key in keys.emails:
            t = self._by_email(key)
            if t is not None:
                return t, ""
        for key in keys.linkedin:
            t = self._by_linkedin(key)
            if t is not None:
                return t, ""
        if not keys.name_key:
            return None, ""
        bucket = self._bucket(keys.name_key)
        if not bucket.everyone:
            return None, ""
        # No email or LinkedIn URL of the record matched, so a namesake that has any email
        # (or LinkedIn URL) has other ones: it conflicts. Only the "open" namesakes can fit,
        # which keeps a common name with hundreds of namesakes cheap.
        if keys.email_set and keys.linkedin_set:
            small, big = sorted((bucket.no_email, bucket.no_linkedin), key=len)
            pool = list(itertools.islice((t for i, t in small.items() if i in big), 5))
        elif keys.email_set:
            pool = list(itertools.islice(bucket.no_email.values(), 5))
        elif keys.linkedin_set:
            pool = list(itertools.islice(bucket.no_linkedin.values(), 5))
        else:
            pool = list(itertools.islice(bucket.everyone.values(), 5))
        if len(pool) == 1:
            return pool[0], ""
        if not pool:
            t = next(iter(bucket.everyone.values()))
            return None, f"same name as {self._label(t)} but {self._conflict(t, keys)}"
        return None, "ambiguous: " + ", ".join(self._label(t) for t in pool[:4])

    # -- folding a record into a target --------------------------------------------------

    def fold_in(self, t: _Target, rec: ContactRecord, keys: _Keys) -> list[str]:
        """Record on ``t`` what ``rec`` adds; returns the additions in words."""
        adds: list[str] = []
        had_email, had_linkedin = bool(t.email_keys), bool(t.linkedin_keys)
        for name in FILL_FIELDS:
            value = (
                " ".join(getattr(rec, name).split())
                if name != "how_we_met"
                else (getattr(rec, name).strip())
            )
            if value and not t.values.get(name):
                t.set(name, value)
                adds.append(_FIELD_WORDS[name])
        adds += self._location(t, rec)
        note = rec.notes.strip()
        if note and note not in t.values.get("notes", ""):
            current = t.values.get("notes", "")
            t.set("notes", f"{current.rstrip()}\n\n{note}" if current.strip() else note)
            adds.append("note")
        for label, address, key in keys.emails:
            if key in t.email_keys:
                continue
            owner = self._by_email(key)
            if owner is not None and owner is not t:
                self.warn(rec.line, f"{address} already belongs to {self._label(owner)}; not added")
                continue
            t.email_keys.add(key)
            t.new_emails.append((label, address, key))
            self.by_email[key] = t
            adds.append(f"email {address}")
        for label, number, digits in keys.phones:
            if digits not in t.phone_digits:
                t.phone_digits.add(digits)
                t.new_phones.append((label, number))
                adds.append(f"phone {number}")
        for service, url, key in keys.links:
            if key in t.link_keys:
                continue
            if key in keys.linkedin:
                owner = self._by_linkedin(key)
                if owner is not None and owner is not t:
                    self.warn(rec.line, f"{url} already belongs to {self._label(owner)}; not added")
                    continue
                t.linkedin_keys.add(key)
                self.by_linkedin[key] = t
            t.link_keys.add(key)
            t.new_links.append((service, url, key))
            adds.append("LinkedIn profile" if key in keys.linkedin else f"{service} link")
        for adr, akey in keys.addresses:
            if akey not in t.address_keys:
                t.address_keys.add(akey)
                t.new_addresses.append(adr)
                adds.append("address")
        for path in keys.circles:
            if _fold(path) not in t.circles:
                t.circles.add(_fold(path))
                t.new_circles.append(path)
                adds.append(f"circle {path}")
        self._lost_open(t, had_email, had_linkedin)
        if keys.name_key and keys.name_key not in t.name_keys:
            self._register(t, keys.name_key)
        return adds

    @staticmethod
    def _location(t: _Target, rec: ContactRecord) -> list[str]:
        city, region, country = rec.city.strip(), rec.region.strip(), rec.country.strip()
        if not (city or region or country):
            return []
        mine = t.values.get("city", "")
        if not mine:
            if city or not (t.values.get("region") or t.values.get("country")):
                t.set("city", city)
                t.set("region", region)
                t.set("country", country)
                return [f"city {city}" if city else "country"]
            return []
        if _fold(mine) != _fold(city):
            return []
        adds = []
        for name, value in (("region", region), ("country", country)):
            if value and not t.values.get(name):
                t.set(name, value)
                adds.append(name)
        return adds

    # -- the whole plan ------------------------------------------------------------------

    def plan(self, progress: Progress | None) -> ImportPlan:
        total = sum(len(result.records) for _, result in self.parsed)
        done = 0
        for index, (_path, result) in enumerate(self.parsed):
            self.file = index
            for rec in result.records:
                if progress is not None and done % _PROGRESS_EVERY == 0:
                    progress.update(done, total, "Matching contacts…")
                done += 1
                self.records.append(self._one(rec))
        return ImportPlan(
            files=self.files,
            records=self.records,
            parsed=self.parsed,
            _targets=[t for t in self.targets if t.writes],
            _fingerprint=_fingerprint(),
        )

    def _one(self, rec: ContactRecord) -> PlannedRecord:
        keys = _keys(rec, self.warn)
        planned = PlannedRecord(self.file, rec.line, keys.name, SKIP)
        if not keys.name:
            planned.reason = "no name"
            self.warn(rec.line, "a contact with no name; skipped")
            return planned
        target, note = self.match(keys, rec.line)
        if target is None:
            if note.startswith("ambiguous"):
                planned.reason = note
                self.warn(rec.line, f"{keys.name}: {note}; skipped, add it by hand")
                return planned
            values = {"name": keys.name}
            t = _Target(None, len(self.records), values)
            t.key = keys.name_key
            self.targets.append(t)
            self.fold_in(t, rec, keys)
            planned.action = NEW
            planned.reason = note
            return planned
        planned.target = self._label(target)
        planned.target_name = target.name
        planned.person_id = target.person_id
        planned.into = target.first
        adds = _squeeze(self.fold_in(target, rec, keys))
        if not adds:
            planned.reason = f"nothing new for {planned.target}"
            return planned
        planned.action = UPDATE if target.person_id is not None else MERGE
        planned.adds = adds
        return planned


def _base_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _squeeze(adds: list[str]) -> list[str]:
    """'email a, email b, phone x' stays short in a table cell: collapse repeats of a kind."""
    if len(adds) <= 4:
        return adds
    first: dict[str, str] = {}
    counts: dict[str, int] = {}
    for a in adds:
        kind = a.split(" ", 1)[0] if a.startswith(("email ", "phone ", "circle ")) else a
        first.setdefault(kind, a)
        counts[kind] = counts.get(kind, 0) + 1
    return [
        first[kind] if n == 1 else f"{n} {kind}{'es' if kind.endswith('s') else 's'}"
        for kind, n in counts.items()
    ]


def plan_import(
    parsed: Sequence[tuple[str, ParseResult]] | Iterable[tuple[str, ParseResult]],
    progress: Progress | None = None,
) -> ImportPlan:
    """Decide, without writing, what importing these parsed files would do."""
    with _bulk():
        return _Planner(list(parsed)).plan(progress)


# -- writing -------------------------------------------------------------------------------


def _insert(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    cursor = db_proxy.obj.cursor()
    cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


class _Writer:
    def __init__(self, plan: ImportPlan, progress: Progress) -> None:
        self.plan = plan
        self.progress = progress
        self.now = utcnow().isoformat(" ")
        self.places: dict[tuple[str, str, str], int | None] = {}
        self.circles: dict[str, int] = {}
        self.circles_made = False

    def place(self, city: str, region: str, country: str) -> int | None:
        if not city:
            return None
        key = (_fold(city), _fold(region), _fold(country))
        if key not in self.places:
            from rapport.core.places import place_id_for

            self.places[key] = place_id_for(city, region, country)
        return self.places[key]

    def circle(self, path: str) -> int:
        """The circle for a category path, matched case-insensitively at every level."""
        key = fold(path)
        if not self.circles:
            self.circles = {fold(p): c for c, p in circle_paths().items()}
        cid = self.circles.get(key)
        if cid is not None:
            return cid
        # Reuse existing levels as the journal spells them ("friends" joins "Friends").
        parts = path.split(PATH_SEPARATOR)
        spelled: list[str] = []
        for i, part in enumerate(parts):
            known = self.circles.get(fold(PATH_SEPARATOR.join(parts[: i + 1])))
            spelled.append(Circle.get_by_id(known).name if known is not None else part)
        cid, made = circle_by_path(PATH_SEPARATOR.join(spelled), create=True)
        if made:
            self.circles_made = True
            self.circles = {fold(p): c for c, p in circle_paths().items()}
        self.circles[key] = cid
        return cid

    def write(self) -> ImportResult:
        targets = self.plan._targets
        total = len(targets)
        step = max(1, total // 50)
        db = db_proxy.obj
        # Inside the IMMEDIATE transaction nobody else can insert: ids can be handed out here,
        # so people, their emails and their circles go in as a few bulk inserts.
        next_id = (db.execute_sql('SELECT max(id) FROM "person"').fetchone()[0] or 0) + 1
        added: list[int] = []
        self.progress.update(0, total, "Importing contacts…")

        person_cols = [
            "id",
            *_PERSON_TEXT,
            "name_key",
            Person.place.column_name,
            "archived",
            "created",
            "updated",
        ]
        rows: list[tuple[Any, ...]] = []
        emails: list[tuple[Any, ...]] = []
        phones: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        addresses: list[tuple[Any, ...]] = []
        members: list[tuple[Any, ...]] = []
        touched: set[int] = set()
        for i, t in enumerate(targets):
            if i % step == 0:
                self.progress.update(i, total, "Importing contacts…")
            if t.is_new:
                pid = next_id
                next_id += 1
                added.append(pid)
            else:
                assert t.person_id is not None
                pid = t.person_id
            touched.add(pid)
            if t.is_new:
                v = t.values
                rows.append(
                    (
                        pid,
                        *(v.get(name, "") for name in _PERSON_TEXT),
                        t.key,
                        self.place(v.get("city", ""), v.get("region", ""), v.get("country", "")),
                        0,
                        self.now,
                        self.now,
                    )
                )
            else:
                self._update(t)
            emails += [(pid, a, k, label) for label, a, k in t.new_emails]
            phones += [(pid, n, label) for label, n in t.new_phones]
            links += [(pid, s, u, k) for s, u, k in t.new_links]
            addresses += [
                (pid, a.label, a.street, a.locality, a.region, a.postcode, a.country)
                for a in t.new_addresses
            ]
            members += [(pid, self.circle(path)) for path in t.new_circles]
        self.progress.update(total, total, "Saving…")
        _insert("person", person_cols, rows)
        _insert("email", ["person_id", "address", "key", "label"], emails)
        _insert("phone", ["person_id", "number", "label"], phones)
        _insert("link", ["person_id", "service", "url", "key"], links)
        _insert(
            "address",
            ["person_id", "label", "street", "locality", "region", "postcode", "country"],
            addresses,
        )
        if members:
            db.cursor().executemany(
                'INSERT OR IGNORE INTO "person_circle" ("person_id", "circle_id") VALUES (?, ?)',
                members,
            )
        self.progress.check()
        changes = Changes(
            people=touched,
            people_added=set(added),
            circles=bool(members) or self.circles_made,
        )
        return ImportResult(self.plan.reports(), changes, added)

    def _update(self, t: _Target) -> None:
        values: dict[str, Any] = dict(t.set_fields)
        if "city" in values:
            values[Person.place.column_name] = self.place(
                t.values.get("city", ""), t.values.get("region", ""), t.values.get("country", "")
            )
        if not values and not (t.new_emails or t.new_phones or t.new_links or t.new_addresses):
            return  # circles only: the person row itself does not change
        values["updated"] = self.now
        sets = ", ".join(f'"{name}" = ?' for name in values)
        db_proxy.obj.execute_sql(
            f'UPDATE "person" SET {sets} WHERE id = ?', (*values.values(), t.person_id)
        )


def apply_import(plan: ImportPlan, progress: Progress | None = None) -> ImportResult:
    """Write ``plan`` in one transaction; Cancelled (from ``progress``) rolls it all back.

    The journal may have changed since the plan was made (the preview stays open while the
    user edits): then the same files are planned again inside the transaction, so nothing
    is written against a stale picture.
    """
    progress = progress or Progress.silent()
    with _bulk(), db_proxy.atomic("IMMEDIATE"):
        current = plan
        if plan._fingerprint != _fingerprint():
            current = plan_import(plan.parsed, progress)
        result = _Writer(current, progress).write()
    # Applying the same plan again must look at the journal as it is now.
    plan._fingerprint = ()
    return result


def import_parsed(
    parsed: Sequence[tuple[str, ParseResult]], progress: Progress | None = None
) -> ImportResult:
    """Plan and write in one go (the command line): the plan is made inside the transaction."""
    progress = progress or Progress.silent()
    with _bulk(), db_proxy.atomic("IMMEDIATE"):
        plan = plan_import(parsed, progress)
        return _Writer(plan, progress).write()
