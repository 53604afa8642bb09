"""The one background-job helper: work runs off the GUI thread, and progress, results, failures and cancels
arrive as queued signals on the GUI thread; the scheduler, the import dialog and the source test all use it."""
from __future__ import annotations

import threading

import pytest

from desktop.shell.jobs import Job, JobCancelled, JobPool
from tests.helpers.fixtures import PATIENCE_MS


@pytest.fixture
def jobs(qtbot) -> JobPool:
    pool = JobPool(threads=2)
    yield pool
    pool.shutdown()
    assert pool.pool.activeThreadCount() == 0


def test_work_runs_in_a_pool_thread_and_reports_on_the_gui_thread(qtbot, jobs: JobPool) -> None:
    gui = threading.current_thread()
    seen: dict[str, object] = {}

    def work(job: Job) -> str:
        seen["work thread"] = threading.current_thread()
        for n in range(3):
            job.progress(n + 1, 3)
        return "done"

    progress: list[tuple[object, int, int]] = []
    jobs.progress.connect(lambda key, done, total: progress.append((key, done, total)))
    jobs.finished.connect(lambda key, _result: seen.setdefault("slot thread", threading.current_thread()))
    with qtbot.waitSignal(jobs.finished, timeout=PATIENCE_MS) as finished:
        job = jobs.start("refresh", work, what="a dashboard refresh")
        assert jobs.running == ("refresh",) and job.key == "refresh"
    assert finished.args == ["refresh", "done"]
    assert seen["work thread"] is not gui and seen["slot thread"] is gui
    assert progress == [("refresh", 1, 3), ("refresh", 2, 3), ("refresh", 3, 3)]
    assert jobs.running == ()


def test_a_failure_is_reported_with_its_exception_and_logged(qtbot, jobs: JobPool, caplog) -> None:
    def work(_job: Job) -> None:
        raise KeyError("rating")

    with qtbot.waitSignal(jobs.failed, timeout=PATIENCE_MS) as failed, qtbot.assertNotEmitted(jobs.finished):
        jobs.start(7, work, what="poll of source 7")
    key, exc = failed.args
    assert key == 7 and isinstance(exc, KeyError)
    assert "poll of source 7 failed" in caplog.text and jobs.running == ()


def test_cancel_reaches_the_work_which_stops_at_its_safe_point(qtbot, jobs: JobPool) -> None:
    started, release = threading.Event(), threading.Event()

    def work(job: Job) -> None:
        started.set()
        release.wait(10)
        if job.cancelled():
            raise JobCancelled
        raise AssertionError("the cancel was not seen")

    job = jobs.start("import", work, what="an import")
    assert started.wait(10)
    with qtbot.waitSignal(jobs.cancelled, timeout=PATIENCE_MS) as cancelled:
        jobs.cancel("import")
        assert job.cancelled()
        release.set()
    assert cancelled.args == ["import"] and jobs.running == ()


def test_a_note_on_the_way_reaches_the_gui_thread(qtbot, jobs: JobPool) -> None:
    gui = threading.current_thread()
    heard: list[tuple[object, object, threading.Thread]] = []
    jobs.noted.connect(lambda key, message: heard.append((key, message, threading.current_thread())))
    with qtbot.waitSignal(jobs.finished, timeout=PATIENCE_MS):
        jobs.start("sign-in", lambda job: job.note("https://www.upwork.com/ab/account-security/oauth2/authorize"),
                   what="a sign-in")
    assert heard == [("sign-in", "https://www.upwork.com/ab/account-security/oauth2/authorize", gui)]


def test_deleting_the_owner_mid_job_stops_the_job_and_its_later_reports_go_nowhere(qtbot, capfd) -> None:
    """The failure this reproduces: a dialog closed while its worker ran took the worker's signal source with
    it, so the worker's next emit raised "Signal source has been deleted" in the pool thread (and the GUI
    thread waited for a work that nobody had told to stop)."""
    from PySide6.QtCore import QObject

    owner = QObject()
    pool = JobPool(owner)
    heard: list[object] = []
    pool.progress.connect(lambda *args: heard.append(args))
    pool.finished.connect(lambda *args: heard.append(args))
    started = threading.Event()
    seen: dict[str, object] = {}

    def work(job: Job) -> str:
        started.set()
        seen["stopped by the cancel"] = job.cancel_event.wait(10)  # bounded: the owner's end must say stop
        try:
            job.progress(1, 1)
            job.note("after the owner is gone")
        except RuntimeError as exc:  # what the old helper and the hand-written workers raised here
            seen["error"] = exc
        return "late"

    pool.start("long", work, what="a long job")
    assert started.wait(10)
    pool.finished.connect(lambda *args: heard.append(args))
    owner.deleteLater()
    qtbot.waitUntil(lambda: "stopped by the cancel" in seen, timeout=PATIENCE_MS)
    qtbot.wait(50)  # let any queued report be delivered
    assert seen["stopped by the cancel"] is True
    assert "error" not in seen and heard == []
    assert "Signal source has been deleted" not in capfd.readouterr().err


