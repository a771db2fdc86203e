"""What the Contacts view does to people, circles, goals and slots: dialogs, then operations.

A mixin of ``ContactsView``: every change goes through ``ops.change`` with a core
operation, so it is undoable and reported to every view.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from rapport.core import circles as circle_ops
from rapport.core import goals as goal_ops
from rapport.core import people
from rapport.core.changes import Changes
from rapport.core.contacts_tree import Group, Roster
from rapport.core.progress import Progress
from rapport.store.models import Goal, Slot
from rapport.ui.contacts.dialogs import (
    CircleDialog,
    GoalDialog,
    GoalValues,
    LinkGoalDialog,
    MergeDialog,
    NewPersonDialog,
    PickCircleDialog,
    SlotDialog,
)
from rapport.ui.contacts.person_record import Choices, load_choices
from rapport.ui.contacts.plain import menu_text
from rapport.ui.contacts.tree_model import Drop, Item, Kind

if TYPE_CHECKING:
    from rapport.ui.contacts.detail_pane import DetailPane
    from rapport.ui.operations import Operations


class ContactCommands:
    """People, circle, goal and slot commands of the Contacts view."""

    if TYPE_CHECKING:  # provided by ContactsView
        roster: Roster | None
        pane: DetailPane
        dialog: Any
        _select_after: int | None

        def selected_people(self) -> list[int]: ...
        def selected_items(self) -> list[Item]: ...
        def current_item(self) -> Item | None: ...

    def _widget(self) -> QWidget:
        return cast(QWidget, self)

    @property
    def _ops(self) -> Operations:
        return cast("Operations", cast(Any, self).ops)  # the View's

    # -- running operations ------------------------------------------------------------------

    def run(
        self,
        label_: str,
        op: Callable[[Progress], Changes],
        success: Callable[[Changes], None] | None = None,
    ) -> None:
        self._ops.change(self._widget(), menu_text(label_), op, initiator=self, success=success)

    def _names(self, ids: list[int]) -> str:
        roster = self.roster
        if len(ids) == 1 and roster is not None and ids[0] in roster.index:
            return roster.names[roster.index[ids[0]]]
        return f"{len(ids)} people"

    def _with_choices(self, then: Callable[[Choices], None]) -> None:
        self._ops.query(self._widget(), lambda _p: load_choices(), then)

    def _open(self, dialog: Any, on_accept: Callable[[], None]) -> None:
        self.dialog = dialog
        dialog.accepted.connect(on_accept)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: Any) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _confirm(self, title: str, text: str, action: str, then: Callable[[], None]) -> None:
        box = QMessageBox(self._widget())
        box.setWindowTitle(title)
        box.setIcon(QMessageBox.Icon.Question)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.dialog = box

        def done(_result: int) -> None:
            if box.clickedButton() is yes:
                then()
            self._closed(box)

        box.finished.connect(done)
        box.open()

    # -- people ------------------------------------------------------------------------------

    def new_person(self, prefill: dict[str, str] | None = None) -> None:
        if prefill is None:
            prefill = self._prefill()
        dialog = NewPersonDialog(self._widget(), prefill)

        def create() -> None:
            values = dialog.values()
            goal_id = prefill.get("goal")
            circle_id = prefill.get("circle")

            def op(_p: Progress) -> Changes:
                email = values.pop("email")
                pid, changes = people.create_person(values.pop("name"), **values)
                if email:
                    changes |= people.add_email(pid, email)
                if goal_id:
                    changes |= goal_ops.link_people(int(goal_id), [pid])
                if circle_id:
                    changes |= circle_ops.add_to_circle([pid], int(circle_id))
                return changes

            def select(changes: Changes) -> None:
                if changes.people_added:
                    self._select_after = max(changes.people_added)

            self.run(f"Add {values['name']}", op, select)

        self._open(dialog, create)

    def _prefill(self) -> dict[str, str]:
        """A new person starts in the group the user is looking at."""
        item = self.current_item()
        if item is None:
            return {}
        group = item.group
        if group.catch_all:
            return {}
        if group.kind == "goal" and group.ref is not None:
            return {"goal": str(group.ref)}
        if group.kind == "circle" and group.ref is not None:
            return {"circle": str(group.ref)}
        if group.kind == "organization":
            return {"organization": group.label}
        if group.kind == "city" and group.ref is None:
            return {"city": group.label}
        return {}

    def archive(self, ids: list[int], archived: bool) -> None:
        if not ids:
            return
        verb = "Archive" if archived else "Unarchive"
        self.run(f"{verb} {self._names(ids)}", lambda _p: people.set_archived(ids, archived))

    def archive_selected(self) -> None:
        ids = self.selected_people()
        if not ids and self.pane.person_id is not None:
            ids = [self.pane.person_id]
        roster = self.roster
        if not ids or roster is None:
            return
        all_archived = all(roster.archived[roster.index[p]] for p in ids if p in roster.index)
        self.archive(ids, not all_archived)

    def merge(self, ids: list[int]) -> None:
        roster = self.roster
        if len(ids) < 2 or roster is None:
            return
        rows = []
        for pid in ids:
            pos = roster.index.get(pid)
            if pos is not None:
                detail = ", ".join(t for t in (roster.orgs[pos], roster.cities[pos]) if t)
                rows.append((pid, roster.names[pos], detail))
        dialog = MergeDialog(self._widget(), rows)

        def merge() -> None:
            keep = dialog.keep()
            others = [p for p in ids if p != keep]
            self._select_after = keep
            # Backups load keyring and cryptography: not before the window first paints.
            from rapport.core.backup_service import BEFORE_MERGE, after_backup

            merge_op = after_backup(BEFORE_MERGE, lambda _p: people.merge_people(keep, others))
            self.run(f"Merge into {self._names([keep])}", merge_op)

        self._open(dialog, merge)

    def merge_selected(self) -> None:
        self.merge(self.selected_people())

    def delete_selected(self) -> None:
        items = self.selected_items()
        ids = self.selected_people()
        if ids:
            who = self._names(ids)
            self._confirm(
                "Delete people",
                f"Delete {who}? Their emails, notes and links go too. "
                "You can undo this with Edit ▸ Undo.",
                "Delete",
                lambda: self.run(f"Delete {who}", lambda _p: people.delete_people(ids)),
            )
            return
        if len(items) == 1:
            item = items[0]
            if item.kind == Kind.SLOT and item.slot is not None:
                self.delete_slot(item.slot.id)
            elif item.group.kind == "goal" and not item.group.catch_all:
                self.delete_goal(item.group)
            elif item.group.kind == "circle" and not item.group.catch_all:
                self.delete_circle(item.group)

    def edit_current(self) -> None:
        item = self.current_item()
        if item is None:
            return
        if item.kind == Kind.PERSON:
            self.pane.focus_name()
        elif item.kind == Kind.SLOT and item.slot is not None:
            self.edit_slot(item.slot.id, item.slot.description, item.slot.role)
        elif item.group.kind == "goal" and item.group.ref is not None:
            self.edit_goal(item.group.ref)
        elif item.group.kind == "circle" and item.group.ref is not None:
            self.rename_circle(item.group)

    # -- circles -----------------------------------------------------------------------------

    def add_to_circle(self, ids: list[int]) -> None:
        if not ids:
            return
        who = self._names(ids)

        def ask(choices: Choices) -> None:
            dialog = PickCircleDialog(self._widget(), choices.circles, who)

            def add() -> None:
                choice = dialog.choice()

                def op(_p: Progress) -> Changes:
                    if isinstance(choice, str):
                        cid, made = circle_ops.circle_by_path(choice, create=True)
                        return made | circle_ops.add_to_circle(ids, cid)
                    return circle_ops.add_to_circle(ids, choice)

                self.run(f"Add {who} to a circle", op)

            self._open(dialog, add)

        self._with_choices(ask)

    def add_selected_to_circle(self) -> None:
        self.add_to_circle(self.selected_people() or self.pane.selection)

    def new_circle(self, parent_id: int | None) -> None:
        def ask(choices: Choices) -> None:
            dialog = CircleDialog(
                self._widget(), title="New circle", circles=choices.circles, parent_id=parent_id
            )

            def create() -> None:
                name, parent = dialog.values()
                self.run(f"New circle {name}", lambda _p: circle_ops.create_circle(name, parent)[1])

            self._open(dialog, create)

        self._with_choices(ask)

    def rename_circle(self, group: Group) -> None:
        cid = group.ref
        if cid is None:
            return
        dialog = CircleDialog(self._widget(), title="Rename circle", name=group.label)

        def rename() -> None:
            name, _parent = dialog.values()
            self.run(f"Rename circle {group.label}", lambda _p: circle_ops.rename_circle(cid, name))

        self._open(dialog, rename)

    def delete_circle(self, group: Group) -> None:
        cid = group.ref
        if cid is None:
            return
        inner = " and the circles inside it" if group.subgroups else ""
        self._confirm(
            "Delete circle",
            f"Delete the circle “{group.label}”{inner}? The people in it stay in your journal.",
            "Delete",
            lambda: self.run(
                f"Delete circle {group.label}", lambda _p: circle_ops.delete_circle(cid)
            ),
        )

    # -- goals and slots -------------------------------------------------------------------------

    def link_to_goal(self, ids: list[int], goal_id: int | None = None) -> None:
        if not ids:
            return
        who = self._names(ids)

        def ask(choices: Choices) -> None:
            if not choices.goals:
                self.new_goal()
                return
            dialog = LinkGoalDialog(self._widget(), choices.goals, who, goal_id)

            def link() -> None:
                gid, role = dialog.values()
                self.run(f"Link {who} to a goal", lambda _p: goal_ops.link_people(gid, ids, role))

            self._open(dialog, link)

        self._with_choices(ask)

    def link_selected_to_goal(self) -> None:
        item = self.current_item()
        goal = item.group.ref if item and item.group.kind == "goal" else None
        self.link_to_goal(self.selected_people() or self.pane.selection, goal)

    def new_goal(self) -> None:
        dialog = GoalDialog(self._widget())

        def create() -> None:
            values = dialog.values()

            def op(_p: Progress) -> Changes:
                gid, changes = goal_ops.create_goal(
                    values.title, values.why, values.target_date, values.status
                )
                for _sid, description, role in values.slots:
                    changes |= goal_ops.add_slot(gid, description, role)[1]
                return changes

            self.run(f"New goal {values.title}", op)

        self._open(dialog, create)

    def edit_goal(self, goal_id: int) -> None:
        def read(_p: Progress) -> GoalValues | None:
            goal = Goal.get_or_none(Goal.id == goal_id)
            if goal is None:
                return None
            slots = [
                (s.id, s.description, s.role)
                for s in Slot.select()
                .where((Slot.goal == goal_id) & Slot.person.is_null())
                .order_by(Slot.position, Slot.id)
            ]
            target = goal.target_date if isinstance(goal.target_date, date) else None
            return GoalValues(goal.title, goal.why, target, goal.status, slots)

        def ask(values: GoalValues | None) -> None:
            if values is None:
                return
            before = {sid: (d, r) for sid, d, r in values.slots if sid is not None}
            dialog = GoalDialog(self._widget(), values)

            def save() -> None:
                after = dialog.values()

                def op(_p: Progress) -> Changes:
                    changes = goal_ops.update_goal(
                        goal_id,
                        title=after.title,
                        why=after.why,
                        target_date=after.target_date,
                        status=after.status,
                    )
                    kept: set[int] = set()
                    for sid, description, role in after.slots:
                        if sid is None:
                            changes |= goal_ops.add_slot(goal_id, description, role)[1]
                        else:
                            kept.add(sid)
                            if before.get(sid) != (description, role):
                                changes |= goal_ops.update_slot(
                                    sid, description=description, role=role
                                )
                    for sid in set(before) - kept:
                        changes |= goal_ops.delete_slot(sid)
                    return changes

                self.run(f"Edit goal {after.title}", op)

            self._open(dialog, save)

        self._ops.query(self._widget(), read, ask)

    def delete_goal(self, group: Group) -> None:
        gid = group.ref
        if gid is None:
            return
        self._confirm(
            "Delete goal",
            f"Delete the goal “{group.label}” and its open slots? "
            "The people linked to it stay in your journal.",
            "Delete",
            lambda: self.run(f"Delete goal {group.label}", lambda _p: goal_ops.delete_goal(gid)),
        )

    def add_slot(self, goal_id: int) -> None:
        dialog = SlotDialog(self._widget(), title="Who do you need to know?")

        def add() -> None:
            description, role = dialog.values()
            self.run(
                "Add an open slot", lambda _p: goal_ops.add_slot(goal_id, description, role)[1]
            )

        self._open(dialog, add)

    def edit_slot(self, slot_id: int, description: str, role: str) -> None:
        dialog = SlotDialog(self._widget(), title="Edit slot", description=description, role=role)

        def save() -> None:
            text, new_role = dialog.values()
            self.run(
                "Edit slot",
                lambda _p: goal_ops.update_slot(slot_id, description=text, role=new_role),
            )

        self._open(dialog, save)

    def delete_slot(self, slot_id: int) -> None:
        self.run("Delete slot", lambda _p: goal_ops.delete_slot(slot_id))

    # -- drag and drop ---------------------------------------------------------------------------

    def _dropped(self, drop: Drop) -> bool:
        target, people_, circles_ = drop.target, drop.people, drop.circles
        who = self._names(people_) if people_ else ""
        if drop.slot is not None:
            slot_id, person = drop.slot.id, people_[0]
            self.run(f"Fill a slot with {who}", lambda _p: goal_ops.fill_slot(slot_id, person))
            return True
        if target is None or (target.catch_all and target.kind == "circle"):
            self.run(
                "Move circles to the top",
                lambda _p: _combine(circle_ops.move_circle(c, None) for c in circles_),
            )
            return True
        ref = target.ref
        if ref is None:
            return False
        if target.kind == "goal":
            self.run(f"Link {who} to {target.label}", lambda _p: goal_ops.link_people(ref, people_))
            return True

        def into_circle(_p: Progress) -> Changes:
            changes = Changes()
            if people_:
                changes |= circle_ops.add_to_circle(people_, ref)
            for cid in circles_:
                changes |= circle_ops.move_circle(cid, ref)
            return changes

        self.run(f"Add to {target.label}", into_circle)
        return True


def _combine(parts: Any) -> Changes:
    changes = Changes()
    for part in parts:
        changes |= part
    return changes
