"""The window under test: a real MainWindow on a fresh journal, offscreen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from rapport.store.journal import Journal


@pytest.fixture(autouse=True)
def _no_windows_left_open(qapp: Any) -> Iterator[None]:
    """Close top-level windows a test leaves open (a notice shown after the main window
    closed, say), so they cannot take the keyboard from the next test's window."""
    yield
    for widget in qapp.topLevelWidgets():
        if widget.isVisible():
            widget.close()


@pytest.fixture
def window(qtbot: Any, journal: Journal) -> Iterator[Any]:
    from rapport.ui.main_window import MainWindow

    win = MainWindow(journal)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    # As at start: the views are built just after the first paint; wait until they are
    # built and have read the journal.
    from rapport.ui.views import VIEWS

    qtbot.waitUntil(lambda: len(win.views) == len(VIEWS), timeout=10_000)
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=10_000)
    yield win
    if win.isVisible():
        win.close()
    else:
        win.ops.shutdown()


@pytest.fixture
def settle(qtbot: Any) -> Callable[[Any], None]:
    """Wait until every queued operation of ``window`` has finished and reported."""

    def wait(win: Any, timeout: int = 5000) -> None:
        qtbot.waitUntil(lambda: not win.ops.busy, timeout=timeout)

    return wait
