"""The dashboard's aggregation on a store seeded with known mentions: exact figures, UTC weeks, empty ranges."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone

import pytest

from desktop.store import dashboard
from desktop.store.dashboard import Query
from tests.helpers.trend_data import seed

# Every store test here runs on SQLite and on a real PostgreSQL server.
pytestmark = pytest.mark.both_backends


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def test_headline_counts_negatives_ratings_and_unanswered(conn: sqlite3.Connection) -> None:
    seed(conn)
    head = dashboard.headline(conn, Query())
    assert (head.mentions, head.negatives, head.rated) == (6, 4, 5)
    assert head.share_negative == pytest.approx(4 / 6)
    assert head.mean_rating == pytest.approx((5 + 1 + 2 + 1.5 + 4) / 5)
    # Alerted negatives: 2 unanswered; one answered by a posted draft, one by the site's reply.
    assert head.unanswered_negatives == 2


def test_weeks_start_on_monday_utc(conn: sqlite3.Connection) -> None:
    seed(conn)
    weeks = dashboard.weeks(conn, Query())
    assert [w.start for w in weeks] == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert [w.mentions for w in weeks] == [1, 3, 1, 1]
    assert [w.negatives for w in weeks] == [0, 2, 1, 1]
    assert [w.mean_score for w in weeks] == pytest.approx([0.5, (-0.6 - 0.4 + 0.1) / 3, -0.8, -0.2])
    assert [w.mean_rating for w in weeks] == pytest.approx([5.0, 1.5, 1.5, 4.0])
    assert [w.rated for w in weeks] == [1, 2, 1, 1]


def test_rating_distribution_has_every_star(conn: sqlite3.Connection) -> None:
    seed(conn)
    assert dashboard.ratings(conn, Query()) == {1: 1, 2: 2, 3: 0, 4: 1, 5: 1}


def test_breakdowns_by_source_and_client(conn: sqlite3.Connection) -> None:
    seeded = seed(conn)
    assert [(s.id, s.name, s.mentions, s.negatives) for s in dashboard.by_source(conn, Query())] == [
        (seeded.sources["tp"], "Trustpilot", 4, 3), (seeded.sources["feed"], "Google Alerts", 2, 1)]
    assert {(s.name, s.mentions, s.negatives) for s in dashboard.by_client(conn, Query())} == {
        ("Oakridge Dental", 3, 2), ("No client", 2, 2), ("Larkspur Bakery", 1, 0)}


def test_range_is_half_open_and_filters_narrow(conn: sqlite3.Connection) -> None:
    seeded = seed(conn)
    week = Query(since=utc(2026, 11, 9), until=utc(2026, 11, 16))
    head = dashboard.headline(conn, week)
    assert (head.mentions, head.negatives, head.unanswered_negatives) == (3, 2, 1)
    assert [w.start for w in dashboard.weeks(conn, week)] == [date(2026, 11, 9)]
    oak = dashboard.headline(conn, Query(client=seeded.clients["oak"]))
    assert (oak.mentions, oak.negatives, oak.unanswered_negatives) == (3, 2, 2)
    feed = dashboard.ratings(conn, Query(source=seeded.sources["feed"]))
    assert feed == {1: 0, 2: 1, 3: 0, 4: 0, 5: 0}


def test_a_mention_without_a_posting_date_counts_when_it_was_read(conn: sqlite3.Connection) -> None:
    seed(conn)
    late = dashboard.headline(conn, Query(since=utc(2026, 11, 25)))
    assert (late.mentions, late.negatives) == (1, 1)


def test_unanswered_lists_worst_first(conn: sqlite3.Connection) -> None:
    seeded = seed(conn)
    found = dashboard.unanswered(conn, Query())
    assert [u.id for u in found] == [seeded.mentions[1], seeded.mentions[5]]
    assert (found[0].source, found[0].rating, found[0].text) == ("Trustpilot", 1.0, "Review number 1")


def test_empty_range_gives_zeros_not_errors(conn: sqlite3.Connection) -> None:
    seed(conn)
    found = dashboard.trends(conn, Query(since=utc(2027, 1, 1)))
    assert found.empty
    assert (found.headline.mentions, found.headline.share_negative, found.headline.mean_rating) == (0, None, None)
    assert found.headline.unanswered_negatives == 0
    assert found.weeks == [] and found.by_source == [] and found.unanswered == []
    assert found.ratings == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}


def test_empty_store(conn: sqlite3.Connection) -> None:
    assert dashboard.trends(conn, Query()).empty


NOW = datetime(2026, 12, 20, tzinfo=timezone.utc)


def test_outcome_figures_for_the_range(conn: sqlite3.Connection) -> None:
    from desktop.records.dashboard import build

    seed(conn)
    everything = build(conn, Query(), NOW)
    # Answered: one posted 5 h after its alert, one replied on the site 14 h after.
    assert (everything.outcomes.negatives, everything.outcomes.answered) == (4, 2)
    assert everything.outcomes.median_hours_to_answer == 9.5
    assert everything.recovery_rate == 0.0
    week = build(conn, Query(since=utc(2026, 11, 9), until=utc(2026, 11, 16)), NOW)
    assert (week.outcomes.negatives, week.outcomes.answered, week.outcomes.median_hours_to_answer) == (2, 1, 5.0)
    assert build(conn, Query(since=utc(2027, 1, 1)), NOW).recovery_rate is None


def test_the_store_knows_whether_anything_is_stored(conn: sqlite3.Connection) -> None:
    assert not dashboard.trends(conn, Query()).any_stored
    seed(conn)
    assert dashboard.trends(conn, Query(since=utc(2027, 1, 1))).any_stored


def test_outcomes_follow_the_source_filter(conn: sqlite3.Connection) -> None:
    from desktop.records.dashboard import build

    seeded = seed(conn)
    feed = build(conn, Query(source=seeded.sources["feed"]), NOW)
    assert (feed.outcomes.negatives, feed.outcomes.answered, feed.outcomes.median_hours_to_answer) == (1, 1, 5.0)
    tp = build(conn, Query(source=seeded.sources["tp"]), NOW)
    assert (tp.outcomes.negatives, tp.outcomes.answered) == (3, 1)


# -- clicking a figure: the inbox filter selects exactly the mentions it counts ----------------------
def ids_of(conn: sqlite3.Connection, flt) -> set[int]:  # noqa: ANN001 - a mentions.Filter
    from desktop.store import mentions

    return {m.id for m in mentions.query(conn, flt, limit=0)}


@pytest.mark.parametrize("query", [Query(), Query(since=utc(2026, 11, 9, 12)), Query(until=utc(2026, 11, 10)),
                                   Query(since=utc(2026, 11, 1), until=utc(2026, 11, 21))])
def test_every_bar_opens_the_mentions_it_counts(conn: sqlite3.Connection, query: Query) -> None:
    from desktop.records.dashboard import in_range, in_share, in_week
    from desktop.store import mentions

    seeded = seed(conn)
    found = dashboard.trends(conn, query)
    for week in found.weeks:
        assert mentions.count(conn, in_week(query, week.start)) == week.mentions
        assert mentions.count(conn, in_week(query, week.start, label="negative")) == week.negatives
    for stars, n in found.ratings.items():
        assert mentions.count(conn, in_range(query, stars=stars)) == n
    for kind, shares in (("source", found.by_source), ("client", found.by_client)):
        for share in shares:
            assert mentions.count(conn, in_share(query, kind, share)) == share.mentions
            assert mentions.count(conn, in_share(query, kind, share, negative=True)) == share.negatives
    head = found.headline
    assert mentions.count(conn, in_range(query)) == head.mentions
    assert mentions.count(conn, in_range(query, label="negative")) == head.negatives
    assert mentions.count(conn, in_range(query, rated=True)) == head.rated  # what the average rating averages
    assert ids_of(conn, in_range(query, unanswered=True)) == {u.id for u in dashboard.unanswered(conn, query)}
    # The seeded week of 9 Nov: the Sunday-night review before it is not in it, the Monday-midnight one is.
    if query == Query():
        assert ids_of(conn, in_week(query, date(2026, 11, 9))) == set(seeded.mentions[1:4])
        assert ids_of(conn, in_share(query, "client", dashboard.Share(None, "No client", 2, 2))) == {
            seeded.mentions[2], seeded.mentions[4]}
        assert ids_of(conn, in_range(query, stars=2)) == {seeded.mentions[2], seeded.mentions[4]}  # 2.0 and 1.5


def test_a_week_cut_by_the_range_opens_only_its_part(conn: sqlite3.Connection) -> None:
    from desktop.records.dashboard import in_week

    seeded = seed(conn)
    query = Query(since=utc(2026, 11, 9, 12))  # after the Monday-midnight review
    flt = in_week(query, date(2026, 11, 9))
    assert (flt.since, flt.until) == (utc(2026, 11, 9, 12), utc(2026, 11, 16))
    assert ids_of(conn, flt) == set(seeded.mentions[2:4])
