"""The dashboard's figures, aggregated in SQL: a page over 100,000 mentions must build in milliseconds.

A mention's moment is when it was posted, else when it was read (`coalesce(posted_at, fetched_at)`), as in
the inbox. Weeks run Monday to Sunday in UTC: stored times are UTC, and a week's key is the date of its
Monday, so the same store gives the same weeks wherever it is opened.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any
from dataclasses import dataclass, field, replace
import logging
import weakref
from datetime import date, datetime, time, timedelta, timezone

from desktop.store import dialect
from desktop.store.mentions import ANSWERED, ANSWERED_IDS, WHEN, period_clauses

log = logging.getLogger(__name__)

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
    """Every figure the dashboard and the report show, for the mentions `query` selects; `worst`: how many of
    the worst unanswered negatives to list (the report's; the page shows none, so it asks for 0)."""
    kept = _sums_whole(conn)  # asked once for the four figures that read the kept sums
    tally = weekly(conn, query, kept=kept)
    return Trends(tally.headline(unanswered_count(conn, query, kept=kept)), tally.weeks, tally.ratings,
                  by_source(conn, query, kept=kept), by_client(conn, query, kept=kept),
                  unanswered(conn, query, limit=worst) if worst else [], any_stored(conn))


def any_stored(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM mentions)").fetchone()[0] == 1


@dataclass(frozen=True)
class WeekSums:
    """One week's sums as the store adds them up (means are taken from these, never averaged again)."""

    start: date
    mentions: int
    compound: float
    negatives: int
    rating: float
    rated: int
    stars: tuple[int, int, int, int, int]  # mentions with 1-5 stars

    def week(self) -> Week:
        return Week(self.start, self.mentions, self.compound / self.mentions, self.negatives,
                    self.rating / self.rated if self.rated else None, self.rated)


@dataclass(frozen=True)
class Tally:
    """The range's weeks, each summed in one pass over the mentions; the headline and the stars add them up."""

    sums: list[WeekSums]

    @property
    def weeks(self) -> list[Week]:
        return [w.week() for w in self.sums]

    @property
    def ratings(self) -> dict[int, int]:
        return {stars: sum(w.stars[stars - 1] for w in self.sums) for stars in range(1, 6)}

    def headline(self, unanswered_negatives: int) -> Headline:
        rated = sum(w.rated for w in self.sums)
        return Headline(sum(w.mentions for w in self.sums), sum(w.negatives for w in self.sums),
                        sum(w.rating for w in self.sums) / rated if rated else None, rated, unanswered_negatives)


# A star rating as the inbox's Filter.stars counts it: rounded half up, so 2.5 is 3 stars.
_STARS = ", ".join(f"sum(CASE WHEN m.rating >= {s - 0.5} AND m.rating < {s + 0.5} THEN 1 ELSE 0 END)"
                   for s in range(1, 6))
# What a group of mentions `m` adds up to, in the order of mention_days' columns (_DAY_COLUMNS).
_SUMS = f"count(*), sum(m.compound), sum({NEGATIVE}), coalesce(sum(m.rating), 0), count(m.rating), {_STARS}"
_DAY_COLUMNS = ("mentions", "compound", "negatives", "rating", "rated", "star1", "star2", "star3", "star4", "star5")


def weekly(conn: sqlite3.Connection, query: Query, *, kept: bool | None = None) -> Tally:
    """Each week's sums (weeks without mentions are left out), oldest first: from the day sums the store keeps
    when no source or client narrows them, else from the mentions. `kept`: whether the kept sums are whole
    (None: ask)."""
    if query.source is None and query.client is None and _sums_whole(conn, kept):
        days = _whole_days(query)
        if days is not None:
            return _weekly_from_days(conn, query, *days)
    return _weekly_from_mentions(conn, query)


# Connections whose kept sums were found whole: a store's tables and triggers change only when it is migrated, on
# connecting, so one check a connection is enough (counting 100,000 mentions cost a PostgreSQL dashboard 25 ms a
# build under load; SQLite counts them in a millisecond).
_found_whole: weakref.WeakSet[Any] = weakref.WeakSet()


def _sums_whole(conn: sqlite3.Connection, known: bool | None = None) -> bool:
    """Whether the kept sums (desktop/store/kept_sums.py) hold every mention (a later migration that rebuilt a
    table without its triggers would leave them behind): then they are trusted, else the mentions are read.
    `known`: the answer when a caller already asked (None: ask)."""
    if known is not None:
        return known
    if conn in _found_whole:
        return True
    days, months, stored = conn.execute(
        "SELECT (SELECT coalesce(sum(mentions), 0) FROM mention_days), (SELECT coalesce(sum(mentions), 0)"
        " FROM mention_months), (SELECT count(*) FROM mentions)").fetchone()
    if days == stored == months:
        _found_whole.add(conn)
        return True
    log.warning("the dashboard's day sums hold %d mentions and its month sums %d, of %d: reading the mentions"
                " instead", days, months, stored)
    return False


def _whole_days(query: Query) -> tuple[date | None, date | None] | None:
    """The whole UTC days of the range, [first, end): None for no bound; None when it holds no whole day."""
    return _whole(query, lambda d: d, lambda d: d + timedelta(days=1))


def _whole_months(query: Query) -> tuple[date | None, date | None] | None:
    """The whole UTC months of the range, [first, end) as their first days; None when it holds no whole month."""
    def next_month(d: date) -> date:
        return date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return _whole(query, lambda d: d.replace(day=1), next_month)


def _whole(query: Query, start_of: Callable[[date], date], after: Callable[[date], date]
           ) -> tuple[date | None, date | None] | None:
    first = end = None
    if query.since is not None:
        since = query.since.astimezone(timezone.utc)
        start = start_of(since.date())
        first = start if since == _midnight(start) else after(start)
    if query.until is not None:
        end = start_of(query.until.astimezone(timezone.utc).date())
    if first is not None and end is not None and first >= end:
        return None
    return first, end


def _cuts(query: Query, first: date | None, end: date | None) -> list[Query]:
    """The parts of the range outside its whole days or months [first, end), read from the mentions."""
    cuts = []
    if query.since is not None and first is not None and query.since < _midnight(first):
        cuts.append(replace(query, until=_midnight(first)))
    if query.until is not None and end is not None and _midnight(end) < query.until:
        cuts.append(replace(query, since=_midnight(end)))
    return cuts


def _bounds(column: str, first: date | None, end: date | None, text: Callable[[date], str]) -> tuple[str, list[object]]:
    clauses = [f"{column} >= ?"] if first else []
    clauses += [f"{column} < ?"] if end else []
    return "".join(f" AND {c}" for c in clauses), [text(d) for d in (first, end) if d is not None]


def _weekly_from_days(conn: sqlite3.Connection, query: Query, first: date | None, end: date | None) -> Tally:
    """The whole days from mention_days; the range's cut days at either end (since 14:05, until 09:00) from
    the mentions in them."""
    bounds, params = _bounds("day", first, end, date.isoformat)
    parts = [f"SELECT day, {', '.join(_DAY_COLUMNS)} FROM mention_days WHERE mentions > 0{bounds}"]
    for cut_day in _cuts(query, first, end):
        where, cut = cut_day.where()
        parts.append(f"SELECT substr({WHEN}, 1, 10), {_SUMS} FROM mentions m WHERE {where} GROUP BY 1")
        params += cut
    sql = dialect.of(conn)
    sums = ", ".join(f"{sql.sum_as(c, float_=c in ('compound', 'rating'))}" for c in _DAY_COLUMNS)
    rows = conn.execute(f"SELECT {sql.week_of_day('day')} AS week, {sums}"
                        f" FROM ({' UNION ALL '.join(parts)}) AS days GROUP BY week ORDER BY week", params).fetchall()
    return _tally(rows)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), timezone.utc)


