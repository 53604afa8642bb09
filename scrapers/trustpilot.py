"""Trustpilot company pages: the reviews the page's Next.js data carries, or its JSON-LD when that is missing."""
from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from scrapers import json_text
from scrapers.base import (LayoutChanged, Mention, Mentions, ParseError, Source, collect, is_local_host,
                           site_url_problem)
from scrapers.jsonld import identifier, ld_blocks_in, mentions_from_blocks
from scrapers.scripts import page_scripts
from scrapers.text import normalise_rating, parse_iso_datetime, plain_text

log = logging.getLogger(__name__)

_COMPANY_PATH = re.compile(r"^/review/[^/\s]+/?$")

__all__ = ["TrustpilotCompany"]


def _review_id_from_ld(review: dict[str, Any]) -> str | None:
    """Trustpilot's JSON-LD ids end in the review id (…/#/schema/Review/<domain>/<id>): the same id
    __NEXT_DATA__ gives, so a review is one mention whichever part of the page it was read from."""
    ref = identifier(review.get("@id")) or ""
    tail = ref.rstrip("/").rsplit("/", 1)[-1]
    return tail or None


def _review_url(page_url: str, review_id: str) -> str:
    """A review's own page, on the same country site as the company page it was read from."""
    parts = urlsplit(page_url)
    host = parts.netloc.lower()
    if is_local_host(parts.hostname or ""):  # a copy served on this machine (the demo) keeps its links there
        return f"{parts.scheme}://{host}/reviews/{review_id}"
    return f"https://{host if host.endswith('trustpilot.com') else 'www.trustpilot.com'}/reviews/{review_id}"


class TrustpilotCompany(Source):
    """Reviews of a company on Trustpilot.

    URL: a company page, `https://www.trustpilot.com/review/<domain>` (country sites such as
    `uk.trustpilot.com` work too); add `?page=N` to read an older page.

    Reads: each review's stars, title, text, the reviewer's name, its date and language.

    Limits: one page (20 reviews, newest first) per check. Trustpilot sometimes answers automated readers
    with a bot check: the source then shows "blocked" and is tried again later, never worked around.

    Removed reviews: a review missing from a company page that holds every review is marked removed. When the
    page shows only the newest, each check instead looks up to 3 missing reviews up on their own page, and one
    that is gone there (404 or 410) is marked removed. Trustpilot puts some removed reviews back online (a
    reported review, once fixed): when such a review's page answers again, it is no longer marked removed.
    """

    # Reads the page's Next.js data (`<script id="__NEXT_DATA__">`, props.pageProps.reviews), falling back to
    # the schema.org reviews in its JSON-LD when that is missing.
    kind = "trustpilot"
    display_name = "Trustpilot company page"
    review_ids_site_wide = True  # a review's id is Trustpilot's own, the same on every page that shows it
    review_pages = True  # https://www.trustpilot.com/reviews/<id>

    @classmethod
    def check_url(cls, url: str) -> str | None:
        return site_url_problem(url, domain="trustpilot.com", path=_COMPANY_PATH, site="Trustpilot",
                                page="Trustpilot company page", example="https://www.trustpilot.com/review/example.com")

    def parse(self, body: bytes | str, url: str) -> Mentions:
        scripts = page_scripts(body)  # read once: the JSON-LD fallback uses the same scripts
        script = next((s for s in scripts if s.id == "__NEXT_DATA__"), None)
        if script is not None:
            page_props = self._next_data_props(script.text, url)
            reviews = page_props.get("reviews")
            if isinstance(reviews, list):
                found = collect(reviews, lambda review: self._mention(review, url), url=url)
                found.complete = _whole_list(page_props)
                return found
            log.info("no props.pageProps.reviews on %s; falling back to JSON-LD", url)
        blocks, _ = ld_blocks_in(scripts, url)
        mentions = mentions_from_blocks(blocks, url, id_of=_review_id_from_ld)
        if mentions or mentions.unreadable:
            return Mentions((dataclasses.replace(m, url=_review_url(url, m.external_id)) if m.external_id else m
                             for m in mentions), mentions.unreadable)
        raise LayoutChanged("found neither __NEXT_DATA__ reviews nor JSON-LD reviews: not a Trustpilot "
                            "company page, or Trustpilot changed its page layout", url=url)

    @staticmethod
    def _next_data_props(raw: str, url: str) -> dict[str, Any]:
        """`props.pageProps` of the page's Next.js data ({} when the data has another shape)."""
        try:
            data = json_text.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"the page's __NEXT_DATA__ is not valid JSON ({exc})", url=url) from None
        props = data.get("props") if isinstance(data, dict) else None
        page_props = props.get("pageProps") if isinstance(props, dict) else None
        return page_props if isinstance(page_props, dict) else {}

    @staticmethod
    def _mention(review: Any, page_url: str) -> Mention | None:
        """One review of `props.pageProps.reviews`; None for what is not a review (no id). Raises on a review
        that cannot be read, which `collect` notes and skips."""
        review_id = identifier(review.get("id")) if isinstance(review, dict) else None
        if review_id is None:
            return None
        consumer = review.get("consumer")
        dates = review.get("dates")
        language = review.get("language")
        reply = review.get("reply") if isinstance(review.get("reply"), dict) else {}
        return Mention(
            text=plain_text(review.get("text")),
            author=plain_text(consumer.get("displayName")) if isinstance(consumer, dict) else "",
            url=_review_url(page_url, review_id),
            external_id=review_id,
            posted_at=parse_iso_datetime(dates.get("publishedDate") if isinstance(dates, dict) else None),
            rating=normalise_rating(review.get("rating")),
            title=plain_text(review.get("title")),
            language=language.strip() or None if isinstance(language, str) else None,
            reply=plain_text(reply.get("message")),
            reply_at=parse_iso_datetime(reply.get("publishedDate")) if reply.get("message") else None,
        )


def _whole_list(page_props: dict[str, Any]) -> bool:
    """The page holds every review of the company: one page of results, unfiltered. Only then does a review
    missing from it mean Trustpilot removed it (a multi-page list shows just the newest 20)."""
    filters = page_props.get("filters")
    pagination = filters.get("pagination") if isinstance(filters, dict) else None
    if not isinstance(pagination, dict):
        return False
    return pagination.get("totalPages") == 1 and pagination.get("currentPage") == 1
