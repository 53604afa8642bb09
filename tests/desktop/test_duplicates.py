"""Once per review: a second source for the same page is refused, and a review two sources of one site read
(a company page and its page 2) is stored and alerted once."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.polling import poll_once
from desktop.store import StoreError, connect, migrations, sources
from tests.helpers.fault_server import Reply
from tests.scrapers.pages import PAGES

# Every store test here runs on SQLite and on a real PostgreSQL server.
pytestmark = pytest.mark.both_backends

BASE = "https://uk.trustpilot.com/review/northlightstudio.co.uk"


@pytest.mark.parametrize("same", [
    BASE + "/",
    "HTTPS://UK.Trustpilot.COM/review/northlightstudio.co.uk",
    "https://uk.trustpilot.com:443/review/northlightstudio.co.uk",
    BASE + "?utm_source=newsletter&utm_medium=email",
    BASE + "#reviews",
    BASE + "?fbclid=IwAR3",
])
def test_the_same_page_twice_is_refused(conn: sqlite3.Connection, same: str) -> None:
    first = sources.add(conn, "trustpilot", BASE)
    with pytest.raises(StoreError, match=f"source {first.id} .* already watches this page"):
        sources.add(conn, "jsonld", same)  # whatever the kind: the same page's reviews would alert twice
    assert [s.id for s in sources.configured(conn)] == [first.id]


@pytest.mark.parametrize("different", [
    BASE + "?page=2",
    "http://uk.trustpilot.com/review/northlightstudio.co.uk/extra",
    "https://uk.trustpilot.com:8443/review/northlightstudio.co.uk",
    "https://www.trustpilot.com/review/northlightstudio.co.uk",
])
def test_other_pages_are_not_duplicates(conn: sqlite3.Connection, different: str) -> None:
    sources.add(conn, "trustpilot", BASE)
    assert sources.add(conn, "trustpilot", different).url == different


def test_editing_a_source_onto_another_ones_page_is_refused(conn: sqlite3.Connection) -> None:
    first = sources.add(conn, "trustpilot", BASE)
    second = sources.add(conn, "trustpilot", BASE + "?page=2")
    with pytest.raises(StoreError, match="already watches this page"):
        sources.update(conn, second.id, url=BASE + "?utm_campaign=x", label="", interval_s=3600, enabled=True)
    # Editing a source's own URL into another spelling of itself is not a duplicate of itself.
    assert sources.update(conn, first.id, url=BASE + "/", label="", interval_s=3600, enabled=True).url == BASE + "/"


def test_cli_refuses_a_duplicate_source_in_one_line(db_path: Path, capsys) -> None:
    from desktop.cli import main

    assert main(["--db", str(db_path), "sources", "add", "trustpilot", BASE]) == 0
    assert main(["--db", str(db_path), "sources", "add", "trustpilot", BASE + "?utm_source=x"]) == 2
    err = capsys.readouterr().err
    assert "already watches this page" in err and err.count("\n") == 1


def test_a_review_read_by_two_sources_of_one_site_alerts_once(conn: sqlite3.Connection, fault_server,
                                                              session, clock) -> None:
    page = (PAGES / "trustpilot" / "northlightstudio-page1.html").read_bytes()
    # The same reviews reached two ways (say the company page, and the page its "all reviews" link opens).
    one = sources.add(conn, "trustpilot", fault_server.route("/review/northlightstudio.co.uk", Reply(200, page)))
    two = sources.add(conn, "trustpilot", fault_server.route("/review/northlightstudio.co.uk/all", Reply(200, page)))
    first = poll_once(one, session, conn, clock)
    second = poll_once(two, session, conn, clock)
    assert first.ok and second.ok and len(first.alerted) >= 1
    assert second.new == 0 and second.alerted == ()
    assert conn.execute("SELECT count(*) FROM alerts").fetchone()[0] == len(first.alerted)


def test_jsonld_reviews_with_the_same_local_id_on_two_sites_are_both_kept(conn: sqlite3.Connection) -> None:
    from desktop.records.ingest import ingest
    from scrapers.base import Mention

    a = sources.add(conn, "jsonld", "https://inescarvalho.design/")
    b = sources.add(conn, "jsonld", "https://kiteandkey.example/")
    # "#review-1" names a review within one page only: two sites' reviews must not merge.
    ingest(conn, a.id, [Mention(text="Lovely work", external_id="#review-1")], site="jsonld")
    [other] = ingest(conn, b.id, [Mention(text="Never delivered", external_id="#review-1")], site="jsonld")
    assert other.new


def test_the_migration_keeps_existing_feedback(db_path: Path) -> None:
    old = connect(db_path, migrate=False)
    migrations.migrate(old, target=2)
    old.execute("INSERT INTO mentions (source, dedupe_key, external_id, site, text, fetched_at, compound, label)"
                " VALUES (1, 'id:42', '42', 'trustpilot', 'Kept', '2025-01-01T00:00:00+00:00', 0, 'neutral')")
    old.close()
    upgraded = connect(db_path)
    assert upgraded.execute("SELECT text FROM mentions").fetchall()[0][0] == "Kept"
    assert migrations.version(upgraded) == migrations.LATEST
    upgraded.close()


def test_one_address_with_other_search_terms_is_another_source(conn: sqlite3.Connection) -> None:
    api = "https://hn.algolia.com/api/v1/search_by_date"
    sources.add(conn, "hackernews", api, config={"terms": ["northlight studio"], "exclude": []})
    other = sources.add(conn, "hackernews", api, config={"terms": ["kiteandkey"], "exclude": []})
    assert other.config["terms"] == ["kiteandkey"]
    with pytest.raises(StoreError, match="already watches this page"):
        sources.add(conn, "hackernews", api + "/", config={"exclude": [], "terms": ["kiteandkey"]})
