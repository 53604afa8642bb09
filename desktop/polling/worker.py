"""A poll of one source off the GUI thread: its own SQLite connection, its own session, a cancel flag.

The worker reports only through a `WorkerSignals` object the scheduler creates on the GUI thread, so
its signals are queued there; it never touches a widget.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

from desktop.store import connect
from desktop.store.clock import Clock, utc_now
from desktop.store.sources import SourceRow

log = logging.getLogger(__name__)

PollFunction = Callable[..., Any]


class WorkerSignals(QObject):
    """Created on the GUI thread so the worker's signals are delivered there.

    Signals:
        finished(object): the PollResult of one source.
        crashed(int, str): source id and a message, when the poll raised (a bug: the runner never should).
    """

    finished = Signal(object)
    crashed = Signal(int, str)


class PollWorker(QRunnable):
    def __init__(self, source: SourceRow, db_path: Path, signals: WorkerSignals, *, poll: PollFunction,
                 session_factory: Callable[[], Any], clock: Clock = utc_now) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.source = source
        self.signals = signals
        self._db_path = db_path
        self._poll = poll
        self._session_factory = session_factory
        self._clock = clock
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            conn = connect(self._db_path)
            session = self._session_factory()
            try:
                result = self._poll(self.source, session, conn, self._clock, cancelled=self._cancel.is_set)
            finally:
                session.close()
                conn.close()
        except Exception as exc:  # noqa: BLE001 - a crash of one source is reported, never lost
            log.exception("poll of source %s crashed", self.source.id)
            self.signals.crashed.emit(self.source.id, f"{type(exc).__name__}: {exc}")
            return
        self.signals.finished.emit(result)
