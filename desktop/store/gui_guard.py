"""A tripwire for SQL on the GUI thread: every statement a store connection runs there can be recorded.

The window must never wait for the store (a team database is a network round-trip away), so the GUI thread
runs no SQL: reads go through desktop/shell/reader.py, writes through desktop/shell/writer.py, both on
threads of their own. This module lets a test (or `RAPPORT_GUARD_GUI_SQL=1` while developing) prove it:
once `enable()` has run, each connection `desktop.store.connect` opens reports the statements it runs on the
main thread (SQLite's trace callback; the PostgreSQL wrapper calls `note` itself), and `recording()` collects
them with where they came from. Off (the default), nothing is installed and nothing is paid.
"""
from __future__ import annotations

import contextlib
import logging
import os
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

ENV = "RAPPORT_GUARD_GUI_SQL"
_enabled = os.environ.get(ENV, "") not in ("", "0")
_recorders: list[list[GuiStatement]] = []
_lock = threading.Lock()


@dataclass(frozen=True)
class GuiStatement:
    """One statement run on the GUI thread, and the code that ran it (the innermost frames outside the store)."""

    sql: str
    where: str

    def __str__(self) -> str:
        return f"{self.sql.strip()[:160]}\n    at {self.where}"


def enable() -> None:
    """Watch connections opened from now on (a test session, or RAPPORT_GUARD_GUI_SQL=1)."""
    global _enabled
    _enabled = True


def enabled() -> bool:
    return _enabled


def _caller() -> str:
    """The innermost frames of the code that asked for this statement, outside the store and this module."""
    frames = [f for f in traceback.extract_stack()[:-2]
              if "/desktop/store/" not in f.filename and "sqlite3" not in f.filename]
    return " <- ".join(f"{f.filename.rsplit('/', 2)[-2]}/{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
                       for f in reversed(frames[-4:]))


def note(sql: str) -> None:
    """A connection ran `sql` on this thread: record it when this is the GUI (main) thread and someone listens."""
    if threading.current_thread() is not threading.main_thread():
        return
    statement: GuiStatement | None = None
    with _lock:
        for recorder in _recorders:
            statement = statement or GuiStatement(sql, _caller())
            recorder.append(statement)
    if statement is None and os.environ.get(ENV, "") not in ("", "0"):
        log.warning("SQL on the GUI thread: %s", GuiStatement(sql, _caller()))


def watch(conn: Any) -> None:
    """Report what `conn` runs (called by `connect` for each new connection while enabled)."""
    if not _enabled:
        return
    set_trace = getattr(conn, "set_trace_callback", None)
    if set_trace is not None:  # SQLite: its own hook, called on the thread that runs the statement
        set_trace(note)
    else:  # the PostgreSQL wrapper asks `watching` on each execute
        conn.watched = True


@contextlib.contextmanager
def recording() -> Iterator[list[GuiStatement]]:
    """Collect the statements watched connections run on the GUI thread inside the block."""
    recorder: list[GuiStatement] = []
    with _lock:
        _recorders.append(recorder)
    try:
        yield recorder
    finally:
        with _lock:
            _recorders.remove(recorder)
