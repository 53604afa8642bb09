"""Trustpilot parsers that fail as native code can, in a worker process only: the process crashes (a real
SIGSEGV) or hangs, on pages whose address says so (`/review/crash...`, `/review/hang...`). Every other page reads
as Trustpilot's. In the test process itself they never crash or hang (it would take pytest with them)."""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from urllib.parse import urlsplit

from scrapers.base import Mention
from scrapers.trustpilot import TrustpilotCompany


def _in_worker() -> bool:
    return multiprocessing.parent_process() is not None


class FailingTrustpilot(TrustpilotCompany):
    kind = ""  # not registered: a test puts it in the registry in place of Trustpilot's, for itself only

    def parse(self, body: bytes | str, url: str) -> list[Mention]:
        path = urlsplit(url).path
        if _in_worker() and path.startswith("/review/crash"):
            os.kill(os.getpid(), signal.SIGSEGV)
        if _in_worker() and path.startswith("/review/hang"):
            threading.Event().wait()
        return super().parse(body, url)
