"""scrapers/trustpilot.py on recorded Trustpilot company pages."""
from __future__ import annotations

import json

import pytest

from scrapers.base import Blocked, LayoutChanged, ParseError
from scrapers.trustpilot import TrustpilotCompany
from tests.helpers.fault_server import CLOUDFLARE_CHALLENGE
from tests.scrapers.pages import PAGES, cases, check_page

URL = "https://uk.trustpilot.com/review/northlightstudio.co.uk"


@pytest.mark.parametrize(("page", "expected"), cases("trustpilot"))
def test_recorded_page(page, expected):
    check_page("trustpilot", page, expected)


def test_next_data_and_json_ld_give_the_same_ids():
    """Whichever part of the page a review is read from, it dedupes to the same mention."""
    with_next = TrustpilotCompany().parse((PAGES / "trustpilot" / "northlightstudio-page1.html").read_bytes(), URL)
    ld_only = TrustpilotCompany().parse((PAGES / "trustpilot" / "northlightstudio-ld-only.html").read_bytes(), URL)
    assert [m.external_id for m in with_next] == [m.external_id for m in ld_only]


def test_cloudflare_challenge_is_blocked():
    with pytest.raises(Blocked):
        TrustpilotCompany().parse(CLOUDFLARE_CHALLENGE, URL)


def test_empty_review_list_is_no_reviews_not_an_error():
    data = {"props": {"pageProps": {"businessUnit": {"displayName": "Kite & Key Translations"}, "reviews": []}}}
    page = f'<html><body><script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script></body></html>'
    assert TrustpilotCompany().parse(page, URL) == []


def test_a_page_of_another_kind_is_a_layout_change():
    with pytest.raises(LayoutChanged):
        TrustpilotCompany().parse((PAGES / "jsonld" / "no-structured-data.html").read_bytes(), URL)


def _next_data(data: object) -> str:
    return f'<html><script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script></html>'


@pytest.mark.parametrize("data", [{"props": []}, {"props": {"pageProps": "x"}}, [], 7])
def test_odd_next_data_shapes_fall_back_to_json_ld(data):
    with pytest.raises(LayoutChanged):  # was AttributeError for {"props": []}
        TrustpilotCompany().parse(_next_data(data), URL)


def test_a_next_data_nesting_bomb_is_a_parse_error():
    page = '<html><script id="__NEXT_DATA__" type="application/json">' + "[" * 5000 + "</script></html>"
    with pytest.raises(ParseError, match="not valid JSON"):
        TrustpilotCompany().parse(page, URL)


def test_unreadable_reviews_are_skipped_and_noted():
    reviews = [{"id": "a1", "text": "Good", "rating": 5},
               {"id": [1], "text": "a list for an id"},  # not a review: no usable id
               {"id": "a2", "text": "Huge", "rating": 10 ** 400},
               {"id": "a3", "text": "Future", "dates": {"publishedDate": "9999-12-31T23:00:00-05:00"}},
               {"id": "a4", "text": "Bad \ud800", "rating": 1}]
    found = TrustpilotCompany().parse_page(_next_data({"props": {"pageProps": {"reviews": reviews}}}), URL)
    assert [(m.external_id, m.rating) for m in found] == [("a1", 5.0), ("a2", None)]
    assert found.note() == ("2 of 4 reviews could not be read: its date 9999-12-31T23:00:00-05:00 is out of range "
                            "(and 1 more)")
