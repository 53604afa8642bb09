"""Hacker News through Algolia: recorded responses, comment HTML to text, and polls against a local server
(cursor on the request the server receives, paging by the cursor, terms, rate limits, faults)."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from scrapers.base import FetchError, LayoutChanged, ParseError, RateLimited
from scrapers.hackernews import HITS_PER_PAGE, HackerNews, hn_text
from scrapers.poll import PollRequest
from scrapers.terms import Terms
from tests.helpers.fault_server import Reply
from tests.scrapers.pages import PAGES, cases, check_page

SEARCH = "/api/v1/search_by_date"
RECORDED = (PAGES / "hackernews" / "search-sam-rivera.response").read_bytes()


def json_reply(data: object, **kwargs: object) -> Reply:
    body = data if isinstance(data, (bytes, str)) else json.dumps(data)
    return Reply(200, body, content_type="application/json; charset=utf-8", **kwargs)  # type: ignore[arg-type]


def hit(object_id: int, created: int, text: str = "Sam Rivera shipped it") -> dict[str, object]:
    return {"_tags": ["comment", "author_ada", f"story_{object_id - 1}"], "author": "ada", "comment_text": text,
            "created_at": "2026-11-27T10:00:00Z", "created_at_i": created, "objectID": str(object_id),
            "parent_id": object_id - 1, "story_id": object_id - 1, "story_title": "Ask HN: Who to hire?"}


def page(*hits: dict[str, object]) -> dict[str, object]:
    return {"hits": list(hits), "hitsPerPage": HITS_PER_PAGE, "nbHits": len(hits), "nbPages": 1, "page": 0,
            "query": "Sam Rivera", "processingTimeMS": 1}


def queries(server) -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(r.path).query) for r in server.requests if r.path.startswith(SEARCH)]


@pytest.mark.parametrize(("page_file", "expected"), cases("hackernews"))
def test_recorded_response(page_file, expected):
    check_page("hackernews", page_file, expected)


def test_comment_html_keeps_paragraphs_and_decodes_entities():
    text = hn_text("He didn&#x27;t patch it.<p>Notes: <a href=\"https:&#x2F;&#x2F;rivera.dev&#x2F;\" "
                   "rel=\"nofollow\">https:&#x2F;&#x2F;rivera.dev&#x2F;</a><p><i>Would</i> hire &amp; again</p>")
    assert text == "He didn't patch it.\n\nNotes: https://rivera.dev/\n\nWould hire & again"
    assert "<" not in hn_text("<pre><code>  x &lt; y\n</code></pre>").replace("x < y", "")


def request(server, clock, *terms: str, checkpoint=None, exclude=()):
    return PollRequest(url=server.url(SEARCH), now=clock(), terms=Terms(terms, exclude),
                       checkpoint=checkpoint or {})


def test_first_poll_keeps_matches_only_and_sets_the_cursor(fault_server, session, clock):
    fault_server.route(SEARCH, json_reply(RECORDED))
    outcome = HackerNews().poll(session, request(fault_server, clock, "Sam Rivera"))
    # The Detroit mural comment is Algolia's fuzzy hit: "Rivera" and "Sam" but not the phrase.
    assert [(m.external_id, m.matched) for m in outcome.mentions] == [("45873311", "Sam Rivera"),
                                                                       ("45861777", "Sam Rivera")]
    assert outcome.checkpoint == {"created_at_i": 1795797728}
    sent = queries(fault_server)
    assert len(sent) == 1
    assert sent[0]["query"] == ["Sam Rivera"] and sent[0]["tags"] == ["(story,comment)"]
    assert "numericFilters" not in sent[0]  # the first check reads the newest page, not all of history


def test_second_poll_asks_only_for_newer_items(fault_server, session, clock):
    fault_server.route(SEARCH, json_reply(RECORDED), json_reply(page()))
    source = HackerNews()
    first = source.poll(session, request(fault_server, clock, "Sam Rivera"))
    second = source.poll(session, request(fault_server, clock, "Sam Rivera", checkpoint=first.checkpoint))
    assert queries(fault_server)[1]["numericFilters"] == ["created_at_i>1795797728"]
    assert second.mentions == [] and second.checkpoint == first.checkpoint


def test_link_story_matches_on_its_url_and_exclude_terms_drop(fault_server, session, clock):
    fault_server.route(SEARCH, json_reply(RECORDED))
    outcome = HackerNews().poll(session, request(fault_server, clock, "rivera.dev", exclude=["Stripe"]))
    assert [(m.external_id, m.matched) for m in outcome.mentions] == [("45873311", "rivera.dev"),
                                                                       ("45869902", "rivera.dev")]


def test_each_term_is_its_own_search_and_a_hit_is_kept_once(fault_server, session, clock):
    fault_server.route(SEARCH, json_reply(RECORDED))
    outcome = HackerNews().poll(session, request(fault_server, clock, "Sam Rivera", "rivera.dev"))
    assert [q["query"] for q in queries(fault_server)] == [["Sam Rivera"], ["rivera.dev"]]
    assert sorted(m.external_id for m in outcome.mentions) == ["45861777", "45869902", "45873311"]


def test_many_new_hits_are_paged_with_the_cursor_not_page_numbers(fault_server, session, clock):
    full = page(*(hit(1000 + i, 5000 - i) for i in range(HITS_PER_PAGE)))  # created 5000 .. 4901
    rest = page(hit(900, 4901), hit(899, 4900))  # the boundary hit again, then one older
    fault_server.route(SEARCH, json_reply(full), json_reply(rest))
    outcome = HackerNews().poll(session, request(fault_server, clock, "Sam Rivera", checkpoint={"created_at_i": 10}))
    sent = queries(fault_server)
    assert [q["numericFilters"] for q in sent] == [["created_at_i>10"], ["created_at_i>10,created_at_i<=4901"]]
    assert all("page" not in q for q in sent)
    assert len(outcome.mentions) == HITS_PER_PAGE + 2 and outcome.checkpoint == {"created_at_i": 5000}


def test_used_up_allowance_stops_the_poll_before_the_next_call(fault_server, session, clock):
    fault_server.route(SEARCH, json_reply(page(hit(5, 100)), headers={"X-RateLimit-Remaining": "0",
                                                                       "X-RateLimit-Reset": "120"}))
    with pytest.raises(RateLimited) as caught:
        HackerNews().poll(session, request(fault_server, clock, "Sam Rivera", "rivera.dev"))
    assert (caught.value.retry_at - clock()).total_seconds() == 120
    assert len(queries(fault_server)) == 1  # the second term's search was never sent


@pytest.mark.parametrize(("reply", "error"), [
    (Reply(429, "Too many requests", headers={"Retry-After": "60"}), RateLimited),
    (Reply(200, "<!DOCTYPE html><html><body>Bad gateway</body></html>"), ParseError),
    (json_reply({"message": "index not found", "status": 404}), LayoutChanged),
    (Reply(502, "bad gateway"), FetchError),
    (json_reply(RECORDED, truncate_to=200), FetchError),
    (json_reply(RECORDED, reset_after=100), FetchError),
])
def test_faults_are_typed_errors(fault_server, session, clock, reply, error):
    fault_server.route(SEARCH, reply)
    with pytest.raises(error):
        HackerNews().poll(session, request(fault_server, clock, "Sam Rivera"))
