"""Discourse: search.json newest first, then the full post of each new hit only; the cursor (newest post id,
`after:` day) on the requests the forum receives; API key headers; 429, 403 and faults."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from scrapers.base import LoginRequired, ParseError, RateLimited
from scrapers.discourse import Discourse
from scrapers.poll import PollRequest
from scrapers.terms import Terms
from tests.helpers.fault_server import Reply
from tests.scrapers.pages import PAGES, cases, check_page

HERE = PAGES / "discourse"
SEARCH = (HERE / "search-sam-rivera.response").read_bytes()
POST = json.loads((HERE / "post-48213.response").read_text(encoding="utf-8"))


def json_reply(body: object, status: int = 200, **kwargs: object) -> Reply:
    text = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return Reply(status, text, content_type="application/json; charset=utf-8", **kwargs)  # type: ignore[arg-type]


def post(post_id: int, text: str, created: str, number: int = 2, topic: int = 9127) -> dict[str, object]:
    """A posts/<id>.json answer like the recorded one, with its own id, text and time."""
    return {**POST, "id": post_id, "cooked": f"<p>{text}</p>", "raw": text, "created_at": created,
            "post_number": number, "topic_id": topic}


def serve_forum(server) -> None:
    server.route("/search.json", json_reply(SEARCH))
    server.route("/posts/48213.json", json_reply(POST))
    server.route("/posts/48190.json", json_reply(post(48190, "Has anyone worked with Sam Rivera "
                                                      "(<a href=\"https://rivera.dev\">rivera.dev</a>)? His quote is "
                                                      "twice the others.", "2026-11-27T16:03:55.410Z", 4)))
    server.route("/posts/47002.json", json_reply(post(47002, "Just finished a biography of Diego Rivera. Sam "
                                                      "recommended it.", "2026-11-26T21:14:33.102Z", 58, 8840)))


def request(server, clock, *terms: str, checkpoint=None, credentials=None):
    return PollRequest(url=server.url("/"), now=clock(), terms=Terms(terms or ("Sam Rivera",)),
                       checkpoint=checkpoint or {}, credentials=credentials or {})


def searches(server) -> list[str]:
    return [parse_qs(urlsplit(r.path).query)["q"][0] for r in server.requests if r.path.startswith("/search.json")]


def post_fetches(server) -> list[str]:
    return [r.path for r in server.requests if r.path.startswith("/posts/")]


@pytest.mark.parametrize(("page_file", "expected"), cases("discourse"))
def test_recorded_response(page_file: Path, expected):
    check_page("discourse", page_file, expected)


def test_first_poll_reads_new_hits_in_full_and_keeps_matches(fault_server, session, clock):
    serve_forum(fault_server)
    outcome = Discourse().poll(session, request(fault_server, clock))
    assert searches(fault_server) == ['"Sam Rivera" order:latest']
    assert post_fetches(fault_server) == ["/posts/47002.json", "/posts/48190.json", "/posts/48213.json"]
    assert [(m.external_id, m.matched) for m in outcome.mentions] == [("48190", "Sam Rivera"), ("48213", "Sam Rivera")]
    full = outcome.mentions[1]
    assert "did not bill the extra days" in full.text  # beyond the search's cut blurb
    assert "\n\n" in full.text and full.title == "Recommendations for a Stripe Billing contractor?"
    assert full.url.endswith("/t/recommendations-for-a-stripe-billing-contractor/9127/6")
    assert outcome.checkpoint == {"post_id": 48213, "after": "2026-11-27"}


def test_second_poll_asks_after_the_newest_day_and_fetches_only_new_posts(fault_server, session, clock):
    serve_forum(fault_server)
    first = Discourse().poll(session, request(fault_server, clock))
    fetched_before = len(post_fetches(fault_server))
    again = Discourse().poll(session, request(fault_server, clock, checkpoint=first.checkpoint))
    assert searches(fault_server)[-1] == '"Sam Rivera" order:latest after:2026-11-27'
    assert len(post_fetches(fault_server)) == fetched_before  # the same hits again: no post fetched twice
    assert again.mentions == [] and again.checkpoint == first.checkpoint


def test_a_busy_days_results_are_paged_until_a_post_seen_before(fault_server, session, clock):
    """`after:` is by day: the re-read window from the day before the newest post can hold more than a page of
    results. Pages are read on until one reaches a post already seen, so nothing past the first page is missed
    at a day boundary, and nothing seen is fetched or kept twice."""
    recorded = json.loads(SEARCH)
    by_id = {p["id"]: p for p in recorded["posts"]}
    newest_page = {**recorded, "posts": [by_id[48213]],
                   "grouped_search_result": {**recorded["grouped_search_result"], "more_full_page_results": True}}
    older_page = {**recorded, "posts": [by_id[48190], by_id[47002]]}
    fault_server.route("/search.json", json_reply(json.dumps(newest_page)), json_reply(json.dumps(older_page)))
    fault_server.route("/posts/48213.json", json_reply(POST))
    fault_server.route("/posts/48190.json", json_reply(post(48190, "Has anyone worked with Sam Rivera before?",
                                                            "2026-11-27T16:02:11.000Z")))
    seen = {"post_id": 47002, "after": "2026-11-26"}
    outcome = Discourse().poll(session, request(fault_server, clock, checkpoint=seen))
    pages = [parse_qs(urlsplit(r.path).query).get("page", ["1"])[0] for r in fault_server.requests
             if r.path.startswith("/search.json")]
    assert pages == ["1", "2"] and set(searches(fault_server)) == {'"Sam Rivera" order:latest after:2026-11-26'}
    assert post_fetches(fault_server) == ["/posts/48190.json", "/posts/48213.json"]  # 47002 was seen: not again
    assert sorted(m.external_id for m in outcome.mentions) == ["48190", "48213"]
    assert outcome.checkpoint["post_id"] == 48213


def test_a_first_check_reads_one_page_only(fault_server, session, clock):
    recorded = json.loads(SEARCH)
    more = {**recorded, "grouped_search_result": {**recorded["grouped_search_result"], "more_full_page_results": True}}
    fault_server.route("/search.json", json_reply(json.dumps(more)))
    for post_id in (48213, 48190, 47002):
        fault_server.route(f"/posts/{post_id}.json", json_reply(post(post_id, "Sam Rivera helped", "2026-11-27T10:00:00Z")))
    Discourse().poll(session, request(fault_server, clock))
    assert len(searches(fault_server)) == 1  # no backfill of years on the first check


def test_api_key_headers_go_with_every_request(fault_server, session, clock):
    serve_forum(fault_server)
    Discourse().poll(session, request(fault_server, clock, credentials={"api_key": "k-4f1d9e", "api_username": "sam"}))
    assert all(r.headers.get("api-key") == "k-4f1d9e" and r.headers.get("api-username") == "sam"
               for r in fault_server.requests)
    assert all("k-4f1d9e" not in r.path for r in fault_server.requests)


def test_anonymous_search_rate_limited_waits_for_retry_after(fault_server, session, clock):
    fault_server.route("/search.json", json_reply({"errors": ["You’ve performed this action too many times. "
                                                              "Please wait 37 seconds before trying again."],
                                                   "error_type": "rate_limit", "extras": {"wait_seconds": 37}},
                                                  429, headers={"Retry-After": "37"}))
    with pytest.raises(RateLimited) as caught:
        Discourse().poll(session, request(fault_server, clock))
    assert (caught.value.retry_at - clock()).total_seconds() >= 37  # the HTTP layer may round a short wait up


def test_private_forum_403_says_to_add_a_key(fault_server, session, clock):
    fault_server.route("/search.json", json_reply((HERE / "login-required.response").read_bytes(), 403))
    with pytest.raises(LoginRequired) as caught:
        Discourse().poll(session, request(fault_server, clock))
    assert "add an API key" in str(caught.value)


def test_a_wrong_key_says_so(fault_server, session, clock):
    fault_server.route("/search.json", json_reply('{"errors": ["invalid api key"]}', 403))
    with pytest.raises(LoginRequired) as caught:
        Discourse().poll(session, request(fault_server, clock, credentials={"api_key": "x", "api_username": "y"}))
    assert "refused the API key" in str(caught.value)


def test_faults_are_typed(fault_server, session, clock):
    fault_server.route("/search.json", Reply(200, "<!DOCTYPE html><html><body>Maintenance</body></html>"))
    with pytest.raises(ParseError):
        Discourse().poll(session, request(fault_server, clock))
