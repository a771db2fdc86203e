"""Errors that reach the user as one clear line (the CLI exits 2 for BadInput)."""

from __future__ import annotations

from pathlib import Path


class RapportError(Exception):
    """Something the user should read; never shown with a traceback."""


class BadInput(RapportError):
    """Input we refuse: a broken or hostile file, an unknown name, a bad value.

    ``str(err)`` is the one line the user sees: ``FILE: line 12: message``.
    """

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = []
        if self.path:
            parts.append(self.path)
        if self.line is not None:
            parts.append(f"line {self.line}")
        parts.append(self.message)
        return ": ".join(parts)


class NotFound(BadInput):
    """A person, circle, goal or backup named by the user does not exist."""


class Ambiguous(BadInput):
    """A name matches more than one thing; the user must be more specific."""


class Cancelled(RapportError):
    """The user cancelled a long operation; nothing was changed."""

    def __init__(self, message: str = "cancelled") -> None:
        super().__init__(message)
