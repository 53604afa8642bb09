"""The status bar's poll progress: "2 of 5 sources" and a Cancel button, shown only while a round runs."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QSizePolicy, QWidget

from desktop.shell.events import EventBus

REDRAW_MS = 250


class PollStatus(QWidget):
    """Driven by the bus; Cancel asks the scheduler to drop the queue and stop running polls."""

    def __init__(self, bus: EventBus, scheduler: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scheduler = scheduler
        self.progress = QProgressBar()
        self.progress.setMinimumWidth(160)
        self.progress.setMaximumWidth(240)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop this round of checks; nothing half-read is stored")
        self.cancel_button.clicked.connect(self.on_cancel_clicked)
        # A status bar stretches what it is given; this stays the size of its contents.
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.cancel_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.progress)
        box.addWidget(self.cancel_button)
        # A progress bar repaints itself at once on every setValue (tens of ms in a big window): a round of 200
        # sources shows its progress at most four times a second, not once per source.
        self._shown = (0, 0)
        self._text = ""
        self._redraw_timer = QTimer(self, singleShot=True, interval=REDRAW_MS)
        self._redraw_timer.timeout.connect(self._redraw)
        bus.poll_started.connect(self.on_poll_started)
        bus.poll_progress.connect(self.on_poll_progress)
        bus.poll_finished.connect(self.on_poll_finished)
        self.hide()

    def text(self) -> str:
        """What the bar says (or will, at its next redraw)."""
        return self._text

    @Slot(int)
    def on_poll_started(self, total: int) -> None:
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self.on_poll_progress(0, total)
        self._redraw()
        self.show()

    @Slot(int, int)
    def on_poll_progress(self, done: int, total: int) -> None:
        total = max(total, 0)
        self._shown = (done, total)
        self._text = f"{done} of {total} source{'' if total == 1 else 's'}"
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    @Slot()
    def _redraw(self) -> None:
        done, total = self._shown
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.progress.setFormat(self._text)
        self.progress.setToolTip(f"Checking sources: {done} of {total} done")

    @Slot(object)
    def on_poll_finished(self, _results: object) -> None:
        self.hide()

    @Slot()
    def on_cancel_clicked(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self._scheduler.cancel()
