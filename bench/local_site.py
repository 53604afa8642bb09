"""`python -m bench.local_site`: Trustpilot-shaped company pages on 20 loopback hosts, each answer 50 ms late.

Linux routes all of 127.0.0.0/8 to the loopback interface, so 127.0.0.2-21 are 20 hosts to the scheduler's
per-host pacing without leaving the machine. `/review/studio<N>.example` is a 491 KB page (the recorded page
grown, see case_parse) with 20 reviews no earlier poll has seen; `/robots.txt` allows everything. It runs in
its own process so its work never competes with the app under test for the interpreter, and at the lowest
priority (niceness 19): it stands for remote hosts, whose CPU is not the user's, so building its pages (~10 ms
of CPU each) should not take a core from the app's GUI thread on a 2-core machine. It prints "ready <port>" once
every host listens, and serves until stdin closes.
"""
from __future__ import annotations

import os
import random
import re
import socket
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.common import N_HOSTS, review_texts
from bench.case_parse import big_trustpilot_page, recorded_reviews

LATENCY_S = 0.05
_PAGE = re.compile(r"^/review/studio(\d+)\.example")


class Pages:
    """A new page of 20 reviews for each request, built in this process."""

    def __init__(self) -> None:
        self._shape = recorded_reviews()
        self._texts = review_texts(4_000, seed=int(time.time()) % 1000)
        self._served = 0
        self._lock = threading.Lock()
        self._run = f"{int(time.time()) % 0xFFFFFF:06x}"

    def page(self, source: int) -> bytes:
        with self._lock:
            first = self._served
            self._served += 20
        rnd = random.Random(first)
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        reviews = []
        for k in range(20):
            shape = dict(self._shape[k % len(self._shape)])
            shape.update(id=f"{self._run}{source:06x}{first + k:012x}", text=self._texts[(first + k) % len(self._texts)],
                         title="", rating=rnd.choice((1, 2, 3, 4, 5, 5)),
                         dates={"publishedDate": now, "experiencedDate": now, "updatedDate": None},
                         consumer={"displayName": f"Reviewer {rnd.randint(1, 30_000)}", "id": f"{first + k:024x}"})
            reviews.append(shape)
        return big_trustpilot_page(reviews=reviews)


def _handler(pages: Pages) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            time.sleep(LATENCY_S)
            if self.path == "/robots.txt":
                body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
            elif match := _PAGE.match(self.path):
                body, kind = pages.page(int(match.group(1))), "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    return Handler


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.2", 0))
        return s.getsockname()[1]


def serve() -> tuple[list[ThreadingHTTPServer], int]:
    pages = Pages()
    for _attempt in range(20):
        port, servers = _free_port(), []
        try:
            for i in range(N_HOSTS):
                servers.append(ThreadingHTTPServer((f"127.0.0.{2 + i}", port), _handler(pages)))
        except OSError:
            for server in servers:
                server.server_close()
            continue
        for server in servers:
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return servers, port
    raise RuntimeError("no port free on all 20 loopback hosts")


def main() -> None:
    if hasattr(os, "nice"):
        os.nice(19)  # the remote hosts it stands for do not share the user's cores (see the module docstring)
    servers, port = serve()
    print(f"ready {port}", flush=True)
    sys.stdin.read()  # until the parent closes it
    for server in servers:
        server.shutdown()


if __name__ == "__main__":
    main()
