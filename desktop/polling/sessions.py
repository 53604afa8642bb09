"""Polite sessions kept from one poll to the next, all reading one robots.txt cache.

A new session per poll re-read every site's robots.txt each time and never reused a connection. The pool
lends each poll an idle session (one per busy worker thread at most); closing the loan gives it back.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from scrapers.robots import RobotsCache

if TYPE_CHECKING:
    from scrapers.http import PoliteSession

__all__ = ["SessionPool"]


class SessionPool:
    """Call it for a session on loan (what a poll job's `session_factory` expects); `close()` at shutdown."""

    def __init__(self, make: Callable[[], PoliteSession] | None = None, robots: RobotsCache | None = None) -> None:
        self.robots = robots if robots is not None else RobotsCache()
        self._make = make or _polite_session
        self._lock = threading.Lock()
        self._idle: list[PoliteSession] = []
        self._closed = False
        self.made = 0  # sessions created so far: at most the number of polls ever running at once

    def __call__(self) -> SessionLoan:
        with self._lock:
            session = self._idle.pop() if self._idle else None
        if session is None:
            session = self._make()
            session.robots = self.robots
            with self._lock:
                self.made += 1
        return SessionLoan(self, session)

    def give_back(self, session: PoliteSession) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(session)
                return
        session.close()  # the pool closed while this poll ran

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for session in idle:
            session.close()


def _polite_session() -> PoliteSession:
    from scrapers.http import PoliteSession  # requests and urllib3 load on the first poll, not at start-up

    return PoliteSession()


class SessionLoan:
    """A pooled session as the poll sees it: fetch through it, close it to give it back (once)."""

    def __init__(self, pool: SessionPool, session: PoliteSession) -> None:
        self._pool = pool
        self.session: PoliteSession | None = session

    def __getattr__(self, name: str) -> Any:
        if self.session is None:
            raise AttributeError(f"{name}: this session was given back to the pool")
        return getattr(self.session, name)

    def close(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            self._pool.give_back(session)

    def __enter__(self) -> SessionLoan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
