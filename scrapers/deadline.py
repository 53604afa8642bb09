"""A total deadline for one request, headers and body included.

A socket timeout bounds a single read, so a server sending one byte a second (in the status line, the
headers or the body) is never "timed out". Instead a timer shuts down the request's sockets when the
deadline passes: a blocked read then returns at once, wherever http.client is in the response.

The sockets are registered by the connection classes of `WatchedAdapter`, just before a response is
read, with the deadline of the fetch running on the same thread.
"""
from __future__ import annotations

import socket
import threading
import time
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["Deadline", "WatchedAdapter"]

_current = threading.local()


class Deadline:
    """Started on entry; once `seconds` have passed, every socket watched since is shut down.

    Leaving the block disarms it, so a socket kept alive for the next request is never touched later.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = time.monotonic()
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._armed = False
        self._timer = threading.Timer(max(0.0, seconds), self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if self.expired:
                _shut(sock)
            else:
                self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            if not self._armed:
                return
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> Deadline:
        self._previous = getattr(_current, "deadline", None)
        _current.deadline = self
        self._armed = True
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._armed = False
            self._sockets.clear()
        self._timer.cancel()
        _current.deadline = self._previous


def _shut(sock: socket.socket) -> None:
    """Shut the socket down under whatever wraps it (TLS too): a blocked recv returns end-of-file."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed: nothing is waiting on it


def _watch_current(sock: socket.socket | None) -> None:
    deadline: Deadline | None = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.watch(sock)


class _WatchedHTTPConnection(HTTPConnection):
    def getresponse(self) -> Any:  # type: ignore[override]
        _watch_current(self.sock)
        return super().getresponse()


class _WatchedHTTPSConnection(HTTPSConnection):
    def getresponse(self) -> Any:  # type: ignore[override]
        _watch_current(self.sock)
        return super().getresponse()


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class WatchedAdapter(HTTPAdapter):
    """requests' adapter whose connections put their socket under the running fetch's Deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS managers bring their own connection classes
            manager.pool_classes_by_scheme = dict(_POOLS)
        return manager
