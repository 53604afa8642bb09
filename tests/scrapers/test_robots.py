"""robots.txt as RFC 9309 reads it (wildcards, `$`, the longest match wins, our own group over `*`), cached for
24 hours in one cache every session can share."""
from __future__ import annotations

import threading

import pytest

from scrapers.base import Blocked
from scrapers.robots import RobotsCache
from tests.helpers.fault_server import Reply
from tests.helpers.fixtures import roomy_session

PAGE = "<!doctype html><title>Northlight Studio</title><p>Reviews 47</p>"

# Rules of the shapes big review sites publish.
ROBOTS_TXT = """# robots.txt
User-agent: *
Disallow: /reviews/
Allow: /reviews/public/
Disallow: /*?*sort=
Disallow: /*.json$
Allow: /search$
Disallow: /search
"""


@pytest.mark.parametrize(("path", "allowed"), [
    ("/reviews/public/northlight", True),     # the longer Allow beats the shorter Disallow, whatever the order
    ("/reviews/private/northlight", False),
    ("/company?page=2&sort=recency", False),  # a wildcard in the middle
    ("/company?page=2", True),
    ("/api/reviews.json", False),             # `$` anchors at the end
    ("/api/reviews.json?v=2", True),
    ("/search", True),                        # equal patterns aside, Allow /search$ is longer than Disallow /search
    ("/search/results", False),
])
def test_rfc9309_rules(fault_server, clock, path, allowed):
    fault_server.route("/robots.txt", Reply(200, ROBOTS_TXT, content_type="text/plain"))
    fault_server.route(path, Reply(200, PAGE))
    with roomy_session(clock) as session:
        if allowed:
            assert session.fetch(fault_server.url(path)).text == PAGE
        else:
            with pytest.raises(Blocked, match="robots.txt"):
                session.fetch(fault_server.url(path))


def test_own_group_replaces_the_star_group(fault_server, clock):
    """With a `User-agent: Rapport` group, the `*` rules no longer apply to us (RFC 9309 2.2.1)."""
    fault_server.route("/robots.txt", Reply(200, "User-agent: *\nDisallow: /\n\nUser-agent: rapport\nAllow: /\n",
                                            content_type="text/plain"))
    fault_server.route("/reviews", Reply(200, PAGE))
    with roomy_session(clock) as session:
        assert session.fetch(fault_server.url("/reviews")).status == 200


def test_sessions_sharing_a_cache_fetch_robots_txt_once(fault_server, clock):
    fault_server.route("/robots.txt", Reply(200, ROBOTS_TXT, content_type="text/plain"))
    fault_server.route("/company", Reply(200, PAGE))
    shared = RobotsCache()
    for _ in range(3):
        with roomy_session(clock, robots=shared) as session:
            session.fetch(fault_server.url("/company"))
    assert len(fault_server.hits("/robots.txt")) == 1 and len(fault_server.hits("/company")) == 3


def test_cache_expires_after_24_hours(fault_server, clock):
    fault_server.route("/robots.txt", Reply(200, "User-agent: *\nAllow: /\n", content_type="text/plain"),
                       Reply(200, "User-agent: *\nDisallow: /\n", content_type="text/plain"))
    fault_server.route("/company", Reply(200, PAGE))
    with roomy_session(clock) as session:
        session.fetch(fault_server.url("/company"))
        clock.advance(hours=23, minutes=59)
        session.fetch(fault_server.url("/company"))
        assert len(fault_server.hits("/robots.txt")) == 1
        clock.advance(minutes=2)
        with pytest.raises(Blocked):
            session.fetch(fault_server.url("/company"))
    assert len(fault_server.hits("/robots.txt")) == 2


def test_cache_is_safe_across_threads(fault_server, clock):
    """Eight threads, each with its own session, one cache: every fetch answered, nothing raised."""
    fault_server.route("/robots.txt", Reply(200, ROBOTS_TXT, content_type="text/plain"))
    fault_server.route("/company", Reply(200, PAGE))
    shared, errors, done = RobotsCache(), [], []

    def work() -> None:
        try:
            with roomy_session(clock, robots=shared) as session:
                for _ in range(5):
                    done.append(session.fetch(fault_server.url("/company")).status)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and done == [200] * 40
    assert 1 <= len(fault_server.hits("/robots.txt")) <= 8  # at most one per session that raced for it
