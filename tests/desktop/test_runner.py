"""desktop/polling/runner.py: poll_once against the fault server with a real store."""
from __future__ import annotations

from datetime import timedelta

import pytest

from desktop.polling import poll_all, poll_once
from desktop.store import sources
from scrapers.trustpilot import TrustpilotCompany
from tests.helpers.fault_server import DATADOME_CHALLENGE, LOGIN_PAGE, Reply
from tests.helpers.fixtures import T0

TP = "/review/northlightstudio.co.uk"
# Every request is bounded (the session fixture: 10 s per read, 30 s in all; tight_session, for the faults: 0.2 s
# per read, 1 s in all), so no test here times itself.


def mention_count(conn, source_id):
    return conn.execute("SELECT count(*) FROM mentions WHERE source = ?", (source_id,)).fetchone()[0]


def add(conn, kind, url):
    return sources.add(conn, kind, url, interval_s=3600)


def test_success_ingests_and_records(conn, fault_server, session, clock):
    url = fault_server.route(TP, Reply.page("trustpilot", "northlightstudio-page1.html",
                                            headers={"ETag": 'W/"tp-1"'}))
    row = add(conn, "trustpilot", url)
    result = poll_once(row, session, conn, clock)
    assert result.ok and result.state == "ok" and result.new == 5 and result.seen == 5
    assert len(result.new_mention_ids) == 5 and result.alerted  # the 1- and 2-star reviews raise alerts
    assert mention_count(conn, row.id) == 5
    stored = sources.get(conn, row.id)
    assert (stored.state, stored.last_ok, stored.tries, stored.etag) == ("ok", T0, 0, 'W/"tp-1"')
    assert stored.cursor == "2025-03-12T16:42:08+00:00"  # the newest review seen
    site = conn.execute("SELECT DISTINCT site FROM mentions WHERE source = ?", (row.id,)).fetchall()
    assert [r[0] for r in site] == ["trustpilot"]


def test_second_poll_of_unchanged_page_ingests_nothing(conn, fault_server, session, clock):
    url = fault_server.route(TP, Reply.page("trustpilot", "northlightstudio-page1.html"))
    row = add(conn, "trustpilot", url)
    poll_once(row, session, conn, clock)
    again = poll_once(sources.get(conn, row.id), session, conn, clock)
    assert again.ok and again.new == 0 and again.alerted == () and again.seen == 5
    assert mention_count(conn, row.id) == 5


def test_304_is_not_modified(conn, fault_server, session, clock):
    url = fault_server.route("/alerts/feeds/1/2", Reply.page("feeds", "google-alerts-northlight.xml",
                             content_type="application/atom+xml; charset=utf-8",
                             headers={"ETag": '"ga-9"', "Last-Modified": "Thu, 13 Mar 2025 07:41:12 GMT"}),
                             Reply(304))
    row = add(conn, "feeds", url)
    assert poll_once(row, session, conn, clock).new == 3
    clock.advance(hours=1)
    result = poll_once(sources.get(conn, row.id), session, conn, clock)
    assert result.ok and result.not_modified and result.new == 0 and result.state == "not modified"
    second = fault_server.hits("/alerts/feeds/1/2")[1]
    assert second.headers["if-none-match"] == '"ga-9"'
    assert second.headers["if-modified-since"] == "Thu, 13 Mar 2025 07:41:12 GMT"
    stored = sources.get(conn, row.id)
    assert (stored.state, stored.last_ok, stored.etag) == ("not modified", clock(), '"ga-9"')
    assert mention_count(conn, row.id) == 3


