"""Waiting for the window's reads: every page reads the store off the GUI thread (desktop/shell/reader.py), so a
test waits for the answers before it looks, as a user sees them arrive."""
from __future__ import annotations

from typing import Any, TypeVar

from tests.helpers.fixtures import PATIENCE_MS

T = TypeVar("T")


def settle(qtbot: Any, *things: Any, timeout: int = PATIENCE_MS) -> None:
    """Wait until none of `things` (pages, models, the main window: anything with `reading()`) waits for the store
    (a bound on a hang, generous for a loaded machine: tests.helpers.fixtures.PATIENCE_MS)."""
    qtbot.waitUntil(lambda: not any(thing.reading() for thing in things), timeout=timeout)


def loaded(qtbot: Any, thing: T) -> T:
    """`thing` once its first reads are in."""
    settle(qtbot, thing)
    return thing
