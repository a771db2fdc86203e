"""Write contacts as vCard 3.0, the version Apple Contacts, Google and Android all import.

Standard labels become TYPE parameters; any other label, and every link's service, rides on
an Apple-style item group (``item1.URL`` + ``item1.X-ABLabel``), which Apple and Google read
and ``vcard.parse_vcards`` turns back into the same record. "How we met" has no vCard
property, so it is written as ``X-RAPPORT-HOW-WE-MET``. Lines end in CRLF and are folded at
75 octets without splitting a UTF-8 sequence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapport.core.contact_formats.records import ContactRecord

_TYPES = {
    "home": "HOME",
    "work": "WORK",
    "other": "OTHER",
    "mobile": "CELL",
    "main": "MAIN",
    "fax": "FAX",
    "pager": "PAGER",
    "iphone": "IPHONE",
    "work fax": "WORK,FAX",
    "home fax": "HOME,FAX",
}
_SERVICE_LABELS = {
    "linkedin": "LinkedIn",
    "twitter": "Twitter",
    "mastodon": "Mastodon",
    "github": "GitHub",
    "blog": "Blog",
    "website": "_$!<HomePage>!$_",
    "other": "_$!<Other>!$_",
}
# Control characters cannot travel in a vCard; tab and newline can (newline escaped).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FOLD_AT = 75


def escape(text: str) -> str:
    """Escape a vCard 3.0 text value: backslash, comma, semicolon and newlines."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line at 75 octets, never inside a UTF-8 sequence; CRLF-terminated."""
    if len(line) <= _FOLD_AT and line.isascii():
        return line + "\r\n"
    data = line.encode("utf-8")
    if len(data) <= _FOLD_AT:
        return line + "\r\n"
    out: list[bytes] = []
    start = 0
    limit = _FOLD_AT
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: step back to the lead byte
            cut -= 1
        out.append(data[start:cut])
        start = cut
        limit = _FOLD_AT - 1  # continuation lines spend one octet on the leading space
    out.append(data[start:])
    return b"\r\n ".join(out).decode("utf-8") + "\r\n"


class _Card:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.items = 0

    def add(self, name: str, value: str, params: str = "") -> None:
        self.lines.append(fold(f"{name}{params}:{value}"))

    def labelled(self, name: str, value: str, label: str, extra_type: str = "") -> None:
        """A property with a label: a TYPE when standard, else an item group with X-ABLabel."""
        key = label.strip().lower()
        types = [t for t in (extra_type, _TYPES.get(key, "")) if t]
        if not label or key in _TYPES:
            params = f";TYPE={','.join(types)}" if types else ""
            self.add(name, value, params)
            return
        self.items += 1
        group = f"item{self.items}"
        params = f";TYPE={extra_type}" if extra_type else ""
        self.add(f"{group}.{name}", value, params)
        self.add(f"{group}.X-ABLabel", escape(label))


def _card(rec: ContactRecord) -> str:
    card = _Card()
    card.add("BEGIN", "VCARD")
    card.add("VERSION", "3.0")
    card.add("PRODID", "-//Rapport//Rapport//EN")
    name_parts = (
        rec.family_name,
        rec.given_name,
        rec.additional_names,
        rec.prefix,
        rec.suffix,
    )
    card.add("N", ";".join(escape(p) for p in name_parts))
    card.add("FN", escape(rec.full_name))
    if rec.nickname:
        card.add("NICKNAME", escape(rec.nickname))
    if rec.organization:
        card.add("ORG", escape(rec.organization))
    if rec.title:
        card.add("TITLE", escape(rec.title))
    for label, address in rec.emails:
        card.labelled("EMAIL", escape(address), label, "INTERNET")
    for label, number in rec.phones:
        card.labelled("TEL", escape(number), label)
    where = (rec.city, rec.region, rec.country)
    located = [a for a in rec.addresses if a.locality or a.region or a.country]
    home = next((a for a in located if (a.locality, a.region, a.country) == where), None)
    for adr in rec.addresses:
        parts = ("", "", adr.street, adr.locality, adr.region, adr.postcode, adr.country)
        # Readers take the city from the first address unless another is marked preferred.
        pref = "PREF" if home is adr and located[0] is not adr else ""
        card.labelled("ADR", ";".join(escape(p) for p in parts), adr.label, pref)
    if home is None and any(where):
        # A city known without an address (a "City" column): keep it where readers look.
        parts = ("", "", "", rec.city, rec.region, "", rec.country)
        card.add("ADR", ";".join(escape(p) for p in parts), ";TYPE=PREF" if located else "")
    for service, url in rec.links:
        card.items += 1
        group = f"item{card.items}"
        card.add(f"{group}.URL", escape(url))
        card.add(f"{group}.X-ABLabel", escape(_SERVICE_LABELS.get(service, service)))
    if rec.birthday:
        card.add("BDAY", rec.birthday)
    if rec.notes:
        card.add("NOTE", escape(rec.notes))
    if rec.categories:
        card.add("CATEGORIES", ",".join(escape(c) for c in rec.categories))
    if rec.how_we_met:
        card.add("X-RAPPORT-HOW-WE-MET", escape(rec.how_we_met))
    card.add("END", "VCARD")
    return "".join(card.lines)


def write_vcards(records: Iterable[ContactRecord]) -> str:
    """A vCard 3.0 file (CRLF line ends) holding ``records``; encode it as UTF-8."""
    return "".join(_card(rec) for rec in records)
