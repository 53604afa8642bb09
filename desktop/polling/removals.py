"""A partial read's removals: a few stored reviews missing from the page are looked up on their own page.

Only for kinds whose reviews have their own pages (`Source.review_pages`) and only when the page did not
hold the whole list (a whole list marks removals by itself). At most RECHECKS_PER_POLL pages a check, so a
source with hundreds of older reviews costs its site a handful of requests a check: the ones asked about
longest ago (never asked first; the time is kept per review), so successive checks go round every missing
review in turn rather than drawing some again and leaving others unasked. A site that asks us to slow down
stops the asking and holds the next check back. Reviews marked removed stay in the round: a site may put one
back online (Trustpilot hides a reported review, and restores it once it is fixed), and its page answering
again marks it back.
"""
from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from desktop.store import revisions as revision_store
from scrapers.base import RateLimited, Source
from scrapers.http import PoliteSession
from scrapers.removals import review_gone, same_site

RECHECKS_PER_POLL = 3


@dataclass(frozen=True)
class Rechecked:
    gone: tuple[int, ...] = ()  # mentions whose own page answered 404/410
    not_before: datetime | None = None  # the site's Retry-After, when it asked us to slow down
    asked: tuple[int, ...] = ()  # mentions whose own page was asked about (gone or not): checked now
    there: tuple[int, ...] = ()  # mentions whose own page answered: on the site (back, if marked removed)


def recheck_missing(store: sqlite3.Connection, session: PoliteSession, source_id: int, source_url: str,
                    source_cls: type[Source], present_keys: set[str], now: datetime, *,
                    cancelled: Callable[[], bool] | None = None) -> Rechecked:
    """Ask the site about a few reviews the page did not show (network only: storing is the caller's)."""
    # The first few on the source's own site, without checking every stored address (hundreds per poll, in the
    # poll thread's Python that holds up the GUI's repaints meanwhile).
    stored = revision_store.missing_from(store, source_id, present_keys)
    missing = list(itertools.islice(((i, url) for i, url in stored if same_site(url, source_url)), RECHECKS_PER_POLL))
    gone: list[int] = []
    there: list[int] = []
    asked: list[int] = []
    for mention_id, url in missing:  # the longest unasked first (revisions.missing_from)
        if cancelled is not None and cancelled():
            break
        try:
            answer = review_gone(session, url, source_cls)
        except RateLimited as exc:
            return Rechecked(tuple(gone), exc.retry_at, tuple(asked), tuple(there))
        if answer:
            gone.append(mention_id)
        elif answer is False:
            there.append(mention_id)
        asked.append(mention_id)
    return Rechecked(tuple(gone), asked=tuple(asked), there=tuple(there))
