"""Progress and cancellation for long core work, without Qt.

Core functions take an optional ``Progress``; the UI's background-operation helper
passes one that forwards to a progress bar, the CLI passes ``Progress.silent()``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

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
