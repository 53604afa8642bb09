"""Forum sources from the command line: add with terms, set My names, poll --once against a local server,
parse a saved API response."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.desktop.test_cli_polling import fast_polls, run  # noqa: F401 - a fixture, used by name
from tests.helpers.fault_server import Reply
from tests.scrapers.pages import PAGES

SEARCH = "/api/v1/search_by_date"
HN = PAGES / "hackernews" / "search-sam-rivera.response"


def test_add_hackernews_with_terms_then_poll_once(db_path, capsys, fault_server, fast_polls):  # noqa: F811
    fault_server.route(SEARCH, Reply(200, HN.read_bytes(), content_type="application/json"))
    code, out, _ = run(capsys, "--db", str(db_path), "sources", "add", "hackernews", fault_server.url(SEARCH),
                       "--terms", "Sam Rivera", "rivera.dev", "--exclude", "Detroit")
    assert code == 0 and "looking for Sam Rivera, rivera.dev" in out
    code, out, _ = run(capsys, "--db", str(db_path), "poll", "--once")
    assert code == 0 and "3 new of 3 read" in out
    assert [parse_qs(urlsplit(r.path).query)["query"] for r in fault_server.requests] == [["Sam Rivera"],
                                                                                         ["rivera.dev"]]
    code, out, _ = run(capsys, "--db", str(db_path), "sources", "list", "--json")
    listed = json.loads(out)
    assert listed["terms"] == ["Sam Rivera", "rivera.dev"] and listed["exclude"] == ["Detroit"]


def test_hackernews_without_url_uses_the_algolia_endpoint(db_path, capsys):
    code, out, _ = run(capsys, "--db", str(db_path), "sources", "add", "hackernews", "--terms", "Sam Rivera")
    assert code == 0 and "https://hn.algolia.com/api/v1/search_by_date" in out


def test_terms_refused_for_review_kinds(db_path, capsys):
    code, _, err = run(capsys, "--db", str(db_path), "sources", "add", "feeds", "https://rivera.dev/feed.xml",
                       "--terms", "x")
    assert code != 0 and "forum kinds" in err


def test_a_kind_without_a_fixed_address_needs_one(db_path, capsys):
    code, _, err = run(capsys, "--db", str(db_path), "sources", "add", "feeds")
    assert code != 0 and "needs the address" in err


def test_my_names_set_and_shown(db_path, capsys):
    code, out, _ = run(capsys, "--db", str(db_path), "sources", "my-names", "Sam Rivera", "rivera.dev",
                       "--exclude", "Diego Rivera")
    assert code == 0 and "my names: Sam Rivera, rivera.dev" in out and "excluding: Diego Rivera" in out
    code, out, _ = run(capsys, "--db", str(db_path), "sources", "my-names")
    assert "my names: Sam Rivera, rivera.dev" in out


@pytest.mark.parametrize(("kind", "page"), [("hackernews", HN)])
def test_parse_a_saved_response(capsys, kind, page):
    code, out, _ = run(capsys, "parse", "--kind", kind, str(page))
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))["mentions"]
    assert code == 0 and [json.loads(line) for line in out.splitlines()] == expected
