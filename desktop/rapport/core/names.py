"""Name normalisation shared by matching, search and sorting."""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")
_TITLES = {"dr", "mr", "mrs", "ms", "prof", "sir", "dame", "mx"}


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` (``Zoë`` → ``zoe``); CJK is kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", stripped.casefold()).strip()


def name_key(name: str) -> str:
    """A key under which 'Jane Doe', 'doe, jane' and 'Dr. Jane Doe' meet; '' for no name."""
    folded = _PUNCT.sub(" ", fold(name))
    tokens = [t for t in folded.split() if t not in _TITLES]
    return " ".join(sorted(tokens))


def split_name(name: str) -> tuple[str, str]:
    """Best-effort (given, family) from a display name: 'Jane Q. Doe' → ('Jane', 'Doe')."""
    parts = name.strip().split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return parts[0], ""
    return parts[0], parts[-1]


def first_name(name: str, given: str = "") -> str:
    return given.strip() or split_name(name)[0]
