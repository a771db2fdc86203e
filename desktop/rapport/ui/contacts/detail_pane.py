"""Read and edit one person: every field commits through a core operation, so it can be undone.

The pane is a column of sections. Later features add their own with ``add_section`` (the
generosity timeline plugs in there); a section that wants to follow the selected person
connects to ``person_changed``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rapport.core import circles as circle_ops
from rapport.core import goals as goal_ops
from rapport.core import people
from rapport.core.changes import Changes
from rapport.core.errors import BadInput
from rapport.core.links import classify_link
from rapport.core.progress import Progress
from rapport.ui.contacts.person_record import PersonRecord, load_person
from rapport.ui.contacts.plain import label, menu_text
from rapport.ui.errors import show_error

if TYPE_CHECKING:
    from rapport.ui.operations import Operations

BIRTHDAY = re.compile(r"^(\d{4}|-)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
TIERS = [("Not tiered", None), ("1 — closest", 1), ("2", 2), ("3 — widest", 3)]
Suggest = Callable[[str], list[tuple[int, str, str]]]  # (id, name, shown as)


class NoteEdit(QPlainTextEdit):
    """A multi-line field that reports when the user leaves it."""

    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


class PointsEditor(QWidget):
    """Emails, phones or links: (label, value) rows; ``edited`` carries the whole new list."""

    edited = Signal(list)

    def __init__(self, first: str, second: str, add_text: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([first, second])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().resizeSection(0, 90)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setFrameShape(QFrame.Shape.NoFrame)
        self.table.itemChanged.connect(self._changed)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(add_text)
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def set_rows(self, rows: list[tuple[str, str]]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for first, second in rows:
            self._append(first, second)
        self.table.blockSignals(False)
        self._fit()

    def rows(self) -> list[tuple[str, str]]:
        out = []
        for row in range(self.table.rowCount()):
            first, second = self.table.item(row, 0), self.table.item(row, 1)
            value = second.text().strip() if second else ""
            if value:
                out.append((first.text().strip() if first else "", value))
        return out

    def _append(self, first: str, second: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(first))
        self.table.setItem(row, 1, QTableWidgetItem(second))
        return row

    def _fit(self) -> None:
        rows = max(1, self.table.rowCount())
        height = (
            self.table.horizontalHeader().height()
            + rows * self.table.verticalHeader().defaultSectionSize()
        )
        self.table.setFixedHeight(height + 4)

    def _add(self) -> None:
        self.table.blockSignals(True)
        row = self._append("", "")
        self.table.blockSignals(False)
        self._fit()
        self.table.setCurrentCell(row, 1)
        cell = self.table.item(row, 1)
        if cell is not None:
            self.table.editItem(cell)

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        cell = self.table.item(row, 1)
        had_value = cell is not None and bool(cell.text().strip())
        self.table.removeRow(row)
        self._fit()
        if had_value:
            self.edited.emit(self.rows())

    def _changed(self, _item: QTableWidgetItem) -> None:
        self.edited.emit(self.rows())


class Section(QWidget):
    """A titled block of the pane."""

    def __init__(self, title: str, body: QWidget) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 4)
        layout.setSpacing(4)
        heading = label(title)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        layout.addWidget(body)
        self.body = body


class DetailPane(QWidget):
    """The right side of the Contacts view."""

    person_changed = Signal(object)  # person id or None, after the pane shows someone
    add_to_circle_requested = Signal(list)  # person ids
    link_to_goal_requested = Signal(list)
    archive_requested = Signal(list, bool)  # person ids, archive?
    merge_requested = Signal(list)

    def __init__(self, ops: Operations, suggest: Suggest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.suggest = suggest
        self.person_id: int | None = None
        self.record: PersonRecord | None = None
        self.selection: list[int] = []
        self._generation = 0
        self._suggested: dict[str, int] = {}

        self.pages = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        self.placeholder = label("Select someone in the tree to see and edit their details.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setObjectName("panePlaceholder")
        self.pages.addWidget(self.placeholder)

        self._build_many()
        self.person_page: QScrollArea | None = None
        self._extra_sections: list[Section] = []

    # -- building ----------------------------------------------------------------------------

    def _build_many(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.many_label = label()
        font = self.many_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.many_label.setFont(font)
        layout.addWidget(self.many_label)
        layout.addWidget(label("Do the same to all of them:"))
        for text, slot in (
            ("Add to circle…", lambda: self.add_to_circle_requested.emit(list(self.selection))),
            ("Link to goal…", lambda: self.link_to_goal_requested.emit(list(self.selection))),
            ("Archive", lambda: self.archive_requested.emit(list(self.selection), True)),
            ("Unarchive", lambda: self.archive_requested.emit(list(self.selection), False)),
            ("Merge into one…", lambda: self.merge_requested.emit(list(self.selection))),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            layout.addWidget(button)
        layout.addStretch(1)
        self.many_page = page
        self.pages.addWidget(page)

    def _line(self, field: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setObjectName(field)
        edit.editingFinished.connect(lambda f=field, e=edit: self._commit_text(f, e.text()))
        self._edits[field] = edit
        return edit

    def _note(self, field: str, placeholder: str, height: int) -> NoteEdit:
        edit = NoteEdit()
        edit.setPlaceholderText(placeholder)
        edit.setObjectName(field)
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(height)
        edit.left.connect(lambda f=field, e=edit: self._commit_text(f, e.toPlainText()))
        self._notes[field] = edit
        return edit

    def _build_person(self) -> None:
        self._edits: dict[str, QLineEdit] = {}
        self._notes: dict[str, NoteEdit] = {}
        self._form_labels: list[QLabel] = []
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.sections = QVBoxLayout(body)
        self.sections.setContentsMargins(12, 8, 12, 12)
        self.sections.setSpacing(2)
        scroll.setWidget(body)
        self.pages.addWidget(scroll)
        self.person_page = scroll

        header = QWidget()
        head = QVBoxLayout(header)
        head.setContentsMargins(0, 0, 0, 0)
        head.setSpacing(2)
        top = QHBoxLayout()
        self.heading = label(selectable=True)
        self.heading.setObjectName("personName")
        self.heading.setWordWrap(True)
        big = QFont(self.heading.font())
        big.setPointSizeF(big.pointSizeF() * 1.5)
        big.setBold(True)
        self.heading.setFont(big)
        self.archive_button = QPushButton("Archive")
        self.archive_button.clicked.connect(self._toggle_archived)
        top.addWidget(self.heading, 1)
        top.addWidget(self.archive_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addLayout(top)
        self.subtitle = label(selectable=True)
        self.subtitle.setWordWrap(True)
        self.subtitle.setObjectName("personSubtitle")
        self.archived_badge = label("Archived — hidden from the tree unless you show archived")
        self.archived_badge.setObjectName("archivedBadge")
        self.archived_badge.setWordWrap(True)
        head.addWidget(self.subtitle)
        head.addWidget(self.archived_badge)
        self.sections.addWidget(header)

        form = QFormLayout()
        self._row(form, "Name", self._line("name", "Full name"))
        parts = QHBoxLayout()
        parts.addWidget(self._line("given_name", "Given"))
        parts.addWidget(self._line("family_name", "Family"))
        self._row(form, "Given, family", parts)
        more = QHBoxLayout()
        more.addWidget(self._line("prefix", "Prefix"))
        more.addWidget(self._line("additional_names", "Middle"))
        more.addWidget(self._line("suffix", "Suffix"))
        self._row(form, "Other parts", more)
        self._row(form, "Nickname", self._line("nickname"))
        self._section("Name", _wrap(form))

        work = QFormLayout()
        self._row(work, "Organisation", self._line("organization"))
        self._row(work, "Title", self._line("title"))
        self._section("Work", _wrap(work))

        place = QFormLayout()
        self._row(place, "City", self._line("city", "e.g. Cambridge"))
        region_country = QHBoxLayout()
        region_country.addWidget(self._line("region", "Region, e.g. MA"))
        region_country.addWidget(self._line("country", "Country, e.g. US"))
        self._row(place, "Region, country", region_country)
        self.place_label = label(selectable=True)
        self.place_label.setObjectName("resolvedPlace")
        self.place_label.setWordWrap(True)
        self._row(place, "Resolved to", self.place_label)
        self._section("Place", _wrap(place))

        contact = QVBoxLayout()
        contact.setContentsMargins(0, 0, 0, 0)
        self.emails = PointsEditor("Label", "Email", "Add email")
        self.phones = PointsEditor("Label", "Phone", "Add phone")
        self.links = PointsEditor("Service", "Link or handle", "Add link")
        self.emails.edited.connect(lambda rows: self._commit_points("emails", rows))
        self.phones.edited.connect(lambda rows: self._commit_points("phones", rows))
        self.links.edited.connect(lambda rows: self._commit_points("links", rows))
        for editor in (self.emails, self.phones, self.links):
            contact.addWidget(editor)
        self._section("Email, phone, links", _wrap(contact))

        relation = QFormLayout()
        self._row(relation, "Birthday", self._line("birthday", "YYYY-MM-DD or --MM-DD"))
        self._row(
            relation, "How we met", self._note("how_we_met", "Where, when, who introduced you", 48)
        )
        self.met_through = QLineEdit()
        self.met_through.setObjectName("met_through")
        self.met_through.setPlaceholderText("Start typing a name")
        self._met_model = QStringListModel()
        completer = QCompleter(self._met_model, self.met_through)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.met_through.setCompleter(completer)
        self.met_through.textEdited.connect(self._suggest_met)
        completer.activated.connect(self._met_chosen)
        self.met_through.editingFinished.connect(self._met_finished)
        self.met_hint = label()
        self.met_hint.setObjectName("metHint")
        self.met_hint.hide()
        met_box = QVBoxLayout()
        met_box.setContentsMargins(0, 0, 0, 0)
        met_box.addWidget(self.met_through)
        met_box.addWidget(self.met_hint)
        self._row(relation, "Met through", _wrap(met_box))
        self.tier = QComboBox()
        self.tier.setObjectName("tier")
        for text, value in TIERS:
            self.tier.addItem(text, value)
        self.tier.activated.connect(self._tier_chosen)
        self._row(relation, "Tier", self.tier)
        self.cadence = QSpinBox()
        self.cadence.setObjectName("cadence")
        self.cadence.setRange(0, 3650)
        self.cadence.setSpecialValueText("By tier")
        self.cadence.setSuffix(" days")
        self.cadence.editingFinished.connect(self._cadence_done)
        self._row(relation, "Keep in touch every", self.cadence)
        self._section("Relationship", _wrap(relation))

        self._section("Notes", self._note("notes", "Anything worth remembering", 90))

        self.circle_list = QListWidget()
        self.circle_list.setObjectName("circleList")
        circle_box = self._membership_box(
            self.circle_list,
            "Add to circle…",
            lambda: self.add_to_circle_requested.emit(self._me()),
            self._leave_circle,
        )
        self._section("Circles", circle_box)
        self.goal_list = QListWidget()
        self.goal_list.setObjectName("goalList")
        goal_box = self._membership_box(
            self.goal_list,
            "Link to goal…",
            lambda: self.link_to_goal_requested.emit(self._me()),
            self._leave_goal,
        )
        self._section("Goals", goal_box)
        for section in self._extra_sections:  # added by other features before this was built
            self.sections.addWidget(section)
        self.sections.addStretch(1)
        width = max(lab.sizeHint().width() for lab in self._form_labels)
        for lab in self._form_labels:
            lab.setFixedWidth(width)  # one column of labels down every section

    def _row(self, form: QFormLayout, text: str, field: QWidget | QHBoxLayout) -> None:
        caption = label(text)
        self._form_labels.append(caption)
        form.addRow(caption, field)

    def _membership_box(
        self,
        listing: QListWidget,
        add_text: str,
        add: Callable[[], None],
        remove: Callable[[], None],
    ) -> QWidget:
        box = QVBoxLayout()
        box.setContentsMargins(0, 0, 0, 0)
        listing.setMaximumHeight(110)
        box.addWidget(listing)
        row = QHBoxLayout()
        add_button = QPushButton(add_text)
        add_button.clicked.connect(add)
        remove_button = QPushButton("Remove")
        remove_button.clicked.connect(remove)
        row.addWidget(add_button)
        row.addWidget(remove_button)
        row.addStretch(1)
        box.addLayout(row)
        return _wrap(box)

    def _section(self, title: str, widget: QWidget) -> Section:
        section = Section(title, widget)
        self.sections.addWidget(section)
        return section

    def add_section(self, title: str, widget: QWidget) -> Section:
        """Add a titled section below the others (for later features, e.g. generosity)."""
        section = Section(title, widget)
        if self.person_page is None:
            self._extra_sections.append(section)  # placed when the page is first built
        else:
            self.sections.insertWidget(self.sections.count() - 1, section)
        return section

    def _ensure_person_page(self) -> None:
        """The person page is built the first time someone is shown: the tree comes first."""
        if self.person_page is None:
            self._build_person()

    # -- showing ---------------------------------------------------------------------------

    def _me(self) -> list[int]:
        return [self.person_id] if self.person_id is not None else []

    def show_person(self, person_id: int | None) -> None:
        self.selection = self._me() if person_id is None else [person_id]
        if person_id is None:
            self.person_id = None
            self.record = None
            self.pages.setCurrentWidget(self.placeholder)
            self.person_changed.emit(None)
            return
        if person_id != self.person_id:
            self.record = None
        self.person_id = person_id
        self.reload()

    def show_many(self, person_ids: list[int]) -> None:
        self.selection = list(person_ids)
        self.many_label.setText(f"{len(person_ids)} people selected")
        self.pages.setCurrentWidget(self.many_page)

    def reload(self) -> None:
        person_id = self.person_id
        if person_id is None:
            return
        self._generation += 1
        generation = self._generation

        def ready(record: PersonRecord | None) -> None:
            if generation != self._generation or person_id != self.person_id:
                return  # the user moved on
            if record is None:
                self.show_person(None)
                return
            self._fill(record)

        self.ops.query(self, lambda _p: load_person(person_id), ready)

    def on_changes(self, changes: Changes) -> None:
        if self.person_id is None:
            return
        if (
            changes.everything
            or self.person_id in changes.people
            or changes.circles
            or (changes.goals)
        ):
            self.reload()

    def _fill(self, record: PersonRecord) -> None:
        self._ensure_person_page()
        same_person = self.record is not None and self.record.id == record.id
        previous = self.record
        self.record = record
        text = record.text
        self.heading.setText(record.name)
        works = (
            f"{text['title']}, {text['organization']}"
            if text["title"] and text["organization"]
            else text["title"] or text["organization"]
        )
        self.subtitle.setText(works)
        self.subtitle.setVisible(bool(works))
        self.archived_badge.setVisible(record.archived)
        self.archive_button.setText("Unarchive" if record.archived else "Archive")
        for field, edit in self._edits.items():
            keep = (
                same_person
                and edit.hasFocus()
                and previous is not None
                and (edit.text() != previous.text.get(field, ""))
            )
            if not keep:  # never overwrite what the user is typing
                edit.setText(text.get(field, ""))
                edit.setCursorPosition(0)
        for field, note in self._notes.items():
            keep = (
                same_person
                and note.hasFocus()
                and previous is not None
                and (note.toPlainText() != previous.text.get(field, ""))
            )
            if not keep:
                note.setPlainText(text.get(field, ""))
        if record.place:
            self.place_label.setText(record.place)
        elif text["city"]:
            self.place_label.setText("Not found in the gazetteer: no coffee flags for this city")
        else:
            self.place_label.setText("—")
        self.emails.set_rows(record.emails)
        self.phones.set_rows(record.phones)
        self.links.set_rows(record.links)
        if not self.met_through.hasFocus():
            self.met_through.setText(record.met_through[1] if record.met_through else "")
        self.met_hint.hide()
        self.tier.setCurrentIndex(max(0, self.tier.findData(record.tier)))
        if not self.cadence.hasFocus():
            self.cadence.setValue(record.cadence_days or 0)
        self.circle_list.clear()
        for cid, path in record.circles:
            item = QListWidgetItem(path)
            item.setData(Qt.ItemDataRole.UserRole, cid)
            self.circle_list.addItem(item)
        self.goal_list.clear()
        for gid, title, role in record.goals:
            item = QListWidgetItem(f"{title} — {role}" if role else title)
            item.setData(Qt.ItemDataRole.UserRole, gid)
            self.goal_list.addItem(item)
        assert self.person_page is not None
        self.pages.setCurrentWidget(self.person_page)
        self.person_changed.emit(record.id)

    # -- editing ---------------------------------------------------------------------------

    def _change(self, what: str, op: Callable[[Progress], Changes]) -> None:
        record = self.record
        if record is None:
            return
        self.ops.change(
            self,
            menu_text(f"{what} of {record.name}"),
            op,
            initiator=self,
            failure=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)
        if self.record is not None:
            self._fill(self.record)  # put back what is really stored

    def _commit_text(self, field: str, value: str) -> None:
        record = self.record
        if record is None or value == record.text.get(field, ""):
            return
        if field != "notes" and field != "how_we_met" and value.strip() == record.text.get(field):
            return
        if field == "birthday" and value.strip() and not BIRTHDAY.match(value.strip()):
            self._failed(BadInput(f"a birthday looks like 1980-04-23 or --04-23, not {value!r}"))
            return
        pid = record.id
        record.text[field] = value if field in ("notes", "how_we_met") else value.strip()
        self._change(
            _FIELD_NAMES.get(field, field), lambda _p: people.update_person(pid, **{field: value})
        )

    def _commit_points(self, kind: str, rows: list[tuple[str, str]]) -> None:
        record = self.record
        if record is None:
            return
        pid = record.id
        if kind == "emails":
            bad = [value for _label, value in rows if "@" not in value]
            if bad:
                self._failed(BadInput(f"not an email address: {bad[0]!r}"))
                return
            self._change("Emails", lambda _p: people.replace_contact_points(pid, emails=rows))
        elif kind == "phones":
            self._change("Phones", lambda _p: people.replace_contact_points(pid, phones=rows))
        else:
            links = [(service or classify_link(url), url) for service, url in rows]
            self._change("Links", lambda _p: people.replace_contact_points(pid, links=links))

    def _suggest_met(self, text: str) -> None:
        found = self.suggest(text) if len(text.strip()) >= 1 else []
        me = self.person_id
        self._suggested = {shown: pid for pid, _name, shown in found if pid != me}
        self._met_model.setStringList(list(self._suggested))

    def _met_chosen(self, shown: str) -> None:
        pid = self._suggested.get(shown)
        if pid is not None:
            self._set_met_through(pid)

    def _met_finished(self) -> None:
        record = self.record
        if record is None:
            return
        text = self.met_through.text().strip()
        current = record.met_through[1] if record.met_through else ""
        if text == current:
            self.met_hint.hide()
            return
        if not text:
            self._set_met_through(None)
            return
        if text in self._suggested:
            self._set_met_through(self._suggested[text])
            return
        named = [pid for pid, name, _shown in self.suggest(text) if name == text]
        named = [pid for pid in named if pid != self.person_id]
        if len(named) == 1:
            self._set_met_through(named[0])
            return
        self.met_hint.setText("Pick someone from the list (several or no people have this name)")
        self.met_hint.show()

    def _set_met_through(self, pid: int | None) -> None:
        record = self.record
        if record is None:
            return
        self.met_hint.hide()
        me = record.id
        self._change("Met through", lambda _p: people.update_person(me, met_through=pid))

    def _tier_chosen(self, index: int) -> None:
        record = self.record
        value = self.tier.itemData(index)
        if record is None or value == record.tier:
            return
        pid = record.id
        record.tier = value
        self._change("Tier", lambda _p: people.update_person(pid, tier=value))

    def _cadence_done(self) -> None:
        record = self.record
        value = self.cadence.value() or None
        if record is None or value == record.cadence_days:
            return
        pid = record.id
        record.cadence_days = value
        self._change("Cadence", lambda _p: people.update_person(pid, cadence_days=value))

    def _toggle_archived(self) -> None:
        record = self.record
        if record is not None:
            self.archive_requested.emit([record.id], not record.archived)

    def _leave_circle(self) -> None:
        record, item = self.record, self.circle_list.currentItem()
        if record is None or item is None:
            return
        pid, cid = record.id, int(item.data(Qt.ItemDataRole.UserRole))
        self._change("Circle", lambda _p: circle_ops.remove_from_circle([pid], cid))

    def _leave_goal(self) -> None:
        record, item = self.record, self.goal_list.currentItem()
        if record is None or item is None:
            return
        pid, gid = record.id, int(item.data(Qt.ItemDataRole.UserRole))
        self._change("Goal", lambda _p: goal_ops.unlink_people(gid, [pid]))

    def focus_name(self) -> None:
        self._ensure_person_page()
        edit = self._edits["name"]
        edit.setFocus()
        edit.selectAll()

    def edit(self, field: str) -> QLineEdit | NoteEdit:
        """The editor of ``field`` (for tests and for focusing)."""
        self._ensure_person_page()
        return self._edits.get(field) or self._notes[field]


_FIELD_NAMES = {
    "name": "Name",
    "given_name": "Given name",
    "family_name": "Family name",
    "additional_names": "Middle names",
    "prefix": "Prefix",
    "suffix": "Suffix",
    "nickname": "Nickname",
    "organization": "Organisation",
    "title": "Title",
    "city": "City",
    "region": "Region",
    "country": "Country",
    "birthday": "Birthday",
    "how_we_met": "How we met",
    "notes": "Notes",
}


def _wrap(layout: Any) -> QWidget:
    widget = QWidget()
    if isinstance(layout, QFormLayout):
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    widget.setLayout(layout)
    return widget
