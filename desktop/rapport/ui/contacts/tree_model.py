"""The contacts tree as a lazy QAbstractItemModel over ``core.contacts_tree.ContactsTree``.

Nothing is made per person: a person row is (its group, a row number), and the model
reads the roster's lists when Qt asks for data. Every index carries the number of its
*parent* group node as its internal id (0 for top-level rows), so ``parent()`` is one list
lookup. A group lists its people a page at a time (``canFetchMore``/``fetchMore``), so
expanding "Not on a goal" with 99,000 people costs one page, not 99,000 rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from rapport.core.contacts_tree import ContactsTree, Group, SlotRow
from rapport.ui.contacts.plain import tooltip
from rapport.ui.icons import icon

MIME_TYPE = "application/x-rapport-contacts"
SLOT_COLOR = "#2f7d6d"  # the accent of the icons: an open slot is the plan's to-do
PAGE = 500

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NAME = 0
    ROLE = 1
    ORGANIZATION = 2
    CITY = 3


HEADERS = {
    Column.NAME: "Name",
    Column.ROLE: "Role",
    Column.ORGANIZATION: "Organisation",
    Column.CITY: "City",
}


class Kind(IntEnum):
    GROUP = 1
    SLOT = 2
    PERSON = 3


class Role(IntEnum):
    KIND = Qt.ItemDataRole.UserRole + 1
    PERSON_ID = Qt.ItemDataRole.UserRole + 2
    GROUP_KEY = Qt.ItemDataRole.UserRole + 3  # a group's own key; a person's or slot's group
    REF = Qt.ItemDataRole.UserRole + 4  # goal or circle id of a group; slot id of a slot
    ARCHIVED = Qt.ItemDataRole.UserRole + 5


GROUP_ICONS = {"goal": "goal", "circle": "circle", "city": "city", "organization": "organisation"}

_GROUP, _SLOT, _PERSON = int(Kind.GROUP), int(Kind.SLOT), int(Kind.PERSON)
_COLUMNS = len(Column)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
        *Role,
    )
)
_PLAIN_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_DROP_FLAGS = _PLAIN_FLAGS | Qt.ItemFlag.ItemIsDropEnabled
_PERSON_FLAGS = _DROP_FLAGS | Qt.ItemFlag.ItemIsDragEnabled
_CIRCLE_FLAGS = _PERSON_FLAGS
_DROP_ONLY = Qt.ItemFlag.ItemIsDropEnabled


@dataclass(frozen=True)
class Item:
    """What one index shows: a group, an open slot, or a person listed under ``group``."""

    kind: Kind
    group: Group
    slot: SlotRow | None = None
    pos: int = -1
    person_id: int | None = None


@dataclass(frozen=True)
class Drop:
    """People and/or circles dropped onto a group or a slot (the view makes it a change)."""

    people: list[int]
    circles: list[int]
    target: Group | None  # None: the empty area below the groups
    slot: SlotRow | None = None


class ContactsTreeModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.tree: ContactsTree | None = None
        self.on_drop: Callable[[Drop], bool] | None = None
        self._nodes: list[Group | None] = [None]  # node 0 is the invisible root
        self._node_of: dict[int, int] = {}  # id(group) -> node
        self._row_of: dict[int, int] = {}  # node -> row under its parent
        self._loaded: dict[int, int] = {}  # node -> people rows exposed so far
        self._resolved: dict[tuple[int, int], tuple[int, Group, Any]] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._slot_brush = QBrush(QColor(SLOT_COLOR))

    # -- the tree behind ---------------------------------------------------------------------

    def set_tree(self, tree: ContactsTree | None) -> None:
        """Show ``tree`` (a reset: the view restores what was expanded and selected)."""
        self.beginResetModel()
        self.tree = tree
        self._index_groups()
        self.endResetModel()

    def _index_groups(self) -> None:
        self._nodes = [None]
        self._node_of = {}
        self._row_of = {}
        self._loaded = {}
        self._resolved = {}
        if self.tree is None:
            return

        def visit(groups: Sequence[Group]) -> None:
            for row, group in enumerate(groups):
                node = len(self._nodes)
                self._nodes.append(group)
                self._node_of[id(group)] = node
                self._row_of[node] = row
                visit(group.shown_subgroups)

        visit(self.tree.shown)

    def refresh_people(self, positions: Iterable[int]) -> None:
        """Repaint the rows that show these people, wherever they are listed and loaded."""
        tree = self.tree
        if tree is None:
            return
        wanted = set(positions)
        last = self.columnCount() - 1
        for node, loaded in self._loaded.items():
            group = self._nodes[node]
            if group is None or not loaded:
                continue
            offset = len(group.shown_subgroups) + len(group.shown_slots)
            members = tree.visible_members(group)[:loaded]
            for row, pos in enumerate(members):
                if pos in wanted:
                    parent = self._group_index(group)
                    self.dataChanged.emit(
                        self.index(offset + row, 0, parent), self.index(offset + row, last, parent)
                    )

    # -- structure ---------------------------------------------------------------------------

    def _group_index(self, group: Group, column: int = 0) -> QModelIndex:
        node = self._node_of.get(id(group))
        if node is None:
            return QModelIndex()
        parent = group.parent
        parent_node = 0 if parent is None else self._node_of.get(id(parent), 0)
        return self.createIndex(self._row_of[node], column, parent_node)

    # The methods below run thousands of times per repaint: they use plain ints and tuples.

    def _group_at(self, index: AnyIndex) -> Group | None:
        """The group a row shows, or None if the row is not a group."""
        tree = self.tree
        if tree is None or not index.isValid():
            return None
        node, row = index.internalId(), index.row()
        if node == 0:
            shown = tree.shown
            return shown[row] if row < len(shown) else None
        if node >= len(self._nodes):
            return None
        parent = self._nodes[node]
        if parent is None:
            return None
        subs = parent.shown_subgroups
        return subs[row] if row < len(subs) else None

    def _resolve(self, index: AnyIndex) -> tuple[int, Group, Any] | None:
        """(kind, group, slot or position) for a valid row; remembered until the next reset
        (a paint asks each row a dozen questions)."""
        if not index.isValid():
            return None
        key = (index.internalId(), index.row())
        found = self._resolved.get(key)
        if found is None:
            found = self._resolve_row(*key)
            if found is not None:
                self._resolved[key] = found
        return found

    def _resolve_row(self, node: int, row: int) -> tuple[int, Group, Any] | None:
        tree = self.tree
        if tree is None:
            return None
        if node == 0:
            shown = tree.shown
            return (_GROUP, shown[row], None) if row < len(shown) else None
        if node >= len(self._nodes):
            return None
        parent = self._nodes[node]
        if parent is None:
            return None
        subs = parent.shown_subgroups
        if row < len(subs):
            return _GROUP, subs[row], None
        row -= len(subs)
        slots = parent.shown_slots
        if row < len(slots):
            return _SLOT, parent, slots[row]
        row -= len(slots)
        if row >= self._loaded.get(node, 0):
            return None
        members = tree.visible_members(parent)
        return (_PERSON, parent, members[row]) if row < len(members) else None

    def item(self, index: AnyIndex) -> Item | None:
        found = self._resolve(index)
        if found is None:
            return None
        kind, group, extra = found
        if kind == _GROUP:
            return Item(Kind.GROUP, group)
        if kind == _SLOT:
            return Item(Kind.SLOT, group, slot=extra)
        assert self.tree is not None
        return Item(Kind.PERSON, group, pos=extra, person_id=self.tree.roster.ids[extra])

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        tree = self.tree
        if tree is None or row < 0 or not 0 <= column < _COLUMNS:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(tree.shown):
                return QModelIndex()
            return self.createIndex(row, column, 0)
        group = self._group_at(parent)
        if group is None or row >= self._rows_under(group):
            return QModelIndex()
        return self.createIndex(row, column, self._node_of[id(group)])

    def parent(self, child: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid():
            return QModelIndex()
        node = child.internalId()
        if node == 0 or node >= len(self._nodes):
            return QModelIndex()
        group = self._nodes[node]
        assert group is not None
        return self._group_index(group)

    def _rows_under(self, group: Group) -> int:
        node = self._node_of.get(id(group), 0)
        return len(group.shown_subgroups) + len(group.shown_slots) + self._loaded.get(node, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if self.tree is None:
            return 0
        if not parent.isValid():
            return len(self.tree.shown)
        if parent.column() > 0:
            return 0
        group = self._group_at(parent)
        return 0 if group is None else self._rows_under(group)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return _COLUMNS

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        if self.tree is None:
            return False
        if not parent.isValid():
            return bool(self.tree.shown)
        if parent.column() > 0:
            return False
        group = self._group_at(parent)
        if group is None:
            return False
        return bool(group.shown_subgroups or group.shown_slots) or group.count != 0

    def canFetchMore(self, parent: AnyIndex) -> bool:
        group = self._group_at(parent)
        if group is None or self.tree is None:
            return False
        node = self._node_of[id(group)]
        return self._loaded.get(node, 0) < len(self.tree.visible_members(group))

    def fetchMore(self, parent: AnyIndex) -> None:
        group = self._group_at(parent)
        if group is None or self.tree is None:
            return
        node = self._node_of[id(group)]
        loaded = self._loaded.get(node, 0)
        total = len(self.tree.visible_members(group))
        more = min(PAGE, total - loaded)
        if more <= 0:
            return
        first = len(group.shown_subgroups) + len(group.shown_slots) + loaded
        self.beginInsertRows(parent, first, first + more - 1)
        self._loaded[node] = loaded + more
        self.endInsertRows()

    def ensure_loaded(self, group: Group, count: int) -> None:
        """Fetch pages until at least ``count`` people of ``group`` are rows."""
        index = self._group_index(group)
        node = self._node_of.get(id(group))
        while node is not None and self._loaded.get(node, 0) < count and self.canFetchMore(index):
            self.fetchMore(index)

    # -- finding rows ------------------------------------------------------------------------

    def group_index(self, key: str) -> QModelIndex:
        if self.tree is None:
            return QModelIndex()
        group = self.tree.group(key)
        return QModelIndex() if group is None else self._group_index(group)

    def person_index(self, person_id: int, group_key: str | None = None) -> QModelIndex:
        """The row of ``person_id`` under ``group_key`` (or under the first group listing them),
        fetching pages as needed; invalid if they are not shown there."""
        tree = self.tree
        if tree is None:
            return QModelIndex()
        pos = tree.roster.position(person_id)
        if pos is None:
            return QModelIndex()
        if group_key is not None:
            group = tree.group(group_key)
            candidates = [group] if group is not None else []
        else:
            candidates = tree.groups_of(pos)
        for group in candidates:
            if group is None or id(group) not in self._node_of:
                continue
            members = tree.visible_members(group)
            row = _find(members, pos, tree)
            if row is None:
                continue
            self.ensure_loaded(group, row + 1)
            offset = len(group.shown_subgroups) + len(group.shown_slots)
            return self.createIndex(offset + row, 0, self._node_of[id(group)])
        return QModelIndex()

    def spanned_rows(self, parent: AnyIndex) -> range:
        """The rows under ``parent`` that read across every column: groups and open slots."""
        if not parent.isValid():
            return range(self.rowCount())
        group = self._group_at(parent)
        if group is None:
            return range(0)
        return range(len(group.shown_subgroups) + len(group.shown_slots))

    def slot_index(self, slot_id: int) -> QModelIndex:
        if self.tree is None:
            return QModelIndex()
        for node, group in enumerate(self._nodes):
            if group is None:
                continue
            for row, slot in enumerate(group.shown_slots):
                if slot.id == slot_id:
                    return self.createIndex(len(group.shown_subgroups) + row, 0, node)
        return QModelIndex()

    # -- data --------------------------------------------------------------------------------

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS.get(Column(section)) if 0 <= section < len(Column) else None
        return None

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        if role not in _ROLES:
            return None
        found = self._resolve(index)
        if found is None:
            return None
        kind, group, extra = found
        if kind == _PERSON:
            return self._person_data(group, extra, index.column(), role)
        if kind == _GROUP:
            return self._group_data(group, index.column(), role)
        return self._slot_data(group, extra, index.column(), role)

    def _group_data(self, group: Group, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return group.display if column == Column.NAME else None
        if role == Qt.ItemDataRole.DecorationRole and column == Column.NAME:
            return icon(GROUP_ICONS.get(group.kind, "person"))
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and group.status in ("done", "dropped"):
            return _muted()
        if role == Qt.ItemDataRole.ToolTipRole:
            count = "counting…" if group.count is None else f"{group.count:,} people"
            status = f"Goal {group.status}" if group.kind == "goal" and group.status else ""
            return tooltip(group.label, count, status)
        if role == Role.KIND:
            return int(Kind.GROUP)
        if role == Role.GROUP_KEY:
            return group.key
        if role == Role.REF:
            return group.ref
        return None

    def _slot_data(self, group: Group, slot: SlotRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == Column.NAME:  # the view spans slot rows over every column
                return f"Open: {slot.description}" + (f" — {slot.role}" if slot.role else "")
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == Column.NAME:
            return icon("slot")
        if role == Qt.ItemDataRole.FontRole:
            return self._italic
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._slot_brush
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(
                "Who I need to know:",
                slot.description,
                slot.role and f"Role: {slot.role}",
                "Drop a person here to fill this slot.",
            )
        if role == Role.KIND:
            return int(Kind.SLOT)
        if role == Role.GROUP_KEY:
            return group.key
        if role == Role.REF:
            return slot.id
        return None

    def _person_data(self, group: Group, pos: int, column: int, role: int) -> Any:
        tree = self.tree
        assert tree is not None
        roster = tree.roster
        if role == Qt.ItemDataRole.DisplayRole:
            if column == Column.NAME:
                return roster.names[pos]
            if column == Column.ROLE:
                return group.roles.get(pos, "")
            if column == Column.ORGANIZATION:
                return roster.orgs[pos]
            return roster.cities[pos]
        if role == Qt.ItemDataRole.DecorationRole and column == Column.NAME:
            return icon("person")
        archived = bool(roster.archived[pos])
        if role == Qt.ItemDataRole.ForegroundRole and archived:
            return _muted()
        if role == Qt.ItemDataRole.FontRole and archived:
            return self._italic
        if role == Qt.ItemDataRole.ToolTipRole:
            title, org = roster.titles[pos], roster.orgs[pos]
            works = f"{title}, {org}" if title and org else title or org
            return tooltip(
                roster.names[pos], works, roster.cities[pos], "Archived" if archived else ""
            )
        if role == Role.KIND:
            return int(Kind.PERSON)
        if role == Role.PERSON_ID:
            return roster.ids[pos]
        if role == Role.GROUP_KEY:
            return group.key
        if role == Role.ARCHIVED:
            return archived
        return None

    # -- drag and drop -----------------------------------------------------------------------

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        found = self._resolve(index)
        if found is None:
            return _DROP_ONLY  # the empty area: circles go to the top
        kind, group, _extra = found
        if kind == _PERSON:
            return _PERSON_FLAGS
        if kind == _SLOT:
            return _DROP_FLAGS
        if group.catch_all:
            return _PLAIN_FLAGS
        if group.kind == "circle":
            return _CIRCLE_FLAGS
        if group.kind == "goal":
            return _DROP_FLAGS
        return _PLAIN_FLAGS

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        people: list[int] = []
        circles: list[int] = []
        for index in indexes:
            if index.column() != 0:
                continue
            item = self.item(index)
            if item is None:
                continue
            if item.kind == Kind.PERSON and item.person_id not in people:
                assert item.person_id is not None
                people.append(item.person_id)
            elif (
                item.kind == Kind.GROUP
                and item.group.kind == "circle"
                and item.group.ref is not None
                and item.group.ref not in circles
            ):
                circles.append(item.group.ref)
        data = QMimeData()
        data.setData(MIME_TYPE, json.dumps({"people": people, "circles": circles}).encode())
        return data

    def _decode(self, data: QMimeData) -> tuple[list[int], list[int]]:
        if not data.hasFormat(MIME_TYPE):
            return [], []
        try:
            payload = json.loads(bytes(data.data(MIME_TYPE).data()).decode())
            people = [int(p) for p in payload.get("people", [])]
            circles = [int(c) for c in payload.get("circles", [])]
        except (ValueError, TypeError, AttributeError):
            return [], []
        return people, circles

    def drop_target(self, row: int, parent: AnyIndex) -> Drop | None:
        """Where a drop between or onto rows lands: the group (or slot) it belongs to."""
        item = self.item(parent)
        if item is None:
            return Drop([], [], None)
        if row >= 0 and item.kind == Kind.GROUP:
            return Drop([], [], item.group)  # between the rows of a group: that group
        if item.kind == Kind.SLOT:
            return Drop([], [], item.group, item.slot)
        return Drop([], [], item.group)

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        people, circles = self._decode(data)
        where = self.drop_target(row, parent)
        if where is None or not (people or circles):
            return False
        return _acceptable(Drop(people, circles, where.target, where.slot))

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        people, circles = self._decode(data)
        where = self.drop_target(row, parent)
        if where is None:
            return False
        drop = Drop(people, circles, where.target, where.slot)
        if not _acceptable(drop) or self.on_drop is None:
            return False
        return self.on_drop(drop)


def _acceptable(drop: Drop) -> bool:
    """People go onto a goal, a slot or a circle; circles onto a circle or the top level."""
    target = drop.target
    if drop.slot is not None:
        return len(drop.people) == 1 and not drop.circles
    if target is None:
        return bool(drop.circles) and not drop.people
    if target.catch_all:
        return target.kind == "circle" and bool(drop.circles) and not drop.people
    if target.kind == "goal":
        return bool(drop.people) and not drop.circles
    if target.kind == "circle":
        return target.ref not in drop.circles
    return False


def _find(members: list[int], pos: int, tree: ContactsTree) -> int | None:
    """Row of ``pos`` among ``members`` (name order): a bisection, not a scan."""
    import bisect

    key = tree.roster.sort_key
    i = bisect.bisect_left(members, key(pos), key=key)
    if i < len(members) and members[i] == pos:
        return i
    return None


def _muted() -> QBrush:
    return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
