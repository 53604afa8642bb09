"""Stored feedback: windowed, filtered queries for the inbox, and the few edits a user makes."""
from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktop.store import dialect, team
from desktop.store.clock import from_text, to_text
from desktop.store.db import transaction
from desktop.store.search_folding import fold_accents

if TYPE_CHECKING:  # the scorer (VADER's lexicon) loads when reasons are first read, not with the store
    from desktop.scoring import Reason


@dataclass(frozen=True, slots=True)
class StoredMention:
    """One stored mention as the inbox shows it. Slots, and reasons kept as their JSON until read: the
    inbox may hold 100,000 of these, and most are never opened."""

    id: int
    source: int
    site: str
    author: str
    url: str
    title: str
    text: str
    language: str | None
    posted_at: datetime | None
    rating: float | None
    fetched_at: datetime
    compound: float
    label: str
    reasons_json: str
    client: int | None
    project: int | None
    read_at: datetime | None
    external_id: str | None = None
    client_name: str | None = None
    project_title: str | None = None
    project_delivered: date | None = None  # the linked project's end: where a site's reply window starts
    source_name: str = ""
    alerted: bool = False
    matched: str = ""  # the search term a forum source found in it
    revision: int = 1  # > 1: the reviewer edited it since Rapport first read it (desktop.store.revisions)
    edited_at: datetime | None = None
    removed_at: datetime | None = None  # no longer on the site (a complete read did not find it)
    site_reply: str = ""  # the business's public reply as the site shows it
    assigned_to: str | None = None  # the teammate its alert is assigned to (team mode)

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """The words that drove the score (decoded on use: only the detail pane and the composer read them)."""
        from desktop.scoring import Reason

        return tuple(Reason(*r) for r in json.loads(self.reasons_json)) if self.reasons_json != "[]" else ()

    @property
    def when(self) -> datetime:
        return self.posted_at or self.fetched_at

    @property
    def first_line(self) -> str:
        return (self.title or self.text).strip().splitlines()[0] if (self.title or self.text).strip() else ""


@dataclass(frozen=True)
class Filter:
    """What the inbox shows; every field narrows it."""

    label: str | None = None
    source: int | None = None
    client: int | None = None
    project: int | None = None
    unread: bool = False
    alerted: bool = False
    search: str = ""
    ids: tuple[int, ...] = field(default_factory=tuple)
    assigned_to: str | None = None  # alerts assigned to this teammate ("Assigned to me")
    # What a dashboard chart counts (clicking a bar opens exactly those mentions): a half-open period of
    # `coalesce(posted_at, fetched_at)`, a star rating (rounded half up) or any, feedback linked to no client,
    # and alerted negatives still without a reply.
    since: datetime | None = None
    until: datetime | None = None
    stars: int | None = None
    rated: bool = False  # has a star rating (what the average rating averages)
    unlinked: bool = False
    unanswered: bool = False

    @property
    def narrowed_beyond_the_bar(self) -> bool:
        """Narrowed by something the inbox's filter bar has no widget for (it came from the dashboard)."""
        return (self.since is not None or self.until is not None or self.stars is not None or self.rated
                or self.unlinked or self.unanswered)


WHEN = "coalesce(m.posted_at, m.fetched_at)"  # a mention's moment: when it was posted, else when it was read
# The one definition of "answered", for any query over mentions `m`: when the review got its reply, the first
# draft the user marked posted or the site showing the business's reply (ingest always notes when), whichever
# came first; NULL while it has neither. The inbox's "unanswered" filter, the dashboard and the outcomes all
# read it. Standard SQL (a CASE, no two-argument min()), so PostgreSQL reads it as SQLite does.
_FIRST_POSTED = "(SELECT min(d.posted_at) FROM drafts d WHERE d.mention = m.id)"
ANSWERED_AT = (f"(CASE WHEN {_FIRST_POSTED} IS NULL OR m.site_reply_at < {_FIRST_POSTED}"
               f" THEN m.site_reply_at ELSE {_FIRST_POSTED} END)")
ANSWERED = f"({ANSWERED_AT} IS NOT NULL)"
# The same answered mentions as a set of ids, for a query over many mentions to start from the few answered
# (mentions_site_reply, drafts) rather than test every row.
ANSWERED_IDS = ("(SELECT id FROM mentions WHERE site_reply_at IS NOT NULL"
                " UNION SELECT mention FROM drafts WHERE posted_at IS NOT NULL AND mention IS NOT NULL)")

SORT_COLUMNS = {
    "when": WHEN,
    "source": "s.label",
    "author": "m.author",
    "client": "c.name",
    "rating": "m.rating",
    "score": "m.compound",
    "text": "m.text",
}

