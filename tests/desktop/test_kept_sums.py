"""The sums the dashboard reads (mention_days, mention_months: desktop/store/kept_sums.py) are exactly what adding up
the mentions again gives, after random writes of every kind on both backends (row triggers on SQLite, statement
triggers on PostgreSQL), and the dashboard's figures from them are its figures from the mentions."""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta, timezone

import pytest

from desktop.store import dashboard, transaction
from desktop.store.dashboard import Query

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
TEXTS = {"negative": "Never delivered, ignored every message and kept the deposit. Awful.",
         "positive": "Wonderful work, delivered early and a pleasure to deal with.",
         "neutral": "The project happened in October."}


def fresh_sums(conn) -> tuple[dict, dict]:  # noqa: ANN001
    """The day and month sums added up again from the mentions and alerts as they are now."""
    days: dict = defaultdict(lambda: [0, 0.0, 0, 0.0, 0, 0, 0, 0, 0, 0])
    months: dict = defaultdict(lambda: [0, 0, 0])
    for row in conn.execute("SELECT coalesce(m.posted_at, m.fetched_at), m.compound, m.label, m.rating, m.source,"
                            " coalesce(m.client, 0), EXISTS (SELECT 1 FROM alerts a WHERE a.mention = m.id)"
                            " FROM mentions m"):
        when, compound, label, rating, source, client, alerted = tuple(row)
        negative = int(label == "negative")
        day = days[when[:10]]
        for i, value in enumerate((1, compound, negative, rating or 0, int(rating is not None))):
            day[i] += value
        if rating is not None:
            day[5 + int(rating + 0.5) - 1] += 1
        month = months[(when[:7], source, client)]
        for i, value in enumerate((1, negative, negative * int(bool(alerted)))):
            month[i] += value
    return ({k: _rounded(v) for k, v in days.items()}, {k: list(v) for k, v in months.items()})


def kept_sums(conn) -> tuple[dict, dict]:  # noqa: ANN001
    # A day emptied by moves keeps its row at zero (a float sum may keep a residue of 1e-17: rounded away).
    days = {r[0]: _rounded(list(r[1:])) for r in conn.execute("SELECT * FROM mention_days") if any(_rounded(list(r[1:])))}
    months = {(r[0], r[1], r[2]): list(r[3:]) for r in conn.execute(
        "SELECT month, source, client, mentions, negatives, alerted_negatives FROM mention_months") if any(r[3:])}
    return days, months


def _rounded(values: list) -> list:
    return [round(v, 9) if isinstance(v, float) else v for v in values]


def figures(conn, query: Query, kept: bool) -> tuple:  # noqa: ANN001
    tally = dashboard.weekly(conn, query, kept=kept)
    weeks = [(w.start, w.mentions, round(w.compound, 9), w.negatives, round(w.rating, 9), w.rated, w.stars)
             for w in tally.sums]
    return (weeks, dashboard.unanswered_count(conn, query, kept=kept), dashboard.by_source(conn, query, kept=kept),
            dashboard.by_client(conn, query, kept=kept))


def ranges(sources: list[int], clients: list[int]) -> list[Query]:
    first_of = NOW.replace(day=1, hour=0, minute=0)
    return [Query(), Query(since=NOW - timedelta(days=365)), Query(since=first_of - timedelta(days=61)),
            Query(since=NOW - timedelta(days=75, hours=3), until=NOW - timedelta(days=20, hours=5)),
            Query(since=NOW - timedelta(days=10), until=NOW - timedelta(days=2)),
            Query(source=sources[0]), Query(client=clients[0], since=NOW - timedelta(days=90)),
            Query(source=sources[-1], client=clients[-1])]


def assert_kept_is_fresh(conn, sources: list[int], clients: list[int], step: object = None) -> None:  # noqa: ANN001
    assert kept_sums(conn) == fresh_sums(conn), step
    assert dashboard._sums_whole(conn)
    for query in ranges(sources, clients):
        assert figures(conn, query, kept=True) == figures(conn, query, kept=False), (step, query)


