"""Fiverr seller profiles and gigs: the reviews the page's own data carries (Fiverr's JSON-LD is not about the
seller at all: it names Fiverr itself, so it is never read). Fiverr sits behind PerimeterX; its "Press & Hold"
page is reported by the shared wall detector as blocked, pointing to import, and never worked around.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapers.base import LayoutChanged, Mention, ParseError, Source, collect, site_url_problem
from scrapers.scripts import page_scripts
from scrapers.text import decode, normalise_rating, parse_iso_datetime, plain

__all__ = ["FiverrProfile", "perseus_props", "review_lists"]

_PATH = re.compile(r"^/(?P<seller>[A-Za-z0-9_.-]{2,40})(/(?P<gig>[a-z0-9-]{3,120}))?/?$")
_NOT_SELLERS = {"categories", "search", "login", "join", "support", "pro", "business", "resources", "cp"}


def perseus_props(html: str, url: str) -> dict[str, Any] | None:
    """The page's `<script id="perseus-initial-props">` JSON, or None when the page has none."""
    script = next((s for s in page_scripts(html) if s.id == "perseus-initial-props"), None)
    if script is None:
        return None
    try:
        props = json.loads(script.text)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested deeper than any real page
        raise ParseError(f"Fiverr's page data (perseus-initial-props) is not valid JSON ({exc})", url=url) from None
    if not isinstance(props, dict):
        raise LayoutChanged("Fiverr's page data (perseus-initial-props) is not an object", url=url)
    return props


def review_lists(node: Any, depth: int = 0) -> Iterator[list[Any]]:
    """Every `{"reviews": [...], "has_next": ...}` block in the props: `reviews` on a gig page,
    `reviewsData.buying_reviews` on a seller page (found by shape, as Fiverr moves them between releases)."""
    if depth > 8:
        return
    if isinstance(node, dict):
        reviews = node.get("reviews")
        if isinstance(reviews, list) and ("has_next" in node or "total_count" in node):
            yield reviews
            return
        for value in node.values():
            yield from review_lists(value, depth + 1)
    elif isinstance(node, list):
        for item in node:
            yield from review_lists(item, depth + 1)


def _gig_title(props: dict[str, Any]) -> str:
    general = props.get("general")
    return plain(general.get("gigTitle") or "") if isinstance(general, dict) else ""


class FiverrProfile(Source):
    """Your reviews on Fiverr, from your seller profile or one of your gigs.

    **URL:** your profile, `https://www.fiverr.com/<username>`, or a gig,
    `https://www.fiverr.com/<username>/<gig>`.

    **Reads:** the reviews the page itself carries (the first few, most relevant first): the buyer's name,
    stars, text and date, and on a gig page the gig's title.

    **Limits:** Fiverr shows a handful of reviews on the page and loads the rest only for a signed-in
    browser, so older reviews are not read. Fiverr often answers automated readers with its "Press & Hold"
    bot check: the source then shows "blocked" and Rapport does not try to get past it. Import your reviews
    from a spreadsheet instead (File > Import feedback).
    """

    # Reads <script id="perseus-initial-props">: each review's id, username, value (stars), comment,
    # created_at. The page's JSON-LD describes Fiverr, not the seller, and is ignored.
    kind = "fiverr"
    display_name = "Fiverr seller or gig"

    @classmethod
    def check_url(cls, url: str) -> str | None:
        problem = site_url_problem(url, domain="fiverr.com", path=_PATH, site="Fiverr", page="Fiverr seller or gig page",
                                   example="https://www.fiverr.com/username or https://www.fiverr.com/username/gig-name")
        match = _PATH.match(urlsplit(url.strip()).path or "")
        if problem is None and match and match.group("seller").lower() in _NOT_SELLERS:
            return "That is not a Fiverr seller or gig page: its address looks like https://www.fiverr.com/username"
        return problem

    def parse(self, body: bytes | str, url: str) -> list[Mention]:
        text = decode(body) if isinstance(body, bytes) else body
        props = perseus_props(text, url)
        if props is None:
            raise LayoutChanged("the page has no Fiverr page data (perseus-initial-props): not a Fiverr seller or "
                                "gig page, or Fiverr changed its pages", url=url)
        lists = list(review_lists(props))
        if not lists:
            raise LayoutChanged("Fiverr's page data carries no reviews where they used to be: Fiverr changed its "
                                "pages", url=url)
        title = _gig_title(props)
        seen: set[str] = set()

        def build(review: Any) -> Mention | None:
            mention = self._mention(review, url, title)
            if mention is None or mention.external_id in seen:  # a review shown in two lists is one review
                return None
            seen.add(mention.external_id or "")
            return mention

        return collect((r for found in lists for r in found), build, url=url)

    @staticmethod
    def _mention(review: Any, url: str, title: str) -> Mention | None:
        if not isinstance(review, dict) or not review.get("id"):
            return None
        mention = Mention(text=plain(review.get("comment") or ""), author=plain(review.get("username") or ""),
                          url=url, external_id=str(review["id"]), posted_at=parse_iso_datetime(review.get("created_at")),
                          rating=normalise_rating(review.get("value")), title=title)
        return mention if mention.text or mention.rating is not None else None
