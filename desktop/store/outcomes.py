"""What the outcome figures read: negative reviews that raised an alert, with their reply and later life.

What became of a reply (recovered, won back) is decided here, in SQL, once: the inbox's Reply column reads it
per review, and the figures (how many answered, recovered, removed...; the median time to answer) add it up
in the store, never in a Python loop over every alerted review.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from desktop.store import dialect
from desktop.store.clock import from_text, to_text
from desktop.store.dashboard import Query
from desktop.store.mentions import ANSWERED_AT, ANSWERED_IDS


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
    recovered: bool = False  # see _RECOVERED
    won_back: bool = False  # see _WON_BACK


# One row per alerted review `m` (alerts.mention is unique: one alert per review, moved to the revision that
# re-raised it): its alert, its reply, and its rating when it alerted (its first negative version's).
_SOURCE_NAME = "coalesce(nullif(s.label, ''), s.kind)"
_REVIEWS = f"""
SELECT m.id, {_SOURCE_NAME} AS source, m.client, m.rating, m.label, m.edited_at,
       m.removed_at, {ANSWERED_AT} AS answered_at, m.source AS source_id, a.raised_at AS alerted_at,
       coalesce((SELECT r.rating FROM revisions r WHERE r.mention = m.id AND r.label = 'negative'
                 ORDER BY r.n LIMIT 1), m.rating) AS rating_at_alert
FROM alerts a JOIN mentions m ON m.id = a.mention JOIN sources s ON s.id = m.source
"""
# Over a row `r` of _REVIEWS. Recovered: edited after the reply (stored times have whole seconds, so an edit read
# in the reply's second counts as after it) to a higher rating, or to words no longer negative.
_RECOVERED = ("(r.answered_at IS NOT NULL AND r.edited_at >= r.answered_at"
              " AND (r.label <> 'negative' OR r.rating > r.rating_at_alert))")
# Won back: the client started a project on a later day than the alert (in the records).
_WON_BACK = ("(r.answered_at IS NOT NULL AND EXISTS (SELECT 1 FROM projects p WHERE p.client = r.client"
             " AND substr(p.started, 1, 10) > substr(r.alerted_at, 1, 10)))")
_ANSWERS = ("(SELECT v.answers_json FROM drafts d JOIN draft_versions v ON v.draft = d.id"
            " WHERE d.mention = r.id AND d.posted_at IS NOT NULL ORDER BY d.id DESC, v.n DESC LIMIT 1)")
_OUTCOMES = f"""
SELECT r.*, CASE WHEN {_RECOVERED} THEN 1 ELSE 0 END AS recovered, CASE WHEN {_WON_BACK} THEN 1 ELSE 0 END AS won_back,
       {_ANSWERS} AS answers_json
