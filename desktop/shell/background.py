"""Waits the GUI thread must not do, run on threads of their own: letting a store go (a team database gone silent
holds its last queries up to a minute, desktop/store/postgres.py's DEAD_LINK_LIMITS) happens here while the window
goes on. `finish_background` waits for them all (an app quitting for real, a test ending)."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

__all__ = ["finish_background", "in_background"]

_running: set[threading.Thread] = set()
_lock = threading.Lock()


def in_background(what: str, work: Callable[[], None]) -> threading.Thread:
    """Run `work` on a daemon thread of its own (a failure is logged, never raised); the thread is returned."""
    def run() -> None:
        try:
            work()
        except Exception:  # noqa: BLE001 - nobody is left to hear it but the log
            log.exception("%s failed", what)
        finally:
            with _lock:
                _running.discard(threading.current_thread())

    thread = threading.Thread(target=run, name=f"rapport-background: {what}"[:60], daemon=True)
    with _lock:
        _running.add(thread)
    thread.start()
    return thread


def finish_background(timeout_s: float | None = None) -> bool:
    """Wait for the work still running in the background (up to `timeout_s` each); False if some still runs."""
    with _lock:
        threads = list(_running)
    for thread in threads:
        thread.join(timeout_s)
    return not any(t.is_alive() for t in threads)
