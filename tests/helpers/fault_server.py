"""A real HTTP server on 127.0.0.1 that misbehaves on cue: status codes, validators, stalls, drips (of the
body or of the headers), resets, truncation, oversize and gzip bodies, redirect loops. Reusable by any test
that fetches.

It speaks the ways real servers end a response (`mode`, one of MODES):
  "keep-alive"       HTTP/1.1 with Content-Length, the connection stays open for the next request;
  "http/1.0"         an HTTP/1.0 answer with Content-Length, then the server closes (`python -m http.server`);
  "close"            HTTP/1.1, `Connection: close` and a Content-Length;
  "close-no-length"  HTTP/1.1, `Connection: close` and no length: the body ends when the connection does.

    with FaultServer() as server:
        server.route("/review/studio-lumen.co", Reply(200, body=page), Reply(304))
        session.fetch(server.url("/review/studio-lumen.co"))

A route is a sequence of replies: each request takes the next, the last one repeats. Every request is
recorded (path, headers) so tests can check conditional GET headers and the user agent.
"""
from __future__ import annotations

import gzip
import socket
import struct
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

__all__ = ["FaultServer", "Reply", "Request", "MODES", "LOGIN_PAGE", "CLOUDFLARE_CHALLENGE", "DATADOME_CHALLENGE"]

MODES = ("keep-alive", "http/1.0", "close", "close-no-length")

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


@dataclass(frozen=True)
class Reply:
    """One scripted answer.

    delay: seconds to wait before sending anything (a stall before headers).
    stall: seconds to wait after the headers, before the body (a stall mid-response).
    drip: (bytes, seconds) to send the body in pieces with a pause between them (a slow drip).
    header_drip: seconds between the bytes of the status line and headers (a slow drip before any body).
    reset_after: send this many body bytes, then reset the connection (RST).
    truncate_to: declare the full Content-Length but send only this many bytes, then close.
    gzip: compress the body and say so in Content-Encoding.
    hold: send nothing until this event is set (or the server stops): a stall the test ends when it has done what
        must happen meanwhile, so the order does not rest on a delay outlasting the test's own steps under load.
    """

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    delay: float = 0.0
    stall: float = 0.0
    drip: tuple[int, float] | None = None
    header_drip: float | None = None
    reset_after: int | None = None
    truncate_to: int | None = None
    gzip: bool = False
    hold: threading.Event | None = field(default=None, compare=False)

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        return cls(status, b"", {"Location": location}, content_type=None)

    @classmethod
    def page(cls, kind: str, name: str, **kwargs: object) -> Reply:
        """A recorded page from tests/fixtures/pages/<kind>/<name>."""
        return cls(body=(PAGES / kind / name).read_bytes(), **kwargs)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        # Encoded (and compressed) once, in the test's thread: compressing megabytes on every request kept a
        # loaded machine's server from answering within a test session's 0.2 s read timeout.
        body = self.body.encode("utf-8") if isinstance(self.body, str) else self.body
        object.__setattr__(self, "_payload", gzip.compress(body, mtime=0) if self.gzip else body)

    def payload(self) -> bytes:
        return self._payload  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    client: tuple[str, int] = ("", 0)  # the client's address and port: one per connection
    # How much of the scripted answer (head and body) went out, and how much there was: a client that gives
    # up at its deadline leaves `sent < size`, which a test can check without timing anything.
    progress: list[int] = field(default_factory=lambda: [0, 0], compare=False)
    body: bytes = b""  # what a POST sent (a token request's form, a GraphQL query)

    @property
    def sent(self) -> int:
        return self.progress[0]

    @property
    def size(self) -> int:
        return self.progress[1]


