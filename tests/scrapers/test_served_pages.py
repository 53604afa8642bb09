"""Every recorded page, served over real HTTP in each way servers end a response, reads as it does from disk.

Keep-alive, HTTP/1.0, `Connection: close` with and without a Content-Length: many real servers close the
connection after each answer, and robots.txt served that way must read just as well.
"""
from __future__ import annotations

import dataclasses

import pytest

import scrapers
from scrapers.base import Blocked, ScrapeError
from tests.helpers.fault_server import MODES, FaultServer, Reply
from tests.helpers.fixtures import roomy_session
from tests.scrapers.pages import cases

# Shaped like the robots.txt of a review site: the sign-in and internal paths closed, review pages open.
ROBOTS_TXT = """User-agent: *
Disallow: /users/connect
Disallow: /evaluate/
Disallow: /*?*sort=
Allow: /

Sitemap: https://www.trustpilot.com/sitemap.xml
"""

CONTENT_TYPES = {".html": "text/html", ".rss": "application/rss+xml", ".xml": "application/atom+xml"}


def _all_cases() -> list[object]:
    return [pytest.param(kind, *case.values, id=f"{kind}/{case.id}") for kind in ("trustpilot", "jsonld", "feeds")
            for case in cases(kind)]


@pytest.fixture(params=MODES)
def server(request):
    with FaultServer(request.param) as served:
        yield served


@pytest.mark.parametrize(("kind", "page", "expected"), _all_cases())
def test_recorded_page_over_http(server, clock, kind, page, expected):
    body = page.read_bytes()
    server.route("/robots.txt", Reply(200, ROBOTS_TXT, content_type="text/plain"))
    url = server.route(f"/{kind}/{page.name}", Reply(200, body, content_type=CONTENT_TYPES[page.suffix]))
    reader = scrapers.load_all()[kind]()
    with roomy_session(clock) as session:
        fetched = reader.fetch(session, url)
    assert fetched.body == body
    assert len(server.hits("/robots.txt")) == (1 if reader.respects_robots else 0)
    as_recorded = dataclasses.replace(fetched, url=expected["url"])
    if "error" in expected:
        with pytest.raises(ScrapeError) as caught:
            reader.parse_fetched(as_recorded)
        assert type(caught.value).__name__ == expected["error"]
        return
    assert [m.to_json() for m in reader.parse_fetched(as_recorded)] == expected["mentions"]


def test_robots_txt_disallowing_is_read_in_every_mode(server, clock):
    server.route("/robots.txt", Reply(200, ROBOTS_TXT, content_type="text/plain"))
    server.route("/evaluate/northlightstudio.co.uk", Reply(200, "<h1>Write a review</h1>"))
    with roomy_session(clock) as session:
        with pytest.raises(Blocked, match="robots.txt"):
            session.fetch(server.url("/evaluate/northlightstudio.co.uk"))
    assert server.hits("/evaluate/northlightstudio.co.uk") == []
