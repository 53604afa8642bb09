"""Reddit: the search feed by default, the OAuth API with an app (token fetch, reuse, refresh, 401), the
cursor on the request Reddit receives, rate-limit headers, 403 and the throttled empty 200, in words."""
from __future__ import annotations

import base64
import warnings
from urllib.parse import parse_qs, urlsplit

import pytest

from scrapers.base import Blocked, LoginRequired, RateLimited
from scrapers.poll import PollRequest
from scrapers.reddit import LIMIT, Reddit
from scrapers.reddit_auth import TOKENS
from scrapers.terms import Terms
from tests.helpers.fault_server import Reply
from tests.scrapers.pages import PAGES, cases, check_page

ATOM = (PAGES / "reddit" / "search-sam-rivera.atom").read_bytes()
LISTING = (PAGES / "reddit" / "oauth-search-sam-rivera.response").read_bytes()
EMPTY = (PAGES / "reddit" / "empty-listing.response").read_bytes()
TOKEN = "/api/v1/access_token"
APP = {"client_id": "p-jq7Xk2cRv9Lm1w", "client_secret": "s3cr3t-Qm9fT2xZbW91c2U", "username": "samrivera_dev"}


@pytest.fixture(autouse=True)
def no_tokens_between_tests():
    TOKENS._tokens.clear()
    yield
    TOKENS._tokens.clear()


def atom_reply(body: bytes = ATOM, **kwargs: object) -> Reply:
    return Reply(200, body, content_type="application/atom+xml; charset=UTF-8", **kwargs)  # type: ignore[arg-type]


def json_reply(body: bytes | str, status: int = 200, **kwargs: object) -> Reply:
    return Reply(status, body, content_type="application/json; charset=UTF-8", **kwargs)  # type: ignore[arg-type]


def token_reply(token: str = "eyJhbGciOiJSUzI1NiJ9.a1", expires_in: int = 86400) -> Reply:
    return json_reply(f'{{"access_token": "{token}", "token_type": "bearer", "expires_in": {expires_in}, '
                      '"scope": "*"}')


def request(server, clock, *, path: str = "", credentials=None, checkpoint=None, terms=("Sam Rivera", "rivera.dev")):
    return PollRequest(url=server.url(path or "/"), now=clock(), terms=Terms(terms), checkpoint=checkpoint or {},
                       credentials=credentials or {})


def query(req) -> dict[str, list[str]]:
    return parse_qs(urlsplit(req.path).query)


@pytest.mark.parametrize(("page_file", "expected"), cases("reddit"))
def test_recorded_response(page_file, expected):
    check_page("reddit", page_file, expected)


def test_feed_by_default_searches_all_terms_as_phrases_and_keeps_matches(fault_server, session, clock):
    fault_server.route("/search.rss", atom_reply())
    outcome = Reddit().poll(session, request(fault_server, clock))
    sent = fault_server.requests[0]
    assert query(sent) == {"q": ['"Sam Rivera" OR "rivera.dev"'], "sort": ["new"], "limit": [str(LIMIT)]}
    assert sent.headers["user-agent"].startswith("desktop:rapport:")
    # The murals post is Reddit's fuzzy hit ("Sam ... Rivera"): dropped.
    assert [(m.external_id, m.matched) for m in outcome.mentions] == [("t3_1h7kq2x", "Sam Rivera"),
                                                                       ("t3_1h6zr0c", "Sam Rivera")]
    assert outcome.mentions[0].author == "marta_builds" and "submitted by" not in outcome.mentions[0].text


def test_a_subreddit_address_searches_only_there(fault_server, session, clock):
    fault_server.route("/r/forhire/search.rss", atom_reply())
    Reddit().poll(session, request(fault_server, clock, path="/r/forhire"))
    assert query(fault_server.requests[0])["restrict_sr"] == ["1"]


def test_feed_403_says_what_to_do(fault_server, session, clock):
    fault_server.route("/search.rss", Reply(403, "<html><body><h1>403 Forbidden</h1></body></html>"))
    with pytest.raises(Blocked) as caught:
        Reddit().poll(session, request(fault_server, clock))
    assert "Add an approved Reddit app" in str(caught.value)


def test_empty_feed_right_after_a_full_one_is_throttling_not_nothing_new(fault_server, session, clock):
    empty = ATOM.split(b"<entry>")[0] + b"</feed>"
    fault_server.route("/search.rss", atom_reply(), atom_reply(empty))
    reddit = Reddit()
    first = reddit.poll(session, request(fault_server, clock))
    with pytest.raises(RateLimited) as caught:
        Reddit().poll(session, request(fault_server, clock, checkpoint=first.checkpoint))
    assert "Reddit may be throttling" in str(caught.value) and caught.value.retry_at > clock()


def test_app_fetches_a_token_then_reads_the_api_with_it(fault_server, session, clock):
    fault_server.route(TOKEN, token_reply())
    fault_server.route("/search", json_reply(LISTING, headers={"X-Ratelimit-Remaining": "98.0",
                                                                "X-Ratelimit-Reset": "412", "X-Ratelimit-Used": "2"}))
    outcome = Reddit().poll(session, request(fault_server, clock, credentials=APP))
    post, search = fault_server.requests
    assert post.method == "POST" and post.path == TOKEN and parse_qs(post.body.decode()) == {
        "grant_type": ["client_credentials"]}
    assert base64.b64decode(post.headers["authorization"].split()[1]).decode() == \
        f"{APP['client_id']}:{APP['client_secret']}"
    assert search.headers["authorization"] == "bearer eyJhbGciOiJSUzI1NiJ9.a1"
    assert search.headers["user-agent"].endswith("(by /u/samrivera_dev)")
    assert query(search)["raw_json"] == ["1"] and "before" not in query(search)
    assert [(m.external_id, m.matched) for m in outcome.mentions] == [("t1_lz0c7qa", "Sam Rivera"),
                                                                       ("t3_1h7kq2x", "Sam Rivera")]
    assert outcome.checkpoint == {"mode": "api", "api_count": 3, "before": "t1_lz0c7qa"}
    assert outcome.not_before is None  # 98 requests left: no hold


