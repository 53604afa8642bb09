"""Start-up on a team database: the window shows at once and says it is connecting, never a frozen launch.

A PostgreSQL connect waits on the network (seconds on a slow VPN, a minute on a dead host) and may migrate the
database; it runs in a background job (desktop/shell/store_switch.py's StoreOpener) while this small window says
where it is connecting and lets the user go on with this desktop's own store instead. A failed connect says why
in words and offers to try again, to use this desktop's own store, or to quit. A single user's SQLite file is
opened as before (a local open is quicker than showing anything).
"""
from __future__ import annotations

import enum
import logging
import sys
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from desktop.shell.first_paint import process_age_s, tracing
from desktop.shell.store_switch import StoreOpener
from desktop.store.db import Target, close_quietly
from desktop.store.postgres import shown_url, unreachable_reason
from desktop.ui.widgets import ERROR_STYLE, plain_label

log = logging.getLogger(__name__)

__all__ = ["Choice", "TeamConnecting", "where"]


class Choice(enum.Enum):
    """How start-up on a team database ended."""

    CONNECTED = "connected"
    OWN_STORE = "own store"  # the user went on with this desktop's own store
    QUIT = "quit"


def where(target: Target) -> str:
    """"the team database rapport at db.agency.example:5432", for the user."""
    parts = urlsplit(str(target))
    name = parts.path.lstrip("/") or "(default)"
    return f"the team database {name} at {parts.hostname or 'localhost'}:{parts.port or 5432}"


class TeamConnecting(QWidget):
    """The window shown while the team database opens at start-up.

    Signals:
        finished(object, object): a `Choice`, and the open connection (CONNECTED) or None.
    """

    finished = Signal(object, object)

    def __init__(self, target: Target, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self._ended = False
        self.setWindowTitle("Connecting to the team database")  # the main window alone is "Rapport"
        self.setObjectName("team_connecting")
        self.message = plain_label(wrap=True, selectable=True)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # busy: how long a connect takes is not known
        self.busy_bar.setTextVisible(False)
        self.retry_button = QPushButton("Try again")
        self.own_store_button = QPushButton("Use this desktop's own store")
        self.quit_button = QPushButton("Quit")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.retry_button, self.own_store_button, self.quit_button):
            buttons.addWidget(button)
        box = QVBoxLayout(self)
        box.addWidget(self.message)
        box.addWidget(self.busy_bar)
        box.addLayout(buttons)
        self.setMinimumWidth(520)
        self.opener = StoreOpener(self)
        self.opener.opened.connect(self.on_opened)
        self.opener.failed.connect(self.on_failed)
        self.retry_button.clicked.connect(self.start)
        self.own_store_button.clicked.connect(lambda: self._end(Choice.OWN_STORE, None))
        self.quit_button.clicked.connect(lambda: self._end(Choice.QUIT, None))
        if tracing():
            self.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self and event.type() == QEvent.Type.Paint:
            self.removeEventFilter(self)
            print(f"rapport: connecting window painted {process_age_s():.3f} s after start", file=sys.stderr,
                  flush=True)
        return False

    @Slot()
    def start(self) -> None:
        """Connect (again) in the background, saying so."""
        if not self.opener.open(self.target):
            return  # the last attempt is still under way
        self.message.setStyleSheet("")
        self.message.setText(f"Connecting to {where(self.target)}…\n\nThis may take a moment on a slow network. You "
                             "can use this desktop's own store meanwhile instead.")
        self.busy_bar.show()
        self.retry_button.hide()

    @Slot(object, object)
    def on_opened(self, _target: Target, conn: Any) -> None:
        if self._ended:  # the user went on without it
            close_quietly(conn)
            return
        self._end(Choice.CONNECTED, conn)

    @Slot(object, str)
    def on_failed(self, _target: Target, why: str) -> None:
        if self._ended:
            return
        log.warning("could not connect to %s at start-up: %s", shown_url(str(self.target)), why)
        self.message.setStyleSheet(ERROR_STYLE)
        reason = unreachable_reason(str(self.target), why)  # the server is named once, here
        self.message.setText(f"Rapport could not connect to {where(self.target)}: {reason}\n\n"
                             "Try again, or go on with this desktop's own store (Settings > Team connects to the "
                             "team database again later).")
        self.busy_bar.hide()
        self.retry_button.show()

    def _end(self, choice: Choice, conn: Any) -> None:
        self._ended = True
        self.hide()
        self.finished.emit(choice, conn)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if not self._ended:
            self._end(Choice.QUIT, None)
        super().closeEvent(event)


def connect_at_startup(target: Target) -> tuple[Choice, Any]:
    """Show the connecting window and run the event loop until the team database opened or the user chose; the
    window stays (hidden) so an abandoned connect can end in the background."""
    from PySide6.QtCore import QEventLoop

    window = TeamConnecting(target)
    outcome: list[tuple[Choice, Any]] = []
    loop = QEventLoop()

    def ended(choice: Choice, conn: Any) -> None:
        outcome.append((choice, conn))
        loop.quit()

    window.finished.connect(ended)
    window.start()
    window.show()
    loop.exec()
    _kept.append(window)
    return outcome[0]


_kept: list[TeamConnecting] = []  # connecting windows a start-up left, with any connect still under way
