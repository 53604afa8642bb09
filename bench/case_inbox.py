"""Inbox on 100,000 mentions: opening, filtering and searching, timed against a plain COUNT scan in the same run.

`main()` returns {"name", "baseline_s", "candidate_s", "ratio"}; the bench runner calls it.
"""
from __future__ import annotations

import os
import random
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

N_MENTIONS = 100_000

_WORDS = ("late delivery great work communication slow excellent broken invoice design logo website "
          "deadline friendly helpful refund rude amazing recommend revisions budget quick").split()


def fill(conn: sqlite3.Connection, n: int = N_MENTIONS, seed: int = 5) -> None:
    """Fill a store fast (executemany, one transaction): realistic shapes, not realistic scoring."""
    from desktop.store import clients, sources
    from desktop.store.db import transaction

    rnd = random.Random(seed)
    reddit = sources.add(conn, "reddit", "https://www.reddit.com/search.json?q=acme", label="Reddit search").id
    feed = sources.add(conn, "feeds", "https://example.org/reviews.rss", label="Reviews feed").id
    client_ids = [clients.add(conn, f"Client {i}", handles=[("upwork", f"client_{i}")]).id for i in range(20)]
    start = datetime(2020, 1, 1, tzinfo=timezone.utc)
    rows = []
    for i in range(n):
        label = rnd.choice(("positive", "positive", "neutral", "negative"))
        compound = {"positive": 0.6, "neutral": 0.0, "negative": -0.6}[label] + rnd.uniform(-0.3, 0.3)
        text = " ".join(rnd.choice(_WORDS) for _ in range(rnd.randint(8, 40)))
        when = (start + timedelta(minutes=30 * i)).isoformat(timespec="seconds")
        rows.append((rnd.choice((reddit, feed)), f"id:{i}", f"ext{i}", "reddit", f"user_{rnd.randint(1, 5000)}",
                     f"https://www.reddit.com/r/freelance/comments/{i}", "", text, when,
                     rnd.choice((None, 1.0, 2.0, 3.0, 4.0, 5.0)), when, compound, label, "[]",
                     rnd.choice(client_ids) if rnd.random() < 0.2 else None,
                     when if rnd.random() < 0.6 else None))
    with transaction(conn):
        conn.executemany(
            "INSERT INTO mentions (source, dedupe_key, external_id, site, author, url, title, text, posted_at,"
            " rating, fetched_at, compound, label, reasons_json, client, read_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("ANALYZE")


def _open_filter_search(conn: sqlite3.Connection) -> None:
    from desktop.store.mentions import Filter
    from desktop.ui.inbox_model import InboxModel

    model = InboxModel(conn)
    model.fetchMore()
    model.set_filter(Filter(label="negative"))
    model.set_filter(Filter(label="negative", unread=True))
    model.set_filter(Filter(search="refund rude"))
    model.set_filter(Filter(client=3))


def main() -> dict[str, object]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from PySide6.QtCore import QCoreApplication

    from desktop.store import connect

    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 (models want an application)
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(Path(tmp) / "bench.sqlite3")
        try:
            fill(conn)
            baseline = _best(lambda: conn.execute("SELECT count(*), sum(length(text)) FROM mentions").fetchone())
            candidate = _best(lambda: _open_filter_search(conn))
        finally:
            conn.close()
    return {"name": "inbox_100k_open_filter_search", "baseline_s": baseline, "candidate_s": candidate,
            "ratio": candidate / baseline if baseline else float("inf")}


def _best(func, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


if __name__ == "__main__":
    print(main())
