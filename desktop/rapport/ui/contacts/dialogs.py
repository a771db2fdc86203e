"""The small dialogs of the Contacts view: new person, goal with slots, circle, pickers, merge.

Each dialog only collects values; the view turns them into a core operation on accept.
They open with ``open()`` (never ``exec()``), so tests drive them by their buttons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rapport.core.goals import ROLES, STATUSES
from rapport.ui.contacts.plain import label


class _Dialog(QDialog):
    """A dialog with OK/Cancel; OK stays disabled until ``valid()``."""

    def __init__(self, parent: QWidget | None, title: str, ok_text: str = "OK") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.layout_ = QVBoxLayout(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.buttons)
        self.update_ok()

    def valid(self) -> bool:
        return True

    def update_ok(self) -> None:
        self.ok_button.setEnabled(self.valid())

    def accept(self) -> None:
        if self.valid():
            super().accept()


def _roles_combo(current: str = "") -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(["", *ROLES])
    combo.setCurrentText(current)
    edit = combo.lineEdit()
    if edit is not None:
        edit.setPlaceholderText("expert, decision maker, connector…")
    return combo


# -- people -----------------------------------------------------------------------------------


class NewPersonDialog(_Dialog):
    def __init__(self, parent: QWidget | None, prefill: dict[str, str] | None = None) -> None:
        super().__init__(parent, "New person", "Add")
        prefill = prefill or {}
        form = QFormLayout()
        self.name = QLineEdit(prefill.get("name", ""))
        self.name.setPlaceholderText("Full name, as you would say it")
        self.organization = QLineEdit(prefill.get("organization", ""))
        self.title_ = QLineEdit(prefill.get("title", ""))
        self.city = QLineEdit(prefill.get("city", ""))
        self.city.setPlaceholderText("e.g. Boston, MA or Berlin")
        self.email = QLineEdit(prefill.get("email", ""))
        form.addRow("&Name", self.name)
        form.addRow("&Organisation", self.organization)
        form.addRow("&Title", self.title_)
        form.addRow("&City", self.city)
        form.addRow("&Email", self.email)
        self.layout_.addLayout(form)
        self.name.textChanged.connect(self.update_ok)
        self.email.textChanged.connect(self.update_ok)
        self.finish_layout()
        self.resize(420, self.sizeHint().height())

    def valid(self) -> bool:
        email = self.email.text().strip()
        return bool(self.name.text().strip()) and (not email or "@" in email)

    def values(self) -> dict[str, str]:
        return {
            "name": self.name.text().strip(),
            "organization": self.organization.text().strip(),
            "title": self.title_.text().strip(),
            "city": self.city.text().strip(),
            "email": self.email.text().strip(),
        }


class MergeDialog(_Dialog):
    """Pick the record to keep; everything of the others folds into it."""

    def __init__(self, parent: QWidget | None, people: list[tuple[int, str, str]]) -> None:
        super().__init__(parent, "Merge people", "Merge")
        self.layout_.addWidget(
            label(
                f"Merge these {len(people)} records into one. Every email, phone, link, note, "
                "circle and goal of each is kept. Which record's name and details should stay?"
            )
        )
        self.layout_.itemAt(0).widget().setWordWrap(True)  # type: ignore[union-attr]
        self.list = QListWidget()
        for pid, name, detail in people:
            item = QListWidgetItem(f"{name} — {detail}" if detail else name)
            item.setData(Qt.ItemDataRole.UserRole, pid)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.layout_.addWidget(self.list)
        self.list.currentRowChanged.connect(self.update_ok)
        self.finish_layout()
        self.resize(460, 320)

    def valid(self) -> bool:
        return self.list.currentItem() is not None

    def keep(self) -> int:
        return int(self.list.currentItem().data(Qt.ItemDataRole.UserRole))


# -- circles ----------------------------------------------------------------------------------


class CircleDialog(_Dialog):
    """Name a new circle (optionally inside another), or rename one."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        name: str = "",
        circles: list[tuple[int, str]] | None = None,
        parent_id: int | None = None,
    ) -> None:
        super().__init__(parent, title, "Save" if name else "Create")
        form = QFormLayout()
        self.name = QLineEdit(name)
        self.name.setPlaceholderText("e.g. Investors")
        form.addRow("&Name", self.name)
        self.parent_combo: QComboBox | None = None
        if circles is not None:
            self.parent_combo = QComboBox()
            self.parent_combo.addItem("(top level)", None)
            for cid, path in circles:
                self.parent_combo.addItem(path, cid)
            if parent_id is not None:
                self.parent_combo.setCurrentIndex(max(0, self.parent_combo.findData(parent_id)))
            form.addRow("&Inside", self.parent_combo)
        self.layout_.addLayout(form)
        self.name.textChanged.connect(self.update_ok)
        self.finish_layout()
        self.resize(380, self.sizeHint().height())

    def valid(self) -> bool:
        text = self.name.text().strip()
        return bool(text) and "/" not in text

    def values(self) -> tuple[str, int | None]:
        parent = self.parent_combo.currentData() if self.parent_combo is not None else None
        return self.name.text().strip(), parent


