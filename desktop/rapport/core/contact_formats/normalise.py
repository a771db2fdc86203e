"""Clean-ups every reader shares: labels, birthdays and one-line text, done the same way."""

from __future__ import annotations

import datetime as dt
import re

# Labels that readers lower-case and the vCard writer can express as TYPE parameters; any other
# label ("Zürich office") is kept as typed and written as an Apple-style X-ABLabel.
STANDARD_LABELS = frozenset(
    {"home", "work", "other", "mobile", "main", "fax", "pager", "iphone", "homepage"}
)
_ALIASES = {"cell": "mobile", "cellular": "mobile", "home page": "homepage", "business": "work"}
_PLACES = ("home", "work", "other")
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_FULL_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def label_from_types(types: list[str]) -> str:
    """A label from vCard TYPE values: ``["WORK", "FAX"]`` → "work fax", ``["CELL"]`` → "mobile"."""
    places: list[str] = []
    kinds: list[str] = []
    for raw in types:
        t = _ALIASES.get(raw.lower(), raw.lower())
        if t in ("internet", "pref", "voice", "x400", "x-internet", "postal", "parcel"):
            continue
        if t in ("dom", "intl", "text", "uri"):
            continue
        bucket = places if t in _PLACES else kinds
        if t not in bucket:
            bucket.append(t)
    return " ".join(places + kinds)


def normalise_label(raw: str) -> tuple[str, bool]:
    """``(label, primary)`` from a file's label: Google's "* Work" is primary, Apple's
    ``_$!<Mobile>!$_`` is "mobile"; standard labels are lower-cased, custom ones kept."""
    text = raw.strip()
    primary = text.startswith("*")
    if primary:
        text = text.lstrip("*").strip()
    match = _APPLE_LABEL.match(text)
    if match:
        text = match.group(1).strip()
    lower = _ALIASES.get(text.lower(), text.lower())
    if lower in STANDARD_LABELS or lower in ("work fax", "home fax"):
        return lower, primary
    return text, primary


def normalise_birthday(raw: str, omit_year: str = "") -> str | None:
    """``YYYY-MM-DD`` or ``--MM-DD``; "" for an empty value, None when it is not a date.

    ``omit_year`` is Apple's X-APPLE-OMIT-YEAR: the placeholder year it stores for "no year".
    """
    text = raw.strip()
    if not text:
        return ""
    match = _FULL_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        if omit_year and match.group(1) == omit_year.strip():
            return _month_day(month, day)
        if year == 0:
            return _month_day(month, day)
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    match = _NO_YEAR.match(text)
    if match:
        return _month_day(int(match.group(1)), int(match.group(2)))
    return None


def _month_day(month: int, day: int) -> str | None:
    try:
        dt.date(2000, month, day)  # a leap year, so --02-29 is accepted
    except ValueError:
        return None
    return f"--{month:02d}-{day:02d}"


def one_line(text: str) -> str:
    """A single-line field (a name, a title): newlines become spaces, control characters go."""
    if text.isprintable():  # the common case, in one C call
        return text.strip()
    if "\n" in text or "\r" in text or "\t" in text:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text.strip()


def multi_line(text: str) -> str:
    """Notes: newlines normalised to ``\\n``, control characters other than tab dropped."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text.strip()


def split_multi(value: str, separator: str = ":::") -> list[str]:
    """Google's "a ::: b" multi-values (or Outlook's "a;b"), stripped, empties dropped."""
    if separator not in value:
        v = value.strip()
        return [v] if v else []
    return [p.strip() for p in value.split(separator) if p.strip()]


def dedupe(items: list[str]) -> list[str]:
    """Drop repeats, keeping the first spelling and the file's order."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.casefold()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
