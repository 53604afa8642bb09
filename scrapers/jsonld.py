"""schema.org Review objects from a page's JSON-LD: the markup search engines read, so sites keep it right."""
from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from scrapers.base import LayoutChanged, Mention, ParseError, Source
from scrapers.scripts import Script, page_scripts
from scrapers.text import decode, normalise_rating, parse_date, plain

log = logging.getLogger(__name__)

__all__ = ["JsonLdReviews", "ld_blocks", "ld_blocks_in", "reviews_in", "mention_from_review"]

_REVIEW_TYPES = {"review", "criticreview", "employerreview", "userreview"}


def _as_text(body: bytes | str) -> str:
    return decode(body) if isinstance(body, bytes) else body


def ld_blocks(html: str, url: str = "") -> tuple[list[Any], int]:
    """Every `<script type="application/ld+json">` block parsed, and how many scripts there were.

    Broken blocks are skipped (sites often ship one broken block among good ones); if every block is
    broken the page cannot be read as JSON-LD at all, which is a ParseError.
    """
    return ld_blocks_in(page_scripts(html), url)


def ld_blocks_in(page: list[Script], url: str = "") -> tuple[list[Any], int]:
    """ld_blocks for scripts already found (a caller that read the page's other scripts too)."""
    scripts = [s for s in page if s.type == "application/ld+json"]
    blocks, errors = [], []
    for script in scripts:
        raw = script.text.strip()
        if raw.startswith("<!--"):
            raw = raw.removeprefix("<!--").removesuffix("-->").strip()
        if not raw:
            continue
        try:
            blocks.append(json.loads(raw))
        except ValueError as exc:
            errors.append(str(exc))
    if errors and not blocks:
        raise ParseError(f"the page's JSON-LD is not valid JSON ({errors[0]})", url=url)
    return blocks, len(scripts)


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", ())
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for v in values}


def reviews_in(node: Any) -> Iterator[dict[str, Any]]:
    """Review objects anywhere in a JSON-LD tree: top level, in lists, in @graph, under a Product's `review`."""
    if isinstance(node, list):
        for item in node:
            yield from reviews_in(item)
    elif isinstance(node, dict):
        if _types(node) & _REVIEW_TYPES:
            yield node
            return
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from reviews_in(value)


def _name(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(n for n in (_name(v) for v in value) if n)
    if isinstance(value, dict):
        return plain(value.get("name") or value.get("alternateName") or "")
    return plain(value) if value else ""


def _language(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    text = str(value).strip() if value else ""
    return text or None


def mention_from_review(review: dict[str, Any], page_url: str, *, external_id: str | None = None) -> Mention:
    """One schema.org Review as a Mention; the rating is put on 1-5 from its own best/worst."""
    rating_node = review.get("reviewRating")
    if isinstance(rating_node, dict):
        rating = normalise_rating(rating_node.get("ratingValue"), rating_node.get("bestRating"),
                                  rating_node.get("worstRating"))
    else:
        rating = normalise_rating(rating_node)
    identifier = review.get("identifier")
    if isinstance(identifier, dict):
        identifier = identifier.get("value")
    link = review.get("url") if isinstance(review.get("url"), str) else ""
    return Mention(
        text=plain(review.get("reviewBody") or review.get("description") or review.get("text") or ""),
        author=_name(review.get("author")),
        url=link or page_url,
        external_id=external_id or (str(review.get("@id") or identifier or "") or None),
        posted_at=parse_date(review.get("datePublished") or review.get("dateCreated")),
        rating=rating,
        title=plain(review.get("headline") or review.get("name") or ""),
        language=_language(review.get("inLanguage")),
    )


def mentions_from_blocks(blocks: list[Any], page_url: str, *, id_of=None) -> list[Mention]:
    """Mentions from parsed JSON-LD blocks, each review once; a review that cannot be read is skipped."""
    mentions, seen = [], set()
    for review in reviews_in(blocks):
        key = review.get("@id") or json.dumps(review, sort_keys=True, default=str)
        if key in seen:
            continue
        seen.add(key)
        try:
            mention = mention_from_review(review, page_url, external_id=id_of(review) if id_of else None)
        except (ValueError, TypeError) as exc:
            log.warning("skipped a review on %s: %s", page_url, exc)
            continue
        if mention.text or mention.title or mention.rating is not None:
            mentions.append(mention)
    return mentions


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
        blocks, scripts = ld_blocks(_as_text(body), url)
        if not scripts:
            raise LayoutChanged("the page has no JSON-LD (<script type=\"application/ld+json\">) to read "
                                "reviews from", url=url)
        return mentions_from_blocks(blocks, url)
