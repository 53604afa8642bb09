"""The dashboard's figures, aggregated in SQL: a page over 100,000 mentions must build in milliseconds.

A mention's moment is when it was posted, else when it was read (`coalesce(posted_at, fetched_at)`), as in
the inbox. Weeks run Monday to Sunday in UTC: stored times are UTC, and a week's key is the date of its
Monday, so the same store gives the same weeks wherever it is opened.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime

from desktop.store import dialect
from desktop.store.mentions import ANSWERED, WHEN, period_clauses

NEGATIVE = "CASE WHEN m.label = 'negative' THEN 1 ELSE 0 END"  # summed: a count both backends can add up


@dataclass(frozen=True)
class Query:
    """Which mentions the dashboard counts: a half-open range [since, until) and optional filters."""

    since: datetime | None = None
    until: datetime | None = None
    source: int | None = None
    client: int | None = None

    def where(self) -> tuple[str, list[object]]:
        clauses, params = period_clauses(self.since, self.until)
        clauses.insert(0, "1 = 1")
        if self.source is not None:
            clauses.append("m.source = ?")
            params.append(self.source)
        if self.client is not None:
            clauses.append("m.client = ?")
            params.append(self.client)
        return " AND ".join(clauses), params


@dataclass(frozen=True)
class Week:
    start: date  # the week's Monday (UTC)
    mentions: int
    mean_score: float
    negatives: int
    mean_rating: float | None
    rated: int


@dataclass(frozen=True)
class Headline:
    mentions: int
    negatives: int
    mean_rating: float | None
    rated: int
    unanswered_negatives: int

    @property
    def share_negative(self) -> float | None:
        return self.negatives / self.mentions if self.mentions else None


@dataclass(frozen=True)
class Share:
    """One bar of a breakdown: a source or a client, with its mentions and negatives."""

    id: int | None
    name: str
    mentions: int
    negatives: int


@dataclass(frozen=True)
class Unanswered:
    """An alerted negative with no reply yet, for the report's worst-first list."""

    id: int
    when: str
    source: str
    author: str
    rating: float | None
    compound: float
    text: str


@dataclass(frozen=True)
class Trends:
    headline: Headline
    weeks: list[Week]
    ratings: dict[int, int]  # stars 1-5 (rounded) -> mentions
    by_source: list[Share]
    by_client: list[Share]
    unanswered: list[Unanswered] = field(default_factory=list)
    any_stored: bool = True  # the store holds feedback, in this range or not (an empty range says "pick another")

    @property
    def empty(self) -> bool:
        return self.headline.mentions == 0


def trends(conn: sqlite3.Connection, query: Query, *, worst: int = 10) -> Trends:
    """Every figure the dashboard and the report show, for the mentions `query` selects."""
    return Trends(headline(conn, query), weeks(conn, query), ratings(conn, query), by_source(conn, query),
                  by_client(conn, query), unanswered(conn, query, limit=worst), any_stored(conn))


def any_stored(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM mentions)").fetchone()[0] == 1


def headline(conn: sqlite3.Connection, query: Query) -> Headline:
    where, params = query.where()
    row = conn.execute(
        f"SELECT count(*), coalesce(sum({NEGATIVE}), 0), avg(m.rating), count(m.rating),"
        f" coalesce(sum(CASE WHEN a.id IS NOT NULL AND m.label = 'negative' AND NOT {ANSWERED} THEN 1 ELSE 0 END),"
        " 0)"
        f" FROM mentions m LEFT JOIN alerts a ON a.mention = m.id WHERE {where}", params).fetchone()
    return Headline(row[0], row[1], row[2], row[3], row[4])


def weeks(conn: sqlite3.Connection, query: Query) -> list[Week]:
    """One row per week that has mentions, oldest first (weeks without any are left out, not zero)."""
    where, params = query.where()
    rows = conn.execute(
        f"SELECT {dialect.of(conn).week(WHEN)} AS week, count(*), avg(m.compound), sum({NEGATIVE}), avg(m.rating),"
        f" count(m.rating) FROM mentions m WHERE {where} GROUP BY week ORDER BY week", params).fetchall()
    return [Week(date.fromisoformat(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows]


def ratings(conn: sqlite3.Connection, query: Query) -> dict[int, int]:
    """Mentions by star rating 1-5 (half stars rounded up), every star present even at zero."""
    where, params = query.where()
    found = dict(conn.execute(
        f"SELECT CAST(round(CAST(m.rating AS NUMERIC)) AS INTEGER) AS stars, count(*) FROM mentions m"
        f" WHERE {where} AND m.rating IS NOT NULL GROUP BY stars", params).fetchall())
    return {stars: found.get(stars, 0) for stars in range(1, 6)}


def by_source(conn: sqlite3.Connection, query: Query) -> list[Share]:
    where, params = query.where()
    rows = conn.execute(
        f"SELECT s.id, coalesce(nullif(s.label, ''), s.kind), count(*), sum({NEGATIVE})"
        f" FROM mentions m JOIN sources s ON s.id = m.source WHERE {where}"
        " GROUP BY s.id ORDER BY count(*) DESC, s.id", params).fetchall()
    return [Share(*r) for r in rows]


def by_client(conn: sqlite3.Connection, query: Query) -> list[Share]:
    """Mentions by client; those linked to no client are one bar, named "No client"."""
    where, params = query.where()
    rows = conn.execute(
        f"SELECT c.id, coalesce(c.name, 'No client'), count(*), sum({NEGATIVE})"
        f" FROM mentions m LEFT JOIN clients c ON c.id = m.client WHERE {where}"
        " GROUP BY c.id ORDER BY count(*) DESC, c.id", params).fetchall()
    return [Share(*r) for r in rows]


def unanswered(conn: sqlite3.Connection, query: Query, *, limit: int = 10) -> list[Unanswered]:
    """The alerted negatives still without a reply, worst score first."""
    where, params = query.where()
    rows = conn.execute(
        f"SELECT m.id, {WHEN}, coalesce(nullif(s.label, ''), s.kind), m.author, m.rating, m.compound,"
        " coalesce(nullif(m.title, ''), m.text)"
        " FROM mentions m JOIN alerts a ON a.mention = m.id JOIN sources s ON s.id = m.source"
        f" WHERE {where} AND m.label = 'negative' AND NOT {ANSWERED}"
        " ORDER BY m.compound, m.id LIMIT ?", [*params, limit]).fetchall()
    return [Unanswered(*r) for r in rows]