FROM ({_REVIEWS} WHERE {{where}}) AS r
"""


def alerted_reviews(conn: sqlite3.Connection, since: datetime | None = None) -> list[AlertedReview]:
    """Every review that alerted (at or after `since`), oldest alert first."""
    rows = conn.execute(_OUTCOMES.format(where="a.raised_at >= ?") + " ORDER BY r.alerted_at, r.id",
                        (to_text(since) if since else "",)).fetchall()
    return [_review(r) for r in rows]


def alerted_among(conn: sqlite3.Connection, mention_ids: list[int], *,
                  answered_only: bool = False) -> list[AlertedReview]:
    """Those of these mentions that alerted (the inbox's loaded rows), in one query per 500; `answered_only`:
    only those with a reply (the inbox's Reply column, which says nothing more of the others)."""
    found: list[AlertedReview] = []
    answered = f" AND m.id IN {ANSWERED_IDS}" if answered_only else ""
    for i in range(0, len(mention_ids), 500):
        chunk = mention_ids[i:i + 500]
        where = f"m.id IN ({','.join('?' * len(chunk))}){answered}"
        found.extend(_review(r) for r in conn.execute(_OUTCOMES.format(where=where), chunk).fetchall())
    return found


def _review(r: sqlite3.Row) -> AlertedReview:
    return AlertedReview(r["id"], r["source"], r["client"], r["rating_at_alert"],
                         from_text(r["alerted_at"]), r["rating"], r["label"],  # type: ignore[arg-type]
                         from_text(r["edited_at"]), from_text(r["removed_at"]), from_text(r["answered_at"]),
                         r["answers_json"], r["source_id"], bool(r["recovered"]), bool(r["won_back"]))


@dataclass(frozen=True)
class Counts:
    """The outcome figures of a group of alerted reviews (a source, or all of them)."""

    negatives: int
    answered: int
    median_hours_to_answer: float | None
    recovered: int
    removed: int
    won_back: int
    unchanged: int


@dataclass(frozen=True)
class Tally(Counts):
    """The figures as the store adds them up, with the posted draft's answers (its offers) of each recovered
    review."""

    recovered_answers: tuple[str, ...] = ()


def _alerted_where(query: Query) -> tuple[str, list[object]]:
    """The alerted reviews a dashboard query counts: alerted (not posted) in its range, of its source and client."""
    clauses, params = ["1 = 1"], []
    for clause, value in (("a.raised_at >= ?", to_text(query.since)), ("a.raised_at < ?", to_text(query.until)),
                          ("m.source = ?", query.source), ("m.client = ?", query.client)):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return " AND ".join(clauses), params


def tally(conn: sqlite3.Connection, query: Query, unchanged_before: datetime, *,
          per_source: bool = False) -> dict[str, Tally]:
    """The figures of the reviews that alerted in `query`'s range (and source and client), keyed by source name (`per_source`) or "" for all of them.
    A reply answered before `unchanged_before` that neither removed, recovered nor won back counts as unchanged.

    The alerted reviews are only counted (the alerts and an index); the answered ones, a few, are read from
    ANSWERED_IDS with their outcome, and the median is the middle row (or the mean of the two middle rows) of
    the answered ordered by hours, by window functions (SQLite and PostgreSQL alike)."""
    where, params = _alerted_where(query)
    group = "r.source" if per_source else "''"
    # Counting the alerts reads their mentions (64,000 in a big store) only when a filter or the grouping needs them.
    joins = (" JOIN mentions m ON m.id = a.mention" if per_source or query.source or query.client else "") + (
        " JOIN sources s ON s.id = m.source" if per_source else "")
    counted = conn.execute(f"SELECT {_SOURCE_NAME if per_source else group}, count(*) FROM alerts a{joins}"
                           f" WHERE {where} GROUP BY 1", params).fetchall()
    hours = dialect.of(conn).hours_between("r.alerted_at", "r.answered_at")
    answered = _OUTCOMES.format(where=f"{where} AND m.id IN {ANSWERED_IDS}")
    rows = conn.execute(
        f"WITH answered AS (SELECT {group} AS grp, {hours} AS hours, r.recovered, r.won_back, r.answers_json,"
        f"  CASE WHEN r.removed_at IS NOT NULL THEN 1 ELSE 0 END AS removed, CASE WHEN r.removed_at IS NULL"
        f"  AND r.recovered = 0 AND r.won_back = 0 AND r.answered_at <= ? THEN 1 ELSE 0 END AS unchanged"
        f"  FROM ({answered}) AS r WHERE r.answered_at IS NOT NULL),"
        " ranked AS (SELECT grp, hours, row_number() OVER (PARTITION BY grp ORDER BY hours) AS k,"
        "  count(*) OVER (PARTITION BY grp) AS n FROM answered),"
        " medians AS (SELECT grp, avg(hours) AS hours FROM ranked WHERE k IN ((n + 1) / 2, (n + 2) / 2) GROUP BY grp)"
        " SELECT a.grp, count(*), (SELECT md.hours FROM medians md WHERE md.grp = a.grp), sum(a.recovered),"
        " sum(a.removed), sum(a.won_back), sum(a.unchanged) FROM answered a GROUP BY a.grp",
        [to_text(unchanged_before), *params]).fetchall()
    offers = conn.execute(f"SELECT {group}, r.answers_json FROM ({answered}) AS r"
                          " WHERE r.recovered = 1 AND r.answers_json IS NOT NULL", params).fetchall()
    found = {r[0]: r for r in rows}
    out: dict[str, Tally] = {}
    for name, negatives in counted:
        row = found.get(name)
        out[name] = Tally(negatives, *(row[1:] if row else (0, None, 0, 0, 0, 0)),  # type: ignore[arg-type]
                          recovered_answers=tuple(a for g, a in offers if g == name))
    return out