def test_a_job_outlives_its_report_being_heard(qtbot, jobs: JobPool) -> None:
    """Each job's signals belong to the job, not to a runnable the pool deletes: a burst of short jobs whose
    objects are collected before their queued reports arrive still delivers every report."""
    import gc

    results: list[object] = []
    jobs.finished.connect(lambda key, result: results.append(result))
    for n in range(40):
        jobs.start(n, lambda job, n=n: n * n, what="a square")
    jobs.pool.waitForDone()
    gc.collect()
    qtbot.waitUntil(lambda: len(results) == 40, timeout=PATIENCE_MS)
    assert sorted(results) == [n * n for n in range(40)] and jobs.running == ()


def test_a_pool_deleted_mid_job_leaves_nothing_live_for_the_garbage_collector(qtbot) -> None:
    """The pool's owner goes while a job runs: the job's signals object is deleted on the GUI thread once the
    work ends, never left in Python's hands for the collector to delete on whatever thread runs then."""
    from PySide6.QtCore import QObject
    from shiboken6 import isValid, ownedByPython

    owner = QObject()
    pool = JobPool(owner)
    release = threading.Event()
    job = pool.start("long", lambda job: release.wait(10), what="a long job")
    signals = job.signals
    assert not ownedByPython(signals)  # a child of the GUI thread's home, whatever happens to the pool
    owner.deleteLater()
    qtbot.waitUntil(lambda: not isValid(pool), timeout=PATIENCE_MS)
    assert isValid(signals)  # the work still runs and will emit from it
    release.set()
    qtbot.waitUntil(lambda: not isValid(signals), timeout=PATIENCE_MS)
    assert job.ended


def test_a_shut_down_pool_deletes_the_signals_of_jobs_it_never_heard_end(qtbot) -> None:
    from shiboken6 import isValid

    pool = JobPool()
    job = pool.start("quick", lambda job: "done", what="a quick job")
    assert pool.shutdown()  # waits for the work; its report is still queued, unheard
    qtbot.waitUntil(lambda: not isValid(job.signals), timeout=PATIENCE_MS)
    assert pool.running == ()


def test_the_suite_names_live_qt_objects_left_in_cycles(qtbot) -> None:
    """The check after every Qt test (tests/helpers/qt_garbage.py) finds a live Python-owned QObject kept only
    by a cycle (as a closed page's bound methods kept a test's scheduler), deletes it there, and finds nothing
    once a test deletes what it made."""
    import gc
    import weakref

    from PySide6.QtCore import QObject
    from shiboken6 import isValid

    from tests.helpers.qt_garbage import collect_after_qt_test, delete_now

    class Kept(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.callbacks = [self.deleteLater]  # the cycle: its own bound method

    gc.disable()  # no collection but the check's own, here
    try:
        left = Kept()
        alive = weakref.ref(left)
        del left
        assert alive() is not None
        assert collect_after_qt_test() == ["Kept"] and alive() is None
        deleted = Kept()
        delete_now(deleted)
        assert not isValid(deleted)
        del deleted
        assert collect_after_qt_test() == []
    finally:
        gc.enable()


def test_one_running_job_per_key(qtbot, jobs: JobPool) -> None:
    release = threading.Event()
    jobs.start("read", lambda job: release.wait(10), what="a read")
    try:
        with pytest.raises(RuntimeError, match="already running"):
            jobs.start("read", lambda job: None, what="a second read")
    finally:
        release.set()
    jobs.shutdown()


def test_a_poll_that_raises_marks_its_source_failing_and_ends_the_round(qtbot, conn, db_path, bus, clock,
                                                                        gui_thread) -> None:
    from desktop.polling.scheduler import Scheduler
    from desktop.store import sources

    def broken_poll(*_args, **_kwargs):
        raise ValueError("a bug in a parser")

    source = sources.add(conn, "feeds", "https://northlight.example/feed")
    scheduler = Scheduler(conn, db_path, bus, clock=clock, poll=broken_poll, session_factory=lambda: _Closable(),
                          tick_ms=3_600_000)
    try:
        with qtbot.waitSignal(bus.poll_finished, timeout=PATIENCE_MS):
            scheduler.poll_now()
        qtbot.waitUntil(lambda: not scheduler.reading())  # the failure is recorded off the GUI thread
        row = sources.get(conn, source.id)
        assert row.state == "failing" and row.last_error == "ValueError: a bug in a parser"
        assert scheduler.in_flight == ()
    finally:
        scheduler.shutdown()


class _Closable:
    def close(self) -> None:
        pass


def test_a_jobs_signals_object_is_deleted_in_the_gui_thread_whoever_lets_go_last(qtbot, jobs: JobPool) -> None:
    """A QObject may only be deleted in its own thread: the pool releases a finished runnable in the pool thread,
    and the GUI thread may hear the job end first (a rare segfault in CI). Many short jobs make both orders
    happen; every signals object must still die on the GUI thread, and none may be left behind."""
    from PySide6.QtCore import QCoreApplication, QEvent, Qt

    gui = threading.get_ident()
    died_in: list[int] = []
    count = 300
    for n in range(count):
        job = jobs.start(n, lambda _job: None, what="a quick read")
        job.signals.destroyed.connect(lambda *_: died_in.append(threading.get_ident()), Qt.ConnectionType.DirectConnection)
        del job
        qtbot.waitUntil(lambda key=n: key not in jobs.running, timeout=PATIENCE_MS)
    assert jobs.pool.waitForDone(5000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert (sum(t == gui for t in died_in), len(died_in)) == (count, count)
