"""The Generosity view: the log table's filters, edit and delete with undo, the lists of
what to do next, the per-person timeline, and every view hearing of a new act."""

from __future__ import annotations

from datetime import timedelta

import pytest
import shiboken6
from PySide6.QtCore import QItemSelectionModel, Qt

from rapport.core import goals
from rapport.core.acts import log_act
from rapport.core.clock import today
from rapport.core.people import create_person
from rapport.store.models import Act

T = today()


@pytest.fixture
def journal_with_acts(journal):
    p = {
        n: create_person(n, tier=t)[0]
        for n, t in (("Ada", 1), ("Grace", 2), ("<b>Linus</b>", None))
    }
    goal, _ = goals.create_goal("Raise a seed round")
    goals.link_people(goal, [p["Grace"]])
    log_act(
        [p["Ada"]], "share", on=T - timedelta(days=40), note="pricing essay", url="https://e.x/p"
    )
    log_act([p["Grace"]], "thanks", on=T - timedelta(days=30), direction="received")
    log_act([p["Ada"], p["<b>Linus</b>"]], "intro", on=T - timedelta(days=20))
    log_act([p["<b>Linus</b>"]], "coffee", on=T - timedelta(days=10), note="oat flat white")
    return journal, p


@pytest.fixture
def view(qtbot, window, settle, journal_with_acts):
    v = window.show_view("generosity")
    settle(window)
    qtbot.waitUntil(lambda: v.model.rows and v.overview is not None)
    return v


def loaded(qtbot, view, settle) -> list[str]:
    settle(view.window_)
    qtbot.waitUntil(lambda: not view.model.loading)
    return [row.note or row.kind for row in view.model.rows]


def test_newest_first_and_plain_text(qtbot, view, settle) -> None:
    assert loaded(qtbot, view, settle) == ["oat flat white", "intro", "thanks", "pricing essay"]
    people = view.model.index(1, 3).data()
    assert people == "Ada, <b>Linus</b>"  # the characters, never markup
    assert view.count.text() == "4 acts"
    assert view.log_stack.currentWidget() is view.table


def test_filters_narrow_the_table(qtbot, view, settle, journal_with_acts) -> None:
    _j, p = journal_with_acts
    f = view.filters
    f.kind.setCurrentIndex(f.kind.findText("Touchpoints"))
    assert loaded(qtbot, view, settle) == ["oat flat white"]
    f.kind.setCurrentIndex(0)
    f.direction.setCurrentIndex(f.direction.findData("received"))
    assert loaded(qtbot, view, settle) == ["thanks"]
    f.direction.setCurrentIndex(0)
    f.since.set_value(T - timedelta(days=30))
    f.until.set_value(T - timedelta(days=20))
    assert loaded(qtbot, view, settle) == ["intro", "thanks"]
    f.since.set_value(None)
    f.until.set_value(None)
    qtbot.keyClicks(f.search, "pricing")
    f.flush()
    assert loaded(qtbot, view, settle) == ["pricing essay"]
    assert view.count.text() == "1 of 4 acts match"
    f.search.clear()
    f.flush()
    f.set_person(p["Ada"], "Ada")
    assert loaded(qtbot, view, settle) == ["intro", "pricing essay"]
    assert view.person_summary.isVisible()
    qtbot.waitUntil(lambda: view.person_summary.summary is not None)
    assert view.person_summary.lines.text().startswith("Given 2 · received 0")
    qtbot.keyClicks(f.search, "nothing like this")
    f.flush()
    assert loaded(qtbot, view, settle) == []
    assert view.log_stack.currentWidget() is view.empty
    assert view.empty.text() == "No acts match these filters."
    qtbot.mouseClick(view.clear_button, Qt.MouseButton.LeftButton)
    assert len(loaded(qtbot, view, settle)) == 4
    assert not view.person_summary.isVisible()


