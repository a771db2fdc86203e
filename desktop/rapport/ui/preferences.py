"""The preferences dialog, built from the declared settings (one field per setting)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from rapport.core import preferences
from rapport.core.changes import Changes
from rapport.core.progress import Progress
from rapport.store import settings
from rapport.store.settings import SettingDef


class PreferencesDialog(QDialog):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Preferences")
        self.setObjectName("preferences")
        self.editors: dict[str, QWidget] = {}
        body = QWidget()
        column = QVBoxLayout(body)
        groups: dict[str, QFormLayout] = {}
        for spec in settings.SETTINGS:
            form = groups.get(spec.group)
            if form is None:
                box = QGroupBox(spec.group)
                form = QFormLayout(box)
                groups[spec.group] = form
                column.addWidget(box)
            editor = self._editor(spec, settings.get(spec.key))
            editor.setObjectName(f"pref:{spec.key}")
            if spec.help:
                editor.setToolTip(spec.help)
            self.editors[spec.key] = editor
            form.addRow(spec.label, editor)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(self.buttons)
        self.resize(520, 600)

    @staticmethod
    def _editor(spec: SettingDef, value: Any) -> QWidget:
        if spec.kind is bool:
            check = QCheckBox()
            check.setChecked(bool(value))
            return check
        if spec.kind is int:
            spin = QSpinBox()
            spin.setRange(0, 100_000)
            spin.setValue(int(value))
            return spin
        if spec.kind is float:
            dspin = QDoubleSpinBox()
            dspin.setRange(0, 100_000)
            dspin.setDecimals(1)
            dspin.setValue(float(value))
            return dspin
        if "\n" in str(spec.default):
            text = QPlainTextEdit(str(value))
            text.setMinimumHeight(110)
            return text
        return QLineEdit(str(value))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                out[key] = editor.isChecked()
            elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
                out[key] = editor.value()
            elif isinstance(editor, QPlainTextEdit):
                out[key] = editor.toPlainText()
            elif isinstance(editor, QLineEdit):
                out[key] = editor.text().strip()
        return out

    def save(self) -> None:
        changed = {k: v for k, v in self.values().items() if v != settings.get(k)}
        if not changed:
            self.accept()
            return

        def op(_progress: Progress) -> Changes:
            result = Changes()
            for key, value in changed.items():
                result = result | preferences.put(key, value)
            return result

        # Trips rebuilt for a new home city cannot be undone apart from the setting itself.
        undoable = not (preferences.REBUILDS_TRIPS & changed.keys())
        self.window_.ops.change(
            self, "Change preferences", op, undoable=undoable, success=lambda _c: self.accept()
        )
