"""Reading the store for a widget without the GUI thread waiting: the read runs on a thread (and connection)
off the GUI thread, and its answer comes back to the GUI thread as a call.

Why: on a team's PostgreSQL store every query is a network round-trip, and on a 100,000-mention SQLite file
some take tens of milliseconds; the GUI thread must do neither. A widget asks `read(key, query, then)`:
`query(conn)` runs in its lane's one thread (desktop/shell/jobs.py) on the lane's connection (opened on first
use, kept for the next read, closed with the last reader on it), and `then(answer)` runs on the GUI thread. Per
key only the latest request's answer is delivered (a filter changed twice quickly shows the second), and reads
run one at a time in the order asked, so a page's answers never overtake each other.

Lanes: the readers of one store connection share two threads and two connections, not one each. The inbox's
rows (`eager`: what the window's first paint shows, and what a user waits for after a filter change) have a
lane of their own; every other page's reads (the other pages, the status bar's counts, the app's own) queue on
the second, which starts its thread when first asked and opens its connection after the first paint. Each
thread and connection cost the start-up ~0.1 s when every page had its own.

An in-memory store has no file for a second connection: its reads run on the widget's own connection, still
answered through the event loop, so callers see one behaviour.
"""
from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal, Slot

from desktop.shell.background import in_background
from desktop.shell.jobs import Job, JobPool
from desktop.shell.worker_connection import WorkerConnection
from desktop.store.db import location

log = logging.getLogger(__name__)

T = TypeVar("T")

__all__ = ["StoreReader", "close_lanes_in_background", "hold_until_painted", "release_held", "wait_for_paint"]

# Paint first: while the app builds and paints its window, the reads of what is not on screen yet (other pages,
# the status bar's counts, the start-up summary) wait in their own threads, so they do not take the interpreter
# from the GUI thread; the inbox's first rows (what the window shows) go at once. Open unless the app holds it.
_painted = threading.Event()
_painted.set()


def hold_until_painted() -> None:
    """The app is about to build its window: hold reads that are not `eager` until `release_held`."""
    _painted.clear()


def release_held() -> None:
    """The window has painted (or the app is going away): let held reads run."""
    _painted.set()


def wait_for_paint(job: Job) -> None:
    """In a worker: wait while the app holds reads for its first paint (returns at once otherwise, or on a cancel)."""
    while not _painted.wait(0.05) and not job.cancelled():
        pass


class _Lane:
    """One thread and one connection that readers' reads queue on, one at a time in the order asked."""

    def __init__(self, target: Any, person: str | None) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        self.pool.setExpiryTimeout(-1)  # one thread for the lane's life: its connection stays warm
        self.connection = WorkerConnection(target, person)
        self.readers = 0
        self.close_in_background = False  # its store is being let go: its last reader must not wait for it

    def close(self) -> None:
        """After its last reader left: the reads still running (told to stop) end before their connection does."""
        try:
            self.pool.waitForDone()
            # Its thread ends with it (waitForDone leaves an idle thread waiting), deleted on its own thread
            # now rather than whenever Python's garbage collector frees the readers' jobs that name it.
            self.pool.deleteLater()
        except RuntimeError:  # at the interpreter's exit the pool's C++ side may have gone first
            pass
        self.connection.drop()


_lanes: dict[tuple[int, bool], _Lane] = {}  # (id of the widgets' connection, eager) -> its lane


class _Membership:
    """A reader's place on its lane; leaving it (once) closes the lane with its last reader."""

    def __init__(self, conn: Any, target: Any, eager: bool) -> None:
        self.key = (id(conn), eager)  # the readers hold the connection, so its id is not reused meanwhile
        lane = _lanes.get(self.key)
        if lane is None:
            lane = _lanes[self.key] = _Lane(target, getattr(conn, "person", None))
        lane.readers += 1
        self.lane: _Lane | None = lane

    def leave(self) -> None:
        lane, self.lane = self.lane, None
        if lane is None:
            return
        lane.readers -= 1
        if lane.readers == 0:
            if _lanes.get(self.key) is lane:
                del _lanes[self.key]
            if lane.close_in_background:
                in_background("closing a reading lane", lane.close)
            else:
                lane.close()


def close_lanes_in_background(conn: Any) -> None:
    """The readers of `conn` are about to go with their store (a store switch): their lanes close off the GUI
    thread when their last reader leaves, for a read on a team database gone silent may wait a minute."""
    for eager in (True, False):
        lane = _lanes.get((id(conn), eager))
        if lane is not None:
            lane.close_in_background = True


