"""First paint of Rapport's window on a 10k-people journal, against a bare PySide6 window.

Each run is a fresh process, timed from just before it is started until the moment its
window receives its first paint event (interpreter start, imports, opening the journal and
building the window all count). Several runs of each; the medians are compared. Budget:
Rapport's first paint ≤ 1.5 × the bare window's.

Usage: ``python bench/bench_first_paint.py [JOURNAL_DIR] [RUNS]``. Without a folder, a
10k journal is generated into a temporary one. Benchmarks print ratios; they are not tests.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET = 1.5
HERE = Path(__file__).resolve().parent

# The child prints the wall-clock time of its first paint, then leaves.
PAINT_WATCH = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            print(f"PAINTED {time.time():.6f}", flush=True)
            QTimer.singleShot(0, QApplication.instance().quit)
            QApplication.instance().removeEventFilter(self)
        return False
"""

BARE = (
    PAINT_WATCH
    + """
app = QApplication(sys.argv[:1])
watch = FirstPaint()
app.installEventFilter(watch)
window = QMainWindow()
window.resize(1200, 760)
window.show()
app.exec()
"""
)

RAPPORT = (
    PAINT_WATCH
    + """
from rapport.main import main
from rapport.ui.app import application

app = application()  # the one run_window will use, watched from the start
watch = FirstPaint()
app.installEventFilter(watch)
sys.exit(main(["--data-dir", sys.argv[1]]))
"""
)


def first_paint(script: str, *args: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    began = time.time()
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("PAINTED "):
            return (float(line.split()[1]) - began) * 1000
    raise RuntimeError(f"no first paint (exit {done.returncode}): {done.stderr[-2000:]}")


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 5
    folder = Path(argv[0]) if argv else Path(tempfile.mkdtemp(prefix="rapport-paint-"))
    if not (folder / "journal.sqlite").exists():
        sys.path.insert(0, str(HERE))
        from gen_journal import make_journal

        make_journal(folder / "journal.sqlite", 10_000)
    # An installed Rapport has its bytecode; a checkout may not (PYTHONDONTWRITEBYTECODE).
    compileall.compile_dir(str(HERE.parent / "desktop"), quiet=1)
    bare: list[float] = []
    rapport: list[float] = []
    first_paint(BARE)  # warm the file cache for both
    first_paint(RAPPORT, str(folder))
    for _ in range(runs):  # interleaved, so a busy moment hurts both alike
        bare.append(first_paint(BARE))
        rapport.append(first_paint(RAPPORT, str(folder)))
    bare_ms, rapport_ms = statistics.median(bare), statistics.median(rapport)
    ratio = rapport_ms / bare_ms
    load = os.getloadavg()[0]
    print(
        f"first paint, median of {runs} fresh processes each "
        f"(load average {load:.1f} on {os.cpu_count()} cores)"
    )
    each = ", ".join(f"{t:.0f}" for t in bare)
    print(f"  bare PySide6 QMainWindow:        {bare_ms:7.1f} ms  ({each})")
    each = ", ".join(f"{t:.0f}" for t in rapport)
    print(f"  Rapport, 10k-people journal:     {rapport_ms:7.1f} ms  ({each})")
    verdict = "within" if ratio <= BUDGET else "OVER"
    print(f"  ratio {ratio:.2f}   budget {BUDGET}   {verdict} budget")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
