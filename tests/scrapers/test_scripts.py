"""scrapers/scripts.py: a page's scripts are the same whether lxml reads its bytes or the text `decode` makes."""
from __future__ import annotations

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from scrapers.scripts import Script, page_scripts
from scrapers.text import decode
from tests.helpers.hostile import Seed, mutated_page
from tests.scrapers.pages import PAGES

HTML_PAGES = sorted(p for p in PAGES.rglob("*.htm*") if p.is_file())


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_recorded_pages_bytes_and_text_give_the_same_scripts(page):
    body = page.read_bytes()
    assert page_scripts(body) == page_scripts(decode(body))


@settings(max_examples=300)
@given(st.sampled_from([Seed(p.name, p.read_bytes()) for p in HTML_PAGES]).flatmap(mutated_page))
def test_hostile_pages_bytes_and_text_give_the_same_scripts(body: bytes | str) -> None:
    raw = body if isinstance(body, bytes) else body.encode("utf-8", "replace")
    note(repr(raw[:300]))
    assert page_scripts(raw) == page_scripts(decode(raw))


@pytest.mark.parametrize(("body", "scripts"), [
    (b"", []),
    (b"   ", []),
    ('<?xml version="1.0" encoding="utf-8"?><html><script id="a">x</script></html>'.encode(),
     [Script("a", "", "x")]),  # a str with a declaration is refused by lxml: read by the SoupStrainer, as before
    ('<meta charset="windows-1252"><script type="Application/LD+JSON; charset=x">\u201cok\u201d</script>'.encode(),
     [Script("", "application/ld+json", "\u201cok\u201d")]),  # UTF-8 under a Latin declaration is UTF-8
    (b'<meta charset="windows-1252"><script>\x93ok\x94</script>', [Script("", "", "\u201cok\u201d")]),
])
def test_what_decode_reads_is_what_lxml_reads(body, scripts):
    assert page_scripts(body) == scripts == page_scripts(decode(body))
