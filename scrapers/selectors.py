"""Reviews read from a page's own markup with CSS selectors: one item selector, and inside each item the text,
author, date, rating and title. The user-defined `css` kind and the marketplace pages without review markup
(PeoplePerHour, Guru) read this way; a page where the item selector finds nothing is for the caller to judge.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin

import soupsieve
from bs4 import BeautifulSoup, Tag

from scrapers.base import Mention, Mentions, ParseError, collect
from scrapers.text import normalise_rating, parse_iso_datetime, plain

__all__ = ["ReviewSelectors", "read_items", "next_page", "loose_date", "rating_in", "looks_like_feed", "html_soup"]

# What may come before a page's first element: space, comments, a doctype, processing instructions.
_PROLOGUE = re.compile(r"(?:\s+|<!--.*?-->|<![^>]*>|<\?[^>]*>)*", re.S)
_XML_DECLARATION = re.compile(r"<\?xml[^>]*>")
_FEED_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?[^>]*>\s*)*<(?:rss|feed|rdf:RDF)\b", re.S)

_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y", "%Y/%m/%d", "%d.%m.%Y")
_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)")
_OUT_OF = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:/|out of|of)\s*(\d+(?:[.,]\d+)?)", re.IGNORECASE)
_PERCENT = re.compile(r"width\s*:\s*(\d+(?:\.\d+)?)%")
_ID_ATTRIBUTES = ("data-review-id", "data-id", "id", "itemid")
# Attributes that carry a value more precisely than the text shown (a machine date, a rating).
_VALUE_ATTRIBUTES = ("datetime", "content", "data-rating", "data-score", "data-value", "data-date", "aria-label",
                     "title")


@dataclass(frozen=True)
class ReviewSelectors:
    """CSS selectors for reviews on a page. `item` is required; the others are looked for inside each item
    (an empty one is skipped; `text` empty means the item's whole text)."""

    item: str
    text: str = ""
    author: str = ""
    date: str = ""
    rating: str = ""
    title: str = ""
    next_link: str = ""

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}

    @classmethod
    def from_dict(cls, data: Any) -> ReviewSelectors:
        if not isinstance(data, dict) or not str(data.get("item") or "").strip():
            raise ParseError("no item selector: say which element holds one review")
        fields = {k: str(data.get(k) or "").strip() for k in cls.__dataclass_fields__}
        return cls(**fields)

    def problems(self) -> dict[str, str]:
        """Each selector that is not valid CSS, with why (what the Sources screen shows beside it)."""
        found = {}
        for name, value in asdict(self).items():
            if value:
                try:
                    soupsieve.compile(value)
                except soupsieve.SelectorSyntaxError as exc:
                    found[name] = str(exc).splitlines()[0]
        return found


def _select(node: Tag | BeautifulSoup, selector: str, what: str, url: str) -> list[Tag]:
    try:
        return node.select(selector)
    except soupsieve.SelectorSyntaxError as exc:
        raise ParseError(f"the {what} selector {selector!r} is not valid CSS ({str(exc).splitlines()[0]})",
                         url=url) from None


def _first(item: Tag, selector: str, what: str, url: str) -> Tag | None:
    if not selector:
        return None
    found = _select(item, selector, what, url)
    return found[0] if found else None


def _values(node: Tag) -> list[str]:
    values = [str(node.get(a)) for a in _VALUE_ATTRIBUTES if node.get(a)]
    return [*values, node.get_text(" ", strip=True)]


def loose_date(text: str) -> datetime | None:
    """A date as pages print them: ISO 8601, `12 Nov 2026`, `Nov 12, 2026`, `2026/11/12`, `12.11.2026`.
    An ambiguous `03/04/2026` or a relative "2 weeks ago" is not guessed."""
    text = " ".join(text.replace("Posted", "").replace("Reviewed", "").split()).strip(" :")
    moment = parse_iso_datetime(text)
    if moment is not None:
        return moment
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(hour=12, tzinfo=timezone.utc)
        except ValueError:
            continue
    return None


def rating_in(values: list[str]) -> float | None:
    """Stars from an element's attributes or text: `4.5`, `4.5 out of 5`, `9/10`, or a bar `width: 90%`."""
    for value in values:
        if match := _OUT_OF.search(value):
            return normalise_rating(match.group(1), match.group(2), 0 if match.group(2) != "5" else None)
        if match := _PERCENT.search(value):
            return normalise_rating(match.group(1), 100, 0)
        if match := _NUMBER.search(value):
            rating = normalise_rating(match.group(1))
            if rating is not None and 0 < float(match.group(1).replace(",", ".")) <= 5:
                return rating
    return None