def _weekly_from_mentions(conn: sqlite3.Connection, query: Query) -> Tally:
    """Each week's sums from the mentions.

    A calendar of the range's Mondays joined to the mentions of each week: every week is a range of the
    mentions_posted index (or the source's or client's), read without the rows. Grouping by a week computed
    from each mention instead would sort all 100,000 first.
    """
    where, params = query.where()
    sql = dialect.of(conn)
    rows = conn.execute(
        f"WITH RECURSIVE bounds(first, last) AS ("
        f" SELECT (SELECT min({WHEN}) FROM mentions m WHERE {where}), (SELECT max({WHEN}) FROM mentions m WHERE {where})),"
        f" calendar(start) AS (SELECT {sql.week('first')} FROM bounds WHERE first IS NOT NULL"
        f"  UNION ALL SELECT {sql.next_week('c.start')} FROM calendar c, bounds b"
        f"  WHERE {sql.next_week('c.start')} <= b.last)"
        f" SELECT c.start, {_SUMS} FROM calendar c JOIN mentions m ON {WHEN} >= c.start"
        f" AND {WHEN} < {sql.next_week('c.start')} WHERE {where} GROUP BY c.start ORDER BY c.start",
        [*params, *params, *params]).fetchall()
    return _tally(rows)


def _tally(rows: list[sqlite3.Row]) -> Tally:
    """Rows of (week's Monday, then the _DAY_COLUMNS sums) as a Tally."""
    return Tally([WeekSums(date.fromisoformat(r[0]), r[1], r[2], r[3], r[4], r[5], tuple(r[6:11]))  # type: ignore[arg-type]
                  for r in rows])


