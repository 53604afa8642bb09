"""scrapers/simple_feed.py: a well-formed feed read from lxml's tree gives exactly what feedparser gives, and
anything it is unsure of goes to feedparser."""
from __future__ import annotations

import re
from datetime import datetime
import urllib.parse
from html.entities import name2codepoint

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers import simple_feed
from scrapers.base import ScrapeError
from scrapers.feeds import Feed
from tests.scrapers.pages import PAGES

URL = "https://host.example/feed"
WORDPRESS = (PAGES / "feeds" / "wordpress-comments.rss").read_bytes()
ALERTS = (PAGES / "feeds" / "google-alerts-northlight.xml").read_bytes()
TITLE = b"<title>By: Matteo Rinaldi</title>"
DESCRIPTION = b"<description><![CDATA[As the owner"
CONTENT = b"<content:encoded><![CDATA[<p>As the owner"
ALERT_TEXT = b"Owners of a Clifton bakery"
FIELDS = ["Caf&#233; &amp; bar", "A &lt;b&gt;bold&lt;/b&gt; move", "x &amp;amp; y", "5 &gt; 3", "  spaced   out  ",
          "a &lt;script&gt;alert(1)&lt;/script&gt;", "&lt;p&gt;a&lt;/p&gt;&lt;p&gt;b&lt;/p&gt;", "\u00c3\u00a9t\u00c3\u00a9",
          "&#8217;q&#8217;", "a &lt;foo&gt;x&lt;/foo&gt;", "&amp;nbsp;nb", "&lt;i&gt;unclosed", "&amp;apos; a", "a&amp;b",
          "&lt;mark&gt;m&lt;/mark&gt;", "&lt;a href='x' onclick='y'&gt;l&lt;/a&gt;", "&lt;br/&gt;x", "&lt;b&gt;a&lt;i&gt;b&lt;/b&gt;"]


def _read(body: bytes | str) -> object:
    try:
        found = Feed().parse(body, URL)
    except ScrapeError as exc:
        return type(exc).__name__
    return list(found), list(found.unreadable)


def _variants() -> list[bytes]:
    out = [WORDPRESS, ALERTS]
    for field in FIELDS:
        cdata = field.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        out += [WORDPRESS.replace(TITLE, f"<title>{field}</title>".encode(), 1),
                WORDPRESS.replace(DESCRIPTION, f"<description>{field}<![CDATA[As the owner".encode(), 1),
                WORDPRESS.replace(CONTENT, f"<content:encoded><![CDATA[{cdata}]]><![CDATA[<p>As the owner".encode(), 1),
                ALERTS.replace(ALERT_TEXT, field.encode(), 1),
                ALERTS.replace(ALERT_TEXT, field.encode(), 1).replace(b'type="html"', b'type="text"')]
    for date in ("Tue, 11 Mar 2025 18:22:06 -0500", "Tue, 1 Mar 2025 08:02:06 GMT", "11 Mar 2025 18:22:06 +0000",
                 "Tue, 11 Mar 25 18:22:06 +0000", "Tue, 11 Mar 2025 18:22:06 EST", "soon"):
        out.append(WORDPRESS.replace(b"Tue, 11 Mar 2025 18:22:06 +0000", date.encode(), 1))
    for date in ("2025-03-13T07:41:12+02:00", "2025-03-13T07:41:12.5Z", "2025-03-13", "2025-02-30T07:41:12Z"):
        out.append(ALERTS.replace(b"<published>2025-03-13T07:41:12Z", f"<published>{date}".encode(), 1))
    for link in ("https://a.example/x?a=1&amp;amp;b=2", "/relative", "https:///a.example/x", "https://a.example/./x",
                 "javascript:alert(1)", "https://a.example/x#f&amp;copy;z", "https://a.example/x;p?q", "https://a.example/x;",
                 "https://a.example/x?", "https://a.example/x#", "HTTPS://a.example/x", "http://a.example/x?a=1#f",
                 "https://a.example?q=1", "https://[::1]/x", "https://a.example/x?q=a;b"):
        out.append(WORDPRESS.replace(b"<link>https://inescarvalho.design/case-studies/forno-rosso/#comment-1187",
                                     f"<link>{link}".encode(), 1))
        out.append(ALERTS.replace(b'<link href="https://www.google.com/url?rct=j',
                                  f'<link href="{link}" data-was="https://www.google.com/url?rct=j'.encode(), 1))
    out += [WORDPRESS.replace(b"<language>en-US</language>", b"<language>en_US</language>"),
            WORDPRESS.replace(b"<item>", b'<item xml:lang="de">', 1),
            WORDPRESS.replace(b"<item>", b"<item><dc:date>2025-01-01</dc:date>", 1),
            WORDPRESS.replace(b'encoding="UTF-8"', b'encoding="iso-8859-1"'),
            WORDPRESS.replace(b'isPermaLink="false">', b">", 1),
            ALERTS.replace(b"<author><name></name>", "<author><name>\u00c3\u00a9t\u00c3\u00a9</name>".encode(), 1),
            ALERTS.replace(b"<author><name></name>", b"<author><name>Jo</name><email>jo@x.example</email>", 1),
            ALERTS.replace(b'<content type="html">', b'<content type="xhtml">', 1),
            ALERTS.replace(b"<id>tag:google.com,2013:", b"<id>https://news.example/a;b?", 1),
            ALERTS.replace(b"<id>tag:google.com,2013:", b"<id>//news.example/", 1),
            WORDPRESS.replace(b'isPermaLink="false">https://inescarvalho.design/?p=342', b">https://INESCARVALHO.design/?p=342", 1),
            WORDPRESS.replace(b"<item>", b"<item><!-- a comment -->", 1),
            WORDPRESS.replace(b"<title>By: Matteo", b'<title lang="pt">By: Matteo', 1),
            ALERTS.replace(b"<entry>", b'<entry xml:base="https://base.example/">', 1)]
    return out


