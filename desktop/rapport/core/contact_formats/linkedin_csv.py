"""Read LinkedIn's ``Connections.csv`` (from "Get a copy of your data").

The file opens with a "Notes:" preamble about missing e-mail addresses, then the header
``First Name,Last Name,URL,Email Address,Company,Position,Connected On`` (older exports lack
URL); files saved without the preamble are read too. LinkedIn gives no city.

Bad input: a row whose quote never closes, or with more fields than the header, refuses the
file (``BadInput`` on that row's first line) — the file was damaged or hand-edited and any
row after it may be wrong. A row with neither first nor last name (LinkedIn blanks members
who hide their data) is skipped with a warning, as is a "Connected On" date we cannot read
(the person is kept, without the date).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from rapport.core.contact_formats.csv_rows import Row, find_header, first_lines, iter_rows
from rapport.core.contact_formats.decoding import decode_text
from rapport.core.contact_formats.limits import check_size
from rapport.core.contact_formats.normalise import one_line
from rapport.core.contact_formats.records import ContactRecord, ParseResult, compose_full_name
from rapport.core.contact_formats.warning_log import WarningLog
from rapport.core.errors import BadInput
from rapport.core.progress import Progress

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_DAY_MON_YEAR = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*[ -](\d{2}|\d{4})$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:,.*)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def is_linkedin_header(names: set[str]) -> bool:
    return {"first name", "last name", "connected on"} <= names or (
        {"first name", "last name", "company", "position"} <= names
        and ("url" in names or "email address" in names)
        and not any(n.endswith(" - value") for n in names)
    )


def connected_on(raw: str) -> str | None:
    """LinkedIn's "Connected On" (``04 Mar 2021``; older ``3/4/21``) as ``YYYY-MM-DD``."""
    text = raw.strip()
    try:
        m = _DAY_MON_YEAR.match(text)
        if m and m.group(2).lower() in _MONTHS:
            return dt.date(
                _year(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))
            ).isoformat()
        m = _US_DATE.match(text)
        if m:
            return dt.date(_year(m.group(3)), int(m.group(1)), int(m.group(2))).isoformat()
        m = _ISO_DATE.match(text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None
    return None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def parse_linkedin(data: bytes, path: str | Path, progress: Progress | None = None) -> ParseResult:
    """Every connection in a LinkedIn ``Connections.csv``."""
    name = str(path)
    check_size(len(data), name)
    log = WarningLog(name)
    text = decode_text(data, log)
    header = find_header(first_lines(text), is_linkedin_header)
    if header is None:
        raise BadInput(
            "not a LinkedIn Connections.csv: no 'First Name,Last Name,...,Connected On' header",
            name,
        )
    index = header.index()
    records: list[ContactRecord] = []
    for start, end, fields in iter_rows(text, header, name, progress, text.count("\n") + 1):
        if end > start:
            # LinkedIn never writes a line break inside a field: a quote swallowed the next line.
            raise BadInput("a quote opened in this row is never closed", name, start)
        row = Row(start, fields, index)
        rec = _record(row, log)
        if rec is not None:
            records.append(rec)
    return ParseResult("linkedin_csv", records, log.result())


def _record(row: Row, log: WarningLog) -> ContactRecord | None:
    given = one_line(row.get("first name"))
    family = one_line(row.get("last name"))
    full = compose_full_name(given, family)
    if not full:
        log.add("connection with no name (LinkedIn hides some members' data); skipped", row.line)
        return None
    rec = ContactRecord(line=row.line, full_name=full, given_name=given, family_name=family)
    rec.organization = one_line(row.get("company"))
    rec.title = one_line(row.get("position"))
    email = row.get("email address")
    if email:
        rec.emails.append(("", email))
    url = row.get("url", "profile url")
    if url:
        rec.links.append(("linkedin", url))
    raw_date = row.get("connected on")
    if raw_date:
        when = connected_on(raw_date)
        if when is None:
            log.add(f"'Connected On' date {raw_date[:30]!r} not understood; left out", row.line)
            rec.how_we_met = "Connected on LinkedIn"
        else:
            rec.how_we_met = f"Connected on LinkedIn on {when}"
    else:
        rec.how_we_met = "Connected on LinkedIn"
    return rec
