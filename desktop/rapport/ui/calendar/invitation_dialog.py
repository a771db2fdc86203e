"""The coffee invitation: an editable email (To, Subject, Body) from the invitation template,
sent through the user's own email app as a ``mailto:`` link, or saved as an ``.ics``
invitation. Either marks the meeting invited (undoably).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rapport.core import invitations, meetings
from rapport.core.changes import Changes
from rapport.core.invitations import Invitation
from rapport.core.progress import Progress
from rapport.store import settings
from rapport.ui.calendar.data import meeting_title
from rapport.ui.calendar.trip_panel import plain
from rapport.ui.errors import error_text

if TYPE_CHECKING:
    from rapport.ui.main_window import MainWindow

NO_ORGANIZER = (
    "To save an .ics invitation, put your name and email address in Edit ▸ Preferences "
    "(You): the invitation comes from you."
)
NO_EMAIL = (
    "{name} has no email address in Rapport: type one in To, or add it to their record in Contacts."
)


def open_url(url: str) -> bool:
    """Hand a ``mailto:`` link to the user's email app (tests replace this function)."""
    return bool(QDesktopServices.openUrl(QUrl(url, QUrl.ParsingMode.TolerantMode)))


def choose_save_path(parent: QWidget | None, suggested: str) -> Path | None:
    """Ask where to save a file (tests replace this function)."""
    name, _ = QFileDialog.getSaveFileName(
        parent, "Save invitation", str(Path.home() / suggested), "Calendar invitation (*.ics)"
    )
    return Path(name) if name else None


def split_addresses(text: str) -> list[str]:
    return [a.strip() for a in re.split(r"[,;]", text) if a.strip()]


@dataclass(frozen=True)
class Loaded:
    """What the dialog shows: the draft, the meeting's state, and whether .ics can be made."""

    invitation: Invitation
    status: str
    title: str
    people: tuple[str, ...]
    has_organizer: bool


def file_slug(text: str) -> str:
    slug = re.sub(r"[^\w]+", "-", text.casefold(), flags=re.UNICODE).strip("-")
    return slug[:60] or "invitation"


