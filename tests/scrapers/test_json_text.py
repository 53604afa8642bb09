"""scrapers.json_text reads what json.loads reads, into the same values, and fails where it fails."""
from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers import json_text
from scrapers.scripts import page_scripts
from tests.scrapers.pages import PAGES

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=5)
                       | st.dictionaries(st.text(max_size=8), inner, max_size=5), max_leaves=30)


def _same(a: object, b: object) -> bool:
    """Equal and of the same types throughout (1 and 1.0 are equal, but a page's id would read differently),
    keys in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)  # type: ignore[index]
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))  # type: ignore[arg-type]
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))  # type: ignore[arg-type]
    return a == b


@settings(max_examples=300)
@given(_VALUES, st.booleans())
def test_reads_what_json_writes_as_json_reads_it(value: object, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert _same(json_text.loads(text), json.loads(text))


@settings(max_examples=300)
@given(st.from_regex(r"-?(0|[1-9][0-9]{0,40})(\.[0-9]{1,30})?([eE][+-]?[0-9]{1,3})?", fullmatch=True))
def test_numbers_as_json_reads_them(number: str) -> None:
    """Integers of any size stay exact, floats are rounded as Python rounds them, past a float's range is inf."""
    assert _same(json_text.loads(number), json.loads(number))


@pytest.mark.parametrize("text", ['{"a": 1, "b": 2, "a": 3}', "NaN", "[Infinity, -Infinity]", "1e400",
                                  '"\\ud800"', '"\\udc00x\\ud83d\\ude00"', '"\ud800"', "[" * 300 + "]" * 300,
                                  '{"x": 123456789012345678901234567890}'])
def test_what_json_accepts_and_the_fast_decoder_may_not(text: str) -> None:
    assert _same(json_text.loads(text), json.loads(text))


@pytest.mark.parametrize("text", ["", "{", "[1,]", "{'a': 1}", '{"a": 1} x', "\ud800", "[" * 5000 + "]" * 5000])
def test_fails_where_json_fails(text: str) -> None:
    with pytest.raises((ValueError, RecursionError)) as expected:
        json.loads(text)
    with pytest.raises(expected.type):
        json_text.loads(text)


def test_the_recorded_pages_json_reads_the_same() -> None:
    """Every JSON script of every recorded page (JSON-LD, Next.js data) gives json.loads's values."""
    read = 0
    for page in sorted(PAGES.rglob("*.htm*")):
        for script in page_scripts(page.read_bytes()):
            if "json" not in script.type:
                continue
            raw = script.text.strip()
            try:
                expected = json.loads(raw)
            except (ValueError, RecursionError):
                with pytest.raises((ValueError, RecursionError)):
                    json_text.loads(raw)
                continue
            assert _same(json_text.loads(raw), expected), page
            read += 1
    assert read >= 10


@settings(max_examples=300)
@given(_VALUES, st.sampled_from([",]", ",}", ", ]", " x", "]", "}", "NaN", ",", ":", "\x01"]), st.integers(0, 400))
def test_a_fault_read_later_is_what_json_says(value: object, fault: str, where: int) -> None:
    """`why_later` gives json.loads's values, or an error worded as json.loads's (NotJson only where json refuses)."""
    text = json.dumps(value)
    text = text[:where] + fault + text[where:]
    try:
        expected: object = json.loads(text)
    except (ValueError, RecursionError) as exc:
        with pytest.raises((ValueError, RecursionError)) as ours:
            json_text.loads(text, why_later=True)
        assert str(ours.value) == str(exc)
        if not isinstance(ours.value, json_text.NotJson):
            assert type(ours.value) is type(exc)
    else:
        assert _same(json_text.loads(text, why_later=True), expected)


def test_a_page_with_one_trailing_comma_reads_it_later() -> None:
    with pytest.raises(json_text.NotJson) as raised:
        json_text.loads('{"a": [1, 2,]}', why_later=True)
    assert str(raised.value) == "Expecting value: line 1 column 13 (char 12)"
