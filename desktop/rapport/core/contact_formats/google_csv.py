"""Read Google Contacts' CSV export, in both header styles Google has used.

Current: ``First Name,Middle Name,Last Name,...,Labels,E-mail 1 - Label,E-mail 1 - Value,...``.
Older "Google CSV": ``Name,Given Name,...,Group Membership,E-mail 1 - Type,E-mail 1 - Value,...,
Organization 1 - Name,...``. A cell may hold several entries separated by `` ::: ``; a label
starting with ``* `` marks the primary entry, and the system groups ``* myContacts`` (dropped)
and ``* starred`` (kept as "starred") sit among the user's labels.

Bad input: a quote that never closes, or a row wider than the header, refuses the file on the
row's first line (line breaks inside quoted Notes are normal here). A row with no name, no
organisation and no nickname is skipped with a warning; a birthday that is not a date is left
out with a warning.
"""

from __future__ import annotations

import re
from pathlib import Path

from rapport.core.contact_formats.csv_rows import Row, find_header, first_lines, iter_rows
from rapport.core.contact_formats.decoding import decode_text
from rapport.core.contact_formats.limits import ValueBudget, check_size
from rapport.core.contact_formats.normalise import (
    dedupe,
    multi_line,
    normalise_birthday,
    normalise_label,
    one_line,
    split_multi,
)
from rapport.core.contact_formats.records import (
    AddressRecord,
    ContactRecord,
    ParseResult,
    compose_full_name,
    locate,
    value_count,
)
from rapport.core.contact_formats.warning_log import WarningLog
from rapport.core.errors import BadInput
from rapport.core.links import classify_link
from rapport.core.progress import Progress

_NUMBERED = re.compile(
    r"^(e-mail|phone|address|website|organization|custom field|relation|event|im) (\d+) - (.+)$"
)
_HOW_WE_MET = ("how we met", "how we met?", "met", "met through", "how met")


def is_google_header(names: set[str]) -> bool:
    has_name = (
        {"first name", "last name"} <= names or {"given name", "family name"} <= names
    ) or "name" in names
    numbered = any(_NUMBERED.match(n) and n.endswith((" - value", " - name")) for n in names)
    return has_name and (numbered or "labels" in names or "group membership" in names)


class _Columns:
    """Where each numbered field lives: ``kinds["e-mail"][1]["value"]`` → column index."""

    def __init__(self, names: list[str]) -> None:
        self.kinds: dict[str, dict[int, dict[str, int]]] = {}
        for i, name in enumerate(names):
            m = _NUMBERED.match(name.lower())
            if not m:
                continue
            kind, number, sub = m.group(1), int(m.group(2)), m.group(3).strip()
            if sub == "type":
                sub = "label"
            self.kinds.setdefault(kind, {}).setdefault(number, {}).setdefault(sub, i)

    def entries(self, kind: str, row: Row) -> list[dict[str, str]]:
        """Each numbered entry of ``kind`` as {sub-field: raw value}, in number order."""
        out = []
        for number in sorted(self.kinds.get(kind, {})):
            subs = self.kinds[kind][number]
            out.append({sub: row.fields[i] for sub, i in subs.items()})
        return out


def _labelled(entry: dict[str, str]) -> list[tuple[str, str, bool]]:
    """``(label, value, primary)`` for every value in one "X n - Label / X n - Value" pair."""
    values = split_multi(entry.get("value", ""))
    labels = split_multi(entry.get("label", ""))
    out = []
    for i, value in enumerate(values):
        raw_label = labels[i] if len(labels) == len(values) else (labels[0] if labels else "")
        label, primary = normalise_label(raw_label)
        out.append((label, one_line(value), primary))
    return out


def parse_google_csv(
    data: bytes, path: str | Path, progress: Progress | None = None
) -> ParseResult:
    """Every contact in a Google Contacts CSV export (current or older header)."""
    name = str(path)
    check_size(len(data), name)
    log = WarningLog(name)
    text = decode_text(data, log)
    header = find_header(first_lines(text), is_google_header)
    if header is None:
        raise BadInput("not a Google Contacts CSV: no 'First Name,...' or 'Name,...' header", name)
    index = header.index()
    columns = _Columns(header.names)
    records: list[ContactRecord] = []
    budget = ValueBudget(name)
    for start, _end, fields in iter_rows(text, header, name, progress, text.count("\n") + 1):
        rec = _record(Row(start, fields, index), columns, log)
        if rec is not None:
            budget.spend(value_count(rec), start)
            records.append(rec)
    return ParseResult("google_csv", records, log.result())


