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


def _ld(*reviews: str) -> str:
    return f'<script type="application/ld+json">[{",".join(reviews)}]</script>'


GOOD = '{"@type":"Review","@id":"r1","reviewBody":"Clear, on time.","reviewRating":{"ratingValue":"5"}}'


@pytest.mark.parametrize(("hostile", "kept"), [
    ('{"@type":"Review","@id":[1],"reviewBody":"A list for an id"}', 2),  # was TypeError: unhashable list
    ('{"@type":"Review","@id":"r2","reviewBody":"Big","reviewRating":{"ratingValue":' + "9" * 400 + "}}", 2),
    ('{"@type":"Review","@id":"r3","reviewBody":{"text":"an object"},"author":[[["deep"]]]}', 1),  # no text left
    ('{"@type":"Review","@id":"r4","reviewBody":"Far future","datePublished":"9999-12-31T23:00:00-05:00"}', 1),
])
def test_one_hostile_review_never_sinks_the_page(hostile, kept):
    found = JsonLdReviews().parse_page(_ld(GOOD, hostile), "https://inescarvalho.design/reviews/")
    assert len(found) == kept and found[0].text == "Clear, on time."
    big = [m for m in found if m.text == "Big"]
    assert not big or big[0].rating is None  # a 400-digit rating is no rating, not an OverflowError


def test_a_nesting_bomb_is_a_parse_error_not_a_recursion_error():
    page = '<script type="application/ld+json">' + "[" * 5000 + "</script>"
    with pytest.raises(ParseError, match="not valid JSON"):
        JsonLdReviews().parse(page, "https://inescarvalho.design/reviews/")


def test_deep_but_valid_json_ld_is_walked_without_recursion():
    page = ('<script type="application/ld+json">' + '{"a":[' * 450 + GOOD + "]}" * 450 + "</script>")
    [mention] = JsonLdReviews().parse(page, "https://inescarvalho.design/reviews/")
    assert mention.external_id == "r1"


def test_a_review_without_an_id_is_known_by_its_content():
    """The first review without an @id is compared only once a second comes: each still appears once."""
    same = '{"@type":"Review","reviewBody":"Kind words.","author":"Ana"}'
    same_reordered = '{"author":"Ana","reviewBody":"Kind words.","@type":"Review"}'
    other = '{"@type":"Review","reviewBody":"Other words.","author":"Bo"}'
    found = JsonLdReviews().parse(_ld(same, GOOD, other, same_reordered, other), "https://inescarvalho.design/")
    assert [m.text for m in found] == ["Kind words.", "Clear, on time.", "Other words."]
    [only] = JsonLdReviews().parse(_ld(same), "https://inescarvalho.design/")
    assert only.author == "Ana"


ORGANIZATION = '{"@type":"Organization","name":"Northlight"}'
BROKEN = '{"@type":"BreadcrumbList",}'


@pytest.mark.parametrize(("blocks", "texts"), [
    ([ORGANIZATION, GOOD, BROKEN], ["Clear, on time."]),
    (['{"@type":"R\\u0065view","reviewBody":"Escaped type."}', ORGANIZATION], ["Escaped type."]),
    (['{"@type":"REVIEW","reviewBody":"Shouted type."}'], ["Shouted type."]),
    ([ORGANIZATION, BROKEN], []),  # a valid block, though it holds no review: no error, as ever
])
def test_blocks_that_cannot_name_a_review_are_passed_over_without_changing_the_reading(blocks, texts):
    page = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    assert [m.text for m in JsonLdReviews().parse(page, "https://inescarvalho.design/")] == texts


def test_a_page_whose_only_decodable_block_is_passed_over_still_words_the_first_error():
    page = "".join(f'<script type="application/ld+json">{b}</script>' for b in (BROKEN, '{"@type":"Review",}'))
    with pytest.raises(ParseError, match=r"not valid JSON \(.*\(char 26\)\)"):  # the breadcrumbs' error
        JsonLdReviews().parse(page, "https://inescarvalho.design/")
