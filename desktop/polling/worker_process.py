"""Parsing and scoring for the app's polls in separate processes, so the GUI process's interpreter lock stays free.

Polls run in threads of the app's process, and CPython runs one thread's Python at a time: while a poll thread
parsed a page or scored its reviews, every repaint of the inbox (C++ calling the model's data() hundreds of
times) queued for the interpreter lock behind it. Fetching (network waits release the lock) and storing stay in
the poll thread; the Python-heavy middle goes to a worker process: a parser is a pure function of a page's text
(scrapers/ has no Qt and no store), and what comes back is plain data (Mentions, Scores) or a typed ScrapeError.

Each worker is one child process on a pipe, doing one job at a time, so a job that crashes its process (a
segfault in a C library, the out-of-memory killer) or hangs is known for sure: that poll reports it in words, the
worker is replaced for the next job, and every other poll goes on. A cancelled job (Cancel, Quit) kills its
worker rather than waiting for it. Nothing starts until the first job (the app's start-up does not pay for it),
and `close()` ends every worker.
"""
from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # multiprocessing is imported with the first worker: ~80 ms the app's start-up does not need
    from multiprocessing.connection import Connection
    from multiprocessing.context import SpawnContext, SpawnProcess

    from desktop.scoring import Score
    from desktop.scoring.learning import Learned
    from scrapers.base import Mentions, Source

log = logging.getLogger(__name__)

__all__ = ["Cancelled", "WorkerFailed", "WorkerProcesses", "JOB_TIMEOUT_S"]

# The longest one job may take before its worker is taken for hung and killed. A 5 MB page (the fetch cap)
# parses in well under a second; a minute leaves room for a machine that is busy with everything else.
JOB_TIMEOUT_S = 60.0
# The longest a new worker may take to import the parsers and the scorer (~0.5 s on an idle machine).
START_TIMEOUT_S = 120.0
READY = "ready"
# How often a waiting poll thread looks at its cancel flag and at its worker's health.
WAIT_SLICE_S = 0.05
# How much lower the workers run than the app (added to its niceness; Unix). See `_step_aside`.
WORKER_NICENESS = 10


class WorkerFailed(Exception):
    """A worker process died or hung during a job (its message says which, in words)."""


class Cancelled(Exception):
    """The job's poll was cancelled, or the workers were closed, before its answer came."""


def _never() -> bool:
    return False


