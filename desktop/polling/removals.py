"""A partial read's removals: a few stored reviews missing from the page are looked up on their own page.

Only for kinds whose reviews have their own pages (`Source.review_pages`) and only when the page did not
hold the whole list (a whole list marks removals by itself). At most RECHECKS_PER_POLL pages a check, so a
source with hundreds of older reviews costs its site a handful of requests a check, picked afresh each
time; a site that asks us to slow down stops the asking and holds the next check back.
"""
from __future__ import annotations

import itertools
import random
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from desktop.store import revisions as revision_store
from scrapers.base import RateLimited, Source
from scrapers.http import PoliteSession
from scrapers.removals import review_gone, same_site

RECHECKS_PER_POLL = 3
Item = TypeVar("Item")


@dataclass(frozen=True)
class Rechecked:
    gone: tuple[int, ...] = ()  # mentions whose own page answered 404/410
    not_before: datetime | None = None  # the site's Retry-After, when it asked us to slow down


def recheck_missing(store: sqlite3.Connection, session: PoliteSession, source_id: int, source_url: str,
                    source_cls: type[Source], present_keys: set[str], now: datetime, *,
                    cancelled: Callable[[], bool] | None = None) -> Rechecked:
    """Ask the site about a few reviews the page did not show (network only: storing is the caller's)."""
    missing = revision_store.missing_from(store, source_id, present_keys)
    # Seeded by the check's time: each check asks about others, and a test's clock gives the same picks. Drawn
    # one at a time until enough are on the source's own site, so a source with hundreds of older reviews does
    # not check every address each poll (its poll thread's Python holds up the GUI's repaints meanwhile).
    picked = list(itertools.islice((m for m in _shuffled(missing, random.Random(now.timestamp()))
                                    if same_site(m[1], source_url)), RECHECKS_PER_POLL))
    gone: list[int] = []
    for mention_id, url in picked:
        if cancelled is not None and cancelled():
            break
        try:
            if review_gone(session, url, source_cls):
                gone.append(mention_id)
        except RateLimited as exc:
            return Rechecked(tuple(gone), exc.retry_at)
    return Rechecked(tuple(gone))


def _shuffled(items: list[Item], rng: random.Random) -> Iterator[Item]:
    """`items` in a random order, drawn lazily (Fisher-Yates from the end): taking three costs three draws."""
    items = list(items)
    for end in range(len(items) - 1, -1, -1):
        pick = rng.randint(0, end)
        items[pick], items[end] = items[end], items[pick]
        yield items[end]
