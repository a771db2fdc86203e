"""The contacts tree at 100k people: first rows, filter keystrokes, memory — against budgets.

- first rows: from creating the Contacts view (and its model) on an open journal until the
  first group rows exist and have been painted (budget 200 ms);
- filter keystroke: ~50 keystrokes typed into the filter the way people type (words,
  backspaces, a second word), each timed from the key press until the tree has been
  repainted; the 95th percentile (budget 50 ms);
- RSS: the process's resident memory once everyone is loaded and the tree shows (300 MB).

Usage: ``python bench/bench_contacts_tree.py [JOURNAL_DIR] [PEOPLE] [--group=city] [-v]``.
Without a folder, a journal is generated into a temporary one (ten seconds for 100k people).
Benchmarks print figures and ratios; they are not tests.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gen_journal import make_journal

FIRST_ROWS_MS = 200
KEYSTROKE_P95_MS = 50
RSS_MB = 300

# What people type: a name, a correction, an organisation, a city, a handle, a note word.
TYPING = [
    "maya",
    "<<",
    "ria",
    "!",
    "acme rob",
    "!",
    "berlin",
    "<<<",
    "!",
    "@mastodon",
    "!",
    "sourdough",
    "!",
    "zoë",
    "!",
    "tanaka",
]


def keep_none_alive() -> str:
    """Work around PySide6 6.12.0 on Python 3.11, and say so.

    That build drops one reference to ``None`` on every call of a method returning void
    (``update()``, ``setEnabled()``...): harmless from Python 3.12, where ``None`` is immortal,
    fatal on 3.11 after a few thousand calls ("none_dealloc"). 6.11.3 does not. A benchmark
    makes many such calls, so it gives ``None`` enough references to finish.
    """
    import ctypes

    import PySide6

    if sys.version_info >= (3, 12) or not PySide6.__version__.startswith("6.12."):
        return ""
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    return (
        f"note: PySide6 {PySide6.__version__} on Python {sys.version_info[0]}."
        f"{sys.version_info[1]} leaks references to None; guarded for this run"
    )


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class PaintWatch(QObject):
    """Counts paint events on one widget."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def keystrokes() -> list[str]:
    """Single keys: letters, '<' for Backspace, '!' to clear the field (Ctrl+A, Backspace)."""
    keys: list[str] = []
    for chunk in TYPING:
        if chunk == "!":
            keys.append("!")
        elif set(chunk) == {"<"}:
            keys.extend("<" * len(chunk))
        else:
            keys.extend(chunk)
    return keys


