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


def test_add_reddit_with_terms_then_poll_once_reads_the_feed(db_path, capsys, fault_server, fast_polls):  # noqa: F811
    fault_server.route("/r/forhire/search.rss", Reply(200, (PAGES / "reddit" / "search-sam-rivera.atom").read_bytes(),
                                                      content_type="application/atom+xml"))
    code, out, _ = run(capsys, "--db", str(db_path), "sources", "add", "reddit", fault_server.url("/r/forhire"),
                       "--terms", "Sam Rivera", "rivera.dev")
    assert code == 0
    code, out, _ = run(capsys, "--db", str(db_path), "poll", "--once")
    assert code == 0 and "2 new of 2 read" in out
    assert parse_qs(urlsplit(fault_server.requests[0].path).query)["q"] == ['"Sam Rivera" OR "rivera.dev"']


def test_add_discourse_with_terms_then_poll_once(db_path, capsys, fault_server, fast_polls):  # noqa: F811
    from tests.scrapers.test_discourse import serve_forum

    serve_forum(fault_server)
    code, out, _ = run(capsys, "--db", str(db_path), "sources", "add", "discourse", fault_server.url("/"),
                       "--terms", "Sam Rivera", "rivera.dev")
    assert code == 0
    code, out, _ = run(capsys, "--db", str(db_path), "poll", "--once")
    assert code == 0 and "2 new of 2 read" in out


def test_credentials_without_a_keyring_add_nothing(db_path, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("p-jq7Xk2cRv9Lm1w\ns3cr3t\nsamrivera_dev\n"))
    code, _, err = run(capsys, "--db", str(db_path), "sources", "add", "reddit", "--terms", "Sam Rivera",
                       "--credentials")
    assert code != 0 and "keyring" in err and "not added" in err
    code, out, _ = run(capsys, "--db", str(db_path), "sources", "list", "--json")
    assert out == ""


@pytest.mark.parametrize(("kind", "page"), [
    ("hackernews", HN), ("reddit", PAGES / "reddit" / "search-sam-rivera.atom"),
    ("reddit", PAGES / "reddit" / "oauth-search-sam-rivera.response"),
    ("discourse", PAGES / "discourse" / "search-sam-rivera.response"),
    ("discourse", PAGES / "discourse" / "topic-9127.response")])
def test_parse_a_saved_response(capsys, kind, page):
    saved = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    code, out, _ = run(capsys, "parse", "--kind", kind, "--url", saved["url"], str(page))
    assert code == 0 and [json.loads(line) for line in out.splitlines()] == saved["mentions"]


def test_credentials_go_to_the_keyring_only(db_path, capsys, monkeypatch):
    import io

    from tests.helpers.memory_keyring import installed_memory_keyring

    keyring = installed_memory_keyring()
    memory = next(keyring)
    try:
        monkeypatch.setattr("sys.stdin", io.StringIO("p-jq7Xk2cRv9Lm1w\ns3cr3t-Qm9fT2xZ\n\n"))
        code, out, _ = run(capsys, "--db", str(db_path), "sources", "add", "reddit", "--terms", "Sam Rivera",
                           "--credentials")
        assert code == 0 and "2 credentials kept in the keyring" in out and "s3cr3t" not in out
        assert memory.secrets == {("Rapport", "source-3/client_id"): "p-jq7Xk2cRv9Lm1w",
                                  ("Rapport", "source-3/client_secret"): "s3cr3t-Qm9fT2xZ"}
        assert b"s3cr3t" not in db_path.read_bytes()
    finally:
        keyring.close()
