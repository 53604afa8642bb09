"""scrapers/css.py: the user's selectors on recorded pages, the next-page link, and a page that changes layout
(the selector matched before and matches nothing now: layout changed, never "no reviews")."""
from __future__ import annotations

import warnings

import pytest

from desktop.polling import poll_once
from desktop.store import sources
from scrapers.base import ParseError
from scrapers.css import CssPage
from tests.helpers.fault_server import Reply
from tests.scrapers.pages import PAGES, cases, check_page

SELECTORS = {"item": "article.testimonial", "text": ".testimonial__quote", "author": ".testimonial__name",
             "date": "time", "rating": ".testimonial__stars", "next_link": "a.next"}


@pytest.mark.parametrize(("page", "expected"), cases("css"))
def test_recorded_page(page, expected):
    check_page("css", page, expected)


def test_without_selectors_it_says_what_it_needs():
    with pytest.raises(ParseError, match="needs its selectors"):
        CssPage().parse("<p>hi</p>", "https://tidewaymotion.co.uk/client-words/")


def test_follows_next_page_then_reports_a_changed_layout(conn, fault_server, session, clock):
    fault_server.route("/client-words/page/2/", Reply.page("css", "kind-words-page2.html"))
    url = fault_server.route("/client-words/", Reply.page("css", "kind-words-page1.html"),
                             Reply.page("css", "kind-words-redesigned.html"))
    row = sources.add(conn, "css", url, interval_s=3600, config={"selectors": SELECTORS})
    first = poll_once(row, session, conn, clock)
    assert first.ok and first.new == 3 and sources.get(conn, row.id).checkpoint == {"matched": True}
    later = poll_once(sources.get(conn, row.id), session, conn, clock)
    assert later.state == "layout changed" and "fix the selectors" in later.error and later.new == 0


def test_selectors_that_never_matched_say_check_them(conn, fault_server, session, clock):
    url = fault_server.route("/client-words/", Reply.page("css", "kind-words-redesigned.html"))
    row = sources.add(conn, "css", url, interval_s=3600, config={"selectors": SELECTORS})
    result = poll_once(row, session, conn, clock)
    assert result.state == "failing" and "check the selectors" in result.error


FEED = (PAGES / "feeds" / "wordpress-comments.rss").read_bytes()
HOSTILE_XML = b'<?xml version="1.0"?><reviews><review><p class="text">Great work</p></review></reviews>'


@pytest.mark.parametrize("body", [FEED, HOSTILE_XML, FEED.decode(), b" \n" + HOSTILE_XML, b"<!-- x -->" + HOSTILE_XML])
def test_a_page_that_looks_like_xml_is_read_as_html_without_a_warning(body) -> None:
    """A document with an XML declaration is read as HTML on purpose (what the selectors were written for):
    bs4's XMLParsedAsHTMLWarning is not passed on to the log."""
    from bs4 import XMLParsedAsHTMLWarning

    with warnings.catch_warnings(record=True) as caught:  # the filters in force, each warning recorded
        found = CssPage(selectors={"item": "review, item", "text": ".text, title"}).parse(body, "https://x.example/")
    assert [w.message for w in caught if issubclass(w.category, XMLParsedAsHTMLWarning)] == []
    assert [m.text for m in found][:1] == (["Great work"] if isinstance(body, bytes) and HOSTILE_XML in body else ["By: Matteo Rinaldi"])


def test_a_declaration_left_open_is_a_typed_error_without_a_warning() -> None:
    from bs4 import XMLParsedAsHTMLWarning

    with warnings.catch_warnings(record=True) as caught, pytest.raises(ParseError, match="matches nothing"):
        CssPage(selectors={"item": "review", "text": ".text"}).parse(b"<?xml?", "https://x.example/")
    assert [w.message for w in caught if issubclass(w.category, XMLParsedAsHTMLWarning)] == []


def test_a_feed_given_to_a_css_source_says_to_add_it_as_a_feed(conn, fault_server, session, clock):
    url = fault_server.route("/comments/feed/", Reply(body=FEED, content_type="application/rss+xml"))
    with pytest.raises(ParseError, match="serves an RSS or Atom feed, not a web page: add it as an RSS or Atom feed"):
        CssPage(selectors={"item": "div.review"}).parse(FEED, url)
    row = sources.add(conn, "css", url, config={"selectors": {"item": "div.review"}})
    result = poll_once(row, session, conn, clock)
    assert result.state == "failing" and "add it as an RSS or Atom feed source" in result.error
