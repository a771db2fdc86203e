"""Icons from resources/icons (SVG), cached; a missing icon is an empty one, not a crash."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from rapport.resources import resource


@cache
def icon(name: str) -> QIcon:
    path = resource("icons", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()
