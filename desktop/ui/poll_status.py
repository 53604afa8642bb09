"""The status bar's poll progress: "2 of 5 sources" and a Cancel button, shown only while a round runs."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QSizePolicy, QWidget

from desktop.shell.events import EventBus


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
        bus.poll_started.connect(self.on_poll_started)
        bus.poll_progress.connect(self.on_poll_progress)
        bus.poll_finished.connect(self.on_poll_finished)
        self.hide()

    def text(self) -> str:
        return self.progress.text()

    @Slot(int)
    def on_poll_started(self, total: int) -> None:
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self.on_poll_progress(0, total)
        self.show()

    @Slot(int, int)
    def on_poll_progress(self, done: int, total: int) -> None:
        total = max(total, 0)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.progress.setFormat(f"{done} of {total} source{'' if total == 1 else 's'}")
        self.progress.setToolTip(f"Checking sources: {done} of {total} done")

    @Slot(object)
    def on_poll_finished(self, _results: object) -> None:
        self.hide()

    @Slot()
    def on_cancel_clicked(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self._scheduler.cancel()
