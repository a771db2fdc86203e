"""Progress and cancellation for long core work, without Qt.

Core functions take an optional ``Progress``; the UI's background-operation helper
passes one that forwards to a progress bar, the CLI passes ``Progress.silent()``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from rapport.core.errors import Cancelled

Reporter = Callable[[int, int, str], None]


class Progress:
    """Counts work done; ``check()`` raises ``Cancelled`` once cancel() was called."""

    def __init__(self, report: Reporter | None = None) -> None:
        self._report = report
        self._cancel = threading.Event()

    @classmethod
    def silent(cls) -> Progress:
        return cls(None)

    def update(self, done: int, total: int, label: str = "") -> None:
        """Report ``done`` of ``total`` (total 0 means unknown) and honour cancellation."""
        self.check()
        if self._report is not None:
            self._report(done, total, label)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


def drop_gradually(items: list[Any], step: int = 1000) -> None:
    """Empty a big list a slice at a time.

    Freeing 20,000 parsed records in one go is a single long C call that holds the GIL and
    freezes the window; slice by slice, other threads get their turn in between.
    """
    while items:
        del items[-step:]
