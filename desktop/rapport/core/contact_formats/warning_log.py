"""Per-file warnings, worded like BadInput (``FILE: line N: ...``) and capped."""

from __future__ import annotations


class WarningLog:
    """Collects per-file warnings, capped so a hostile file cannot fill memory with them."""

    def __init__(self, path: str, limit: int = 200) -> None:
        self.path = path
        self.limit = limit
        self.items: list[str] = []
        self._dropped = 0

    def add(self, message: str, line: int | None = None) -> None:
        if len(self.items) >= self.limit:
            self._dropped += 1
            return
        where = f"{self.path}: line {line}: " if line is not None else f"{self.path}: "
        self.items.append(where + message)

    def result(self) -> list[str]:
        if self._dropped:
            return [*self.items, f"{self.path}: … and {self._dropped} more warnings"]
        return list(self.items)
