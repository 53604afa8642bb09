"""scrapers/simple_feed.py: a well-formed feed read from lxml's tree gives exactly what feedparser gives, and
anything it is unsure of goes to feedparser."""
from __future__ import annotations

import pytest

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
                 "javascript:alert(1)", "https://a.example/x#f&amp;copy;z"):
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
            ALERTS.replace(b'<content type="html">', b'<content type="xhtml">', 1)]
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
