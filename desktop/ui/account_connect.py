"""Connecting a source to the user's account on its site (Upwork: OAuth in the browser), off the GUI thread:
the worker waits for the browser to come back to 127.0.0.1; the browser is opened, and the sign-in kept in the
keyring, on the GUI thread."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from desktop.polling.request import read_credentials
from desktop.store.clock import utc_now
from scrapers.base import ScrapeError, Source

log = logging.getLogger(__name__)

__all__ = ["ConnectSignals", "ConnectRun", "open_in_browser"]

CONNECT_WAIT_S = 300


def open_in_browser(url: str) -> None:
    QDesktopServices.openUrl(QUrl(url))


class ConnectSignals(QObject):
    """open_url(str): the address to open in the browser; connected(object): the credentials to keep;
    failed(str): why not, in words."""

    open_url = Signal(str)
    connected = Signal(object)
    failed = Signal(str)


class ConnectRun(QRunnable):
    def __init__(self, source_cls: type[Source], source_id: int, url: str, signals: ConnectSignals,
                 session_factory: Callable[[], Any], cancelled: threading.Event, options: dict[str, Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._args = (source_cls, source_id, url)
        self._signals = signals
        self._session_factory = session_factory
        self._cancelled = cancelled
        self._options = options

    def run(self) -> None:
        source_cls, source_id, url = self._args
        try:
            session = self._session_factory()
            try:
                kept = source_cls.connect(session, url, read_credentials(source_cls, source_id),  # type: ignore[attr-defined]
                                          self._signals.open_url.emit, utc_now(), timeout=CONNECT_WAIT_S,
                                          cancelled=self._cancelled, **self._options)
            finally:
                session.close()
        except ScrapeError as exc:
            self._signals.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a crash
            log.exception("connecting source %s failed unexpectedly", source_id)
            self._signals.failed.emit(f"could not connect ({exc.__class__.__name__})")
            return
        if not self._cancelled.is_set():
            self._signals.connected.emit(kept)
