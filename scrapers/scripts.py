"""A page's `<script>` elements, found without building a BeautifulSoup tree of the whole page.

Review pages carry their data in a script or two (Next.js data, JSON-LD) inside hundreds of kilobytes of
markup. lxml builds its tree in C, about as fast as reading the bytes; BeautifulSoup then builds a Python
object per tag, 15-35 times slower. Input lxml refuses (NUL bytes, control characters) falls back to
BeautifulSoup with a SoupStrainer that keeps only the scripts.
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["Script", "page_scripts"]


class Script(NamedTuple):
    """One `<script>` (a tuple, not a dataclass: made for every script of every page, a frozen dataclass cost a
    fifth of a small page's parse)."""

    id: str
    type: str  # the MIME type, lower-cased and without parameters ("" when the element has none)
    text: str


def _mime(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


def page_scripts(html: str) -> list[Script]:
    """Every `<script>` in the page, in document order, with its id, type and text."""
    try:
        return _with_lxml(html)
    except (ValueError, TypeError):  # lxml refuses NUL bytes and other non-XML characters
        return _with_strainer(html)


def _with_lxml(html: str) -> list[Script]:
    from lxml import etree, html as lxml_html

    try:
        root = lxml_html.document_fromstring(html)
    except etree.ParserError:  # an empty document
        return []
    return [Script(el.get("id") or "", _mime(el.get("type")), el.text or "") for el in root.iter("script")]


def _with_strainer(html: str) -> list[Script]:
    from bs4 import BeautifulSoup, SoupStrainer

    soup = BeautifulSoup(html, "html.parser", parse_only=SoupStrainer("script"))
    found = []
    for el in soup.find_all("script"):
        text = el.string if el.string is not None else el.get_text()
        found.append(Script(str(el.get("id") or ""), _mime(str(el.get("type") or "")), text or ""))
    return found
