"""Work that waits for the window's first paint, and `RAPPORT_TRACE_STARTUP=1`, which logs when it happened.

A user judges start-up by when the window shows: everything that can wait (the start-up alert summary,
the first poll) runs after the first paint instead of before it.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

TRACE_ENV = "RAPPORT_TRACE_STARTUP"
_IMPORTED_AT = time.perf_counter()


def process_age_s() -> float:
    """Seconds since this process started (from /proc on Linux; else since this module was imported)."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return float(Path("/proc/uptime").read_text().split()[0]) - started
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _IMPORTED_AT


def tracing() -> bool:
    return os.environ.get(TRACE_ENV, "") not in ("", "0")


class FirstPaint(QObject):
    """Calls `then` once, just after `window` has painted for the first time (an event filter)."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._then: Callable[[], None] | None = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self._window and event.type() == QEvent.Type.Paint and self._then is not None:
            self._window.removeEventFilter(self)
            if tracing():
                message = f"first paint {process_age_s():.3f} s after start"
                log.info(message)
                print(f"rapport: {message}", file=sys.stderr, flush=True)
            QTimer.singleShot(0, self.fire)  # after this paint has been delivered
        return False

    def cancel(self) -> None:
        """Never run the waiting work (the app is shutting down before its window painted)."""
        self._then = None
        self._window.removeEventFilter(self)

    def fire(self) -> None:
        """Run the waiting work now (also used when the window never shows, e.g. started in the tray)."""
        then, self._then = self._then, None
        if then is not None:
            self._window.removeEventFilter(self)
            then()
