"""Deciding what to poll and when, on the GUI thread; the store is asked off it, and the polling itself runs in a
QThreadPool.

A QTimer finds due sources. A per-host queue keeps at most one request in flight per host
(hostname and port) and a minimum gap between requests to it, and honours a site's Retry-After:
pacing is this queue's job, so no worker ever sleeps.
"""
from __future__ import annotations

import functools
import itertools
import logging
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.polling.poller_role import PollerRole
from desktop.polling.worker import PollFunction, poll_work
from desktop.polling.worker_process import WorkerProcesses
from desktop.shell.events import EventBus
from desktop.shell.jobs import JobPool
from desktop.shell.reader import StoreReader
from desktop.shell.writer import StoreWriter
from desktop.store import sources as source_store
from desktop.store.clock import Clock, utc_now
from desktop.store.db import StoreError
from desktop.store.sources import SourceRow

log = logging.getLogger(__name__)

POOL_SIZE = 8
# At most this many polls start in one pass of the event loop; the others due with them start in the next passes
# (a zero-delay timer). Why: a round's hosts come due together (their gaps end within ~50 ms), and each start
# hands the interpreter to a pool thread that runs Python at once (on the GUI thread 0.25 ms of CPU, ~0.8 ms of
# wall time a start waiting for the interpreter back: bench case_gui_stall, cProfile), so starting twenty in one
# pump was one of the round's longest event-loop stalls (4-6 ms of the GUI thread's CPU, 25-45 ms of wall time at
# load 4). Started two at a time, other events (a repaint, the user's input) run between. It changes no pacing:
# the gap runs from a poll's start, and the last of twenty starts ten passes (milliseconds) after the first.
STARTS_PER_PASS = 2
TICK_MS = 15_000
HOST_GAP_S = 10.0  # the default of the "host_gap_s" setting


def host_of(url: str) -> str:
    """The pacing key: hostname and port, so two sources on one site share one queue."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


def _default_poll(*args: Any, **kwargs: Any) -> Any:
    """The runner's poll_once, imported on the worker thread at the first poll: importing it (requests, the
    parsers: a second or more) on the GUI thread would freeze the window when the first round starts."""
    from desktop.polling.runner import poll_once

    return poll_once(*args, **kwargs)


def _default_poll_with(workers: WorkerProcesses) -> PollFunction:
    """The app's poll: pages parsed and reviews scored in the worker processes, not in this process."""
    return functools.partial(_default_poll, workers=workers)


def _gap_setting(conn: sqlite3.Connection) -> float:
    from desktop.store import settings as settings_store

    return float(settings_store.get(conn, "host_gap_s") or HOST_GAP_S)


