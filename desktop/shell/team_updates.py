"""Live updates from teammates: their desktops' announcements (desktop.store.team) put on this one's EventBus.

A background thread listens on a connection of its own; what it hears crosses to the GUI thread through a
queued signal and becomes the bus's usual signals, so the inbox, the dashboard and the tray refresh exactly as
they do after this desktop's own poll. Nothing runs on a single-user (SQLite) store.
"""
from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.shell.events import EventBus
from desktop.store import team
from desktop.store.db import Target, is_team

log = logging.getLogger(__name__)

WAIT_S = 0.5  # how long one listen waits before checking whether to stop
RECONNECT_S = 5.0
COALESCE_MS = 250  # announcements arriving this close together reach the window as one refresh


class TeamUpdates(QObject):
    """Signals:
        assignments_changed(object): mentions (ids) whose alert a teammate (re)assigned.
        changed(): a burst of a teammate's changes (feedback, alerts, drafts and answers, assignments) ended:
            what the dashboard counts may differ (once per burst).
        heard(object): one announcement (a dict), delivered on the GUI thread.
    """

    heard = Signal(object)
    assignments_changed = Signal(object)
    changed = Signal()

    def __init__(self, target: Target, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._target = target
        self._bus = bus
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self.heard.connect(self.on_heard)  # created on the GUI thread: emits from the listener are queued here
        self._pending: dict[str, set[int]] = {"mentions": set(), "alerts": set(), "assignments": set(), "drafts": set()}
        self._batch = QTimer(self, singleShot=True, interval=COALESCE_MS)
        self._batch.timeout.connect(self.on_batch_timeout)

    def start(self) -> None:
        if not is_team(self._target) or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._listen, name="rapport-team-updates", daemon=True)
        self._thread.start()

    def stop(self, *, wait: bool = True) -> None:
        """Stop listening; `wait` False leaves the listener's thread to end on its own (`finish` waits for it,
        from any thread)."""
        self._batch.stop()
        self._stopped.set()
        if wait:
            self.finish()

    def finish(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def _listen(self) -> None:
        while not self._stopped.is_set():
            try:
                listener = team.Listener(self._target)
            except Exception as exc:  # noqa: BLE001 - the server is away: try again, say it once in the log
                log.warning("cannot listen for the team's updates: %s", exc)
                self._stopped.wait(RECONNECT_S)
                continue
            try:
                while not self._stopped.is_set():
                    for message in listener.messages(timeout=WAIT_S):
                        if message.get("origin") != team.ORIGIN:
                            self.heard.emit(message)
            except Exception as exc:  # noqa: BLE001 - a dropped connection: listen again
                log.warning("lost the team's updates: %s", exc)
            finally:
                listener.close()

    @Slot(object)
    def on_heard(self, message: dict[str, Any]) -> None:
        """Collect what a burst of announcements says (a teammate's import sends many), and pass it on once."""
        what = message.get("what")
        if what not in self._pending:
            return
        self._pending[what].update(int(i) for i in message.get("ids", ()) if isinstance(i, int))
        if not self._batch.isActive():
            self._batch.start()

    @Slot()
    def on_batch_timeout(self) -> None:
        """One signal per kind for the whole burst: the inbox places the mentions in one query, the tray recounts
        once, the dashboard rebuilds once (`changed`; it coalesces its own)."""
        pending = {what: sorted(ids) for what, ids in self._pending.items()}
        for ids in self._pending.values():
            ids.clear()
        if pending["mentions"]:
            self._bus.mentions_added.emit(tuple(pending["mentions"]))
        if pending["alerts"]:
            self._bus.alerts_raised.emit(pending["alerts"])
        if pending["assignments"]:
            self.assignments_changed.emit(pending["assignments"])
        # Drafts, assignments, and announcements too big to list: the tray and the Reply column recount.
        self._bus.alerts_changed.emit()
        self.changed.emit()
