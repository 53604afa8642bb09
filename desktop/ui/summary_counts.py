"""The inbox status bar's counts (shown, unread, everything), counted off the GUI thread.

A COUNT over 100,000 mentions with a filter such as "alerts only" reads every row: hundreds of
milliseconds a filter change on the GUI thread. The counts are read like every other page's reads
(desktop/shell/reader.py, on the pages' lane, not the inbox rows' own), and the latest request's answer is the
one shown.
"""
from __future__ import annotations

import sqlite3

from PySide6.QtCore import QObject, Signal

from desktop.shell.reader import StoreReader
from desktop.store import mentions
from desktop.store.mentions import Filter

Counts = tuple[int, int, int]  # shown (matching the filter), unread, everything


def count_now(conn: sqlite3.Connection, flt: Filter, totals: tuple[int, int] | None = None) -> Counts:
    """`totals`: unread and everything, already known (a filter change: they do not depend on the filter), so only
    the filter's own count is read."""
    if totals is not None:
        return (mentions.count(conn, flt), *totals)
    return (mentions.count(conn, flt), mentions.count(conn, Filter(unread=True)), mentions.count(conn))


class SummaryCounter(QObject):
    """Counts on request; `counted(Counts)` carries the answer to the latest request (a failed count keeps the
    status bar's last; the reader logs why).

    Signals:
        counted(object): the Counts for the most recent request.
    """

    counted = Signal(object)

    def __init__(self, conn: sqlite3.Connection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader = StoreReader(conn, self)

    @property
    def pending(self) -> bool:
        """A count was asked for and its answer has not been heard yet."""
        return self.reader.busy

    def request(self, flt: Filter, totals: tuple[int, int] | None = None) -> None:
        """Count (see count_now); a request replaces one not yet begun, so `totals` must be current."""
        self.reader.read("counts", lambda conn: count_now(conn, flt, totals), self.counted.emit)

    def wait(self) -> None:
        """Block until queued counts are done (shutting down, or a test)."""
        self.reader.jobs.pool.waitForDone()