def test_second_poll_asks_only_for_newer_and_reuses_the_token_until_it_expires(fault_server, session, clock):
    fault_server.route(TOKEN, token_reply("tok-1", 3600), token_reply("tok-2", 3600))
    fault_server.route("/search", json_reply(LISTING), json_reply(EMPTY), json_reply(EMPTY))
    first = Reddit().poll(session, request(fault_server, clock, credentials=APP))
    clock.advance(minutes=30)
    second = Reddit().poll(session, request(fault_server, clock, credentials=APP, checkpoint=first.checkpoint))
    assert query(fault_server.requests[-1])["before"] == ["t1_lz0c7qa"]
    assert second.mentions == [] and second.checkpoint["before"] == "t1_lz0c7qa"
    assert [r.method for r in fault_server.requests] == ["POST", "GET", "GET"]  # one token for both
    clock.advance(minutes=29)  # within the safety margin of the token's end: a fresh one first
    Reddit().poll(session, request(fault_server, clock, credentials=APP, checkpoint=second.checkpoint))
    assert [r.method for r in fault_server.requests] == ["POST", "GET", "GET", "POST", "GET"]
    assert fault_server.requests[-1].headers["authorization"] == "bearer tok-2"


def test_a_token_refused_early_is_replaced_once(fault_server, session, clock):
    fault_server.route(TOKEN, token_reply("revoked"), token_reply("fresh"))
    fault_server.route("/search", json_reply('{"message": "Unauthorized", "error": 401}', 401), json_reply(LISTING))
    outcome = Reddit().poll(session, request(fault_server, clock, credentials=APP))
    assert len(outcome.mentions) == 2
    assert [r.headers.get("authorization", "")[:13] for r in fault_server.requests if r.method == "GET"] == [
        "bearer revoke", "bearer fresh"]


def test_wrong_app_credentials_say_so(fault_server, session, clock):
    fault_server.route(TOKEN, json_reply('{"message": "Unauthorized", "error": 401}', 401))
    with pytest.raises(LoginRequired) as caught:
        Reddit().poll(session, request(fault_server, clock, credentials=APP))
    assert "client id and secret" in str(caught.value)
    assert APP["client_secret"] not in str(caught.value)


def test_rate_limit_headers_hold_the_next_poll_and_stop_when_used_up(fault_server, session, clock):
    fault_server.route(TOKEN, token_reply())
    fault_server.route("/search", json_reply(LISTING, headers={"X-Ratelimit-Remaining": "0.0",
                                                                "X-Ratelimit-Reset": "240"}))
    outcome = Reddit().poll(session, request(fault_server, clock, credentials=APP))
    assert (outcome.not_before - clock()).total_seconds() == 240


def test_api_empty_right_after_a_full_page_is_throttling(fault_server, session, clock):
    fault_server.route(TOKEN, token_reply())
    fault_server.route("/search", json_reply(EMPTY))
    full = {"mode": "api", "api_count": LIMIT, "before": "t3_1h7kq2x"}
    with pytest.raises(RateLimited) as caught:
        Reddit().poll(session, request(fault_server, clock, credentials=APP, checkpoint=full))
    assert "Reddit may be throttling" in str(caught.value)


def test_api_403_says_what_to_check(fault_server, session, clock):
    fault_server.route(TOKEN, token_reply())
    fault_server.route("/search", json_reply('{"message": "Forbidden", "error": 403}', 403))
    with pytest.raises(Blocked) as caught:
        Reddit().poll(session, request(fault_server, clock, credentials=APP))
    assert "Reddit refused the app (403)" in str(caught.value)


def test_reddit_urls_only():
    assert Reddit.check_url("https://www.reddit.com/r/forhire") is None
    assert Reddit.check_url("https://old.reddit.com") is None
    assert "reddit.com" in (Reddit.check_url("https://news.ycombinator.com/") or "")


@pytest.mark.parametrize("as_text", [False, True])
def test_a_surrogate_character_reference_in_the_feed_is_read_not_a_crash(as_text):
    """Found by the 10,000-case fuzz run: `&#XD800;` made feedparser raise UnicodeEncodeError for the whole
    feed. The broken reference becomes U+FFFD and every entry is still read, bytes or already-decoded text."""
    body = (PAGES / "reddit" / "search-sam-rivera.atom").read_bytes()
    broken = body.replace(b"<icon>", b"<icon>&#XD800;", 1).replace(b"<title>", b"<title>&#xD800;", 2)
    assert broken != body
    whole = Reddit().parse(body, "https://www.reddit.com/search.rss")
    read = Reddit().parse(broken.decode("utf-8") if as_text else broken, "https://www.reddit.com/search.rss")
    assert [m.external_id for m in read] == [m.external_id for m in whole]
    assert all("\ud800" not in (m.title + m.text) for m in read)


def test_an_entry_without_a_readable_date_has_none_and_no_deprecation_warning() -> None:
    """feedparser's issue-310 fallback (`updated_parsed` answered with `published_parsed`, with a warning) is not
    what a post without a readable date is read through."""
    body = ATOM.replace(b"<updated>2026-11-28T14:05:11+00:00</updated><published>2026-11-28T14:05:11+00:00</published>",
                        b"<published>soon</published>", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = Reddit.parse_atom(body, "https://www.reddit.com/search.rss")
    assert [m.posted_at is None for m in found] == [True, False, False]
