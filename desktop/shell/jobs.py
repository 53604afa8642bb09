"""Background jobs for the GUI: a function run in a thread pool, reporting only through queued signals.

One helper for every piece of work that must leave the GUI thread (a poll, reading or importing a file,
testing a source, counting the inbox, previewing selectors, an OAuth sign-in, a dashboard refresh). The work
is a plain function that takes its `Job` (to report progress or a note, and to see a cancel); it never
touches a widget.

Who owns what, and why: each job emits from its own `JobSignals`, created with the job on the GUI thread and
owned by the job alone, so every emit has a live source for as long as the work runs, whatever happens to
the widget that started it. The `JobPool` only listens (its signals are fed from the job's through queued
connections): when its owner is deleted (a dialog closed mid-job), Qt drops the connections, the running jobs
are told to stop, and their later reports go nowhere. Emitting on a signal whose QObject was deleted or
garbage-collected is what raised "Signal source has been deleted" from a pool thread when workers owned their
own runnable-held signals object or were handed a bound `emit`.

Where a job's signals object dies matters too: it lives in the GUI thread, and a QObject may only be deleted
in its own thread. The pool deletes a finished runnable in the pool thread, so if the job's Python object held
the last reference, the signals object would be deleted there, racing the GUI thread that is still delivering
its queued reports: a rare segfault (seen once in CI). When the GUI thread hears a job end, the pool schedules
the signals object's deletion on the GUI thread (`deleteLater`), and the runnable's later release in the pool
thread only frees an emptied Python shell.

And a signals object is never Python's to delete: it is made a child of one long-lived object on the GUI thread
(`_SignalsHome`), so a job whose end nobody heard (its pool's owner deleted mid-job, a reader shut down with
reads queued) leaves no live QObject for Python's garbage collector, which would delete it whenever it next ran,
on whatever thread allocated then (tests/helpers/qt_garbage.py has the crash this caused). The home hears such
orphans end and deletes their signals then.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThread, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

__all__ = ["Job", "JobCancelled", "JobPool", "JobSignals"]


class JobCancelled(Exception):
    """Raised by work that stopped because its job was cancelled (and undid what it had begun)."""


class JobSignals(QObject):
    """One job's reports; made on the GUI thread by `JobPool.start`, owned by its `Job` (never parented, so no
    widget's deletion can take it away while the work runs).

    Signals:
        progress(object, int, int): job key, done, total.
        noted(object, object): job key, a message from the work on its way (e.g. an address to open).
        finished(object, object): job key, what the work returned.
        failed(object, object): job key, the exception the work raised.
        cancelled(object): job key.
    """

    progress = Signal(object, int, int)
    noted = Signal(object, object)
    finished = Signal(object, object)
    failed = Signal(object, object)
    cancelled = Signal(object)


class _SignalsHome(QObject):
    """The parent of every job's signals object made on the GUI thread (see the module docstring), and where the
    jobs of a pool deleted mid-job report their end, so their signals objects go then."""

    def __init__(self) -> None:
        super().__init__()
        self._orphans: dict[int, Job] = {}

    def adopt(self, job: Job) -> None:
        """`job`'s pool is gone: delete its signals object once the work ends (at once if it has)."""
        self._orphans[id(job)] = job
        for name in ("finished", "failed", "cancelled"):
            getattr(job.signals, name).connect(self.on_orphan_ended)  # queued: the emit is on a pool thread
        if job.ended:  # it ended before it was adopted: its report may have gone to the pool
            self._let_go(job)

    @Slot(object)
    @Slot(object, object)
    def on_orphan_ended(self, _key: Hashable, _result: object = None) -> None:
        for job in [job for job in self._orphans.values() if job.ended]:
            self._let_go(job)

    def _let_go(self, job: Job) -> None:
        if self._orphans.pop(id(job), None) is not None:
            job.signals.deleteLater()


_home: _SignalsHome | None = None


def _signals_home() -> _SignalsHome | None:
    """The home, made on first use on the GUI thread; None on another thread (a job started there keeps its
    signals object unparented, in that thread)."""
    global _home
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return None
    if _home is None:
        _home = _SignalsHome()
    return _home