@pytest.mark.parametrize("body", _variants())
def test_the_simple_reading_is_feedparsers(body, monkeypatch):
    fast = _read(body)
    monkeypatch.setattr(simple_feed, "read", lambda _body, _url: None)
    assert fast == _read(body)


@pytest.mark.parametrize("name", ["google-alerts-northlight.xml", "wordpress-comments.rss"])
def test_recorded_feeds_take_the_simple_reading(name):
    entries, _language = simple_feed.read((PAGES / "feeds" / name).read_bytes(), URL)
    assert len(entries) == 3 if name.startswith("google") else len(entries) >= 2


@pytest.mark.parametrize("body", [
    (PAGES / "feeds" / "ill-formed-truncated.rss").read_bytes(), (PAGES / "feeds" / "latin1-declared.rss").read_bytes(),
    ALERTS.replace(b"<feed ", b'<feed xml:lang="en" ', 1), WORDPRESS.replace(b"<item>", b"<item><source>x</source>", 1),
    b'<!DOCTYPE rss [<!ENTITY e "x">]>' + WORDPRESS.split(b"?>", 1)[1],
])
def test_what_it_is_unsure_of_goes_to_feedparser(body):
    assert simple_feed.read(body, URL) is None


def _feedparsers_join(base: str, uri: str) -> str:
    """feedparser.urls._urljoin, as simple_feed._join read before it skipped urljoin for absolute addresses."""
    uri = re.sub(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)", r"\1\3", uri)
    try:
        return urllib.parse.urljoin(base, uri)
    except ValueError:
        return ""


_URL_PIECES = st.sampled_from(["https:", "http:", "HTTP:", "tag:", "mailto:", "//", "///", "a.example", "[::1]", "[x",
                               "]", ":8080", "user@", "/", "/p", ";", ";x", "?", "?q=1", "#", "#f", "..", ".", " ", "\t",
                               "\n", "é", "%20", "&amp;", "x", ",2013:"])
