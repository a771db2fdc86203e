"""The Contacts view's keyboard shortcuts, in one place (Ctrl+F, Ctrl+Z and Ctrl+Shift+Z
belong to the main window: find, undo, redo)."""

from __future__ import annotations

SHORTCUTS: dict[str, str] = {
    "new_person": "Ctrl+N",
    "archive": "Ctrl+Shift+A",
    "merge": "Ctrl+Shift+M",
    "add_to_circle": "Ctrl+Shift+C",
    "link_goal": "Ctrl+Shift+G",
    "edit": "F2",
    "delete": "Del",
}