class _Server(ThreadingHTTPServer):
    """Quiet when the client hangs up: a fetch that timed out, was cancelled or had read enough closes its socket, and
    the server's write then fails with a broken pipe or a reset. That is the client's side of a test, not an error of
    the server's; printed, it reached the stderr that tests read for Rapport's own output (a CLI test failed on a
    "Traceback" that was the server's, under load). Any other failure in a handler is still printed."""

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class FaultServer:
    """A ThreadingHTTPServer on 127.0.0.1:0 serving scripted replies, keeping connections alive or not (`mode`)."""

    def __init__(self, mode: str = "keep-alive") -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.mode = mode
        self._routes: dict[str, list[Reply]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.requests: list[Request] = []
        handler = _handler_for(self)
        self._server = _Server(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fault-server", daemon=True)

    # -- scripting ---------------------------------------------------------------------------------------

    def route(self, path: str, *replies: Reply) -> str:
        """Script `path` (with its query, if any) to answer with `replies` in turn; returns its full URL."""
        if not replies:
            raise ValueError("a route needs at least one reply")
        with self._lock:
            self._routes[path] = list(replies)
        return self.url(path)

    def url(self, path: str = "/") -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def origin(self) -> str:
        return self.url("")

    def hits(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _next(self, path: str) -> Reply | None:
        with self._lock:
            replies = self._routes.get(path) or self._routes.get(path.split("?", 1)[0])
            if not replies:
                return None
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def wait(self, seconds: float) -> bool:
        """Sleep that ends early when the server stops (so stalled handlers never outlive a test)."""
        return self._stop.wait(seconds)

    def hold(self, gate: threading.Event) -> bool:
        """Wait for `gate`; False when the server stopped first (so a held handler never outlives a test)."""
        while not gate.wait(0.05):
            if self._stop.is_set():
                return False
        return True

    # -- life cycle --------------------------------------------------------------------------------------

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=2)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler_for(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0" if server.mode == "http/1.0" else "HTTP/1.1"
        # TCP_NODELAY, as real servers set it (nginx's tcp_nodelay): the headers and the body are two writes, and
        # with Nagle on the body waits for the client's delayed ACK, about 40 ms a request on Linux. That made every
        # local fetch ~47 ms, a quarter of fast_session's 0.2 s read timeout, and a success-path test timed out in CI.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep test output quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            length = int(self.headers.get("Content-Length") or 0) if self.command == "POST" else 0
            body = self.rfile.read(length) if length else b""
            self.request_record = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                                          tuple(self.client_address[:2]), body=body)
            server._record(self.request_record)
            reply = server._next(self.path)
            if reply is None:
                reply = Reply(404, b"<!doctype html><title>404 Not Found</title><h1>Not Found</h1>")
            try:
                self._send(reply)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def _write(self, data: bytes) -> None:
            self.wfile.write(data)
            self.wfile.flush()
            self.request_record.progress[0] += len(data)

        do_HEAD = do_GET
        do_POST = do_GET  # an API call (a token request, GraphQL): same scripted replies, its body recorded

        def _head(self, reply: Reply, payload: bytes) -> bytes:
            """Status line and headers, as bytes: UTF-8, so a test can send the odd header a real server does."""
            phrase = self.responses.get(reply.status, ("",))[0]
            lines = [f"{self.protocol_version} {reply.status} {phrase}", f"Server: {self.version_string()}",
                     f"Date: {self.date_time_string()}"]
            if reply.content_type and reply.status not in (204, 304):
                lines.append(f"Content-Type: {reply.content_type}")
            if reply.gzip:
                lines.append("Content-Encoding: gzip")
            lines += [f"{name}: {value}" for name, value in reply.headers.items()]
            if reply.status != 304 and server.mode != "close-no-length":
                lines.append(f"Content-Length: {len(payload)}")
            closing = server.mode in ("close", "close-no-length")
            if closing or reply.truncate_to is not None or reply.reset_after is not None:
                lines.append("Connection: close")
                self.close_connection = True
            return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")

        def _send(self, reply: Reply) -> None:
            if reply.hold is not None and not server.hold(reply.hold):
                self.close_connection = True
                return
            if reply.delay and server.wait(reply.delay):
                self.close_connection = True
                return
            payload = reply.payload()
            head = self._head(reply, payload)
            with_body = reply.status != 304 and self.command != "HEAD"
            self.request_record.progress[1] = len(head) + (len(payload) if with_body else 0)
            for piece in _pieces(head, (1, reply.header_drip) if reply.header_drip else None):
                self._write(piece)
                if reply.header_drip and server.wait(reply.header_drip):
                    self.close_connection = True
                    return
            if not with_body:
                return
            if reply.stall and server.wait(reply.stall):
                self.close_connection = True
                return
            if reply.reset_after is not None:
                self._write(payload[: reply.reset_after])
                # SO_LINGER 0: close() sends RST instead of FIN, the way a crashing proxy does.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                return
            if reply.truncate_to is not None:
                self._write(payload[: reply.truncate_to])
                self.close_connection = True
                return
            for piece in _pieces(payload, reply.drip):
                self._write(piece)
                if reply.drip and server.wait(reply.drip[1]):
                    self.close_connection = True
                    return

    return Handler


def _pieces(payload: bytes, drip: tuple[int, float] | None) -> Iterator[bytes]:
    if not drip:
        yield payload
        return
    size = max(1, drip[0])
    for start in range(0, len(payload), size):
        yield payload[start:start + size]


LOGIN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Log in | Trustpilot</title></head>
<body><main><h1>Log in to Trustpilot</h1>
<form method="post" action="/users/connect"><label>Email <input type="email" name="email"></label>
<label>Password <input type="password" name="password"></label><button type="submit">Log in</button></form>
</main></body></html>
"""

# The shape Cloudflare serves for a managed challenge (status 403 or 503, header cf-mitigated: challenge).
CLOUDFLARE_CHALLENGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow">
</head><body><div class="main-wrapper" role="main"><div class="main-content">
<noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></noscript>
</div></div><script>(function(){window._cf_chl_opt={cvId: '3',cZone: 'www.trustpilot.com',cType: 'managed'};
var cpo = document.createElement('script');cpo.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1';
document.getElementsByTagName('head')[0].appendChild(cpo);}());</script></body></html>
"""

# DataDome's interstitial (Trustpilot's bot protection): a 403 whose page loads the captcha-delivery script.
DATADOME_CHALLENGE = """<html><head><title>trustpilot.com</title><style>#cmsg{animation: A 1.5s;}</style></head>
<body style="margin:0"><p id="cmsg">Please enable JS and disable any ad blocker</p>
<script data-cfasync="false">var dd={'rt':'c','cid':'AHrlqAAAAAMA','hsh':'2211F522B61E269B869FA6EAFFB5E1',
'b':1234567,'s':46743,'e':'d1c5','qp':'','host':'geo.captcha-delivery.com','cookie':'dd_cookie_test'}</script>
<script data-cfasync="false" src="https://ct.captcha-delivery.com/c.js"></script></body></html>
"""
