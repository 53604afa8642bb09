"""Configured sources and the state of their last poll (what the Sources screen shows)."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from desktop.records import validation
from desktop.records.validation import MAX_INTERVAL_S, MIN_INTERVAL_S
from desktop.store.clock import from_text, to_text
from desktop.store.db import StoreError, checked, transaction
from desktop.store.migrations import IMPORT_SOURCE_ID, MANUAL_SOURCE_ID
from scrapers.redact import credentials_problem

__all__ = ["BUILT_IN", "MAX_INTERVAL_S", "MIN_INTERVAL_S", "STATES", "SourceRow", "add", "same_page_key"]

BUILT_IN = (MANUAL_SOURCE_ID, IMPORT_SOURCE_ID)
STATES = ("new", "ok", "not modified", "blocked", "login required", "rate limited", "layout changed", "failing")
# Query parameters that only say where a click came from: the page is the same without them.
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "_ga", "igshid",
                             "ref_src", "spm"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class SourceRow:
    id: int
    kind: str
    url: str
    label: str
    interval_s: int
    enabled: bool
    state: str
    last_ok: datetime | None
    last_error: str | None
    tries: int
    etag: str | None
    last_modified: str | None
    cursor: str | None
    last_attempt: datetime | None = None
    retry_at: datetime | None = None
    # The user's settings for this source (search terms, options), and what its kind keeps between polls.
    config: Mapping[str, Any] = field(default_factory=dict)
    checkpoint: Mapping[str, Any] = field(default_factory=dict)

    @property
    def built_in(self) -> bool:
        return self.id in BUILT_IN

    @property
    def name(self) -> str:
        return self.label or self.url or self.kind

    @property
    def poll_interval_s(self) -> int:
        """The interval the scheduler uses: a value stored by an older Rapport outside the allowed range is
        clamped, so one absurd row can never stop the app from starting."""
        return min(max(self.interval_s, MIN_INTERVAL_S), MAX_INTERVAL_S)


def same_page_key(url: str) -> str:
    """`url` reduced to what names the page: scheme and host in lower case, no default port, no fragment, no
    trailing slash, no tracking parameters (utm_*, fbclid, ...), the rest of the query sorted.

    Two sources with one key read the same reviews, so they would alert twice: the second is refused.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS)
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), urlencode(query), ""))


def _refuse_duplicate(conn: sqlite3.Connection, url: str, config_text: str, *, other_than: int | None = None) -> None:
    """Refuse a second source for one page with the same settings (a forum search with other terms is another
    source, though its address is the same)."""
    key = same_page_key(url)
    for source in configured(conn):
        if (source.id != other_than and same_page_key(source.url) == key
                and _config_text(source.config) == config_text):
            raise StoreError(f"source {source.id} ({source.name}) already watches this page: "
                             "a second source would alert twice for each review")


def _checked_fields(url: str, interval_s: int) -> str:
    checked(validation.interval, interval_s)
    return checked(validation.web_address, url)


def _config_text(config: Mapping[str, Any] | None) -> str:
    if config is not None and not isinstance(config, Mapping):
        raise StoreError("a source's settings must be a mapping")
    return json.dumps(dict(config or {}), sort_keys=True)


def _refuse_secrets(url: str) -> None:
    """A source's address is shown, exported and logged: a password or token in it belongs in the keyring."""
    problem = credentials_problem(url)
    if problem is not None:
        raise StoreError(problem)


def add(conn: sqlite3.Connection, kind: str, url: str, *, label: str = "", interval_s: int = 3600,
        enabled: bool = True, config: Mapping[str, Any] | None = None) -> SourceRow:
    url = _checked_fields(url, interval_s)
    _refuse_secrets(url)
    config_text = _config_text(config)
    with transaction(conn):
        _refuse_duplicate(conn, url, config_text)
        source_id = conn.execute(
            "INSERT INTO sources (kind, url, label, interval_s, enabled, config_json) VALUES (?, ?, ?, ?, ?, ?)"
            " RETURNING id", (kind, url, label, interval_s, int(enabled), config_text)).fetchone()[0]
    return get(conn, source_id)


def get(conn: sqlite3.Connection, source_id: int) -> SourceRow:
    row = conn.execute("SELECT * FROM sources WHERE id = ?", (source_id,)).fetchone()
    if row is None:
        raise StoreError(f"no source with id {source_id}")
    return _row(row)


def configured(conn: sqlite3.Connection) -> list[SourceRow]:
    """Sources the user added (not the built-in manual and import ones)."""
    rows = conn.execute("SELECT * FROM sources WHERE id NOT IN (?, ?) ORDER BY id", BUILT_IN).fetchall()
    return [_row(r) for r in rows]


def all_sources(conn: sqlite3.Connection) -> list[SourceRow]:
    return [_row(r) for r in conn.execute("SELECT * FROM sources ORDER BY id")]


