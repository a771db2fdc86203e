"""The Contacts view: the people plan as a tree, filtered as you type, with a detail pane.

Opening it asks ``load_overview`` for the group headers (milliseconds, even at 100k
people), then ``load_roster`` for everyone in the background; the filter works once the
roster is in. After each operation only the people it touched are read again
(``load_patch``); the tree is patched in place, or regrouped keeping what was expanded,
selected and scrolled to.
"""

from __future__ import annotations

import ctypes
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QHideEvent, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rapport.core.changes import Changes
from rapport.core.contacts_tree import (
    GROUPINGS,
    ContactsTree,
    Group,
    Overview,
    Roster,
    RosterPatch,
    fold_fast,
    journal_overview,
    load_overview,
    load_patch,
    load_roster,
)
from rapport.core.progress import Progress
from rapport.store import settings
from rapport.ui.contacts import empty_state
from rapport.ui.contacts.commands import ContactCommands
from rapport.ui.contacts.context_menu import ContextMenus
from rapport.ui.contacts.detail_pane import DetailPane
from rapport.ui.contacts.plain import label
from rapport.ui.contacts.shortcuts import SHORTCUTS
from rapport.ui.contacts.tree_model import Column, ContactsTreeModel, Item, Kind
from rapport.ui.contacts.tree_view import PersonTree, TreeState
from rapport.ui.icons import icon
from rapport.ui.views import View

if TYPE_CHECKING:
    from rapport.ui.main_window import MainWindow

GROUP_SETTING = "ui.contacts.group"
ARCHIVED_SETTING = "ui.contacts.archived"
GROUPING_TITLES = {
    "goal": "Goal",
    "circle": "Circle",
    "city": "City",
    "organization": "Organisation",
}
AUTO_EXPAND = 60  # while filtering, open groups until about a screenful of people show


