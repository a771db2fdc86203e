"""Every calendar of icalendar's own test corpus is read or refused cleanly, and quickly.

The corpus (198 files, many broken on purpose) lives at ``../shared/corpus/icalendar/``
relative to the repository root; see its NOTICE.md and LICENSE.rst (BSD, the icalendar
project). Where both readers accept a file, the fast reader agrees with icalendar's.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from icalendar.timezone import tzp

from rapport.core.calendar.ics_full import parse_ics_full
from rapport.core.calendar.ics_parse import default_window, parse_ics
from rapport.core.calendar.records import EventRecord
from rapport.core.errors import BadInput

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "icalendar"
FILES = sorted(CORPUS.rglob("*.ics")) if CORPUS.is_dir() else []
WINDOW = default_window(date(2026, 11, 27))

pytestmark = pytest.mark.skipif(
    not FILES, reason=f"the icalendar corpus is not at {CORPUS} (../shared/corpus/icalendar)"
)

# Recorded on the corpus at icalendar commit 851cb477 (see NOTICE.md).
EXPECTED_COUNTS = {"read": 173, "refused": 25}
EXPECTED_REFUSALS = {
    "binary file": 1,  # a NUL byte
    "the file ends inside it": 6,  # no END:VCALENDAR: a truncated download must not import
    "not an iCalendar file": 18,  # no VCALENDAR: lone VTODO/VALARM/VTIMEZONE..., junk
}
# Where the fast reader is deliberately more lenient than icalendar.
LENIENT = {"tests/calendars/broken_ical.ics"}  # "DTSTART;;VALUE=..." (an empty parameter)


def _name(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def _read(path: Path) -> tuple[str, str]:
    """("read", "") or ("refused", the message); any other exception fails the test."""
    started = time.perf_counter()
    refusal: BadInput | None = None
    try:
        parse_ics(path.read_bytes(), _name(path), window=WINDOW)
    except BadInput as err:
        refusal = err
    assert time.perf_counter() - started < 5, f"{_name(path)} took too long"
    if refusal is None:
        return "read", ""
    assert refusal.path == _name(path) and refusal.message
    return "refused", refusal.message


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_each_file_is_read_or_refused(path: Path) -> None:
    _read(path)  # anything but BadInput fails the test


def test_the_counts_are_the_recorded_ones() -> None:
    outcomes = [_read(path) for path in FILES]
    counts = Counter(outcome for outcome, _ in outcomes)
    assert dict(counts) == EXPECTED_COUNTS
    reasons = Counter(
        next((key for key in EXPECTED_REFUSALS if key in reason), reason)
        for outcome, reason in outcomes
        if outcome == "refused"
    )
    assert dict(reasons) == EXPECTED_REFUSALS


def _comparable(events: list[EventRecord]) -> dict[tuple[str, str], EventRecord]:
    return {(e.uid, e.recurrence_id): replace(e, line=0, content_hash="") for e in events}


@pytest.mark.filterwarnings("ignore::icalendar.error.GloballyUniqueTZIDGuessed")
def test_fast_reader_agrees_with_icalendar_where_both_read_the_file() -> None:
    agree, icalendar_failed = 0, 0
    for path in FILES:
        data = path.read_bytes()
        try:
            fast = parse_ics(data, _name(path), window=WINDOW)
        except BadInput:
            continue
        tzp.use_zoneinfo()  # icalendar caches VTIMEZONEs process-wide; start clean
        try:
            full = parse_ics_full(data, _name(path), window=WINDOW)
        except Exception:
            icalendar_failed += 1  # broken on purpose; the fast reader coped
            continue
        if _name(path) in LENIENT:
            continue
        assert _comparable(fast.events) == _comparable(full.events), _name(path)
        agree += 1
    assert (agree, icalendar_failed) == (160, 12)
