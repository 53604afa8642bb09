"""Connecting a source to the user's account on its site (Upwork: OAuth in the browser), off the GUI thread:
a `shell.jobs` job waits for the browser to come back to 127.0.0.1; the browser is opened (from the job's
note), and the sign-in kept in the keyring, on the GUI thread."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from desktop import secrets
from desktop.polling.request import read_credentials
from desktop.shell.jobs import Job, JobCancelled
from desktop.store.clock import utc_now
from scrapers.base import ScrapeError, Source

log = logging.getLogger(__name__)

__all__ = ["Connected", "OpenInBrowser", "connect_work", "open_in_browser"]

CONNECT_WAIT_S = 300


def open_in_browser(url: str) -> None:
    QDesktopServices.openUrl(QUrl(url))


@dataclass(frozen=True)
class OpenInBrowser:
    """The job's note: the address the user must open to allow Rapport."""

    url: str


@dataclass(frozen=True)
class Connected:
    """What a connect job returns: the credentials it kept in the keyring, or why there are none (in words)."""

    kept: dict[str, str] | None = None
    problem: str = ""


def connect_work(source_cls: type[Source], source_id: int, url: str, session_factory: Callable[[], Any],
                 options: dict[str, Any]) -> Callable[[Job], Connected]:
    """The sign-in as a job: it waits (up to CONNECT_WAIT_S) for the browser, or for the job's cancel."""
    def work(job: Job) -> Connected:
        try:
            session = session_factory()
            try:
                kept = source_cls.connect(session, url, read_credentials(source_cls, source_id),  # type: ignore[attr-defined]
                                          lambda address: job.note(OpenInBrowser(address)), utc_now(),
                                          timeout=CONNECT_WAIT_S, cancelled=job.cancel_event, **options)
            finally:
                session.close()
        except ScrapeError as exc:
            if job.cancelled():
                raise JobCancelled from exc
            return Connected(problem=str(exc))
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a crash
            log.exception("connecting source %s failed unexpectedly", source_id)
            return Connected(problem=f"could not connect ({exc.__class__.__name__})")
        if job.cancelled():
            raise JobCancelled
        try:  # here, not on the GUI thread: the keyring is D-Bus and may wait for the user to unlock it
            for name, value in kept.items():
                secrets.set_secret(source_id, value, name)
        except secrets.SecretStoreUnavailable as exc:
            return Connected(problem=str(exc))
        return Connected(kept=kept)
    return work
