"""Forum kinds through the one runner: terms (own or My names), the checkpoint kept with the mentions, the
term that matched stored, a rate-limit window after a good poll, and a source without terms failing clearly."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from desktop.polling import poll_once
from desktop.store import settings, sources
from tests.helpers.fault_server import Reply
from tests.scrapers.pages import PAGES

SEARCH = "/api/v1/search_by_date"
RECORDED = (PAGES / "hackernews" / "search-sam-rivera.response").read_bytes()


def json_reply(body: bytes | str, **kwargs: object) -> Reply:
    return Reply(200, body, content_type="application/json", **kwargs)  # type: ignore[arg-type]


def test_hackernews_poll_stores_matches_with_their_term_and_asks_only_for_newer(conn, fault_server, session, clock):
    fault_server.route(SEARCH, json_reply(RECORDED), json_reply(json.dumps({"hits": []})))
    row = sources.add(conn, "hackernews", fault_server.url(SEARCH), config={"terms": ["Sam Rivera"]})
    first = poll_once(row, session, conn, clock)
    assert first.ok and first.new == 2
    stored = conn.execute("SELECT external_id, matched, site FROM mentions WHERE source = ? ORDER BY external_id",
                          (row.id,)).fetchall()
    assert [tuple(r) for r in stored] == [("45861777", "Sam Rivera", "hackernews"),
                                          ("45873311", "Sam Rivera", "hackernews")]
    after = sources.get(conn, row.id)
    assert after.checkpoint == {"created_at_i": 1795797728}
    second = poll_once(after, session, conn, clock)
    assert second.ok and second.new == 0
    sent = parse_qs(urlsplit(fault_server.requests[-1].path).query)
    assert sent["numericFilters"] == ["created_at_i>1795797728"]


def test_my_names_are_used_when_a_source_has_no_terms(conn, fault_server, session, clock):
    settings.put(conn, my_names=["rivera.dev"], my_names_exclude=["Stripe"])
    fault_server.route(SEARCH, json_reply(RECORDED))
    row = sources.add(conn, "hackernews", fault_server.url(SEARCH))
    assert poll_once(row, session, conn, clock).new == 2
    assert parse_qs(urlsplit(fault_server.requests[0].path).query)["query"] == ["rivera.dev"]
    matched = {r[0] for r in conn.execute("SELECT matched FROM mentions WHERE source = ?", (row.id,))}
    assert matched == {"rivera.dev"}


def test_no_terms_anywhere_fails_in_words_without_a_request(conn, fault_server, session, clock):
    row = sources.add(conn, "hackernews", fault_server.url(SEARCH))
    result = poll_once(row, session, conn, clock)
    assert result.state == "failing" and "My names" in (result.error or "")
    assert fault_server.requests == []


def test_low_allowance_after_a_good_poll_holds_the_next_poll_back(conn, fault_server, session, clock):
    fault_server.route(SEARCH, json_reply(RECORDED, headers={"X-RateLimit-Remaining": "1",
                                                             "X-RateLimit-Reset": "300"}))
    row = sources.add(conn, "hackernews", fault_server.url(SEARCH), config={"terms": ["Sam Rivera"]})
    result = poll_once(row, session, conn, clock)
    assert result.ok and result.new == 2
    assert (result.retry_at - clock()).total_seconds() == 300
    assert sources.next_poll(sources.get(conn, row.id)) >= result.retry_at


def test_failed_poll_keeps_the_old_checkpoint(conn, fault_server, session, clock):
    fault_server.route(SEARCH, Reply(502, "bad gateway"))
    row = sources.add(conn, "hackernews", fault_server.url(SEARCH), config={"terms": ["Sam Rivera"]})
    conn.execute("UPDATE sources SET checkpoint_json = '{\"created_at_i\": 77}' WHERE id = ?", (row.id,))
    assert not poll_once(sources.get(conn, row.id), session, conn, clock).ok
    assert sources.get(conn, row.id).checkpoint == {"created_at_i": 77}


def test_new_terms_forget_the_checkpoint(conn):
    row = sources.add(conn, "hackernews", "https://hn.algolia.com/api/v1/search_by_date", config={"terms": ["a"]})
    conn.execute("UPDATE sources SET checkpoint_json = '{\"created_at_i\": 77}' WHERE id = ?", (row.id,))
    same = sources.update(conn, row.id, url=row.url, label="x", interval_s=3600, enabled=True)
    assert same.checkpoint == {"created_at_i": 77}
    other = sources.update(conn, row.id, url=row.url, label="x", interval_s=3600, enabled=True,
                           config={"terms": ["b"]})
    assert other.checkpoint == {} and other.config == {"terms": ["b"]}
