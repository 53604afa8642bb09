"""The status bar's word on the team: who this desktop is and whose desktop polls ("Team: connected as Alex ·
Polling: Sam's desktop"). Shown only on a team database.

Asking who holds the poller lock is a query over the network, so it runs in a background job on a connection of
its own, every REFRESH_MS and when the team's records change; the GUI thread only sets the label's text.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QLabel, QWidget

from desktop.shell.jobs import Job, JobPool
from desktop.store.db import Target, close_quietly, is_team

log = logging.getLogger(__name__)

__all__ = ["TeamStatus", "status_text"]

REFRESH_MS = 15_000
JOB = "team-status"


def status_text(person: str, polling: bool, poller: str | None) -> str:
    """The label's words, from who this desktop is, whether it polls, and whose desktop does otherwise."""
    if polling:
        who = "this desktop"
    elif poller:
        who = f"{poller}'s desktop"
    else:
        who = "nobody right now (a desktop takes over within a minute)"
    return f"Team: connected as {person} · Polling: {who}"


class TeamStatus(QLabel):
    """A status-bar label; `refresh()` asks again (coalesced: one job at a time)."""

    def __init__(self, target: Target, is_poller: Callable[[], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._target = target
        self._is_poller = is_poller
        self._conn: Any = None  # the job's own connection, used by one job at a time
        self.jobs = JobPool(self, threads=1)
        self.jobs.finished.connect(self.on_job_finished)
        self.jobs.failed.connect(self.on_job_failed)
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.setVisible(is_team(target))

    def start(self) -> None:
        if is_team(self._target):
            self._timer.start()
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        if not is_team(self._target) or JOB in self.jobs.running:
            return
        polling = self._is_poller()
        self.jobs.start(JOB, lambda job: self._ask(job, polling), what="asking who polls for the team")

    def _ask(self, _job: Job, polling: bool) -> tuple[str, bool, str | None]:
        from desktop.store import connect, team
        from desktop.store.team_presence import poller_person

        if self._conn is None or self._conn.closed:
            self._conn = connect(self._target, migrate=False)
        try:
            poller = None if polling else poller_person(self._conn, team.POLLER_LOCK)
            return team.person(self._conn), polling, poller
        except Exception:
            self._drop()  # a broken connection: open a new one next time
            raise

    @Slot(object, object)
    def on_job_finished(self, _key: object, result: tuple[str, bool, str | None]) -> None:
        person, _asked_polling, poller = result
        # The poller role may have changed while the job ran: this desktop's own answer is read now.
        self.setText(status_text(person, self._is_poller(), poller))
        self.setToolTip("Only one desktop of the team checks the sources at a time; the others show what it finds.")

    @Slot(object, object)
    def on_job_failed(self, _key: object, exc: BaseException) -> None:
        self.setText("Team: cannot reach the team database (trying again)")
        self.setToolTip(str(exc))

    def _drop(self) -> None:
        close_quietly(self._conn)
        self._conn = None

    def shutdown(self) -> None:
        self.stop()
        self.finish()

    def stop(self) -> None:
        """No more asking (GUI thread; waits for nothing)."""
        self._timer.stop()
        self.jobs.cancel()

    def finish(self) -> None:
        """Wait for a question under way and close the connection: callable off the GUI thread after `stop`."""
        self.jobs.shutdown()
        self._drop()