def select(view, row: int) -> None:
    view.table.selectionModel().select(
        view.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    view.table.setCurrentIndex(view.model.index(row, 0))


def test_delete_with_the_key_then_undo(qtbot, view, settle) -> None:
    loaded(qtbot, view, settle)
    view.table.setFocus()
    select(view, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert loaded(qtbot, view, settle) == ["intro", "thanks", "pricing essay"]
    assert Act.select().count() == 3
    view.window_.undo_action.trigger()
    assert loaded(qtbot, view, settle) == ["oat flat white", "intro", "thanks", "pricing essay"]
    view.window_.redo_action.trigger()
    assert len(loaded(qtbot, view, settle)) == 3


def test_edit_from_the_table_then_undo(qtbot, view, settle) -> None:
    from rapport.ui.quick_log import QuickLogDialog

    loaded(qtbot, view, settle)
    select(view, 2)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    dialog = next(d for d in view.window_.findChildren(QuickLogDialog) if d.isVisible())
    assert dialog.act is not None and dialog.chosen_kind() == "thanks"
    dialog.note.setText("for the review")
    dialog.day.setDate(dialog.day.date().addDays(-1))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
    assert loaded(qtbot, view, settle)[2] == "for the review"
    assert view.model.rows[2].date == T - timedelta(days=31)
    view.window_.undo_action.trigger()
    assert loaded(qtbot, view, settle)[2] == "thanks"


def test_lists_say_what_to_do_next(view) -> None:
    serve = [(e.title, e.badge) for e in view.serve.entries]
    # Grace: goal 35 + tier 8 + never given 30 + owed 10 = 83; Ada: tier 15 + 20 days' gap 3.3
    assert serve == [("Grace", "83"), ("Ada", "18")]
    assert view.serve.entries[0].detail.startswith("on goal 'Raise a seed round'; tier 2")
    # Ada (every 21 days) was in touch 20 days ago, Grace (60) 30, Linus (365) 10: nobody due.
    assert view.due.entries == []
    assert view.due.stack.currentWidget() is view.due.empty
    week = [(e.title, e.header) for e in view.week.entries]
    assert week[0] == ("Give", True) and ("Grace", False) in week
    assert view.follow.stack.currentWidget() is view.follow.empty
    assert "marked done" in view.follow.empty.text()


def test_activating_a_suggestion_opens_the_quick_log_for_them(
    qtbot, view, journal_with_acts
) -> None:
    from rapport.ui.quick_log import QuickLogDialog

    _j, p = journal_with_acts
    view.tabs.setCurrentWidget(view.serve)
    item = view.serve.list.item(0)
    view.serve.list.setCurrentItem(item)
    assert view.quick_log_people() == [(p["Grace"], "Grace")]
    view.serve.list.itemActivated.emit(item)
    dialog = next(d for d in view.window_.findChildren(QuickLogDialog) if d.isVisible())
    assert dialog.people.people == [(p["Grace"], "Grace")]
    assert dialog.chosen_kind() == "share"
    dialog.reject()


def test_a_new_act_reaches_the_view_even_when_hidden(
    qtbot, window, settle, journal_with_acts
) -> None:
    _j, p = journal_with_acts
    view = window.views["generosity"]
    window.show_view("contacts")
    window.ops.change(None, "Log share", lambda _p: log_act([p["Ada"]], "share", on=T)[1])
    settle(window)
    window.show_view("generosity")
    assert loaded(qtbot, view, settle)[0] == "share"
    qtbot.waitUntil(lambda: view.chart.totals == (3, 1))


def test_empty_journal_says_what_to_do(qtbot, window, settle) -> None:
    view = window.show_view("generosity")
    settle(window)
    qtbot.waitUntil(lambda: view.overview is not None and not view.model.loading)
    assert view.log_stack.currentWidget() is view.empty
    assert "Ctrl+L" in view.empty.text()
    for lst in (view.week, view.serve, view.due, view.follow):
        assert lst.stack.currentWidget() is lst.empty
    assert view.chart.totals == (0, 0)


def test_person_timeline_for_the_contacts_pane(qtbot, window, settle, journal_with_acts) -> None:
    from rapport.ui.generosity.person_timeline import PersonTimeline

    _j, p = journal_with_acts
    timeline = PersonTimeline(window)
    qtbot.addWidget(timeline)
    timeline.set_person(p["<b>Linus</b>"])
    qtbot.waitUntil(lambda: timeline.summary is not None)
    lines = timeline.lines.text().splitlines()
    assert lines[0] == "Given 1 · received 0"
    assert lines[1].startswith("Last given ") and lines[1].endswith("(20 days ago)")
    assert lines[2].endswith("(10 days ago)")
    assert lines[3] == "Due in 356 days (every 365 days)"
    assert timeline.list.topLevelItemCount() == 2
    assert timeline.list.topLevelItem(1).text(1) == "Intro given"
    assert timeline.list.topLevelItem(1).text(2) == "Ada"
    window.ops.change(None, "Log", lambda _p: log_act([p["<b>Linus</b>"]], "gift", on=T)[1])
    settle(window)
    qtbot.waitUntil(lambda: timeline.list.topLevelItemCount() == 3)
    assert timeline.lines.text().startswith("Given 2")
