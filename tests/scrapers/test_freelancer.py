"""scrapers/freelancer.py: recorded API answers, pagination by offset and the 24-hour full refresh against a
local server, through the one runner and a real store."""
from __future__ import annotations

import json

import pytest

from desktop.polling import poll_once
from desktop.store import sources
from scrapers.base import FetchError
from scrapers.freelancer import FreelancerProfile, parse_reputation, parse_user_id, reputation_summary
from tests.helpers.fault_server import Reply
from tests.scrapers.pages import PAGES, cases, check_page

DIR = PAGES / "freelancer"
REVIEWS = "/api/projects/0.1/reviews/"


def sent(path: str) -> str:
    """A path as the client sends it: `[]` in the query percent-encoded."""
    return path.replace("[]", "%5B%5D")


def answer(name: str) -> Reply:
    return Reply(200, (DIR / name).read_bytes(), content_type="application/json; charset=utf-8")


@pytest.mark.parametrize(("page", "expected"), cases("freelancer"))
def test_recorded_answer(page, expected):
    check_page("freelancer", page, expected)


def test_username_lookup_and_reputation():
    url = "https://www.freelancer.com/api/users/0.1/users/?usernames[]=marenholt"
    assert parse_user_id((DIR / "users-lookup.response").read_bytes(), url, "MarenHolt") == 41822917
    with pytest.raises(FetchError, match="no user named"):
        parse_user_id((DIR / "users-unknown.response").read_bytes(), url, "nobody_here")
    reputation = parse_reputation((DIR / "reputations.response").read_bytes(), url, 41822917)
    assert reputation_summary(reputation) == "4.7/5 from 48 reviews; 92% on time; 96% on budget; would hire again 4.6/5"


@pytest.fixture
def api(fault_server, monkeypatch):
    """The API on the fault server, three reviews a page: page 1 holds three, page 2 the rest."""
    monkeypatch.setattr(FreelancerProfile, "page_size", 3)
    reader = FreelancerProfile()
    fault_server.route(sent("/api/users/0.1/users/?usernames[]=marenholt"), answer("users-lookup.response"))
    fault_server.route(sent("/api/users/0.1/reputations/?users[]=41822917&role=freelancer"), answer("reputations.response"))
    for offset, name in ((0, "reviews-page1.response"), (3, "reviews-page2.response")):
        fault_server.route(sent(reader.reviews_url("", 41822917, offset)), answer(name))
    return fault_server


def review_pages(server) -> list[str]:
    return [r.path.rsplit("offset=", 1)[1] for r in server.requests if r.path.startswith(REVIEWS)]


def test_pages_by_offset_then_only_the_newest_until_a_day_has_passed(conn, api, session, clock):
    row = sources.add(conn, "freelancer", api.url("/u/marenholt"), interval_s=3600)
    first = poll_once(row, session, conn, clock)
    assert first.ok and first.new == 4 and review_pages(api) == ["0", "3"]  # the pending review is not public
    stored = sources.get(conn, row.id)
    assert stored.checkpoint["user_id"] == 41822917 and stored.checkpoint["full_at"] == clock().isoformat()
    assert stored.checkpoint["summary"].startswith("4.7/5 from 48 reviews")

    clock.advance(hours=1)
    again = poll_once(sources.get(conn, row.id), session, conn, clock)
    assert again.ok and again.new == 0
    assert review_pages(api) == ["0", "3", "0"]  # nothing newer on page 1: page 2 is not asked for
    assert len([r for r in api.requests if "usernames" in r.path]) == 1  # the id is kept

    clock.advance(hours=23)
    daily = poll_once(sources.get(conn, row.id), session, conn, clock)
    assert daily.ok and review_pages(api) == ["0", "3", "0", "0", "3"]  # the full refresh, 24 h after the last
    assert sources.get(conn, row.id).checkpoint["full_at"] == clock().isoformat()


def test_an_unknown_username_fails_in_words(conn, fault_server, session, clock):
    fault_server.route(sent("/api/users/0.1/users/?usernames[]=nobody_here"), answer("users-unknown.response"))
    row = sources.add(conn, "freelancer", fault_server.url("/u/nobody_here"), interval_s=3600)
    result = poll_once(row, session, conn, clock)
    assert result.state == "failing" and "no user named 'nobody_here'" in result.error


def test_checked_at_least_daily_and_url_shape():
    assert FreelancerProfile.max_interval_s == 24 * 3600
    assert FreelancerProfile.check_url("https://www.freelancer.com/u/marenholt") is None
    assert "profile" in FreelancerProfile.check_url("https://www.freelancer.com/projects/php/fix-invoice")
    assert FreelancerProfile.check_url("https://freelancer.com.example.org/u/x") is not None


def test_api_error_envelope_says_what_the_api_said():
    body = json.dumps({"status": "error", "message": "Too many requests", "error_code": "RateLimitError"})
    with pytest.raises(FetchError, match="Too many requests"):
        FreelancerProfile().parse(body, "https://www.freelancer.com/api/projects/0.1/reviews/")
