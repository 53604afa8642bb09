"""Every kind's parser on hostile pages: its only outcomes are usable mentions or a typed ScrapeError.

The kinds come from the registry and the seeds from each kind's recorded pages, so a new kind is fuzzed as soon
as it registers. `HYPOTHESIS_PROFILE=long ./dev test tests/scrapers/test_fuzz.py` runs 10,000 cases per kind.
"""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import scrapers
from scrapers.base import Mention, ParseError, ScrapeError, Source, checked
from tests.helpers.hostile import Seed, deep, mutated_page
from tests.scrapers.pages import PAGES, page_files

KINDS = sorted(scrapers.load_all())
URL = "https://www.example.org/reviews/"


def _seeds(kind: str) -> list[Seed]:
    pages = page_files(kind) if (PAGES / kind).is_dir() else []
    return [Seed(p.name, p.read_bytes()) for p in pages] or [Seed("empty", b"")]


def _bodies(kind: str) -> st.SearchStrategy[bytes | str]:
    return st.one_of(st.sampled_from(_seeds(kind)).flatmap(mutated_page), deep(), st.binary(max_size=512))


@pytest.mark.parametrize("kind", KINDS)
def test_parse_gives_storable_mentions_or_a_typed_error(kind: str) -> None:
    """The parser itself raises nothing but ScrapeError; what it returns, checked as `parse_page` does, is
    only mentions that can be stored (the unusable ones noted)."""
    source = scrapers.get(kind)()

    @given(_bodies(kind))
    def check(body: bytes | str) -> None:
        note(repr(body[:300]))
        try:
            found = source.parse(body, URL)
        except ScrapeError:
            return
        assert all(isinstance(m, Mention) for m in found)
        kept = checked(found, url=URL)
        assert all(m.problem() is None for m in kept) and kept.total >= len(found)

    check()


class _Careless(Source):
    """A parser that trusts its input (no kind: never registered)."""

    def parse(self, body: bytes | str, url: str) -> list[Mention]:
        data = json.loads(body)
        return [Mention(text=r["text"], posted_at=datetime.fromisoformat(r["date"])) for r in data["reviews"]]


@pytest.mark.parametrize("body", ['{"props": []}', "[" * 5000, '{"reviews": [{"text": 1, "date": []}]}'])
def test_parse_page_turns_any_parser_failure_into_a_parse_error(body: str) -> None:
    with pytest.raises(ParseError, match="the page could not be read") as caught:
        _Careless().parse_page(body, URL)
    assert caught.value.url == URL


def test_parse_page_skips_unstorable_mentions_with_a_note() -> None:
    reviews = [{"text": "Fine work", "date": "2025-03-01T10:00:00+00:00"},
               {"text": "Lone \ud800 surrogate", "date": "2025-03-02T10:00:00+00:00"},
               {"text": "From the far future", "date": "9999-12-31T23:00:00-05:00"}]
    found = _Careless().parse_page(json.dumps({"reviews": reviews}), URL)
    assert [m.text for m in found] == ["Fine work"] and found.total == 3
    assert found.note() == ("2 of 3 reviews could not be read: its text is not valid Unicode (a lone surrogate) "
                            "(and 1 more)")
