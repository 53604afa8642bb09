"""Everything the dashboard and the report show for a range: the SQL aggregates and the outcome figures.

The outcomes (median time to answer, how many answered negatives recovered) come from desktop.records.outcomes,
for the reviews that alerted within the range.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from desktop.records import outcomes
from desktop.records.outcomes import Figures
from desktop.store import dashboard
from desktop.store.dashboard import Query, Trends


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
    found = [o for o in outcomes.outcomes(conn, query.since)
             if (query.until is None or o.review.alerted_at < query.until)
             and (query.client is None or o.review.client == query.client)]
    return Dashboard(query, dashboard.trends(conn, query, worst=worst), outcomes.figures(found, now))
