"""The Generosity view: the log of acts given and received, with the chart above and, beside
it, what to do next — This week, Serve next, Due and Follow-ups.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rapport.core.acts import delete_acts
from rapport.core.changes import Changes
from rapport.core.clock import today
from rapport.core.generosity import Overview, overview
from rapport.core.progress import Progress
from rapport.ui.generosity.chart import WeeklyChart
from rapport.ui.generosity.filter_bar import FilterBar
from rapport.ui.generosity.log_model import DATE, DIRECTION, KIND, LINK, NOTE, PEOPLE, ActTableModel
from rapport.ui.generosity.person_timeline import PersonTimeline
from rapport.ui.generosity.suggestions import Entry, SuggestionList
from rapport.ui.views import View

if TYPE_CHECKING:
    from rapport.ui.main_window import MainWindow

EMPTY_LOG = (
    "Nothing logged yet.\n\nPress Ctrl+L anywhere to log what you gave or received — "
    "a link you shared, an introduction, a thank-you — or a coffee or a call."
)
NO_MATCH = "No acts match these filters."
EMPTY_WEEK = (
    "No plan yet. Link people to an active goal, or give them tier 1 or 2 in Contacts, "
    "and this week's plan appears here."
)
EMPTY_SERVE = (
    "Nobody to serve yet. Link people to an active goal, or give them tier 1 or 2 in Contacts."
)
EMPTY_DUE = "Nobody is due: you are in touch with everyone within their cadence."
EMPTY_FOLLOW = (
    "No follow-ups. When a coffee, a meal or a call is marked done, a thank-you to send "
    "shows up here for two days."
)


def week_entries(data: Overview) -> list[Entry]:
    out: list[Entry] = []
    sections = (
        ("Give", data.plan.give, "share"),
        ("Meet", data.plan.meet, "invite"),
        ("Reconnect", data.plan.reconnect, "message"),
    )
    for title, items, kind in sections:
        if not items:
            continue
        out.append(Entry(title, header=True))
        for item in items:
            out.append(Entry(item.name, "; ".join(item.reasons), "", item.person_id, kind))
    if data.follow_ups:
        out.append(Entry("Follow up", header=True))
        out += follow_up_entries(data)
    return out


def serve_entries(data: Overview) -> list[Entry]:
    return [
        Entry(r.name, "; ".join(r.reasons), str(r.score), r.person_id, "share") for r in data.serve
    ]


def due_entries(data: Overview) -> list[Entry]:
    return [
        Entry(r.name, r.reason(), f"{r.days_overdue} d overdue", r.person_id, "message")
        for r in data.due
    ]


def follow_up_entries(data: Overview) -> list[Entry]:
    return [
        Entry(
            f.name,
            f.reason(data.today),
            "late" if f.late(data.today) else f"by {f.due_by:%a}",
            f.person_id,
            "thanks",
            late=f.late(data.today),
        )
        for f in data.follow_ups
    ]


class GenerosityView(View):
    key = "generosity"
    title = "Generosity"
    icon_name = "generosity"

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("generosityView")
        self._dirty = True
        self._insight_generation = 0
        self._count_generation = 0
        self.overview: Overview | None = None

        heading = QLabel("Generosity")
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        heading.setFont(font)
        self.log_button = QPushButton("Log an act…")
        self.log_button.setObjectName("logButton")
        self.log_button.setToolTip("Ctrl+L, from anywhere in the window")
        self.log_button.clicked.connect(lambda: self._quick_log())
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.log_button)

        self.chart = WeeklyChart()

        self.filters = FilterBar(self.ops, self)
        self.filters.changed.connect(self._filter_changed)
        self.person_summary = PersonTimeline(window, self, compact=True)
        self.person_summary.hide()
        self.model = ActTableModel(self.ops, self)
        self.model.loaded.connect(self._log_loaded)
        self.table = QTableView()
        self.table.setObjectName("actTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column, mode in (
            (DATE, QHeaderView.ResizeMode.ResizeToContents),
            (KIND, QHeaderView.ResizeMode.ResizeToContents),
            (DIRECTION, QHeaderView.ResizeMode.ResizeToContents),
            (PEOPLE, QHeaderView.ResizeMode.Interactive),
            (NOTE, QHeaderView.ResizeMode.Stretch),
            (LINK, QHeaderView.ResizeMode.Interactive),
        ):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(PEOPLE, 160)
        header.resizeSection(LINK, 130)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.edit_action = QAction("Edit…", self.table)
        self.edit_action.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
        self.edit_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.edit_action.triggered.connect(self.edit_selected)
        self.delete_action = QAction("Delete", self.table)
        self.delete_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence("Backspace")]
        )
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.table.addAction(self.edit_action)
        self.table.addAction(self.delete_action)

        self.empty = QLabel(EMPTY_LOG)
        self.empty.setObjectName("emptyLog")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMargin(24)
        self.log_stack = QStackedWidget()
        self.log_stack.addWidget(self.table)
        self.log_stack.addWidget(self.empty)

        self.count = QLabel("")
        self.count.setObjectName("actCount")
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_selected)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.clicked.connect(self.filters.reset)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.clear_button)
        bottom.addWidget(self.edit_button)
        bottom.addWidget(self.delete_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filters)
        left_layout.addWidget(self.person_summary)
        left_layout.addWidget(self.log_stack, 1)
        left_layout.addLayout(bottom)

        self.week = SuggestionList(EMPTY_WEEK)
        self.serve = SuggestionList(EMPTY_SERVE)
        self.due = SuggestionList(EMPTY_DUE)
        self.follow = SuggestionList(EMPTY_FOLLOW)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("suggestionTabs")
        self.tabs.setUsesScrollButtons(False)  # four short tabs: show them all, always
        self.tabs.addTab(self.week, "This week")
        self.tabs.addTab(self.serve, "Serve next")
        self.tabs.addTab(self.due, "Due")
        self.tabs.addTab(self.follow, "Follow-ups")
        for lst in (self.week, self.serve, self.due, self.follow):
            lst.chosen.connect(self._log_for)
            lst.show_person.connect(self.show_person)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([780, 420])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.chart)
        layout.addWidget(self.splitter, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    # -- View ------------------------------------------------------------------------------

    def on_changes(self, changes: Changes, initiator: object | None) -> None:
        relevant = (
            changes.everything
            or changes.acts
            or changes.any_people
            or changes.goals
            or changes.settings
            or changes.meetings
            or changes.trips
        )
        if not relevant:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def focus_find(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def activated(self) -> None:
        if self._dirty:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def quick_log_people(self) -> list[tuple[int, str]]:
        """Whom Ctrl+L starts with here: the person picked in a list, or the filter's."""
        lst = self.tabs.currentWidget()
        if isinstance(lst, SuggestionList):
            picked = lst.selected_person()
            if picked is not None:
                return [picked]
        return list(self.filters.person.people)

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self._dirty = False
        self._load_log(keep=True)
        self._load_insights()

    def _filter_changed(self) -> None:
        person = self.filters.person.people
        self.person_summary.setVisible(bool(person))
        self.person_summary.set_person(person[0][0] if person else None)
        self._load_log(keep=False)

    def _load_log(self, *, keep: bool) -> None:
        flt = self.filters.current()
        self.model.load(flt, keep=len(self.model.rows) if keep else 0)
        self._count_generation += 1
        generation = self._count_generation

        def count(_p: Progress) -> tuple[int, int]:
            from rapport.core.act_log import ActFilter, count_acts

            return count_acts(flt), count_acts(ActFilter()) if flt != ActFilter() else -1

        def done(result: tuple[int, int]) -> None:
            if generation != self._count_generation:
                return
            shown, total = result
            noun = "act" if shown == 1 else "acts"
            self.count.setText(
                f"{shown:,} {noun}" if total < 0 else f"{shown:,} of {total:,} acts match"
            )
            if total == 0 or (total < 0 and shown == 0):
                self.empty.setText(EMPTY_LOG)
            elif shown == 0:
                self.empty.setText(NO_MATCH)

        self.ops.query(self, count, done)

    def _log_loaded(self) -> None:
        if self.model.rows:
            self.log_stack.setCurrentWidget(self.table)
        else:
            self.empty.setText(NO_MATCH if self.filters.is_filtered() else EMPTY_LOG)
            self.log_stack.setCurrentWidget(self.empty)
        self.clear_button.setVisible(self.filters.is_filtered())
        self._update_buttons()

    def _load_insights(self) -> None:
        self._insight_generation += 1
        generation = self._insight_generation
        day = today()

        def query(progress: Progress) -> Overview:
            return overview(day, progress)

        def done(data: Overview) -> None:
            if generation == self._insight_generation:
                self.show_overview(data)

        self.ops.query(self, query, done)

    def show_overview(self, data: Overview) -> None:
        self.overview = data
        self.chart.set_series(data.series)
        self.week.set_entries(week_entries(data))
        self.serve.set_entries(serve_entries(data))
        self.due.set_entries(due_entries(data))
        self.follow.set_entries(follow_up_entries(data))
        due_label = f"Due ({data.due_total:,})" if data.due_total else "Due"
        follow_label = f"Follow-ups ({len(data.follow_ups)})" if data.follow_ups else "Follow-ups"
        self.tabs.setTabText(self.tabs.indexOf(self.due), due_label)
        self.tabs.setTabText(self.tabs.indexOf(self.follow), follow_label)

    # -- acting ----------------------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedRows()})

    def _update_buttons(self) -> None:
        rows = self.selected_rows()
        self.edit_button.setEnabled(len(rows) == 1)
        self.delete_button.setEnabled(bool(rows))

    def edit_selected(self) -> None:
        rows = self.selected_rows()
        if len(rows) != 1:
            return
        from rapport.ui.quick_log import open_quick_log

        open_quick_log(self.window_, act=self.model.act(rows[0]))

    def delete_selected(self) -> None:
        ids = [self.model.act(r).id for r in self.selected_rows()]
        if not ids:
            return
        label = "Delete act" if len(ids) == 1 else f"Delete {len(ids)} acts"
        self.ops.change(self, label, lambda _p: delete_acts(ids), initiator=self)

    def show_person(self, person_id: int, name: str) -> None:
        self.filters.set_person(person_id, name)

    def _log_for(self, person_id: int, kind: str) -> None:
        name = next(
            (
                e.title
                for lst in (self.week, self.serve, self.due, self.follow)
                for e in lst.entries
                if e.person_id == person_id
            ),
            "",
        )
        self._quick_log([(person_id, name)], kind)

    def _quick_log(self, people: list[tuple[int, str]] | None = None, kind: str = "share") -> None:
        from rapport.ui.quick_log import open_quick_log

        open_quick_log(self.window_, people=people, kind=kind)
