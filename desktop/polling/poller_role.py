"""Whether this desktop polls: always on SQLite; on a team database, only while it holds the team's poller lock.

The lock's connection is network: it is asked on a background thread, and the scheduler (GUI thread) only
reads the answer, so the team does not spend a site's rate limit once per open desktop.
"""
from __future__ import annotations

import logging
import threading

from desktop.store.db import Target, is_team
from desktop.store.team import PollerLock

log = logging.getLogger(__name__)

CHECK_S = 5.0  # how often the lock's holder checks its connection (a non-holder asks only every RETRY_S)


class PollerRole:
    """`held`: this desktop is the poller now. `start()` begins asking; `stop()` gives the role up."""

    def __init__(self, target: Target, *, check_s: float = CHECK_S, lock: PollerLock | None = None) -> None:
        self._team = is_team(target)
        self._lock = lock or PollerLock(target)
        self._check_s = check_s
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self.held = not self._team
        self.checks = 0  # how many times it asked (what a test waits for)

    def start(self) -> None:
        if not self._team or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="rapport-poller-role", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while not self._stopped.is_set():
                held = self._lock.is_poller()
                if held != self.held:
                    log.info("this desktop %s the team's poller", "is now" if held else "is no longer")
                self.held = held
                self.checks += 1
                self._stopped.wait(self._check_s)
        finally:
            # Given up here, on the lock's own thread: the GUI thread that stops the role (quitting, or Settings
            # > Team switching stores) never waits on the server, which may be the one that went away.
            self._lock.release()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=2)  # a holder mid-question lets go when it returns (or with its connection)
            self._thread = None
        else:
            self._lock.release()  # never started: nothing was asked, nothing to wait for
        self.held = not self._team
