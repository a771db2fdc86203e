"""What an empty journal shows instead of an empty tree: what to do, and three ways to start."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess, QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from rapport.ui.contacts.plain import label
from rapport.ui.icons import icon


def sample_command(data_dir: Path) -> tuple[str, list[str]]:
    """The program and arguments that open the sample journal beside ``data_dir``'s."""
    args = ["--demo", "--data-dir", str(data_dir)]
    if getattr(sys, "frozen", False):  # a bundled app: the executable is Rapport itself
        return sys.executable, args
    return sys.executable, ["-m", "rapport", *args]


def launch_sample(data_dir: Path) -> bool:
    """Start ``rapport --demo`` as its own process; the user's journal stays as it is."""
    program, args = sample_command(data_dir)
    started = QProcess.startDetached(program, args)
    return bool(started[0] if isinstance(started, tuple) else started)


class EmptyState(QWidget):
    add_person = Signal()
    import_contacts = Signal()
    try_sample = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        column = QVBoxLayout()
        column.setSpacing(10)
        logo = label()
        logo.setPixmap(icon("rapport").pixmap(QSize(64, 64)))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = label("Start your people plan")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = label(
            "Rapport keeps the people who matter to what you want to achieve: group them by "
            "goal, circle, city or organisation, and note who you still need to know.\n\n"
            "Add someone by hand, import your contacts (vCard, LinkedIn's Connections.csv, "
            "Google Contacts CSV), or look around a sample journal first — it opens in its own "
            "window and never touches yours."
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setMaximumWidth(520)
        column.addWidget(logo)
        column.addWidget(title)
        column.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        self.add_button = QPushButton(icon("person"), "Add a person")
        self.import_button = QPushButton(icon("import"), "Import contacts")
        self.sample_button = QPushButton(icon("sample"), "Try it with sample data")
        for button in (self.add_button, self.import_button, self.sample_button):
            button.setIconSize(QSize(20, 20))
            button.setMinimumHeight(36)
            buttons.addWidget(button)
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add_person)
        self.import_button.clicked.connect(self.import_contacts)
        self.sample_button.clicked.connect(self.try_sample)
        column.addSpacing(8)
        column.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(column)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(3)
