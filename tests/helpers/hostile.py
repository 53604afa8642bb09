"""Hypothesis strategies for hostile input: what an attacker, a broken site or a mangled spreadsheet sends.

Shared by the fuzz tests of every parser, of import and of scoring. The values are the ones that broke Rapport
once (issue 11): overflowing dates, 400-digit numbers, lone surrogates, nesting thousands deep, wrong JSON types.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

# Dates that overflow when moved to UTC, or are out of every range, in the shapes sites and files use.
DATES = ("9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+01:00", "9999-12-31", "0000-00-00", "2024-02-30",
         "Fri, 31 Dec 9999 23:00:00 -0500", "Mon, 01 Jan 0001 00:00:00 +0100", "31/12/9999 23:59", "99/99/9999",
         "2024-13-45T25:61:61Z", "1e400", "-1", "Dec 31, 9999", "2025-03-12T16:42:08.000Z")
NUMBERS = ("1" * 400, "9" * 4401, "1e400", "-1e400", "NaN", "Infinity", "-0", "0x10", "4,5", "½", "٣", "5/0", "1/-5",
           "99999999999999999999%", "★" * 1000)
# Text pieces: lone surrogates (as characters and as JSON / HTML escapes), NUL and other controls, odd line
# separators, a formula start, markup and entities.
TEXTS = ("\ud800", "a\udfffb", "\\ud800", "&#xD800;", "&#0;", "\x00", "\x1b[31m", "\u2028\u2029\x85", "\ufeff",
         "'=1+1", "=HYPERLINK(\"x\")", "<script>alert(1)</script>", "<b>great</b>", "&amp;lt;", "\r\n", "\t",
         "Ｎｅｖｅｒ ａｇａｉｎ", "İ", "😡" * 50, "x" * 131_073)
# Nesting deeper than any parser's recursion limit.
DEEP = ("[" * 5000, "{" * 5000, '{"a":' * 5000, "[" * 5000 + "]" * 5000, "<div>" * 5000, "<b><i>" * 3000)

# Raw JSON no tree can hold (nesting too deep, more digits than Python converts), swapped in after dumping
# for a placeholder string the tree carries.
RAW_JSON = ("[" * 5000 + "]" * 5000, '{"a":' * 5000 + "1" + "}" * 5000, "[" * 5000, "9" * 4401, "-" + "1" * 5000,
            "1e400", "NaN", "-Infinity")
RAW = "\x00RAW{}\x00"


@dataclass(frozen=True)
class Seed:
    """A recorded page to mutate, shown by name (Hypothesis prints its strategies)."""

    name: str
    data: bytes = field(repr=False)


def deep() -> st.SearchStrategy[str]:
    """One of the nesting bombs (drawn by index, so the strategy's repr stays short)."""
    return st.sampled_from(range(len(DEEP))).map(DEEP.__getitem__)


def surrogate_text(max_size: int = 200) -> st.SearchStrategy[str]:
    """Any text, lone surrogates and control characters included (st.text() leaves surrogates out)."""
    return st.text(st.characters(exclude_categories=()), max_size=max_size)


def hostile_text(max_size: int = 200) -> st.SearchStrategy[str]:
    pieces = TEXTS + DATES + NUMBERS
    one = st.sampled_from(range(len(pieces))).map(pieces.__getitem__)
    return st.one_of(surrogate_text(max_size), one, st.lists(one, min_size=1, max_size=4).map("".join))


def json_values() -> st.SearchStrategy[Any]:
    """JSON values with the wrong types, huge numbers, hostile strings, and raw hostile text (deep nesting)."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.just(10 ** 400),
                        st.floats(allow_nan=True, allow_infinity=True), hostile_text(),
                        st.sampled_from(range(len(RAW_JSON))).map(RAW.format))
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                        max_leaves=12)


def dumps(value: Any) -> str:
    """JSON text (lone surrogates escaped as a hostile page writes them), placeholders swapped for raw text."""
    text = json.dumps(value, allow_nan=True)
    return re.sub(r'"\\u0000RAW(\d+)\\u0000"', lambda m: RAW_JSON[int(m.group(1))], text)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


@st.composite
def mutated_json(draw: st.DrawFn, document: Any) -> str:
    """`document` with one to three of its nodes (or whole subtrees) replaced by hostile values."""
    paths = _paths(document)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths))
        value = draw(json_values())
        if not path:
            document = value
            break
        node = document
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):  # an earlier change replaced this path's parent
            continue
    return dumps(document)


_SCRIPT = re.compile(r"(<script\b[^>]*>)(.*?)(</script>)", re.DOTALL | re.IGNORECASE)


def json_parts(page: str) -> list[tuple[int, int, Any]]:
    """(start, end, parsed) for each part of a page that is JSON: the whole body, or a <script>'s content."""
    try:
        return [(0, len(page), json.loads(page))]
    except ValueError:
        pass
    parts = []
    for match in _SCRIPT.finditer(page):
        try:
            parts.append((match.start(2), match.end(2), json.loads(match.group(2))))
        except ValueError:
            continue
    return parts


@st.composite
def mutated_page(draw: st.DrawFn, seed: Seed) -> bytes | str:
    """A recorded page made hostile: its JSON data mutated, hostile text spliced in, cut short, or replaced."""
    text = seed.data.decode("utf-8", errors="replace")
    parts = json_parts(text)
    how = draw(st.sampled_from(["json", "splice", "truncate", "deep", "bytes"] if parts else
                               ["splice", "truncate", "deep", "bytes"]))
    if how == "json":
        start, end, document = draw(st.sampled_from(parts))
        text = text[:start] + draw(mutated_json(json.loads(json.dumps(document)))) + text[end:]
    elif how == "splice":
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.one_of(hostile_text(), deep())) + text[at:]
    elif how == "truncate":
        text = text[:draw(st.integers(0, len(text)))]
    elif how == "deep":
        start, end, _ = draw(st.sampled_from(parts)) if parts else (0, len(text), None)
        text = text[:start] + draw(deep()) + text[end:]
    else:
        return draw(st.binary(max_size=2048))
    # Pages arrive as bytes (a lone surrogate there is invalid UTF-8) or as text the HTTP layer decoded, which
    # never holds a lone surrogate itself (JSON inside it can still spell one as \ud800).
    if draw(st.booleans()):
        return text.encode("utf-8", errors="replace").decode("utf-8")
    return text.encode("utf-8", errors="surrogatepass")
