"""The bounds that keep a hostile or broken calendar from exhausting memory or time."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps applied while reading one ``.ics`` file; exceeding most of them refuses the file.

    The defaults leave room for real exports (a 40 MB calendar with inline attachments
    imports) while refusing what no calendar program writes.
    """

    max_bytes: int = 50 * 1024 * 1024
    max_line_chars: int = 1_000_000  # one physical line; folded exports stay under 75
    max_depth: int = 5  # VCALENDAR > VEVENT > VALARM is 3; VTIMEZONE > STANDARD is 3
    max_components: int = 500_000
    # Recurrence: occurrences inside the window, per series (extra ones are dropped with
    # a warning) and for the whole file (more refuses the file).
    max_occurrences_per_series: int = 2_000
    max_occurrences: int = 50_000
    # Work to expand a rule, in days the rule engine walks from DTSTART to the window's end
    # (divided by INTERVAL); a series above the first is imported as its first occurrence,
    # a file above the second is refused.
    max_expansion_days_per_series: int = 150_000
    max_expansion_days: int = 1_500_000
    max_dates_per_series: int = 10_000  # RDATE and EXDATE values of one series
    # Wall-clock backstop for all recurrence expansion of one file; past it, refused.
    max_expansion_seconds: float = 10.0


DEFAULT_LIMITS = Limits()
