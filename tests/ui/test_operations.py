"""The background-operation helper: undo/redo, errors, cancel, and what clears the history."""

from __future__ import annotations

import gc

from PySide6.QtWidgets import QMessageBox

from rapport.core import people
from rapport.core.changes import Changes
from rapport.core.errors import BadInput
from rapport.core.progress import Progress
from rapport.store.models import Person


def names() -> list[str]:
    return sorted(p.name for p in Person.select())


def test_change_undo_redo(window, settle, qtbot) -> None:
    seen: list[Changes] = []
    window.ops.did_change.connect(lambda c, _i: seen.append(c))
    window.ops.change(None, "Add Ada", lambda _p: people.create_person("Ada")[1])
    settle(window)
    assert names() == ["Ada"]
    assert window.undo_action.text() == "&Undo Add Ada"
    assert seen and seen[-1].people_added
    window.undo_action.trigger()
    settle(window)
    assert names() == []
    window.redo_action.trigger()
    settle(window)
    assert names() == ["Ada"]
    assert gc.isenabled()


def test_failure_is_shown_and_writes_nothing(window, settle, qtbot) -> None:
    def op(_p: Progress) -> Changes:
        people.create_person("Half")
        raise BadInput("that will not do", "file.vcf", 3)

    def atomic_op(p: Progress) -> Changes:
        from rapport.store.models import db_proxy

        with db_proxy.atomic():
            return op(p)

    window.ops.change(window, "Broken", atomic_op)
    settle(window)
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None
    assert box.text() == "file.vcf: line 3: that will not do"
    box.close()
    assert names() == []
    assert window.ops.undo_stack.count() == 0


def test_cancel_stops_the_work(window, settle, qtbot) -> None:
    started: list[Progress] = []

    def op(progress: Progress) -> Changes:
        started.append(progress)
        while True:
            progress.update(1, 10, "working")

    window.ops.change(window, "Endless", op, show_progress=True)
    qtbot.waitUntil(lambda: bool(started))
    started[0].cancel()
    settle(window)
    assert window.findChild(QMessageBox, "errorBox") is None


def test_only_changes_to_recorded_rows_clear_the_history(window, settle) -> None:
    window.ops.change(None, "Add Ada", lambda _p: people.create_person("Ada")[1])
    settle(window)
    window.ops.change(None, "Refresh feeds", lambda _p: Changes(calendar=True), undoable=False)
    settle(window)
    assert window.ops.undo_stack.canUndo()
    window.ops.change(None, "Rebuild trips", lambda _p: Changes(trips=True), undoable=False)
    settle(window)
    assert not window.ops.undo_stack.canUndo()
