"""A realistic failed project in a test store: client, project, another client, and the client's 1-star review."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone

from desktop.records.ingest import MANUAL_SOURCE_ID, Manual, ingest
from desktop.store import clients, projects
from scrapers.base import Mention

REVIEW = ("Delivered 11 days late and the checkout still broke on mobile Safari. We lost a weekend of sales. "
          "Communication was poor: I had to chase every update. Would not hire again.")


def seed(conn: sqlite3.Connection, *, text: str = REVIEW, email: str | None = "dana@whitfield-studio.co.uk",
         with_project: bool = True) -> int:
    """Store the failed project and its review; return the mention id."""
    client = clients.add(conn, "Dana Whitfield", email=email, handles=[("upwork", "dana_w")])
    clients.add(conn, "Northwind Bakery")
    if with_project:
        projects.add(conn, client.id, "Shop checkout rebuild", started=date(2025, 3, 3), due=date(2025, 3, 17),
                     delivered=date(2025, 3, 28), budget=2400.0, status="late",
                     notes="Scope grew: Apple Pay added in week 2. Paid 1,200 of 2,400 so far.")
    [result] = ingest(conn, MANUAL_SOURCE_ID, [Mention(
        text=text, author="dana_w", url="https://www.upwork.com/freelancers/~01abc/feedback", rating=1,
        posted_at=datetime(2025, 4, 2, 9, 30, tzinfo=timezone.utc))],
        manual=Manual(site="upwork", client="Dana Whitfield",
                      project="Shop checkout rebuild" if with_project else None))
    return result.mention_id
