"""The Contacts view's context menus: what fits the row under the pointer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from rapport.core import circles as circle_ops
from rapport.core import goals as goal_ops
from rapport.core.contacts_tree import Group, Roster
from rapport.ui.contacts.plain import menu_text
from rapport.ui.contacts.shortcuts import SHORTCUTS
from rapport.ui.contacts.tree_model import ContactsTreeModel, Item, Kind

if TYPE_CHECKING:
    from collections.abc import Callable

    from rapport.core.changes import Changes
    from rapport.core.progress import Progress
    from rapport.ui.contacts.tree_view import PersonTree


class ContextMenus:
    """A mixin of ContactsView."""

    if TYPE_CHECKING:  # provided by ContactsView and ContactCommands
        view: PersonTree
        model: ContactsTreeModel
        roster: Roster | None
        grouping: str
        dialog: Any
        actions_: dict[str, QAction]

        def selected_people(self) -> list[int]: ...
        def run(
            self, label_: str, op: Callable[[Progress], Changes], success: Any = None
        ) -> None: ...
        def _names(self, ids: list[int]) -> str: ...
        def archive(self, ids: list[int], archived: bool) -> None: ...
        def edit_slot(self, slot_id: int, description: str, role: str) -> None: ...
        def delete_slot(self, slot_id: int) -> None: ...
        def edit_goal(self, goal_id: int) -> None: ...
        def add_slot(self, goal_id: int) -> None: ...
        def new_person(self, prefill: dict[str, str] | None = None) -> None: ...
        def new_goal(self) -> None: ...
        def delete_goal(self, group: Group) -> None: ...
        def new_circle(self, parent_id: int | None) -> None: ...
        def rename_circle(self, group: Group) -> None: ...
        def delete_circle(self, group: Group) -> None: ...

    # -- context menus -------------------------------------------------------------------------

    def _context_menu(self, point: QPoint) -> None:
        index = self.view.indexAt(point)
        if index.isValid() and not self.view.selectionModel().isRowSelected(
            index.row(), index.parent()
        ):
            self.view.setCurrentIndex(index)
        menu = self.build_menu(self.model.item(index))
        self.dialog = menu
        menu.popup(self.view.viewport().mapToGlobal(point))

    def build_menu(self, item: Item | None) -> QMenu:
        """The context menu for ``item`` (None: the empty area)."""
        menu = QMenu(self.view)
        ids = self.selected_people()
        if item is not None and item.kind == Kind.PERSON and item.person_id is not None:
            if item.person_id not in ids:
                ids = [item.person_id]
            roster = self.roster
            archived = roster is not None and all(
                roster.archived[roster.index[p]] for p in ids if p in roster.index
            )
            who = menu_text(self._names(ids))
            if len(ids) == 1:
                menu.addAction(self.actions_["edit"])
            menu.addAction(self.actions_["add_to_circle"])
            menu.addAction(self.actions_["link_goal"])
            group = item.group
            if group.kind == "circle" and not group.catch_all and group.ref is not None:
                cid = group.ref
                menu.addAction(
                    f"Remove from “{menu_text(group.label)}”",
                    lambda: self.run(
                        f"Remove from {group.label}",
                        lambda _p: circle_ops.remove_from_circle(ids, cid),
                    ),
                )
            if group.kind == "goal" and not group.catch_all and group.ref is not None:
                gid = group.ref
                menu.addAction(
                    f"Unlink from “{menu_text(group.label)}”",
                    lambda: self.run(
                        f"Unlink from {group.label}", lambda _p: goal_ops.unlink_people(gid, ids)
                    ),
                )
            menu.addSeparator()
            archive = menu.addAction(
                f"{'Unarchive' if archived else 'Archive'} {who}",
                lambda: self.archive(ids, not archived),
            )
            archive.setShortcut(QKeySequence(SHORTCUTS["archive"]))
            if len(ids) > 1:
                menu.addAction(self.actions_["merge"])
            menu.addSeparator()
            menu.addAction(self.actions_["delete"])
            return menu
        if item is not None and item.kind == Kind.SLOT and item.slot is not None:
            slot = item.slot
            menu.addAction(
                "Edit slot…", lambda: self.edit_slot(slot.id, slot.description, slot.role)
            )
            menu.addAction("Delete slot", lambda: self.delete_slot(slot.id))
            return menu
        target = item.group if item is not None else None
        if target is not None and target.kind == "goal" and not target.catch_all:
            goal_id = target.ref
            assert goal_id is not None
            menu.addAction("Edit goal…", lambda: self.edit_goal(goal_id))
            menu.addAction("Add open slot…", lambda: self.add_slot(goal_id))
            menu.addAction(
                "New person on this goal…", lambda: self.new_person({"goal": str(goal_id)})
            )
            menu.addSeparator()
            menu.addAction("New goal…", self.new_goal)
            menu.addAction("Delete goal…", lambda: self.delete_goal(target))
            return menu
        if target is not None and target.kind == "circle" and not target.catch_all:
            circle_id = target.ref
            assert circle_id is not None
            menu.addAction("New circle inside…", lambda: self.new_circle(circle_id))
            menu.addAction("Rename circle…", lambda: self.rename_circle(target))
            menu.addAction(
                "New person in this circle…", lambda: self.new_person({"circle": str(circle_id)})
            )
            menu.addSeparator()
            menu.addAction("New circle…", lambda: self.new_circle(None))
            menu.addAction("Delete circle…", lambda: self.delete_circle(target))
            return menu
        menu.addAction(self.actions_["new_person"])
        if self.grouping == "goal":
            menu.addAction("New goal…", self.new_goal)
        if self.grouping == "circle":
            menu.addAction("New circle…", lambda: self.new_circle(None))
        return menu
