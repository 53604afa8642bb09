"""A date picker that can also say "no date": a calendar drop-down beside a button that clears it.

Qt's QDateEdit always holds a date; the usual way to let it hold none is a special value at its minimum,
which it shows as text ("No date"). The calendar then opens on today, not on that sentinel.

Signals:
    changed(): the date was picked, typed or cleared.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Signal, Slot
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QToolButton, QWidget

NO_DATE_TEXT = "No date"
_NONE = QDate(1900, 1, 1)  # the sentinel: earlier than any project a user will record


class DateField(QWidget):
    """`value()` is a date or None; `set_value(None)` shows "No date"."""

    changed = Signal()

    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("d MMM yyyy")
        self.edit.setMinimumDate(_NONE)
        self.edit.setSpecialValueText(NO_DATE_TEXT)
        self.edit.calendarWidget().installEventFilter(self)
        self.clear_button = QToolButton()
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("No date")
        self.clear_button.clicked.connect(self.on_clear_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.clear_button)
        self.set_value(value)
        self.edit.dateChanged.connect(self.on_date_changed)
        self.setFocusProxy(self.edit)

    def value(self) -> date | None:
        picked = self.edit.date()
        return None if picked == _NONE else picked.toPython()

    def set_value(self, value: date | None) -> None:
        self.edit.setDate(QDate(value) if value is not None else _NONE)
        self.clear_button.setEnabled(value is not None)

    @Slot()
    def on_clear_clicked(self) -> None:
        self.set_value(None)

    @Slot(QDate)
    def on_date_changed(self, _picked: QDate) -> None:
        self.clear_button.setEnabled(self.value() is not None)
        self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Show and self.value() is None:
            today = QDate.currentDate()
            self.edit.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)
