"""Everything the dashboard and the report show for a range: the SQL aggregates and the outcome figures, and
which mentions each figure counts (clicking a bar opens exactly those in the inbox).

The outcomes (median time to answer, how many answered negatives recovered) come from desktop.records.outcomes
(added up in the store), for the reviews that alerted within the range.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from desktop.records import outcomes
from desktop.records.outcomes import Figures
from desktop.store import dashboard
from desktop.store.dashboard import Query, Trends
from desktop.store.mentions import Filter


@dataclass(frozen=True)
class Dashboard:
    query: Query
    trends: Trends
    outcomes: Figures

    @property
    def recovery_rate(self) -> float | None:
        """Answered negatives that recovered (edited up, or no longer negative), of those answered."""
        answered = self.outcomes.answered
        return self.outcomes.recovered / answered if answered else None


def build(conn: sqlite3.Connection, query: Query, now: datetime, *, worst: int = 10) -> Dashboard:
    """The figures of `query`'s range and filters; `worst`: how many of the worst unanswered negatives to list
    (the report's table; the page lists none)."""
    return Dashboard(query, dashboard.trends(conn, query, worst=worst), outcomes.figures(conn, query, now))


# -- what a figure counts, as the inbox's filter ---------------------------------------------------
def in_range(query: Query, **narrower: object) -> Filter:
    """The inbox filter for the mentions `query` counts, narrowed further (label="negative", stars=2...)."""
    return _filter(query, query.since, query.until, narrower)


def in_week(query: Query, monday: date, **narrower: object) -> Filter:
    """The mentions one week's bar or point counts: that Monday-to-Sunday UTC week, within the range."""
    start = datetime.combine(monday, time(), timezone.utc)
    end = start + timedelta(days=7)
    since = start if query.since is None else max(start, query.since)
    until = end if query.until is None else min(end, query.until)
    return _filter(query, since, until, narrower)


def _filter(query: Query, since: datetime | None, until: datetime | None, narrower: dict[str, object]) -> Filter:
    fields: dict[str, object] = {"since": since, "until": until, "source": query.source, "client": query.client}
    fields.update(narrower)
    return Filter(**fields)  # type: ignore[arg-type]


def in_share(query: Query, kind: str, share: dashboard.Share, *, negative: bool = False) -> Filter:
    """The mentions a source's or a client's bar counts (`kind` "source" or "client"; a client of None is
    the "No client" bar)."""
    label = "negative" if negative else None
    if kind == "source":
        return in_range(query, source=share.id, label=label)
    if share.id is None:
        return in_range(query, unlinked=True, label=label)
    return in_range(query, client=share.id, label=label)