class PickCircleDialog(_Dialog):
    """Add people to an existing circle, or to a new one named here."""

    def __init__(self, parent: QWidget | None, circles: list[tuple[int, str]], who: str) -> None:
        super().__init__(parent, "Add to circle", "Add")
        self.layout_.addWidget(label(f"Add {who} to:"))
        self.list = QListWidget()
        for cid, path in circles:
            item = QListWidgetItem(path)
            item.setData(Qt.ItemDataRole.UserRole, cid)
            self.list.addItem(item)
        self.layout_.addWidget(self.list)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("…or a new circle, e.g. Community/Rust")
        self.layout_.addWidget(self.new_name)
        self.list.currentRowChanged.connect(self.update_ok)
        self.new_name.textChanged.connect(self._typed)
        if circles:
            self.list.setCurrentRow(0)
        self.finish_layout()
        self.resize(400, 380)

    def _typed(self, text: str) -> None:
        if text.strip():
            self.list.clearSelection()
            self.list.setCurrentRow(-1)
        self.update_ok()

    def valid(self) -> bool:
        return bool(self.new_name.text().strip()) or self.list.currentItem() is not None

    def choice(self) -> int | str:
        """A circle id, or the path of a circle to create."""
        typed = self.new_name.text().strip()
        if typed:
            return typed
        return int(self.list.currentItem().data(Qt.ItemDataRole.UserRole))


# -- goals ------------------------------------------------------------------------------------


class LinkGoalDialog(_Dialog):
    def __init__(
        self, parent: QWidget | None, goals: list[tuple[int, str]], who: str, goal_id: int | None
    ) -> None:
        super().__init__(parent, "Link to goal", "Link")
        self.layout_.addWidget(label(f"Link {who} to a goal:"))
        form = QFormLayout()
        self.goal = QComboBox()
        for gid, title in goals:
            self.goal.addItem(title, gid)
        if goal_id is not None:
            self.goal.setCurrentIndex(max(0, self.goal.findData(goal_id)))
        self.role = _roles_combo()
        form.addRow("&Goal", self.goal)
        form.addRow("&Role", self.role)
        self.layout_.addLayout(form)
        self.finish_layout()
        self.resize(420, self.sizeHint().height())

    def valid(self) -> bool:
        return self.goal.count() > 0

    def values(self) -> tuple[int, str]:
        return int(self.goal.currentData()), self.role.currentText().strip()


@dataclass
class GoalValues:
    title: str
    why: str
    target_date: date | None
    status: str
    slots: list[tuple[int | None, str, str]] = field(default_factory=list)  # (id, desc, role)