_SELECT = """
SELECT m.*, c.name AS client_name, p.title AS project_title, p.delivered AS project_delivered,
       coalesce(nullif(s.label, ''), s.url, s.kind) AS source_name,
       EXISTS (SELECT 1 FROM alerts a WHERE a.mention = m.id) AS alerted,
       (SELECT a.assigned_to FROM alerts a WHERE a.mention = m.id) AS assigned_to, {read} AS my_read_at
FROM mentions m
JOIN sources s ON s.id = m.source
LEFT JOIN clients c ON c.id = m.client
LEFT JOIN projects p ON p.id = m.project
"""


def _select(conn: sqlite3.Connection, first: str = "") -> tuple[str, list[object]]:
    """The inbox's SELECT (with `first` as its first column, if given) with this person's read state."""
    read, args = team.read_time(conn)
    sql = _SELECT.format(read=read)
    return (sql.replace("SELECT m.*", f"SELECT {first}, m.*", 1) if first else sql), args


def search_words(text: str) -> list[str]:
    """The words a search is made of: letters and digits, everything else a separator (never FTS syntax)."""
    return [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]


def search_spans(text: str, search: str) -> list[tuple[int, int]]:
    """Where the search's words occur in `text` (as word prefixes, in any case, accents folded as search folds
    them: "cafe" marks "Café"): what the reading pane marks."""
    words = {fold_accents(w) for w in search_words(search)}
    if not words:
        return []
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}\w*" for w in sorted(words, key=len, reverse=True)),
                         re.IGNORECASE)
    spans = []
    for m in pattern.finditer(fold_accents(text)):
        end = m.end()
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1  # an accent written as its own character belongs to the word it sits on
        spans.append((m.start(), end))
    return spans


def period_clauses(since: datetime | None, until: datetime | None) -> tuple[list[str], list[object]]:
    """A half-open period [since, until) of a mention's moment, as SQL clauses and their parameters."""
    clauses: list[str] = []
    args: list[object] = []
    if since is not None:
        clauses.append(f"{WHEN} >= ?")
        args.append(to_text(since))
    if until is not None:
        clauses.append(f"{WHEN} < ?")
        args.append(to_text(until))
    return clauses, args


