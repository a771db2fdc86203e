"""Small dialogs of the Calendar view: correct a trip, split it, snooze until a date, and set
the home city. Each only asks; the view runs the change through ``window.ops``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rapport.ui.calendar.trip_panel import place_text, plain


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("ddd d MMM yyyy")
    return edit


class _Form(QDialog):
    """A form with OK and Cancel; ``ok`` is the OK button."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish(self) -> None:
        self.layout_.addWidget(self.buttons)
        self.finished.connect(self.deleteLater)


class CorrectTripDialog(_Form):
    """Change a trip's place or dates; the correction survives a re-import."""

    corrected = Signal(object, object, object)  # place text or None, start or None, end or None

    def __init__(self, trip: Any, parent: QWidget | None = None) -> None:
        super().__init__("Correct trip", parent)
        self.setObjectName("correctTrip")
        self.trip = trip
        self.place = QLineEdit(place_text(trip) if trip.city else "")
        self.place.setObjectName("tripPlace")
        self.place.setPlaceholderText("A city: Boston, MA · Frankfurt am Main · NYC · BOS")
        self.start = date_edit(trip.start)
        self.start.setObjectName("tripStart")
        self.end = date_edit(trip.end)
        self.end.setObjectName("tripEnd")
        self.form.addRow("Place:", self.place)
        self.form.addRow("First day:", self.start)
        self.form.addRow("Last day:", self.end)
        self.problem = plain()
        self.problem.setObjectName("correctProblem")
        self.problem.hide()
        self.layout_.addWidget(self.problem)
        self.finish()
        self.start.dateChanged.connect(self._check)
        self.end.dateChanged.connect(self._check)
        self.accepted.connect(self._emit)

    def _check(self) -> None:
        bad = self.end.date() < self.start.date()
        self.problem.setText("The last day comes before the first." if bad else "")
        self.problem.setVisible(bad)
        self.ok.setEnabled(not bad)

    def _emit(self) -> None:
        place = self.place.text().strip()
        start, end = pydate(self.start.date()), pydate(self.end.date())
        self.corrected.emit(
            place if place and place != place_text(self.trip) else None,
            start if start != self.trip.start else None,
            end if end != self.trip.end else None,
        )


class SplitTripDialog(_Form):
    """Split a trip in two at a day: that day starts the second trip."""

    chosen = Signal(object)  # the first day of the second trip

    def __init__(self, trip: Any, parent: QWidget | None = None) -> None:
        super().__init__("Split trip", parent)
        self.setObjectName("splitTrip")
        self.layout_.insertWidget(
            0, plain(f"Split the trip to {place_text(trip)} in two. The second trip starts on:")
        )
        second = trip.start + timedelta(days=1)
        self.day = date_edit(second)
        self.day.setObjectName("splitDay")
        self.day.setMinimumDate(qdate(second))
        self.day.setMaximumDate(qdate(trip.end))
        self.form.addRow("Second trip from:", self.day)
        self.finish()
        self.accepted.connect(lambda: self.chosen.emit(pydate(self.day.date())))


class SnoozeDateDialog(_Form):
    """Snooze a flag until a day the user picks."""

    chosen = Signal(object)  # date

    def __init__(self, person: str, suggested: date, parent: QWidget | None = None) -> None:
        super().__init__("Snooze", parent)
        self.setObjectName("snoozeDate")
        self.layout_.insertWidget(0, plain(f"Remind me about {person} again on:"))
        self.day = date_edit(suggested)
        self.day.setObjectName("snoozeDay")
        self.day.setMinimumDate(qdate(date.today()))
        self.form.addRow("Day:", self.day)
        self.finish()
        self.accepted.connect(lambda: self.chosen.emit(pydate(self.day.date())))


class HomeCityDialog(_Form):
    """Set the home city (never a trip); offers the guess from the calendar when there is one."""

    chosen = Signal(str)

    def __init__(self, current: str, guess: str | None, parent: QWidget | None = None) -> None:
        super().__init__("Home city", parent)
        self.setObjectName("homeCity")
        text = "Your own city is never a trip: travel there is coming home."
        if guess and not current:
            text += f"\n\nYour calendar suggests {guess}."
        self.layout_.insertWidget(0, plain(text))
        self.city = QLineEdit(current or guess or "")
        self.city.setObjectName("homeCityEdit")
        self.city.setPlaceholderText("Boston, MA")
        self.form.addRow("Home city:", self.city)
        self.finish()
        self.city.textChanged.connect(lambda t: self.ok.setEnabled(bool(t.strip())))
        self.ok.setEnabled(bool(self.city.text().strip()))
        self.accepted.connect(lambda: self.chosen.emit(self.city.text().strip()))
