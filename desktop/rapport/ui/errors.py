"""The one function that shows an error to the user."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from rapport.core.errors import BadInput, RapportError

log = logging.getLogger("rapport")


def error_text(exc: BaseException) -> str:
    if isinstance(exc, RapportError):
        return str(exc)
    return f"Something went wrong: {type(exc).__name__}: {exc}"


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Show ``exc`` as plain text; bad input is a warning, anything else an error with details.

    The box is opened non-modally and returned, so tests can read and close it.
    """
    box = QMessageBox(parent)
    box.setWindowTitle("Rapport")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(error_text(exc))
    if isinstance(exc, (BadInput, RapportError)):
        box.setIcon(QMessageBox.Icon.Warning)
    else:
        box.setIcon(QMessageBox.Icon.Critical)
        details = getattr(exc, "__traceback_text__", "")
        if details:
            box.setDetailedText(details)
        log.error("unexpected error: %s", exc, exc_info=exc)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("errorBox")
    box.open()
    return box
