"""The give/receive chart (acts per week over twelve months) and the per-person sparkline,
painted with QPainter: given above the line, received below, one bar pair per week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from rapport.core.balances import WeekCount

GIVEN_COLOR = QColor("#2a9d8f")
RECEIVED_COLOR = QColor("#e08a2c")


@dataclass(frozen=True)
class Bar:
    week: WeekCount
    given: QRectF  # empty when nothing was given that week
    received: QRectF


def layout_bars(series: list[WeekCount], area: QRectF) -> tuple[list[Bar], float]:
    """Bars for ``series`` inside ``area``; returns them and the y of the middle line.

    Given and received share one scale so their heights compare honestly.
    """
    if not series:
        return [], area.center().y()
    peak = max(1, max(max(w.given, w.received) for w in series))
    middle = area.top() + area.height() / 2
    half = area.height() / 2 - 1
    slot = area.width() / len(series)
    width = max(1.0, slot * 0.72)
    bars = []
    for i, week in enumerate(series):
        x = area.left() + i * slot + (slot - width) / 2
        up = half * week.given / peak
        down = half * week.received / peak
        bars.append(
            Bar(
                week,
                QRectF(x, middle - up, width, up),
                QRectF(x, middle, width, down),
            )
        )
    return bars, middle


def _tip(week: WeekCount) -> str:
    return f"Week of {week.start:%d %b %Y}: {week.given} given, {week.received} received"


class WeeklyChart(QWidget):
    """Acts per week given vs received; hover a week for its numbers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weeklyChart")
        self.series: list[WeekCount] = []
        self.setMouseTracking(True)
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(150)

    def sizeHint(self) -> QSize:
        return QSize(640, 150)

    def set_series(self, series: list[WeekCount]) -> None:
        self.series = list(series)
        self.update()

    @property
    def totals(self) -> tuple[int, int]:
        return sum(w.given for w in self.series), sum(w.received for w in self.series)

    def plot_area(self) -> QRectF:
        return QRectF(self.rect()).adjusted(12, 26, -12, -20)

    def bars(self) -> list[Bar]:
        return layout_bars(self.series, self.plot_area())[0]

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        pal = self.palette()
        text = pal.windowText().color()
        faint = QColor(text)
        faint.setAlphaF(0.55)
        area = self.plot_area()
        given, received = self.totals
        font = QFont(self.font())
        painter.setFont(font)
        self._legend(painter, given, received, text)
        if not self.series or given + received == 0:
            painter.setPen(faint)
            painter.drawText(
                area,
                Qt.AlignmentFlag.AlignCenter,
                "Nothing given or received in the last twelve months yet — press Ctrl+L to log",
            )
            painter.end()
            return
        bars, middle = layout_bars(self.series, area)
        for bar in bars:
            if bar.given.height() > 0:
                painter.fillRect(bar.given, GIVEN_COLOR)
            if bar.received.height() > 0:
                painter.fillRect(bar.received, RECEIVED_COLOR)
        line = QColor(text)
        line.setAlphaF(0.35)
        painter.setPen(QPen(line, 1))
        painter.drawLine(QPointF(area.left(), middle), QPointF(area.right(), middle))
        painter.setPen(faint)
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        painter.setFont(small)
        last_month = None
        for bar in bars:
            month = (bar.week.start.year, bar.week.start.month)
            if month != last_month and bar.week.start.day <= 7:
                x = bar.given.left()
                painter.drawText(
                    QRectF(x, area.bottom() + 2, 40, 16),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                    f"{bar.week.start:%b}",
                )
                last_month = month
        painter.end()

    def _legend(self, painter: QPainter, given: int, received: int, text: QColor) -> None:
        x = 12.0
        for label, value, color in (
            ("given", given, GIVEN_COLOR),
            ("received", received, RECEIVED_COLOR),
        ):
            painter.fillRect(QRectF(x, 8, 10, 10), color)
            words = f"{value} {label}"
            painter.setPen(text)
            painter.drawText(QRectF(x + 14, 3, 200, 20), Qt.AlignmentFlag.AlignVCenter, words)
            x += 24 + painter.fontMetrics().horizontalAdvance(words)
        painter.setPen(text)
        painter.drawText(
            QRectF(0, 3, self.width() - 12, 20),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            "acts per week, last 12 months",
        )

    def week_at(self, x: float) -> WeekCount | None:
        for bar in self.bars():
            slot = bar.given.adjusted(-2, 0, 2, 0)
            if slot.left() <= x <= slot.right():
                return bar.week
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        week = self.week_at(event.position().x())
        if week is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(event.globalPosition().toPoint(), _tip(week), self)
        super().mouseMoveEvent(event)


class Sparkline(QWidget):
    """A small per-person version: one column per week, given up and received down."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sparkline")
        self.series: list[WeekCount] = []
        self.setFixedSize(QSize(160, 30))

    def set_series(self, series: list[WeekCount]) -> None:
        self.series = list(series)
        given = sum(w.given for w in self.series)
        received = sum(w.received for w in self.series)
        first: date | None = self.series[0].start if self.series else None
        since = f" since {first:%b %Y}" if first else ""
        self.setToolTip(f"{given} given, {received} received{since}")
        self.update()

    def bars(self) -> list[Bar]:
        return layout_bars(self.series, QRectF(self.rect()).adjusted(1, 1, -1, -1))[0]

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        line = QColor(self.palette().windowText().color())
        line.setAlphaF(0.25)
        bars, middle = layout_bars(self.series, QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.setPen(QPen(line, 1))
        painter.drawLine(QPointF(0, middle), QPointF(self.width(), middle))
        for bar in bars:
            if bar.given.height() > 0:
                painter.fillRect(bar.given, GIVEN_COLOR)
            if bar.received.height() > 0:
                painter.fillRect(bar.received, RECEIVED_COLOR)
        painter.end()
