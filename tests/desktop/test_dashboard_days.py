"""The day sums the dashboard reads on SQLite (mention_days, kept by triggers): after every kind of write they give
exactly the weeks the mentions give, ranges cut mid-day count their cut days from the mentions, and day sums that
lost track of the mentions are not trusted."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from desktop.store import dashboard
from desktop.store.dashboard import Query
from tests.helpers.trend_data import seed


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


RANGES = [Query(), Query(since=utc(2026, 11, 9)), Query(since=utc(2026, 11, 9, 12)), Query(until=utc(2026, 11, 20, 18, 30)),
          Query(since=utc(2026, 11, 8, 23), until=utc(2026, 11, 21)), Query(since=utc(2026, 11, 2), until=utc(2026, 12, 1)),
          Query(since=utc(2027, 1, 1))]


def weeks(tally: dashboard.Tally) -> list[tuple]:
    return [(w.start, w.mentions, round(w.compound, 9), w.negatives, round(w.rating, 9), w.rated, w.stars)
            for w in tally.sums]


def assert_days_add_up(conn: sqlite3.Connection) -> None:
    """For every range holding a whole day, the day sums (and the cut days' mentions) give the mentions' weeks."""
    assert dashboard._sums_whole(conn)
    for query in RANGES:
        days = dashboard._whole_days(query)
        assert days is not None
        assert weeks(dashboard._weekly_from_days(conn, query, *days)) == weeks(dashboard._weekly_from_mentions(conn, query))


def test_a_range_cut_mid_day_counts_the_cut_days_from_the_mentions(conn: sqlite3.Connection) -> None:
    seed(conn)
    assert_days_add_up(conn)
    cut = Query(since=utc(2026, 11, 9, 0, 0, 1), until=utc(2026, 11, 20, 18, 30))  # drops the midnight one, keeps 18:00
    assert dashboard._whole_days(cut) == (utc(2026, 11, 10).date(), utc(2026, 11, 20).date())
    assert [(w.start, w.mentions) for w in dashboard.weeks(conn, cut)] == [(utc(2026, 11, 9).date(), 2),
                                                                         (utc(2026, 11, 16).date(), 1)]
    assert dashboard._whole_days(Query(since=utc(2026, 11, 10, 1), until=utc(2026, 11, 10, 23))) is None


def test_day_sums_follow_every_write(conn: sqlite3.Connection) -> None:
    from desktop.records import corrections
    from desktop.records.ingest import ingest
    from desktop.store import sources
    from scrapers.base import Mention

    seeded = seed(conn)
    tp = seeded.sources["tp"]
    # Ingest: two new reviews, one without stars; then the client edits one (a new version: rating, words, score).
    review = Mention(text="Slow and sloppy work, missed every deadline.", author="Ola Berg", external_id="e1",
                     rating=1, posted_at=utc(2026, 11, 17, 10))
    ingest(conn, tp, [review, Mention(text="Lovely to work with.", author="Tom", posted_at=utc(2026, 11, 3, 9))],
           site="trustpilot")
    assert_days_add_up(conn)
    ingest(conn, tp, [Mention(text="They fixed it all, great result in the end.", author="Ola Berg", external_id="e1",
                              rating=4.5, posted_at=utc(2026, 11, 17, 10))], site="trustpilot")
    assert_days_add_up(conn)
    # A correction re-labels and re-scores; a mention moved to another day (its posting date read again).
    corrections.correct(conn, seeded.mentions[0], negative=True)
    with conn:
        conn.execute("UPDATE mentions SET posted_at = '2026-11-19T08:00:00+00:00' WHERE id = ?", (seeded.mentions[3],))
    assert_days_add_up(conn)
    # Deleting a source takes its mentions with it (a cascade), and their days' sums.
    sources.remove(conn, seeded.sources["feed"])
    assert_days_add_up(conn)
    assert dashboard.headline(conn, Query()).mentions == conn.execute("SELECT count(*) FROM mentions").fetchone()[0]


def test_the_migration_sums_the_mentions_already_stored(tmp_path) -> None:
    from desktop.store import connect, migrations

    raw = sqlite3.connect(tmp_path / "old.sqlite3", isolation_level=None)
    migrations.migrate(raw, target=migrations.MIGRATIONS.index(migrations._v_mention_days))  # the step before it
    raw.close()
    old = connect(tmp_path / "old.sqlite3", migrate=False)  # the store as the previous version left it
    seed(old)
    old.close()
    conn = connect(tmp_path / "old.sqlite3")
    try:
        assert conn.execute("SELECT count(*) FROM mention_days").fetchone()[0] == 6  # the seeded mentions' days
        assert_days_add_up(conn)
    finally:
        conn.close()


def test_day_sums_that_lost_track_are_not_trusted(conn: sqlite3.Connection, caplog) -> None:
    seeded = seed(conn)
    with conn:
        conn.execute("DROP TRIGGER mention_days_insert")  # as a careless later migration might
        conn.execute("INSERT INTO mentions (source, dedupe_key, text, fetched_at, compound, label)"
                     " VALUES (?, 'late', 'Late', '2026-11-24T10:00:00+00:00', -0.5, 'negative')",
                     (seeded.sources["tp"],))
    assert not dashboard._sums_whole(conn)
    assert "day sums hold 6 mentions and its month sums 7, of 7" in caplog.text
    head = dashboard.headline(conn, Query())
    assert (head.mentions, head.negatives) == (7, 5)  # read from the mentions instead
