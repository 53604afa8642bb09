"""Raised alerts: at most one per mention, ever, so a review never alerts twice (even across restarts)."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from desktop.store import team
from desktop.store.clock import from_text, to_text
from desktop.store.db import transaction


@dataclass(frozen=True)
class AlertRow:
    id: int
    mention: int
    raised_at: datetime
    seen_at: datetime | None


def raise_once(conn: sqlite3.Connection, mention_id: int, at: datetime) -> int | None:
    """Raise an alert for a mention; None when it already had one."""
    row = conn.execute("INSERT INTO alerts (mention, raised_at) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING id",
                       (mention_id, to_text(at))).fetchone()
    return row[0] if row else None


def raise_for_new(conn: sqlite3.Connection, mention_ids: list[int], at: datetime) -> dict[int, int]:
    """Raise the alerts of new mentions in one statement (the tallies' triggers fire once on PostgreSQL);
    mention id -> alert id, for those that had none."""
    if not mention_ids:
        return {}
    rows = conn.execute(f"INSERT INTO alerts (mention, raised_at) VALUES {', '.join('(?, ?)' for _ in mention_ids)}"
                        " ON CONFLICT DO NOTHING RETURNING mention, id",
                        [v for mention in mention_ids for v in (mention, to_text(at))]).fetchall()
    return {r[0]: r[1] for r in rows}


def raise_for_revision(conn: sqlite3.Connection, mention_id: int, revision: int, at: datetime) -> int | None:
    """Alert (again) for an edited review's revision: once per revision, never twice for the same one.
    The mention's alert is re-raised (unseen again) rather than doubled; None when this revision had one."""
    row = conn.execute(
        "INSERT INTO alerts (mention, raised_at, revision) VALUES (?, ?, ?) ON CONFLICT (mention) DO UPDATE"
        " SET revision = excluded.revision, raised_at = excluded.raised_at, seen_at = NULL"
        " WHERE alerts.revision < excluded.revision RETURNING id", (mention_id, to_text(at), revision)).fetchone()
    return row[0] if row else None


def recent(conn: sqlite3.Connection, limit: int = 100) -> list[sqlite3.Row]:
    """Alerts with what the CLI's `alerts list` shows: time, label, rating, first line of text (seen: by this
    person)."""
    seen, args = team.seen_time(conn)
    return conn.execute(
        f"SELECT a.id, a.raised_at, {seen} AS seen_at, m.id AS mention, m.label, m.rating, m.title, m.text,"
        " m.compound FROM alerts a JOIN mentions m ON m.id = a.mention ORDER BY a.raised_at DESC, a.id DESC LIMIT ?",
        (*args, limit)).fetchall()


def unseen_count(conn: sqlite3.Connection) -> int:
    """Alerts this person has not seen yet: what the tray icon's alert state shows (on every bus event)."""
    sql, args = unseen_count_query(conn)
    return conn.execute(sql, args).fetchone()[0]


def unseen_count_query(conn: sqlite3.Connection) -> tuple[str, tuple[object, ...]]:
    """The SQL of `unseen_count`: two tallies the store keeps (migration _v_unseen_tallies), read in constant time
    however many alerts there are. It is the count of `team.unseen` over every alert: the alerts nobody has seen
    as a whole, less those this person saw (a team's seen rows; none on SQLite)."""
    if not team.shared(conn):
        return "SELECT n FROM open_alerts", ()
    return ("SELECT (SELECT n FROM open_alerts) - coalesce((SELECT n FROM seen_open_alerts WHERE person = ?), 0)",
            (team.person(conn),))


def _select(conn: sqlite3.Connection) -> tuple[str, list[object]]:
    seen, args = team.seen_time(conn)
    return f"SELECT a.id, a.mention, a.raised_at, {seen} AS seen_at FROM alerts a", args


def unseen(conn: sqlite3.Connection) -> list[AlertRow]:
    select, args = _select(conn)
    unseen_, unseen_args = team.unseen(conn)
    return [_alert(r) for r in conn.execute(f"{select} WHERE {unseen_} ORDER BY a.id", (*args, *unseen_args))]


@dataclass(frozen=True)
class AlertedMention:
    """What a notification says about an alerted mention (its text cut to what a message can show)."""

    id: int
    site: str
    author: str
    first_line: str
    rating: float | None
    edited: bool = False  # the alert is about the reviewer's edit of a review read before
    previous_rating: float | None = None  # its rating before that edit


_BRIEF = ("SELECT m.id, m.site, m.author, m.rating, coalesce(nullif(m.title, ''), substr(m.text, 1, 400))"
          " AS head, m.revision > 1 AS edited,"
          " (SELECT r.rating FROM revisions r WHERE r.mention = m.id AND r.n = m.revision - 1) AS previous_rating"
          " FROM alerts a JOIN mentions m ON m.id = a.mention")


def _brief(row: sqlite3.Row) -> AlertedMention:
    head = (row["head"] or "").strip()
    return AlertedMention(row["id"], row["site"] or "", row["author"] or "",
                          head.splitlines()[0] if head else "", row["rating"], bool(row["edited"]),
                          row["previous_rating"])


def last_id(conn: sqlite3.Connection) -> int:
    """The newest alert's id (0 with none): where "raised before now" ends."""
    return conn.execute("SELECT coalesce(max(id), 0) FROM alerts").fetchone()[0]


def unseen_mentions(conn: sqlite3.Connection, up_to: int | None = None) -> list[AlertedMention]:
    """The mentions behind unseen alerts (with ids up to `up_to`), oldest first, in one query, not one per alert.

    Several make a summary, which names only their sites: then only ids and sites are read (there may be
    tens of thousands after a long time away), not each text.
    """
    unseen_, unseen_args = team.unseen(conn)
    where = f"WHERE {unseen_} AND a.id <= ?"
    args = (*unseen_args, up_to if up_to is not None else 2**63 - 1)
    rows = conn.execute(f"SELECT a.mention, m.site FROM alerts a JOIN mentions m ON m.id = a.mention {where}"
                        " ORDER BY a.id LIMIT 2", args).fetchall()
    if len(rows) == 1:
        return [_brief(r) for r in conn.execute(f"{_BRIEF} {where} ORDER BY a.id", args)]
    return [AlertedMention(mention, site or "", "", "", None) for mention, site in conn.execute(
        f"SELECT a.mention, m.site FROM alerts a JOIN mentions m ON m.id = a.mention {where} ORDER BY a.id", args)]


def alerted_mentions(conn: sqlite3.Connection, mention_ids: list[int]) -> list[AlertedMention]:
    """These alerted mentions, in the order given, in one query per 500 (SQLite's variable limit)."""
    found: dict[int, AlertedMention] = {}
    for chunk in (mention_ids[i:i + 500] for i in range(0, len(mention_ids), 500)):
        for row in conn.execute(f"{_BRIEF} WHERE a.mention IN ({','.join('?' * len(chunk))})", chunk):
            found[row["id"]] = _brief(row)
    return [found[i] for i in mention_ids if i in found]


def alerted_among(conn: sqlite3.Connection, mention_ids: list[int]) -> list[int]:
    """Which of these mentions raised an alert (for an import's new rows), in the order given."""
    alerted: set[int] = set()
    for i in range(0, len(mention_ids), 500):  # stay under SQLite's variable limit
        chunk = mention_ids[i:i + 500]
        rows = conn.execute(f"SELECT mention FROM alerts WHERE mention IN ({','.join('?' * len(chunk))})", chunk)
        alerted.update(r[0] for r in rows)
    return [m for m in mention_ids if m in alerted]


def mark_seen(conn: sqlite3.Connection, mention_ids: list[int], at: datetime) -> None:
    """This person saw the alerts on these mentions (in a team, only for them: each teammate's tray counts
    their own)."""
    team.mark_seen(conn, mention_ids, to_text(at))


def for_mention(conn: sqlite3.Connection, mention_id: int) -> AlertRow | None:
    select, args = _select(conn)
    row = conn.execute(f"{select} WHERE a.mention = ?", (*args, mention_id)).fetchone()
    return _alert(row) if row else None


def _alert(row: sqlite3.Row) -> AlertRow:
    return AlertRow(row["id"], row["mention"], from_text(row["raised_at"]),  # type: ignore[arg-type]
                    from_text(row["seen_at"]))


def assign(conn: sqlite3.Connection, mention_id: int, person: str | None) -> bool:
    """Assign a mention's alert to a teammate (None: to nobody); False when the mention has no alert."""
    with transaction(conn):
        changed = conn.execute("UPDATE alerts SET assigned_to = ? WHERE mention = ?",
                               ((person or "").strip() or None, mention_id)).rowcount > 0
        if changed:
            team.announce(conn, "assignments", [mention_id])
    return changed


def teammates(conn: sqlite3.Connection) -> list[str]:
    """The people this store knows (who read, wrote drafts or were assigned alerts, and this desktop's person),
    for "Assign to…"; [] on a single-user store."""
    if not team.shared(conn):
        return []
    rows = conn.execute("SELECT assigned_to FROM alerts WHERE assigned_to IS NOT NULL UNION SELECT person FROM reads"
                        " UNION SELECT author FROM draft_versions WHERE author != ''").fetchall()
    return sorted({r[0] for r in rows} | {team.person(conn)}, key=str.casefold)


def mark_all_seen(conn: sqlite3.Connection, at: datetime) -> None:
    team.mark_seen(conn, None, to_text(at))