# Shaped like addresses (scheme, slashes, host, path, query, fragment), each part sometimes odd.
_ADDRESSES = st.tuples(st.sampled_from(["https:", "http:", "HTTPS:", "tag:", "ftp:", "", "x y:"]),
                       st.sampled_from(["//", "///", "/", ""]),
                       st.sampled_from(["a.example", "[::1]", "[x", "a]b", "u@a.example:80", "", "é.example", " a"]),
                       st.lists(st.sampled_from(["/", "/p", ";", ";x", "/.", "/..", "%2F", "\t", "é"]), max_size=4).map("".join),
                       st.sampled_from(["", "?", "?q=1", "?a;b", "??", "?#"]),
                       st.sampled_from(["", "#", "#f", "#f#g", "#?", "# "])).map("".join)


_BASES = [URL, "http://host.example/feed", "", "feed.xml", "https://[bad/feed", "tag:x"]


@pytest.mark.parametrize("base", _BASES)
@pytest.mark.parametrize("uri", [
    "https://a.example/p", "https://a.example/p;", "https://a.example/p;x", "https://a.example/p;x?q", "https://a.example?",
    "https://a.example/x#", "https://a.example/x?#f", "https://a.example/x?q#", "https://a.example", "https://[::1]/x",
    "http://[x/p", "https://a]b/p", "HTTPS://a.example/p", "https:////a.example/p", "https://a.example/p q",
    "https://a.example/p\t", "https://é.example/p", " https://a.example/p", "tag:google.com,2013:feed:1", "tag://[x",
    "https:a.example/p", "mailto:x@a.example", "ftp://a.example/p;x", "", "/p", "p", "//a.example/p", "?q", "#f"])
def test_joining_these_links_is_feedparsers_joining(base: str, uri: str) -> None:
    assert simple_feed._join(base, uri) == _feedparsers_join(base, uri)


@settings(max_examples=1000)
@given(st.sampled_from(_BASES),
       st.one_of(_ADDRESSES, st.lists(_URL_PIECES, max_size=8).map("".join)))
def test_joining_links_is_feedparsers_joining(base: str, uri: str) -> None:
    assert simple_feed._join(base, uri) == _feedparsers_join(base, uri)


@pytest.mark.parametrize("link", ["https://a", "http://a", "https://", "http://", "https:///a", "http:///a", "https://a b",
                                  "https://a<b", "https://a>b", 'https://a"b', "https://a'b", "https://a\tb", "https://a\u00a0b",
                                  "https://a/./b", "ftp://a", "HTTPS://a", "https:/a", "https://é", "https://a\x1cb",
                                  "https://a?q=1#f", "http://a.example/x;p"])
def test_a_safe_link_is_what_the_pattern_says(link: str) -> None:
    assert _passes(simple_feed._safe_link, link) == (simple_feed._SAFE_LINK.fullmatch(link) is not None
                                                      and "/." not in link)


def _passes(check: object, value: str) -> bool:
    """Whether one of simple_feed's checks lets the value through (it raises _Unsure for feedparser's cases)."""
    try:
        check(value)  # type: ignore[operator]
    except simple_feed._Unsure:
        return False
    return True


def _entities_complete(value: str) -> bool:
    """simple_feed's entity check as it was written first: every entity known, no & left once they are gone."""
    entity = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|([A-Za-z][A-Za-z0-9]*));")
    if any(m.group(1) and m.group(1) not in name2codepoint for m in entity.finditer(value)):
        return False
    return "&" not in entity.sub("", value)


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(["&", "&amp;", "&amp", "&nbsp;", "&apos;", "&#39;", "&#x27;", "&#12345678;", "&#x1234567;",
                                 "&#;", "&#x;", "&a1;", "&1a;", "&notit;", "a", ";", "#", "x", " ", "&&", "&AMP;"]),
                max_size=8).map("".join))
def test_one_pass_over_the_ampersands_is_the_entity_check(value: str) -> None:
    assert _passes(simple_feed._html, value) == _entities_complete(value)


def _feedparsers_date(value: str) -> object:
    """The date feedparser reads from `value` (all its readers, in its order), as scrapers.feeds makes it a
    datetime; "unreadable" when that fails (the entry is skipped), None when feedparser finds no date."""
    import calendar
    from datetime import datetime, timezone

    from feedparser.datetimes import _parse_date

    parsed = _parse_date(value)
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)
    except (OverflowError, ValueError):
        return "unreadable"


