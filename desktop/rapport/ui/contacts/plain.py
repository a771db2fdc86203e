"""Showing people's text as plain text where Qt would read it as markup or a mnemonic.

Item views and line edits already draw plain text. Tooltips guess (``Qt::mightBeRichText``),
labels guess unless told, and menus, buttons and check boxes turn ``&`` into a shortcut.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def tooltip(*lines: str) -> str:
    """Rich text that shows ``lines`` literally (one per line): Qt cannot misread it."""
    body = "<br>".join(html.escape(line) for line in lines if line)
    return f"<p style='white-space:pre-wrap'>{body}</p>" if body else ""


def menu_text(text: str) -> str:
    """``text`` for a menu entry, button or check box: a literal ``&`` stays an ampersand."""
    return text.replace("&", "&&")


def label(text: str = "", parent: QWidget | None = None, *, selectable: bool = False) -> QLabel:
    """A QLabel that never interprets markup."""
    widget = QLabel(parent)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setText(text)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget
