"""scrapers/trustpilot.py on recorded Trustpilot company pages."""
from __future__ import annotations

import json

import pytest

from scrapers.base import Blocked, LayoutChanged
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
