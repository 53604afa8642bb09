"""What a poll of one source is handed: its checkpoint and settings from the store, its search terms (its own,
else the shared "My names"), and its credentials from the keyring, read off the GUI thread, for this poll only.
"""
from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from desktop import secrets
from desktop.store import settings as settings_store
from desktop.store.sources import SourceRow
from scrapers.base import Source
from scrapers.poll import PollRequest, parse_here
from scrapers.terms import Terms

log = logging.getLogger(__name__)

__all__ = ["poll_request", "source_terms", "read_credentials", "keep_renewed", "NO_TERMS"]

NO_TERMS = ("no search terms: add the names to watch for in Settings (My names) or to this source's own terms")


def source_terms(config: Mapping[str, Any], shared: Mapping[str, Any]) -> Terms:
    """A source's own terms when it has any, else the shared "My names" (with their exclusions)."""
    own = [t for t in config.get("terms") or [] if str(t).strip()]
    if own:
        return Terms(tuple(map(str, own)), tuple(map(str, config.get("exclude") or [])))
    exclude = [*(shared.get("my_names_exclude") or []), *(config.get("exclude") or [])]
    return Terms(tuple(map(str, shared.get("my_names") or [])), tuple(map(str, exclude)))


def read_credentials(source_cls: type[Source], source_id: int) -> dict[str, str]:
    """The source's credentials from the keyring; none (and a log line without them) when it cannot be read."""
    fields = source_cls.credential_fields()
    if not fields:
        return {}
    found: dict[str, str] = {}
    try:
        for credential in fields:
            value = secrets.get_secret(source_id, credential.name)
            if value:
                found[credential.name] = value
    except secrets.SecretStoreUnavailable as exc:
        log.warning("source %s: its credentials could not be read from the keyring (%s); polling without them",
                    source_id, exc.__class__.__name__)
        return {}
    return found


def keep_renewed(source_id: int, renewed: Mapping[str, str]) -> None:
    """Credentials a poll renewed (an OAuth sign-in refreshed) back into the keyring. Failing to keep them is
    logged, not fatal: the poll's reviews are still good, and the next poll renews again or asks to reconnect."""
    try:
        for name, value in renewed.items():
            secrets.set_secret(source_id, value, name)
    except secrets.SecretStoreUnavailable as exc:
        log.warning("source %s: a renewed sign-in could not be kept in the keyring (%s)", source_id,
                    exc.__class__.__name__)


def poll_request(conn: sqlite3.Connection, source: SourceRow, source_cls: type[Source], now: datetime, *,
                 cancelled: Callable[[], bool] | None = None,
                 parse: Callable[[Source, bytes | str, str], Any] = parse_here) -> PollRequest:
    terms = source_terms(source.config, settings_store.all_settings(conn)) if source_cls.uses_terms else Terms()
    return PollRequest(url=source.url or source_cls.default_url, now=now, checkpoint=dict(source.checkpoint),
                       config=dict(source.config), terms=terms, credentials=read_credentials(source_cls, source.id),
                       cursor=source.cursor, etag=source.etag, last_modified=source.last_modified, parse=parse,
                       **({"cancelled": cancelled} if cancelled is not None else {}))
