"""A page's `<script>` elements, found without building a BeautifulSoup tree of the whole page.

Review pages carry their data in a script or two (Next.js data, JSON-LD) inside hundreds of kilobytes of
markup. lxml builds its tree in C, about as fast as reading the bytes; BeautifulSoup then builds a Python
object per tag, 15-35 times slower. Input lxml refuses (NUL bytes, control characters) falls back to
BeautifulSoup with a SoupStrainer that keeps only the scripts.

A page given as bytes is read as `scrapers.text.decode` reads it; when that is plain UTF-8 (most pages), lxml
reads the bytes themselves: decoding them to a str only for lxml to convert it back to UTF-8 cost as much again
as building the tree.
"""
from __future__ import annotations

from typing import NamedTuple

from lxml import etree

from scrapers.text import decode, reads_as_utf8

__all__ = ["Script", "page_scripts"]

# Shared, as parsers are made to be (lxml locks one while it parses); plain etree elements, not lxml.html's,
# whose element classes are looked up by a Python method for every element handed out.
_HTML = etree.HTMLParser()
_UTF8_HTML = etree.HTMLParser(encoding="utf-8")


class Script(NamedTuple):
    """One `<script>` (a tuple, not a dataclass: made for every script of every page, a frozen dataclass cost a
    fifth of a small page's parse)."""

    id: str
    type: str  # the MIME type, lower-cased and without parameters ("" when the element has none)
    text: str


def _mime(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


def page_scripts(page: str | bytes) -> list[Script]:
    """Every `<script>` in the page, in document order, with its id, type and text."""
    if isinstance(page, bytes):
        if _utf8_for_lxml(page):
            return _scripts_of(etree.fromstring(page, _UTF8_HTML))
        page = decode(page)
    try:
        return _scripts_of(etree.fromstring(page, _HTML))
    except (ValueError, TypeError):  # lxml refuses a str with an XML declaration, and non-XML characters
        return _with_strainer(page)


def _utf8_for_lxml(body: bytes) -> bool:
    """Bytes lxml reads as the str `decode` makes of them: UTF-8, and nothing the str would have lxml refuse
    (an XML declaration) or read otherwise (a NUL)."""
    return reads_as_utf8(body) and not body.lstrip()[:5].lower().startswith(b"<?xml") and b"\0" not in body


def _scripts_of(root: etree._Element | None) -> list[Script]:
    if root is None:  # an empty document
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
