"""schema.org Review objects from a page's JSON-LD: the markup search engines read, so sites keep it right."""
from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from typing import Any

from scrapers import json_text
from scrapers.base import ITEM_ERRORS, LayoutChanged, Mention, Mentions, ParseError, Source, collect
from scrapers.scripts import Script, page_scripts
from scrapers.text import normalise_rating, parse_iso_datetime, plain_text

__all__ = ["JsonLdReviews", "identifier", "ld_blocks", "ld_blocks_in", "mention_from_review", "mentions_from_blocks",
           "reviews_in"]

_REVIEW_TYPES = {"review", "criticreview", "employerreview", "userreview"}
# json.dumps(review, sort_keys=True, default=str), without making an encoder per review: a review without an
# @id is known by its content.
_CONTENT_KEY = json.JSONEncoder(sort_keys=True, default=str)


def ld_blocks(html: str | bytes, url: str = "") -> tuple[list[Any], int]:
    """Every `<script type="application/ld+json">` block that could hold a review parsed, and how many scripts
    there were.

    Broken blocks are skipped (sites often ship one broken block among good ones); if every block is
    broken the page cannot be read as JSON-LD at all, which is a ParseError.
    """
    return ld_blocks_in(page_scripts(html), url)


def ld_blocks_in(page: list[Script], url: str = "") -> tuple[list[Any], int]:
    """ld_blocks for scripts already found (a caller that read the page's other scripts too).

    A block whose text cannot name a review type (no "review" in any case, no \\u escape that could write one:
    a page's Organization, WebSite or BreadcrumbList) is not decoded, as nothing in it is read (a tenth of a small
    page's parse). When no other block gives a value, every block is decoded, so what the page's JSON-LD is, and
    the error a broken one gets, are as ever."""
    scripts = [s for s in page if s.type == "application/ld+json"]
    texts = [text for text in (_block_text(s) for s in scripts) if text]
    blocks, errors = _decoded([text for text in texts if _may_name_a_review(text)])
    if not blocks and len(errors) < len(texts):  # some were passed over: the page's JSON-LD read whole
        blocks, errors = _decoded(texts)
    if errors and not blocks:
        raise ParseError(f"the page's JSON-LD is not valid JSON ({errors[0]})", url=url)
    return blocks, len(scripts)


def _block_text(script: Script) -> str:
    raw = script.text.strip()
    if raw.startswith("<!--"):
        raw = raw.removeprefix("<!--").removesuffix("-->").strip()
    return raw


def _may_name_a_review(text: str) -> bool:
    """Whether a block's JSON could hold a review type (`_is_review_name`: "review" in ASCII letters of any case,
    which only "\\u" could write otherwise)."""
    return "eview" in text or "\\u" in text or "review" in text.lower()


def _decoded(texts: list[str]) -> tuple[list[Any], list[Exception]]:
    """The blocks' values, and the errors of those that are not JSON (json_text.NotJson: worded only if asked)."""
    blocks: list[Any] = []
    errors: list[Exception] = []
    for text in texts:
        try:
            blocks.append(json_text.loads(text, why_later=True))
        except (ValueError, RecursionError) as exc:  # RecursionError: nested deeper than JSON-LD ever is
            errors.append(exc)
    return blocks, errors


def _is_review_type(value: str) -> bool:
    """Whether a @type names a review ("https://schema.org/Review" and "schema:Review" do)."""
    return _is_review_name(value) if len(value) <= 200 else _is_review_name.__wrapped__(value)


@functools.lru_cache(maxsize=1024)  # every node's @type is asked about, from a vocabulary of a few dozen
def _is_review_name(value: str) -> bool:
    return value.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() in _REVIEW_TYPES


def _is_review(node: dict[str, Any]) -> bool:
    value = node.get("@type")
    if isinstance(value, str):
        return _is_review_type(value)
    return isinstance(value, list) and any(isinstance(v, str) and _is_review_type(v) for v in value)


def reviews_in(node: Any) -> Iterator[dict[str, Any]]:
    """Review objects anywhere in a JSON-LD tree: top level, in lists, in @graph, under a Product's `review`.

    Walked with a stack, not recursion, so a hostile page nested thousands deep is just slow to walk."""
    stack = [node]
    pop, push = stack.pop, stack.append
    while stack:
        current = pop()
        if isinstance(current, dict):
            kind = current.get("@type")  # read once here; _is_review would read it again for a plain string
            if kind is not None and (_is_review_type(kind) if kind.__class__ is str else _is_review(current)):
                yield current
                continue
            children: Any = current.values()
        elif isinstance(current, list):
            children = current
        else:
            continue
        for child in reversed(children):  # only containers are stacked: most values are text
            cls = child.__class__
            if cls is dict or cls is list or (cls is not str and isinstance(child, (dict, list))):
                push(child)


