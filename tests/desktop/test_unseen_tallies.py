"""The tray's unseen count is kept by the store (open_alerts, seen_open_alerts), not counted over every alert:
the same number as counting, after every kind of change, on both backends, and read without touching alerts."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from desktop.store import alerts, connect, dialect, team, transaction

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def counted(conn) -> int:  # noqa: ANN001
    """The count as it was made before the tallies: every alert this person has not seen."""
    condition, args = team.unseen(conn)
    return conn.execute(f"SELECT count(*) FROM alerts a WHERE {condition}", args).fetchone()[0]


def _mention(conn, n: int) -> int:  # noqa: ANN001
    from desktop.records.ingest import MANUAL_SOURCE_ID, ingest
    from scrapers.base import Mention

    [result] = ingest(conn, MANUAL_SOURCE_ID, [Mention(text=f"Review {n}: never delivered, kept the deposit.",
                                                       author=f"Client {n}", rating=1)], site="email")
    return result.mention_id


def _shuffle_store(rng: random.Random, people: list, steps: int) -> None:  # noqa: ANN001
    """Raise, raise again, see, see all, delete mentions (cascading to alerts and seen rows) and mark seen the
    old team-wide way, at random, by random people; check every person's tally against the count after each."""
    writer = people[0]
    mentions: list[int] = []
    revisions: dict[int, int] = {}
    for step in range(steps):
        action = rng.choice(["raise", "raise", "reraise", "seen", "seen", "all_seen", "delete", "seen_for_all",
                             "unalerted"])
        who = rng.choice(people)
        at = NOW + timedelta(minutes=step)
        if action == "raise" or not mentions:
            mentions.append(_mention(writer, step))  # ingest raises its alert (a 1-star review)
            revisions[mentions[-1]] = 1
        elif action == "reraise":
            mention = rng.choice(mentions)
            revisions[mention] += rng.choice([0, 1])  # the same revision again raises nothing
            alerts.raise_for_revision(who, mention, revisions[mention], at)
        elif action == "seen":
            alerts.mark_seen(who, rng.sample(mentions, min(len(mentions), rng.randint(1, 3))), at)
        elif action == "all_seen":
            alerts.mark_all_seen(who, at)
        elif action == "delete":
            mention = mentions.pop(rng.randrange(len(mentions)))
            with transaction(who):
                who.execute("DELETE FROM mentions WHERE id = ?", (mention,))
        elif action == "seen_for_all":  # seen before seen was per person (an upgraded team database)
            with transaction(who):
                who.execute("UPDATE alerts SET seen_at = ? WHERE mention = ?", (at.isoformat(), rng.choice(mentions)))
        else:  # an alert gone but its mention kept (and any seen rows): raised anew, for revision 1
            mention = rng.choice(mentions)
            with transaction(who):
                who.execute("DELETE FROM alerts WHERE mention = ?", (mention,))
            revisions[mention] = 1
            alerts.raise_once(who, mention, at)
        for person in people:
            assert alerts.unseen_count(person) == counted(person), (step, action)


@pytest.mark.both_backends
def test_the_kept_count_is_the_counted_one_after_every_change(conn, backend) -> None:
    _shuffle_store(random.Random(19), [conn], 120)


def test_each_teammates_kept_count_is_their_counted_one_after_every_change(postgres_server) -> None:
    url = postgres_server.database()
    people = []
    try:
        for name in ("Sam", "Ana", "Lee"):
            people.append(connect(url))
            people[-1].person = name
        _shuffle_store(random.Random(20), people, 200)
    finally:
        for person in people:
            person.close()


@pytest.mark.both_backends
def test_the_count_reads_the_tallies_not_the_alerts(conn, backend) -> None:
    """Bounded: reading it never scans the alerts (64,000 in a big store), on either backend."""
    _mention(conn, 1)
    sql, args = alerts.unseen_count_query(conn)
    explain = "EXPLAIN QUERY PLAN " if dialect.of(conn) is dialect.SQLITE else "EXPLAIN "
    plan = " ".join(str(tuple(row)) for row in conn.execute(explain + sql, args))
    assert "open_alerts" in plan and "alerts a" not in plan and " alerts " not in plan.replace("open_alerts", "")


@pytest.mark.both_backends
def test_an_upgraded_store_starts_its_tallies_from_what_it_holds(backend, db_path, request) -> None:
    from desktop.store import migrations

    target = request.getfixturevalue("postgres_server").database(migrated=False) if backend == "postgresql" else db_path
    conn = connect(target, migrate=False)
    try:
        migrations.migrate(conn, migrations.MIGRATIONS.index(migrations._v_unseen_tallies))  # the store as the release before kept it
        with transaction(conn):
            migrations._v_learned_adjustment(conn)  # what today's ingest (adding the rows below) reads
        if backend == "postgresql":
            conn.person = "Sam"
        first, second, third = (_mention(conn, n) for n in range(3))
        alerts.mark_seen(conn, [first], NOW)
        if backend == "postgresql":
            with transaction(conn):  # seen before seen was per person: seen by everyone
                conn.execute("UPDATE alerts SET seen_at = ? WHERE mention = ?", (NOW.isoformat(), third))
        expected = counted(conn)
        assert expected == (1 if backend == "postgresql" else 2)
        migrations.migrate(conn)
        assert alerts.unseen_count(conn) == expected
    finally:
        conn.close()