class Scheduler(QObject):
    """Starts due sources in its own thread pool and reports through the bus.

    Signals:
        paused_changed(bool): automatic polling was paused (True) or resumed (False).
    """

    paused_changed = Signal(bool)

    def __init__(self, conn: sqlite3.Connection, db_path: Path, bus: EventBus, *, clock: Clock = utc_now,
                 poll: PollFunction | None = None, session_factory: Callable[[], Any] | None = None,
                 tick_ms: int = TICK_MS, host_gap_s: float | None = None, pool_size: int = POOL_SIZE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self._db_path = db_path
        self._bus = bus
        self._clock = clock
        # Parsing and scoring run in worker processes, started at the first poll (worker_process.py).
        self.workers = WorkerProcesses()
        self._poll = poll or _default_poll_with(self.workers)
        # Sessions (and their connections) kept across polls, sharing one robots.txt cache.
        self._make_session = session_factory
        self._sessions: Any = None  # a SessionPool, made at the first poll (robots.txt and requests load with it)
        # The store is read and written on connections of the scheduler's own, off the GUI thread: which sources
        # are due, what "Check now" names, a failure to record (a team database is a round-trip away).
        self.reader = StoreReader(conn, self)
        self.writer = StoreWriter(conn, self)
        # The gap between two requests to one host: the user's setting (read in the background; the default until
        # then) unless a caller (a test) fixes it.
        self._host_gap = timedelta(seconds=host_gap_s if host_gap_s is not None else HOST_GAP_S)
        if host_gap_s is None:
            self.reader.read("gap", _gap_setting, self.set_host_gap)
        self.jobs = JobPool(self, threads=pool_size)
        self.jobs.finished.connect(self.on_job_finished)
        self.jobs.failed.connect(self.on_job_failed)
        self.pool = self.jobs.pool
        self._timer = QTimer(self, interval=tick_ms)
        self._timer.timeout.connect(self.on_timer_timeout)
        self._wake = QTimer(self, singleShot=True)
        self._wake.timeout.connect(self.pump)
        self._next_pass = QTimer(self, singleShot=True, interval=0)  # the starts left for the next pass
        self._next_pass.timeout.connect(self.pump)
        self._queue: list[tuple[SourceRow, str]] = []  # with its host, parsed once when queued
        self._in_flight: dict[int, tuple[str, datetime]] = {}  # source id -> (host, when its poll started)
        self._host_busy: set[str] = set()
        self._host_next: dict[str, datetime] = {}
        self._paused = False
        self._asks = itertools.count(1)  # each "Check now" is answered, however many come quickly
        self._settled = 0  # polls ended so far, and when each source's last one did (in that count)
        self._last_settled: dict[int, int] = {}
        self._round_total = 0
        self._round_done = 0
        self._round_results: list[Any] = []
        # On a team database only one desktop polls on its own (manual checks still run): see poller_role.py.
        self.role = PollerRole(db_path)

    # -- control -------------------------------------------------------------------------------
    @property
    def sessions(self) -> Any:
        """Sessions (and their connections) kept across polls, sharing one robots.txt cache (a SessionPool)."""
        if self._sessions is None:
            from desktop.polling.sessions import SessionPool

            self._sessions = SessionPool(self._make_session)
        return self._sessions

    @property
    def host_gap_s(self) -> float:
        return self._host_gap.total_seconds()

    def set_host_gap(self, seconds: float) -> None:
        """A new gap between requests to one host (the setting changed); already-paced hosts keep theirs."""
        self._host_gap = timedelta(seconds=max(0.0, float(seconds)))

    def start(self) -> None:
        self.role.start()
        self._timer.start()
        self.on_timer_timeout()

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        """Stop automatic polls (a running poll finishes; "poll now" still works)."""
        if not self._paused:
            self._paused = True
            self.paused_changed.emit(True)

    def resume(self) -> None:
        if self._paused:
            self._paused = False
            self.paused_changed.emit(False)
            self.on_timer_timeout()

    @property
    def in_flight(self) -> tuple[int, ...]:
        return tuple(self._in_flight)

    @property
    def queued(self) -> tuple[int, ...]:
        return tuple(s.id for s, _host in self._queue)

    def reading(self) -> bool:
        """Whether the scheduler waits for the store (which sources to poll, a failure to record)."""
        return self.reader.busy or self.writer.busy

    def poll_now(self, source_ids: Iterable[int] | None = None) -> None:
        """Queue these sources (all enabled ones when None) whether due or not, once they are read."""
        ids = None if source_ids is None else list(source_ids)

        def chosen(conn: Any) -> list[SourceRow]:
            if ids is None:
                return [s for s in source_store.configured(conn) if s.enabled]
            return [source_store.get(conn, i) for i in ids]

        self.reader.read(("now", next(self._asks)), chosen, self._enqueue)

    def cancel(self) -> None:
        """Drop what is queued and ask running polls to stop before they store anything."""
        dropped = len(self._queue)
        self._queue.clear()
        self.jobs.cancel()
        self._round_total -= dropped
        self._maybe_finish_round()

    def shutdown(self, wait_ms: int = -1) -> bool:
        """Stop timers, cancel, and wait for the pool (up to `wait_ms`; -1: until done): nothing may outlive the
        app (or a test). False when a poll was still running when the wait ended."""
        self.stop()
        return self.finish(wait_ms)

    def stop(self) -> None:
        """The part of `shutdown` that waits for nothing, on the GUI thread: no timer fires, nothing new starts,
        what is queued is dropped and running polls are asked to stop."""
        self._timer.stop()
        self._wake.stop()
        self._next_pass.stop()
        self.cancel()

    def finish(self, wait_ms: int = -1) -> bool:
        """The part of `shutdown` that waits (the poller lock let go, the polls, reads and writes ended), callable
        off the GUI thread once `stop` ran: on a team database gone silent each may wait up to a minute."""
        self.role.stop()
        self.reader.shutdown()
        self.writer.shutdown()
        self.workers.close()  # a poll waiting on one sees it closed at once, as cancelled
        done = self.jobs.shutdown(wait_ms)
        if self._sessions is not None:
            self._sessions.close()  # a poll still running closes its session when it gives it back
        return done

    # -- the queue -----------------------------------------------------------------------------
    @Slot()
    def on_timer_timeout(self) -> None:
        if self._paused or not self.role.held:
            return
        now, asked = self._clock(), self._settled
        self.reader.read("due", lambda conn: source_store.due(conn, now),
                         lambda due: self._enqueue_due(due, asked))

    def _enqueue_due(self, due: list[SourceRow], asked: int) -> None:
        if self._paused or not self.role.held:  # paused (or the team's lock lost) while it was read
            return
        # A poll that ended while the list was read is done: the list saw it still due.
        self._enqueue([s for s in due if self._last_settled.get(s.id, -1) < asked])

    def _enqueue(self, chosen: list[SourceRow]) -> int:
        waiting = set(self._in_flight) | {s.id for s, _host in self._queue}
        fresh = [s for s in chosen if s.id not in waiting and not s.built_in]
        if not fresh:
            return 0
        if self._round_total == 0:
            self._round_results = []
            self._round_done = 0
            self._round_total = len(fresh)
            self._bus.poll_started.emit(len(fresh))
        else:
            self._round_total += len(fresh)
            self._bus.poll_progress.emit(self._round_done, self._round_total)
        self._queue.extend((s, host_of(s.url)) for s in fresh)
        self.pump()
        return len(fresh)

    @Slot()
    def pump(self) -> None:
        """Start queued sources whose host is free and past its pacing gap or Retry-After: STARTS_PER_PASS of them
        now, the others in the next pass of the event loop."""
        now = self._clock()
        waiting: list[tuple[SourceRow, str]] = []
        started = 0
        for source, host in self._queue:
            ready_at = self._host_next.get(host)
            if host in self._host_busy or (ready_at is not None and ready_at > now):
                waiting.append((source, host))
                continue
            if started == STARTS_PER_PASS:
                waiting.append((source, host))
                self._next_pass.start()
                continue
            self._start(source, host)
            started += 1
        self._queue = waiting
        self._arm_wake(now)

    def _arm_wake(self, now: datetime) -> None:
        times = [self._host_next[h] for h in {host for _source, host in self._queue}
                 if h not in self._host_busy and h in self._host_next]
        if times:
            delay_ms = max(0, int((min(times) - now).total_seconds() * 1000)) + 50
            self._wake.start(delay_ms)

    def _start(self, source: SourceRow, host: str) -> None:
        self._in_flight[source.id] = (host, self._clock())
        self._host_busy.add(host)
        log.info("polling source %s (%s)", source.id, source.url)
        self.jobs.start(source.id, poll_work(source, self._db_path, poll=self._poll, session_factory=self.sessions,
                                             clock=self._clock),
                        what=f"poll of source {source.id}")

    # -- results -------------------------------------------------------------------------------
    @Slot(object, object)
    def on_job_finished(self, _source_id: int, result: Any) -> None:
        self._settle(result.source_id, getattr(result, "retry_at", None))
        self._round_results.append(result)
        self._bus.source_polled.emit(result)
        self._bus.source_state_changed.emit(result.source_id, result.state)
        new = tuple(getattr(result, "new_mention_ids", ()))
        for mention_id in new:
            self._bus.mention_added.emit(mention_id)
        if new:
            self._bus.mentions_added.emit(new)  # one page's worth at once: the inbox places them in one query
        for alert_id, mention_id in getattr(result, "alerted", ()):
            self._bus.alert_raised.emit(alert_id, mention_id)
        self._after_one()

    @Slot(object, object)
    def on_job_failed(self, source_id: int, exc: Exception) -> None:
        """The poll raised (a bug: the runner never should, or the store could not even be opened)."""
        self._settle(source_id, None)
        message = str(exc) if isinstance(exc, StoreError) else f"{type(exc).__name__}: {exc}"
        at = self._clock()

        def recorded(_: object = None) -> None:
            self._bus.source_state_changed.emit(source_id, "failing")

        def not_recorded(store_exc: BaseException) -> None:
            log.error("could not record the failure of source %s: %s", source_id, store_exc)
            recorded()

        self.writer.write(lambda conn: source_store.record_failure(conn, source_id, state="failing", error=message,
                                                                   at=at),
                          what=f"record the failure of source {source_id}", done=recorded, failed=not_recorded)
        self._after_one()

    def _settle(self, source_id: int, retry_at: datetime | None) -> None:
        started = self._in_flight.pop(source_id, None)
        if started is None:
            return
        self._last_settled[source_id] = self._settled
        self._settled += 1
        host, at = started
        self._host_busy.discard(host)
        # The gap runs from the request's start: a site sees requests `gap` apart, one at a time, and the
        # time spent parsing and storing a big page does not stretch a round (9 gaps for 10 sources a host).
        gap = at + self._host_gap
        self._host_next[host] = max(gap, retry_at) if retry_at else gap

    def _after_one(self) -> None:
        self._round_done += 1
        self._bus.poll_progress.emit(self._round_done, self._round_total)
        self._maybe_finish_round()
        self.pump()

    def _maybe_finish_round(self) -> None:
        if self._round_total and self._round_done >= self._round_total and not self._in_flight:
            results, self._round_results = self._round_results, []
            self._round_total = self._round_done = 0
            self._bus.poll_finished.emit(results)
