"""The views the main window hosts, and the small interface each one offers it."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from rapport.core.changes import Changes
    from rapport.ui.main_window import MainWindow


class View(QWidget):
    """A first-class view: Contacts, Generosity or Calendar."""

    key = ""
    title = ""
    icon_name = ""  # an SVG in resources/icons, without the extension

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.ops = window.ops

    def on_changes(self, changes: Changes, initiator: object | None) -> None:
        """Refresh what ``changes`` touched; called on the GUI thread after every operation."""

    def focus_find(self) -> None:
        """Put the cursor in this view's filter box (Ctrl+F)."""

    def activated(self) -> None:
        """The user switched to this view."""


class ViewSpec(NamedTuple):
    """What the navigation needs before a view exists; ``target`` is "module:Class"."""

    key: str
    title: str
    icon_name: str
    target: str

    def load(self) -> type[View]:
        module, _, name = self.target.partition(":")
        cls = getattr(importlib.import_module(module), name)
        if not (isinstance(cls, type) and issubclass(cls, View)):
            raise TypeError(f"{self.target} is not a View")
        return cls


# The views in navigation order. A new view adds one line here. Only the one on screen is
# built before the window first paints; the others are built right after.
VIEWS = [
    ViewSpec("contacts", "Contacts", "contacts", "rapport.ui.contacts.view:ContactsView"),
    ViewSpec("generosity", "Generosity", "generosity", "rapport.ui.generosity.view:GenerosityView"),
    ViewSpec("calendar", "Calendar", "calendar", "rapport.ui.calendar.view:CalendarView"),
]
