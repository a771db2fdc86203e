"""Quick log driven by the keyboard alone: Ctrl+L, type, pick, Tab, Enter; then undo."""

from __future__ import annotations

from datetime import date

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from rapport.core.acts import log_act
from rapport.core.clock import today
from rapport.core.people import create_person
from rapport.store.models import Act, ActPerson


@pytest.fixture
def folks(journal):
    return {name: create_person(name)[0] for name in ("Ada Lovelace", "Grace Hopper", "Adam Smith")}


def gone(dialog) -> bool:
    """Closed: the form deletes itself once closed."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key as the user would press it: to the open popup, else to the focused widget."""
    target = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


def type_text(qtbot, text: str) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClicks(target, text)


def open_with_keyboard(qtbot, window):
    from rapport.ui.quick_log import QuickLogDialog

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None or window.isActiveWindow())
    qtbot.keyClick(
        QApplication.focusWidget() or window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QuickLogDialog)))
    dialog = next(d for d in window.findChildren(QuickLogDialog) if d.isVisible())
    qtbot.waitUntil(lambda: dialog.people.edit.hasFocus())
    return dialog


def pick(qtbot, dialog, typed: str) -> None:
    type_text(qtbot, typed)
    qtbot.waitUntil(lambda: dialog.people.popup_visible)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.people.popup_visible and dialog.people.edit.hasFocus())


def test_log_an_intro_with_the_keyboard_only_then_undo(qtbot, window, settle, folks) -> None:
    dialog = open_with_keyboard(qtbot, window)
    pick(qtbot, dialog, "ada l")
    pick(qtbot, dialog, "hop")
    assert dialog.people.people == [
        (folks["Ada Lovelace"], "Ada Lovelace"),
        (folks["Grace Hopper"], "Grace Hopper"),
    ]
    press(qtbot, Qt.Key.Key_Tab)  # kind
    assert QApplication.focusWidget() is dialog.kind
    type_text(qtbot, "intro")
    assert dialog.chosen_kind() == "intro"
    press(qtbot, Qt.Key.Key_Tab)  # I gave / I received
    assert QApplication.focusWidget() is dialog.gave
    press(qtbot, Qt.Key.Key_Right)
    assert dialog.received.isChecked()
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.url
    type_text(qtbot, "https://example.org/engines")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Both love engines")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(dialog))
    settle(window)

    act = Act.get()
    assert (act.kind, act.direction, act.url, act.note, act.date) == (
        "intro",
        "received",
        "https://example.org/engines",
        "Both love engines",
        today(),
    )
    assert sorted(ap.person_id for ap in ActPerson.select()) == sorted(
        [folks["Ada Lovelace"], folks["Grace Hopper"]]
    )
    assert window.undo_action.text().endswith("Log intro")

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        QApplication.focusWidget() or window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
    )
    settle(window)
    assert Act.select().count() == 0 and ActPerson.select().count() == 0


def test_enter_logs_a_typed_name_and_backspace_removes_a_chip(qtbot, window, settle, folks) -> None:
    dialog = open_with_keyboard(qtbot, window)
    pick(qtbot, dialog, "Adam")
    press(qtbot, Qt.Key.Key_Backspace)
    assert dialog.people.people == []
    # Typed but not picked: a name only one person's starts with is enough.
    qtbot.keyClicks(dialog.people.edit, "Grace")
    dialog.people._timer.stop()  # no completion list: Enter goes straight to the form
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(dialog))
    settle(window)
    assert [(ap.person_id, ap.ledger) for ap in ActPerson.select()] == [
        (folks["Grace Hopper"], "given")
    ]
    assert Act.get().kind == "share"


def test_a_refused_act_keeps_the_form_open_and_writes_nothing(qtbot, window, settle, folks) -> None:
    dialog = open_with_keyboard(qtbot, window)
    qtbot.keyClicks(dialog.people.edit, "Ada")  # Ada Lovelace and Adam Smith: ambiguous
    dialog.people._timer.stop()
    press(qtbot, Qt.Key.Key_Return)
    settle(window)
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "errorBox") is not None)
    box = dialog.findChild(QMessageBox, "errorBox")
    assert "no person named 'Ada'" in box.text()
    box.close()
    assert dialog.isVisible() and dialog.ok.isEnabled()
    assert Act.select().count() == 0
    dialog.reject()


def test_ctrl_l_again_raises_the_open_form(qtbot, window, folks) -> None:
    from rapport.ui.quick_log import QuickLogDialog

    first = open_with_keyboard(qtbot, window)
    window.quick_log_action.trigger()
    assert [d for d in window.findChildren(QuickLogDialog) if d.isVisible()] == [first]
    first.reject()


def test_edit_form_starts_from_the_act(qtbot, window, settle, folks) -> None:
    from rapport.core.act_log import acts_by_id
    from rapport.ui.quick_log import open_quick_log

    act_id, _ = log_act(
        [folks["Ada Lovelace"]], "thanks", on=date(2026, 1, 2), direction="received", note="ty"
    )
    dialog = open_quick_log(window, act=acts_by_id([act_id])[0])
    assert dialog.windowTitle() == "Edit act"
    assert dialog.people.people == [(folks["Ada Lovelace"], "Ada Lovelace")]
    assert (dialog.chosen_kind(), dialog.received.isChecked(), dialog.note.text()) == (
        "thanks",
        True,
        "ty",
    )
    assert dialog.chosen_day() == date(2026, 1, 2)
    dialog.note.setText("thank you!")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(dialog))
    settle(window)
    assert Act.get_by_id(act_id).note == "thank you!"
    window.undo_action.trigger()
    settle(window)
    assert Act.get_by_id(act_id).note == "ty"


def test_ctrl_l_starts_with_the_people_selected_in_contacts(
    qtbot, window, folks, monkeypatch
) -> None:
    from rapport.ui.quick_log import QuickLogDialog

    contacts = window.show_view("contacts")
    picked = [folks["Grace Hopper"], folks["Ada Lovelace"]]
    monkeypatch.setattr(contacts, "selected_people", lambda: picked)
    window.quick_log_action.trigger()
    dialog = next(d for d in window.findChildren(QuickLogDialog) if d.isVisible())
    qtbot.waitUntil(lambda: len(dialog.people.people) == 2)
    assert dialog.people.people == [
        (folks["Grace Hopper"], "Grace Hopper"),
        (folks["Ada Lovelace"], "Ada Lovelace"),
    ]
    dialog.reject()
