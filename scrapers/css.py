"""Any page, read with CSS selectors the user gives: for review pages no other kind knows. The selectors are the
user's; when the one for a review stops matching on a page where it matched before, the page changed, and the
source says so ("fix the selectors") instead of reporting no reviews.
"""
from __future__ import annotations

import logging
from typing import Any, ClassVar
from urllib.parse import urlsplit

from scrapers import walls
from scrapers.base import LayoutChanged, Mention, ParseError, Source
from scrapers.http import PoliteSession
from scrapers.poll import PollOutcome, PollRequest
from scrapers.selectors import ReviewSelectors, looks_like_feed, next_page, read_items
from scrapers.text import decode

log = logging.getLogger(__name__)

__all__ = ["CssPage", "MAX_PAGES"]

MAX_PAGES = 5  # pages followed through the "next page" link per check
NO_MATCH = ("the review selector matches nothing on this page: check the selectors with the preview in this "
            "source's settings")
FEED = ("this address serves an RSS or Atom feed, not a web page: add it as an RSS or Atom feed source, which "
        "reads every entry")
CHANGED = "the page changed: the review selector no longer matches anything where it found reviews before; fix the selectors"


class CssPage(Source):
    """Reviews on any page, found with CSS selectors you give.

    **URL:** the page that lists the reviews.

    **Selectors:** which element holds one review (e.g. `div.review`), and inside it the text, author,
    date, stars and title (each optional), and optionally the "next page" link. The Sources screen shows
    what they find on the page as you type them.

    **Reads:** each review the selectors find; stars from "4 out of 5", "4.5" or a star bar's width, dates
    such as `2026-11-12`, `12 Nov 2026` or a `<time datetime>`. Up to 5 pages a check through the next-page
    link, on the same site.

    **Limits:** only what the page itself serves (reviews loaded later by JavaScript are not seen). When the
    review selector stops matching on a page where it found reviews before, the source says the page
    changed and asks you to fix the selectors.
    """

    # Config: {"selectors": {item, text, author, date, rating, title, next_link}}. Checkpoint: {"matched": true}
    # once the item selector has matched, which turns a later empty match into LayoutChanged.
    kind = "css"
    display_name = "Any page, with your own CSS selectors"
    takes_selectors: ClassVar[bool] = True

    def __init__(self, selectors: ReviewSelectors | dict[str, Any] | None = None) -> None:
        self.selectors = ReviewSelectors.from_dict(selectors) if isinstance(selectors, dict) else selectors

    def parse(self, body: bytes | str, url: str) -> list[Mention]:
        if self.selectors is None:
            raise ParseError("a css source needs its selectors (at least the one for each review)", url=url)
        text = decode(body) if isinstance(body, bytes) else body
        mentions, items = read_items(text, url, self.selectors)
        if not items:
            raise ParseError(FEED if looks_like_feed(text) else NO_MATCH, url=url)
        return mentions

    def poll(self, session: PoliteSession, request: PollRequest) -> PollOutcome:
        selectors = self.selectors or ReviewSelectors.from_dict(request.config.get("selectors"))
        url, seen, mentions = request.url, {request.url}, []
        etag, last_modified = request.etag, request.last_modified
        first = None
        for page in range(MAX_PAGES):
            fetched = session.fetch(url, etag=etag if page == 0 else None,
                                    last_modified=last_modified if page == 0 else None,
                                    accept=self.accept, check_robots=True)
            if page == 0:
                first = fetched
                if fetched.not_modified:
                    return PollOutcome([], etag=fetched.etag, last_modified=fetched.last_modified, not_modified=True)
            walls.check(fetched.body, fetched.url, fetched.status)
            found, items = read_items(fetched.text, fetched.url, selectors)
            if not items and page == 0:
                raise (LayoutChanged(CHANGED, url=fetched.url) if request.checkpoint.get("matched")
                       else ParseError(FEED if looks_like_feed(fetched.text) else NO_MATCH, url=fetched.url))
            mentions.extend(found)
            following = next_page(fetched.text, fetched.url, selectors)
            if (not following or following in seen or request.cancelled()
                    or urlsplit(following).netloc.lower() != urlsplit(request.url).netloc.lower()):
                break
            seen.add(following)
            url = following
        assert first is not None
        return PollOutcome(mentions, checkpoint={"matched": True}, etag=first.etag, last_modified=first.last_modified)
