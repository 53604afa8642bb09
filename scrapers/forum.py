"""What forum kinds share: JSON API calls with their own headers, search terms deciding what is kept, and
rate-limit headers turned into a time the scheduler waits for.
"""
from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from scrapers import walls
from scrapers.base import Mention, Mentions, ParseError, RateLimited, Source
from scrapers.poll import PollRequest
from scrapers.terms import Terms

if TYPE_CHECKING:
    from scrapers.http import FetchResult, PoliteSession

log = logging.getLogger(__name__)

__all__ = ["ForumSource", "load_json", "rate_limit_window", "keep_matching"]

JSON_ACCEPT = "application/json"


def load_json(body: bytes | str, url: str, what: str) -> Any:
    """A response body as JSON, or a ParseError naming what was expected."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: nested deeper than any API
        head = (body[:200] if isinstance(body, str) else body[:200].decode("utf-8", "replace")).lower()
        got = "an HTML page" if "<html" in head or "<!doctype" in head else "something else"
        raise ParseError(f"expected {what} (JSON), got {got} ({exc.__class__.__name__})", url=url) from None


def rate_limit_window(headers: Mapping[str, str], now: datetime, *, low: float = 1) -> datetime | None:
    """When an API that counts requests (`X-Ratelimit-Remaining` / `X-Ratelimit-Reset`, seconds) lets us ask
    again, if this window's allowance is down to `low` or less; None while there is room."""
    try:
        remaining = float(headers.get("x-ratelimit-remaining", ""))
        reset = float(headers.get("x-ratelimit-reset", ""))
    except ValueError:
        return None
    if remaining > low or reset < 0:
        return None
    return now + timedelta(seconds=min(reset, 3600))


def keep_matching(found: Iterable[tuple[Mention, tuple[str, ...]]], terms: Terms,
                  unreadable: Iterable[str] = ()) -> Mentions:
    """The mentions whose text (and the extra texts given with each: a title, a linked URL) match `terms`,
    each saying which term matched; the posts that could not be read stay noted (`Mentions.unreadable`)."""
    kept = Mentions(unreadable=unreadable)
    for mention, extra in found:
        term = terms.match(mention.title, mention.text, *extra)
        if term is not None:
            kept.append(dataclasses.replace(mention, matched=term))
    return kept


class ForumSource(Source):
    """Base of the kinds that search a forum for the user's terms (not a kind itself)."""

    uses_terms: ClassVar[bool] = True
    items_called: ClassVar[str] = "posts"
    respects_robots: ClassVar[bool] = False  # public APIs and feeds, meant for programs
    accept: ClassVar[str] = JSON_ACCEPT

    def __init__(self) -> None:
        self.not_before: datetime | None = None  # the site's rate-limit window, once its allowance runs low
        self._used_up: datetime | None = None  # ... and when it is used up: no further call this poll

    def call(self, session: PoliteSession, request: PollRequest, url: str,
             headers: Mapping[str, str] | None = None, *, accept: str = JSON_ACCEPT) -> FetchResult:
        """One API call of a poll, minding the site's allowance: a call after it was used up is not made
        (RateLimited until the window resets), and a low allowance holds the next poll back."""
        if self._used_up is not None:
            raise RateLimited(f"the site's request allowance is used up; next try after "
                              f"{self._used_up.isoformat(timespec='seconds')}", retry_at=self._used_up, url=url)
        fetched = session.fetch(url, accept=accept, check_robots=False, headers=headers)
        walls.check(fetched.body, fetched.url, fetched.status)  # a bot check or sign-in page, not an API answer
        window = rate_limit_window(fetched.headers, request.now)
        if window is not None:
            self.not_before = max(window, self.not_before) if self.not_before else window
        self._used_up = rate_limit_window(fetched.headers, request.now, low=0)
        return fetched
