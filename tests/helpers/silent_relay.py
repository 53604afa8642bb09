"""A TCP relay on 127.0.0.1 in front of a real server that can go silent: it keeps every connection open and passes
nothing on, as when a team database's host drops off the network (the client's kernel still gets its packets
acknowledged here, so only the application waits; closing the relay ends that)."""
from __future__ import annotations

import socket
import threading

__all__ = ["SilentRelay"]


class SilentRelay:
    """Connections to `port` are relayed to the server on `server_port` until `go_silent()`."""

    def __init__(self, server_port: int) -> None:
        self.server_port = server_port
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.port = self.listener.getsockname()[1]
        self.silent = threading.Event()
        self.closed = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def go_silent(self) -> None:
        self.silent.set()

    def close(self) -> None:
        """Drop every connection (the relayed ones see them closed) and stop accepting."""
        self.closed.set()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in [self.listener, *sockets]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.server_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                # A connection accepted while `close` ran would be in no list it closes: held open and silent, it
                # kept its client waiting for good. Checked under the lock `close` takes its list with.
                if self.closed.is_set():
                    server.close()
                    client.close()
                    return
                self._sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            while self.silent.is_set():  # held, never passed on, until the relay closes
                if self.closed.wait(0.05):
                    return
            try:
                sink.sendall(data)
            except OSError:
                return
