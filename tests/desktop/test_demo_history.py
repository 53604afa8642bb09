"""The demo's year of history: enough for every dashboard chart, the same every run, and quiet (read, seen)."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

from desktop.records.dashboard import build
from desktop.shell.demo_history import DIP, seed_history
from desktop.store import connect
from desktop.store.dashboard import Query
from desktop.store.migrations import IMPORT_SOURCE_ID, MANUAL_SOURCE_ID

NOW = datetime(2026, 11, 30, 12, tzinfo=timezone.utc)


def test_a_year_with_a_dip_answers_and_recoveries(conn: sqlite3.Connection) -> None:
    added = seed_history(conn, NOW)
    board = build(conn, Query(since=NOW - timedelta(days=366)), NOW)
    trends = board.trends
    assert trends.headline.mentions == added > 100
    assert len(trends.weeks) >= 40  # most weeks of the year have feedback
    assert all(n > 0 for n in trends.ratings.values())  # every star is used
    assert {s.id for s in trends.by_source} == {IMPORT_SOURCE_ID, MANUAL_SOURCE_ID}  # never the Trustpilot page
    assert any(s.id is None for s in trends.by_client) and len(trends.by_client) >= 5
    dip_start, dip_end = (NOW - timedelta(days=DIP[1])).date(), (NOW - timedelta(days=DIP[0])).date()
    in_dip = [w for w in trends.weeks if dip_start <= w.start <= dip_end]
    rest = [w for w in trends.weeks if w not in in_dip]
    share = lambda weeks: sum(w.negatives for w in weeks) / sum(w.mentions for w in weeks)  # noqa: E731
    assert share(in_dip) > 2 * share(rest)  # the spring that went wrong shows
    out = board.outcomes
    assert out.answered > out.negatives / 2 and out.median_hours_to_answer is not None
    assert out.recovered >= 3 and out.won_back >= 1
    unread = conn.execute("SELECT count(*) FROM mentions WHERE read_at IS NULL").fetchone()[0]
    unseen = conn.execute("SELECT count(*) FROM alerts WHERE seen_at IS NULL").fetchone()[0]
    assert (unread, unseen) == (0, 0)  # old news: no alert summary at start-up


def test_the_same_moment_gives_the_same_store(tmp_path: Path) -> None:
    def figures(name: str) -> tuple:
        conn = connect(tmp_path / name)
        try:
            seed_history(conn, NOW)
            return tuple(conn.execute("SELECT posted_at, text, rating, label, client, source FROM mentions"
                                      " ORDER BY id").fetchall())
        finally:
            conn.close()

    assert figures("a.sqlite3") == figures("b.sqlite3")


def test_no_two_mentions_share_a_text(conn: sqlite3.Connection) -> None:
    """Texts are dealt without replacement: the inbox never shows the same review under two authors."""
    seed_history(conn, NOW)
    texts = [text for (text,) in conn.execute("SELECT text FROM mentions")]
    assert len(texts) > 100 and len(set(texts)) == len(texts)
