"""Writing to the store for a widget without the GUI thread waiting: the write runs on a thread (and connection)
of the writer's own, and its outcome comes back to the GUI thread as a call.

Why: on a team's PostgreSQL store even one small UPDATE is a network round-trip, and behind a teammate's lock it
waits for as long as the lock is held; on SQLite it may wait for a poll's write. The window must do neither. A
widget asks `write(work, what=..., done=..., failed=...)`: `work(conn)` runs in the writer's one pool thread
(desktop/shell/jobs.py) on the writer's own connection (opened on first use, kept for the next write, closed
with the writer; a team database's person carried over), and `done(result)` or `failed(exc)` runs on the GUI
thread. Writes run one at a time in the order asked, every one of them (unlike reads, none is skipped), so a
"mark read" then "mark unread" lands as the user meant. What a failure means to the user (Retry on a busy store, a
message, undoing what the widget showed at once) is desktop/ui/store_writes.py's.

A widget that goes (a dialog closed) while its writes are still on their way does not wait for them: its writes
keep their thread and connection until the last has run (then the connection closes there), and a failure of
one nobody is left to hear reaches `unheard_failures` (the app says it in the window, desktop/shell/app.py).

An in-memory store has no file for a second connection: its writes run on the widget's own connection, still
answered through the event loop, so callers see one behaviour.
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThreadPool, QTimer, Signal, Slot

from desktop.shell.jobs import Job, JobPool
from desktop.shell.worker_connection import WorkerConnection
from desktop.store.db import WRITER_BUSY_TIMEOUT_MS, StoreBusy, StoreError, location

log = logging.getLogger(__name__)

T = TypeVar("T")

__all__ = ["StoreWriter", "UnheardFailures", "delete_now", "finish_gone_writers", "unheard_failures"]

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class UnheardFailures(QObject):
    """Where the failures of writes whose widget has gone are said (made on the GUI thread, on first use).

    Signals:
        failed(str, object): what the write was ("save the draft"), the exception it raised.
    """

    failed = Signal(str, object)


_unheard: UnheardFailures | None = None


def unheard_failures() -> UnheardFailures:
    """The one `UnheardFailures` (call it on the GUI thread)."""
    global _unheard
    if _unheard is None:
        _unheard = UnheardFailures()
    return _unheard


class _Lane:
    """A writer's thread, connection and pending writes: outlives the writer while its writes finish."""

    def __init__(self, connection: WorkerConnection | None) -> None:
        self.connection = connection
        # Not a child of the writer: a Qt parent would delete it with the writer, and a QThreadPool waits for its
        # jobs when it is deleted, on the GUI thread.
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        self.pool.setExpiryTimeout(-1)  # one thread for the writer's life: its connection stays open
        self.jobs = JobPool(pool=self.pool)
        self.pending: dict[int, tuple[str, Done | None, Failed | None]] = {}
        self.shut = False  # the writer was shut down (its writes waited for, its connection closed)


_draining: set[_Lane] = set()  # lanes of writers gone, kept alive until their writes ran and the connection closed
_CLOSE = "close"  # the key of the job that closes a gone writer's connection


def _drain_when_gone(lane: _Lane) -> Callable[..., None]:
    """What the writer's `destroyed` does: its writes already asked for still run (the user made them; none is
    cancelled, a write is never half-asked), without the GUI thread waiting; their failures go to
    `unheard_failures`, and the connection closes in the writer's thread after the last."""
    def drain(*_args: object) -> None:
        if lane.shut:  # shut down already: its writes ran and its connection closed; its thread goes now
            try:
                lane.jobs.deleteLater()  # on the GUI thread, not whenever the garbage collector frees the lane
                lane.pool.deleteLater()
            except RuntimeError:  # the interpreter is exiting and Qt's side went first
                pass
            return
        try:
            lane.jobs.finished.connect(lambda key, result: _ended_unheard(lane, key, result))
            lane.jobs.failed.connect(lambda key, exc: _ended_unheard(lane, key, _Failure(exc)))
            lane.jobs.cancelled.connect(lambda key: _ended_unheard(lane, key, None))
        except RuntimeError:  # the interpreter is exiting and Qt's side went first: nothing more will run
            return
        _draining.add(lane)
        if not lane.pending:
            _close(lane)
    return drain


def _ended_unheard(lane: _Lane, key: object, result: object) -> None:
    if key == _CLOSE:
        _let_go(lane)
        return
    what, _done, _failed = lane.pending.pop(key, ("", None, None))  # type: ignore[call-overload]
    if isinstance(result, _Failure):
        unheard_failures().failed.emit(what, result.exc)
    if not lane.pending:
        _close(lane)


def _close(lane: _Lane) -> None:
    """Close the lane's connection in its own thread (a team database's goodbye is network), then let it go."""
    connection = lane.connection
    if connection is not None:
        try:
            lane.jobs.start(_CLOSE, lambda _job: connection.drop(), what="close a writer's connection")
            return
        except RuntimeError:  # the interpreter is exiting and Qt's side of the pool went first
            connection.drop()
    _let_go(lane)


def _let_go(lane: _Lane) -> None:
    """A gone writer's last job has run: its jobs and its thread go (on the GUI thread, not whenever the garbage
    collector frees the lane, on whatever thread runs then)."""
    _draining.discard(lane)
    try:
        lane.jobs.deleteLater()
        lane.pool.deleteLater()
    except RuntimeError:  # the interpreter is exiting and Qt's side went first
        pass


def finish_gone_writers() -> None:
    """Let gone writers' writes and the closing of their connections run to the end now, and their threads go: an
    app torn down in a process that goes on (tests, the benchmarks), where no later event loop may run for them."""
    while _draining:
        for lane in list(_draining):
            lane.pool.waitForDone()
        QCoreApplication.sendPostedEvents()  # their ends, heard here: the close after the last write, then the lane


def delete_now(*objects: QObject | None) -> None:
    """Delete Qt objects and their children now, on the GUI thread, not whenever Python's garbage collector frees
    them (on whatever thread allocates then): then their gone writers' writes run to the end, their connections
    close, and the lanes' thread pools go. For an app torn down in a process that goes on (tests, the benchmarks)."""
    for thing in objects:
        if thing is None:
            continue
        try:
            thing.deleteLater()
        except RuntimeError:  # its C++ side has gone already
            pass
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    finish_gone_writers()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the gone writers' thread pools


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
        self._lane = _Lane(self._connection)
        self.jobs = self._lane.jobs
        self.jobs.finished.connect(self.on_job_finished)
        self.jobs.failed.connect(self.on_job_failed)
        self.jobs.cancelled.connect(self.on_job_ended)
        self._pending = self._lane.pending
        self._keys = itertools.count(1)
        self.destroyed.connect(_drain_when_gone(self._lane))

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
        self._pending[key] = (what, done, failed)
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
        _what, done, failed = self._pending.pop(key)
        if not self._pending:
            self.busy_changed.emit(False)
        return done, failed

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
        self._lane.shut = True
        self._lane.pool.waitForDone()
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
