"""Writing to the store for a widget without the GUI thread waiting: the write runs on a thread (and connection)
of the writer's own, and its outcome comes back to the GUI thread as a call.

Why: on a team's PostgreSQL store even one small UPDATE is a network round-trip, and behind a teammate's lock it
waits for as long as the lock is held; on SQLite it may wait for a poll's write. The window must do neither. A
widget asks `write(work, what=..., done=..., failed=...)`: `work(conn)` runs in the writer's one pool thread
(desktop/shell/jobs.py) on the writer's own connection (opened on first use, kept for the next write, closed
with the writer; a team database's person carried over), and `done(result)` or `failed(exc)` runs on the GUI
thread. Writes run one at a time in the order asked, every one of them (unlike reads, none is skipped), so a
"mark read" then "mark unread" lands as the user meant. A write asked just before its widget goes still runs;
only its report is dropped. What a failure means to the user (Retry on a busy store, a message, undoing what the
widget showed at once) is desktop/ui/store_writes.py's.

An in-memory store has no file for a second connection: its writes run on the widget's own connection, still
answered through the event loop, so callers see one behaviour.
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.shell.jobs import Job, JobPool
from desktop.shell.worker_connection import WorkerConnection
from desktop.store.db import WRITER_BUSY_TIMEOUT_MS, StoreBusy, StoreError, location

log = logging.getLogger(__name__)

T = TypeVar("T")

__all__ = ["StoreWriter"]

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


def _close_when_gone(jobs: JobPool, connection: WorkerConnection) -> Callable[..., None]:
    """What the writer's `destroyed` does: let the writes already asked for finish (the user made them), then
    close the connection. Nothing is cancelled: a write is never half-asked."""
    def close(*_args: object) -> None:
        try:
            jobs.pool.waitForDone()
        except RuntimeError:  # the pool's C++ side went first; deleting it already waited for its jobs
            pass
        connection.drop()
    return close


class StoreWriter(QObject):
    """Runs one widget's store writes in order on a thread of its own; see the module docstring.

    Signals:
        busy_changed(bool): whether a write is waiting or running.
    """

    busy_changed = Signal(bool)

    def __init__(self, conn: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._own_conn = conn
        target = location(conn)
        self._connection = (WorkerConnection(target, getattr(conn, "person", None), WRITER_BUSY_TIMEOUT_MS)
                            if target is not None else None)
        self.jobs = JobPool(self, threads=1)
        self.jobs.pool.setExpiryTimeout(-1)  # one thread for the writer's life: its connection stays open
        self.jobs.finished.connect(self.on_job_finished)
        self.jobs.failed.connect(self.on_job_failed)
        self.jobs.cancelled.connect(self.on_job_ended)
        self._pending: dict[int, tuple[Done | None, Failed | None]] = {}
        self._keys = itertools.count(1)
        if self._connection is not None:
            self.destroyed.connect(_close_when_gone(self.jobs, self._connection))

    @property
    def busy(self) -> bool:
        """A write was asked for and its outcome has not been delivered yet."""
        return bool(self._pending)

    def write(self, work: Callable[[Any], T], *, what: str, done: Callable[[T], None] | None = None,
              failed: Failed | None = None) -> None:
        """Run `work(conn)` off the GUI thread after the writes asked before it; then `done(result)` or
        `failed(exc)` on the GUI thread. `what` names it in the log ("mark it read")."""
        key = next(self._keys)
        was_busy = self.busy
        self._pending[key] = (done, failed)
        if not was_busy:
            self.busy_changed.emit(True)
        if self._connection is None:
            QTimer.singleShot(0, lambda: self._write_now(key, work, what))
            return
        connection = self._connection

        def run(_job: Job) -> object:
            try:
                return work(connection.get())
            except Exception as exc:  # noqa: BLE001 - reported to the widget, never lost
                if not isinstance(exc, (StoreBusy, ValueError)):
                    connection.drop()  # a lost team database: the next write connects again (a refusal: harmless)
                return _failure(exc, what)

        self.jobs.start(key, run, what=what)

    def _write_now(self, key: int, work: Callable[[Any], Any], what: str) -> None:
        try:
            result: object = work(self._own_conn)
        except Exception as exc:  # noqa: BLE001 - reported like a failed write
            result = _failure(exc, what)
        self.on_job_finished(key, result)

    def _take(self, key: int) -> tuple[Done | None, Failed | None] | None:
        if key not in self._pending:
            return None  # shut down meanwhile
        callbacks = self._pending.pop(key)
        if not self._pending:
            self.busy_changed.emit(False)
        return callbacks

    @Slot(object, object)
    def on_job_finished(self, key: int, result: object) -> None:
        if isinstance(result, _Failure):
            self.on_job_failed(key, result.exc)
            return
        callbacks = self._take(key)
        if callbacks is not None and callbacks[0] is not None:
            callbacks[0](result)

    @Slot(object, object)
    def on_job_failed(self, key: int, exc: object) -> None:
        callbacks = self._take(key)
        if callbacks is not None and callbacks[1] is not None:
            callbacks[1](exc)  # type: ignore[arg-type]

    @Slot(object)
    def on_job_ended(self, key: int) -> None:
        self._take(key)

    def shutdown(self) -> None:
        """Finish the writes asked for and close the connection now (an app quitting, a test ending); their
        outcomes are not reported."""
        self._pending.clear()
        self.jobs.pool.waitForDone()
        if self._connection is not None:
            self._connection.drop()


class _Failure:
    """A write that raised, carried back as its result (a busy store is expected, not a traceback in the log)."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def _failure(exc: BaseException, what: str) -> _Failure:
    if isinstance(exc, (StoreError, ValueError)):  # said to the user in words
        log.warning("could not %s: %s", what, exc)
    else:
        log.error("could not %s", what, exc_info=exc)
    return _Failure(exc)