def _record(row: Row, columns: _Columns, log: WarningLog) -> ContactRecord | None:
    rec = ContactRecord(line=row.line, full_name="")
    rec.given_name = one_line(row.get("first name", "given name"))
    rec.additional_names = one_line(row.get("middle name", "additional name"))
    rec.family_name = one_line(row.get("last name", "family name"))
    rec.prefix = one_line(row.get("name prefix"))
    rec.suffix = one_line(row.get("name suffix"))
    rec.nickname = one_line(row.get("nickname"))

    org_name = row.get("organization name")
    org_dept = row.get("organization department")
    rec.title = one_line(_first(row.get("organization title")))
    orgs = columns.entries("organization", row)
    if orgs and not org_name:
        org_name = orgs[0].get("name", "")
        org_dept = orgs[0].get("department", "")
        rec.title = rec.title or one_line(_first(orgs[0].get("title", "")))
    rec.organization = ", ".join(
        x for x in (one_line(_first(org_name)), one_line(_first(org_dept))) if x
    )

    rec.full_name = (
        one_line(row.get("name"))
        or compose_full_name(
            rec.prefix, rec.given_name, rec.additional_names, rec.family_name, rec.suffix
        )
        or one_line(row.get("file as"))
        or rec.organization
        or rec.nickname
    )
    emails: list[tuple[str, str, bool]] = []
    for entry in columns.entries("e-mail", row):
        emails += _labelled(entry)
    phones: list[tuple[str, str, bool]] = []
    for entry in columns.entries("phone", row):
        phones += _labelled(entry)
    if not rec.full_name:
        what = emails[0][1] if emails else phones[0][1] if phones else ""
        extra = f" ({what})" if what else ""
        log.add(f"contact with no name or organisation{extra}; skipped", row.line)
        return None
    rec.emails = [(lab, v) for lab, v, _ in sorted(emails, key=lambda e: not e[2]) if v]
    rec.phones = [(lab, v) for lab, v, _ in sorted(phones, key=lambda e: not e[2]) if v]

    preferred: AddressRecord | None = None
    for entry in columns.entries("address", row):
        for adr, primary in _addresses(entry):
            rec.addresses.append(adr)
            if primary and preferred is None:
                preferred = adr
    locate(rec, preferred)

    links = [
        (classify_link(url, label), url)
        for entry in columns.entries("website", row)
        for label, url, _ in _labelled(entry)
        if url
    ]
    rec.links = list(dict.fromkeys(links))

    for entry in columns.entries("custom field", row):
        if entry.get("label", "").strip().lower() in _HOW_WE_MET and not rec.how_we_met:
            rec.how_we_met = multi_line(entry.get("value", ""))

    raw_birthday = row.get("birthday")
    birthday = normalise_birthday(raw_birthday)
    if birthday is None:
        log.add(f"birthday {raw_birthday[:40]!r} is not a date, ignored", row.line)
    else:
        rec.birthday = birthday
    rec.notes = multi_line(row.raw("notes"))
    groups = split_multi(row.get("labels", "group membership"))
    rec.categories = dedupe(
        [g for g in (x.lstrip("*").strip() for x in groups) if g and g.lower() != "mycontacts"]
    )
    return rec


def _first(value: str) -> str:
    parts = split_multi(value)
    return parts[0] if parts else ""


def _addresses(entry: dict[str, str]) -> list[tuple[AddressRecord, bool]]:
    """The addresses in one "Address n - ..." group; ``:::`` splits every sub-field alike."""
    split = {sub: value.split(":::") for sub, value in entry.items()}
    count = max((len(v) for v in split.values()), default=0)
    out = []
    for i in range(count):

        def part(sub: str, i: int = i) -> str:
            values = split.get(sub, [])
            return values[i].strip() if i < len(values) else ""

        street = multi_line("\n".join(x for x in (part("street"), part("extended address")) if x))
        if part("po box"):
            street = "\n".join(x for x in (street, part("po box")) if x)
        adr = AddressRecord(
            street=street,
            locality=one_line(part("city")),
            region=one_line(part("region")),
            postcode=one_line(part("postal code")),
            country=one_line(part("country")),
        )
        if adr.is_empty() and part("formatted"):
            # Only the one-line form was filled in: keep it whole rather than guess its parts.
            adr.street = multi_line(part("formatted"))
        if adr.is_empty():
            continue
        adr.label, primary = normalise_label(part("label"))
        out.append((adr, primary))
    return out
