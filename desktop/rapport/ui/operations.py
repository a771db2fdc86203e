"""The one way the window runs work off the GUI thread (after Anki's CollectionOp/QueryOp).

- ``ops.change(...)`` runs a core operation on the single writer thread, records it for
  undo, shows progress when it takes a while, and then — on the GUI thread — pushes an
  undo command and broadcasts ``did_change(changes, initiator)`` so each view refreshes
  what it shows.
- ``ops.query(...)`` runs a read on a reader thread and hands the result to ``success``
  on the GUI thread.

Failures go to ``show_error``. Nothing here blocks the GUI thread.
"""

from __future__ import annotations

import functools
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QProgressDialog, QWidget

from rapport.core.changes import Changes
from rapport.core.errors import Cancelled
from rapport.core.progress import Progress
from rapport.core.undo import UndoLog
from rapport.store.journal import Journal
from rapport.ui.errors import show_error

T = TypeVar("T")
ChangeFn = Callable[[Progress], Changes]
PROGRESS_DELAY_MS = 400


class _Bridge(QObject):
    """Carries a callable from a worker thread to the GUI thread."""

    call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.call.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def _run(self, fn: Callable[[], None]) -> None:
        fn()


@dataclass
class _Step:
    """The undo-log step behind one undo command; it changes each time it is undone."""

    id: int


class OpCommand(QUndoCommand):
    """An entry on the undo stack; the first redo() is the operation already done."""

    def __init__(self, ops: Operations, label: str, step: int) -> None:
        super().__init__(label)
        self.ops = ops
        self.step = _Step(step)
        self._fresh = True

    def undo(self) -> None:
        self.ops._revert(self.step, f"Undo {self.text()}")

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
            return
        self.ops._revert(self.step, f"Redo {self.text()}")


class Operations(QObject):
    """Runs changes on one writer thread and reads on a small reader pool."""

    did_change = Signal(object, object)  # Changes, initiator (a view, or None)
    busy_changed = Signal(bool)

    def __init__(self, journal: Journal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(100)
        self._bridge = _Bridge()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rapport-writer")
        self._readers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="rapport-reader")
        self._undo_log: UndoLog | None = None
        self._pending = 0
        self._lock = threading.Lock()
        self._closed = False
        self._writer.submit(self._open_writer).result()

    # -- threads ---------------------------------------------------------------------------

    def _open_writer(self) -> None:
        self.journal.db.connect(reuse_if_open=True)
        self._undo_log = UndoLog(self.journal.db)

    def _on_gui(self, fn: Callable[[], None]) -> None:
        if not self._closed:
            self._bridge.call.emit(fn)

    def _track(self, delta: int) -> None:
        with self._lock:
            before = self._pending
            self._pending += delta
            after = self._pending
        if (before == 0) != (after == 0):
            self._on_gui(lambda: self.busy_changed.emit(after > 0))

    @property
    def busy(self) -> bool:
        return self._pending > 0

    # -- changes ---------------------------------------------------------------------------

    def change(
        self,
        parent: QWidget | None,
        label: str,
        op: ChangeFn,
        *,
        undoable: bool = True,
        initiator: object | None = None,
        success: Callable[[Changes], None] | None = None,
        failure: Callable[[BaseException], None] | None = None,
        show_progress: bool = False,
    ) -> None:
        """Run ``op(progress)`` on the writer thread; ``label`` names it in the Edit menu."""
        progress, dialog = self._progress(parent, label, show_progress)

        def work() -> tuple[Changes, int | None]:
            assert self._undo_log is not None
            if not undoable:
                changes = op(progress)
                self._undo_log.clear()
                return changes, None
            with self._undo_log.recording() as step:
                changes = op(progress)
            return changes, step if self._undo_log.has(step) else None

        def done(result: tuple[Changes, int | None]) -> None:
            changes, step = result
            if not undoable:
                self.undo_stack.clear()
            elif step is not None:
                self.undo_stack.push(OpCommand(self, label, step))
            if changes:
                self.did_change.emit(changes, initiator)
            if success is not None:
                success(changes)

        self._submit(self._writer, work, done, failure, parent, dialog)

    def _revert(self, step: _Step, label: str) -> None:
        def work() -> Changes:
            assert self._undo_log is not None
            new_step, changes = self._undo_log.undo(step.id)
            step.id = new_step
            return changes

        def done(changes: Changes) -> None:
            self.did_change.emit(changes, None)

        self._submit(self._writer, work, done, None, None, None)

    # -- reads -----------------------------------------------------------------------------

    def query(
        self,
        parent: QWidget | None,
        query: Callable[[Progress], T],
        success: Callable[[T], None],
        *,
        label: str = "",
        failure: Callable[[BaseException], None] | None = None,
        show_progress: bool = False,
    ) -> Progress:
        """Run a read off the GUI thread; returns its Progress so the caller can cancel it."""
        progress, dialog = self._progress(parent, label, show_progress)
        self._submit(self._readers, lambda: query(progress), success, failure, parent, dialog)
        return progress

    def run_on_writer(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the writer thread and wait: for shutdown and tests, never for views."""
        return self._writer.submit(fn).result()

    # -- plumbing --------------------------------------------------------------------------

    def _progress(
        self, parent: QWidget | None, label: str, show: bool
    ) -> tuple[Progress, QProgressDialog | None]:
        if not show:
            return Progress.silent(), None
        dialog = QProgressDialog(label or "Working…", "Cancel", 0, 0, parent)
        dialog.setWindowTitle("Rapport")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)

        def report(done: int, total: int, text: str) -> None:
            def apply() -> None:
                dialog.setMaximum(max(total, 0))
                dialog.setValue(min(done, total) if total else 0)
                if text:
                    dialog.setLabelText(text)

            self._on_gui(apply)

        progress = Progress(report)
        dialog.canceled.connect(progress.cancel)
        return progress, dialog

    def _submit(
        self,
        pool: ThreadPoolExecutor,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failure: Callable[[BaseException], None] | None,
        parent: QWidget | None,
        dialog: QProgressDialog | None,
    ) -> None:
        self._track(+1)

        def finish_ui() -> None:
            if dialog is not None:
                dialog.canceled.disconnect()
                dialog.close()
                dialog.deleteLater()

        def run() -> None:
            try:
                result = work()
            except BaseException as exc:  # delivered to the GUI thread, never swallowed
                exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
                self._on_gui(functools.partial(fail, exc))
                return

            def ok() -> None:
                finish_ui()
                try:
                    done(result)
                finally:
                    self._track(-1)

            self._on_gui(ok)

        def fail(error: BaseException) -> None:
            finish_ui()
            self._track(-1)
            if isinstance(error, Cancelled):
                return
            if failure is not None:
                failure(error)
            else:
                show_error(parent, error)

        pool.submit(run)

    def shutdown(self) -> None:
        """Finish queued writes, then stop the threads (called when the window closes)."""
        # Drop the undo commands while Python is alive: Qt deleting Python-made commands
        # during interpreter shutdown corrupts reference counts.
        self.undo_stack.clear()
        self._readers.shutdown(wait=True, cancel_futures=True)
        self._writer.shutdown(wait=True)
        self._closed = True
