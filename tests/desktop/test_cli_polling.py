"""`rapport sources`, `rapport poll --once` and `rapport parse` through desktop.cli.main, as users call them."""
from __future__ import annotations

import json

import pytest

from desktop.cli import main
from tests.helpers.fault_server import DATADOME_CHALLENGE, Reply

from tests.scrapers.pages import PAGES

TP_PAGE = PAGES / "trustpilot" / "northlightstudio-page1.html"


@pytest.fixture
def fast_polls(monkeypatch):
    """The CLI builds its own PoliteSession: give it test-sized limits."""
    import scrapers.http

    original = scrapers.http.PoliteSession.__init__

    def quick_init(self, **kwargs):
        kwargs.update(timeout=(0.5, 0.2), deadline=1.0, backoff_factor=0, backoff_max=0)
        original(self, **kwargs)

    monkeypatch.setattr(scrapers.http.PoliteSession, "__init__", quick_init)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sources_add_list_remove(db_path, capsys):
    code, out, _ = run(capsys, "--db", str(db_path), "sources", "add", "trustpilot",
                       "https://uk.trustpilot.com/review/northlightstudio.co.uk", "--label", "Trustpilot", "--interval", "6h")
    assert code == 0 and "source 3 added" in out and "every 6h" in out
    code, out, _ = run(capsys, "--db", str(db_path), "sources", "list")
    assert code == 0 and out.split("\t")[:3] == ["3", "trustpilot", "new"]
    code, out, _ = run(capsys, "--db", str(db_path), "sources", "list", "--json")
    assert json.loads(out)["state"] == "new"
    assert run(capsys, "--db", str(db_path), "sources", "remove", "3")[0] == 0
    assert run(capsys, "--db", str(db_path), "sources", "list")[1] == ""


@pytest.mark.parametrize(("argv", "message"), [
    (["sources", "add", "myspace", "https://myspace.com/x"], "known kinds: "),
    (["sources", "remove", "99"], "no source with id 99"),
    (["sources", "remove", "1"], "built-in"),
    (["poll", "--once"], "no sources to poll"),
    (["poll"], "rapport poll --once"),
])
def test_clear_one_line_errors(db_path, capsys, argv, message):
    code, out, err = run(capsys, "--db", str(db_path), *argv)
    assert code != 0 and message in err and err.count("\n") == 1


@pytest.mark.parametrize("url", ["file:///etc/passwd", "northlight.co.uk", "https://"])
def test_bad_urls_refused_before_the_store(db_path, capsys, url):
    with pytest.raises(SystemExit) as caught:
        main(["--db", str(db_path), "sources", "add", "jsonld", url])
    assert caught.value.code == 2 and "http" in capsys.readouterr().err
    assert not db_path.exists()


def test_poll_once_reports_each_source_and_succeeds_if_any_did(db_path, capsys, fault_server, fast_polls):
    good = fault_server.route("/review/northlightstudio.co.uk", Reply(200, TP_PAGE.read_bytes()))
    bad = fault_server.route("/review/kiteandkey.com", Reply(403, DATADOME_CHALLENGE))
    run(capsys, "--db", str(db_path), "sources", "add", "trustpilot", good)
    run(capsys, "--db", str(db_path), "sources", "add", "trustpilot", bad)
    code, out, err = run(capsys, "--db", str(db_path), "poll", "--once")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert "5 new of 5 read" in lines[0] and "blocked: " in lines[1]
    code, out, _ = run(capsys, "--db", str(db_path), "poll", "--once", "--source", "3")
    assert code == 0 and "0 new of 5 read" in out
    code, out, _ = run(capsys, "--db", str(db_path), "sources", "list")
    assert "\tblocked\t" in out and "bot check" in out


