"""Reading iCalendar text fast: decoding, finding components, and pulling out the few
properties Rapport uses, without building icalendar's full object tree.

Everything here works on whole-text regular expressions and slices so the cost is a few
C-speed passes over the file plus a little Python per component, not per character.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

from rapport.core.calendar.limits import Limits
from rapport.core.errors import BadInput

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode(data: bytes, path: str | Path, limits: Limits) -> tuple[str, list[str]]:
    """The file's text with LF line ends, a leading LF, and the warnings decoding raised.

    UTF-8 is decoded strictly; a file that is not UTF-8 is read as Windows-1252 (or
    Latin-1 when even that fails) and the warning says so. The leading LF lets every
    line, the first included, be found by a pattern that starts with ``\\n``.
    """
    warnings: list[str] = []
    if len(data) > limits.max_bytes:
        raise BadInput(
            f"the file is {len(data) / 1e6:.1f} MB; calendars over "
            f"{limits.max_bytes / 1e6:.0f} MB are refused",
            path,
        )
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    if encoding != "utf-8":
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise BadInput(f"the file claims {encoding} but is not", path) from None
        text = "\n" + _lf(text)
    else:
        # Line ends are fixed on the bytes: a str of non-Latin text takes up to four
        # bytes a character, so the one decoded copy should be the last one.
        if b"\x00" in data:
            raise BadInput("this is a binary file, not an iCalendar file", path)
        data = b"\n" + _lf_bytes(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start)
            try:
                text, used = data.decode("cp1252"), "Windows-1252"
            except UnicodeDecodeError:
                text, used = data.decode("latin-1"), "Latin-1"
            warnings.append(
                f"line {line}: the file is not valid UTF-8 (byte 0x{data[err.start]:02X}); "
                f"it was read as {used}, so check accented letters"
            )
    _check_line_length(text, path, limits)
    return text, warnings


def _lf(text: str) -> str:
    """CRLF (or a classic Mac's lone CR) line ends as LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n") if "\n" in text else text.replace("\r", "\n")


def _lf_bytes(data: bytes) -> bytes:
    if b"\r" not in data:
        return data
    return data.replace(b"\r\n", b"\n") if b"\n" in data else data.replace(b"\r", b"\n")


def _check_line_length(text: str, path: str | Path, limits: Limits) -> None:
    cap = limits.max_line_chars
    if len(text) <= cap:
        return
    found = re.compile(rf"\n[^\n]{{{cap}}}").search(text)
    if found is not None:
        raise BadInput(
            f"a line is longer than {cap:,} characters; no calendar program writes that",
            path,
            text.count("\n", 0, found.start() + 1),
        )


class Block:
    """One component: where its text starts and ends, its line, and its sub-components.

    ``start`` is the offset of the LF before its BEGIN line and ``end`` the offset of the
    LF after its END line, so ``text[start:end]`` is the component's own text and every
    property line in it is found after an LF.
    """

    __slots__ = ("children", "end", "line", "name", "parent", "start")

    def __init__(self, name: str, start: int, line: int, parent: Block | None) -> None:
        self.name = name
        self.start = start
        self.end = start
        self.line = line
        self.parent = parent
        self.children: list[Block] = []

    def own_segments(self) -> Iterator[tuple[int, int]]:
        """The spans of this component's text that do not belong to a sub-component."""
        pos = self.start
        for child in self.children:
            yield pos, child.start
            pos = child.end
        yield pos, self.end


_MARK = re.compile(r"\n(BEGIN|END)[ \t]*:[ \t]*([^\n]*)", re.IGNORECASE)
_COMPONENT_NAME = re.compile(r"[A-Za-z0-9-]{1,64}")


def scan_blocks(text: str, path: str | Path, limits: Limits, warnings: list[str]) -> list[Block]:
    """The top-level components of ``text`` (from :func:`decode`), each with its children.

    Refuses nesting deeper than the limit, too many components and a file that ends
    inside a component (a truncated download must not look like deleted events).
    """
    top: list[Block] = []
    stack: list[Block] = []
    count = 0
    line = 0  # the LF that decode() puts first counts as the start of line 1
    counted_to = 0
    names: dict[str, str] = {}  # raw component name -> clean name ("" if invalid)
    for m in _MARK.finditer(text):
        pos = m.start()
        word, raw = m.group(1, 2)
        name = names.get(raw)
        if name is None:
            name = raw.strip().upper()
            name = names[raw] = name if _COMPONENT_NAME.fullmatch(name) else ""
        if not name:
            warnings.append(
                f"line {line_of(text, pos + 1)}: {m.group(0).strip()[:40]!r} "
                "is not a component; ignored"
            )
            continue
        if word[0] in "Bb":
            line += text.count("\n", counted_to, pos + 1)
            counted_to = pos + 1
            count += 1
            if count > limits.max_components:
                raise BadInput(
                    f"more than {limits.max_components:,} components; refused", path, line
                )
            if len(stack) >= limits.max_depth:
                raise BadInput(
                    f"components nested more than {limits.max_depth} deep; no calendar needs that",
                    path,
                    line,
                )
            parent = stack[-1] if stack else None
            block = Block(name, pos, line, parent)
            (parent.children if parent else top).append(block)
            stack.append(block)
        elif stack and stack[-1].name == name:
            stack.pop().end = m.end()
        elif any(b.name == name for b in stack):
            while stack[-1].name != name:
                inner = stack.pop()
                inner.end = pos
                warnings.append(f"line {inner.line}: {inner.name} is not closed before END:{name}")
            stack.pop().end = m.end()
        else:
            warnings.append(
                f"line {line_of(text, pos + 1)}: END:{name} without BEGIN:{name} was ignored"
            )
    if stack:
        first = stack[0]
        raise BadInput(
            f"BEGIN:{first.name} is never closed: the file ends inside it (incomplete download?)",
            path,
            first.line,
        )
    return top


# Only the properties Rapport reads; everything else is skipped by the regex engine.
# Parameters: ";" then unquoted characters or "quoted" runs (a quoted value may hold ":").
_PROPERTY = re.compile(
    r"\n(UID|RECURRENCE-ID|DTSTART|DTEND|DURATION|SUMMARY|LOCATION|DESCRIPTION|STATUS|URL|"
    r"ORGANIZER|RRULE|RDATE|EXDATE|SEQUENCE)"
    r"((?:;(?:[^\";:\n]++|\"[^\"\n]*+\")*+)*+):([^\n]*)",
    re.IGNORECASE,
)
_CALENDAR_PROPERTY = re.compile(
    r"\n(X-WR-TIMEZONE|X-WR-CALNAME|TZID)((?:;(?:[^\";:\n]++|\"[^\"\n]*+\")*+)*+):([^\n]*)",
    re.IGNORECASE,
)
# A fold is a line break followed by one space or tab; icalendar also drops blank lines
# between a line and its continuation, which only the rare file needs.
_FOLD_WITH_BLANKS = re.compile(r"(?<!\n)\n++[ \t]")

Properties = dict[str, list[tuple[str, str]]]


def unfold(segment: str, blank_folds: bool) -> str:
    if blank_folds:
        return _FOLD_WITH_BLANKS.sub("", segment)
    if "\n " in segment:
        segment = segment.replace("\n ", "")
    if "\n\t" in segment:
        segment = segment.replace("\n\t", "")
    return segment


def has_blank_folds(text: str) -> bool:
    """Whether the text has continuation lines after blank lines (needs the slow unfold)."""
    return "\n\n " in text or "\n\n\t" in text


_MULTI_VALUED = ("RRULE", "RDATE", "EXDATE")


def read_properties(text: str, block: Block, blank_folds: bool) -> Properties:
    """The properties Rapport reads from one component, name upper-cased, in file order.

    Each value is ``(params, raw value)``; sub-components (alarms) are skipped.
    """
    if block.children:
        segment = "".join(text[a:b] for a, b in block.own_segments())
    else:
        segment = text[block.start : block.end]
    found = _PROPERTY.findall(unfold(segment, blank_folds))
    # Most properties appear once: keep the first (a reversed dict build is C-speed);
    # only the repeatable recurrence ones are collected as lists.
    first = {name.upper(): [(params, value)] for name, params, value in reversed(found)}
    for key in _MULTI_VALUED:
        if key in first:
            first[key] = [(p, v) for n, p, v in found if n.upper() == key]
    return first


def read_calendar_properties(text: str, block: Block, blank_folds: bool) -> Properties:
    """X-WR-TIMEZONE, X-WR-CALNAME and TZID written directly in ``block``."""
    props: Properties = {}
    for start, end in block.own_segments():
        if end - start < 8:
            continue
        segment = unfold(text[start:end], blank_folds)
        for name, params, value in _CALENDAR_PROPERTY.findall(segment):
            props.setdefault(name.upper(), []).append((params, value))
    return props


@functools.lru_cache(maxsize=4096)
def parse_params(params: str) -> dict[str, str]:
    """``;TZID="W. Europe Standard Time";VALUE=DATE`` as an upper-cased-key dict.

    Cached (calendars repeat the same few parameter strings): do not modify the result.
    """
    out: dict[str, str] = {}
    if not params:
        return out
    parts = params[1:].split(";") if '"' not in params else _split_quoted(params[1:])
    for part in parts:
        key, _, value = part.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
            value = value[1:-1]
        out.setdefault(key.strip().upper(), value)
    return out


def _split_quoted(params: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in params:
        if ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


_ESCAPE = re.compile(r"\\([\\,;:nN])")


def _unescape_match(m: re.Match[str]) -> str:
    ch = m.group(1)
    return "\n" if ch in "nN" else ch


def unescape(value: str) -> str:
    """RFC 5545 TEXT unescaping, exactly as icalendar does it (one pass)."""
    if "\\" not in value:
        return value
    return _ESCAPE.sub(_unescape_match, value)


def line_of(text: str, offset: int) -> int:
    """The 1-based line number of ``offset`` in a text from :func:`decode`."""
    return text.count("\n", 0, offset + 1)
