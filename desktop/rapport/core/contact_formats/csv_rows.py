"""Read a contacts CSV table row by row, knowing each row's first line in the file.

Shared by the LinkedIn, Google and Outlook readers: finding the header below a preamble,
guessing the delimiter (Excel's UTF-16 "Unicode text" uses tabs, some locales semicolons),
and turning the csv module's errors into ``BadInput`` on the row where the trouble starts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rapport.core.contact_formats.limits import MAX_COLUMNS, MAX_ENTRIES, too_many_entries
from rapport.core.errors import BadInput
from rapport.core.progress import Progress

_DELIMITERS = (",", ";", "\t")
HEADER_SEARCH_LINES = 30
_MAX_HEADER_CHARS = 65_536  # a real header is a few kilobytes


@dataclass
class Header:
    line: int  # 1-based line of the header row
    delimiter: str
    names: list[str]  # as written, stripped

    def index(self) -> dict[str, int]:
        """Lower-cased column name → its first position."""
        out: dict[str, int] = {}
        for i, name in enumerate(self.names):
            out.setdefault(name.lower(), i)
        return out


def first_lines(text: str, count: int = HEADER_SEARCH_LINES) -> list[str]:
    """The opening lines, split exactly as ``iter_rows`` counts them (CR, LF or CRLF)."""
    source = io.StringIO(text, newline="")
    out: list[str] = []
    for _ in range(count):
        line = source.readline()
        if not line:
            break
        out.append(line.rstrip("\r\n"))
    return out


def _parse_line(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def find_header(
    lines: list[str], accept: Callable[[set[str]], bool], search: int = HEADER_SEARCH_LINES
) -> Header | None:
    """The first of the opening ``search`` lines that ``accept`` takes as a header.

    ``accept`` gets the lower-cased column names. Lines before the header (LinkedIn's
    "Notes:" preamble) are skipped.
    """
    for number, line in enumerate(lines[:search], start=1):
        if not line.strip() or len(line) > _MAX_HEADER_CHARS:
            continue
        best: list[str] = []
        best_delim = ","
        for delim in _DELIMITERS:
            fields = _parse_line(line, delim)
            if len(fields) > len(best):
                best, best_delim = fields, delim
        names = [f.strip().lstrip("\ufeff").strip() for f in best]
        if len(names) >= 2 and accept({n.lower() for n in names}):
            return Header(number, best_delim, names)
    return None


def iter_rows(
    text: str,
    header: Header,
    path: str,
    progress: Progress | None = None,
    total_lines: int = 0,
) -> Iterator[tuple[int, int, list[str]]]:
    """``(first_line, last_line, fields)`` for every non-blank row after the header.

    Rows wider than the header with non-empty extra cells are refused (the columns would
    shift); narrower rows are padded with empty cells.
    """
    source = io.StringIO(text, newline="")
    for _ in range(header.line):
        source.readline()
    reader = csv.reader(source, delimiter=header.delimiter, strict=True)
    width = len(header.names)
    if width > MAX_COLUMNS:
        raise BadInput(
            f"the header has {width:,} columns; over {MAX_COLUMNS:,} is not a contacts export",
            path,
            header.line,
        )
    consumed = header.line
    rows = 0
    entries = 0
    while True:
        start = consumed + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            detail = str(exc)
            if "field larger than field limit" in detail:
                message = "a field here runs over 128 KB — a quote that is never closed?"
            elif "unexpected end of data" in detail or "expected after" in detail:
                message = "a quote opened in this row is never closed"
            else:
                message = f"this row is not valid CSV ({detail})"
            raise BadInput(message, path, start) from exc
        consumed = header.line + reader.line_num
        rows += 1
        if progress is not None and rows % 2000 == 0:
            progress.update(consumed, total_lines, "reading CSV")
        entries += 1  # blank rows count too: a file of millions of them is no export
        if entries > MAX_ENTRIES:
            raise too_many_entries(path, start)
        if not any(f.strip() for f in fields):
            continue
        if len(fields) > width:
            if any(f.strip() for f in fields[width:]):
                raise BadInput(
                    f"this row has {len(fields)} fields but the header has {width} "
                    "(a comma in an unquoted value?)",
                    path,
                    start,
                )
            fields = fields[:width]
        elif len(fields) < width:
            fields = fields + [""] * (width - len(fields))
        yield start, consumed, fields


class Row:
    """One row, read by lower-cased column name."""

    __slots__ = ("fields", "index", "line")

    def __init__(self, line: int, fields: list[str], index: dict[str, int]) -> None:
        self.line = line
        self.fields = fields
        self.index = index

    def get(self, *names: str) -> str:
        """The first non-empty value among the columns ``names`` (stripped), or ""."""
        for name in names:
            i = self.index.get(name)
            if i is not None:
                value = self.fields[i].strip()
                if value:
                    return value
        return ""

    def raw(self, name: str) -> str:
        """A value with its inner whitespace and newlines kept (notes, streets)."""
        i = self.index.get(name)
        return self.fields[i] if i is not None else ""
