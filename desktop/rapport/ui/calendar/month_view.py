"""The month grid, painted by hand: trips as bars across days, and each day's meetings,
birthdays and follow-ups. Geometry comes from ``month_layout`` and from ``MonthGeometry``
below, so painting and clicking always agree on where things are.

Everything drawn comes from files and people's records, so it is drawn with
``QPainter.drawText`` (which never reads markup) and tooltips are escaped.
"""

from __future__ import annotations

import calendar
import html
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QLocale, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from rapport.ui.calendar.month_layout import MonthLayout, Segment, Span, layout_month

BAR_COLORS = {
    "trip": QColor("#2f6fce"),
    "visit": QColor("#13837a"),
    "conference": QColor("#7b4fc9"),
    "dismissed": QColor("#8a8f98"),
}
BADGE_COLOR = QColor("#e8710a")
DOT_COLORS = {
    "suggested": QColor("#8a8f98"),
    "invited": QColor("#e8710a"),
    "confirmed": QColor("#1e8e3e"),
    "done": QColor("#5f6368"),
    "declined": QColor("#c5221f"),
    "birthday": QColor("#d63384"),
    "follow_up": QColor("#b06000"),
}


@dataclass(frozen=True)
class DayItem:
    """One line in a day's cell: a meeting, a birthday, a follow-up."""

    day: date
    kind: str  # meeting | birthday | follow_up
    text: str
    key: Hashable = None
    status: str = ""  # a meeting's status, which colours its dot

    @property
    def dot(self) -> QColor:
        return DOT_COLORS.get(self.status or self.kind, DOT_COLORS["suggested"])


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def bar_path(
    rect: QRectF, round_left: bool, round_right: bool, radius: float = 4.0
) -> QPainterPath:
    """A bar with rounded ends where the span starts or ends, square where it carries on."""
    r = min(radius, rect.height() / 2)
    left, right, top, bottom = rect.left(), rect.right(), rect.top(), rect.bottom()
    path = QPainterPath()
    path.moveTo(left + (r if round_left else 0), top)
    if round_right:
        path.lineTo(right - r, top)
        path.arcTo(QRectF(right - 2 * r, top, 2 * r, 2 * r), 90, -90)
        path.lineTo(right, bottom - r)
        path.arcTo(QRectF(right - 2 * r, bottom - 2 * r, 2 * r, 2 * r), 0, -90)
    else:
        path.lineTo(right, top)
        path.lineTo(right, bottom)
    if round_left:
        path.lineTo(left + r, bottom)
        path.arcTo(QRectF(left, bottom - 2 * r, 2 * r, 2 * r), 270, -90)
        path.lineTo(left, top + r)
        path.arcTo(QRectF(left, top, 2 * r, 2 * r), 180, -90)
    else:
        path.lineTo(left, bottom)
        path.lineTo(left, top)
    path.closeSubpath()
    return path