def _simple_date(read: object, value: str) -> object:
    try:
        return read(value)  # type: ignore[operator]
    except simple_feed._Unsure:
        return "feedparser's"


@settings(max_examples=1000)
@given(st.tuples(st.sampled_from(["Tue, ", "Sun, ", "tue, ", ""]), st.sampled_from(["1", "11", "0", "31", "29", "30", "99", "\u0661\u0661", "011"]),
                 st.sampled_from([" Mar ", " Feb ", " Dec ", " Jan ", " mar "]),
                 st.sampled_from(["2025", "2024", "0099", "0050", "0001", "1969", "9999", "25"]),
                 st.sampled_from([" 18:22:06", " 00:00:00", " 23:59:60", " 23:59:59", " 99:99:99", " 1:2:3"]),
                 st.sampled_from([" +0000", " -0000", " -0500", " +0130", " +0090", " GMT", " UT", " UTC", " EST", " +9999", ""])
                 ).map("".join))
def test_an_rfc822_date_read_is_feedparsers_date(value: str) -> None:
    """Where the simple reading gives a date it is the one feedparser gives; anything else is feedparser's."""
    ours = _simple_date(simple_feed._rfc822, value)
    assert ours == "feedparser's" or ours == _feedparsers_date(value)


@settings(max_examples=1000)
@given(st.tuples(st.sampled_from(["2025", "0001", "9999", "1969", "0000"]), st.sampled_from(["-01", "-02", "-12", "-13"]),
                 st.sampled_from(["-01", "-28", "-29", "-31", "-00"]), st.sampled_from(["T00:00:00", "T23:59:59", "T24:00:00", "T12:60:00"]),
                 st.sampled_from(["Z", "+00:00", "+01:00", "-05:00", "+14:00", "-23:59", "+24:00", "z", ""])).map("".join))
def test_a_w3c_date_read_is_feedparsers_date(value: str) -> None:
    ours = _simple_date(simple_feed._w3c, value)
    assert ours == "feedparser's" or ours == _feedparsers_date(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("Tue, 11 Mar 2025 18:22:06 +0000", "2025-03-11T18:22:06+00:00"), ("Tue, 1 Mar 2025 08:02:06 GMT", "2025-03-01T08:02:06+00:00"),
    ("Tue, 11 Mar 2025 18:22:06 -0130", "2025-03-11T19:52:06+00:00"), ("Sun, 31 Dec 0099 23:00:00 +0000", "0099-12-31T23:00:00+00:00"),
    ("2025-03-13T07:41:12+02:00", "2025-03-13T05:41:12+00:00")])
def test_plain_dates_are_read_without_feedparser(value: str, expected: str) -> None:
    read = simple_feed._w3c if value[4] == "-" else simple_feed._rfc822
    assert read(value).isoformat() == expected == _feedparsers_date(value).isoformat()


@pytest.mark.parametrize("date", ["Fri, 31 Dec 9999 23:00:00 -0500", "Mon, 01 Jan 0001 00:00:00 +0100", "Mon, 31 Feb 2025 10:00:00 +0000",
                                  "9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+01:00"])
def test_a_date_out_of_range_is_read_as_feedparser_reads_it(date: str, monkeypatch) -> None:
    """One entry's impossible date: that entry as feedparser reads it (skipped, or dated as feedparser dates
    it), the rest of the feed kept, never an error for the whole feed."""
    if date[4] == "-":
        body = ALERTS.replace(b"<published>2025-03-13T07:41:12Z", f"<published>{date}".encode(), 1)
    else:
        body = WORDPRESS.replace(b"<pubDate>Tue, 11 Mar 2025 18:22:06 +0000", f"<pubDate>{date}".encode(), 1)
    fast = _read(body)
    assert isinstance(fast, tuple) and len(fast[0]) + len(fast[1]) == (3 if date[4] == "-" else 2)
    monkeypatch.setattr(simple_feed, "read", lambda _body, _url: None)
    assert fast == _read(body)


