"""scrapers/jsonld.py on recorded pages, and the rules it applies to schema.org values."""
from __future__ import annotations

import pytest

from scrapers.base import ParseError
from scrapers.jsonld import JsonLdReviews, reviews_in
from tests.scrapers.pages import cases, check_page


@pytest.mark.parametrize(("page", "expected"), cases("jsonld"))
def test_recorded_page(page, expected):
    check_page("jsonld", page, expected)


def test_reviews_found_in_graph_lists_and_under_items():
    tree = [{"@graph": [{"@type": "Organization"}, {"@type": ["Review", "CreativeWork"], "@id": "a"}]},
            {"@type": "Product", "review": [{"@type": "schema:Review", "@id": "b"}, {"@id": "ref-only"}]},
            {"@type": "http://schema.org/Review", "@id": "c"}]
    assert [r["@id"] for r in reviews_in(tree)] == ["a", "b", "c"]


def test_every_block_broken_is_a_parse_error():
    page = '<html><head><script type="application/ld+json">{"@type": "Review",}</script></head></html>'
    with pytest.raises(ParseError) as caught:
        JsonLdReviews().parse(page, "https://inescarvalho.design/reviews/")
    assert caught.value.url == "https://inescarvalho.design/reviews/"


def test_rating_scaled_from_its_own_best_and_worst():
    page = ('<script type="application/ld+json">{"@type":"Review","reviewBody":"Solid work.","reviewRating":'
            '{"ratingValue":"7,5","bestRating":"10","worstRating":"0"}}</script>')
    [mention] = JsonLdReviews().parse(page, "https://inescarvalho.design/reviews/")
    assert mention.rating == 4.0