@pytest.mark.parametrize(("kind", "replies", "state", "words"), [
    ("trustpilot", [Reply(403, DATADOME_CHALLENGE)], "blocked", "bot check"),
    ("trustpilot", [Reply(200, DATADOME_CHALLENGE)], "blocked", "bot check"),
    ("trustpilot", [Reply.redirect("/users/connect")], "login required", "sign-in"),
    ("jsonld", [Reply(401, LOGIN_PAGE)], "login required", "signed-in"),
    ("trustpilot", [Reply.page("jsonld", "no-structured-data.html")], "layout changed", "layout"),
    ("trustpilot", [Reply(500, "oops")], "failing", "server error (500)"),
    ("trustpilot", [Reply(200, "x", delay=5)], "failing", "timed out"),
    ("trustpilot", [Reply(200, b"x" * 9000, drip=(100, 0.02))], "failing", "took longer"),
    ("trustpilot", [Reply(200, "x", header_drip=0.02)], "failing", "took longer"),
    ("trustpilot", [Reply(200, b"x" * 9000, reset_after=100)], "failing", "connection broken"),
    ("trustpilot", [Reply(200, b"x" * 6_000_000, gzip=True)], "failing", "too large"),
    ("trustpilot", [Reply.redirect("file:///etc/passwd")], "failing", "non-http"),
    ("trustpilot", [Reply.redirect(TP)], "failing", "redirects"),
    ("feeds", [Reply.page("feeds", "not-a-feed.html")], "failing", "HTML page"),
])
def test_each_fault_ends_in_its_state(conn, fault_server, tight_session, clock, kind, replies, state, words):
    url = fault_server.route(TP, *replies)
    row = add(conn, kind, url)
    result = poll_once(row, tight_session, conn, clock)
    assert not result.ok and result.state == state and words in result.error
    assert result.new == 0 and result.tries == 1 and "new" not in result.summary()
    stored = sources.get(conn, row.id)
    assert (stored.state, stored.tries, stored.last_ok) == (state, 1, None)
    assert words in stored.last_error
    assert mention_count(conn, row.id) == 0


@pytest.mark.parametrize("retry_after", ["600", "Fri, 14 Mar 2025 09:40:00 GMT"])
def test_rate_limited_keeps_retry_at_for_the_scheduler(conn, fault_server, session, clock, retry_after):
    url = fault_server.route(TP, Reply(429, "slow down", headers={"Retry-After": retry_after}))
    row = add(conn, "trustpilot", url)
    result = poll_once(row, session, conn, clock)
    assert result.state == "rate limited" and result.retry_at.isoformat() == "2025-03-14T09:40:00+00:00"
    stored = sources.get(conn, row.id)
    assert stored.retry_at == result.retry_at
    assert sources.next_poll(stored) >= result.retry_at  # never before the site allows


@pytest.mark.parametrize("retry_after", ["99999999999999999999", "Fri, 31 Dec 9999 23:59:59 -1200"])
def test_odd_retry_after_is_rate_limited_with_a_capped_time(conn, fault_server, session, clock, retry_after):
    url = fault_server.route(TP, Reply(429, "slow down", headers={"Retry-After": retry_after}))
    row = add(conn, "trustpilot", url)
    result = poll_once(row, session, conn, clock)
    assert result.state == "rate limited" and result.retry_at == clock() + timedelta(hours=24)
    assert sources.get(conn, row.id).retry_at == result.retry_at


def test_tries_count_up_then_reset_on_success(conn, fault_server, session, clock):
    url = fault_server.route(TP, Reply(502, "bad gateway"), Reply(502), Reply(502),   # poll 1 (+2 retries)
                             Reply(503, "busy"),                                    # poll 2
                             Reply.page("trustpilot", "northlightstudio-page1.html"))
    row = add(conn, "trustpilot", url)
    assert poll_once(row, session, conn, clock).tries == 1
    assert poll_once(sources.get(conn, row.id), session, conn, clock).tries == 2
    result = poll_once(sources.get(conn, row.id), session, conn, clock)
    assert result.ok and result.new == 5
    stored = sources.get(conn, row.id)
    assert (stored.tries, stored.last_error, stored.retry_at) == (0, None, None)


def test_parser_crash_is_failing_not_a_traceback(conn, fault_server, session, clock, monkeypatch):
    def broken(self, body, url):
        return {}["reviews"]

    monkeypatch.setattr(TrustpilotCompany, "parse", broken)
    row = add(conn, "trustpilot", fault_server.route(TP, Reply.page("trustpilot", "northlightstudio-page1.html")))
    result = poll_once(row, session, conn, clock)
    assert result.state == "failing" and "KeyError" in result.error


def test_unknown_kind_is_failing(conn, fault_server, session, clock):
    row = add(conn, "myspace", fault_server.route(TP, Reply(200, "hi")))
    result = poll_once(row, session, conn, clock)
    assert result.state == "failing" and "unknown source kind" in result.error
    assert fault_server.requests == []


