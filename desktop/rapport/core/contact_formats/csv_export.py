"""Write contacts as a CSV for spreadsheets, with formula-looking cells defused.

Every cell that a spreadsheet would run as a formula — starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return — gets a leading single quote, as the OWASP CSV-injection
guidance says. Phone numbers like "+1 617 555 0100" therefore read "'+1 617 555 0100" in a
plain text editor; spreadsheets hide the quote. Encode the text as ``utf-8-sig`` so Excel
recognises UTF-8.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from rapport.core.contact_formats.records import ContactRecord

HEADER = (
    "Name",
    "Given name",
    "Family name",
    "Nickname",
    "Organization",
    "Title",
    "Emails",
    "Phones",
    "City",
    "Region",
    "Country",
    "Addresses",
    "LinkedIn",
    "Twitter",
    "Mastodon",
    "GitHub",
    "Websites",
    "Birthday",
    "Categories",
    "How we met",
    "Notes",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_JOIN = "; "


def defuse(cell: str) -> str:
    """``cell`` with a leading quote when a spreadsheet would treat it as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _address(rec: ContactRecord) -> str:
    out = []
    for a in rec.addresses:
        parts = [a.street.replace("\n", ", "), a.locality, a.region, a.postcode, a.country]
        text = ", ".join(p for p in parts if p)
        out.append(f"{a.label}: {text}" if a.label else text)
    return _JOIN.join(out)


def _row(rec: ContactRecord) -> list[str]:
    links = {
        s: [u for svc, u in rec.links if svc == s]
        for s in ("linkedin", "twitter", "mastodon", "github")
    }
    websites = [u for svc, u in rec.links if svc in ("website", "blog", "other")]
    return [
        rec.full_name,
        rec.given_name,
        rec.family_name,
        rec.nickname,
        rec.organization,
        rec.title,
        _JOIN.join(address for _, address in rec.emails),
        _JOIN.join(number for _, number in rec.phones),
        rec.city,
        rec.region,
        rec.country,
        _address(rec),
        _JOIN.join(links["linkedin"]),
        _JOIN.join(links["twitter"]),
        _JOIN.join(links["mastodon"]),
        _JOIN.join(links["github"]),
        _JOIN.join(websites),
        rec.birthday,
        _JOIN.join(rec.categories),
        rec.how_we_met,
        rec.notes,
    ]


def write_csv(records: Iterable[ContactRecord]) -> str:
    """A CSV (CRLF line ends, every multi-value cell joined with "; ") of ``records``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for rec in records:
        writer.writerow([defuse(cell) for cell in _row(rec)])
    return out.getvalue()