def _name(value: Any) -> str:
    """An author: a name, a Person or Organization, or a list of them (the first 20)."""
    if isinstance(value, dict):  # one Person or Organization (most reviews): the same as the list below
        return plain_text(value.get("name") or value.get("alternateName"))
    names = value[:20] if isinstance(value, list) else [value]
    return ", ".join(n for n in (plain_text(v.get("name") or v.get("alternateName")) if isinstance(v, dict)
                                 else plain_text(v) for v in names) if n)


def _language(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    text = value.strip() if isinstance(value, str) else ""
    return text or None


def identifier(value: Any) -> str | None:
    """A review id as text: a string or an integer; anything else (a list, an object) is no id."""
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return str(value).strip() or None


def mention_from_review(review: dict[str, Any], page_url: str, *, external_id: str | None = None) -> Mention:
    """One schema.org Review as a Mention; the rating is put on 1-5 from its own best/worst."""
    rating_node = review.get("reviewRating")
    if isinstance(rating_node, dict):
        rating = normalise_rating(rating_node.get("ratingValue"), rating_node.get("bestRating"),
                                  rating_node.get("worstRating"))
    else:
        rating = normalise_rating(rating_node)
    link = review.get("url")
    if not isinstance(link, str):
        link = ""
    # text, author, url, external_id, posted_at, rating, title, language: by position, as a call by keyword
    # costs a dict of them on the way to __init__
    return Mention(
        plain_text(review.get("reviewBody") or review.get("description") or review.get("text")),
        _name(review.get("author")),
        link or page_url,
        external_id or identifier(review.get("@id")) or identifier(review.get("identifier")),
        parse_iso_datetime(review.get("datePublished") or review.get("dateCreated")),
        rating,
        plain_text(review.get("headline") or review.get("name")),
        _language(review.get("inLanguage")),
    )


def mentions_from_blocks(blocks: list[Any], page_url: str, *,
                         id_of: Callable[[dict[str, Any]], str | None] | None = None) -> Mentions:
    """Mentions from parsed JSON-LD blocks, each review once (by its @id, else by its content); a review that
    cannot be read is skipped, noted."""
    ids: set[str] = set()
    contents = _ContentKeys()

    def build(review: dict[str, Any]) -> Mention | None:
        review_id = identifier(review.get("@id"))
        if review_id is not None:
            if review_id in ids:
                return None
            ids.add(review_id)
        elif contents.seen(review):
            return None
        # the id just read, not read again by mention_from_review (an id_of's own id comes first, as there)
        mention = mention_from_review(review, page_url, external_id=(id_of(review) if id_of else None) or review_id)
        return mention if mention.text or mention.title or mention.rating is not None else None

    return collect(reviews_in(blocks), build, url=page_url)


class _ContentKeys:
    """Reviews without an @id, known by their content (`json.dumps(review, sort_keys=True, default=str)`).

    Encoding a review costs about as much as reading it, and most pages have one such review or none: the
    first is encoded only when a second one comes to be compared with it."""

    def __init__(self) -> None:
        self._first: dict[str, Any] | None = None
        self._keys: set[str] | None = None

    def seen(self, review: dict[str, Any]) -> bool:
        """Whether a review with this content came before; raises what encoding it raises (its own problem)."""
        if self._keys is None:
            if self._first is None:
                self._first = review
                return False
            first, self._first, self._keys = self._first, None, set()
            try:
                self._keys.add(_CONTENT_KEY.encode(first))
            except ITEM_ERRORS:
                pass  # the first was read already; encoding it is no problem of this review's
        key = _CONTENT_KEY.encode(review)
        if key in self._keys:
            return True
        self._keys.add(key)
        return False


class JsonLdReviews(Source):
    """Reviews any page publishes for search engines (schema.org review markup).

    URL: any web page, e.g. your agency's own testimonials page or a review site's company page
    (Trustpilot company pages publish their reviews this way).

    Reads: every review the page marks up, with its stars (scaled to five), title, text, author, date and
    language.

    Limits: only what the page itself serves; reviews loaded later by JavaScript are not seen. A page
    without such markup is reported as a changed layout.
    """

    # Reads `<script type="application/ld+json">` blocks: Review objects at top level, in lists, in @graph or
    # under a Product's or LocalBusiness's `review`; reviewRating scaled against bestRating/worstRating.
    kind = "jsonld"
    display_name = "Any page with review markup"

    def parse(self, body: bytes | str, url: str) -> list[Mention]:
        blocks, scripts = ld_blocks(body, url)  # bytes read as `decode` reads them (scrapers.scripts)
        if not scripts:
            raise LayoutChanged("the page has no JSON-LD (<script type=\"application/ld+json\">) to read "
                                "reviews from", url=url)
        return mentions_from_blocks(blocks, url)
