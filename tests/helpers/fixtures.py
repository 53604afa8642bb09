"""Fixtures for anything that fetches: a fault server, a fast polite session and a clock that tests move.

The root conftest registers this module as a plugin, so every test directory has these fixtures.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from tests.helpers.fault_server import FaultServer

T0 = datetime(2025, 3, 14, 9, 30, tzinfo=timezone.utc)

# How long a test waits for work that must end (a poll round, a read off the GUI thread, a test fetch): a bound on
# a hang, never a measured duration. A poll round starts a worker process (niced, desktop/polling/worker_process.py,
# which itself allows a worker 120 s to start) that imports the parsers: at load 9-16 on the two-core machine one
# round took 10-30 s and some over 60 s, so the old 5 s bounds failed in full runs and passed alone. A hang still
# fails, within faulthandler_timeout (240 s, which prints every thread's stack).
PATIENCE_MS = 180_000


class FakeClock:
    """Wall time that only moves when a test says so."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def fast_session(clock: FakeClock, **overrides: object):
    """A PoliteSession with test-sized limits: tiny timeouts, a 1 s deadline, no retry backoff.

    A fault that would hold a worker (a stall, a drip) lasts several times these bounds, so it must end in an
    error. An ordinary local answer takes a few ms, but a loaded machine can hold the server's thread past 0.2 s:
    fetches that must succeed take roomy_session (the `session` fixture), faults this one (`tight_session`)."""
    from scrapers.http import PoliteSession

    options: dict[str, object] = {"clock": clock, "timeout": (0.5, 0.2), "deadline": 1.0, "retries": 2,
                                  "backoff_factor": 0, "backoff_max": 0, "max_redirects": 5}
    options.update(overrides)
    return PoliteSession(**options)  # type: ignore[arg-type]


def roomy_session(clock, **overrides: object) -> object:  # noqa: ANN001 - a FakeClock or any clock; a PoliteSession
    """A fast session with room for a loaded machine, for tests whose fetches must succeed (a poll round, a test
    fetch): at load 9 on two cores the fault server (a thread of the test's process) can take longer than
    fast_session's 0.2 s read timeout to answer, and the poll would fail instead. Faults keep fast_session."""
    return fast_session(clock, **{"timeout": (10, 10), "deadline": 30, **overrides})


@pytest.fixture
def fault_server() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session(clock: FakeClock) -> Iterator[object]:
    """A session for fetches that must succeed: roomy, so a loaded machine is not a fault (CI once failed a plain
    redirect on fast_session's 0.2 s read timeout)."""
    polite = roomy_session(clock)
    yield polite
    polite.close()


@pytest.fixture
def tight_session(clock: FakeClock) -> Iterator[object]:
    """A session for faults that must end in an error (a stall, a drip, a deadline): fast_session's small bounds."""
    polite = fast_session(clock)
    yield polite
    polite.close()


@pytest.fixture
def gui_thread() -> Iterator[None]:
    """Like the app: the test's thread is the GUI thread, where fetching and parsing are forbidden."""
    from scrapers.guard import clear_gui_thread, mark_gui_thread

    mark_gui_thread()
    yield
    clear_gui_thread()


@pytest.fixture
def bus():  # noqa: ANN201 - an EventBus; imported lazily so headless test modules never load Qt
    from desktop.shell.events import EventBus
    from tests.helpers.qt_garbage import delete_now

    made = EventBus()
    yield made
    delete_now(made)  # now, not by the garbage collector in a later test (tests/helpers/qt_garbage.py)