def _leave_when_gone(jobs: JobPool, membership: _Membership) -> Callable[..., None]:
    """What the reader's `destroyed` does: stop its reads and leave its lane (the last reader closes it)."""
    def leave(*_args: object) -> None:
        jobs.cancel()
        membership.leave()
    return leave


class StoreReader(QObject):
    """Runs read-only store queries for one widget in a thread of its own; see the module docstring.

    Signals:
        busy_changed(bool): whether a read is waiting or running (a widget may show that it is loading).
        failed(object, object): key, the exception a read raised (already logged); the widget keeps what it shows.
    """

    busy_changed = Signal(bool)
    failed = Signal(object, object)

    def __init__(self, conn: Any, parent: QObject | None = None, *, eager: bool = False) -> None:
        """`eager`: this reader's answers are what the first paint shows (the inbox's rows): never held."""
        super().__init__(parent)
        self._eager = eager
        self._own_conn = conn
        target = location(conn)
        self._membership = _Membership(conn, target, eager) if target is not None else None
        lane = self._membership.lane if self._membership is not None else None
        self._connection = lane.connection if lane is not None else None
        self.jobs = JobPool(self, pool=lane.pool if lane is not None else None)
        self.jobs.finished.connect(self.on_job_finished)
        self.jobs.failed.connect(self.on_job_failed)
        self.jobs.cancelled.connect(self.on_job_ended)
        self._latest: dict[Hashable, int] = {}
        self._then: dict[tuple[Hashable, int], Callable[[Any], None]] = {}
        self._tokens = itertools.count(1)
        if self._membership is not None:
            self.destroyed.connect(_leave_when_gone(self.jobs, self._membership))

    @property
    def busy(self) -> bool:
        """A read was asked for and its answer has not been delivered yet."""
        return bool(self._then)

    def read(self, key: Hashable, query: Callable[[Any], T], then: Callable[[T], None]) -> None:
        """Run `query(conn)` off the GUI thread and `then(answer)` on it, unless `key` is asked again first."""
        if self._membership is not None and self._membership.lane is None:
            log.debug("a read (%s) after the reader was shut down: dropped", key)
            return
        token = next(self._tokens)
        self._latest[key] = token
        was_busy = self.busy
        self._then[(key, token)] = then
        if not was_busy:
            self.busy_changed.emit(True)
        if self._connection is None:
            QTimer.singleShot(0, lambda: self._answer_now((key, token), query))
            return
        connection = self._connection

        eager = self._eager

        def work(job: Job) -> T:
            if not eager:
                wait_for_paint(job)
            if job.cancelled() or self_latest.get(key) != token:
                return _SKIPPED  # type: ignore[return-value]  # a newer request for this key is queued
            try:
                return query(connection.get())
            except Exception:
                connection.drop()  # a lost team database: the next read connects again
                raise

        self_latest = self._latest
        self.jobs.start((key, token), work, what=f"reading the store ({key})")

    def _answer_now(self, job_key: tuple[Hashable, int], query: Callable[[Any], Any]) -> None:
        try:
            answer = query(self._own_conn)
        except Exception as exc:  # noqa: BLE001 - reported like a failed job
            log.exception("reading the store (%s) failed", job_key[0])
            self.on_job_failed(job_key, exc)
            return
        self.on_job_finished(job_key, answer)

    def _take(self, job_key: tuple[Hashable, int]) -> Callable[[Any], None] | None:
        if job_key not in self._then:
            return None  # shut down meanwhile
        then = self._then.pop(job_key)
        if not self._then:
            self.busy_changed.emit(False)
        key, token = job_key
        return then if self._latest.get(key) == token else None

    @Slot(object, object)
    def on_job_finished(self, job_key: tuple[Hashable, int], answer: object) -> None:
        then = self._take(job_key)
        if then is not None and answer is not _SKIPPED:
            then(answer)

    @Slot(object, object)
    def on_job_failed(self, job_key: tuple[Hashable, int], exc: object) -> None:
        if self._take(job_key) is not None:
            self.failed.emit(job_key[0], exc)

    @Slot(object)
    def on_job_ended(self, job_key: tuple[Hashable, int]) -> None:
        self._take(job_key)

    def shutdown(self) -> None:
        """Stop reading and leave the lane now (an app quitting, a test ending; the last reader on it closes its
        connection); answers still on their way are dropped."""
        self._latest.clear()
        self._then.clear()
        self.jobs.cancel()
        if self._membership is not None:
            self._membership.leave()
        else:
            self.jobs.pool.waitForDone()


_SKIPPED = object()
