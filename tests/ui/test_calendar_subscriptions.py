"""The subscriptions dialog against a real feed on 127.0.0.1: subscribe, refresh, go offline
(the message lands in the source's row, no message box), remove."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from calendar_helpers import TODAY, TRIPIT, set_home
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from rapport.store.models import CalendarSource, Event
from rapport.ui.calendar.subscriptions_dialog import SubscriptionsDialog


@pytest.fixture(autouse=True)
def _today(monkeypatch) -> None:
    monkeypatch.setenv("RAPPORT_TODAY", TODAY.isoformat())


class Feed:
    """A calendar feed served from a folder on 127.0.0.1, which the test can switch off."""

    def __init__(self, folder: Path) -> None:
        self.hits = 0
        feed = self

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, directory=str(folder), **kwargs)

            def do_GET(self) -> None:
                feed.hits += 1
                super().do_GET()

            def log_message(self, *_args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
        self.url = f"http://127.0.0.1:{self.server.server_port}/tripit.ics"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join()
            self.running = False


@pytest.fixture
def feed(tmp_path: Path) -> Iterator[Feed]:
    (tmp_path / "tripit.ics").write_bytes(TRIPIT.read_bytes())
    served = Feed(tmp_path)
    yield served
    served.stop()


def row(dialog: SubscriptionsDialog, r: int) -> list[str]:
    table = dialog.table
    return [table.item(r, c).text() for c in range(table.columnCount())]


def open_dialog(qtbot, window, settle) -> SubscriptionsDialog:
    view = window.show_view("calendar")
    settle(window)
    qtbot.mouseClick(view.subscribe_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, SubscriptionsDialog) and dialog.isVisible()
    settle(window)
    return dialog


def test_subscribe_refresh_offline_and_remove(qtbot, window, settle, feed) -> None:
    set_home(window)
    dialog = open_dialog(qtbot, window, settle)
    assert dialog.table.rowCount() == 0 and dialog.empty.isVisible()
    assert not dialog.add_button.isEnabled()

    qtbot.keyClicks(dialog.url, feed.url)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    settle(window, 20_000)
    assert dialog.table.rowCount() == 1
    kind, name, fetched, events, status = row(dialog, 0)
    assert (kind, name, events, status) == ("Feed", "TripIt - Ana Lima", "11", "OK")
    assert fetched.startswith("today")
    assert dialog.message.text().startswith("Subscribed to TripIt - Ana Lima: 11 events")
    assert dialog.url.text() == ""
    view = window.views["calendar"]
    assert [s.label for s in view.month.spans if s.key[0] == "trip"] == ["Boston"]
    assert view.refresh_timer.isActive()  # a feed now exists: it is read every few hours
    assert view.refresh_timer.interval() == 4 * 3600 * 1000

    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
    settle(window, 20_000)
    assert row(dialog, 0)[4] == "OK"
    assert window.ops.run_on_writer(lambda: Event.select().count()) == 11  # nothing doubled

    # At start (a few seconds after the window opens) and on the timer, quietly.
    hits = feed.hits
    view._startup()
    settle(window, 20_000)
    view.refresh_timer.timeout.emit()
    settle(window, 20_000)
    assert feed.hits == hits + 2
    assert window.findChild(QProgressDialog) is None or not any(
        d.isVisible() for d in window.findChildren(QProgressDialog)
    )

    feed.stop()  # offline
    qtbot.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
    settle(window, 20_000)
    status = row(dialog, 0)[4]
    assert "127.0.0.1" in status and "connection refused" in status
    assert dialog.table.item(0, 4).foreground().color().name() == "#c5221f"
    assert window.findChild(QMessageBox, "errorBox") is None  # no modal storm
    assert window.ops.run_on_writer(lambda: Event.select().count()) == 11  # kept offline

    # The toolbar's Refresh says it in the status bar, not in a box either.
    qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    settle(window, 20_000)
    qtbot.waitUntil(lambda: "could not be read" in window.statusBar().currentMessage())
    assert window.findChild(QMessageBox, "errorBox") is None

    dialog.table.selectRow(0)
    assert dialog.remove_button.isEnabled()
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    confirm = dialog.confirm  # imported events are not undoable: it asks first
    assert confirm is not None and "its 11 events" in confirm.text()
    qtbot.mouseClick(confirm.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    settle(window)
    assert window.ops.run_on_writer(lambda: CalendarSource.select().count()) == 1
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(
        dialog.confirm.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton
    )
    settle(window)
    assert dialog.table.rowCount() == 0
    assert window.ops.run_on_writer(lambda: CalendarSource.select().count()) == 0
    assert window.ops.run_on_writer(lambda: Event.select().count()) == 0
    assert [s for s in view.month.spans if s.key[0] == "trip"] == []
    assert not view.refresh_timer.isActive()  # no feed left to refresh


def test_a_wrong_address_is_explained_in_the_dialog(qtbot, window, settle) -> None:
    dialog = open_dialog(qtbot, window, settle)
    qtbot.keyClicks(dialog.url, "http://calendar.example.com/private.ics")
    qtbot.keyClick(dialog.url, Qt.Key.Key_Return)
    settle(window)
    assert dialog.message.isVisible()
    assert "use an https:// (or webcal://) address" in dialog.message.text()
    assert dialog.table.rowCount() == 0
    assert window.findChild(QMessageBox, "errorBox") is None
