"""One store connection for a background thread: opened in that thread on first use, dropped on request.

Shared by the window's readers (desktop/shell/reader.py, one per lane) and writers (desktop/shell/writer.py, one
per writer): both run their work on a one-thread pool against a connection of their own, never the GUI thread's,
and both must open it lazily (a lane's connection opens after the first paint), carry the team person over (who
this desktop's person is, as the widget's connection says) and close it when the last user goes.
"""
from __future__ import annotations

import threading
from typing import Any

from desktop.store.db import BUSY_TIMEOUT_MS, Target, close_quietly, connect

__all__ = ["WorkerConnection"]


class WorkerConnection:
    """A background thread's connection to `target`, opened on first `get()` and closed by `drop()`."""

    def __init__(self, target: Target, person: str | None, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.target = target
        self.person = person  # a team database: who this desktop's person is, as the widget's connection says
        self.busy_timeout_ms = busy_timeout_ms
        self.conn: Any = None
        self.lock = threading.Lock()

    def get(self) -> Any:
        if self.conn is None:
            # check_same_thread off: the pool may replace its thread, and the last user may close it from another
            # thread; the one-thread pool is what keeps it to one user at a time.
            self.conn = connect(self.target, migrate=False, check_same_thread=False,
                                busy_timeout_ms=self.busy_timeout_ms)
            if self.person is not None:
                self.conn.person = self.person
        return self.conn

    def drop(self) -> None:
        """Close it (quietly: a lost team database may fail to close); the next `get()` connects again."""
        with self.lock:
            conn, self.conn = self.conn, None
        close_quietly(conn)
