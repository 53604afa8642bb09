"""A poll of one source as a background job: its own SQLite connection, its own session, the job's cancel flag.

The scheduler runs it through desktop.shell.jobs, so it reports only through the job pool's queued signals
and never touches a widget.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.shell.jobs import Job
from desktop.store import connect
from desktop.store.clock import Clock, utc_now
from desktop.store.sources import SourceRow

PollFunction = Callable[..., Any]


def poll_work(source: SourceRow, db_path: Path, *, poll: PollFunction, session_factory: Callable[[], Any],
              clock: Clock = utc_now) -> Callable[[Job], Any]:
    """The work of one poll, for `JobPool.start`: returns the PollResult (a cancelled poll's says so)."""
    def work(job: Job) -> Any:
        conn = connect(db_path)
        try:
            session = session_factory()
            try:
                return poll(source, session, conn, clock, cancelled=job.cancelled)
            finally:
                session.close()
        finally:
            conn.close()

    return work
