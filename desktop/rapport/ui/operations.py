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
import gc
import threading
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
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
READER_THREADS = 2


_gc_lock = threading.Lock()
_gc_holds = 0


def keep_collector_off() -> Callable[[], None]:
    """Keep Python's cyclic collector off until the returned function is called (once).

    An import allocates hundreds of thousands of objects, and every collection they trigger
    walks all of them while holding the GIL: the window would freeze for 100 ms or more at
    a time. Reference counting still frees garbage as it goes. Work that hands big results
    to the window (an import's preview) keeps the collector off until they are let go, so
    the collection that follows walks little. Any thread may take or release a hold.
    """
    global _gc_holds
    with _gc_lock:
        _gc_holds += 1
        if _gc_holds == 1:
            gc.disable()
    released = threading.Event()

    def release() -> None:
        global _gc_holds
        if released.is_set():
            return
        released.set()
        with _gc_lock:
            _gc_holds -= 1
            if _gc_holds == 0:
                gc.enable()

    return release


@contextmanager
def _collector_paused() -> Iterator[None]:
    release = keep_collector_off()
    try:
        yield
    finally:
        release()


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

    def __init__(
        self,
        journal: Journal,
        parent: QObject | None = None,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        if undo_stack is None:
            undo_stack = QUndoStack(self)
            undo_stack.setUndoLimit(100)
        self.undo_stack = undo_stack
        self._bridge = _Bridge()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rapport-writer")
        self._readers = ThreadPoolExecutor(
            max_workers=READER_THREADS, thread_name_prefix="rapport-reader"
        )
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
    def closed(self) -> bool:
        return self._closed

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
                if changes.touches_history:  # earlier steps may no longer apply
                    self._undo_log.clear()
                return changes, None
            with self._undo_log.recording() as step:
                changes = op(progress)
            return changes, step if self._undo_log.has(step) else None

        def done(result: tuple[Changes, int | None]) -> None:
            changes, step = result
            if not undoable:
                if changes.touches_history:
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

    # -- replacing the journal (a restore) -------------------------------------------------

    def replace_journal(
        self,
        parent: QWidget | None,
        label: str,
        work: Callable[[Progress], T],
        reopen: Callable[[], Journal],
        success: Callable[[T], None],
        *,
        failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``work`` (a restore) while no thread of the window has the journal open.

        Queued writes finish and report first. Then the GUI thread, each reader and the
        writer close their connection, and the old database refuses to reconnect (a view
        asking now gets an error, never a connection to a file being replaced). ``work``
        runs on the writer thread with progress and Cancel; whatever it does, the journal is
        reopened with ``reopen`` (a restore leaves the old journal or the new one), the undo
        history is dropped, and every view reloads (``Changes.all()``).
        """
        progress, dialog = self._progress(parent, label, True)
        old = self.journal

        def swap() -> tuple[Journal, T | BaseException]:
            outcome: T | BaseException
            try:
                self._close_readers(old.db)
                old.db.close()
                outcome = work(progress)
            except BaseException as exc:  # reported after the journal is open again
                exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
                outcome = exc
            journal = reopen()
            journal.db.connect(reuse_if_open=True)
            self._undo_log = UndoLog(journal.db)
            return journal, outcome

        def swapped(result: tuple[Journal, T | BaseException]) -> None:
            journal, outcome = result
            self.journal = journal
            self.undo_stack.clear()
            self.did_change.emit(Changes.all(), None)
            if not isinstance(outcome, BaseException):
                success(outcome)
            elif isinstance(outcome, Cancelled):
                pass
            elif failure is not None:
                failure(outcome)
            else:
                show_error(parent, outcome)

        def drained(_: object) -> None:
            # Every earlier write has finished and its views have refreshed: close ours.
            old.db.close()
            old.db.autoconnect = False
            self._submit(self._writer, swap, swapped, failure, parent, dialog)

        self._submit(self._writer, lambda: None, drained, failure, parent, None)

    def _close_readers(self, db: Any) -> None:
        """Close ``db``'s connection on every reader thread (peewee keeps one per thread).

        One task per thread, held at a barrier until all have run, so no thread takes two.
        """
        barrier = threading.Barrier(READER_THREADS)

        def close() -> None:
            db.close()
            barrier.wait(timeout=30)

        for future in [self._readers.submit(close) for _ in range(READER_THREADS)]:
            future.result()

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
        # A lambda, not the bound method: PySide watches a bound method's object with a
        # weakref and disconnects when it dies, which happens on the worker thread that drops
        # the last reference to ``progress`` and deadlocks against the GUI thread.
        dialog.canceled.connect(lambda: progress.cancel())
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
        if self._closed:
            return  # the window closed: a late timer's work has nowhere to report
        self._track(+1)
        heavy = dialog is not None
        # The worker thread holds these closures until it drops its work item; it must never
        # drop the last reference to a Qt object (a wrapper freed on a worker thread can
        # deadlock against the GUI thread), so the dialog is released on the GUI thread.
        held = [dialog]

        def finish_ui() -> None:
            shown = held.pop() if held else None
            if shown is not None:
                shown.canceled.disconnect()
                shown.close()
                shown.deleteLater()

        def run() -> None:
            try:
                # Long work (the kind that shows progress) keeps the collector out of the way.
                with _collector_paused() if heavy else nullcontext():
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
        if self._closed:
            return
        # Each thread closes its own connection (peewee keeps one per thread): the last one
        # to close folds the WAL back into the journal, so the file on disk is complete.
        db = self.journal.db
        self._close_readers(db)
        self._readers.shutdown(wait=True, cancel_futures=True)
        self._writer.submit(db.close)
        self._writer.shutdown(wait=True)
        self._closed = True
