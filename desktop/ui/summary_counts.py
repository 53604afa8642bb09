"""The inbox status bar's counts (shown, unread, everything), counted off the GUI thread.

A COUNT over 100,000 mentions with a filter such as "alerts only" reads every row: hundreds of
milliseconds a filter change on the GUI thread. A worker with its own connection counts instead, and the
latest request's answer is the one shown.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from desktop.shell.jobs import Job, JobPool
from desktop.shell.reader import wait_for_paint
from desktop.store import connect, mentions
from desktop.store.db import Target, location
from desktop.store.mentions import Filter

Counts = tuple[int, int, int]  # shown (matching the filter), unread, everything


def count_now(conn: sqlite3.Connection, flt: Filter) -> Counts:
    return (mentions.count(conn, flt), mentions.count(conn, Filter(unread=True)), mentions.count(conn))


def _count_work(path: Target, flt: Filter) -> Callable[[Job], Counts]:
    """A count with its own connection, for `JobPool.start`."""
    def work(job: Job) -> Counts:
        wait_for_paint(job)  # the window's first paint goes first
        conn = connect(path, migrate=False)
        try:
            return count_now(conn, flt)
        finally:
            conn.close()
    return work


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
        # One at a time, so requests queue in order; a failed count keeps the status bar's last (the job logs why).
        self.jobs = JobPool(self, threads=1)
        self.jobs.finished.connect(self.on_job_finished)
        self._request = 0

    @property
    def pending(self) -> bool:
        """A count was asked for and its answer has not been heard yet."""
        return bool(self.jobs.running)

    def request(self, flt: Filter) -> None:
        self._request += 1
        if self._path is None:
            self.counted.emit(count_now(self._conn, flt))
            return
        self.jobs.start(self._request, _count_work(self._path, flt), what="counting the inbox for the status bar")

    @Slot(object, object)
    def on_job_finished(self, request: int, counts: Counts) -> None:
        if request == self._request:  # an older filter's answer is not what the user is looking at
            self.counted.emit(counts)

    def wait(self) -> None:
        """Block until queued counts are done (shutting down, or a test)."""
        self.jobs.pool.waitForDone()
