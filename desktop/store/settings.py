"""User settings kept in the store, with defaults in one place."""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from desktop.store.db import transaction

DEFAULTS: dict[str, Any] = {
    "poll_interval_s": 3600,
    "host_gap_s": 10,                 # at least this long between two requests to one site (host and port)
    "alert_score_threshold": -0.05,   # alert when compound is at or below this...
    "alert_star_threshold": 2,        # ...or the rating is at or below this (of 5)
    "notifications": True,
    "quiet_hours_start": None,        # "22:00"
    "quiet_hours_end": None,          # "07:00"
    "start_at_login": False,
    # "My names": what forum sources search for unless a source has its own terms.
    "my_names": [],
    "my_names_exclude": [],
}


def get(conn: sqlite3.Connection, key: str) -> Any:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    if row is None:
        return DEFAULTS.get(key)
    return json.loads(row[0])


def all_settings(conn: sqlite3.Connection) -> dict[str, Any]:
    values = dict(DEFAULTS)
    values.update({k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM settings")})
    return values


def put(conn: sqlite3.Connection, **values: Any) -> None:
    with transaction(conn):
        conn.executemany("INSERT INTO settings (key, value) VALUES (?, ?)"
                         " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                         [(k, json.dumps(v)) for k, v in values.items()])
