"""The QPainter chart and sparkline: the bars they compute, and that they really paint."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage

from rapport.core.balances import WeekCount
from rapport.ui.generosity.chart import (
    GIVEN_COLOR,
    RECEIVED_COLOR,
    Sparkline,
    WeeklyChart,
    layout_bars,
)

MONDAY = date(2026, 1, 5)


def series(pairs: list[tuple[int, int]]) -> list[WeekCount]:
    return [WeekCount(MONDAY + timedelta(weeks=i), g, r) for i, (g, r) in enumerate(pairs)]


def test_bars_share_one_scale_around_the_middle_line() -> None:
    area = QRectF(0, 0, 400, 101)
    bars, middle = layout_bars(series([(4, 0), (2, 1), (0, 0), (0, 4)]), area)
    assert middle == 50.5
    heights = [(round(b.given.height(), 2), round(b.received.height(), 2)) for b in bars]
    assert heights == [(49.5, 0), (24.75, 12.38), (0, 0), (0, 49.5)]
    assert all(b.given.bottom() == middle and b.received.top() == middle for b in bars)
    assert [round(b.given.left()) for b in bars] == [14, 114, 214, 314]
    assert layout_bars([], area) == ([], 50.5)


def count(image: QImage, color: QColor) -> int:
    wanted = color.rgb()
    return sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixel(x, y) == wanted
    )


def test_the_chart_paints_its_bars_and_legend(qtbot) -> None:
    chart = WeeklyChart()
    qtbot.addWidget(chart)
    chart.resize(520, 150)
    chart.set_series(series([(3, 1)] * 26 + [(0, 0)] * 26))
    assert chart.totals == (78, 26)
    image = chart.grab().toImage()
    given, received = count(image, GIVEN_COLOR), count(image, RECEIVED_COLOR)
    assert given > 3 * received > 0  # three times the height, plus the legend's swatches
    bars = chart.bars()
    assert len(bars) == 52
    assert chart.week_at(bars[3].given.center().x()) == bars[3].week
    assert chart.week_at(-5) is None
    # the right half (empty weeks) has no bars
    right = image.copy(bars[30].given.toRect().adjusted(0, -60, 0, 60))
    assert count(right, GIVEN_COLOR) == 0


def test_an_empty_chart_paints_a_hint(qtbot) -> None:
    chart = WeeklyChart()
    qtbot.addWidget(chart)
    chart.resize(520, 150)
    blank = chart.grab().toImage()
    assert count(blank, GIVEN_COLOR) > 0  # the legend swatch only
    chart.set_series(series([(0, 0)] * 52))
    image = chart.grab().toImage()
    area = chart.plot_area().toRect()
    text_pixels = sum(
        1
        for y in range(area.top(), area.bottom(), 2)
        for x in range(area.left(), area.right(), 2)
        if image.pixelColor(x, y).lightness() < 200
    )
    assert text_pixels > 50  # the sentence telling the user what to do


def test_sparkline(qtbot) -> None:
    spark = Sparkline()
    qtbot.addWidget(spark)
    spark.set_series(series([(1, 0), (0, 2)]))
    assert spark.toolTip() == "1 given, 2 received since Jan 2026"
    bars = spark.bars()
    assert bars[0].given.height() > 0 and bars[0].received.height() == 0
    assert bars[1].received.height() > bars[0].given.height()
    image = spark.grab().toImage()
    assert count(image, GIVEN_COLOR) > 0 and count(image, RECEIVED_COLOR) > 0