class ContactsView(ContactCommands, ContextMenus, View):
    key = "contacts"
    title = "Contacts"
    icon_name = "contacts"

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        grouping = settings.get(GROUP_SETTING)
        self.grouping: str = grouping if grouping in GROUPINGS else "goal"
        self.include_archived = bool(settings.get(ARCHIVED_SETTING))
        self.tree: ContactsTree | None = None
        self.roster: Roster | None = None
        self.overview: Overview | None = None
        self.dialog: Any = None  # the dialog or message box open now (tests drive it)
        self._generation = 0
        self._queued: Changes | None = None
        self._patching = False
        self._select_after: int | None = None
        self._loading_roster = False
        self._memory: dict[str, set[str]] = {}  # grouping -> expanded keys, unfiltered
        self._unfiltered: TreeState | None = None
        self._load()  # first: the headers are read while the widgets are built
        self._build()
        self._set_status("Loading…")

    # -- widgets -----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(6)

        self.bar = QWidget()
        bar = QHBoxLayout(self.bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.filter = QLineEdit()
        self.filter.setObjectName("contactsFilter")
        self.filter.setPlaceholderText("Filter by name, organisation, city, notes, email or handle")
        self.filter.setClearButtonEnabled(True)
        self.filter.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.filter.textChanged.connect(self._filter_changed)
        self.filter.returnPressed.connect(self._focus_first_match)
        self.filter.installEventFilter(self)
        bar.addWidget(self.filter, 1)

        bar.addWidget(label("Group by"))
        self.group_buttons = QButtonGroup(self)
        self.group_buttons.setExclusive(True)
        switch = QHBoxLayout()
        switch.setSpacing(0)
        for grouping in GROUPINGS:
            button = QToolButton()
            button.setText(GROUPING_TITLES[grouping])
            button.setCheckable(True)
            button.setChecked(grouping == self.grouping)
            button.setObjectName(f"group_{grouping}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.clicked.connect(lambda _=False, g=grouping: self.set_grouping(g))
            self.group_buttons.addButton(button)
            switch.addWidget(button)
        bar.addLayout(switch)

        self.archived_box = QCheckBox("Show archived")
        self.archived_box.setChecked(self.include_archived)
        self.archived_box.toggled.connect(self.set_include_archived)
        bar.addWidget(self.archived_box)

        self.new_button = QToolButton()
        self.new_button.setText("New")
        self.new_button.setIcon(icon("add"))
        self.new_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        new_menu = QMenu(self.new_button)
        bar.addWidget(self.new_button)
        layout.addWidget(self.bar)

        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)

        self.model = ContactsTreeModel(self)
        self.model.on_drop = self._dropped
        self.view = PersonTree()
        self.view.on_return = self.edit_current
        self.view.setObjectName("contactsTree")
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setAlternatingRowColors(True)
        self.view.setAnimated(False)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        self._batching = False
        self.model.modelReset.connect(self._reset_spans)
        self.view.expanded.connect(self._expanded)
        self._columns_for(self.grouping)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

        self.pane = DetailPane(self.ops, self.suggest, self)
        self.pane.add_to_circle_requested.connect(self.add_to_circle)
        self.pane.link_to_goal_requested.connect(self.link_to_goal)
        self.pane.archive_requested.connect(self.archive)
        self.pane.merge_requested.connect(self.merge)
        # Generosity: what was given and received, last given, last contact, a sparkline.
        # Made the first time someone is shown: the tree comes first.
        self.timeline: Any = None
        self.pane.person_changed.connect(self._show_timeline)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([700, 400])
        self.splitter.setChildrenCollapsible(False)
        tree_page = QWidget()
        tree_layout = QVBoxLayout(tree_page)
        tree_layout.setContentsMargins(0, 0, 0, 0)
        tree_layout.addWidget(self.splitter)
        self.pages.addWidget(tree_page)
        self.tree_page = tree_page

        self.empty = EmptyStateHost()
        self.empty.panel.add_person.connect(self.new_person)
        self.empty.panel.import_contacts.connect(self._import)
        self.empty.panel.try_sample.connect(self._try_sample)
        self.pages.addWidget(self.empty)

        self.status = label()
        self.status.setObjectName("contactsStatus")
        layout.addWidget(self.status)

        self.actions_: dict[str, QAction] = {}
        for name, text, slot in (
            ("new_person", "&New person…", self.new_person),
            ("archive", "&Archive / unarchive", self.archive_selected),
            ("merge", "&Merge selected…", self.merge_selected),
            ("add_to_circle", "Add to &circle…", self.add_selected_to_circle),
            ("link_goal", "Link to &goal…", self.link_selected_to_goal),
            ("edit", "&Edit", self.edit_current),
            ("delete", "&Delete…", self.delete_selected),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(SHORTCUTS[name]))
            action.triggered.connect(lambda _=False, s=slot: s())
            if name in ("delete", "edit"):
                # Del and F2 belong to the tree: in a text field they edit text.
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                self.view.addAction(action)
            else:
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                self.addAction(action)
            self.actions_[name] = action
        new_menu.addAction(self.actions_["new_person"])
        new_menu.addAction("New &goal…", self.new_goal)
        new_menu.addAction("New &circle…", lambda: self.new_circle(None))
        self.new_button.setMenu(new_menu)
        self.new_button.clicked.connect(self.new_person)

    # -- View interface ---------------------------------------------------------------------

    def _show_timeline(self, person_id: int | None) -> None:
        """Generosity: what was given and received, last given, last contact, a sparkline."""
        if self.timeline is None:
            if person_id is None:
                return
            from rapport.ui.generosity.person_timeline import PersonTimeline

            self.timeline = PersonTimeline(self.window_)
            self.pane.add_section("Given and received", self.timeline)
        self.timeline.set_person(person_id)

    def focus_find(self) -> None:
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    def activated(self) -> None:
        if self.pages.currentWidget() is self.tree_page:
            self.view.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        for action in self.actions_.values():
            action.setEnabled(True)
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        # Another view is showing: Ctrl+N and friends are theirs to take.
        for name, action in self.actions_.items():
            if name not in ("delete", "edit"):
                action.setEnabled(False)
        super().hideEvent(event)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if (
            watched is self.filter
            and isinstance(event, QKeyEvent)
            and event.type() == (QKeyEvent.Type.KeyPress)
        ):
            if event.key() == Qt.Key.Key_Escape and self.filter.text():
                self.filter.clear()
                return True
            if event.key() == Qt.Key.Key_Down:
                self._focus_first_match()
                return True
        return super().eventFilter(watched, event)

    # -- loading ---------------------------------------------------------------------------

    def _load(self) -> None:
        """Read the journal afresh: the headers now, everyone right after."""
        self._generation += 1
        self.roster = None
        self._queued = None
        self._loading_roster = False
        self._set_status("Loading…")
        self._read_overview()

    def _read_overview(self) -> None:
        generation = self._generation
        grouping, include = self.grouping, self.include_archived

        def overview(_p: Progress) -> tuple[Overview, ContactsTree]:
            return journal_overview(), load_overview(grouping, include_archived=include)

        self.ops.query(self, overview, lambda got: self._overview_ready(generation, *got))

    def _show_empty(self) -> None:
        self.tree = None
        self.model.set_tree(None)
        self.pages.setCurrentWidget(self.empty)
        self.bar.hide()
        self.pane.show_person(None)
        self._set_status("")

    def _overview_ready(self, generation: int, overview: Overview, tree: ContactsTree) -> None:
        if generation != self._generation or self.roster is not None:
            return
        self.overview = overview
        if overview.empty and not self._loading_roster:
            self._show_empty()
            return
        self.pages.setCurrentWidget(self.tree_page)
        self.bar.show()
        if tree.grouping == self.grouping and tree.include_archived == self.include_archived:
            self._show(tree)
        self._set_status(f"{tree.total:,} people — getting the search ready…")
        if self._loading_roster:
            return  # a refresh while everyone is being read: the read goes on
        self._loading_roster = True
        grouping, include, query = self.grouping, self.include_archived, self.filter.text()

        def everyone(_p: Progress) -> ContactsTree:
            tree = ContactsTree(load_roster(), grouping, include_archived=include, query=query)
            tree.fill_members()  # here, not on the GUI thread when a group opens
            return tree

        self.ops.query(self, everyone, lambda full: self._roster_ready(generation, full))

    def _roster_ready(self, generation: int, tree: ContactsTree) -> None:
        if generation != self._generation:
            return
        self._loading_roster = False
        self.roster = tree.roster
        roster = tree.roster
        if roster.people == 0 and not roster.goal_rows and not roster.circle_rows:
            self.roster = None
            self._show_empty()
            return
        if tree.grouping != self.grouping:
            tree = ContactsTree(tree.roster, self.grouping, include_archived=self.include_archived)
        tree.set_include_archived(self.include_archived)
        tree.set_query(self.filter.text())
        self._show(tree)
        self._set_status()
        give_back_memory()
        if self._queued is not None:
            self._next_patch()

    @property
    def loading(self) -> bool:
        """True until everyone is loaded (the filter then works)."""
        return self.roster is None and self.pages.currentWidget() is not self.empty

    # -- showing a tree, keeping the user's place --------------------------------------------

    def _capture(self) -> TreeState:
        state = TreeState()
        model, view = self.model, self.view
        if model.tree is None:
            return state
        for top in model.tree.shown:
            for group in top.walk():
                index = model.group_index(group.key)
                if index.isValid() and view.isExpanded(index):
                    state.expanded.add(group.key)
        for index in view.selectionModel().selectedRows(0):
            item = model.item(index)
            if item is None:
                continue
            if item.kind == Kind.PERSON and item.person_id is not None:
                state.people.append((item.person_id, item.group.key))
            elif item.kind == Kind.GROUP:
                state.groups.append(item.group.key)
        current = model.item(view.currentIndex())
        if current is not None and current.kind == Kind.PERSON and current.person_id is not None:
            state.current = (current.person_id, current.group.key)
        elif current is not None and current.kind == Kind.GROUP:
            state.current = current.group.key
        state.scroll = view.verticalScrollBar().value()
        return state

    def _show(self, tree: ContactsTree, state: TreeState | None = None) -> None:
        """Show ``tree``; put back ``state`` (by default, what is on screen now)."""
        if state is None:
            state = self._capture() if self.model.tree is not None else None
            if (
                state is not None
                and self.model.tree is not None
                and (self.model.tree.grouping != tree.grouping)
            ):
                state.expanded = self._memory.get(tree.grouping, set())
                state.scroll = 0
        if self.tree is None or self.tree.grouping != tree.grouping:
            self._columns_for(tree.grouping)
        self.tree = tree
        selection = self.view.selectionModel()
        # Expanding while the view's layout is still pending after the reset costs nothing;
        # spanning a row lays the tree out at once, so spans wait until everything is open.
        self._batching = True
        current = QModelIndex()
        try:
            selection.blockSignals(True)
            self.model.set_tree(tree)
            selection.blockSignals(False)
            if tree.filtering:
                self._auto_expand()
            elif state is None or (not state.expanded and tree.grouping not in self._memory):
                self._default_expand()
            if state is not None:
                current = self._restore(state)
        finally:
            self._batching = False
        self._span_all()
        if state is not None:
            self.view.verticalScrollBar().setValue(state.scroll)
            if current.isValid():
                self.view.scrollTo(current)
        self._selection_changed()
        self._set_status()

    def _restore(self, state: TreeState) -> QModelIndex:
        """Expand and select what ``state`` names; returns the current row it found."""
        model, view = self.model, self.view
        if self.tree is not None and not self.tree.filtering:
            for key in state.expanded:
                index = model.group_index(key)
                if index.isValid():
                    view.expand(index)
        selection = view.selectionModel()
        selection.blockSignals(True)
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for pid, key in state.people:
            index = model.person_index(pid, key)
            if not index.isValid():
                index = model.person_index(pid)
            if index.isValid():
                selection.select(index, flags)
        for key in state.groups:
            index = model.group_index(key)
            if index.isValid():
                selection.select(index, flags)
        current = QModelIndex()
        if isinstance(state.current, tuple):
            pid, key = state.current
            current = model.person_index(pid, key)
            if not current.isValid():
                current = model.person_index(pid)
                if current.isValid():
                    view.expand(current.parent())
        elif isinstance(state.current, str):
            current = model.group_index(state.current)
        if current.isValid():
            selection.setCurrentIndex(current, QItemSelectionModel.SelectionFlag.NoUpdate)
        selection.blockSignals(False)
        return current

    def _default_expand(self) -> None:
        """On first sight: the goals open (the plan), top circles open to show their nesting."""
        tree = self.tree
        if tree is None:
            return
        for group in tree.shown:
            if group.catch_all:
                continue
            if group.kind == "goal" or (group.kind == "circle" and group.shown_subgroups):
                self.view.expand(self.model.group_index(group.key))

    def _auto_expand(self) -> None:
        """While filtering: open groups, in order, while few enough people show."""
        tree = self.tree
        if tree is None:
            return
        budget = AUTO_EXPAND

        def walk(groups: list[Group]) -> None:
            nonlocal budget
            for group in groups:
                size = (group.count or 0) + len(group.shown_slots)
                if size > budget:
                    return
                budget -= size
                self.view.expand(self.model.group_index(group.key))
                walk(group.shown_subgroups)

        walk(tree.shown)

    def _remember_expanded(self) -> None:
        if self.tree is not None and not self.tree.filtering and self.model.tree is not None:
            self._memory[self.tree.grouping] = self._capture().expanded

    def _columns_for(self, grouping: str) -> None:
        """Role only means something on a goal; a city group need not repeat the city."""
        self.view.setColumnHidden(Column.ROLE, grouping != "goal")
        self.view.setColumnHidden(Column.CITY, grouping == "city")
        self.view.setColumnHidden(Column.ORGANIZATION, grouping == "organization")
        self.view.share_width()

    def _reset_spans(self) -> None:
        if not self._batching:
            self._span(QModelIndex())

    def _expanded(self, index: QModelIndex) -> None:
        if not self._batching:
            self._span(index)

    def _span_all(self) -> None:
        self._span(QModelIndex())
        tree = self.tree
        if tree is None:
            return

        def walk(groups: list[Group]) -> None:
            for group in groups:
                index = self.model.group_index(group.key)
                if index.isValid() and self.view.isExpanded(index):
                    self._span(index)
                    walk(group.shown_subgroups)

        walk(tree.shown)

    def _span(self, parent: QModelIndex) -> None:
        """Goal and slot rows read across the columns (a long goal title stays whole).

        Circles, cities and organisations have short names: their rows need no span, and
        hundreds of organisations would each cost a layout pass.
        """
        if self.tree is None or self.tree.grouping != "goal":
            return
        for row in self.model.spanned_rows(parent):
            self.view.setFirstColumnSpanned(row, parent, True)

    # -- switches -----------------------------------------------------------------------------

    def set_grouping(self, grouping: str) -> None:
        if grouping not in GROUPINGS:
            raise ValueError(grouping)
        for button in self.group_buttons.buttons():
            button.setChecked(button.objectName() == f"group_{grouping}")
        if grouping == self.grouping:
            return
        self._remember_expanded()
        self.grouping = grouping
        self._save_setting(GROUP_SETTING, grouping)
        self._unfiltered = None
        if self.roster is None:
            self._load()
            return
        tree = ContactsTree(
            self.roster, grouping, include_archived=self.include_archived, query=self.filter.text()
        )
        self._show(tree)

    def set_include_archived(self, include: bool) -> None:
        if self.archived_box.isChecked() != include:
            self.archived_box.setChecked(include)  # comes back here through toggled
            return
        if include == self.include_archived:
            return
        self.include_archived = include
        self._save_setting(ARCHIVED_SETTING, include)
        if self.tree is None or not self.tree.complete:
            self._load()
            return
        state = self._capture()
        self.tree.set_include_archived(include)
        self._show(self.tree, state)

    def _save_setting(self, key: str, value: Any) -> None:
        def save(_p: Progress) -> Changes:
            settings.put(key, value)
            return Changes()  # window state: nothing to refresh, nothing to undo

        self.ops.change(None, "Remember the view", save)

    def _filter_changed(self, text: str) -> None:
        tree = self.tree
        if tree is None:
            return
        if not tree.complete:
            self._set_status()
            return  # applied when everyone is loaded
        was_filtering = tree.filtering
        state = self._capture()
        if not tree.set_query(text):
            return
        if not was_filtering and tree.filtering:
            self._unfiltered = state
            self._memory[tree.grouping] = state.expanded
        if tree.filtering:
            self._show(tree, replace(state, expanded=set()))
        else:
            previous = self._unfiltered or state
            self._unfiltered = None
            keep = state.people or previous.people
            previous.people, previous.current = keep, state.current or previous.current
            self._show(tree, previous)

    def _focus_first_match(self) -> None:
        model = self.model
        index = QModelIndex()
        for row in range(model.rowCount()):
            group = model.index(row, 0)
            if self.view.isExpanded(group) and model.rowCount(group):
                index = model.index(0, 0, group)
                break
        if not index.isValid() and model.rowCount():
            index = model.index(0, 0)
        self.view.setFocus()
        if index.isValid():
            self.view.setCurrentIndex(index)

    # -- status ------------------------------------------------------------------------------

    def _set_status(self, text: str | None = None) -> None:
        if not hasattr(self, "status"):
            return  # still building
        if text is None:
            text = ""
            tree = self.tree
            if tree is not None:
                everyone = tree.total
                if tree.filtering and self.roster is not None:
                    text = "1 person matches" if everyone == 1 else f"{everyone:,} people match"
                elif self.filter.text().strip() and not tree.complete:
                    text = "Getting the search ready…"
                else:
                    text = "1 person" if everyone == 1 else f"{everyone:,} people"
                picked = len(self.selected_people())
                if picked > 1:
                    text += f" — {picked:,} selected"
        self.status.setText(text)

    # -- selection -----------------------------------------------------------------------------

    def selected_items(self) -> list[Item]:
        out = []
        for index in self.view.selectionModel().selectedRows(0):
            item = self.model.item(index)
            if item is not None:
                out.append(item)
        return out

    def selected_people(self) -> list[int]:
        seen: dict[int, None] = {}
        for item in self.selected_items():
            if item.kind == Kind.PERSON and item.person_id is not None:
                seen[item.person_id] = None
        return list(seen)

    def current_item(self) -> Item | None:
        return self.model.item(self.view.currentIndex())

    def _selection_changed(self, *_args: Any) -> None:
        chosen = self.selected_people()
        if len(chosen) > 1:
            self.pane.show_many(chosen)
        elif len(chosen) == 1:
            self.pane.show_person(chosen[0])
        else:
            self.pane.show_person(None)
        self._set_status()

    def select_person(self, person_id: int) -> bool:
        index = self.model.person_index(person_id)
        if not index.isValid():
            return False
        self.view.expand(index.parent())
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    def suggest(self, text: str, limit: int = 12) -> list[tuple[int, str, str]]:
        """People whose name contains ``text`` (folded), for 'met through' completion."""
        roster = self.roster
        if roster is None or roster.order is None:
            return []
        needle = fold_fast(text)
        keys = roster.sort_keys
        found: list[tuple[int, str, str]] = []
        shown_before: set[str] = set()
        for pos in roster.order:
            if needle in keys[pos]:
                name, org, pid = roster.names[pos], roster.orgs[pos], roster.ids[pos]
                shown = f"{name} — {org}" if org else name
                if shown in shown_before:
                    shown = f"{shown} (#{pid})"
                shown_before.add(shown)
                found.append((pid, name, shown))
                if len(found) >= limit:
                    break
        return found

    # -- changes from anywhere -----------------------------------------------------------------

    def on_changes(self, changes: Changes, initiator: object | None) -> None:
        self.pane.on_changes(changes)
        if not (changes.any_people or changes.circles or changes.goals or changes.everything):
            return
        if self.roster is None and self._loading_roster and not changes.everything:
            # Everyone is being read: show fresh headers now, patch the rest when it comes.
            self._queued = changes if self._queued is None else self._queued | changes
            self._read_overview()
            return
        if changes.everything or self.roster is None:
            self._load()  # nothing to patch (or everything changed): read afresh
            return
        self._queued = changes if self._queued is None else self._queued | changes
        if not self._patching:
            self._next_patch()

    def _next_patch(self) -> None:
        """Read what the queued changes touched; one read at a time, so none overtakes."""
        if self._queued is None or self.roster is None:
            return
        changes, self._queued = self._queued, None
        self._patching = True
        generation = self._generation

        def failed(exc: BaseException) -> None:
            self._patching = False
            from rapport.ui.errors import show_error

            show_error(self, exc)
            self._load()

        self.ops.query(
            self,
            lambda _p: load_patch(changes),
            lambda patch: self._patch_ready(generation, patch),
            failure=failed,
        )

    def _patch_ready(self, generation: int, patch: RosterPatch | None) -> None:
        self._patching = False
        if generation != self._generation:
            return
        tree = self.tree
        if patch is None or tree is None or not tree.complete:
            self._load()
            return
        state = self._capture()
        effect = tree.apply(patch)
        roster = tree.roster
        if roster.people == 0 and not roster.goal_rows and not roster.circle_rows:
            self._load()  # the journal became empty: show what to do
            return
        if effect.regroup:
            self._show(tree, state)
        else:
            self.model.refresh_people(effect.touched)
            self._set_status()
        if self._select_after is not None and self._select_after in roster.index:
            pid, self._select_after = self._select_after, None
            self.select_person(pid)
        self._next_patch()

    # -- empty journal --------------------------------------------------------------------------

    def _import(self) -> None:
        self.window_.choose_import()

    def _try_sample(self) -> None:
        started = empty_state.launch_sample(self.ops.journal.path.parent)
        self.window_.statusBar().showMessage(
            "Opening the sample journal in its own window…"
            if started
            else "Could not start the sample journal.",
            8000,
        )


def give_back_memory() -> None:
    """Hand the memory freed after loading everyone back to the system.

    The load builds large temporary lists on a reader thread; glibc keeps what they freed
    in that thread's arena unless asked, which at 100k people is tens of megabytes.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # another C library: nothing to trim


class EmptyStateHost(QWidget):
    """Holds the empty-state panel (kept separate so the panel has no view logic)."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.panel = empty_state.EmptyState(self)
        layout.addWidget(self.panel)
