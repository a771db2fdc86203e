"""Tell what kind of contacts file some bytes are, by content: names and extensions lie."""

from __future__ import annotations

from pathlib import Path

from rapport.core.contact_formats.csv_rows import HEADER_SEARCH_LINES, find_header
from rapport.core.contact_formats.decoding import decode_head, split_lines
from rapport.core.contact_formats.google_csv import is_google_header
from rapport.core.contact_formats.limits import check_size
from rapport.core.contact_formats.linkedin_csv import is_linkedin_header
from rapport.core.contact_formats.outlook_csv import is_outlook_header
from rapport.core.errors import BadInput

KINDS = ("vcard", "linkedin_csv", "google_csv", "outlook_csv", "ics")
UNKNOWN = (
    "not a contacts file we know (expected vCard, LinkedIn Connections.csv or Google Contacts CSV)"
)


def detect_kind(data: bytes, path: str | Path) -> str:
    """One of ``KINDS``; ``BadInput`` for anything else.

    "ics" (a calendar) is recognised so callers can send it to the calendar import instead.
    """
    check_size(len(data), path)
    lines = split_lines(decode_head(data))
    first = next((line.strip().strip("\x00") for line in lines if line.strip()), "")
    lines = lines[:HEADER_SEARCH_LINES]
    opening = first.upper().replace(" ", "")
    if opening == "BEGIN:VCARD":
        return "vcard"
    if opening == "BEGIN:VCALENDAR":
        return "ics"
    # LinkedIn first: its header is also a plausible Outlook header.
    for kind, accept in (
        ("linkedin_csv", is_linkedin_header),
        ("google_csv", is_google_header),
        ("outlook_csv", is_outlook_header),
    ):
        if find_header(lines, accept) is not None:
            return kind
    raise BadInput(UNKNOWN, path)
