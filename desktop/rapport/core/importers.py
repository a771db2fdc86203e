"""The one entry point for importing files, for ``rapport import`` and the window alike.

Files are recognised by their content, never their name. ``read_files`` reads and parses
every file before anything is written, so one bad file refuses the whole batch with a
``BadInput`` naming the file and line. ``import_files`` then writes everything in one
transaction.

Which kinds are understood is the ``HANDLERS`` registry: a kind (as ``detect_kind`` names
it) maps to the family that imports it, the function that parses its bytes, and the function
that writes a family's parsed files. A new family adds itself with one line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from rapport.core import contacts_import
from rapport.core.calendar import sources as ics_sources
from rapport.core.contact_formats import (
    parse_google_csv,
    parse_linkedin,
    parse_outlook_csv,
    parse_vcards,
)
from rapport.core.contact_formats.detect import detect_kind
from rapport.core.contact_formats.limits import read_capped
from rapport.core.contacts_import import FileReport
from rapport.core.errors import BadInput
from rapport.core.progress import Progress
from rapport.store.models import db_proxy

Parse = Callable[[bytes, str, Progress | None], Any]


class ReadFile(NamedTuple):
    """One parsed input: the path as the user gave it, its kind, and what the parser made."""

    path: str
    kind: str
    result: Any  # a ParseResult for contacts; each family defines its own


Write = Callable[[Sequence[ReadFile], Progress], list[FileReport]]


@dataclass(frozen=True)
class Handler:
    family: str  # files of one family are planned and written together
    parse: Parse
    write: Write


def _write_contacts(files: Sequence[ReadFile], progress: Progress) -> list[FileReport]:
    result = contacts_import.import_parsed([(f.path, f.result) for f in files], progress)
    return result.files


def _contacts(parse: Parse) -> Handler:
    return Handler("contacts", parse, _write_contacts)


HANDLERS: dict[str, Handler] = {
    "vcard": _contacts(parse_vcards),
    "linkedin_csv": _contacts(parse_linkedin),
    "google_csv": _contacts(parse_google_csv),
    "outlook_csv": _contacts(parse_outlook_csv),
    "ics": Handler("calendar", ics_sources.parse_for_import, ics_sources.write_for_import),
}
KIND_NAMES = {
    "vcard": "vCard",
    "linkedin_csv": "LinkedIn connections",
    "google_csv": "Google Contacts CSV",
    "outlook_csv": "Outlook contacts CSV",
    "ics": "calendar",
}


def handler_for(kind: str, path: str) -> Handler:
    handler = HANDLERS.get(kind)
    if handler is None:
        raise BadInput(f"{KIND_NAMES.get(kind, kind)} files cannot be imported", path)
    return handler


def read_file(path: str | Path, progress: Progress | None = None) -> ReadFile:
    """Read (at most the size cap), detect by content and parse one file; BadInput if bad."""
    name = str(path)
    data = read_capped(name)
    kind = detect_kind(data, name)
    handler = handler_for(kind, name)
    return ReadFile(name, kind, handler.parse(data, name, progress))


def read_files(paths: Iterable[str | Path], progress: Progress | None = None) -> list[ReadFile]:
    """Every file read and parsed, in order; the first bad one raises and nothing is kept."""
    paths = list(paths)
    out = []
    for i, path in enumerate(paths):
        if progress is not None:
            progress.update(i, len(paths), f"Reading {Path(path).name}…")
        out.append(read_file(path, progress))
    return out


def write_files(files: Sequence[ReadFile], progress: Progress | None = None) -> list[FileReport]:
    """Import parsed files in ONE transaction; reports in the order the files were given."""
    progress = progress or Progress.silent()
    families: dict[str, list[int]] = {}
    for i, f in enumerate(files):
        families.setdefault(handler_for(f.kind, f.path).family, []).append(i)
    reports: list[FileReport | None] = [None] * len(files)
    with db_proxy.atomic("IMMEDIATE"):
        for indexes in families.values():
            group = [files[i] for i in indexes]
            written = HANDLERS[group[0].kind].write(group, progress)
            for i, report in zip(indexes, written, strict=True):
                reports[i] = report
    return [r for r in reports if r is not None]


def import_files(paths: Iterable[str | Path], progress: Progress | None = None) -> list[FileReport]:
    """Read every file first (a bad one writes nothing), then import them all at once."""
    return write_files(read_files(paths, progress), progress)
