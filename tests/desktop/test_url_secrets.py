"""Secrets in URLs never reach the store, the log or the terminal: a source's address may not carry one, and
the addresses met on the way (review links, redirect targets, errors) have them replaced by REDACTED.

Proved the way a user would look: grep the log file and the SQLite files after a real poll.
"""
from __future__ import annotations

import logging
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.shell.logs import setup_file_logging
from desktop.store import StoreError, connect
from desktop.store import sources as source_store
from scrapers.http import check_url
from scrapers.base import FetchError
from scrapers.redact import credentials_problem, redact
from tests.helpers.fault_server import Reply
from tests.scrapers.pages import PAGES

SECRETS = ("hunter2", "tok-9f8e7d6c5b4a", "ak_live_51HxYzSECRET", "sessn-7a7a7a", "sig0ff1ce")


@pytest.fixture
def log_file():
    root = logging.getLogger()
    before = list(root.handlers)
    path = setup_file_logging()
    yield path
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


def everything_written(db_path: Path, log_path: Path) -> bytes:
    files = [log_path, *db_path.parent.glob(db_path.name + "*")]
    return b"".join(f.read_bytes() for f in files if f.exists())


@pytest.mark.parametrize("url", [
    "https://priya:hunter2@www.trustpilot.com/review/northlightstudio.co.uk",
    "https://priya@www.trustpilot.com/review/northlightstudio.co.uk",
    "https://api.example.com/v1/reviews?business=northlight&api_key=ak_live_51HxYzSECRET",
    "https://api.example.com/v1/reviews?Access-Token=tok-9f8e7d6c5b4a",
])
def test_a_source_address_with_a_secret_is_refused_pointing_to_the_keyring(db_path, capsys, url):
    code = main(["--db", str(db_path), "sources", "add", "jsonld", url])
    err = capsys.readouterr().err
    assert code != 0 and "keyring" in err and err.count("\n") == 1
    assert not any(secret in err for secret in SECRETS)
    with connect(db_path) as conn:
        assert source_store.configured(conn) == []
        with pytest.raises(StoreError, match="keyring"):
            source_store.add(conn, "jsonld", url)
        kept = source_store.add(conn, "jsonld", "https://www.trustpilot.com/review/northlightstudio.co.uk")
        with pytest.raises(StoreError, match="keyring"):
            source_store.update(conn, kept.id, url=url, label="", interval_s=3600, enabled=True)
    with pytest.raises(FetchError, match="keyring"):
        check_url(url)


def test_after_a_poll_no_secret_is_in_the_log_or_the_store(db_path, capsys, fault_server, log_file):
    feed = (PAGES / "feeds" / "wordpress-comments.rss").read_bytes().replace(
        b"https://inescarvalho.design/case-studies/forno-rosso/#comment-1187",
        b"https://inescarvalho.design/case-studies/forno-rosso/?preview=true&amp;token=tok-9f8e7d6c5b4a#comment-1187")
    feed = feed.replace(b"https://inescarvalho.design/case-studies/forno-rosso/#comment-1179",
                        b"https://priya:hunter2@inescarvalho.design/case-studies/forno-rosso/#comment-1179")
    feed_url = fault_server.route("/feed", Reply(200, feed, content_type="application/rss+xml"))
    # A page that redirects somewhere we refuse to go, with secrets in the target (which lands in the error).
    bounce = fault_server.route("/review/northlight", Reply.redirect(
        "ftp://files.example/export.csv?X-Amz-Signature=sig0ff1ce&session=sessn-7a7a7a"))
    for url in (feed_url, bounce):
        assert main(["--db", str(db_path), "sources", "add", "feeds" if url == feed_url else "jsonld", url]) == 0
    assert main(["--db", str(db_path), "--verbose", "poll", "--once"]) == 0
    out, err = capsys.readouterr()
    with connect(db_path) as conn:
        urls = [row[0] for row in conn.execute("SELECT url FROM mentions WHERE url != ''")]
        errors = [row.last_error for row in source_store.configured(conn)]
    assert "https://inescarvalho.design/case-studies/forno-rosso/?preview=true&token=REDACTED#comment-1187" in urls
    assert "https://REDACTED@inescarvalho.design/case-studies/forno-rosso/#comment-1179" in urls
    assert any(e and "X-Amz-Signature=REDACTED&session=REDACTED" in e for e in errors)
    written = everything_written(db_path, log_file) + out.encode() + err.encode()
    assert b"X-Amz-Signature=REDACTED" in written  # the log and the terminal did see the error...
    for secret in SECRETS:
        assert secret.encode() not in written  # ...but not one secret


@pytest.mark.parametrize(("text", "expected"), [
    ("https://a.example/r?api_key=abc&page=2", "https://a.example/r?api_key=REDACTED&page=2"),
    ("GET /v1/reviews?page=2&ApiKey=abc HTTP/1.1", "GET /v1/reviews?page=2&ApiKey=REDACTED HTTP/1.1"),
    ("see https://u:p@a.example/x and https://b.example/?token=t#top",
     "see https://REDACTED@a.example/x and https://b.example/?token=REDACTED#top"),
    ("https://a.example/r?keyword=seo&monkey=1&key=", "https://a.example/r?keyword=seo&monkey=1&key="),
    ("mailto:someone@example.com", "mailto:someone@example.com"),
    ("plain words with no address", "plain words with no address"),
])
def test_redact(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("url", ["https://www.trustpilot.com/review/x?page=2", "https://a.example/feed?keyword=seo",
                                 "http://127.0.0.1:8000/feed"])
def test_ordinary_addresses_are_fine(url):
    assert credentials_problem(url) is None