def _joined_safe_link(base: str, value: str) -> object:
    """An Atom entry's link as read before the one-pass check: the safety check, then feedparser's joining."""
    try:
        return simple_feed._join(base, simple_feed._safe_link(value))
    except simple_feed._Unsure:
        return "feedparser's"


def _rss_link_in_steps(value: str, base: str) -> object:
    """An RSS item's link as read before the one-pass check: joined, `&amp;` and `&name;` repaired, checked."""
    try:
        joined = simple_feed._join(base, simple_feed._safe_link(value))
        if "&" in joined:
            joined = simple_feed._NAMED_REFERENCE.sub(r"&\g<1>", joined.replace("&amp;", "&"))
        return simple_feed._safe_link(joined)
    except simple_feed._Unsure:
        return "feedparser's"


_LINKS = st.one_of(_ADDRESSES, st.lists(_URL_PIECES, max_size=8).map("".join),
                   st.tuples(st.sampled_from(["https://", "http://", "HTTPS://", "https:///"]),
                             st.lists(st.sampled_from(["a.example", "/", "/p", ";", "?", "q=1", "&", "&amp;", "#", "f", "/.",
                                                       "[", "]", "<", "'", " ", "\x7f", "é", "%20", "@", ":80"]),
                                      max_size=10).map("".join)).map("".join))


@settings(max_examples=2000)
@given(st.sampled_from(_BASES), _LINKS)
def test_a_link_read_in_one_pass_is_read_as_in_steps(base: str, link: str) -> None:
    try:
        ours: object = simple_feed._link(base, link)
    except simple_feed._Unsure:
        ours = "feedparser's"
    assert ours == _joined_safe_link(base, link)
    try:
        ours = simple_feed._rss_link(link, base)
    except simple_feed._Unsure:
        ours = "feedparser's"
    assert ours == _rss_link_in_steps(link, base)


@pytest.mark.parametrize("link", ["https://www.google.com/url?rct=j&sa=t&url=https://a.example/x&ct=ga",
                                  "https://inescarvalho.design/case-studies/forno-rosso/#comment-1187"])
def test_plain_links_take_the_one_pass_check(link: str) -> None:
    assert simple_feed._is_plain_http(link) and simple_feed._link(URL, link) == link


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(["http://", "https://", "a", "Z", "0", "/", "?", "#", "[", "]", ";", "&", "=", " ", "\t",
                                 "\x7f", "\x00", "<", ">", '"', "'", ".", ":", "%", "~"]), max_size=12).map("".join))
def test_the_ascii_link_pattern_is_the_link_pattern_on_ascii(link: str) -> None:
    assert (simple_feed._PLAIN_ASCII_HTTP.fullmatch(link) is None) == (simple_feed._PLAIN_HTTP.fullmatch(link) is None)


def test_the_ascii_link_pattern_takes_each_character_where_the_link_pattern_does() -> None:
    """Its classes list the characters allowed; the link pattern's exclude the others: each ASCII character, in
    each part of an address, is read alike."""
    for code in range(128):
        c = chr(code)
        for link in (f"https://{c}", f"https://a{c}b/x", f"https://a/{c}", f"https://a/{c}?q", f"https://a?{c}",
                     f"https://a?q{c}#f", f"https://a#{c}", f"https://a/p#f{c}"):
            assert (simple_feed._PLAIN_ASCII_HTTP.fullmatch(link) is None) == \
                (simple_feed._PLAIN_HTTP.fullmatch(link) is None), link


@pytest.mark.parametrize("value", ["2025-03-13T07:41:12Z", "2025-03-13T07:41:12+00:00", "2025-03-13T07:41:12-00:00",
                                   "2025-03-13T07:41:12+05:30", "2025-03-13T23:41:12-08:00", "0001-01-01T00:30:00+01:00",
                                   "2025-02-30T07:41:12Z", "2025-03-13T07:41:12+24:00", "9999-12-31T23:00:00-05:00"])
