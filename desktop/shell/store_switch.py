"""Opening another store for the running window (Settings > Team saved a new address) off the GUI thread, and
letting the store it leaves go without the GUI thread waiting for it (`OldStore`).

Connecting to a team database waits on the network and may migrate it; both happen in a background job, and
only a ready connection comes back to the GUI thread, where the app swaps it in (desktop/shell/app.py). A
failure is said in words and changes nothing: the window keeps the store it has.

A SQLite connection belongs to the thread that opened it: the job opens (and migrates) the file and closes it,
and the GUI thread opens it again, which is then a quick local open with nothing left to migrate.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from desktop.shell.background import in_background
from desktop.shell.jobs import Job, JobPool
from desktop.shell.reader import close_lanes_in_background
from desktop.store.db import GUI_BUSY_TIMEOUT_MS, StoreError, Target, close_quietly, connect, is_team

if TYPE_CHECKING:
    from desktop.polling.scheduler import Scheduler
    from desktop.shell.events import EventBus
    from desktop.shell.reader import StoreReader
    from desktop.shell.team_updates import TeamUpdates
    from desktop.shell.writer import StoreWriter
    from desktop.ui.main_window import MainWindow
    from desktop.ui.team_status import TeamStatus

log = logging.getLogger(__name__)

__all__ = ["OldStore", "StoreOpener"]

JOB = "open-store"


def _shown(target: Target) -> str:
    """The store as it may be shown: a team URL without its password."""
    if not is_team(target):
        return str(target)
    # Imported here, not with the module: desktop.store.postgres brings psycopg (a quarter of a second), which a
    # single-user start-up never needs before its first paint.
    from desktop.store.postgres import shown_url

    return shown_url(target)


@dataclass(frozen=True)
class _Refused:
    """A store that could not be opened, in words: expected (a server away, a password refused), so the job
    returns it rather than raising it, which would log an error with a traceback."""

    why: str


def _open_work(target: Target, create_folder: bool):  # noqa: ANN202 - a JobPool work function
    def work(_job: Job) -> Any:
        try:
            conn = connect(target, busy_timeout_ms=GUI_BUSY_TIMEOUT_MS, create_folder=create_folder)
        except StoreError as exc:
            return _Refused(str(exc))
        if is_team(target):
            return conn  # a psycopg connection may be handed to the GUI thread
        close_quietly(conn)  # migrated: the GUI thread reopens the file
        return None
    return work


class StoreOpener(QObject):
    """Signals:
        opened(object, object): the target and its connection, ready on the GUI thread.
        failed(object, str): the target and why it could not be opened.
    """

    opened = Signal(object, object)
    failed = Signal(object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.jobs = JobPool(self, threads=1)
        self.jobs.finished.connect(self.on_job_finished)
        self.jobs.failed.connect(self.on_job_failed)
        self._targets: dict[str, tuple[Target, bool]] = {}

    @property
    def busy(self) -> bool:
        return JOB in self.jobs.running

    def open(self, target: Target, *, create_folder: bool = False) -> bool:
        """Start opening `target`; False when an opening is already under way (one at a time)."""
        if self.busy:
            return False
        self._targets[JOB] = (target, create_folder)
        self.jobs.start(JOB, _open_work(target, create_folder), what="connecting to the store")
        return True

    def shutdown(self) -> None:
        self.jobs.shutdown()

    @Slot(object, object)
    def on_job_finished(self, key: Any, conn: Any) -> None:
        target, _create = self._targets.pop(key)
        if isinstance(conn, _Refused):
            log.warning("could not open the store %s: %s", _shown(target), conn.why)
            self.failed.emit(target, conn.why)
            return
        if conn is None:
            try:
                conn = connect(target, migrate=False, busy_timeout_ms=GUI_BUSY_TIMEOUT_MS)
            except StoreError as exc:
                self.failed.emit(target, str(exc))
                return
        self.opened.emit(target, conn)

    @Slot(object, object)
    def on_job_failed(self, key: Any, exc: BaseException) -> None:
        target, _create = self._targets.pop(key)
        log.warning("could not open the store %s: %s", _shown(target), exc)
        self.failed.emit(target, str(exc) if isinstance(exc, StoreError) else f"{type(exc).__name__}: {exc}")


class OldStore:
    """What ran on a store the window is leaving (a store switch), let go without the GUI thread waiting for it:
    on a team database gone silent a query under way holds its thread up to a minute."""

    def __init__(self, conn: Any, window: MainWindow, bus: EventBus, scheduler: Scheduler, updates: TeamUpdates,
                 status: TeamStatus, reader: StoreReader, writer: StoreWriter) -> None:
        self.conn, self.window, self.bus, self.scheduler = conn, window, bus, scheduler
        self.updates, self.status, self.reader, self.writer = updates, status, reader, writer
        self.stopped_cleanly = True

    def stop(self) -> None:
        """On the GUI thread, waiting for nothing: no timer fires and nothing new starts on the old store."""
        close_lanes_in_background(self.conn)  # its readers' lanes close off the GUI thread as they leave
        self.window.shutdown_dashboard()
        self.updates.stop(wait=False)
        self.status.stop()
        self.scheduler.stop()
        self.reader.shutdown()

    def finish_in_background(self, ended: Any, wait_ms: int) -> None:
        """Wait for what still runs (the poller lock given up, polls, reads and writes) on a thread of its own,
        then emit `ended(self)`, queued to the GUI thread; a poll may stop cleanly for `wait_ms`."""
        def finish() -> None:
            try:
                self.updates.finish()
                self.status.finish()
                self.stopped_cleanly = self.scheduler.finish(wait_ms)
                if not self.stopped_cleanly:  # a poll still running: waited for here, so deleting the scheduler
                    self.scheduler.jobs.shutdown()  # on the GUI thread never waits for it
                self.writer.shutdown()  # its writes asked for finish first
            finally:
                ended.emit(self)
        in_background("letting the old store go", finish)

    def delete(self) -> None:
        """On the GUI thread, once finished: the old window and parts go, and the old connection is closed."""
        self.window.deleteLater()
        for part in (self.bus, self.scheduler, self.updates, self.reader, self.writer):
            part.deleteLater()
        close_quietly(self.conn)