def test_poll_once_all_failed_is_non_zero_with_summary(db_path, capsys, fault_server, fast_polls):
    run(capsys, "--db", str(db_path), "sources", "add", "trustpilot", fault_server.route("/a", Reply(429, headers={"Retry-After": "60"})))
    run(capsys, "--db", str(db_path), "sources", "add", "feeds", fault_server.route("/b", Reply(500)))
    code, out, err = run(capsys, "--db", str(db_path), "poll", "--once", "--json")
    assert code == 1 and "all 2 sources failed (failing, rate limited)" in err
    states = [json.loads(line)["state"] for line in out.splitlines()]
    assert states == ["rate limited", "failing"]


def test_parse_prints_one_mention_a_line_without_a_store(capsys, isolated_dirs):
    code, out, _ = run(capsys, "parse", "--kind", "trustpilot", "--url",
                       "https://uk.trustpilot.com/review/northlightstudio.co.uk", str(TP_PAGE))
    expected = json.loads(TP_PAGE.with_suffix(".json").read_text(encoding="utf-8"))["mentions"]
    assert code == 0 and [json.loads(line) for line in out.splitlines()] == expected
    assert not any(p.suffix == ".sqlite3" for p in isolated_dirs.rglob("*"))


@pytest.mark.parametrize(("kind", "page", "message"), [
    ("trustpilot", "jsonld/no-structured-data.html", "not a readable trustpilot page"),
    ("feeds", "trustpilot/northlightstudio-page1.html", "got an HTML page"),
    ("trustpilot", "trustpilot/datadome-challenge.html", "bot check"),
    ("bogus", "feeds/wordpress-comments.rss", "known kinds"),
])
def test_parse_wrong_kind_fails_clearly(capsys, kind, page, message):
    code, out, err = run(capsys, "parse", "--kind", kind, str(PAGES / page))
    assert code != 0 and out == "" and message in err


def test_parse_no_reviews_is_not_an_empty_success(capsys, tmp_path):
    page = tmp_path / "blog.html"
    page.write_text('<script type="application/ld+json">{"@type": "BlogPosting", "headline": "Pricing a logo"}</script>')
    code, out, err = run(capsys, "parse", "--kind", "jsonld", str(page))
    assert code != 0 and out == "" and "no reviews" in err


def test_parse_skips_unusable_reviews_with_one_line(capsys, tmp_path):
    page = tmp_path / "reviews.html"
    page.write_text('<script type="application/ld+json">[{"@type": "Review", "reviewBody": "Fine work"},'
                    '{"@type": "Review", "reviewBody": "Later", "datePublished": "9999-12-31T23:00:00-05:00"}]'
                    '</script>')
    code, out, err = run(capsys, "parse", "--kind", "jsonld", str(page))
    assert code == 0 and [json.loads(line)["text"] for line in out.splitlines()] == ["Fine work"]
    assert err == f"{page}: 1 of 2 reviews could not be read: its date 9999-12-31T23:00:00-05:00 is out of range\n"


@pytest.mark.parametrize("body", ["[" * 5000, '{"props": []}', '<script type="application/ld+json">' + "[" * 5000])
def test_parse_hostile_pages_fail_in_one_line(capsys, tmp_path, body):
    page = tmp_path / "hostile.html"
    page.write_text(body)
    for kind in ("jsonld", "trustpilot", "feeds"):
        code, out, err = run(capsys, "parse", "--kind", kind, str(page))
        assert code != 0 and out == "" and err.count("\n") == 1 and "Traceback" not in err


def test_parse_missing_file(capsys, tmp_path):
    code, _, err = run(capsys, "parse", "--kind", "feeds", str(tmp_path / "nope.xml"))
    assert code != 0 and "cannot read" in err


def test_sources_kinds_prints_each_kinds_documentation(capsys) -> None:
    from desktop.cli import main

    assert main(["sources", "kinds"]) == 0
    out = capsys.readouterr().out
    for kind in ("feeds", "jsonld", "trustpilot"):
        assert f"\n{kind} (" in f"\n{out}"
    assert "URL:" in out and "Limits:" in out