def test_a_w3c_date_is_read_as_parse_iso_datetime_reads_it(value: str) -> None:
    from datetime import timezone

    from scrapers.text import parse_iso_datetime

    try:
        expected: object = parse_iso_datetime(value).astimezone(timezone.utc)  # type: ignore[union-attr]
    except (AttributeError, OverflowError):
        expected = "feedparser's"
    try:
        ours: object = simple_feed._w3c(value)
    except simple_feed._Unsure:
        ours = "feedparser's"
    assert ours == expected and (not isinstance(ours, datetime) or ours.tzinfo is timezone.utc)


def _children_as_before(parent, allowed):
    found = {}
    for child in parent:
        tag = child.tag
        if tag in found and tag not in ("category", simple_feed._ATOM + "category"):
            raise simple_feed._Unsure
        if tag not in allowed and tag not in ("category", simple_feed._ATOM + "category", simple_feed._ATOM + "link"):
            raise simple_feed._Unsure
        found[tag] = child
    return found


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["title", "link", "category", "guid", "other", "{http://www.w3.org/2005/Atom}link",
                                 "{http://www.w3.org/2005/Atom}category", "{http://www.w3.org/2005/Atom}id"]), max_size=6),
       st.sampled_from([simple_feed._RSS_ITEM, simple_feed._ATOM_ENTRY_READ]))
def test_an_entrys_children_are_checked_as_before(tags: list[str], allowed: frozenset[str]) -> None:
    from lxml import etree

    parent = etree.Element("item")
    for tag in tags:
        etree.SubElement(parent, tag)
    results = []
    for read in (simple_feed._children, _children_as_before):
        try:
            results.append(sorted(read(parent, allowed)))
        except simple_feed._Unsure:
            results.append("feedparser's")
    assert results[0] == results[1]


def _read_in_two_passes(value: str) -> object:
    """An HTML field as read before the one pass: _html's checks, then plain()."""
    from scrapers.text import plain

    try:
        return plain(simple_feed._html(value))
    except simple_feed._Unsure:
        return "feedparser's"


def _read_in_one_pass(value: str) -> object:
    try:
        return simple_feed._html_text(value)
    except simple_feed._Unsure:
        return "feedparser's"