def update(conn: sqlite3.Connection, source_id: int, *, url: str, label: str, interval_s: int,
           enabled: bool, config: Mapping[str, Any] | None = None) -> SourceRow:
    """Change a source; `config` None keeps its settings. A new URL or new settings (other search terms)
    forget the old validators and checkpoint, so the next poll starts afresh."""
    if source_id in BUILT_IN:
        raise StoreError("the built-in manual and import sources cannot be edited")
    url = _checked_fields(url, interval_s)
    _refuse_secrets(url)
    with transaction(conn):
        old = get(conn, source_id)
        new_config = _config_text(old.config if config is None else config)
        _refuse_duplicate(conn, url, new_config, other_than=source_id)
        # A new URL is a new page: forget the validators and cursor of the old one.
        changed = url != old.url or new_config != _config_text(old.config)
        reset = (", etag = NULL, last_modified = NULL, cursor = NULL, checkpoint_json = '{}', state = 'new'"
                 if changed else "")
        conn.execute(f"UPDATE sources SET url = ?, label = ?, interval_s = ?, enabled = ?, config_json = ?{reset}"
                     " WHERE id = ?", (url, label, interval_s, int(enabled), new_config, source_id))
    return get(conn, source_id)


def remove(conn: sqlite3.Connection, source_id: int) -> None:
    """Remove a source and the feedback it found."""
    if source_id in BUILT_IN:
        raise StoreError("the built-in manual and import sources cannot be removed")
    with transaction(conn):
        if conn.execute("DELETE FROM sources WHERE id = ?", (source_id,)).rowcount == 0:
            raise StoreError(f"no source with id {source_id}")


def record_success(conn: sqlite3.Connection, source_id: int, *, state: str, at: datetime,
                   etag: str | None, last_modified: str | None, cursor: str | None, note: str | None = None,
                   checkpoint: Mapping[str, Any] | None = None, not_before: datetime | None = None) -> None:
    """A good poll; `note` (kept as the last error) says what of the page could not be read, if anything.
    `checkpoint` None keeps the stored one; `not_before` is a site's rate-limit window (the scheduler waits
    for it like a Retry-After)."""
    conn.execute(
        "UPDATE sources SET state = ?, last_ok = ?, last_attempt = ?, last_error = ?, tries = 0,"
        " retry_at = ?, etag = coalesce(?, etag), last_modified = coalesce(?, last_modified),"
        " cursor = coalesce(?, cursor), checkpoint_json = coalesce(?, checkpoint_json) WHERE id = ?",
        (state, to_text(at), to_text(at), note, to_text(not_before), etag, last_modified, cursor,
         json.dumps(dict(checkpoint), sort_keys=True) if checkpoint is not None else None, source_id))


def record_failure(conn: sqlite3.Connection, source_id: int, *, state: str, error: str, at: datetime,
                   retry_at: datetime | None = None) -> int:
    """Keep the error and count the tries; returns the new try count."""
    conn.execute("UPDATE sources SET state = ?, last_error = ?, last_attempt = ?, retry_at = ?,"
                 " tries = tries + 1 WHERE id = ?",
                 (state, error, to_text(at), to_text(retry_at), source_id))
    return conn.execute("SELECT tries FROM sources WHERE id = ?", (source_id,)).fetchone()[0]


MAX_BACKOFF_FACTOR = 16


def next_poll(source: SourceRow) -> datetime | None:
    """When a source is due: now if never tried, else its interval after the last attempt, doubling
    (up to 16x) while it keeps failing, and never before a site's Retry-After."""
    if not source.enabled or source.built_in:
        return None
    if source.last_attempt is None:
        return source.retry_at
    factor = min(2 ** max(source.tries - 1, 0), MAX_BACKOFF_FACTOR)
    due = source.last_attempt + timedelta(seconds=source.poll_interval_s * factor)
    return max(due, source.retry_at) if source.retry_at else due


def due(conn: sqlite3.Connection, now: datetime) -> list[SourceRow]:
    """Enabled sources whose next poll time has come."""
    result = []
    for source in configured(conn):
        when = next_poll(source)
        if source.enabled and (when is None or when <= now):
            result.append(source)
    return result


def _row(row: sqlite3.Row) -> SourceRow:
    return SourceRow(
        id=row["id"], kind=row["kind"], url=row["url"], label=row["label"], interval_s=row["interval_s"],
        enabled=bool(row["enabled"]), state=row["state"], last_ok=from_text(row["last_ok"]),
        last_error=row["last_error"], tries=row["tries"], etag=row["etag"],
        last_modified=row["last_modified"], cursor=row["cursor"],
        last_attempt=from_text(row["last_attempt"]), retry_at=from_text(row["retry_at"]),
        config=_json_object(row["config_json"]), checkpoint=_json_object(row["checkpoint_json"]))


def _json_object(text: str | None) -> dict[str, Any]:
    """A stored JSON object; anything else (hand-edited, truncated) reads as empty rather than crash a poll."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
