"""scrapers/feeds.py on recorded feeds: Google Alerts, WordPress comments, ill-formed and mis-declared ones."""
from __future__ import annotations

import warnings
from urllib.parse import parse_qs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.base import ParseError
from scrapers.feeds import Feed, unwrap_google_link
from tests.scrapers.pages import PAGES, cases, check_page


@pytest.mark.parametrize(("page", "expected"), cases("feeds"))
def test_recorded_feed(page, expected):
    check_page("feeds", page, expected)


@pytest.mark.parametrize(("link", "real"), [
    ("https://www.google.com/url?rct=j&sa=t&url=https://www.reddit.com/r/bristol/comments/1j8x2kq/x/&ct=ga&cd=CAI",
     "https://www.reddit.com/r/bristol/comments/1j8x2kq/x/"),
    ("https://www.google.co.uk/url?q=https%3A%2F%2Fwww.bristolpost.co.uk%2Fnews%2F1&sa=U",
     "https://www.bristolpost.co.uk/news/1"),
    ("https://www.google.com/url?url=javascript:alert(1)", "https://www.google.com/url?url=javascript:alert(1)"),
    ("https://inescarvalho.design/url?url=https://elsewhere.example/", "https://inescarvalho.design/url?url=https://elsewhere.example/"),
])
def test_google_redirects_unwrapped(link, real):
    assert unwrap_google_link(link) == real


@pytest.mark.parametrize("junk", [b"", b"\x00\xff\xfe garbage", b"{\"reviews\": []}", b"/etc/passwd"])
def test_junk_is_a_parse_error_not_a_traceback(junk):
    with pytest.raises(ParseError):
        Feed().parse(junk, "https://www.google.com/alerts/feeds/1/2")


def test_text_input_with_a_stale_encoding_declaration():
    body = (PAGES / "feeds" / "latin1-declared.rss").read_bytes().decode("iso-8859-1")
    [mention] = Feed().parse(body, "https://atelierbrule.fr/avis/feed.rss")
    assert mention.title == "Très satisfaite du logo"


def test_a_reference_to_a_surrogate_is_not_the_whole_feeds_failure():
    body = (PAGES / "feeds" / "google-alerts-northlight.xml").read_bytes().replace(b"<id>", b"<id>&#XD800;", 1)
    body = body.replace(b"<title>", b"<title>&#1114112;&#55296;", 2)  # past U+10FFFF, a surrogate in decimal
    assert len(Feed().parse(body, "https://www.google.com/alerts/feeds/1/2")) == 3


@pytest.mark.parametrize("declaration", [b'encoding="\xed\xa0\x80utf-8"', b'encoding="utf\x00-8"'])
def test_a_hostile_encoding_declaration_is_a_parse_error(declaration):
    body = (PAGES / "feeds" / "google-alerts-northlight.xml").read_bytes().replace(b'encoding="utf-8"', declaration, 1)
    with pytest.raises(ParseError):
        Feed().parse(body, "https://www.google.com/alerts/feeds/1/2")


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["url=", "q=", "url", "u%72l=", "q+=", "url=https://a.example/x", "url=%68ttps://b",
                                 "q=https%3A%2F%2Fc.example%2F", "sa=t", "=", "", "url=a+b", "x=1", "%", "url=%ZZ", "&"]),
                max_size=8).map("&".join))
def test_reading_a_google_links_targets_is_parse_qs(query: str) -> None:
    from scrapers.feeds import _first_values

    expected = {k: v[0] for k, v in parse_qs(query).items() if k in ("url", "q")}
    assert _first_values(query, ("url", "q")) == expected


@pytest.mark.parametrize("date", ["soon", "Mon, 31 Feb 2025 15:20:00 +0100"])
def test_an_unreadable_date_is_no_date_and_no_deprecation_warning(date: str) -> None:
    """feedparser keeps `published_parsed` empty for a date it cannot read; looking past it for `updated_parsed`
    must not set off feedparser's DeprecationWarning (its issue 310 fallback), only find no date."""
    body = (PAGES / "feeds" / "latin1-declared.rss").read_bytes()  # Latin-1: read by feedparser
    body = body.replace(b"Mon, 10 Mar 2025 15:20:00 +0100", date.encode())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = Feed().parse(body, "https://atelierbrule.fr/avis.rss")
    assert len(found) == 1 and found[0].posted_at is None and found[0].author == "Céline Mercier"


def _unwrapped_by_urlsplit(link: str) -> str:
    """unwrap_google_link as it read every link before its shortcut for Google Alerts' own redirects."""
    from urllib.parse import urlsplit

    from scrapers.feeds import _first_values

    if "/url" not in link:
        return link
    parts = urlsplit(link)
    host = (parts.hostname or "").lower()
    if parts.path == "/url" and (host == "google.com" or host.startswith(("www.google.", "google."))):
        query = _first_values(parts.query, ("url", "q"))
        for key in ("url", "q"):
            target = query.get(key, "")
            if urlsplit(target).scheme in ("http", "https"):
                return target
    return link


@settings(max_examples=2000)
@given(st.tuples(st.sampled_from(["https://www.google.com/url?", "http://www.google.com/url?", "https://google.com/url?",
                                  "https://www.google.co.uk/url?", "HTTPS://www.google.com/url?", " https://www.google.com/url?",
                                  "https://www.google.com/url", "https://example.org/url?"]),
                 st.lists(st.sampled_from(["rct=j", "&", "url=", "q=", "https://a.example/x", "http://a.example",
                                           "HTTPS://a.example", "ftp://a", "%75rl=", "u+rl=", "#", "#f", "\t", "\n", "[",
                                           "]", "https://[::1]/", "é", "%2F", "+", "=", "url=https://b.example/y"]),
                          max_size=8).map("".join)).map("".join))
def test_unwrapping_google_links_is_what_urlsplit_gives(link: str) -> None:
    try:
        expected: object = _unwrapped_by_urlsplit(link)
    except ValueError as exc:  # urlsplit refuses an address with unbalanced brackets: that entry is skipped
        expected = type(exc)
    try:
        ours: object = unwrap_google_link(link)
    except ValueError as exc:
        ours = type(exc)
    assert ours == expected