_HTML_PIECES = st.sampled_from([
    "<b>", "</b>", "<B>", "</B>", "<Br>", "<p>", "</p>", "<P>", "</p >", "</p x>", "<p/>", "<p />", "<br>", "<br/>",
    "<BR />", "</br>", "<div class=\"x\">", "</div>", "<a href='u?a=1&b=2'>", "<a href='u?a=1&amp;b=2'>", "<a href=x>",
    "</a>", "<span title=\"a>b\">", "<span title=\"<i>\">", "<span title='<script>'>", "</span>", "<b_x>", "</b_x>",
    "<b\u00e9>", "<b1>", "<i>", "</i>", "<mark>", "</mark>", "<nobr>", "</nobr>", "<section>", "</section>",
    "<blockquote>", "</BLOCKQUOTE>", "<em class=x/>", "<script>", "</script>", "<img src=x>", "<!-- c -->", "<h1>",
    "</h1>", "<tr>", "</tr>", "<font color=red>", "</font>", "<x>", "</x>", "<", ">", "1 < 2", "a > b",
    "&amp;", "&AMP;", "&amp", "&", "&nbsp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#39;", "&#039;", "&#x2019;", "&#X41;",
    "&#12345678;", "&#x1234567;", "&#;", "&#x;", "&#128;", "&#0;", "&#xD800;", "&eacute;", "&notit;", "&notin;",
    "&a1;", "&am", "p;", ";", "#", "a", "Z", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u200b", "Caf\u00e9", "review"])


_TEXT_PIECES = st.sampled_from(["a", "Z", " ", "  ", "\t", "\n", "\u00a0", "\u200b", "Caf\u00e9", "review", "&amp;", "&AMP;",
                                "&nbsp;", "&quot;", "&#39;", "&#x2019;", "&#128;", "&eacute;", "&notin;", "&apos;", "&", ";"])
_OPEN_TAGS = st.sampled_from(["b", "B", "i", "em", "p", "P", "div", "li", "blockquote", "span", "mark", "a", "h2", "tr"])
_ATTRIBUTES = st.sampled_from(["", "", "", " class=\"x\"", " href='https://a.example/'", " ", "/", " title=\"a>b\"",
                               "_x", " data-a=\"&amp;\""])


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(_OPEN_TAGS, _ATTRIBUTES, children, st.sampled_from(["", "", " "])).map(
        lambda t: f"<{t[0]}{t[1]}>{t[2]}</{t[0].lower() if t[3] else t[0]}{t[3]}>")


# Mostly well-formed markup, so the one pass reads it to the end (the pieces above mostly send it to feedparser).
_SIMPLE_MARKUP = st.recursive(st.lists(st.one_of(_TEXT_PIECES, st.just("<br>"), st.just("<BR/>")), max_size=5).map("".join),
                              lambda children: st.lists(st.one_of(_element(children), _TEXT_PIECES), max_size=4).map("".join),
                              max_leaves=12)


@settings(max_examples=3000)
@given(st.one_of(st.lists(st.one_of(_HTML_PIECES, st.text(max_size=3)), max_size=14).map("".join), _SIMPLE_MARKUP))
def test_an_html_field_read_in_one_pass_is_read_as_in_two(value: str) -> None:
    """The one pass over an HTML field (scrapers.simple_feed._html_text) gives the plain text that _html's checks
    and plain() gave, and sends to feedparser what they sent."""
    assert _read_in_one_pass(value) == _read_in_two_passes(value)


@pytest.mark.parametrize("value", [
    "Bristol small businesses share web agency horror stories - <b>Northlight Studio</b> named",
    "Owners of a Clifton bakery and a harbourside B&amp;B said <b>Northlight Studio</b> missed launch dates and billed "
    "for &quot;revisions&quot; they never asked for&nbsp;...",
    "Nice write-up, but I&#8217;d have liked to read<br>what went wrong</p >", "<p>a</p>\n<p>b</p>", "plain text",
    "&amp;am<b>p;</b>", "<b>x</b>&am<b>p;</b>", "<a href=\"https://a.example/?a=1&amp;b=2\">link</a> text",
    "<b_x>y</b_x>", "<span title=\"<script>\">s</span>"])
def test_these_html_fields_are_read_in_one_pass_as_in_two(value: str) -> None:
    assert _read_in_one_pass(value) == _read_in_two_passes(value)


@settings(max_examples=2000)
@given(st.lists(st.sampled_from(["&amp;", "&#38;", "&#038;", "&#x26;", "&#X26;", "&quot;", "&lt;", "&gt;", "&nbsp;",
                                 "&lang;", "&not;", "&notin;", "&#39;", "&#x2019;", "&#128;", "&#0;", "&#xD800;",
                                 "&#1114112;", "&#9999999;", "amp;", "quot;", "lt;", "#38;", "a", " ", "\u00e9", ";", "#"]),
                max_size=12).map("".join))
def test_entities_replaced_kind_by_kind_are_html_unescape(value: str) -> None:
    """Each kind of entity replaced at once (scrapers.simple_feed._entities_replaced) is html.unescape's single
    pass, `&#38;amp;` and `&amp;quot;` included."""
    import html

    try:
        names = simple_feed._checked_entities(value)
    except simple_feed._Unsure:
        return
    assert simple_feed._entities_replaced(value, names) == html.unescape(value)


def _repaired_as_before(text: str) -> object:
    try:
        text = text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    if re.search("[\x80-\x9f]", text):
        return "feedparser's"
    return text


@settings(max_examples=2000)
@given(st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=0xFF)),
                 st.text().map(lambda t: t.encode("utf-8").decode("iso-8859-1"))))
def test_text_is_repaired_as_before(text: str) -> None:
    """The repair of UTF-8 read as Latin-1 skips the encode and decode for text that holds no character a
    continuation byte reads as (most non-ASCII text): what it gives is what it gave."""
    try:
        ours: object = simple_feed._repaired(text)
    except simple_feed._Unsure:
        ours = "feedparser's"
    assert ours == _repaired_as_before(text)
