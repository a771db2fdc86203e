"""The month grid widget on its own: clicking, the keyboard, words for screen readers, and
names drawn as the characters they are."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QLocale, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage

from rapport.ui.calendar.month_layout import Span
from rapport.ui.calendar.month_view import DayItem, MonthView, add_months

TODAY = date(2027, 3, 10)  # a Wednesday
GB = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


@pytest.fixture
def month(qtbot) -> MonthView:
    view = MonthView(
        today=TODAY, locale=QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    )
    view.resize(770, 600)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.set_content(
        [
            Span(("trip", 1), date(2027, 3, 12), date(2027, 3, 16), "Boston", "trip", 3),
            Span(("trip", 2), date(2027, 3, 27), date(2027, 3, 28), "Berlin", "trip", 0),
        ],
        [DayItem(date(2027, 3, 10), "birthday", "Ana Lima turns 40")],
    )
    return view


def centre(rect) -> QPoint:
    return rect.center().toPoint()


def test_the_locale_decides_the_first_day_of_the_week(qtbot) -> None:
    us = MonthView(
        today=TODAY, locale=QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    )
    gb = MonthView(
        today=TODAY, locale=QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    )
    qtbot.addWidget(us)
    qtbot.addWidget(gb)
    assert us.first_visible == date(2027, 2, 28)  # a Sunday
    assert gb.first_visible == date(2027, 3, 1)  # a Monday
    assert us.month_title() == gb.month_title() == "March 2027"


def test_bars_are_drawn_on_the_right_days_across_the_week_boundary(month) -> None:
    rects = month.bar_rects(("trip", 1))
    assert len(rects) == 2  # Fri 12 - Sun 14, then Mon 15 - Tue 16
    first_row = month.cell_rect(date(2027, 3, 12)), month.cell_rect(date(2027, 3, 14))
    second_row = month.cell_rect(date(2027, 3, 15)), month.cell_rect(date(2027, 3, 16))
    assert rects[0].left() >= first_row[0].left() and rects[0].right() <= first_row[1].right()
    assert rects[0].right() > first_row[1].left()
    assert first_row[0].top() < rects[0].top() < first_row[0].bottom()
    assert rects[1].left() >= second_row[0].left() and rects[1].right() <= second_row[1].right()
    assert rects[1].right() > second_row[1].left()
    assert second_row[0].top() < rects[1].top() < second_row[0].bottom()


def test_clicking_a_bar_selects_the_trip_and_clicking_a_day_selects_the_day(qtbot, month) -> None:
    bar = month.bar_rects(("trip", 1))[1]
    with qtbot.waitSignal(month.span_selected) as picked:
        qtbot.mouseClick(month, Qt.MouseButton.LeftButton, pos=centre(bar))
    assert picked.args == [("trip", 1)]
    assert month.selected_day in (date(2027, 3, 15), date(2027, 3, 16))
    # A click on an empty part of a day of the same trip keeps the trip.
    cell = month.cell_rect(date(2027, 3, 16))
    below_bar = QPoint(int(cell.center().x()), int(cell.bottom() - 4))
    qtbot.mouseClick(month, Qt.MouseButton.LeftButton, pos=below_bar)
    assert month.selected_day == date(2027, 3, 16)
    assert month.selected_key == ("trip", 1)
    # A day without that trip drops it.
    with qtbot.waitSignal(month.day_selected) as day:
        qtbot.mouseClick(
            month, Qt.MouseButton.LeftButton, pos=centre(month.cell_rect(date(2027, 3, 3)))
        )
    assert day.args == [date(2027, 3, 3)]
    assert month.selected_key is None
    # A day of the next month turns the page.
    with qtbot.waitSignal(month.month_changed) as turned:
        qtbot.mouseClick(
            month, Qt.MouseButton.LeftButton, pos=centre(month.cell_rect(date(2027, 4, 2)))
        )
    assert turned.args == [2027, 4]


def test_keyboard_moves_days_pages_months_goes_home_and_opens_the_trip(qtbot, month) -> None:
    month.setFocus()
    assert month.selected_day == TODAY
    qtbot.keyClick(month, Qt.Key.Key_Right)
    assert month.selected_day == date(2027, 3, 11)
    qtbot.keyClick(month, Qt.Key.Key_Down)
    assert month.selected_day == date(2027, 3, 18)
    qtbot.keyClick(month, Qt.Key.Key_Up)
    qtbot.keyClick(month, Qt.Key.Key_Left)
    assert month.selected_day == TODAY
    with qtbot.waitSignal(month.month_changed) as turned:
        qtbot.keyClick(month, Qt.Key.Key_PageDown)
    assert turned.args == [2027, 4] and month.selected_day == date(2027, 4, 10)
    qtbot.keyClick(month, Qt.Key.Key_PageUp)
    qtbot.keyClick(month, Qt.Key.Key_PageUp)
    assert (month.year, month.month) == (2027, 2) and month.selected_day == date(2027, 2, 10)
    qtbot.keyClick(month, Qt.Key.Key_Home)
    assert month.selected_day == TODAY and (month.year, month.month) == (2027, 3)
    # Arrows walk out of the month too.
    for _ in range(4):
        qtbot.keyClick(month, Qt.Key.Key_Up)
    assert month.selected_day == date(2027, 2, 10) and month.month == 2
    qtbot.keyClick(month, Qt.Key.Key_Home)
    # Enter on a day without a trip does nothing; on a trip's day it opens the trip.
    with qtbot.assertNotEmitted(month.span_activated):
        qtbot.keyClick(month, Qt.Key.Key_Return)
    qtbot.keyClick(month, Qt.Key.Key_Right)
    qtbot.keyClick(month, Qt.Key.Key_Right)
    with qtbot.waitSignal(month.span_activated) as opened:
        qtbot.keyClick(month, Qt.Key.Key_Enter)
    assert opened.args == [("trip", 1)] and month.selected_key == ("trip", 1)


def test_add_months_clamps_to_the_shorter_month() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2027, 1, 15), -1) == date(2026, 12, 15)
    assert add_months(date(2027, 12, 15), 1) == date(2028, 1, 15)


def test_screen_readers_hear_the_month_the_day_and_its_trips(qtbot, month) -> None:
    assert month.accessibleName() == "Calendar, March 2027"
    assert "10 March 2027 (today)" in month.accessibleDescription()
    assert "Ana Lima turns 40" in month.accessibleDescription()
    month.select_day(date(2027, 3, 13))
    text = month.accessibleDescription()
    assert "Trip to Boston" in text and "3 people to meet" in text
    assert month.tooltip_at(month.bar_rects(("trip", 2))[0].center()).count("Berlin") == 1


def ink_extent(image: QImage, rect: QRect, is_ink) -> int:
    """The width (in pixels) over which ``is_ink`` pixels occur inside ``rect``."""
    columns = [
        x
        for x in range(max(rect.left(), 0), min(rect.right(), image.width() - 1) + 1)
        if any(is_ink(image.pixelColor(x, y)) for y in range(rect.top(), rect.bottom() + 1))
    ]
    return (columns[-1] - columns[0] + 1) if columns else 0


def test_markup_in_names_is_drawn_as_the_characters_it_is(qtbot, month) -> None:
    markup = "<b>x</b>"
    month.set_content(
        [Span(("trip", 7), date(2027, 3, 1), date(2027, 3, 7), markup, "trip", 0)],
        [DayItem(date(2027, 3, 24), "birthday", "<i>y</i>")],
    )
    image = month.grab().toImage()
    fm = month.fontMetrics()

    def white(c: QColor) -> bool:
        return c.red() > 200 and c.green() > 200 and c.blue() > 200

    bar = month.bar_rects(("trip", 7))[0].toRect().adjusted(2, 2, -2, -2)
    # Interpreted as markup the bar would show one "x"; drawn as text, eight characters.
    assert ink_extent(image, bar, white) >= fm.horizontalAdvance(markup) - 4

    def dark(c: QColor) -> bool:
        return c.lightness() < 100

    cell = month.cell_rect(date(2027, 3, 24)).toRect()
    line = QRect(cell.left() + 14, cell.top() + fm.height() + 6, cell.width() - 16, fm.height() + 4)
    assert ink_extent(image, line, dark) >= fm.horizontalAdvance("<i>y</i>") - 4