def default_size() -> int:
    """One worker per core beyond the one the GUI needs: more would only take turns for the same cores."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


class WorkerProcesses:
    """Up to `size` worker processes, started when a job first needs one. Thread-safe: every poll thread calls
    `parse`, `score` or `run`, and waits for a free worker when all are busy."""

    def __init__(self, size: int | None = None, *, timeout_s: float = JOB_TIMEOUT_S) -> None:
        self.size = size or default_size()
        self.timeout_s = timeout_s
        self.started = 0  # processes started so far (a crashed or cancelled one is replaced by a new one)
        self._context: SpawnContext | None = None
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._starting = 0
        self._closed = False

    # -- the jobs ------------------------------------------------------------------------------
    def parse(self, source: Source, body: bytes | str, url: str, *,
              cancelled: Callable[[], bool] = _never) -> Mentions:
        """`source.parse_page(body, url)` in a worker: usable mentions, or a typed ScrapeError. A worker that
        crashes or hangs on the page is a ParseError for this page; a cancel (or closed workers) raises
        Cancelled, never an empty page that would read as "no reviews"."""
        from scrapers.base import ParseError

        try:
            return self.run(parse_page, source, body, url, cancelled=cancelled)
        except WorkerFailed as exc:
            raise ParseError(f"the page could not be read: {exc}", url=url) from None

    def score(self, items: Sequence[tuple[str, float | None, str | None]], learned: Learned, *,
              cancelled: Callable[[], bool] = _never) -> list[Score]:
        """`scoring.score(text, rating, language, learned)` for each item, in a worker. Raises WorkerFailed or
        Cancelled."""
        if not items:
            return []
        return self.run(score_texts, list(items), dict(learned.words), cancelled=cancelled)

    def run(self, function: Callable[..., Any], *args: Any, cancelled: Callable[[], bool] = _never) -> Any:
        """`function(*args)` in a worker process (a module-level function; its arguments and result are
        pickled). What it raises is raised here; WorkerFailed when its process died or hung, Cancelled when
        `cancelled()` turned true (or the workers were closed) before the answer."""
        worker = self._borrow(cancelled)
        healthy = False
        try:
            ok, value, records = worker.call(function, args, self.timeout_s, cancelled, lambda: self._closed)
            healthy = True
        except WorkerFailed:
            if self._closed:
                raise Cancelled("the workers were closed") from None
            raise
        finally:
            self._give_back(worker, healthy)
        _replay(records)
        if not ok:
            raise value
        return value

    # -- the workers ---------------------------------------------------------------------------
    def _borrow(self, cancelled: Callable[[], bool]) -> _Worker:
        with self._cond:
            while True:
                if self._closed or cancelled():
                    raise Cancelled("cancelled before a worker was free")
                if self._idle:
                    return self._idle.pop()
                if len(self._all) < self.size:
                    break
                self._cond.wait(WAIT_SLICE_S)
            try:  # Process.start() returns at once: the child imports the parsers and the scorer on its own
                worker = _Worker(self._spawn_context())
            except OSError as exc:
                raise WorkerFailed(f"a worker process could not be started ({exc})") from exc
            self._all.add(worker)
            self.started += 1
        try:
            worker.wait_ready(START_TIMEOUT_S, cancelled, lambda: self._closed)
        except (WorkerFailed, Cancelled):
            self._give_back(worker, healthy=False)
            if self._closed:
                raise Cancelled("the workers were closed") from None
            raise
        return worker

    def _give_back(self, worker: _Worker, healthy: bool) -> None:
        with self._cond:
            keep = healthy and not self._closed
            if keep:
                self._idle.append(worker)
            else:
                self._all.discard(worker)
            self._cond.notify()
        if not keep:
            worker.stop()

    def _spawn_context(self) -> SpawnContext:
        # Spawn, not fork: a fork of a process running Qt and a dozen threads copies locks held by other
        # threads; a fresh interpreter imports only the parsers and the scorer.
        if self._context is None:
            import multiprocessing

            self._context = multiprocessing.get_context("spawn")
        return self._context

    @property
    def alive(self) -> int:
        """Worker processes running now (idle or busy)."""
        with self._cond:
            return sum(1 for w in self._all if w.process.is_alive())

    @property
    def busy(self) -> int:
        """Workers doing a job now (or starting for one)."""
        with self._cond:
            return len(self._all) - len(self._idle)

    def pids(self) -> list[int]:
        with self._cond:
            return [w.process.pid for w in self._all if w.process.pid is not None]

    def close(self) -> None:
        """End every worker now (a job still running gets Cancelled); later jobs are refused."""
        with self._cond:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
            self._cond.notify_all()
        for worker in workers:
            worker.stop()


class _Worker:
    """One child process and our end of its pipe: one job at a time."""

    def __init__(self, context: SpawnContext) -> None:
        ours, theirs = context.Pipe()
        self.process: SpawnProcess = context.Process(target=serve, args=(theirs,), name="rapport-worker",
                                                     daemon=True)
        self.process.start()
        theirs.close()
        self.conn: Connection = ours

    def wait_ready(self, timeout_s: float, cancelled: Callable[[], bool], closed: Callable[[], bool]) -> None:
        """Wait for the child to say it has loaded the parsers and the scorer (so a job's time is its own)."""
        self._wait(time.monotonic() + timeout_s, cancelled, closed,
                   f"its worker process did not start within {timeout_s:g} s")
        if self._receive() != READY:
            raise WorkerFailed("its worker process did not start properly")

    def call(self, function: Callable[..., Any], args: tuple[Any, ...], timeout_s: float,
             cancelled: Callable[[], bool], closed: Callable[[], bool]) -> tuple[bool, Any, list[logging.LogRecord]]:
        try:
            self.conn.send((function, args))
        except (OSError, EOFError):
            raise WorkerFailed(self._death()) from None
        except Exception as exc:  # noqa: BLE001 - an argument that cannot be pickled: nothing was sent
            raise WorkerFailed(f"the job could not be handed to a worker ({exc.__class__.__name__}: {exc})") from None
        self._wait(time.monotonic() + timeout_s, cancelled, closed,
                   f"reading it took longer than {timeout_s:g} s, so its worker process was stopped")
        return self._receive()

    def _wait(self, deadline: float, cancelled: Callable[[], bool], closed: Callable[[], bool], late: str) -> None:
        """Until the child answers or dies; Cancelled on a cancel, WorkerFailed(`late`) past the deadline."""
        while not self.conn.poll(WAIT_SLICE_S):  # True also once the child is gone (the pipe's end closed)
            if cancelled() or closed():
                raise Cancelled("cancelled while the worker was busy")
            if not self.process.is_alive():
                return  # its answer, if it sent one before dying, is still in the pipe; else _receive says why
            if time.monotonic() > deadline:
                raise WorkerFailed(late)

    def _receive(self) -> Any:
        try:
            return self.conn.recv()
        except (OSError, EOFError):
            raise WorkerFailed(self._death()) from None

    def _death(self) -> str:
        self.process.join(1)
        code = self.process.exitcode
        if code is None:
            return "its worker process stopped answering"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"its worker process crashed ({name})"
        return f"its worker process exited unexpectedly (exit code {code})"

    def stop(self) -> None:
        try:
            self.conn.close()
        except OSError:
            pass
        if self.process.is_alive():
            self.process.kill()
        self.process.join(1)


# -- in the worker process -------------------------------------------------------------------------------
def serve(conn: Connection) -> None:
    """The worker's loop: a job in, its outcome out (with the log records it made), until the pipe closes."""
    _step_aside()
    records = _LogCollector()
    root = logging.getLogger()
    root.addHandler(records)
    root.setLevel(logging.INFO)
    _preload()
    records.take()
    conn.send(READY)
    while True:
        try:
            function, args = conn.recv()
        except (EOFError, OSError):
            return  # the app closed the pipe or exited: nothing more to do
        except Exception as exc:  # noqa: BLE001 - a job whose arguments cannot be rebuilt here
            outcome: tuple[bool, Any] = (False, RuntimeError(f"the job could not be read ({exc})"))
        else:
            try:
                outcome = (True, function(*args))
            except Exception as exc:  # noqa: BLE001 - handed back to the caller, which raises it
                outcome = (False, exc)
        try:
            conn.send((*outcome, records.take()))
        except (EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - an answer that cannot be pickled
            conn.send((False, RuntimeError(f"the answer could not be handed back ({exc.__class__.__name__}: "
                                           f"{exc})"), records.take()))


class _LogCollector(logging.Handler):
    """Keeps a job's log records to hand back with its answer, so they reach the app's log file."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self._records: list[logging.LogRecord] = []
        self._format = logging.Formatter()

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:  # a traceback does not pickle: keep its text
            record.exc_text = self._format.formatException(record.exc_info)
            record.exc_info = None
        record.msg, record.args = record.getMessage(), None
        self._records.append(record)

    def take(self) -> list[logging.LogRecord]:
        taken, self._records = self._records, []
        return taken


def _step_aside() -> None:
    """Run this worker at a lower priority than the app (niceness + WORKER_NICENESS), for its whole life.

    Why: a poll round's hosts answer together, and twenty pages parsed and scored at once keep both cores of a
    2-core machine busy for a second; at the app's own priority the workers took turns with the GUI thread, which
    then waited for a core (100-160 ms in the worst event-loop stalls, measured with the bench's
    BENCH_PROFILE=sched) while it had ~20 ms of its own work to do. The workers' work is background: a page
    parsed a few milliseconds later changes nothing the user sees, a window that freezes does. Unlike a lower
    priority for the app's own poll threads, this cannot hold up the GUI thread: a worker shares no interpreter
    lock with it."""
    if hasattr(os, "nice"):
        try:
            os.nice(WORKER_NICENESS)
        except OSError:  # not allowed here (a sandbox): the worker still works, at the app's priority
            log.debug("the worker's priority could not be lowered", exc_info=True)


def _preload() -> None:
    """Import every parser and load the scorer's lexicon before the first job, so it is not counted in its time."""
    import scrapers
    from desktop import scoring

    scrapers.load_all()
    scoring.score("Ready.")


def _replay(records: list[logging.LogRecord]) -> None:
    for record in records:
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)


def parse_page(source: Source, body: bytes | str, url: str) -> Mentions:
    return source.parse_page(body, url)


_learned: tuple[tuple[Any, ...], Any] | None = None  # the last store's learned words, built once per worker


def score_texts(items: list[tuple[str, float | None, str | None]], words: dict[str, Any]) -> list[Score]:
    global _learned
    from desktop import scoring
    from desktop.scoring.learning import Learned

    key = tuple(sorted(words.items()))
    if _learned is None or _learned[0] != key:
        _learned = (key, Learned(words))  # its lexicon is built once, not per page
    return [scoring.score(text, rating, language, _learned[1]) for text, rating, language in items]
