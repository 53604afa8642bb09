"""Background jobs for the GUI: a function run in a thread pool, reporting only through queued signals.

One helper for every piece of work that must leave the GUI thread (a poll, reading or importing a file,
testing a source, and what comes next: a dashboard refresh, an OAuth flow). The work is a plain function
that takes its `Job` (to report progress and see a cancel); it never touches a widget. The `JobPool` is a
QObject created on the GUI thread, so the signals its jobs emit from pool threads are delivered there.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

__all__ = ["Job", "JobCancelled", "JobPool"]


class JobCancelled(Exception):
    """Raised by work that stopped because its job was cancelled (and undid what it had begun)."""


class Job(QRunnable):
    """One run of `work(job)` in a pool thread. Made by `JobPool.start`."""

    def __init__(self, key: Hashable, work: Callable[[Job], Any], pool: JobPool, what: str) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.key = key
        self.what = what
        self._work = work
        self._pool = pool
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop; it checks `cancelled()` at its own safe points."""
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int) -> None:
        """Report progress from the work (queued to the GUI thread)."""
        self._emit("progress", self.key, done, total)

    def run(self) -> None:
        try:
            result = self._work(self)
        except JobCancelled:
            self._emit("cancelled", self.key)
            return
        except Exception as exc:  # noqa: BLE001 - a failed job is reported to the GUI, never lost
            log.exception("%s failed", self.what)
            self._emit("failed", self.key, exc)
            return
        self._emit("finished", self.key, result)

    def _emit(self, signal: str, *args: object) -> None:
        try:
            getattr(self._pool, signal).emit(*args)
        except RuntimeError:  # the pool's owner was deleted meanwhile: nobody is left to tell
            log.debug("%s ended after its owner was gone; its %s was dropped", self.what, signal)


class JobPool(QObject):
    """Owns a thread pool and the jobs running in it, one per key; create it on the GUI thread.

    Signals:
        progress(object, int, int): job key, done, total.
        finished(object, object): job key, what the work returned.
        failed(object, object): job key, the exception the work raised (already logged with its traceback).
        cancelled(object): job key; the work stopped on a cancel (raised JobCancelled).
    """

    progress = Signal(object, int, int)
    finished = Signal(object, object)
    failed = Signal(object, object)
    cancelled = Signal(object)

    def __init__(self, parent: QObject | None = None, *, threads: int = 1) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._running: dict[Hashable, Job] = {}
        # Connected before any user of the pool connects, so a job has left `running` when they hear of it.
        self.finished.connect(self.on_job_ended)
        self.failed.connect(self.on_job_ended)
        self.cancelled.connect(self.on_job_ended)

    def start(self, key: Hashable, work: Callable[[Job], Any], *, what: str) -> Job:
        """Run `work(job)` in the pool under `key` (one running job per key); `what` names it in the log."""
        if key in self._running:
            raise RuntimeError(f"a job {key!r} is already running")
        job = Job(key, work, self, what)
        self._running[key] = job
        self.pool.start(job)
        return job

    @property
    def running(self) -> tuple[Hashable, ...]:
        return tuple(self._running)

    def cancel(self, key: Hashable | None = None) -> None:
        """Ask one job (or every job, with no key) to stop."""
        for job_key, job in list(self._running.items()):
            if key is None or job_key == key:
                job.cancel()

    def shutdown(self, wait_ms: int = -1) -> bool:
        """Cancel everything and wait for the threads (up to `wait_ms`; -1: until done): no job may outlive its
        owner (or a test). False when a job was still running when the wait ended."""
        self.cancel()
        done = self.pool.waitForDone(wait_ms)
        if done:
            self._running.clear()
        return done

    @Slot(object)
    @Slot(object, object)
    def on_job_ended(self, key: Hashable, _result: object = None) -> None:
        self._running.pop(key, None)
