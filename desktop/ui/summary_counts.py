"""The inbox status bar's counts (shown, unread, everything), counted off the GUI thread.

A COUNT over 100,000 mentions with a filter such as "alerts only" reads every row: hundreds of
milliseconds a filter change on the GUI thread. A worker with its own connection counts instead, and the
latest request's answer is the one shown.
"""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desktop.store import connect, mentions
from desktop.store.db import location
from desktop.store.mentions import Filter

log = logging.getLogger(__name__)

Counts = tuple[int, int, int]  # shown (matching the filter), unread, everything


def count_now(conn: sqlite3.Connection, flt: Filter) -> Counts:
    return (mentions.count(conn, flt), mentions.count(conn, Filter(unread=True)), mentions.count(conn))


class _Signals(QObject):
    counted = Signal(int, object)  # request number, Counts


class _CountJob(QRunnable):
    def __init__(self, path: Path, flt: Filter, request: int, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._path, self._filter, self._request, self._signals = path, flt, request, signals

    def run(self) -> None:
        try:
            conn = connect(self._path, migrate=False)
            try:
                counts = count_now(conn, self._filter)
            finally:
                conn.close()
        except Exception:  # noqa: BLE001 - the status bar keeps its last counts; the log says why
            log.exception("could not count the inbox for the status bar")
            return
        self._signals.counted.emit(self._request, counts)


class SummaryCounter(QObject):
    """Counts on request in a one-thread pool; `counted(Counts)` carries the answer to the latest request.

    An in-memory store (no file for a worker to open) is counted at once, on the caller's thread.

    Signals:
        counted(object): the Counts for the most recent request.
    """

    counted = Signal(object)

    def __init__(self, conn: sqlite3.Connection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self._path = location(conn)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)  # created here, on the GUI thread, so answers are delivered here
        self._signals.counted.connect(self._on_counted)
        self._request = 0

    @property
    def pending(self) -> bool:
        return self._pool.activeThreadCount() > 0

    def request(self, flt: Filter) -> None:
        self._request += 1
        if self._path is None:
            self.counted.emit(count_now(self._conn, flt))
            return
        self._pool.start(_CountJob(self._path, flt, self._request, self._signals))

    def _on_counted(self, request: int, counts: Counts) -> None:
        if request == self._request:  # an older filter's answer is not what the user is looking at
            self.counted.emit(counts)

    def wait(self) -> None:
        """Block until queued counts are done (shutting down, or a test)."""
        self._pool.waitForDone()
