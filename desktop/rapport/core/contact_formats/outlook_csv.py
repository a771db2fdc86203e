"""Read Outlook's contacts CSV (Outlook desktop, Outlook.com, and Google's "Outlook CSV").

Columns are matched by name, so the many Outlook variants (with or without "Given Yomi",
different orders) all read. Outlook's "Title" is the honorific (Dr.) and "Job Title" the job;
"Categories" are separated by ';'. Outlook marks no address as primary, so the city comes
from the business address, then home, then other. Excel saves these files as UTF-16 with
tabs; ``decoding`` and ``csv_rows`` take care of that.

Bad input follows the Google reader: a broken quote refuses the file, a nameless row is
skipped with a warning, a birthday we cannot read is left out with a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from rapport.core.contact_formats.csv_rows import Row, find_header, first_lines, iter_rows
from rapport.core.contact_formats.decoding import decode_text
from rapport.core.contact_formats.limits import ValueBudget, check_size
from rapport.core.contact_formats.normalise import (
    dedupe,
    multi_line,
    normalise_birthday,
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

_PHONES = (
    ("mobile phone", "mobile"),
    ("business phone", "work"),
    ("business phone 2", "work"),
    ("home phone", "home"),
    ("home phone 2", "home"),
    ("primary phone", "main"),
    ("company main phone", "main"),
    ("other phone", "other"),
    ("business fax", "work fax"),
    ("home fax", "home fax"),
    ("pager", "pager"),
    ("car phone", "car"),
    ("assistant's phone", "assistant"),
)
_ADDRESSES = (("business", "work"), ("home", "home"), ("other", "other"))
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")


def is_outlook_header(names: set[str]) -> bool:
    return {"first name", "last name"} <= names and bool(
        names & {"e-mail address", "job title", "business city", "home city", "mobile phone"}
    )


def outlook_date(raw: str) -> str | None:
    """Outlook's month/day/year birthday (``0/0/00`` means none) as ``YYYY-MM-DD``."""
    text = raw.strip()
    m = _US_DATE.match(text)
    if not m:
        return normalise_birthday(text)
    month, day, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if month == 0 or day == 0:
        return ""
    if month > 12 >= day:
        month, day = day, month  # clearly day/month: a non-US export
    if len(m.group(3)) == 2:
        year += 1900 if year > dt.date.today().year % 100 else 2000
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_outlook_csv(
    data: bytes, path: str | Path, progress: Progress | None = None
) -> ParseResult:
    """Every contact in an Outlook contacts CSV."""
    name = str(path)
    check_size(len(data), name)
    log = WarningLog(name)
    text = decode_text(data, log)
    header = find_header(first_lines(text), is_outlook_header)
    if header is None:
        raise BadInput("not an Outlook contacts CSV: no 'First Name,...' header", name)
    index = header.index()
    records: list[ContactRecord] = []
    budget = ValueBudget(name)
    for start, _end, fields in iter_rows(text, header, name, progress, text.count("\n") + 1):
        rec = _record(Row(start, fields, index), log)
        if rec is not None:
            budget.spend(value_count(rec), start)
            records.append(rec)
    return ParseResult("outlook_csv", records, log.result())


def _record(row: Row, log: WarningLog) -> ContactRecord | None:
    rec = ContactRecord(line=row.line, full_name="")
    rec.prefix = one_line(row.get("title"))
    rec.given_name = one_line(row.get("first name"))
    rec.additional_names = one_line(row.get("middle name"))
    rec.family_name = one_line(row.get("last name"))
    rec.suffix = one_line(row.get("suffix"))
    rec.nickname = one_line(row.get("nickname"))
    rec.organization = ", ".join(
        x for x in (one_line(row.get("company")), one_line(row.get("department"))) if x
    )
    rec.title = one_line(row.get("job title"))
    rec.full_name = (
        compose_full_name(
            rec.prefix, rec.given_name, rec.additional_names, rec.family_name, rec.suffix
        )
        or one_line(row.get("display name", "e-mail display name"))
        or rec.organization
        or rec.nickname
    )
    for column in ("e-mail address", "e-mail 2 address", "e-mail 3 address"):
        email = row.get(column)
        if email:
            rec.emails.append(("", email))
    for column, label in _PHONES:
        number = row.get(column)
        if number:
            rec.phones.append((label, one_line(number)))
    if not rec.full_name:
        what = rec.emails[0][1] if rec.emails else rec.phones[0][1] if rec.phones else ""
        extra = f" ({what})" if what else ""
        log.add(f"contact with no name or organisation{extra}; skipped", row.line)
        return None
    for prefix, label in _ADDRESSES:
        lines = [row.raw(f"{prefix} street{n}").strip() for n in ("", " 2", " 3")]
        lines.append(row.get(f"{prefix} po box", f"{prefix} address po box"))
        adr = AddressRecord(
            label=label,
            street=multi_line("\n".join(x for x in lines if x)),
            locality=one_line(row.get(f"{prefix} city")),
            region=one_line(row.get(f"{prefix} state")),
            postcode=one_line(row.get(f"{prefix} postal code")),
            country=one_line(row.get(f"{prefix} country/region", f"{prefix} country")),
        )
        if not adr.is_empty():
            rec.addresses.append(adr)
    locate(rec)
    for column in ("web page", "personal web page"):
        url = row.get(column)
        if url and (classify_link(url), url) not in rec.links:
            rec.links.append((classify_link(url), url))
    raw_birthday = row.get("birthday")
    birthday = outlook_date(raw_birthday)
    if birthday is None:
        log.add(f"birthday {raw_birthday[:40]!r} is not a date, ignored", row.line)
    else:
        rec.birthday = birthday
    rec.notes = multi_line(row.raw("notes"))
    rec.categories = dedupe(split_multi(row.get("categories"), ";"))
    return rec
