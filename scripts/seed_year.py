"""Fill a store with a year of realistic feedback, through the real ingest path (scored and alerted), for
looking at the dashboard and the report: `python scripts/seed_year.py /tmp/year.sqlite3`.

Reputation dips in the spring (a project that went wrong) and recovers; some negatives get answered.
"""
from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.store import drafts  # noqa: E402
from desktop.records.ingest import Manual, ingest  # noqa: E402
from desktop.store import clients, connect, sources  # noqa: E402
from desktop.store.migrations import MANUAL_SOURCE_ID  # noqa: E402
from scrapers.base import Mention  # noqa: E402

GOOD = [
    ("Delivered the booking widget ahead of schedule and explained every step. Would hire again.", 5),
    ("Clear communication, clean code, and she caught a bug in our API we had missed for months.", 5),
    ("Solid work on the landing page. A couple of small revisions but handled quickly.", 4),
    ("Very professional, responsive on Slack, and the invoice matched the quote exactly.", 5),
    ("Good result overall; the first draft needed more polish than expected.", 4),
]
MIXED = [
    ("The design is fine. Took a bit longer than planned but we got there.", 3),
    ("Decent work, communication could have been more frequent.", 3),
]
BAD = [
    ("Missed the deadline twice and stopped answering messages for a week. Very disappointed.", 1),
    ("The site broke on mobile after launch and the fixes took far too long.", 2),
    ("Went over budget without warning us first. Not what we agreed.", 2),
    ("Rude reply when we asked for the revisions that were in the contract.", 1),
]
AUTHORS = ["Priya Nair", "Tom Becker", "Ana Souza", "Kenji Watanabe", "Lena Fischer", "Omar Haddad",
           "Grace Kim", "Mateo Rossi", "Sofia Novak", "David Okafor"]


def main(path: str, now: datetime | None = None) -> None:
    now = now or datetime.now(timezone.utc)
    rnd = random.Random(17)
    conn = connect(path)
    tp = sources.add(conn, "trustpilot", "https://www.trustpilot.com/review/oakridge.dev", label="Trustpilot").id
    upwork = sources.add(conn, "feeds", "https://www.google.com/alerts/feeds/0123/4567", label="Google Alerts").id
    names = ["Oakridge Dental", "Larkspur Bakery", "Northwind Legal", "Bluefin Travel"]
    for name in names:
        clients.add(conn, name)
    for day in range(365, 0, -1):
        when = now - timedelta(days=day, hours=rnd.randint(0, 23))
        spring_dip = 200 < day < 260
        if rnd.random() > (0.55 if spring_dip else 0.35):
            continue
        pool = rnd.choices([GOOD, MIXED, BAD], weights=[2, 2, 5] if spring_dip else [7, 2, 1])[0]
        text, stars = rnd.choice(pool)
        author = rnd.choice(AUTHORS)
        source, manual = rnd.choice([(tp, None), (upwork, None), (MANUAL_SOURCE_ID, Manual("email", rnd.choice(names)))])
        [result] = ingest(conn, source, [Mention(text=text, author=author, rating=float(stars) if source != upwork else None,
                                                 posted_at=when, external_id=f"seed-{day}")],
                          site="trustpilot" if source == tp else "feeds", manual=manual, clock=lambda w=when: w)
        if result.alert_id and rnd.random() < 0.7:
            drafts.set_mention_posted(conn, result.mention_id, True, when + timedelta(hours=rnd.randint(2, 60)))
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1])
