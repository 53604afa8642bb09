"""What the outcome figures read: negative reviews that raised an alert, with their reply and later life."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from desktop.store.clock import from_text, to_text
from desktop.store.mentions import ANSWERED_AT


@dataclass(frozen=True)
class AlertedReview:
    """One review that raised an alert, as the outcome figures need it."""

    mention: int
    source: str
    client: int | None
    rating_at_alert: float | None
    alerted_at: datetime
    rating: float | None
    label: str
    edited_at: datetime | None
    removed_at: datetime | None
    answered_at: datetime | None  # see ANSWERED_AT
    answers_json: str | None  # the posted draft's newest version (its offers)
    source_id: int | None = None


_ALERTED = f"""
SELECT m.id, coalesce(nullif(s.label, ''), s.kind) AS source, m.client, m.rating, m.label, m.edited_at,
       m.removed_at, {ANSWERED_AT} AS answered_at, m.source AS source_id,
       (SELECT min(a.raised_at) FROM alerts a WHERE a.mention = m.id) AS alerted_at,
       coalesce((SELECT r.rating FROM revisions r WHERE r.mention = m.id AND r.label = 'negative'
                 ORDER BY r.n LIMIT 1), m.rating) AS rating_at_alert,
       (SELECT v.answers_json FROM drafts d JOIN draft_versions v ON v.draft = d.id
         WHERE d.mention = m.id AND d.posted_at IS NOT NULL ORDER BY d.id DESC, v.n DESC LIMIT 1) AS answers_json
FROM mentions m JOIN sources s ON s.id = m.source
WHERE EXISTS (SELECT 1 FROM alerts a WHERE a.mention = m.id)
"""


def alerted_reviews(conn: sqlite3.Connection, since: datetime | None = None) -> list[AlertedReview]:
    """Every review that alerted (at or after `since`), oldest alert first."""
    rows = conn.execute(f"SELECT * FROM ({_ALERTED}) AS alerted WHERE alerted_at >= ? ORDER BY alerted_at, id",
                        (to_text(since) if since else "",)).fetchall()
    return [_review(r) for r in rows]


# A reply: a draft the user marked posted, or the site's own reply (what records.outcomes calls answered).
_ANSWERED = (" AND (m.site_reply_at IS NOT NULL"
             " OR EXISTS (SELECT 1 FROM drafts d WHERE d.mention = m.id AND d.posted_at IS NOT NULL))")


def alerted_among(conn: sqlite3.Connection, mention_ids: list[int], *,
                  answered_only: bool = False) -> list[AlertedReview]:
    """Those of these mentions that alerted (the inbox's loaded rows), in one query per 500; `answered_only`:
    only those with a reply (the inbox's Reply column, which says nothing more of the others)."""
    found: list[AlertedReview] = []
    answered = _ANSWERED if answered_only else ""
    for i in range(0, len(mention_ids), 500):
        chunk = mention_ids[i:i + 500]
        rows = conn.execute(f"{_ALERTED} AND m.id IN ({','.join('?' * len(chunk))}){answered}", chunk).fetchall()
        found.extend(_review(r) for r in rows)
    return found


def _review(r: sqlite3.Row) -> AlertedReview:
    return AlertedReview(r["id"], r["source"], r["client"], r["rating_at_alert"],
                         from_text(r["alerted_at"]), r["rating"], r["label"],  # type: ignore[arg-type]
                         from_text(r["edited_at"]), from_text(r["removed_at"]), from_text(r["answered_at"]),
                         r["answers_json"], r["source_id"])


def projects_started(conn: sqlite3.Connection, client_ids: list[int]) -> dict[int, list[str]]:
    """Each client's project start dates (ISO dates), for "won back": a new project after the alert."""
    found: dict[int, list[str]] = {}
    for i in range(0, len(client_ids), 500):
        chunk = client_ids[i:i + 500]
        rows = conn.execute(f"SELECT client, started FROM projects WHERE started IS NOT NULL"
                            f" AND client IN ({','.join('?' * len(chunk))})", chunk)
        for client, started in rows:
            found.setdefault(client, []).append(started)
    return found
