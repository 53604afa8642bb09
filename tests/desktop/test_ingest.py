"""The one path in: dedupe, link, score, store and alert once, in one transaction."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from desktop.records.ingest import IMPORT_SOURCE_ID, MANUAL_SOURCE_ID, Manual, dedupe_key, ingest
from desktop.store import alerts, clients, connect, projects
from desktop.store import sources as source_store
from desktop.store.db import StoreError
from scrapers.base import Mention

# Every store test here runs on SQLite and on a real PostgreSQL server.
pytestmark = pytest.mark.both_backends

WHEN = datetime(2026, 10, 3, 14, 30, tzinfo=timezone.utc)
NEGATIVE = Mention("The developer missed every deadline and never delivered the checkout page. Terrible.",
                   author="maria_k", posted_at=WHEN, rating=1.0)


def fixed_clock() -> datetime:
    return datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


def test_dedupe_key_prefers_external_id_and_normalises_otherwise() -> None:
    assert dedupe_key(Mention("x", external_id="rev-42")) == "id:rev-42"
    a = dedupe_key(Mention("Great  work!", author="Maria K", posted_at=WHEN))
    b = dedupe_key(Mention("great work!", author="maria k ", posted_at=WHEN.replace(hour=2)))
    assert a == b and a.startswith("h:")
    assert a != dedupe_key(Mention("great work!", author="maria k", posted_at=None))


def test_dedupe_and_once_only_alerts_survive_a_reopen(db_path: Path) -> None:
    conn = connect(db_path)
    source = source_store.add(conn, "jsonld", "https://www.trustpilot.com/review/brightpixel.dev")
    [first] = ingest(conn, source.id, [NEGATIVE], site="trustpilot", clock=fixed_clock)
    assert first.new and first.alert_id is not None
    conn.close()

    conn = connect(db_path)
    [again] = ingest(conn, source.id, [NEGATIVE], site="trustpilot", clock=fixed_clock)
    assert not again.new and again.alert_id is None and again.mention_id == first.mention_id
    assert conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM alerts").fetchone()[0] == 1
    assert alerts.raise_once(conn, first.mention_id, fixed_clock()) is None
    conn.close()


def test_a_review_twice_in_one_page_is_stored_once_and_its_edit_kept(conn) -> None:
    source = source_store.add(conn, "jsonld", "https://www.trustpilot.com/review/brightpixel.dev")
    old = ingest(conn, source.id, [Mention("Solid work.", external_id="r-1", posted_at=WHEN, rating=4.0)],
                 clock=fixed_clock)[0]
    edited = Mention("Solid work at first, then they vanished.", external_id="r-1", posted_at=WHEN, rating=2.0)
    fresh = Mention("Quick and friendly.", external_id="r-2", posted_at=WHEN, rating=5.0)
    results = ingest(conn, source.id, [fresh, edited, fresh, edited], clock=fixed_clock)
    assert [r.new for r in results] == [True, False, False, False]
    assert results[2].mention_id == results[0].mention_id and results[1].mention_id == old.mention_id
    assert conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == 2
    assert conn.execute("SELECT revision FROM mentions WHERE id = ?", (old.mention_id,)).fetchone()[0] == 2


def test_same_review_on_two_sources_is_two_mentions(conn) -> None:
    [a] = ingest(conn, MANUAL_SOURCE_ID, [NEGATIVE])
    [b] = ingest(conn, IMPORT_SOURCE_ID, [NEGATIVE])
    assert a.new and b.new and a.mention_id != b.mention_id


def test_links_by_handle_on_that_site_only(conn) -> None:
    client = clients.add(conn, "Maria Kovacs", handles=[("upwork", "@Maria_K")])
    project = projects.add(conn, client.id, "Checkout redesign")
    upwork = source_store.add(conn, "upwork", "https://www.upwork.com/freelancers/~01abc")
    fiverr = source_store.add(conn, "fiverr", "https://www.fiverr.com/someone")
    [linked] = ingest(conn, upwork.id, [NEGATIVE], site="upwork")
    [unlinked] = ingest(conn, fiverr.id, [NEGATIVE], site="fiverr")
    rows = dict(conn.execute("SELECT id, client FROM mentions").fetchall())
    assert rows[linked.mention_id] == client.id
    assert rows[unlinked.mention_id] is None
    assert conn.execute("SELECT project FROM mentions WHERE id = ?", (linked.mention_id,)).fetchone()[0] == project.id


def test_a_page_links_each_author_as_one_review_would(conn) -> None:
    """A page's authors are linked together: each review gets its own author's client, a client's one project,
    no project when the client has several, nothing for a stranger, handles matched without case or '@'."""
    maria = clients.add(conn, "Maria Kovacs", handles=[("trustpilot", "@Maria_K")])
    only = projects.add(conn, maria.id, "Checkout redesign")
    tom = clients.add(conn, "Tom Reyes", handles=[("trustpilot", "tom r")])
    projects.add(conn, tom.id, "Logo")
    projects.add(conn, tom.id, "Site")
    source = source_store.add(conn, "trustpilot", "https://www.trustpilot.com/review/brightpixel.dev")
    page = [Mention(f"Review {i}.", author=author, external_id=f"r{i}", posted_at=WHEN)
            for i, author in enumerate(["maria_k", "Tom R", "stranger", "@MARIA_K", "", "maria_k"])]
    results = ingest(conn, source.id, page, site="trustpilot")
    rows = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, client, project FROM mentions")}
    assert [rows[r.mention_id] for r in results] == [(maria.id, only.id), (tom.id, None), (None, None),
                                                     (maria.id, only.id), (None, None), (maria.id, only.id)]


def test_manual_names_must_exist_and_nothing_is_half_saved(conn) -> None:
    with pytest.raises(StoreError, match="unknown client"):
        ingest(conn, MANUAL_SOURCE_ID, [Mention("fine", author="a"), NEGATIVE], manual=Manual(client="Nobody"))
    assert conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM alerts").fetchone()[0] == 0


def test_low_rating_alerts_even_with_neutral_words(conn) -> None:
    [result] = ingest(conn, MANUAL_SOURCE_ID, [Mention("The files arrived on Friday.", rating=2)])
    assert result.alert_id is not None
    [happy] = ingest(conn, MANUAL_SOURCE_ID, [Mention("Lovely to work with, great result!", rating=5)])
    assert happy.alert_id is None and happy.label == "positive"


def test_crash_mid_batch_stores_nothing(conn, monkeypatch) -> None:
    from desktop.records import ingest as ingest_module

    calls = {"n": 0}
    real_score = ingest_module.scoring.score

    def failing_score(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return real_score(*args, **kwargs)

    monkeypatch.setattr(ingest_module.scoring, "score", failing_score)
    with pytest.raises(RuntimeError):
        ingest(conn, MANUAL_SOURCE_ID, [Mention("one"), Mention("two")])
    assert conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
