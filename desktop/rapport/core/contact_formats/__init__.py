"""Reading and writing the contact files people export: vCard, LinkedIn, Google and Outlook CSV.

Pure parsing and serialising — no database, no Qt. Readers return ``ParseResult`` records;
the importer turns them into people.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rapport.core.contact_formats.csv_export import write_csv
from rapport.core.contact_formats.detect import detect_kind
from rapport.core.contact_formats.google_csv import parse_google_csv
from rapport.core.contact_formats.limits import MAX_FILE_BYTES, read_capped
from rapport.core.contact_formats.linkedin_csv import parse_linkedin
from rapport.core.contact_formats.outlook_csv import parse_outlook_csv
from rapport.core.contact_formats.records import AddressRecord, ContactRecord, ParseResult
from rapport.core.contact_formats.vcard import parse_vcards, write_vcards
from rapport.core.errors import BadInput
from rapport.core.links import classify_link, normalise_linkedin_url
from rapport.core.progress import Progress

__all__ = [
    "MAX_FILE_BYTES",
    "AddressRecord",
    "ContactRecord",
    "ParseResult",
    "classify_link",
    "detect_kind",
    "normalise_linkedin_url",
    "parse_contacts",
    "parse_google_csv",
    "parse_linkedin",
    "parse_outlook_csv",
    "parse_vcards",
    "read_contacts_file",
    "write_csv",
    "write_vcards",
]

_Parser = Callable[[bytes, "str | Path", "Progress | None"], ParseResult]
_PARSERS: dict[str, _Parser] = {
    "vcard": parse_vcards,
    "linkedin_csv": parse_linkedin,
    "google_csv": parse_google_csv,
    "outlook_csv": parse_outlook_csv,
}


def parse_contacts(data: bytes, path: str | Path, progress: Progress | None = None) -> ParseResult:
    """Detect the kind of ``data`` by content and parse it; ``BadInput`` for a calendar too."""
    kind = detect_kind(data, path)
    if kind == "ics":
        raise BadInput(
            "this is a calendar (.ics), not a contacts file: import it as a calendar", path
        )
    return _PARSERS[kind](data, path, progress)


def read_contacts_file(path: str | Path, progress: Progress | None = None) -> ParseResult:
    """Read and parse a contacts file, refusing it unread when it is over 50 MB."""
    return parse_contacts(read_capped(path), path, progress)