def python_weekday(qt_day: Qt.DayOfWeek | int) -> int:
    """Qt numbers Monday 1 .. Sunday 7; Python 0 .. 6."""
    value = qt_day.value if isinstance(qt_day, Qt.DayOfWeek) else int(qt_day)
    return (value - 1) % 7


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, clamped to the month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class MonthGeometry:
    """Rectangles of the grid for one widget size and font."""

    def __init__(self, layout: MonthLayout, width: float, height: float, fm: QFontMetrics):
        self.layout = layout
        self.header = fm.height() + 10
        self.col_w = width / 7
        self.row_h = max((height - self.header) / max(layout.weeks, 1), 1.0)
        self.number_h = fm.height() + 6
        self.lane_h = fm.height() + 5
        self.line_h = fm.height() + 2

    def cell(self, week: int, col: int) -> QRectF:
        return QRectF(col * self.col_w, self.header + week * self.row_h, self.col_w, self.row_h)

    def visible_lanes(self) -> int:
        """Lanes that fit in a cell, keeping one line free for "+N more"."""
        room = self.row_h - self.number_h - self.line_h - 2
        return max(int(room // self.lane_h), 0)

    def bar(self, seg: Segment) -> QRectF:
        top = self.header + seg.week * self.row_h + self.number_h + seg.lane * self.lane_h
        left = seg.first_col * self.col_w + (1 if seg.continues_before else 4)
        right = (seg.last_col + 1) * self.col_w - (1 if seg.continues_after else 4)
        return QRectF(left, top, right - left, self.lane_h - 2)

    def items_top(self, week: int) -> float:
        lanes = min(self.layout.lanes_in_week(week), self.visible_lanes())
        return self.header + week * self.row_h + self.number_h + lanes * self.lane_h + 1

    def item_lines(self, week: int) -> int:
        bottom = self.header + (week + 1) * self.row_h - 2
        return max(int((bottom - self.items_top(week)) // self.line_h), 0)

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        if pos.y() < self.header or pos.x() < 0:
            return None
        week = int((pos.y() - self.header) // self.row_h)
        col = int(pos.x() // self.col_w)
        if 0 <= week < self.layout.weeks and 0 <= col < 7:
            return week, col
        return None


class MonthView(QWidget):
    """A month of days; click or use the keyboard to pick a day, click a bar to pick a trip."""

    day_selected = Signal(object)  # date
    month_changed = Signal(int, int)  # year, month
    span_selected = Signal(object)  # the Span's key, or None
    span_activated = Signal(object)  # Enter or a double click on a bar

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        locale: QLocale | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("monthView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.locale_ = locale or QLocale()
        self.first_weekday = python_weekday(self.locale_.firstDayOfWeek())
        self.today = today or date.today()
        self.selected_day = self.today
        self.selected_key: Hashable | None = None
        self.spans: list[Span] = []
        self.items: dict[date, list[DayItem]] = {}
        self.layout_ = layout_month(self.today.year, self.today.month, [], first_weekday=0)
        self._relayout(self.today.year, self.today.month)
        self._describe()

    # -- content ---------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.layout_.year

    @property
    def month(self) -> int:
        return self.layout_.month

    @property
    def first_visible(self) -> date:
        return self.layout_.first_day

    @property
    def last_visible(self) -> date:
        return self.layout_.last_day

    def set_first_weekday(self, weekday: int) -> None:
        """0 = Monday .. 6 = Sunday (the locale's by default)."""
        self.first_weekday = weekday % 7
        self._relayout(self.year, self.month)
        self.update()

    def set_today(self, today: date) -> None:
        self.today = today
        self.update()

    def set_content(self, spans: Iterable[Span], items: Iterable[DayItem]) -> None:
        self.spans = list(spans)
        self.items = {}
        for item in items:
            self.items.setdefault(item.day, []).append(item)
        self._relayout(self.year, self.month)
        self._describe()
        self.update()

    def _relayout(self, year: int, month: int) -> None:
        self.layout_ = layout_month(year, month, self.spans, first_weekday=self.first_weekday)

    def geometry_(self) -> MonthGeometry:
        return MonthGeometry(self.layout_, self.width(), self.height(), self.fontMetrics())

    def span(self, key: Hashable) -> Span | None:
        return next((s for s in self.spans if s.key == key), None)

    def spans_on(self, day: date) -> list[Span]:
        return sorted(
            (s for s in self.spans if s.start <= day <= s.end),
            key=lambda s: (s.start, str(s.key)),
        )

    # -- navigation ------------------------------------------------------------------------

    def show_month(self, year: int, month: int) -> None:
        if (year, month) == (self.year, self.month):
            return
        self._relayout(year, month)
        self.update()
        self.month_changed.emit(year, month)

    def select_day(self, day: date) -> None:
        """Select ``day``, turning to its month when it is not the shown one."""
        changed = day != self.selected_day
        self.selected_day = day
        if (day.year, day.month) != (self.year, self.month):
            self.show_month(day.year, day.month)
        if changed:
            self.day_selected.emit(day)
        self._describe()
        self.update()

    def select_span(self, key: Hashable | None) -> None:
        if key == self.selected_key:
            return
        self.selected_key = key
        self.span_selected.emit(key)
        self._describe()
        self.update()

    def go_today(self) -> None:
        self.select_day(self.today)

    def step_month(self, months: int) -> None:
        self.select_day(add_months(self.selected_day, months))

    # -- painting --------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(7 * 110, 6 * 96)

    def minimumSizeHint(self) -> QSize:
        return QSize(7 * 48, 4 * 56)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        geo = self.geometry_()
        self._paint_header(painter, geo)
        for week in range(self.layout_.weeks):
            for col in range(7):
                self._paint_cell(painter, geo, week, col)
        self._paint_grid(painter, geo)
        visible = geo.visible_lanes()
        for seg in self.layout_.segments:
            if seg.lane < visible:
                self._paint_bar(painter, geo, seg)
        for week in range(self.layout_.weeks):
            for col in range(7):
                self._paint_items(painter, geo, week, col)
        if self.hasFocus():
            cell = self.layout_.cell_of(self.selected_day)
            if cell is not None:
                pen = QPen(palette.color(QPalette.ColorRole.Highlight), 2)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(geo.cell(*cell).adjusted(1, 1, -1, -1))
        painter.end()

    def _paint_header(self, painter: QPainter, geo: MonthGeometry) -> None:
        palette = self.palette()
        painter.fillRect(
            QRectF(0, 0, self.width(), geo.header), palette.color(QPalette.ColorRole.Window)
        )
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        for col in range(7):
            weekday = (self.first_weekday + col) % 7 + 1  # Qt: Monday 1 .. Sunday 7
            name = self.locale_.dayName(weekday, QLocale.FormatType.ShortFormat)
            rect = QRectF(col * geo.col_w + 6, 0, geo.col_w - 8, geo.header)
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)

    def _paint_cell(self, painter: QPainter, geo: MonthGeometry, week: int, col: int) -> None:
        palette = self.palette()
        day = self.layout_.day_at(week, col)
        rect = geo.cell(week, col)
        if not self.layout_.in_month(day):
            painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
        if day == self.selected_day:
            tint = QColor(palette.color(QPalette.ColorRole.Highlight))
            tint.setAlpha(40)
            painter.fillRect(rect, tint)
        number = str(day.day) if day.day != 1 else self._first_of_month(day)
        fm = self.fontMetrics()
        text_rect = QRectF(rect.left() + 6, rect.top() + 3, rect.width() - 10, fm.height())
        if day == self.today:
            width = max(fm.horizontalAdvance(number) + 10, fm.height() + 2)
            pill = QRectF(rect.left() + 3, rect.top() + 2, width, fm.height() + 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
            painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
            font = QFont(self.font())
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, number)
            painter.setFont(self.font())
            return
        role = (
            QPalette.ColorRole.Text
            if self.layout_.in_month(day)
            else QPalette.ColorRole.PlaceholderText
        )
        painter.setPen(palette.color(role))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, number)

    def _first_of_month(self, day: date) -> str:
        return f"{day.day} {self.locale_.monthName(day.month, QLocale.FormatType.ShortFormat)}"

    def _paint_bar(self, painter: QPainter, geo: MonthGeometry, seg: Segment) -> None:
        rect = geo.bar(seg)
        color = BAR_COLORS.get(seg.span.kind, BAR_COLORS["trip"])
        path = bar_path(rect, not seg.continues_before, not seg.continues_after)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawPath(path)
        if seg.span.key == self.selected_key:
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Text), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)

        fm = self.fontMetrics()
        text_rect = rect.adjusted(6, 0, -4, 0)
        if seg.span.badge:
            badge_text = str(seg.span.badge)
            badge_w = max(fm.horizontalAdvance(badge_text) + 8, rect.height() - 2)
            badge = QRectF(rect.right() - badge_w - 2, rect.top() + 1, badge_w, rect.height() - 2)
            if badge.left() > rect.left() + 8:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(BADGE_COLOR)
                painter.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2)
                painter.setPen(QColor("white"))
                bold = QFont(self.font())
                bold.setBold(True)
                painter.setFont(bold)
                painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, badge_text)
                painter.setFont(self.font())
                text_rect.setRight(badge.left() - 4)
        label = ("… " if seg.continues_before else "") + seg.span.label
        painter.setPen(QColor("white"))
        elided = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(text_rect.width()))
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        painter.drawText(text_rect, align, elided)

    def _paint_items(self, painter: QPainter, geo: MonthGeometry, week: int, col: int) -> None:
        day = self.layout_.day_at(week, col)
        items = self.items.get(day, [])
        hidden_bars = sum(
            1 for s in self.layout_.segments_at(week, col) if s.lane >= geo.visible_lanes()
        )
        if not items and not hidden_bars:
            return
        lines = geo.item_lines(week)
        fits = len(items) if len(items) <= lines and not hidden_bars else max(lines - 1, 0)
        cell = geo.cell(week, col)
        fm = self.fontMetrics()
        top = geo.items_top(week)
        palette = self.palette()
        for n, item in enumerate(items[:fits]):
            y = top + n * geo.line_h
            self._paint_marker(painter, item, QRectF(cell.left() + 6, y + geo.line_h / 2 - 3, 7, 7))
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            font = QFont(self.font())
            font.setStrikeOut(item.status == "declined")
            painter.setFont(font)
            rect = QRectF(cell.left() + 16, y, cell.width() - 20, geo.line_h)
            text = fm.elidedText(item.text, Qt.TextElideMode.ElideRight, int(rect.width()))
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
            painter.setFont(self.font())
        more = len(items) - fits + hidden_bars
        if more > 0 and lines > 0:
            y = top + fits * geo.line_h
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            rect = QRectF(cell.left() + 6, y, cell.width() - 10, geo.line_h)
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, f"+{more} more"
            )

    def _paint_marker(self, painter: QPainter, item: DayItem, box: QRectF) -> None:
        """A meeting is a dot in its status colour, a birthday a ring, a follow-up a diamond."""
        if item.kind == "birthday":
            painter.setPen(QPen(item.dot, 1.6))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(box.adjusted(0.5, 0.5, -0.5, -0.5))
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(item.dot)
        if item.kind == "follow_up":
            c = box.center()
            r = box.width() / 2
            painter.drawPolygon(
                [
                    QPointF(c.x(), c.y() - r),
                    QPointF(c.x() + r, c.y()),
                    QPointF(c.x(), c.y() + r),
                    QPointF(c.x() - r, c.y()),
                ]
            )
            return
        painter.drawEllipse(box)

    def _paint_grid(self, painter: QPainter, geo: MonthGeometry) -> None:
        line = QColor(self.palette().color(QPalette.ColorRole.Mid))
        line.setAlpha(110)
        painter.setPen(QPen(line, 1))
        for week in range(self.layout_.weeks + 1):
            y = geo.header + week * geo.row_h
            painter.drawLine(QPointF(0, y), QPointF(self.width(), y))
        for col in range(1, 7):
            x = col * geo.col_w
            painter.drawLine(QPointF(x, geo.header), QPointF(x, self.height()))

    # -- hit testing -----------------------------------------------------------------------

    def hit(self, pos: QPointF | QPoint) -> tuple[date | None, Hashable | None]:
        """The day under ``pos`` and the key of the bar under it (None when none)."""
        point = QPointF(pos)
        geo = self.geometry_()
        cell = geo.cell_at(point)
        if cell is None:
            return None, None
        visible = geo.visible_lanes()
        for seg in self.layout_.segments:
            if seg.lane < visible and geo.bar(seg).contains(point):
                return self.layout_.day_at(*cell), seg.span.key
        return self.layout_.day_at(*cell), None

    def bar_rects(self, key: Hashable) -> list[QRectF]:
        """Where the bar of ``key`` is drawn (one rectangle per week row): for tests."""
        geo = self.geometry_()
        return [geo.bar(s) for s in self.layout_.segments if s.span.key == key]

    def cell_rect(self, day: date) -> QRectF | None:
        cell = self.layout_.cell_of(day)
        return self.geometry_().cell(*cell) if cell is not None else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        day, key = self.hit(event.position())
        if day is None:
            return
        self.select_day(day)
        if key is not None:
            self.select_span(key)
        elif self.selected_key is not None and not any(
            s.key == self.selected_key for s in self.spans_on(day)
        ):
            self.select_span(None)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        _day, key = self.hit(event.position())
        if key is not None:
            self.span_activated.emit(key)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            QToolTip.showText(event.globalPos(), self.tooltip_at(QPointF(event.pos())), self)
            return True
        return super().event(event)

    def tooltip_at(self, pos: QPointF) -> str:
        day, key = self.hit(pos)
        if day is None:
            return ""
        lines = [self.describe_span(self.span(key))] if key is not None else []
        if key is None:
            lines = self.describe_day(day)
        body = "<br>".join(html.escape(line) for line in lines if line)
        return f"<p style='white-space:pre-wrap'>{body}</p>" if body else ""

    # -- keyboard --------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        steps = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -7,
            Qt.Key.Key_Down: 7,
        }
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            steps[Qt.Key.Key_Left], steps[Qt.Key.Key_Right] = 1, -1
        if key in steps:
            self.select_day(self.selected_day + timedelta(days=steps[Qt.Key(key)]))
        elif key == Qt.Key.Key_PageUp:
            self.step_month(-1)
        elif key == Qt.Key.Key_PageDown:
            self.step_month(1)
        elif key == Qt.Key.Key_Home:
            self.go_today()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activate_selected()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def activate_selected(self) -> None:
        """Enter: open the selected trip if it covers the day, else the day's first trip."""
        on_day = self.spans_on(self.selected_day)
        keys = [s.key for s in on_day]
        key = self.selected_key if self.selected_key in keys else (keys[0] if keys else None)
        if key is None:
            return
        self.select_span(key)
        self.span_activated.emit(key)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    # -- words, for tooltips and screen readers ----------------------------------------------

    def describe_span(self, span: Span | None) -> str:
        if span is None:
            return ""
        when = self.range_text(span.start, span.end)
        noun = {"conference": "Conference:", "visit": "Visit:"}.get(span.kind, "Trip to")
        text = f"{noun} {span.label}, {when}"
        if span.badge:
            text += f", {span.badge} {'person' if span.badge == 1 else 'people'} to meet"
        return text

    def range_text(self, start: date, end: date) -> str:
        fmt = QLocale.FormatType.LongFormat
        if start == end:
            return self.locale_.toString(qdate(start), fmt)
        first, last = (
            self.locale_.toString(qdate(start), fmt),
            self.locale_.toString(qdate(end), fmt),
        )
        return f"{first} to {last}"

    def describe_day(self, day: date) -> list[str]:
        lines = [self.locale_.toString(qdate(day), QLocale.FormatType.LongFormat)]
        if day == self.today:
            lines[0] += " (today)"
        lines += [self.describe_span(s) for s in self.spans_on(day)]
        lines += [item.text for item in self.items.get(day, [])]
        return lines

    def _describe(self) -> None:
        title = self.month_title()
        self.setAccessibleName(f"Calendar, {title}")
        lines = self.describe_day(self.selected_day)
        if self.selected_key is not None:
            lines.append("Selected: " + self.describe_span(self.span(self.selected_key)))
        description = ". ".join(line for line in lines if line)
        self.setAccessibleDescription(description)
        self.setToolTip("")
        if QAccessible.isActive():
            QAccessible.updateAccessibility(
                QAccessibleEvent(self, QAccessible.Event.DescriptionChanged)
            )

    def month_title(self) -> str:
        return f"{self.locale_.standaloneMonthName(self.month)} {self.year}".strip()
