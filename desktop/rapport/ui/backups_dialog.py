"""The Backups dialog: the list with each backup's state, back up, verify, restore, settings.

Everything long (backing up, verifying, checking, restoring) runs off the GUI thread through
the window's ``BackupController`` and ``ops``, with progress. Settings are written through
``ops.change`` like any other preference. Nothing secret is shown unless the user asks,
except the recovery key of a key made just now, which is shown once to be saved.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rapport.core import backup_service as bs
from rapport.core import preferences
from rapport.core.changes import Changes
from rapport.core.errors import BadInput
from rapport.store.backup_format import BackupError
from rapport.store.backups import BackupInfo, CheckResult
from rapport.store.safe_files import write_bytes_atomically
from rapport.ui.backup_status import BackupController
from rapport.ui.errors import show_error

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
STATE_WORDS = {"good": "Verified", "failed": "Failed", "unverified": "Unverified"}
STATE_COLOURS = {"good": "#1b7a3d", "failed": "#b3261e", "unverified": "#6b6b6b"}
REASON_WORDS = {
    bs.MANUAL: "Backed up by you",
    bs.AUTOMATIC: "Automatic",
    bs.ON_CLOSE: "When Rapport closed",
}


# -- what the dialog asks the desktop (tests replace these) -------------------------------------


def choose_folder(parent: QWidget, start: Path) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, "Back up into", str(start))
    return Path(name) if name else None


def choose_save_path(parent: QWidget, suggested: Path) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(
        parent, "Save the recovery key", str(suggested), "Text (*.txt)"
    )
    return Path(name) if name else None


def open_folder(folder: Path) -> bool:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def local_when(when: datetime) -> str:
    return when.astimezone().strftime("%a %d %b %Y, %H:%M")


def reason_text(reason: str) -> str:
    if reason in REASON_WORDS:
        return REASON_WORDS[reason]
    return reason[:1].upper() + reason[1:] if reason else "—"


def recovery_file_text(key: str) -> str:
    return (
        "Rapport backup recovery key\n\n"
        f"{key}\n\n"
        "With this key, Rapport's encrypted backups can be restored on any computer.\n"
        "Keep it somewhere safe and private (a password manager, or on paper).\n"
    )


class TextDialog(QDialog):
    """A few text fields and OK / Cancel (for a passphrase or a recovery key)."""

    def __init__(
        self, parent: QWidget, title: str, intro: str, fields: list[tuple[str, bool]]
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(text)
        form = QFormLayout()
        self.fields: list[QLineEdit] = []
        for label, secret in fields:
            edit = QLineEdit()
            if secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMinimumWidth(320)
            form.addRow(label, edit)
            self.fields.append(edit)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def values(self) -> list[str]:
        return [f.text() for f in self.fields]


class BackupsDialog(QDialog):
    """Backups: the list, the actions, the key, the settings."""

    COLUMNS = ("Date", "Size", "State", "Reason")

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window_ = window
        self.controller: BackupController = window.backups
        self.service = self.controller.service
        self.infos: list[BackupInfo] = []
        self.message_box: QMessageBox | None = None
        self.confirm: QMessageBox | None = None
        self.text_dialog: TextDialog | None = None
        self.setObjectName("backupsDialog")
        self.setWindowTitle("Backups")
        self.resize(760, 600)
        layout = QVBoxLayout(self)

        self.key_banner = QLabel()
        self.key_banner.setObjectName("keyBanner")
        self.key_banner.setWordWrap(True)
        self.key_banner.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.key_banner)

        self.recovery_box = self._recovery_panel()
        layout.addWidget(self.recovery_box)

        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("backupList")
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)

        self.detail = QLabel()
        self.detail.setObjectName("backupDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail)

        actions = QHBoxLayout()
        self.backup_button = self._button("Back up now", "backUpNow", self.back_up_now)
        self.verify_button = self._button("Verify", "verifySelected", self.verify_selected)
        self.verify_all_button = self._button("Verify all", "verifyAll", self.verify_all)
        self.restore_button = self._button("Restore…", "restore", self.ask_restore)
        self.folder_button = self._button("Open folder", "openFolder", self.open_folder)
        self.check_button = self._button("Check journal", "checkJournal", self.check_journal)
        for button in (self.backup_button, self.verify_button, self.verify_all_button):
            actions.addWidget(button)
        actions.addWidget(self.restore_button)
        actions.addStretch(1)
        actions.addWidget(self.check_button)
        actions.addWidget(self.folder_button)
        layout.addLayout(actions)

        layout.addWidget(self._settings_panel())

        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_buttons.rejected.connect(self.reject)
        layout.addWidget(self.close_buttons)

        self.controller.changed.connect(self.refresh)
        self.refresh()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # -- panels ------------------------------------------------------------------------------

    def _recovery_panel(self) -> QGroupBox:
        box = QGroupBox("Your recovery key")
        box.setObjectName("recoveryPanel")
        column = QVBoxLayout(box)
        self.recovery_intro = QLabel()
        self.recovery_intro.setWordWrap(True)
        self.recovery_intro.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.recovery_intro)
        self.recovery_text = QLineEdit()
        self.recovery_text.setObjectName("recoveryKey")
        self.recovery_text.setReadOnly(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), 10.0) + 1)
        mono.setWeight(QFont.Weight.DemiBold)
        self.recovery_text.setFont(mono)
        column.addWidget(self.recovery_text)
        row = QHBoxLayout()
        self.copy_button = self._button("Copy", "copyRecovery", self.copy_recovery_key)
        self.save_button = self._button("Save…", "saveRecovery", self.save_recovery_key)
        self.hide_button = self._button("I saved it", "hideRecovery", self.hide_recovery_key)
        row.addWidget(self.copy_button)
        row.addWidget(self.save_button)
        row.addStretch(1)
        row.addWidget(self.hide_button)
        column.addLayout(row)
        box.hide()
        return box

    def _settings_panel(self) -> QGroupBox:
        box = QGroupBox("Settings")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        folder_row = QHBoxLayout()
        self.folder_text = QLineEdit()
        self.folder_text.setObjectName("backupFolder")
        self.folder_text.setReadOnly(True)
        self.choose_button = self._button("Choose…", "chooseFolder", self.choose_folder)
        self.default_button = self._button("Default", "defaultFolder", self.default_folder)
        folder_row.addWidget(self.folder_text, 1)
        folder_row.addWidget(self.choose_button)
        folder_row.addWidget(self.default_button)
        form.addRow("Folder", folder_row)

        keep_row = QHBoxLayout()
        self.keep: dict[str, QSpinBox] = {}
        for key, word in (("daily", "daily"), ("weekly", "weekly"), ("monthly", "monthly")):
            spin = QSpinBox()
            spin.setObjectName(f"keep_{key}")
            spin.setRange(0, 999)
            spin.editingFinished.connect(lambda k=key: self._save_number(f"backup.{k}"))
            self.keep[key] = spin
            keep_row.addWidget(spin)
            keep_row.addWidget(QLabel(word))
            keep_row.addSpacing(8)
        keep_row.addStretch(1)
        form.addRow("Keep", keep_row)

        every_row = QHBoxLayout()
        self.interval = QSpinBox()
        self.interval.setObjectName("interval")
        self.interval.setRange(1, 24 * 60)
        self.interval.setSuffix(" minutes")
        self.interval.editingFinished.connect(lambda: self._save_number("backup.interval_minutes"))
        every_row.addWidget(QLabel("every"))
        every_row.addWidget(self.interval)
        every_row.addWidget(QLabel("while the journal changes, on close, and before imports"))
        every_row.addStretch(1)
        form.addRow("Back up", every_row)

        key_row = QHBoxLayout()
        self.key_state_label = QLabel()
        self.key_state_label.setObjectName("keyState")
        self.key_state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.passphrase_button = self._button(
            "Set passphrase…", "setPassphrase", self.ask_passphrase
        )
        self.show_key_button = self._button(
            "Show recovery key…", "showRecovery", self.reveal_recovery_key
        )
        self.use_key_button = self._button(
            "Use a recovery key…", "useRecovery", self.ask_recovery_key
        )
        key_row.addWidget(self.key_state_label, 1)
        key_row.addWidget(self.passphrase_button)
        key_row.addWidget(self.show_key_button)
        key_row.addWidget(self.use_key_button)
        form.addRow("Key", key_row)
        return box

    # -- showing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.selected()
        self.infos = self.service.list()
        self.table.setRowCount(len(self.infos))
        for row, info in enumerate(self.infos):
            cells = (
                local_when(info.created),
                bs.human_size(info.size),
                STATE_WORDS[info.state],
                reason_text(info.reason),
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if col == 2:
                    item.setForeground(QColor(STATE_COLOURS[info.state]))
                    if info.error:
                        item.setToolTip(info.error)
                self.table.setItem(row, col, item)
        keep = next((r for r, i in enumerate(self.infos) if selected and i.id == selected.id), 0)
        if self.infos:
            self.table.selectRow(keep)
        self._selection_changed()
        self._refresh_settings()
        self._refresh_key()
        busy = self.controller.running is not None
        self.backup_button.setEnabled(not busy)
        self.verify_all_button.setEnabled(bool(self.infos))
        pending = self.controller.take_recovery_key()
        if pending is not None:  # a key was made just now: shown once, here
            self.show_recovery_key(pending, just_made=True)
        self.controller.refresh()  # a verify may have just found a bad backup

    def _refresh_settings(self) -> None:
        config = self.service.config()
        self.folder_text.setText(str(config.folder))
        self.folder_text.setToolTip(str(config.folder))
        values = {
            "daily": config.retention.daily,
            "weekly": config.retention.weekly,
            "monthly": config.retention.monthly,
        }
        for key, spin in self.keep.items():
            if not spin.hasFocus():
                spin.setValue(values[key])
        if not self.interval.hasFocus():
            self.interval.setValue(int(config.interval.total_seconds() // 60))

    def _refresh_key(self) -> None:
        state = self.service.key_state()
        passphrase_mode = state.mode == "passphrase"
        if passphrase_mode:
            banner = (
                "There is no secure keyring on this computer, so backups are encrypted "
                "with your passphrase. Rapport never stores it: enter it each session "
                "(or set RAPPORT_BACKUP_PASSPHRASE), and keep it safe — without it, "
                "the backups cannot be opened."
            )
            given = self.service.key_available_without_asking()
            self.key_state_label.setText(
                "Passphrase: set for this session" if given else "Passphrase: not set"
            )
        else:
            where = state.message[:1].upper() + state.message[1:]
            banner = f"{where}; each one is checked right after it is made."

            self.key_state_label.setText("System keyring")
        self.key_banner.setText(banner)
        self.key_banner.setProperty("warning", passphrase_mode)
        self.key_banner.setStyleSheet(
            "QLabel { background: #fff4ce; border: 1px solid #e0c060; border-radius: 4px;"
            " padding: 6px; }"
            if passphrase_mode
            else ""
        )
        self.passphrase_button.setVisible(passphrase_mode)
        self.show_key_button.setVisible(not passphrase_mode)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.infos):
            return None
        return self.infos[rows[0].row()]

    def _selection_changed(self) -> None:
        info = self.selected()
        self.verify_button.setEnabled(info is not None)
        self.restore_button.setEnabled(info is not None and info.state != "failed")
        if info is None:
            self.detail.setText(
                "No backups yet: the first is made when the journal changes, or press Back up now."
                if not self.infos
                else ""
            )
            return
        parts = [local_when(info.created), bs.human_size(info.size)]
        held = bs.describe_counts(info.counts)
        if held:
            parts.append(held)
        text = " — ".join(parts)
        if info.error:
            text += f"\nProblem: {info.error}"
        elif info.state == "unverified":
            text += "\nNot checked yet: press Verify."
        self.detail.setText(text)

    def _tell(self, title: str, text: str, icon: QMessageBox.Icon) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("backupsMessage")
        self.message_box = box
        box.open()
        return box

    # -- actions -----------------------------------------------------------------------------

    def back_up_now(self) -> None:
        def then(info: BackupInfo | None) -> None:
            self.refresh()
            if info is not None:
                self._select(info.id)

        self.controller.back_up(bs.MANUAL, parent=self, show_progress=True, then=then)
        self.backup_button.setEnabled(False)

    def _select(self, backup_id: str) -> None:
        for row, info in enumerate(self.infos):
            if info.id == backup_id:
                self.table.selectRow(row)

    def verify_selected(self) -> None:
        info = self.selected()
        if info is None:
            return

        def done(_results: list[BackupInfo]) -> None:
            self.refresh()
            self._select(info.id)

        def failed(error: BaseException) -> None:
            self.refresh()
            self._select(info.id)
            show_error(self, error)

        self.window_.ops.query(
            self,
            lambda p: self.service.verify(info.path, p),
            done,
            failure=failed,
            label="Verifying the backup…",
            show_progress=True,
        )

    def verify_all(self) -> None:
        def done(results: list[BackupInfo]) -> None:
            self.refresh()
            bad = [r for r in results if not r.verified]
            if bad:
                first = bad[0]
                self._tell(
                    "Backups",
                    f"{len(bad)} of {len(results)} backups failed their check.\n\n"
                    f"{local_when(first.created)}: {first.error}",
                    QMessageBox.Icon.Warning,
                )
            else:
                self.detail.setText(f"All {len(results)} backups are good.")

        self.window_.ops.query(
            self,
            lambda p: self.service.verify(None, p),
            done,
            failure=lambda error: show_error(self, error),
            label="Verifying the backups…",
            show_progress=True,
        )

    def ask_restore(self) -> QMessageBox | None:
        info = self.selected()
        if info is None:
            return None
        held = bs.describe_counts(info.counts) or "(what it holds is shown once it is verified)"
        box = QMessageBox(self)
        box.setObjectName("confirmRestore")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Restore a backup")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"Restore the backup of {local_when(info.created)}?")
        box.setInformativeText(
            f"{bs.human_size(info.size)}; it holds {held}.\n\n"
            "The journal will be replaced by this backup. Your current journal is backed "
            "up first, so you can come back to it from this list. Undo history is cleared."
        )
        self.restore_confirm = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.restore_confirm.clicked.connect(lambda: self.restore(info))
        self.confirm = box
        box.open()
        return box

    def restore(self, info: BackupInfo) -> None:
        def then(restored: BackupInfo | None) -> None:
            self.refresh()
            if restored is not None:
                self.detail.setText(
                    f"Restored the backup of {local_when(restored.created)}. The journal you "
                    "had is kept as the backup marked “Before restore”."
                )

        self.controller.restore(info, self, then)

    def open_folder(self) -> None:
        open_folder(self.service.folder)

    def check_journal(self) -> None:
        def done(result: CheckResult) -> None:
            if result.ok:
                self._tell(
                    "Check journal",
                    "The journal is healthy: its integrity check passed and every link "
                    "between its records points at a record that exists.",
                    QMessageBox.Icon.Information,
                )
            else:
                self._tell(
                    "Check journal",
                    f"The journal failed its check: {bs.describe_check(result)}.\n\n"
                    "It will not be backed up until this is fixed, so your good backups "
                    "stay. Restoring the latest good backup is the safest fix.",
                    QMessageBox.Icon.Warning,
                )

        self.controller.check_journal(self, done)

    # -- the key -----------------------------------------------------------------------------

    def show_recovery_key(self, key: str, *, just_made: bool) -> None:
        self.recovery_intro.setText(
            (
                "A new key now encrypts your backups; it is kept in this computer's keyring. "
                "Save this recovery key somewhere safe (a password manager, or on paper): "
                "with it, your backups can be restored on a new computer. It is shown once."
            )
            if just_made
            else "With this recovery key, your backups can be restored on a new computer."
        )
        self.recovery_text.setText(key)
        self.hide_button.setText("I saved it" if just_made else "Hide")
        self.recovery_box.show()

    def reveal_recovery_key(self) -> None:
        try:
            key = self.service.keys.recovery_key()
        except BackupError as err:
            show_error(self, BadInput(err.message))
            return
        if key is not None:
            self.service.keys.pop_new_recovery_key()
            self.show_recovery_key(key, just_made=False)

    def copy_recovery_key(self) -> None:
        QGuiApplication.clipboard().setText(self.recovery_text.text())

    def save_recovery_key(self) -> None:
        key = self.recovery_text.text()
        path = choose_save_path(self, Path.home() / "Rapport recovery key.txt")
        if path is None:
            return
        try:
            write_bytes_atomically(path, recovery_file_text(key).encode("utf-8"))
        except OSError as err:
            show_error(self, BadInput(f"the recovery key could not be saved: {err}", path))
            return
        self.detail.setText(f"Recovery key saved to {path} (readable by you only).")

    def hide_recovery_key(self) -> None:
        self.recovery_text.clear()
        self.recovery_box.hide()

    def ask_passphrase(self) -> TextDialog:
        dialog = TextDialog(
            self,
            "Backup passphrase",
            "Backups are encrypted with this passphrase. It is kept in memory until Rapport "
            "closes, never on disk. Use the same one each time: each backup needs the "
            "passphrase it was made with.",
            [("Passphrase", True), ("Again", True)],
        )

        def accept() -> None:
            first, again = dialog.values()
            if first != again:
                show_error(dialog, BadInput("the two passphrases differ"))
                return
            try:
                self.service.set_passphrase(first)
            except BadInput as err:
                show_error(dialog, err)
                return
            dialog.done(QDialog.DialogCode.Accepted)
            self.refresh()
            self.controller.refresh()

        dialog.buttons.accepted.disconnect()
        dialog.buttons.accepted.connect(accept)
        self.text_dialog = dialog
        dialog.open()
        return dialog

    def ask_recovery_key(self) -> TextDialog:
        dialog = TextDialog(
            self,
            "Use a recovery key",
            "Type the recovery key of backups made on another computer (groups of letters "
            "and digits). With a secure keyring it is kept there as this computer's key.",
            [("Recovery key", False)],
        )

        def accept() -> None:
            (text,) = dialog.values()
            keys = self.service.keys
            try:
                if keys.mode == "keyring":
                    keys.adopt_recovery_key(text)
                else:
                    keys.add_recovery_key(text)
            except BackupError as err:
                show_error(dialog, BadInput(err.message))
                return
            dialog.done(QDialog.DialogCode.Accepted)
            self.refresh()

        dialog.buttons.accepted.disconnect()
        dialog.buttons.accepted.connect(accept)
        self.text_dialog = dialog
        dialog.open()
        return dialog

    # -- settings ----------------------------------------------------------------------------

    def _save(self, key: str, value: Any) -> None:
        def op(_progress: Any) -> Changes:
            return preferences.put(key, value)

        self.window_.ops.change(
            self,
            "Change backup settings",
            op,
            success=lambda _c: self.refresh(),
            failure=lambda error: show_error(self, error),
        )

    def _save_number(self, key: str) -> None:
        spin = self.interval if key == "backup.interval_minutes" else self.keep[key[7:]]
        self._save(key, spin.value())

    def choose_folder(self) -> None:
        folder = choose_folder(self, self.service.folder)
        if folder is not None:
            self._save("backup.folder", str(folder))

    def default_folder(self) -> None:
        self._save("backup.folder", "")


def open_backups(window: Any) -> BackupsDialog:
    """Open (or raise) the window's Backups dialog, non-modally."""
    dialog = getattr(window, "backups_dialog", None)
    if isinstance(dialog, BackupsDialog) and dialog.isVisible():
        dialog.raise_()
        dialog.activateWindow()
        return dialog
    dialog = BackupsDialog(window)
    dialog.finished.connect(dialog.deleteLater)
    window.backups_dialog = dialog
    dialog.open()
    return dialog
