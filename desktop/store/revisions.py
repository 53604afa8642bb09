"""A review's later life in the store: edits kept as revisions, removal from the site, the site's reply.

The mention row always holds the newest version (what the inbox lists, searches and scores); `revisions`
keeps each earlier one, so the history can be shown and an outcome told (1 star, answered, then 4 stars).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from desktop.store import dialect
from desktop.store.clock import from_text, to_text


@dataclass(frozen=True)
class StoredVersion:
    """What ingest compares a re-read review with."""

    id: int
    label: str
    title: str
    text: str
    rating: float | None
    revision: int
    site_reply: str


@dataclass(frozen=True)
class Revision:
    """One version of a review as Rapport read it; `n` 1 is the first."""

    n: int
    title: str
    text: str
    rating: float | None
    compound: float
    label: str
    read_at: datetime


_VERSION = "SELECT dedupe_key, id, label, title, text, rating, revision, site_reply FROM mentions WHERE source = ?"


def stored_version(conn: sqlite3.Connection, source_id: int, dedupe_key: str) -> StoredVersion | None:
    row = conn.execute(f"{_VERSION} AND dedupe_key = ?", (source_id, dedupe_key)).fetchone()
    return None if row is None else _version(row)


def stored_versions(conn: sqlite3.Connection, source_id: int, dedupe_keys: list[str]) -> dict[str, StoredVersion]:
    """stored_version of each of these keys the source has, one query per 500 (a page's, not one per review)."""
    found: dict[str, StoredVersion] = {}
    unique = list(dict.fromkeys(dedupe_keys))
    for chunk in (unique[i:i + 500] for i in range(0, len(unique), 500)):
        rows = conn.execute(f"{_VERSION} AND dedupe_key IN ({','.join('?' * len(chunk))})", (source_id, *chunk))
        found.update((row["dedupe_key"], _version(row)) for row in rows)
    return found


def _version(row: sqlite3.Row) -> StoredVersion:
    return StoredVersion(row["id"], row["label"], row["title"], row["text"], row["rating"], row["revision"],
                         row["site_reply"])


def record_edit(conn: sqlite3.Connection, mention_id: int, *, title: str, text: str, rating: float | None,
                compound: float, label: str, reasons_json: str, at: datetime) -> int:
    """Keep the current version as a revision and make the edited one current; returns its number."""
    conn.execute(
        "INSERT INTO revisions (mention, n, title, text, rating, compound, label, read_at)"
        " SELECT id, revision, title, text, rating, compound, label, coalesce(edited_at, fetched_at)"
        " FROM mentions WHERE id = ?", (mention_id,))
    conn.execute(
        "UPDATE mentions SET title = ?, text = ?, rating = ?, compound = ?, label = ?, reasons_json = ?,"
        " revision = revision + 1, edited_at = ?, read_at = NULL WHERE id = ?",
        (title, text, rating, compound, label, reasons_json, to_text(at), mention_id))
    conn.execute("DELETE FROM reads WHERE mention = ?", (mention_id,))  # unread again for every teammate
    return conn.execute("SELECT revision FROM mentions WHERE id = ?", (mention_id,)).fetchone()[0]


def history(conn: sqlite3.Connection, mention_id: int) -> list[Revision]:
    """Every version, oldest first, the current one last ([] for an unknown mention)."""
    rows = conn.execute(
        "SELECT n, title, text, rating, compound, label, read_at FROM revisions WHERE mention = ?"
        " UNION ALL SELECT revision, title, text, rating, compound, label, coalesce(edited_at, fetched_at)"
        " FROM mentions WHERE id = ? ORDER BY 1", (mention_id, mention_id)).fetchall()
    return [Revision(r[0], r[1], r[2], r[3], r[4], r[5], from_text(r[6])) for r in rows]  # type: ignore[arg-type]


def record_site_reply(conn: sqlite3.Connection, mention_id: int, reply: str, at: datetime | None) -> None:
    conn.execute("UPDATE mentions SET site_reply = ?, site_reply_at = ? WHERE id = ?",
                 (reply, to_text(at), mention_id))


def mark_removed(conn: sqlite3.Connection, source_id: int, present_keys: set[str], at: datetime) -> list[int]:
    """Mark this source's reviews that a complete read no longer found as removed from the site (never deleted);
    a review that is back is no longer removed. Returns the newly removed mentions."""
    rows = conn.execute("SELECT id, dedupe_key, removed_at FROM mentions WHERE source = ?", (source_id,))
    gone, back = [], []
    for mention_id, key, removed_at in rows:
        if key in present_keys and removed_at is not None:
            back.append(mention_id)
        elif key not in present_keys and removed_at is None:
            gone.append(mention_id)
    conn.executemany("UPDATE mentions SET removed_at = ? WHERE id = ?", [(to_text(at), i) for i in gone])
    conn.executemany("UPDATE mentions SET removed_at = NULL WHERE id = ?", [(i,) for i in back])
    return gone


def missing_from(conn: sqlite3.Connection, source_id: int, present_keys: set[str]) -> list[tuple[int, str]]:
    """(id, url) of this source's reviews not on the page just read: the ones a partial read cannot vouch for,
    those marked removed included (a site may put a review back online: Trustpilot does once a reported one is
    fixed). Never asked about first, then the longest ago (`mark_checked`), so checks that ask about a few at a
    time go round all of them in turn."""
    order = dialect.of(conn).order("removal_checked_at", descending=False)  # NULL (never asked) first
    rows = conn.execute("SELECT id, dedupe_key, url FROM mentions WHERE source = ?"
                        f" AND url <> '' ORDER BY {order}, id", (source_id,))
    return [(mention_id, url) for mention_id, key, url in rows if key not in present_keys]


def mark_checked(conn: sqlite3.Connection, mention_ids: list[int], at: datetime) -> None:
    """These reviews' own pages were asked about now (whatever they said): the next checks ask about others."""
    conn.executemany("UPDATE mentions SET removal_checked_at = ? WHERE id = ?", [(to_text(at), i) for i in mention_ids])


def mark_gone(conn: sqlite3.Connection, mention_ids: list[int], at: datetime) -> None:
    """Mark reviews whose own page said they are gone (404/410) as removed from the site."""
    conn.executemany("UPDATE mentions SET removed_at = ? WHERE id = ? AND removed_at IS NULL",
                     [(to_text(at), i) for i in mention_ids])


def mark_there(conn: sqlite3.Connection, mention_ids: list[int]) -> None:
    """Reviews whose own page answered (no 404/410) are on the site: one marked removed is back."""
    conn.executemany("UPDATE mentions SET removed_at = NULL WHERE id = ? AND removed_at IS NOT NULL",
                     [(i,) for i in mention_ids])


def mark_back(conn: sqlite3.Connection, source_id: int, present_keys: set[str]) -> None:
    """A review marked removed that a read shows again is back on the site."""
    rows = conn.execute("SELECT id, dedupe_key FROM mentions WHERE source = ? AND removed_at IS NOT NULL",
                        (source_id,)).fetchall()
    conn.executemany("UPDATE mentions SET removed_at = NULL WHERE id = ?",
                     [(i,) for i, key in rows if key in present_keys])
