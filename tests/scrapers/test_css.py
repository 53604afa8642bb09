"""scrapers/css.py: the user's selectors on recorded pages, the next-page link, and a page that changes layout
(the selector matched before and matches nothing now: layout changed, never "no reviews")."""
from __future__ import annotations

import pytest

from desktop.polling import poll_once
from desktop.store import sources
from scrapers.base import ParseError
from scrapers.css import CssPage
from tests.helpers.fault_server import Reply
from tests.scrapers.pages import cases, check_page

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
