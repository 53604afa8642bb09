"""Drafts in the store: one draft per answer to a mention, saved as numbered versions that are never overwritten."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.composer.answers import Answers
from desktop.store import dialect, team
from desktop.store.clock import Clock, from_text, to_text, utc_now
from desktop.store.db import StoreError, transaction

DRAFT = "draft"
POSTED = "posted"  # the user said the reply is up (answered); exporting alone is not that


@dataclass(frozen=True)
class Version:
    draft: int
    n: int
    answers: Answers
    body: str
    created_at: datetime
    exported_at: datetime | None = None
    export_path: str | None = None
    author: str = ""  # who saved it (team mode; "" for the single user)


class DraftConflict(StoreError):
    """Someone else saved a newer version of the draft since this one was opened: saving would overwrite it."""

    def __init__(self, newer: Version) -> None:
        who = newer.author or "Someone"
        super().__init__(f"{who} saved a newer version of this draft at {newer.created_at.astimezone():%H:%M}; "
                         "yours was not saved: copy your text and reopen")
        self.newer = newer


@dataclass(frozen=True)
class Draft:
    """A draft with what a list needs: its latest version and who it answers."""

    id: int
    mention: int | None
    project: int | None
    created_at: datetime
    latest: Version | None
    versions: int = 0
    exported: bool = False
    client_name: str | None = None
    client_email: str | None = None
    project_title: str | None = None
    author: str = ""
    site: str = ""
    url: str = ""
    posted_at: datetime | None = None

    @property
    def status(self) -> str:
        return POSTED if self.posted_at is not None else DRAFT


def create(conn: sqlite3.Connection, mention: int | None, project: int | None, *, clock: Clock = utc_now) -> int:
    with transaction(conn):
        draft_id = conn.execute("INSERT INTO drafts (mention, project, created_at) VALUES (?, ?, ?) RETURNING id",
                                (mention, project, to_text(clock()))).fetchone()[0]
        team.announce(conn, "drafts", [draft_id])
    return draft_id


def save(conn: sqlite3.Connection, draft_id: int, answers: Answers, body: str, *,
         clock: Clock = utc_now, base: int | None = None) -> Version:
    """Save a new numbered version; saving what the latest version already holds adds nothing.

    `base`: the version the writer started from (0: none yet). When someone saved a newer one meanwhile, this
    save is refused with DraftConflict rather than silently stacked on top of theirs."""
    with transaction(conn):
        if conn.execute(f"SELECT 1 FROM drafts WHERE id = ?{dialect.of(conn).for_update}",
                        (draft_id,)).fetchone() is None:
            raise StoreError(f"no draft with id {draft_id}")
        current = latest(conn, draft_id)
        if current is not None and current.answers == answers and current.body == body:
            return current
        if base is not None and current is not None and current.n != base:
            raise DraftConflict(current)
        n = (current.n if current else 0) + 1
        conn.execute("INSERT INTO draft_versions (draft, n, answers_json, body, created_at, author)"
                     " VALUES (?, ?, ?, ?, ?, ?)", (draft_id, n, answers.to_json(), body, to_text(clock()),
                                                    team.person(conn)))
        team.announce(conn, "drafts", [draft_id])
    version = get_version(conn, draft_id, n)
    assert version is not None
    return version


def _version(row: sqlite3.Row) -> Version:
    return Version(row["draft"], row["n"], Answers.from_json(row["answers_json"]), row["body"],
                   from_text(row["created_at"]),  # type: ignore[arg-type]
                   from_text(row["exported_at"]), row["export_path"], row["author"])


def get_version(conn: sqlite3.Connection, draft_id: int, n: int) -> Version | None:
    row = conn.execute("SELECT * FROM draft_versions WHERE draft = ? AND n = ?", (draft_id, n)).fetchone()
    return _version(row) if row else None


def latest(conn: sqlite3.Connection, draft_id: int) -> Version | None:
    row = conn.execute("SELECT * FROM draft_versions WHERE draft = ? ORDER BY n DESC LIMIT 1",
                       (draft_id,)).fetchone()
    return _version(row) if row else None


def versions(conn: sqlite3.Connection, draft_id: int) -> list[Version]:
    return [_version(r) for r in conn.execute("SELECT * FROM draft_versions WHERE draft = ? ORDER BY n",
                                              (draft_id,))]


_SELECT = """
SELECT d.*, c.name AS client_name, c.email AS client_email, p.title AS project_title,
       coalesce(m.author, '') AS author, coalesce(m.site, '') AS site, coalesce(m.url, '') AS url,
       (SELECT count(*) FROM draft_versions v WHERE v.draft = d.id) AS n_versions,
       EXISTS (SELECT 1 FROM draft_versions v WHERE v.draft = d.id AND v.exported_at IS NOT NULL) AS exported