def test_cancelled_between_fetch_and_ingest_stores_nothing(conn, fault_server, session, clock):
    url = fault_server.route(TP, Reply.page("trustpilot", "northlightstudio-page1.html", headers={"ETag": '"e1"'}))
    row = add(conn, "trustpilot", url)
    result = poll_once(row, session, conn, clock, cancelled=lambda: True)
    assert result.cancelled and not result.ok
    stored = sources.get(conn, row.id)
    assert (stored.state, stored.etag, stored.tries) == ("new", None, 0)  # next poll reads the page again
    assert mention_count(conn, row.id) == 0


def test_one_failing_source_does_not_stop_the_others(conn, fault_server, session, clock):
    good = add(conn, "trustpilot", fault_server.route(TP, Reply.page("trustpilot", "northlightstudio-page1.html")))
    bad = add(conn, "trustpilot", fault_server.route("/review/gone.example", Reply(403, DATADOME_CHALLENGE)))
    feed = add(conn, "feeds", fault_server.route("/feed", Reply.page("feeds", "wordpress-comments.rss",
                                                                     content_type="application/rss+xml")))
    results = poll_all([good, bad, feed], session, conn, clock)
    assert [(r.source_id, r.state, r.new) for r in results] == [(good.id, "ok", 5), (bad.id, "blocked", 0),
                                                                 (feed.id, "ok", 2)]


def test_robots_disallow_blocks_page_sources_not_feeds(conn, fault_server, session, clock):
    fault_server.route("/robots.txt", Reply(200, "User-agent: *\nDisallow: /\n", content_type="text/plain"))
    page = add(conn, "jsonld", fault_server.route("/reviews/", Reply.page("jsonld", "freelancer-testimonials.html")))
    feed = add(conn, "feeds", fault_server.route("/feed", Reply.page("feeds", "wordpress-comments.rss")))
    blocked, read = poll_all([page, feed], session, conn, clock)
    assert blocked.state == "blocked" and "robots.txt" in blocked.error
    assert read.ok and read.new == 2


def _trustpilot_page_with(*changes: tuple[int, str, object]) -> bytes:
    """The recorded Trustpilot page with some of its __NEXT_DATA__ reviews changed: (index, field path, value)."""
    import json
    import re

    from tests.scrapers.pages import PAGES

    html = (PAGES / "trustpilot" / "northlightstudio-page1.html").read_text(encoding="utf-8")
    pattern = re.compile(r'(<script id="__NEXT_DATA__" type="application/json">)(.*?)(</script>)', re.DOTALL)
    match = pattern.search(html)
    assert match is not None
    data = json.loads(match.group(2))
    for index, path, value in changes:
        node = data["props"]["pageProps"]["reviews"][index]
        *parents, last = path.split(".")
        for key in parents:
            node = node[key]
        node[last] = value
    # ensure_ascii writes a lone surrogate as the JSON escape \ud800, exactly as a hostile page would.
    return (html[:match.start(2)] + json.dumps(data) + html[match.end(2):]).encode("utf-8")


def test_one_unusable_review_is_skipped_with_a_note_and_the_rest_stored(conn, fault_server, session, clock):
    page = _trustpilot_page_with((0, "dates.publishedDate", "9999-12-31T23:00:00-05:00"),
                                 (3, "text", "Great work \ud800 thanks"))
    url = fault_server.route(TP, Reply(200, page), Reply(200, page))
    row = add(conn, "trustpilot", url)
    result = poll_once(row, session, conn, clock)
    assert result.ok and result.state == "ok" and result.new == 3 and result.seen == 3
    assert result.note == "2 of 5 reviews could not be read: its date 9999-12-31T23:00:00-05:00 is out of range " \
                          "(and 1 more)"
    assert mention_count(conn, row.id) == 3
    stored = sources.get(conn, row.id)
    assert (stored.state, stored.tries, stored.last_error) == ("ok", 0, result.note)
    again = poll_once(stored, session, conn, clock)  # every poll: the same three, nothing doubled
    assert again.ok and again.new == 0 and mention_count(conn, row.id) == 3


def test_a_clean_poll_clears_the_note(conn, fault_server, session, clock):
    bad = _trustpilot_page_with((2, "text", "\ud800"))
    url = fault_server.route(TP, Reply(200, bad), Reply.page("trustpilot", "northlightstudio-page1.html"))
    row = add(conn, "trustpilot", url)
    assert poll_once(row, session, conn, clock).note.startswith("1 of 5 reviews could not be read: its text")
    assert poll_once(sources.get(conn, row.id), session, conn, clock).note is None
    assert sources.get(conn, row.id).last_error is None and mention_count(conn, row.id) == 5
