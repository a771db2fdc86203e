"""Bounds on untrusted contact files, so a hostile or broken file is refused quickly."""

from __future__ import annotations

from pathlib import Path

from rapport.core.errors import BadInput

MAX_FILE_BYTES = 50 * 1024 * 1024
# Cards or rows per file, skipped ones included. Google and iCloud stop at 25,000 and 50,000
# contacts, LinkedIn at 30,000 connections; a file of millions of tiny cards is an attack.
MAX_ENTRIES = 100_000
# Lines per file: a 50 MB export with photos has under a million; tens of millions of tiny
# lines would only cost memory and time.
MAX_LINES = 5_000_000
# Values kept per file (properties of every card, or emails, phones, addresses, links and
# categories of every row): 25,000 real contacts carry a few hundred thousand. Each costs
# microseconds, so this is what bounds the time a hostile file of tiny values can take.
MAX_VALUES = 1_000_000
# The name and parameters of one property: real ones are under a hundred characters.
MAX_HEAD_CHARS = 10_000
# CSV columns: Google's widest export has a few hundred.
MAX_COLUMNS = 1_000
# Real cards carry tens of properties; Apple's biggest carry a few hundred (many URLs, dates).
MAX_PROPERTIES_PER_CARD = 2_000
# Physical lines, folded PHOTO data included: a 10 MB photo is about 140,000 folded lines.
MAX_LINES_PER_CARD = 250_000
# One text value (a NOTE, say); binary values are skipped, not stored, so they are not counted.
MAX_VALUE_CHARS = 1_000_000


def check_size(size: int, path: str | Path) -> None:
    """Refuse files over ``MAX_FILE_BYTES`` before spending any time on them."""
    if size > MAX_FILE_BYTES:
        raise BadInput(
            f"the file is {size / (1024 * 1024):.0f} MB; contact files over "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB are refused",
            path,
        )


def too_many_entries(path: str | Path, line: int) -> BadInput:
    return BadInput(
        f"the file holds over {MAX_ENTRIES:,} contacts; refusing it (split it into smaller files)",
        path,
        line,
    )


class ValueBudget:
    """Counts the values a file holds and refuses the file once it passes ``MAX_VALUES``."""

    def __init__(self, path: str | Path, limit: int | None = None) -> None:
        self.path = path
        self.left = MAX_VALUES if limit is None else limit
        self.limit = self.left

    def spend(self, count: int, line: int) -> None:
        self.left -= count
        if self.left < 0:
            raise BadInput(
                f"the file holds over {self.limit:,} values (emails, phones, addresses, ...); "
                "refusing it (split it into smaller files)",
                self.path,
                line,
            )


def read_capped(path: str | Path) -> bytes:
    """Read a contacts file, refusing it unread when it is over the size cap."""
    p = Path(path)
    try:
        check_size(p.stat().st_size, p)
        with p.open("rb") as f:
            # Read one byte past the cap: the file may have grown since stat().
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise BadInput(f"cannot read the file: {exc.strerror or exc}", p) from exc
    check_size(len(data), p)
    return data