FROM drafts d
LEFT JOIN mentions m ON m.id = d.mention
LEFT JOIN projects p ON p.id = d.project
LEFT JOIN clients c ON c.id = coalesce(p.client, m.client)
"""


def _draft(conn: sqlite3.Connection, row: sqlite3.Row) -> Draft:
    return Draft(row["id"], row["mention"], row["project"], from_text(row["created_at"]),  # type: ignore[arg-type]
                 latest(conn, row["id"]), row["n_versions"], bool(row["exported"]), row["client_name"],
                 row["client_email"], row["project_title"], row["author"], row["site"], row["url"],
                 from_text(row["posted_at"]))


def get(conn: sqlite3.Connection, draft_id: int) -> Draft:
    row = conn.execute(f"{_SELECT} WHERE d.id = ?", (draft_id,)).fetchone()
    if row is None:
        raise StoreError(f"no draft with id {draft_id}")
    return _draft(conn, row)


def all_drafts(conn: sqlite3.Connection) -> list[Draft]:
    return [_draft(conn, r) for r in conn.execute(f"{_SELECT} ORDER BY d.id DESC")]


def for_mention(conn: sqlite3.Connection, mention_id: int) -> Draft | None:
    """The newest draft answering a mention, to reopen and continue."""
    row = conn.execute(f"{_SELECT} WHERE d.mention = ? ORDER BY d.id DESC LIMIT 1", (mention_id,)).fetchone()
    return _draft(conn, row) if row else None


def status_for(conn: sqlite3.Connection, mention_ids: Iterable[int]) -> dict[int, str]:
    """For the inbox: "posted" (answered) or "draft" per mention with a saved or posted draft; others are left out."""
    ids = list(dict.fromkeys(int(i) for i in mention_ids))
    result: dict[int, str] = {}
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):  # stay under SQLite's variable limit
        rows = conn.execute(
            f"SELECT d.mention, max(CASE WHEN d.posted_at IS NOT NULL THEN 1 ELSE 0 END) AS posted FROM drafts d"
            f" WHERE d.mention IN ({','.join('?' * len(chunk))})"
            f" AND (d.posted_at IS NOT NULL OR EXISTS (SELECT 1 FROM draft_versions v WHERE v.draft = d.id))"
            f" GROUP BY d.mention", chunk)
        for row in rows:
            result[row["mention"]] = POSTED if row["posted"] else DRAFT
    return result


def mark_exported(conn: sqlite3.Connection, draft_id: int, n: int, path: Path | str, at: datetime) -> None:
    """Record where a version went (a file path, or "clipboard"); it is answered only once marked posted."""
    with transaction(conn):
        conn.execute("UPDATE draft_versions SET exported_at = ?, export_path = ? WHERE draft = ? AND n = ?",
                     (to_text(at), str(path), draft_id, n))


def mark_posted(conn: sqlite3.Connection, draft_id: int, at: datetime | None) -> None:
    """The user posted (or sent) the reply: the mention counts as answered. None takes that back."""
    with transaction(conn):
        if conn.execute("UPDATE drafts SET posted_at = ? WHERE id = ?",
                        (to_text(at) if at else None, draft_id)).rowcount == 0:
            raise StoreError(f"no draft with id {draft_id}")
        team.announce(conn, "drafts", [draft_id])  # answered (or not): teammates' figures and Reply column follow


def set_mention_posted(conn: sqlite3.Connection, mention_id: int, posted: bool, at: datetime) -> None:
    """Mark the answer to a mention posted (or not) from the inbox; a reply written elsewhere gets an empty draft
    that records it."""
    draft = for_mention(conn, mention_id)
    if draft is None:
        if not posted:
            return
        draft_id = create(conn, mention_id, None, clock=lambda: at)
    else:
        draft_id = draft.id
    mark_posted(conn, draft_id, at if posted else None)


def _words(text: str) -> list[str]:
    return "".join(ch.casefold() if ch.isalnum() else " " for ch in text).split()


def replies_match(draft_body: str, site_reply: str) -> bool:
    """Whether the reply a site shows is this draft (as posted, perhaps lightly edited on the site)."""
    import difflib

    ours, theirs = _words(draft_body), _words(site_reply)
    if not ours or not theirs:
        return False
    return difflib.SequenceMatcher(None, ours, theirs, autojunk=False).ratio() >= 0.8


def match_site_reply(conn: sqlite3.Connection, mention_id: int, site_reply: str, at: datetime) -> int | None:
    """A reply seen on the site: the draft it matches (newest first) is marked posted at the reply's time,
    unless the user already marked it. Returns that draft's id, or None when no draft matches."""
    rows = conn.execute(
        "SELECT d.id, d.posted_at, v.body FROM drafts d JOIN draft_versions v ON v.draft = d.id"
        " AND v.n = (SELECT max(n) FROM draft_versions WHERE draft = d.id)"
        " WHERE d.mention = ? ORDER BY d.id DESC", (mention_id,)).fetchall()
    for draft_id, posted_at, body in rows:
        if replies_match(body, site_reply):
            if posted_at is None:
                conn.execute("UPDATE drafts SET posted_at = ? WHERE id = ?", (to_text(at), draft_id))
            return draft_id
    return None