class GoalDialog(_Dialog):
    """A goal and its open slots: who I need to know for it."""

    def __init__(self, parent: QWidget | None, goal: GoalValues | None = None) -> None:
        super().__init__(parent, "Edit goal" if goal else "New goal", "Save" if goal else "Create")
        goal = goal or GoalValues("", "", None, "active")
        form = QFormLayout()
        self.title_ = QLineEdit(goal.title)
        self.title_.setPlaceholderText("What do you want to achieve?")
        self.why = QPlainTextEdit(goal.why)
        self.why.setPlaceholderText("Why it matters")
        self.why.setFixedHeight(64)
        self.has_date = QCheckBox("By")
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        if goal.target_date is not None:
            self.has_date.setChecked(True)
            self.date.setDate(
                QDate(goal.target_date.year, goal.target_date.month, goal.target_date.day)
            )
        else:
            self.date.setDate(QDate.currentDate().addMonths(6))
        self.date.setEnabled(self.has_date.isChecked())
        self.has_date.toggled.connect(self.date.setEnabled)
        when = QHBoxLayout()
        when.addWidget(self.has_date)
        when.addWidget(self.date, 1)
        self.status = QComboBox()
        self.status.addItems(list(STATUSES))
        self.status.setCurrentText(goal.status)
        form.addRow("&Goal", self.title_)
        form.addRow("&Why", self.why)
        form.addRow("Target", when)
        form.addRow("&Status", self.status)
        self.layout_.addLayout(form)
        self.layout_.addWidget(label("Who I need to know (open slots):"))
        self.slots = QTableWidget(0, 2)
        self.slots.setHorizontalHeaderLabels(["Someone who…", "Role"])
        self.slots.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.slots.verticalHeader().hide()
        self.slots.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for slot_id, description, role in goal.slots:
            self._add_slot_row(slot_id, description, role)
        self.layout_.addWidget(self.slots)
        row = QHBoxLayout()
        self.add_slot = QPushButton("Add slot")
        self.remove_slot = QPushButton("Remove slot")
        self.add_slot.clicked.connect(lambda: self._add_slot_row(None, "", "", edit=True))
        self.remove_slot.clicked.connect(self._remove_slot)
        row.addWidget(self.add_slot)
        row.addWidget(self.remove_slot)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.title_.textChanged.connect(self.update_ok)
        self.finish_layout()
        self.resize(520, 480)

    def _add_slot_row(
        self, slot_id: int | None, description: str, role: str, *, edit: bool = False
    ) -> None:
        row = self.slots.rowCount()
        self.slots.insertRow(row)
        first = QTableWidgetItem(description)
        first.setData(Qt.ItemDataRole.UserRole, slot_id)
        self.slots.setItem(row, 0, first)
        self.slots.setItem(row, 1, QTableWidgetItem(role))
        if edit:
            self.slots.setCurrentCell(row, 0)
            self.slots.editItem(first)

    def _remove_slot(self) -> None:
        row = self.slots.currentRow()
        if row >= 0:
            self.slots.removeRow(row)

    def valid(self) -> bool:
        return bool(self.title_.text().strip())

    def values(self) -> GoalValues:
        target = self.date.date().toPython() if self.has_date.isChecked() else None
        slots: list[tuple[int | None, str, str]] = []
        for row in range(self.slots.rowCount()):
            first, second = self.slots.item(row, 0), self.slots.item(row, 1)
            description = first.text().strip() if first else ""
            if description:
                slot_id = first.data(Qt.ItemDataRole.UserRole) if first else None
                slots.append((slot_id, description, second.text().strip() if second else ""))
        return GoalValues(
            self.title_.text().strip(),
            self.why.toPlainText().strip(),
            target if isinstance(target, date) else None,
            self.status.currentText(),
            slots,
        )


class SlotDialog(_Dialog):
    def __init__(
        self, parent: QWidget | None, *, title: str, description: str = "", role: str = ""
    ) -> None:
        super().__init__(parent, title, "Save" if description else "Add")
        form = QFormLayout()
        self.description = QLineEdit(description)
        self.description.setPlaceholderText("Someone who runs sales at a Berlin startup")
        self.role = _roles_combo(role)
        form.addRow("Someone &who", self.description)
        form.addRow("&Role", self.role)
        self.layout_.addLayout(form)
        self.description.textChanged.connect(self.update_ok)
        self.finish_layout()
        self.resize(460, self.sizeHint().height())

    def valid(self) -> bool:
        return bool(self.description.text().strip())

    def values(self) -> tuple[str, str]:
        return self.description.text().strip(), self.role.currentText().strip()
