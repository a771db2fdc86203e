"""The lists beside the log — This week, Serve next, Due, Follow-ups — as two-line rows:
the person in bold with a badge, and the reasons in words underneath.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedLayout,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

DETAIL_ROLE = Qt.ItemDataRole.UserRole + 10
BADGE_ROLE = Qt.ItemDataRole.UserRole + 11
PERSON_ROLE = Qt.ItemDataRole.UserRole + 12
KIND_ROLE = Qt.ItemDataRole.UserRole + 13
HEADER_ROLE = Qt.ItemDataRole.UserRole + 14
LATE_ROLE = Qt.ItemDataRole.UserRole + 15
PAD = 6
LATE_COLOR = QColor("#c0392b")


@dataclass(frozen=True)
class Entry:
    """One row: a person to act on, or (``header``) a section title."""

    title: str
    detail: str = ""
    badge: str = ""
    person_id: int | None = None
    kind: str = "share"  # what the quick log starts with for this person
    header: bool = False
    late: bool = False


class TwoLineDelegate(QStyledItemDelegate):
    """Paints the title bold, the badge at the right, the detail faint and wrapped.

    Everything is drawn as plain text: names never render as markup.
    """

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        small = QFont(option.font)
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.92))
        return bold, small

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        bold, small = self._fonts(option)
        width = max(120, option.rect.width() or 300)
        height = QFontMetrics(bold).height() + PAD * 2
        detail = str(index.data(DETAIL_ROLE) or "")
        if index.data(HEADER_ROLE):
            return QSize(width, QFontMetrics(bold).height() + PAD * 2 + 4)
        if detail:
            box = QFontMetrics(small).boundingRect(
                QRect(0, 0, width - PAD * 2, 10_000), Qt.TextFlag.TextWordWrap, detail
            )
            height += box.height() + 2
        return QSize(width, height)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        bold, small = self._fonts(option)
        rect: QRect = option.rect
        palette: QPalette = option.palette
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        painter.save()
        if index.data(HEADER_ROLE):
            header = QFont(bold)
            header.setCapitalization(QFont.Capitalization.AllUppercase)
            header.setPointSizeF(max(6.0, bold.pointSizeF() * 0.85))
            header.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
            painter.setFont(header)
            faint = palette.color(QPalette.ColorRole.WindowText)
            faint.setAlphaF(0.6)
            painter.setPen(faint)
            painter.drawText(
                rect.adjusted(PAD, PAD + 4, -PAD, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            )
            painter.restore()
            return
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        text_color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        painter.setPen(text_color)
        painter.setFont(bold)
        line = QFontMetrics(bold).height()
        badge = str(index.data(BADGE_ROLE) or "")
        badge_width = QFontMetrics(small).horizontalAdvance(badge) + PAD if badge else 0
        title = QFontMetrics(bold).elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            Qt.TextElideMode.ElideRight,
            rect.width() - PAD * 2 - badge_width,
        )
        painter.drawText(
            QRect(rect.left() + PAD, rect.top() + PAD, rect.width() - PAD * 2, line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title,
        )
        painter.setFont(small)
        if badge:
            badge_color = text_color
            if index.data(LATE_ROLE) and not selected:
                badge_color = LATE_COLOR
            painter.setPen(badge_color)
            painter.drawText(
                QRect(rect.left(), rect.top() + PAD, rect.width() - PAD, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                badge,
            )
        detail = str(index.data(DETAIL_ROLE) or "")
        if detail:
            faint = text_color
            if not selected:
                faint = palette.color(QPalette.ColorRole.Text)
                faint.setAlphaF(0.68)
            painter.setPen(faint)
            painter.drawText(
                QRect(
                    rect.left() + PAD,
                    rect.top() + PAD + line + 2,
                    rect.width() - PAD * 2,
                    rect.height() - line - PAD * 2,
                ),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                detail,
            )
        line_color = palette.color(QPalette.ColorRole.Mid)
        line_color.setAlphaF(0.35)
        painter.setPen(line_color)
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.restore()


class SuggestionList(QWidget):
    """A list of entries, or a sentence saying what to do when there are none."""

    chosen = Signal(int, str)  # person id, kind: open the quick log for them
    show_person = Signal(int, str)  # person id, name: filter the log by them

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setItemDelegate(TwoLineDelegate(self.list))
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemActivated.connect(self._activated)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.empty = QLabel(empty_text)
        self.empty.setObjectName("emptyState")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMargin(18)
        self.empty.setEnabled(False)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)
        self.entries: list[Entry] = []

    def set_entries(self, entries: list[Entry]) -> None:
        self.entries = list(entries)
        current = self.selected_person()
        self.list.clear()
        for entry in entries:
            item = QListWidgetItem(entry.title)
            item.setData(DETAIL_ROLE, entry.detail)
            item.setData(BADGE_ROLE, entry.badge)
            item.setData(PERSON_ROLE, entry.person_id)
            item.setData(KIND_ROLE, entry.kind)
            item.setData(HEADER_ROLE, entry.header)
            item.setData(LATE_ROLE, entry.late)
            item.setToolTip(entry.detail)
            if entry.header:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(item)
            if current is not None and entry.person_id == current[0] and not entry.header:
                self.list.setCurrentItem(item)
        has_people = any(not e.header for e in entries)
        self.stack.setCurrentWidget(self.list if has_people else self.empty)

    def selected_person(self) -> tuple[int, str] | None:
        item = self.list.currentItem()
        if item is None or item.data(PERSON_ROLE) is None or not item.isSelected():
            return None
        return int(item.data(PERSON_ROLE)), item.text()

    def _activated(self, item: QListWidgetItem) -> None:
        pid = item.data(PERSON_ROLE)
        if pid is not None:
            self.chosen.emit(int(pid), str(item.data(KIND_ROLE) or "share"))

    def _menu(self, pos: QPoint) -> None:
        from PySide6.QtWidgets import QMenu

        item = self.list.itemAt(pos)
        if item is None or item.data(PERSON_ROLE) is None:
            return
        pid, name = int(item.data(PERSON_ROLE)), item.text()
        menu = QMenu(self)
        log = menu.addAction("Log an act…")
        log.triggered.connect(lambda: self.chosen.emit(pid, str(item.data(KIND_ROLE))))
        show = menu.addAction("Show their acts")
        show.triggered.connect(lambda: self.show_person.emit(pid, name))
        menu.popup(self.list.viewport().mapToGlobal(pos))