def main(argv: list[str]) -> int:
    grouping = "goal"
    for arg in argv:
        if arg.startswith("--group="):
            grouping = arg.partition("=")[2]
    argv = [a for a in argv if a != "-v" and not a.startswith("--group=")]
    people = int(argv[1]) if len(argv) > 1 else 100_000
    if argv:
        folder = Path(argv[0])
        path = folder / "journal.sqlite"
        if not path.exists():
            make_journal(path, people)
    else:
        folder = Path(tempfile.mkdtemp(prefix="rapport-bench-"))
        began = time.perf_counter()
        path = make_journal(folder / "journal.sqlite", people)
        print(f"generated {people:,} people in {time.perf_counter() - began:.1f} s")

    from rapport.store.journal import open_journal
    from rapport.ui import main_window
    from rapport.ui.app import application
    from rapport.ui.contacts.view import ContactsView
    from rapport.ui.main_window import MainWindow

    note = keep_none_alive()
    if note:
        print(note)
    app = application()
    journal = open_journal(path)
    journal.db.execute_sql("SELECT count(*) FROM person").fetchone()  # the file is open
    from rapport.store import settings

    settings.put("ui.contacts.group", grouping)  # the grouping the view opens with
    # A bare frame: the Contacts view is made below, on its own clock (the window would
    # otherwise build its views itself just after its first paint).
    main_window.MainWindow._finish_starting = lambda self: None  # type: ignore[method-assign]

    # Wait the way the application does, asleep in the event loop: a busy loop here would
    # hold the GIL and slow the reader thread the view is waiting for.
    tick = QTimer()
    tick.start(2)

    def spin(until, timeout: float = 60.0) -> None:
        end = time.perf_counter() + timeout
        while not until() and time.perf_counter() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

    window_began = time.perf_counter()
    window = MainWindow(journal)  # the frame alone: menus, the writer thread, undo
    window.resize(1280, 800)
    window.show()
    spin(lambda: False, timeout=0.2)
    began = time.perf_counter()
    view = ContactsView(window)
    built = (time.perf_counter() - began) * 1000
    window.views[view.key] = view
    window.stack.addWidget(view)
    window.stack.setCurrentWidget(view)
    watch = PaintWatch()
    view.view.viewport().installEventFilter(watch)
    spin(lambda: view.model.rowCount() > 0)
    with_rows = (time.perf_counter() - began) * 1000
    painted_before = watch.paints
    view.view.viewport().update()
    spin(lambda: watch.paints > painted_before)
    first_rows = (time.perf_counter() - began) * 1000
    rows = view.model.rowCount()
    spin(lambda: view.roster is not None and not window.ops.busy, timeout=120)
    searchable = (time.perf_counter() - began) * 1000
    spin(lambda: False, timeout=0.3)  # settle
    memory = rss_mb()

    tick.stop()  # from here on, nothing runs but the keystrokes
    times: list[float] = []
    cpu: list[float] = []  # this thread's CPU time: what a machine to itself would show
    field = view.filter
    field.setFocus()
    viewport = view.view.viewport()
    for key in keystrokes():
        start, start_cpu = time.perf_counter(), time.thread_time()
        if key == "!":
            QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            QTest.keyClick(field, Qt.Key.Key_Backspace)
        elif key == "<":
            QTest.keyClick(field, Qt.Key.Key_Backspace)
        elif key.isascii():
            QTest.keyClicks(field, key)
        else:  # QTest types ASCII only; a key event carries any character
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    field, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, key)
                )
        viewport.repaint()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    p95 = statistics.quantiles(times, n=20)[-1]
    cpu_p95 = statistics.quantiles(cpu, n=20)[-1]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    load = os.getloadavg()[0]
    print(
        f"contacts tree, {view.roster.people if view.roster else 0:,} people "
        f"(load average {load:.1f} on {os.cpu_count()} cores)"
    )
    print(
        f"  first rows ({rows} groups by {grouping}, painted): {first_rows:7.1f} ms   budget "
        f"{FIRST_ROWS_MS} ms   ratio {first_rows / FIRST_ROWS_MS:.2f}"
    )
    print(
        f"  filter keystroke p95 ({len(times)} keys): {p95:7.1f} ms   budget "
        f"{KEYSTROKE_P95_MS} ms   ratio {p95 / KEYSTROKE_P95_MS:.2f}  "
        f"(median {statistics.median(times):.1f}, max {max(times):.1f}; "
        f"CPU p95 {cpu_p95:.1f})"
    )
    print(
        f"  RSS after load: {memory:7.1f} MB   budget {RSS_MB} MB   ratio "
        f"{memory / RSS_MB:.2f}  (peak {peak:.0f} MB)"
    )
    print(f"  everyone loaded, filter ready: {searchable:7.1f} ms (background, informational)")
    print(
        f"  (the window frame before the view: {(began - window_began) * 1000 - 200:.0f} ms; "
        f"view built {built:.0f} ms, rows {with_rows:.0f} ms, painted {first_rows:.0f} ms)"
    )
    if "-v" in sys.argv:
        print(
            "  keystrokes:",
            " ".join(f"{k}:{t:.0f}" for k, t in zip(keystrokes(), times, strict=True)),
        )
    window.close()
    journal.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