class Store:
    """Random writes of every kind the app makes, through the app's own functions where it has them."""

    def __init__(self, conn, rng: random.Random) -> None:  # noqa: ANN001
        from desktop.store import clients, sources

        self.conn, self.rng, self.n = conn, rng, 0
        self.sources = [sources.add(conn, "trustpilot", f"https://www.trustpilot.com/review/studio{i}.example").id
                        for i in range(3)]
        self.clients = [clients.add(conn, f"Client {i}", handles=[("trustpilot", f"Handle {i}")]).id for i in range(3)]
        self.reviews: dict[int, tuple[int, str]] = {}  # mention id -> (source, external id)

    def mentions(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM mentions ORDER BY id")]

    def ingest(self) -> None:
        from desktop.records.ingest import ingest
        from scrapers.base import Mention

        source = self.rng.choice(self.sources)
        page = []
        for _ in range(self.rng.randint(1, 5)):
            self.n += 1
            label = self.rng.choice(list(TEXTS))
            posted = None if self.rng.random() < 0.15 else NOW - timedelta(days=self.rng.uniform(0, 420))
            page.append(Mention(text=f"{TEXTS[label]} #{self.n}", author=self.rng.choice(
                ["Handle 0", "Handle 1", "Handle 2", "Someone", "Another"]), external_id=f"r{self.n}",
                posted_at=posted, rating=self.rng.choice([None, 1, 1.5, 2, 3, 4.5, 5])))
        for result, mention in zip(ingest(self.conn, source, page, site="trustpilot", clock=lambda: NOW), page):
            self.reviews[result.mention_id] = (source, mention)

    def edit(self, mention_id: int) -> None:
        """The reviewer edits their review: a new revision, maybe another label and rating, maybe an alert."""
        from dataclasses import replace

        from desktop.records.ingest import ingest

        source, mention = self.reviews[mention_id]
        edited = replace(mention, text=f"{TEXTS[self.rng.choice(list(TEXTS))]} edited {self.n}",
                         rating=self.rng.choice([None, 1, 2.5, 4]))
        ingest(self.conn, source, [edited], site="trustpilot", clock=lambda: NOW)
        self.reviews[mention_id] = (source, edited)

    def step(self, action: str) -> None:
        from desktop.records import corrections
        from desktop.store import alerts, clients, mentions, sources

        ids = self.mentions()
        if action == "ingest" or len(ids) < 4:
            self.ingest()
        elif action == "edit":
            self.edit(self.rng.choice([i for i in ids if i in self.reviews]))
        elif action == "correct":
            corrections.correct(self.conn, self.rng.choice(ids), negative=self.rng.random() < 0.5, clock=lambda: NOW)
        elif action == "relink":
            mentions.link(self.conn, self.rng.choice(ids), self.rng.choice([None, *self.clients]), None)
        elif action == "relink_source":  # one statement moving many mentions to another client
            with transaction(self.conn):
                self.conn.execute("UPDATE mentions SET client = ? WHERE source = ?",
                                  (self.rng.choice([None, *self.clients]), self.rng.choice(self.sources)))
        elif action == "move":  # a posting date read again: another day and month
            with transaction(self.conn):
                self.conn.execute("UPDATE mentions SET posted_at = ? WHERE id = ?", (
                    (NOW - timedelta(days=self.rng.uniform(0, 420))).isoformat(), self.rng.choice(ids)))
        elif action == "rescore_many":  # a re-score after learning: many labels in one statement
            with transaction(self.conn):
                self.conn.execute("UPDATE mentions SET label = CASE WHEN label = 'negative' THEN 'neutral'"
                                  " ELSE 'negative' END, compound = -compound WHERE id % 3 = ?", (self.rng.randint(0, 2),))
        elif action == "delete":
            gone = self.rng.sample(ids, min(3, len(ids)))
            with transaction(self.conn):
                self.conn.execute(f"DELETE FROM mentions WHERE id IN ({','.join('?' * len(gone))})", gone)
        elif action == "remove_source":  # its mentions, alerts and seen rows go in the cascade
            sources.remove(self.conn, self.sources.pop(self.rng.randrange(len(self.sources))))
            self.sources.append(sources.add(self.conn, "trustpilot",
                                            f"https://www.trustpilot.com/review/new{self.n}.example").id)
        elif action == "delete_client":  # its mentions are left with no client (ON DELETE SET NULL)
            gone = self.clients.pop(self.rng.randrange(len(self.clients)))
            handle = clients.get(self.conn, gone).handles[0]
            clients.delete(self.conn, gone)
            self.n += 1  # a new client takes over the handle: new reviews by that author are linked to it
            self.clients.append(clients.add(self.conn, f"Client {self.n}", handles=[handle]).id)
        elif action == "drop_alert":  # an alert gone with its mention kept, then raised again
            mention = self.rng.choice(ids)
            with transaction(self.conn):
                self.conn.execute("DELETE FROM alerts WHERE mention = ?", (mention,))
            if self.rng.random() < 0.5:
                alerts.raise_once(self.conn, mention, NOW)
        elif action == "read":
            mentions.set_read(self.conn, self.rng.sample(ids, min(4, len(ids))), True, NOW)


ACTIONS = ["ingest", "ingest", "ingest", "edit", "correct", "relink", "relink_source", "move", "rescore_many",
           "delete", "remove_source", "delete_client", "drop_alert", "read"]


@pytest.mark.both_backends
def test_the_kept_sums_are_the_mentions_added_up_after_random_writes(conn, backend) -> None:
    if backend == "postgresql":
        conn.person = "Sam"
    rng = random.Random(13)
    store = Store(conn, rng)
    for _ in range(6):
        store.ingest()
    assert_kept_is_fresh(conn, store.sources, store.clients, "seeded")
    for step in range(70):
        action = rng.choice(ACTIONS)
        store.step(action)
        assert_kept_is_fresh(conn, store.sources, store.clients, (step, action))
    assert conn.execute("SELECT count(*) FROM mentions").fetchone()[0] > 20  # the walk kept a store to check


@pytest.mark.both_backends
def test_an_upgraded_store_starts_its_sums_from_what_it_holds(backend, db_path, request) -> None:
    from desktop.store import connect, migrations

    target = request.getfixturevalue("postgres_server").database(migrated=False) if backend == "postgresql" else db_path
    conn = connect(target, migrate=False)
    try:
        migrations.migrate(conn, migrations.MIGRATIONS.index(migrations._v_kept_sums))  # the release before
        with transaction(conn):
            migrations._v_learned_adjustment(conn)  # what today's ingest (the steps below) reads
        if backend == "postgresql":
            conn.person = "Sam"
        rng = random.Random(5)
        store = Store(conn, rng)
        for _ in range(12):
            store.step(rng.choice(["ingest", "ingest", "relink", "correct", "edit"]))
        migrations.migrate(conn)
        held = conn.execute("SELECT count(*) FROM mentions").fetchone()[0]
        assert held > 10 and sum(v[0] for v in kept_sums(conn)[1].values()) == held
        assert_kept_is_fresh(conn, store.sources, store.clients)
        store.step("ingest")  # and the triggers keep them from there
        assert_kept_is_fresh(conn, store.sources, store.clients)
    finally:
        conn.close()


def test_a_range_reads_whole_months_from_the_sums_and_only_its_cut_ends_from_the_mentions(conn) -> None:
    """All time's breakdowns and alerted count add up months, not every mention (64,000 alert lookups in a big
    store); the last year reads the mentions of its first, cut month only."""
    Store(conn, random.Random(3)).ingest()
    assert dashboard._months(conn, Query(), True)[2] == []
    year = Query(since=datetime(2025, 11, 28, 9, 30, tzinfo=timezone.utc))
    where, params, cuts = dashboard._months(conn, year, True)
    assert params == ["2025-12"]
    assert cuts == [Query(since=year.since, until=datetime(2025, 12, 1, tzinfo=timezone.utc))]
    assert dashboard._months(conn, Query(since=NOW - timedelta(days=20), until=NOW), True) is None  # no whole month
    assert dashboard._months(conn, Query(), False) is None  # sums that lost track are not read
