"""A tripwire for blocking work on the GUI thread: the app marks its GUI thread, and the two entry points
that block, `PoliteSession.fetch` (network) and `poll_once` (a whole poll), call `forbid_gui_thread()`,
which raises there. Parsing and scoring do not check: they are reached only through those two, or headless.

Headless use (the CLI, scripts) never marks a thread, so nothing is forbidden.
"""
from __future__ import annotations

import threading

_gui_thread: int | None = None


class OnGuiThread(RuntimeError):
    """Blocking work was started on the GUI thread: a frozen window. A bug, never user error."""


def mark_gui_thread() -> None:
    global _gui_thread
    _gui_thread = threading.get_ident()


def clear_gui_thread() -> None:
    global _gui_thread
    _gui_thread = None


def forbid_gui_thread(what: str) -> None:
    if _gui_thread is not None and threading.get_ident() == _gui_thread:
        raise OnGuiThread(f"{what} must not run on the GUI thread")