class Job(QRunnable):
    """One run of `work(job)` in a pool thread. Made by `JobPool.start`."""

    def __init__(self, key: Hashable, work: Callable[[Job], Any], what: str) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.key = key
        self.what = what
        self.signals = JobSignals(_signals_home())
        self._ended = threading.Event()
        self._work = work
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop; it checks `cancelled()` at its own safe points."""
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def ended(self) -> bool:
        """The work has returned (or raised) and its last report is sent or on its way."""
        return self._ended.is_set()

    @property
    def cancel_event(self) -> threading.Event:
        """The cancel flag itself, for work that waits on it (a sign-in waiting for the browser)."""
        return self._cancel

    def progress(self, done: int, total: int) -> None:
        """Report progress from the work (queued to the GUI thread)."""
        self.signals.progress.emit(self.key, done, total)

    def note(self, message: object) -> None:
        """Tell the GUI something on the way (queued to the GUI thread as `JobPool.noted`)."""
        self.signals.noted.emit(self.key, message)

    def run(self) -> None:
        try:
            result = self._work(self)
        except JobCancelled:
            self._end(self.signals.cancelled, self.key)
            return
        except Exception as exc:  # noqa: BLE001 - a failed job is reported to the GUI, never lost
            log.exception("%s failed", self.what)
            self._end(self.signals.failed, self.key, exc)
            return
        self._end(self.signals.finished, self.key, result)

    def _end(self, report: Any, *args: object) -> None:
        """Mark the job ended, then send its last report (whoever hears the report sees it ended)."""
        self._ended.set()
        try:
            report.emit(*args)
        except RuntimeError:  # only at the interpreter's exit: the home went, with this signals object; nobody hears
            log.debug("%s ended after its signals object was deleted at exit", self.what)


def _cancel_all(running: dict[Hashable, Job]) -> Callable[..., None]:
    """What the pool's `destroyed` does: tell its jobs to stop (a closure over the jobs, not over the dying pool),
    and leave their signals objects to the home, which deletes each when its work ends."""
    def cancel(*_args: object) -> None:
        home = _signals_home()
        for job in list(running.values()):
            job.cancel()
            try:
                if home is not None and job.signals.parent() is home:
                    home.adopt(job)
            except RuntimeError:  # the interpreter is exiting and the home and its children went first
                pass
        running.clear()
    return cancel


class JobPool(QObject):
    """Owns a thread pool and hears the jobs running in it, one per key; create it on the GUI thread.

    Deleting the pool (or its parent) cancels its jobs and waits for them to stop; what they report after
    that is dropped.

    Signals:
        progress(object, int, int): job key, done, total.
        noted(object, object): job key, a message the work sent on its way (`Job.note`).
        finished(object, object): job key, what the work returned.
        failed(object, object): job key, the exception the work raised (already logged with its traceback).
        cancelled(object): job key; the work stopped on a cancel (raised JobCancelled).
    """

    progress = Signal(object, int, int)
    noted = Signal(object, object)
    finished = Signal(object, object)
    failed = Signal(object, object)
    cancelled = Signal(object)

    def __init__(self, parent: QObject | None = None, *, threads: int = 1, pool: QThreadPool | None = None) -> None:
        """`pool`: run the jobs in this thread pool, shared with other JobPools (its owner keeps and ends it),
        instead of one of this pool's own with `threads` threads."""
        super().__init__(parent)
        if pool is None:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(threads)
        self.pool = pool
        self._running: dict[Hashable, Job] = {}
        # Before the child thread pool waits for its threads, a dying pool tells its jobs to stop.
        self.destroyed.connect(_cancel_all(self._running))
        # Connected before any user of the pool connects, so a job has left `running` when they hear of it.
        self.finished.connect(self.on_job_ended)
        self.failed.connect(self.on_job_ended)
        self.cancelled.connect(self.on_job_ended)

    def start(self, key: Hashable, work: Callable[[Job], Any], *, what: str) -> Job:
        """Run `work(job)` in the pool under `key` (one running job per key); `what` names it in the log."""
        if key in self._running:
            raise RuntimeError(f"a job {key!r} is already running")
        job = Job(key, work, what)
        for name in ("progress", "noted", "finished", "failed", "cancelled"):
            getattr(job.signals, name).connect(getattr(self, name))  # queued: the emit is on a pool thread
        self._running[key] = job
        self.pool.start(job)
        return job

    @property
    def running(self) -> tuple[Hashable, ...]:
        """Keys of the jobs started and not yet heard to end (a job's end is heard on the GUI thread)."""
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
            for job in self._running.values():
                job.signals.deleteLater()  # its work has ended; never heard of, so not deleted in on_job_ended
            self._running.clear()
        return done

    @Slot(object)
    @Slot(object, object)
    def on_job_ended(self, key: Hashable, _result: object = None) -> None:
        job = self._running.pop(key, None)
        if job is not None:
            # The job has sent its last report: delete its signals object here, in its own thread, never in the
            # pool thread that releases the runnable (see the module's docstring).
            job.signals.deleteLater()