class InvitationDialog(QDialog):
    """Edit and send one meeting's invitation; closing it sends nothing."""

    def __init__(self, window: MainWindow, meeting_id: int, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.window_ = window
        self.meeting_id = meeting_id
        self.invitation: Invitation | None = None
        self.status = ""
        self.people: tuple[str, ...] = ()
        self.setObjectName("invitationDialog")
        self.setWindowTitle("Invite for coffee")
        self.resize(560, 460)

        layout = QVBoxLayout(self)
        self.intro = plain("Loading the invitation…")
        self.intro.setObjectName("invitationIntro")
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.to = QLineEdit()
        self.to.setObjectName("invitationTo")
        self.to.setPlaceholderText("name@example.com")
        self.subject = QLineEdit()
        self.subject.setObjectName("invitationSubject")
        self.body = QPlainTextEdit()
        self.body.setObjectName("invitationBody")
        self.body.setTabChangesFocus(True)
        form.addRow("To:", self.to)
        form.addRow("Subject:", self.subject)
        form.addRow("Message:", self.body)
        layout.addLayout(form, 1)
        self.warning = plain()
        self.warning.setObjectName("invitationWarning")
        self.warning.setStyleSheet("color: #b06000;")
        self.warning.hide()
        layout.addWidget(self.warning)
        self.outcome = plain()
        self.outcome.setObjectName("invitationOutcome")
        self.outcome.hide()
        layout.addWidget(self.outcome)

        self.buttons = QDialogButtonBox()
        self.email_button: QPushButton = self.buttons.addButton(
            "Open in email app", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.email_button.setObjectName("openEmailButton")
        self.email_button.setToolTip("Opens a draft in your email app; you press Send there")
        self.ics_button: QPushButton = self.buttons.addButton(
            "Save .ics invitation…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.ics_button.setObjectName("saveIcsButton")
        self.ics_button.setToolTip("A calendar invitation to attach or send from your calendar")
        self.close_button: QPushButton = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Close
        )
        self.close_button.setObjectName("closeButton")
        self.email_button.clicked.connect(self.open_in_email)
        self.ics_button.clicked.connect(self.save_ics)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        # Enter sends (trip, Invite for coffee, Enter). Set once the button is inside the
        # dialog, so the dialog remembers it as its default when focus moves around.
        self.email_button.setDefault(True)
        self.finished.connect(self.deleteLater)
        self.load()

    # -- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        mid = self.meeting_id

        def query(_p: Progress) -> Loaded:
            meeting = meetings.get_meeting(mid)
            return Loaded(
                invitations.invitation_for(mid),
                meeting.status,
                meeting_title(meeting),
                meeting.people,
                bool(str(settings.get("me.email") or "").strip()),
            )

        self.window_.ops.query(self, query, self.show_invitation)

    def show_invitation(self, loaded: Loaded) -> None:
        invitation = loaded.invitation
        self.invitation = invitation
        self.status = loaded.status
        self.people = loaded.people
        who = ", ".join(loaded.people) or "them"
        self.setWindowTitle(loaded.title)
        self.intro.setText(
            f"Your invitation to {who}. Edit it as you like: Open in email app puts it in a new "
            "message of your email app, ready to send."
        )
        self.to.setText(", ".join(invitation.to))
        self.subject.setText(invitation.subject)
        self.body.setPlainText(invitation.body)
        notes = []
        if not invitation.to:
            notes.append(NO_EMAIL.format(name=who))
        if not loaded.has_organizer:
            notes.append(NO_ORGANIZER)
        self.warning.setText("\n".join(notes))
        self.warning.setVisible(bool(notes))
        self.ics_button.setEnabled(loaded.has_organizer)
        self.email_button.setFocus()

    # -- sending ---------------------------------------------------------------------------

    def mailto(self) -> str:
        """The link for what the fields say now (the core's own when nothing was edited)."""
        inv = self.invitation
        to = split_addresses(self.to.text())
        subject, body = self.subject.text(), self.body.toPlainText()
        if inv is not None and (to, subject, body) == (list(inv.to), inv.subject, inv.body):
            return str(inv.mailto)
        return invitations.mailto_url(to, subject, body)

    def open_in_email(self) -> None:
        if self.invitation is None:
            return
        if not open_url(self.mailto()):
            self._say("Rapport could not open an email app. Copy the message from here instead.")
            return
        self._say("The draft is open in your email app: send it from there.")
        self.mark_invited()
        self.accept()

    def save_ics(self) -> None:
        if self.invitation is None:
            return
        suggested = f"coffee-{file_slug(' '.join(self.people))}.ics"
        path = choose_save_path(self, suggested)
        if path is None:
            return
        mid = self.meeting_id

        def write(_p: Progress) -> Path:
            path.write_bytes(invitations.invitation_ics(mid))
            return path

        def done(saved: Path) -> None:
            if not shiboken6.isValid(self):
                return
            self._say(f"Saved {saved.name}: attach it to your email or open it in your calendar.")
            self.mark_invited()

        def failed(error: BaseException) -> None:
            if shiboken6.isValid(self):
                self._say(error_text(error))

        self.window_.ops.query(self, write, done, failure=failed)

    def mark_invited(self) -> None:
        if self.status != "suggested":
            return
        self.status = "invited"
        mid = self.meeting_id

        def op(_p: Progress) -> Changes:
            return meetings.set_meeting_status(mid, "invited")

        who = ", ".join(self.people) or "meeting"
        # The window, not the dialog, owns the operation: the dialog may be gone when it ends.
        self.window_.ops.change(self.window_, f"Invite {who}", op)

    def _say(self, text: str) -> None:
        self.outcome.setText(text)
        self.outcome.show()
        self.window_.statusBar().showMessage(text, 8000)


def open_invitation(window: MainWindow, meeting_id: int) -> InvitationDialog:
    dialog = InvitationDialog(window, meeting_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    dialog.open()
    return dialog
