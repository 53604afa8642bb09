"""A store seeded with known mentions over five UTC weeks, for the dashboard's and the report's tests.

Weeks start on Mondays (UTC): 2026-11-02, -09, -16, -23. The first mention sits half an hour before the
boundary of 2026-11-09 and the second on it, so a week computed in another zone (or starting on Sunday)
would move them.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from desktop.store import drafts as draft_store
from desktop.store import alerts as alert_store
from desktop.store import clients as client_store
from desktop.store import sources as source_store

REPLY_HOURS = 5  # the posted draft went out 5 hours after the alert; the site's reply came 14 hours after

# (posted_at, fetched_at, compound, label, rating, source, client, alert, answer)
ROWS = [
    ("2026-11-08T23:30:00+00:00", "2026-11-09T08:00:00+00:00", 0.5, "positive", 5.0, "tp", "oak", False, None),
    ("2026-11-09T00:00:00+00:00", "2026-11-09T08:00:00+00:00", -0.6, "negative", 1.0, "tp", "oak", True, None),
    ("2026-11-10T12:00:00+00:00", "2026-11-10T13:00:00+00:00", -0.4, "negative", 2.0, "feed", None, True, "draft"),
    ("2026-11-12T09:00:00+00:00", "2026-11-12T10:00:00+00:00", 0.1, "neutral", None, "feed", "lark", False, None),
    ("2026-11-20T18:00:00+00:00", "2026-11-20T19:00:00+00:00", -0.8, "negative", 1.5, "tp", None, True, "site"),
    (None, "2026-11-25T07:00:00+00:00", -0.2, "negative", 4.0, "tp", "oak", True, None),
]


@dataclass(frozen=True)
class Seeded:
    mentions: list[int]
    sources: dict[str, int]
    clients: dict[str, int]


def seed(conn: sqlite3.Connection) -> Seeded:
    sources = {"tp": source_store.add(conn, "trustpilot", "https://www.trustpilot.com/review/oakridge.dev",
                                      label="Trustpilot").id,
               "feed": source_store.add(conn, "feeds", "https://www.google.com/alerts/feeds/1/2",
                                        label="Google Alerts").id}
    clients = {"oak": client_store.add(conn, "Oakridge Dental").id, "lark": client_store.add(conn, "Larkspur Bakery").id}
    ids = []
    for n, (posted, fetched, compound, label, rating, source, client, alert, answer) in enumerate(ROWS):
        mention_id = conn.execute(
            "INSERT INTO mentions (source, dedupe_key, author, text, posted_at, rating, fetched_at, compound, label,"
            " client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (sources[source], f"k{n}", f"Reviewer {n}", f"Review number {n}", posted, rating, fetched, compound,
             label, clients[client] if client else None)).fetchone()[0]
        assert mention_id is not None
        ids.append(mention_id)
        raised = datetime.fromisoformat(fetched)
        if alert:
            alert_store.raise_once(conn, mention_id, raised)
        if answer == "draft":
            draft_store.set_mention_posted(conn, mention_id, True, raised + timedelta(hours=REPLY_HOURS))
        elif answer == "site":
            conn.execute("UPDATE mentions SET site_reply = 'Sorry to hear that', site_reply_at = ? WHERE id = ?",
                         ("2026-11-21T09:00:00+00:00", mention_id))
    return Seeded(ids, sources, clients)
