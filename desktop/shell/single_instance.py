"""One Rapport per store: a second launch asks the first to show its window, then exits.

A QLockFile says whether another instance runs (and survives a crash: stale locks are taken over);
a QLocalServer named after the store lets the second launch wake the first. `rapport` listens once its window has
painted: QtNetwork is not what the first paint shows (a launch in that half second is refused without waking it).
"""
from __future__ import annotations

import getpass
import logging
from pathlib import Path

from typing import TYPE_CHECKING

from PySide6.QtCore import QCryptographicHash, QLockFile, QObject, Signal, Slot

if TYPE_CHECKING:  # QtNetwork loads when listening or waking another, not with the window
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

WAKE = b"show\n"
CONNECT_TIMEOUT_MS = 1000


def instance_key(db_path: Path) -> str:
    # A team database's URL names it already; a file is named by its resolved path.
    name = db_path if isinstance(db_path, str) else str(db_path.resolve())
    # SHA-256 by Qt, already loaded: hashlib would load OpenSSL before the first paint (~3% of the start-up).
    digest = bytes(QCryptographicHash.hash(name.encode(), QCryptographicHash.Algorithm.Sha256).toHex().data())
    digest = digest.decode()[:16]
    return f"rapport-{getpass.getuser()}-{digest}"


class SingleInstance(QObject):
    """Holds the lock for one store while the app runs.

    Signals:
        wake_requested(): another launch asked this instance to show its window.
    """

    wake_requested = Signal()

    def __init__(self, db_path: Path, lock_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = instance_key(db_path)
        lock_dir.mkdir(parents=True, exist_ok=True)
        self._lock = QLockFile(str(lock_dir / f"{self.key}.lock"))
        self._lock.setStaleLockTime(0)  # a lock whose process is gone is stale: take it over
        self._server: QLocalServer | None = None

    def acquire(self, *, listen: bool = True) -> bool:
        """True if this is the only instance; otherwise wakes the first one and returns False. `listen`: for second
        launches now (else `listen()` later)."""
        if not self._lock.tryLock(100):
            self._wake_other()
            return False
        if listen:
            self.listen()
        return True

    @Slot()
    def listen(self) -> None:
        """Let second launches wake this instance (once, while it holds the lock)."""
        if self._server is not None or not self._lock.isLocked():
            return
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(self.key)  # a crashed instance may have left its socket
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self.on_server_new_connection)
        if not self._server.listen(self.key):
            log.warning("cannot listen for second launches: %s", self._server.errorString())

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _wake_other(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(self.key)
        if socket.waitForConnected(CONNECT_TIMEOUT_MS):
            socket.write(WAKE)
            socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
            socket.disconnectFromServer()
        else:
            log.warning("another Rapport holds the lock but did not answer: %s", socket.errorString())

    @Slot()
    def on_server_new_connection(self) -> None:
        assert self._server is not None
        while (conn := self._server.nextPendingConnection()) is not None:
            conn.readyRead.connect(lambda c=conn: self._on_ready(c))

    def _on_ready(self, conn: QLocalSocket) -> None:
        if bytes(conn.readAll().data()).startswith(WAKE.strip()):
            self.wake_requested.emit()
        conn.disconnectFromServer()