def _item_id(item: Tag) -> str | None:
    for name in _ID_ATTRIBUTES:
        if item.get(name):
            return str(item.get(name))
    return None


def read_items(html: str | BeautifulSoup, url: str, selectors: ReviewSelectors) -> tuple[Mentions, int]:
    """The reviews the selectors find (one that cannot be read is skipped with a note), and how many items the
    item selector matched (0: it found nothing)."""
    soup = html if isinstance(html, BeautifulSoup) else html_soup(html)
    items = _select(soup, selectors.item, "item", url)

    def build(item: Any) -> Mention | None:
        text_node = _first(item, selectors.text, "text", url) if selectors.text else item
        text = plain(text_node.decode_contents()) if text_node is not None else ""
        author_node = _first(item, selectors.author, "author", url)
        date_node = _first(item, selectors.date, "date", url)
        rating_node = _first(item, selectors.rating, "rating", url)
        title_node = _first(item, selectors.title, "title", url)
        posted = next((d for d in (loose_date(v) for v in _values(date_node)) if d), None) if date_node else None
        rating = rating_in([str(rating_node.get("style") or ""), *_values(rating_node)]) if rating_node else None
        if not text and rating is None:
            return None
        author = plain(author_node.get_text(" ", strip=True)) if author_node is not None else ""
        external = _item_id(item) or _fingerprint(author, text)
        return Mention(text=text, author=author, url=url, external_id=external, posted_at=posted,
                       rating=rating, title=plain(title_node.get_text(" ", strip=True)) if title_node else "")

    return collect(items, build, url=url), len(items)


def html_soup(html: str) -> BeautifulSoup:
    """The page read as HTML, the way a browser shows it and the selectors were written for it, also when it
    starts with an XML declaration (XHTML served with its prolog, a feed given to a css source)."""
    return BeautifulSoup(_without_xml_declarations(html), "lxml")


def _without_xml_declarations(html: str) -> str:
    """`html` without the XML declarations before its first element. They mean nothing to an HTML reading, and bs4
    would warn on every poll of such a page that it "looks like XML" (XMLParsedAsHTMLWarning), about a choice made
    here on purpose. A processing instruction left open at the end (`<?xml`) holds no markup: it goes too."""
    prologue = _PROLOGUE.match(html).group()  # type: ignore[union-attr] - it matches the empty string at least
    rest = html[len(prologue):]
    if rest.startswith("<?"):
        rest = ""
    elif "<?xml" not in prologue:
        return html
    return _XML_DECLARATION.sub("", prologue) + rest


def looks_like_feed(html: str) -> bool:
    """Whether the document is an RSS or Atom feed (its first element is `rss`, `feed` or `rdf:RDF`), not a page."""
    return _FEED_START.match(html[:4096]) is not None


def _fingerprint(author: str, text: str) -> str:
    """An id for an item without one, stable while its author and text are (so a re-read is not new)."""
    return "sha1:" + hashlib.sha1(f"{author}\n{text}".encode()).hexdigest()[:16]


def next_page(html: str | BeautifulSoup, url: str, selectors: ReviewSelectors) -> str | None:
    """The absolute address the "next page" link points to, if there is one."""
    if not selectors.next_link:
        return None
    soup = html if isinstance(html, BeautifulSoup) else html_soup(html)
    link = _first(soup, selectors.next_link, "next page", url)  # type: ignore[arg-type]
    href = link.get("href") if link is not None else None
    return urljoin(url, str(href)) if href else None


def schema_or_own_markup(body: bytes | str, url: str, own: ReviewSelectors, site: str) -> list[Mention]:
    """A marketplace profile's reviews: its schema.org markup (JSON-LD) where it has some, else the review
    blocks of its own markup; neither is a changed layout, never "no reviews"."""
    from scrapers.jsonld import ld_blocks, mentions_from_blocks  # jsonld is a source module; imported on use
    from scrapers.base import LayoutChanged
    from scrapers.text import decode

    text = decode(body) if isinstance(body, bytes) else body
    blocks, _ = ld_blocks(text, url)
    found = mentions_from_blocks(blocks, url)
    if found:
        return found
    mentions, items = read_items(text, url, own)
    if items:
        return mentions
    raise LayoutChanged(f"found no reviews in the page's review markup or in {site}'s own review blocks: not a "
                        f"{site} profile, or {site} changed its pages", url=url)
