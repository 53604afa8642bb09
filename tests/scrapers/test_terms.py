"""Search terms: whole words and exact phrases, any case, exclusions winning, and which term matched."""
from __future__ import annotations

import pytest

from scrapers.terms import Terms, clean_terms


@pytest.mark.parametrize(("text", "matched"), [
    ("Has anyone worked with Sam Rivera?", "Sam Rivera"),
    ("has anyone worked with SAM   RIVERA before", "Sam Rivera"),
    ("Sam\nRivera fixed it", "Sam Rivera"),
    ("notes at https://rivera.dev/notes", "rivera.dev"),
    ("Sam Riveras is someone else", None),
    ("Sam and Rivera", None),
    ("samrivera.dev is a different site", None),
    ("arivera.dev", None),
    ("(Sam Rivera)", "Sam Rivera"),
])
def test_whole_words_and_phrases(text, matched):
    assert Terms(("Sam Rivera", "rivera.dev")).match(text) == matched


def test_first_term_in_order_is_the_one_reported():
    assert Terms(("rivera.dev", "Sam Rivera")).match("Sam Rivera of rivera.dev") == "rivera.dev"


def test_exclude_drops_a_text_whatever_matched():
    terms = Terms(("Rivera",), ("Diego Rivera", "mural"))
    assert terms.match("Rivera shipped the widget") == "Rivera"
    assert terms.match("the Diego Rivera murals") is None
    assert terms.match("Rivera painted a MURAL") is None


def test_matches_in_any_of_several_texts():
    assert Terms(("rivera.dev",)).match("Show HN: a booking widget", "", "https://rivera.dev/widget") == "rivera.dev"


def test_no_include_terms_match_nothing_and_are_false():
    assert not Terms((), ("x",))
    assert Terms((), ()).match("anything") is None


def test_clean_terms_trims_and_dedupes_case_insensitively():
    assert clean_terms(["  Sam  Rivera ", "sam rivera", "", "   ", "rivera.dev"]) == ("Sam Rivera", "rivera.dev")


def test_regex_characters_are_literal():
    assert Terms(("c++ (dev)",)).match("a c++ (dev) role") == "c++ (dev)"
    assert Terms(("a.b",)).match("axb") is None