def _where(conn: sqlite3.Connection, flt: Filter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    args: list[object] = []
    if flt.label:
        clauses.append("m.label = ?")
        args.append(flt.label)
    if flt.source is not None:
        clauses.append("m.source = ?")
        args.append(flt.source)
    if flt.client is not None:
        clauses.append("m.client = ?")
        args.append(flt.client)
    if flt.project is not None:
        clauses.append("m.project = ?")
        args.append(flt.project)
    if flt.unread:
        unread, unread_args = team.unread(conn)
        clauses.append(unread)
        args.extend(unread_args)
    if flt.assigned_to is not None:
        clauses.append("EXISTS (SELECT 1 FROM alerts a WHERE a.mention = m.id AND a.assigned_to = ?)")
        args.append(flt.assigned_to)
    if flt.alerted:
        # EXISTS, not IN (SELECT ...): the inbox walks its order index and probes alerts row by row, instead
        # of reading every alert's mention and sorting them all for one window.
        clauses.append("EXISTS (SELECT 1 FROM alerts a WHERE a.mention = m.id)")
    period, period_args = period_clauses(flt.since, flt.until)
    clauses += period
    args += period_args
    if flt.stars is not None:  # the star a rating rounds to, half up: 2.5 is 3 stars
        clauses.append("m.rating >= ? AND m.rating < ?")
        args.extend([flt.stars - 0.5, flt.stars + 0.5])
    if flt.rated:
        clauses.append("m.rating IS NOT NULL")
    if flt.unlinked:
        clauses.append("m.client IS NULL")
    if flt.unanswered:
        clauses.append(f"m.label = 'negative' AND EXISTS (SELECT 1 FROM alerts a WHERE a.mention = m.id)"
                       f" AND NOT {ANSWERED}")
    if flt.ids:
        clauses.append(f"m.id IN ({','.join('?' * len(flt.ids))})")
        args.extend(flt.ids)
    words = search_words(flt.search)
    if words and dialect.of(conn).has_fulltext(conn):
        clause, arg = dialect.of(conn).fulltext(words)
        clauses.append(clause)
        args.append(arg)
    elif words:
        for word in words:
            clauses.append("(m.text LIKE ? OR m.title LIKE ? OR m.author LIKE ?)")
            args.extend([f"%{word}%"] * 3)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


@dataclass(frozen=True)
class Cursor:
    """Where a window ended: the last row's sort value (as SQLite holds it) and id, to seek past."""

    value: object
    id: int


# Sort keys whose column can be NULL (SQLite puts NULL first ascending, last descending).
_NULLABLE = {"source", "client", "rating"}


def _seek(sort: str, column: str, descending: bool, after: Cursor) -> tuple[str, list[object]]:
    """The rows after `after` in this order, as a range the sort index can seek to (keyset pagination).

    OFFSET would re-walk every skipped row, so the 500th window of 100,000 would cost 500 windows.
    """
    cmp, id_cmp = ("<", "<") if descending else (">", ">")
    if after.value is None:  # the cursor is in the NULL run: descending it is the end, ascending the start
        if descending:
            return f"({column} IS NULL AND m.id < ?)", [after.id]
        return f"({column} IS NOT NULL OR m.id > ?)", [after.id]
    # `col <= v AND (col < v OR id < i)` rather than an OR of the two: the first term bounds an index range.
    eq = "<=" if descending else ">="
    clause = f"({column} {eq} ? AND ({column} {cmp} ? OR m.id {id_cmp} ?))"
    args: list[object] = [after.value, after.value, after.id]
    if descending and sort in _NULLABLE:
        clause = f"({clause} OR {column} IS NULL)"
    return clause, args


def window(conn: sqlite3.Connection, flt: Filter = Filter(), *, sort: str = "when", descending: bool = True,
           limit: int = 200, after: Cursor | None = None) -> tuple[list[StoredMention], Cursor | None]:
    """One window of the inbox: `limit` rows after `after`, and the cursor for the next window.

    Keyset pagination on (sort key, id), so every window costs the same however far a user scrolls.
    """
    where, args = _where(conn, flt)
    sort = sort if sort in SORT_COLUMNS else "when"
    column = SORT_COLUMNS[sort]
    if after is not None:
        clause, seek_args = _seek(sort, column, descending, after)
        where = f"{where} AND {clause}" if where else f" WHERE {clause}"
        args = [*args, *seek_args]
    order = "DESC" if descending else "ASC"
    select, select_args = _select(conn, f"{column} AS sort_value")
    args = [*select_args, *args]
    sql = f"{select}{where} ORDER BY {dialect.of(conn).order(column, descending)}, m.id {order} LIMIT ?"
    rows = conn.execute(sql, [*args, limit]).fetchall()
    cursor = Cursor(rows[-1]["sort_value"], rows[-1]["id"]) if rows else after
    return _mentions(rows), cursor


def query(conn: sqlite3.Connection, flt: Filter = Filter(), *, sort: str = "when", descending: bool = True,
          limit: int = 200, offset: int = 0) -> list[StoredMention]:
    """`limit` rows from `offset` (the CLI's list; the inbox and export page with `window`). 0: no limit."""
    where, args = _where(conn, flt)
    column = SORT_COLUMNS.get(sort, SORT_COLUMNS["when"])
    order = "DESC" if descending else "ASC"
    select, select_args = _select(conn)
    args = [*select_args, *args]
    sql = f"{select}{where} ORDER BY {dialect.of(conn).order(column, descending)}, m.id {order} LIMIT ? OFFSET ?"
    return _mentions(conn.execute(sql, [*args, limit if limit > 0 else dialect.of(conn).no_limit, offset]).fetchall())


def count(conn: sqlite3.Connection, flt: Filter = Filter()) -> int:
    where, args = _where(conn, flt)
    # No join: every mention has a source (a foreign key), and the filter never reads the source row.
    sql = "SELECT count(*) FROM mentions m" + where
    return conn.execute(sql, args).fetchone()[0]


def get(conn: sqlite3.Connection, mention_id: int) -> StoredMention | None:
    select, args = _select(conn)
    row = conn.execute(f"{select} WHERE m.id = ?", (*args, mention_id)).fetchone()
    return _mention(row) if row else None


def find_site_review(conn: sqlite3.Connection, site: str, external_id: str) -> tuple[int, str] | None:
    """(id, label) of feedback already stored from `site` under the site's own review id, from any source."""
    row = conn.execute("SELECT id, label FROM mentions WHERE site = ? AND external_id = ? ORDER BY id LIMIT 1",
                       (site, external_id)).fetchone()
    return (row["id"], row["label"]) if row else None


def set_read(conn: sqlite3.Connection, mention_ids: list[int], read: bool, at: datetime) -> None:
    """Mark feedback read or unread; reading a mention also marks its alert seen (it stays seen)."""
    with transaction(conn):
        team.mark_read(conn, mention_ids, read, to_text(at))
        if read:
            team.mark_seen(conn, mention_ids, to_text(at))


def link(conn: sqlite3.Connection, mention_id: int, client: int | None, project: int | None) -> None:
    """Link feedback to a client (and project) by hand; a project implies its client."""
    with transaction(conn):
        if project is not None:
            owner = conn.execute("SELECT client FROM projects WHERE id = ?", (project,)).fetchone()
            if owner is None:
                raise ValueError(f"no project with id {project}")
            client = owner[0]
        conn.execute("UPDATE mentions SET client = ?, project = ? WHERE id = ?", (client, project, mention_id))


def _day(value: str | date | None) -> date | None:
    """A project's stored date (ISO text; a date where the backend has the type)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value) if value else None


def _mention(row: sqlite3.Row) -> StoredMention:
    return _mentions([row])[0]


# The columns every inbox row has, and those some queries leave out (StoredMention's defaults then).
_COLUMNS = ("id", "source", "site", "author", "url", "title", "text", "language", "posted_at", "rating", "fetched_at",
            "compound", "label", "reasons_json", "client", "project", "read_at", "external_id")
_OPTIONAL = ("client_name", "project_title", "project_delivered", "source_name", "alerted", "matched", "revision",
             "edited_at", "removed_at", "site_reply", "assigned_to")
_TIMES = ("posted_at", "fetched_at", "read_at", "edited_at", "removed_at")


def _mentions(rows: list[sqlite3.Row]) -> list[StoredMention]:
    """Rows of one query as StoredMentions. The columns are looked up once for all rows, not by name in each:
    scrolling the inbox through 100,000 mentions builds every one of them."""
    if not rows:
        return []
    at: dict[str, int] = {}
    for i, name in enumerate(rows[0].keys()):
        at.setdefault(name.lower(), i)  # the first of two same-named columns, as a name lookup gives
    if "my_read_at" in at:
        at["read_at"] = at["my_read_at"]  # team mode: this user's read state, not the row's
    plan = [(name, at[name]) for name in _COLUMNS] + [(name, at[name]) for name in _OPTIONAL if name in at]
    times = [name for name in _TIMES if name in at]
    moments: dict[str | None, datetime | None] = {}  # a page of reviews shares its fetched_at, a poll its read_at
    out = []
    for row in rows:
        values = {name: row[i] for name, i in plan}
        for name in times:
            text = values[name]
            if text not in moments:
                moments[text] = from_text(text)
            values[name] = moments[text]
        values["reasons_json"] = values["reasons_json"] or "[]"
        if "alerted" in values:
            values["alerted"] = bool(values["alerted"])
        if "project_delivered" in values:
            values["project_delivered"] = _day(values["project_delivered"])
        out.append(StoredMention(**values))
    return out


def known_keys(conn: sqlite3.Connection, source_id: int, keys: list[str]) -> dict[str, tuple[int, str]]:
    """Which of these dedupe keys the source already has: key -> (mention id, label), one query per 500."""
    found: dict[str, tuple[int, str]] = {}
    unique = list(dict.fromkeys(keys))
    for chunk in (unique[i:i + 500] for i in range(0, len(unique), 500)):
        rows = conn.execute(f"SELECT dedupe_key, id, label FROM mentions WHERE source = ? AND dedupe_key IN"
                            f" ({','.join('?' * len(chunk))})", (source_id, *chunk))
        found.update((r["dedupe_key"], (r["id"], r["label"])) for r in rows)
    return found


@dataclass(frozen=True)
class NewMention:
    """A new, scored mention as ingest stores it (ingest decides what is new)."""

    dedupe_key: str
    external_id: str | None
    site: str
    author: str
    url: str
    title: str
    text: str
    language: str | None
    posted_at: datetime | None
    rating: float | None
    fetched_at: datetime
    compound: float
    label: str
    reasons_json: str
    client: int | None
    project: int | None
    matched: str


_NEW_COLUMNS = ("source", "dedupe_key", "external_id", "site", "author", "url", "title", "text", "language",
                "posted_at", "rating", "fetched_at", "compound", "label", "reasons_json", "client", "project", "matched")


def insert_many(conn: sqlite3.Connection, source: int, rows: Sequence[NewMention]) -> list[int]:
    """Store new mentions of one source in one statement (its triggers fire once on PostgreSQL); their ids, in
    order. Their dedupe keys are distinct (ingest stores a key met twice before looking it up again)."""
    values = ", ".join(f"({', '.join('?' * len(_NEW_COLUMNS))})" for _ in rows)
    params: list[object] = []
    for r in rows:
        params += [source, r.dedupe_key, r.external_id, r.site, r.author, r.url, r.title, r.text, r.language,
                   to_text(r.posted_at), r.rating, to_text(r.fetched_at), r.compound, r.label, r.reasons_json,
                   r.client, r.project, r.matched]
    ids = dict(conn.execute(f"INSERT INTO mentions ({', '.join(_NEW_COLUMNS)}) VALUES {values}"
                            " RETURNING dedupe_key, id", params).fetchall())  # RETURNING's order is not promised
    return [ids[r.dedupe_key] for r in rows]


def insert(conn: sqlite3.Connection, *, source: int, **fields: object) -> int:
    """Store one new, scored mention (ingest decides what is new; `fields`: NewMention's); returns its id."""
    return insert_many(conn, source, [NewMention(**fields)])[0]  # type: ignore[arg-type]
