"""The views the main window hosts, and the small interface each one offers it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from rapport.core.changes import Changes

if TYPE_CHECKING:
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


ViewFactory = Callable[["MainWindow"], View]


def view_factories() -> list[ViewFactory]:
    """The views in navigation order. A new view adds one line here."""
    from rapport.ui.contacts.view import ContactsView

    return [ContactsView]
