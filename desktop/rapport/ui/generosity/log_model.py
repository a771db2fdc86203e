"""The log table's model: acts newest first, fetched a page at a time in the background."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from rapport.core.act_log import PAGE, ActFilter, ActRow, act_page
from rapport.core.acts import KIND_LABELS, is_touchpoint
from rapport.core.progress import Progress
from rapport.ui.generosity.chart import GIVEN_COLOR, RECEIVED_COLOR

if TYPE_CHECKING:
    from rapport.ui.operations import Operations

Index = QModelIndex | QPersistentModelIndex
DATE, KIND, DIRECTION, PEOPLE, NOTE, LINK = range(6)
HEADERS = ("Date", "Kind", "Direction", "People", "Note", "Link")
ACT_ROLE = Qt.ItemDataRole.UserRole
_ROOT = QModelIndex()


def direction_text(row: ActRow) -> str:
    if is_touchpoint(row.kind):
        return "touchpoint"
    return "given" if row.direction == "given" else "received"


class ActTableModel(QAbstractTableModel):
    """Rows of ``ActRow``; ``load(filter)`` replaces them, scrolling down fetches more."""

    loaded = Signal()  # a load (not a further page) has finished

    def __init__(self, ops: Operations, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.rows: list[ActRow] = []
        self.filter = ActFilter()
        self._more = False
        self._fetching = False
        self._generation = 0

    # -- loading ---------------------------------------------------------------------------

    def load(self, flt: ActFilter, *, keep: int = 0) -> None:
        """Show acts matching ``flt``; ``keep`` asks for at least that many (a refresh)."""
        self.filter = flt
        self._generation += 1
        generation = self._generation
        limit = max(PAGE, keep)

        def query(_p: Progress) -> list[ActRow]:
            return act_page(flt, limit=limit + 1)

        def done(rows: list[ActRow]) -> None:
            if generation != self._generation:
                return
            self.beginResetModel()
            self.rows = rows[:limit]
            self._more = len(rows) > limit
            self._fetching = False
            self.endResetModel()
            self.loaded.emit()

        self._fetching = True
        self.ops.query(None, query, done)

    def canFetchMore(self, parent: Index = _ROOT) -> bool:
        return not parent.isValid() and self._more and not self._fetching

    def fetchMore(self, parent: Index = _ROOT) -> None:
        if not self.canFetchMore(parent) or not self.rows:
            return
        generation = self._generation
        flt = self.filter
        last = self.rows[-1]
        after = (last.date, last.id)

        def query(_p: Progress) -> list[ActRow]:
            return act_page(flt, after=after, limit=PAGE + 1)

        def done(rows: list[ActRow]) -> None:
            if generation != self._generation:
                return
            self._fetching = False
            self._more = len(rows) > PAGE
            rows = rows[:PAGE]
            if rows:
                start = len(self.rows)
                self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
                self.rows.extend(rows)
                self.endInsertRows()

        self._fetching = True
        self.ops.query(None, query, done)

    @property
    def loading(self) -> bool:
        return self._fetching

    # -- the model -------------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def act(self, row: int) -> ActRow:
        return self.rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        act = self.rows[index.row()]
        column = index.column()
        if role == ACT_ROLE:
            return act.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == DATE:
                return f"{act.date:%d %b %Y}"
            if column == KIND:
                return KIND_LABELS.get(act.kind, act.kind)
            if column == DIRECTION:
                return direction_text(act)
            if column == PEOPLE:
                return ", ".join(act.names)
            if column == NOTE:
                return act.note
            if column == LINK:
                return act.url
        if role == Qt.ItemDataRole.ForegroundRole and column == DIRECTION:
            if is_touchpoint(act.kind):
                return None
            return QColor(GIVEN_COLOR if act.direction == "given" else RECEIVED_COLOR)
        return None
