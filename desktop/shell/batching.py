"""Handing the GUI what arrives one by one in bursts as one batch, at most once per interval.

Why: when a poll round's hosts answer together, twenty polls end within a few milliseconds, and each one's
results (new mentions for the inbox, a source's new state) placed on its own cost the window a relayout and a
repaint each: together a stall of hundreds of milliseconds. Batched, the window places them once per interval.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QTimer, Slot

T = TypeVar("T")

__all__ = ["Batcher"]


class Batcher(QObject, Generic[T]):
    """Collects items (`add`) and calls `flush(items)` once, `interval_ms` after the first of a batch arrived; with
    `quiet_ms`, as soon as nothing more arrived for that long (and `interval_ms` after the first at the latest)."""

    def __init__(self, flush: Callable[[list[T]], None], interval_ms: int, parent: QObject | None = None, *,
                 quiet_ms: int | None = None) -> None:
        super().__init__(parent)
        self._flush = flush
        self._items: list[T] = []
        self._timer = QTimer(self, singleShot=True, interval=interval_ms)
        self._timer.timeout.connect(self.flush_now)
        self._quiet: QTimer | None = None
        if quiet_ms is not None:
            self._quiet = QTimer(self, singleShot=True, interval=quiet_ms)
            self._quiet.timeout.connect(self.flush_now)

    @property
    def pending(self) -> bool:
        """Something was added and has not been handed over yet."""
        return self._timer.isActive()

    def add(self, items: Iterable[T] = ()) -> None:
        """Add these (none: just make sure a flush comes) to the batch on its way."""
        self._items.extend(items)
        if not self._timer.isActive():
            self._timer.start()
        if self._quiet is not None:
            self._quiet.start()  # (again): the batch waits for a pause in what arrives

    @Slot()
    def flush_now(self) -> None:
        """Hand over what was collected now (also the timers' end)."""
        self._timer.stop()
        if self._quiet is not None:
            self._quiet.stop()
        items, self._items = self._items, []
        self._flush(items)

    def cancel(self) -> None:
        """Drop what was collected (the owner is going away)."""
        self._timer.stop()
        if self._quiet is not None:
            self._quiet.stop()
        self._items = []
