"""Read vCard 2.1, 3.0 and 4.0 files (Android, Apple Contacts, Google, RFC 6350 writers).

A hand-written line parser rather than ``vobject``: vobject needs about a millisecond per
card of a realistic Apple export (20 s for 20,000 cards, see ``bench/bench_contact_formats.py``)
and stops at the first oddity, while this reader is linear, steps over PHOTO data without
storing it, and knows every property's line.

What is refused and what is skipped (the file is all-or-nothing, a card is not):

- ``BadInput`` (the whole file is refused): no ``BEGIN:VCARD`` before other text (not a
  vCard); a card with no ``END:VCARD`` (cut short) — reported on its ``BEGIN`` line, or on the
  next ``BEGIN:VCARD`` when one arrives first; ``END:VCARD`` outside a card; anything over the
  caps in ``limits`` (file size, lines, cards, properties per card, values per file, value
  length, parameter length). A truncated export means the user should export again, and an
  import is all or nothing, so importing the part before the damage would mislead.
- A warning, and the card is skipped: a card with no name at all (no FN, N, ORG or NICKNAME).
- A warning, and the line is ignored: text between cards, a line with no ``:`` inside a card,
  a birthday that is not a date, text in a charset it does not claim (read as Windows-1252).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from rapport.core.contact_formats.decoding import (
    count_in_pieces,
    decode_bytes,
    decode_text,
    split_lines,
)
from rapport.core.contact_formats.limits import (
    MAX_ENTRIES,
    MAX_HEAD_CHARS,
    MAX_LINES,
    MAX_LINES_PER_CARD,
    MAX_PROPERTIES_PER_CARD,
    MAX_VALUE_CHARS,
    ValueBudget,
    check_size,
    too_many_entries,
)
from rapport.core.contact_formats.normalise import (
    dedupe,
    label_from_types,
    multi_line,
    normalise_birthday,
    normalise_label,
    one_line,
)
from rapport.core.contact_formats.records import (
    AddressRecord,
    ContactRecord,
    ParseResult,
    compose_full_name,
    locate,
)
from rapport.core.contact_formats.vcard_writer import write_vcards
from rapport.core.contact_formats.warning_log import WarningLog
from rapport.core.errors import BadInput
from rapport.core.links import classify_link
from rapport.core.progress import Progress

__all__ = ["parse_vcards", "write_vcards"]

# Properties whose value we read; anything else is skipped without parsing its parameters.
_WANTED = frozenset(
    {
        "FN",
        "N",
        "NICKNAME",
        "ORG",
        "TITLE",
        "ROLE",
        "EMAIL",
        "TEL",
        "URL",
        "X-SOCIALPROFILE",
        "SOCIALPROFILE",
        "X-TWITTER",
        "X-MASTODON",
        "X-GITHUB",
        "X-LINKEDIN",
        "ADR",
        "BDAY",
        "NOTE",
        "CATEGORIES",
        "X-ABLABEL",
        "X-RAPPORT-HOW-WE-MET",
    }
)
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_BARE_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})
_SOCIAL_URLS = {
    "twitter": "https://twitter.com/{}",
    "linkedin": "https://www.linkedin.com/in/{}",
    "github": "https://github.com/{}",
}
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_PROGRESS_EVERY = 20_000  # lines


@dataclass(slots=True)
class _Prop:
    line: int
    group: str
    name: str
    head: str  # "NAME;PARAM=...;..." without the group
    parts: list[str]  # raw value pieces, joined on use (folded lines)
    size: int = 0


@dataclass(slots=True)
class _Card:
    line: int
    version: str = "3.0"
    props: list[_Prop] = field(default_factory=list)


def _unescape_match(m: re.Match[str]) -> str:
    c = m.group(1)
    return "\n" if c in "nN" else c


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(_unescape_match, text)


def _split_unescaped(text: str, sep: str) -> list[str]:
    """Split on ``sep`` not preceded by an escaping backslash; pieces stay escaped."""
    if "\\" not in text:
        return text.split(sep)
    pieces: list[str] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == sep:
            pieces.append(text[start:i])
            start = i + 1
        i += 1
    pieces.append(text[start:])
    return pieces


def _find_colon(line: str) -> int:
    """The colon ending the property name and parameters (a quoted parameter may hold one)."""
    colon = line.find(":")
    quote = line.find('"')
    if quote == -1 or colon < quote:
        return colon
    in_quotes = False
    for i, c in enumerate(line):
        if c == '"':
            in_quotes = not in_quotes
        elif c == ":" and not in_quotes:
            return i
    return -1


class _Params:
    """The parameters of one property, vCard 2.1 bare types included."""

    __slots__ = ("charset", "encoding", "label", "others", "pref", "types")

    def __init__(self, head: str) -> None:
        self.label = ""  # label_from_types(types), once the types are known
        self.types: list[str] = []
        self.encoding = ""
        self.charset = ""
        self.pref = False
        self.others: dict[str, str] = {}
        if ";" not in head:
            return
        for raw in _split_params(head)[1:]:
            key, eq, value = raw.partition("=")
            key = key.strip().upper()
            if not eq:
                if key in _BARE_ENCODINGS:
                    self.encoding = key
                elif key == "PREF":
                    self.pref = True
                elif key:
                    self.types.append(key.lower())
                continue
            value = value.strip()
            if key == "TYPE":
                for t in _split_param_values(value):
                    if t.lower() == "pref":
                        self.pref = True
                    elif t:
                        self.types.append(t.lower())
            elif key == "ENCODING":
                self.encoding = value.strip('"').upper()
            elif key == "CHARSET":
                self.charset = value.strip('"')
            elif key == "PREF":
                self.pref = True
            else:
                self.others[key] = value.strip('"')
        self.label = label_from_types(self.types)


def _split_params(head: str) -> list[str]:
    if '"' not in head:
        return head.split(";")
    out: list[str] = []
    start = 0
    in_quotes = False
    for i, c in enumerate(head):
        if c == '"':
            in_quotes = not in_quotes
        elif c == ";" and not in_quotes:
            out.append(head[start:i])
            start = i + 1
    out.append(head[start:])
    return out


def _split_param_values(value: str) -> list[str]:
    return [v.strip().strip('"').strip() for v in value.strip('"').split(",")]


class _Reader:
    def __init__(self, path: str, progress: Progress | None) -> None:
        self.path = path
        self.log = WarningLog(path)
        self.progress = progress
        self.budget = ValueBudget(path)
        # Exports repeat the same few parameter lists thousands of times.
        self._params: dict[str, _Params] = {}

    def params(self, head: str) -> _Params:
        found = self._params.get(head)
        if found is None:
            found = _Params(head)
            if len(self._params) < 4096:
                self._params[head] = found
        return found

    # -- decoding one value -------------------------------------------------------------------

    def raw_value(self, prop: _Prop, params: _Params) -> str:
        """The value with its transfer encoding undone (quoted-printable, base64), still escaped."""
        value = "".join(prop.parts) if len(prop.parts) != 1 else prop.parts[0]
        enc = params.encoding
        if enc == "QUOTED-PRINTABLE":
            return self._qp(value, params.charset, prop.line)
        if enc in ("B", "BASE64"):
            try:
                raw = base64.b64decode("".join(value.split()), validate=False)
            except (binascii.Error, ValueError):
                self.log.add(f"{prop.name}: bad base64 value, ignored", prop.line)
                return ""
            return decode_bytes(raw, params.charset or "utf-8", self.log, prop.line)
        return value

    def _qp(self, value: str, charset: str, line: int) -> str:
        raw = binascii.a2b_qp(value.encode("utf-8"))
        return decode_bytes(raw, charset or "utf-8", self.log, line)

    def components(self, prop: _Prop, params: _Params) -> list[str]:
        """A structured value (N, ADR, ORG) split on ';', decoded, still escaped.

        vCard 2.1 quoted-printable splits before decoding, so an encoded ';' stays text.
        """
        if params.encoding == "QUOTED-PRINTABLE":
            pieces = _split_unescaped("".join(prop.parts), ";")
            return [self._qp(p, params.charset, prop.line) for p in pieces]
        return _split_unescaped(self.raw_value(prop, params), ";")

    def text(self, prop: _Prop, params: _Params) -> str:
        return _unescape(self.raw_value(prop, params))

    def listed(self, prop: _Prop, params: _Params) -> list[str]:
        """A comma-separated list value (CATEGORIES, NICKNAME)."""
        raw = self.raw_value(prop, params)
        return [_unescape(p).strip() for p in _split_unescaped(raw, ",")]

    # -- the file ------------------------------------------------------------------------------

    def parse(self, data: bytes) -> ParseResult:
        check_size(len(data), self.path)
        text = decode_text(data, self.log, declared=_declared_charset(data))
        if count_in_pieces(text, "\n") > MAX_LINES or count_in_pieces(text, "\r") > MAX_LINES:
            raise BadInput(f"the file has over {MAX_LINES:,} lines; refusing it", self.path)
        lines = split_lines(text)
        del text
        records: list[ContactRecord] = []
        seen_card = False
        cards = 0
        n = len(lines)
        progress = self.progress
        next_report = _PROGRESS_EVERY
        i = 0
        while i < n:
            line = lines[i]
            i += 1
            stripped = line.strip()
            if not stripped:
                continue
            upper = stripped.upper()
            if upper == "BEGIN:VCARD":
                seen_card = True
                cards += 1
                if cards > MAX_ENTRIES:
                    raise too_many_entries(self.path, i)
                card, i = self._read_card(lines, i)
                self.budget.spend(len(card.props), card.line)
                record = self._record(card)
                if record is not None:
                    records.append(record)
                if progress is not None and i >= next_report:
                    progress.update(i, n, "reading vCards")
                    next_report = i + _PROGRESS_EVERY
                continue
            if not seen_card:
                raise BadInput("not a vCard: expected BEGIN:VCARD", self.path, i)
            if upper == "END:VCARD":
                raise BadInput("END:VCARD without a BEGIN:VCARD", self.path, i)
            self.log.add("text between cards, ignored", i)
        if not seen_card:
            raise BadInput("the file is empty", self.path)
        return ParseResult("vcard", records, self.log.result())

    def _read_card(self, lines: list[str], i: int) -> tuple[_Card, int]:
        """The properties of the card whose BEGIN is line ``i``; returns the index after END."""
        card = _Card(i)
        props = card.props
        n = len(lines)
        limit = min(n, i + MAX_LINES_PER_CARD)
        version21 = False
        prop: _Prop | None = None  # the stored property that folded lines extend
        last_name = ""
        count = 0
        while i < limit:
            line = lines[i]
            i += 1
            first = line[:1]
            if first == " " or first == "\t":
                if prop is not None:
                    # vCard 2.1 unfolds by removing only the line break; 3.0/4.0 drop one blank.
                    self._extend(prop, line if version21 else line[1:])
                continue
            if not line:
                continue
            colon = line.find(":")
            if colon > 0 and line.find('"', 0, colon) >= 0:
                colon = _find_colon(line)  # a quoted parameter value may hold the colon
            if colon < 0:
                self.log.add("not a vCard property (no ':'), ignored", i)
                prop = None
                continue
            if colon > MAX_HEAD_CHARS:
                raise BadInput(
                    f"a property name and parameters over {MAX_HEAD_CHARS:,} characters",
                    self.path,
                    i,
                )
            head = line[:colon]
            semi = head.find(";")
            name_part = head if semi < 0 else head[:semi]
            dot = name_part.rfind(".")
            group = ""
            if dot >= 0:
                group = name_part[:dot].lower()
                head = head[dot + 1 :]
                name_part = name_part[dot + 1 :]
            name = name_part.strip().upper()
            value = line[colon + 1 :]
            prop = None
            if name == "END":
                if value.strip().upper() == "VCARD":
                    return card, i
                continue
            if name == "BEGIN" and value.strip().upper() == "VCARD":
                if last_name == "AGENT":
                    i = self._skip_agent(lines, i, card)
                    continue
                raise BadInput(
                    f"the card starting on line {card.line} has no END:VCARD "
                    "before this BEGIN:VCARD",
                    self.path,
                    i,
                )
            last_name = name
            count += 1
            if count > MAX_PROPERTIES_PER_CARD:
                raise BadInput(
                    f"this card has over {MAX_PROPERTIES_PER_CARD:,} properties; refusing the file",
                    self.path,
                    card.line,
                )
            soft_break = value.endswith("=") and "QUOTED-PRINTABLE" in head.upper()
            if name == "VERSION":
                card.version = value.strip()
                version21 = card.version == "2.1"
                continue
            if name not in _WANTED:
                if soft_break:
                    i = self._quoted_printable(lines, i, limit, None)
                    continue
                # Step over its folded lines unread: PHOTO data is most of a big export. vCard
                # 2.1 base64 lines need not be indented; a blank line ends them.
                unindented = version21 and name in _BINARY
                while i < limit:
                    nxt = lines[i]
                    c = nxt[:1]
                    if c == " " or c == "\t" or (unindented and nxt and ":" not in nxt):
                        i += 1
                        continue
                    break
                continue
            prop = _Prop(i, group, name, head, [value], size=len(value))
            props.append(prop)
            if len(value) > MAX_VALUE_CHARS:
                self._too_long(prop)
            if soft_break:
                prop.parts[0] = value[:-1]
                i = self._quoted_printable(lines, i, limit, prop)
        if limit < n:
            raise BadInput(
                f"this card runs over {MAX_LINES_PER_CARD:,} lines; refusing the file",
                self.path,
                card.line,
            )
        raise BadInput("this card has no END:VCARD (the file is cut short?)", self.path, card.line)

    def _quoted_printable(self, lines: list[str], i: int, limit: int, prop: _Prop | None) -> int:
        """Follow quoted-printable soft line breaks (a trailing '='), whatever the indentation."""
        while i < limit:
            line = lines[i]
            if line.strip().upper() == "END:VCARD":
                return i  # a dangling soft break: the card still ends here
            i += 1
            soft = line.endswith("=")
            if prop is not None:
                self._extend(prop, line[:-1] if soft else line)
            if not soft:
                return i
        return i

    def _extend(self, prop: _Prop, piece: str) -> None:
        prop.size += len(piece)
        if prop.size > MAX_VALUE_CHARS:
            self._too_long(prop)
        prop.parts.append(piece)

    def _too_long(self, prop: _Prop) -> None:
        raise BadInput(
            f"{prop.name} value is over {MAX_VALUE_CHARS:,} characters; refusing the file",
            self.path,
            prop.line,
        )

    def _skip_agent(self, lines: list[str], i: int, card: _Card) -> int:
        """Skip a vCard 2.1 AGENT card embedded in ``card``; return the index after it."""
        depth = 1
        n = len(lines)
        while i < n:
            stripped = lines[i].strip().upper()
            i += 1
            if stripped == "BEGIN:VCARD":
                depth += 1
                if depth > 3:
                    raise BadInput("AGENT cards nested too deep", self.path, i)
            elif stripped == "END:VCARD":
                depth -= 1
                if depth == 0:
                    return i
        raise BadInput("this card has no END:VCARD (the file is cut short?)", self.path, card.line)

    # -- one card ------------------------------------------------------------------------------

    def _record(self, card: _Card) -> ContactRecord | None:
        labels: dict[str, str] = {}
        for p in card.props:
            if p.name == "X-ABLABEL" and p.group:
                labels[p.group] = self.text(p, self.params(p.head)).strip()

        rec = ContactRecord(line=card.line, full_name="")
        fn = ""
        orgs: list[str] = []
        nicknames: list[str] = []
        notes: list[str] = []
        emails: list[tuple[str, str, bool]] = []
        phones: list[tuple[str, str, bool]] = []
        addresses: list[tuple[AddressRecord, bool]] = []
        categories: list[str] = []
        links: list[tuple[str, str]] = []
        role = ""
        for p in card.props:
            name = p.name
            if name == "X-ABLABEL":
                continue
            params = self.params(p.head)
            group_label = labels.get(p.group, "") if p.group else ""
            if name == "FN":
                if not fn:
                    fn = one_line(self.text(p, params))
            elif name == "N":
                self._name(rec, self.components(p, params))
            elif name == "EMAIL":
                address = one_line(self.text(p, params))
                if address.lower().startswith("mailto:"):
                    address = address[7:]
                if address:
                    label, primary = self._label(params, group_label)
                    emails.append((label, address, primary))
            elif name == "TEL":
                number = one_line(self.text(p, params))
                if number.lower().startswith("tel:"):
                    number = number[4:]
                if number:
                    label, primary = self._label(params, group_label)
                    phones.append((label, number, primary))
            elif name == "ADR":
                adr = self._address([_unescape(c) for c in self.components(p, params)])
                if adr is not None:
                    adr.label, primary = self._label(params, group_label)
                    addresses.append((adr, primary))
            elif name == "ORG":
                units = (one_line(_unescape(c)) for c in self.components(p, params))
                org = ", ".join(u for u in units if u)
                if org:
                    orgs.append(org)
            elif name == "TITLE":
                rec.title = rec.title or one_line(self.text(p, params))
            elif name == "ROLE":
                role = role or one_line(self.text(p, params))
            elif name == "NICKNAME":
                nicknames += [one_line(x) for x in self.listed(p, params)]
            elif name == "NOTE":
                note = multi_line(self.text(p, params))
                if note:
                    notes.append(note)
            elif name == "CATEGORIES":
                categories += [one_line(x) for x in self.listed(p, params)]
            elif name == "BDAY":
                if not rec.birthday:
                    self._birthday(rec, p, params)
            elif name == "X-RAPPORT-HOW-WE-MET":
                rec.how_we_met = multi_line(self.text(p, params))
            else:
                self._link(links, p, params, group_label)

        rec.organization = orgs[0] if orgs else ""
        rec.title = rec.title or role
        rec.nickname = ", ".join(x for x in nicknames if x)
        rec.notes = "\n\n".join(notes)
        rec.categories = dedupe(
            [c for c in categories if c and c.casefold() not in ("mycontacts", "* mycontacts")]
        )
        # The file's preferred entries first (stable: otherwise the file's order).
        rec.emails = [(lab, v) for lab, v, _ in sorted(emails, key=lambda e: not e[2])]
        rec.phones = [(lab, v) for lab, v, _ in sorted(phones, key=lambda e: not e[2])]
        rec.addresses = [a for a, _ in addresses]
        rec.links = list(dict.fromkeys(links))  # Apple repeats a profile as URL and SOCIALPROFILE
        preferred = next((a for a, pref in addresses if pref), None)
        locate(rec, preferred)
        rec.full_name = (
            fn
            or compose_full_name(
                rec.prefix, rec.given_name, rec.additional_names, rec.family_name, rec.suffix
            )
            or rec.organization
            or rec.nickname
        )
        if not rec.full_name:
            what = rec.emails[0][1] if rec.emails else rec.phones[0][1] if rec.phones else ""
            extra = f" ({what})" if what else ""
            self.log.add(f"card has no name (no FN, N, ORG or NICKNAME){extra}; skipped", card.line)
            return None
        return rec

    @staticmethod
    def _name(rec: ContactRecord, escaped: list[str]) -> None:
        # Within a component, unescaped commas separate several values ("Jean,Paul").
        parts = [
            one_line(" ".join(_unescape(v) for v in _split_unescaped(p, ","))) for p in escaped
        ] + [""] * 5
        rec.family_name, rec.given_name, rec.additional_names, rec.prefix, rec.suffix = parts[:5]

    @staticmethod
    def _address(parts: list[str]) -> AddressRecord | None:
        parts = [p.strip() for p in parts] + [""] * 7
        pobox, extended, street, locality, region, postcode, country = parts[:7]
        lines = [x for x in (street, extended, pobox) if x]
        adr = AddressRecord(
            street=multi_line("\n".join(lines)),
            locality=one_line(locality),
            region=one_line(region),
            postcode=one_line(postcode),
            country=one_line(country),
        )
        return None if adr.is_empty() else adr

    @staticmethod
    def _label(params: _Params, group_label: str) -> tuple[str, bool]:
        if group_label:
            label, _ = normalise_label(group_label)
        else:
            label = params.label
        return label, params.pref

    def _birthday(self, rec: ContactRecord, prop: _Prop, params: _Params) -> None:
        raw = self.text(prop, params).strip()
        value = normalise_birthday(raw, params.others.get("X-APPLE-OMIT-YEAR", ""))
        if value is None:
            self.log.add(f"birthday {raw[:40]!r} is not a date, ignored", prop.line)
        else:
            rec.birthday = value

    def _link(
        self, links: list[tuple[str, str]], prop: _Prop, params: _Params, group_label: str
    ) -> None:
        value = one_line(self.text(prop, params))
        name = prop.name
        if name == "URL":
            hint = group_label or " ".join(params.types)
        elif name in ("X-SOCIALPROFILE", "SOCIALPROFILE"):
            hint = params.others.get("SERVICE-TYPE", "") or " ".join(params.types)
            hint = hint or group_label
            user = params.others.get("X-USER", "")
            if value.lower().startswith("x-apple:") or not value:
                # Newer Apple exports store the handle, not a URL: rebuild the profile URL.
                handle = unquote(user or value[8:])
                service = classify_link("", hint)
                template = _SOCIAL_URLS.get(service)
                value = template.format(handle) if template and handle else handle
        else:
            hint = name[2:].lower()  # X-TWITTER → twitter
        if value:
            links.append((classify_link(value, hint), value))


_CHARSET = re.compile(rb"CHARSET=\"?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def _declared_charset(data: bytes) -> str | None:
    """The one non-UTF-8 charset a vCard declares for its properties, if it declares one."""
    found = {m.group(1).decode("ascii").lower() for m in _CHARSET.finditer(data[:1_000_000])}
    found -= {"utf-8", "utf8", "us-ascii", "ascii"}
    return found.pop() if len(found) == 1 else None


def parse_vcards(data: bytes, path: str | Path, progress: Progress | None = None) -> ParseResult:
    """Every card in a vCard file; ``BadInput`` for a broken file (see the module docstring)."""
    return _Reader(str(path), progress).parse(data)