def headline(conn: sqlite3.Connection, query: Query) -> Headline:
    return weekly(conn, query).headline(unanswered_count(conn, query))


def weeks(conn: sqlite3.Connection, query: Query) -> list[Week]:
    """One row per week that has mentions, oldest first (weeks without any are left out, not zero)."""
    return weekly(conn, query).weeks


def ratings(conn: sqlite3.Connection, query: Query) -> dict[int, int]:
    """Mentions by star rating 1-5 (half stars rounded up), every star present even at zero."""
    return weekly(conn, query).ratings


def _months(conn: sqlite3.Connection, query: Query, kept: bool | None) -> tuple[str, list[object], list[Query]] | None:
    """Where the range's whole months are read from mention_months (a WHERE clause over it and its parameters,
    the source or client filter included) and the cut parts at either end, which come from the mentions; None
    when the sums cannot serve this range (no whole month in it, or sums that lost track)."""
    months = _whole_months(query)
    if months is None or not _sums_whole(conn, kept):
        return None
    where, params = _bounds("k.month", *months, lambda d: d.isoformat()[:7])
    for column, value in (("source", query.source), ("client", query.client)):
        if value is not None:
            where += f" AND k.{column} = ?"
            params.append(value)
    return "1 = 1" + where, params, _cuts(query, *months)


def unanswered_count(conn: sqlite3.Connection, query: Query, *, kept: bool | None = None) -> int:
    """Alerted negatives without a reply: all the alerted negatives (kept per month, source and client, else
    counted from an index and the alerts' key) less the answered ones among them (a few, found from
    ANSWERED_IDS), rather than testing each for a reply."""
    where, params = query.where()
    negative = f"m.label = 'negative' AND {where}"
    answered = (f"(SELECT count(*) FROM {ANSWERED_IDS} AS answered JOIN mentions m ON m.id = answered.id"
                f" JOIN alerts a ON a.mention = m.id WHERE {negative} AND {ANSWERED})")
    alerted = "(SELECT count(*) FROM mentions m JOIN alerts a ON a.mention = m.id WHERE m.label = 'negative' AND {})"
    whole_months = _months(conn, query, kept)
    if whole_months is None:
        return conn.execute(f"SELECT {alerted.format(where)} - {answered}", [*params, *params]).fetchone()[0]
    months, month_params, cuts = whole_months
    parts = [f"(SELECT coalesce(sum(k.alerted_negatives), 0) FROM mention_months k WHERE {months})"]
    cut_params: list[object] = []
    for cut in cuts:
        cut_where, more = cut.where()
        parts.append(alerted.format(cut_where))
        cut_params += more
    row = conn.execute(f"SELECT {' + '.join(parts)} - {answered}", [*month_params, *cut_params, *params]).fetchone()
    return int(row[0])


def _shares(conn: sqlite3.Connection, query: Query, column: str, names: str, kept: bool | None) -> list[Share]:
    """Mentions and negatives per `column` (source or client; a mention of no client counts as client 0), biggest
    first, named from `names` (a SELECT of id and name): the whole months from mention_months, the cut parts and
    a range without whole months from the mentions' indexes."""
    whole_months = _months(conn, query, kept)
    parts: list[str] = []
    params: list[object] = []
    if whole_months is not None:
        months, params, cuts = whole_months
        parts.append(f"SELECT k.{column} AS id, k.mentions AS n, k.negatives AS neg FROM mention_months k WHERE {months}")
    else:
        cuts = [query]
    for cut in cuts:
        where, more = cut.where()
        parts.append(f"SELECT coalesce(m.{column}, 0) AS id, count(*) AS n, sum({NEGATIVE}) AS neg FROM mentions m"
                     f" WHERE {where}"
                     f" GROUP BY 1")
        params += more
    sql = dialect.of(conn)
    rows = conn.execute(
        f"SELECT nullif(x.id, 0), coalesce(named.name, 'No client'), {sql.sum_as('x.n')}, {sql.sum_as('x.neg')}"
        f" FROM ({' UNION ALL '.join(parts)}) AS x LEFT JOIN ({names}) AS named ON named.id = x.id"
        f" GROUP BY x.id, named.name HAVING sum(x.n) > 0 ORDER BY 3 DESC, {sql.order('1', False)}", params).fetchall()
    return [Share(*r) for r in rows]


def by_source(conn: sqlite3.Connection, query: Query, *, kept: bool | None = None) -> list[Share]:
    """Mentions by source, biggest first."""
    return _shares(conn, query, "source", "SELECT id, coalesce(nullif(label, ''), kind) AS name FROM sources", kept)


def by_client(conn: sqlite3.Connection, query: Query, *, kept: bool | None = None) -> list[Share]:
    """Mentions by client, biggest first; those linked to no client are one bar, named "No client"."""
    return _shares(conn, query, "client", "SELECT id, name FROM clients", kept)


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
