"""One poll of one source: fetch -> parse -> ingest -> record, with every failure kept as data.

A failed poll never reads as "no new reviews": its result carries the error, the source's new state and its
try count, and the source row shows it. Validators (ETag, Last-Modified) are saved in the same transaction
as the mentions they cover, so a crash between the two can never make the next poll skip unseen reviews.
"""
from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

import scrapers
from desktop.polling.removals import Rechecked, recheck_missing
from desktop.polling.request import NO_TERMS, keep_renewed, poll_request
from desktop.polling.worker_process import Cancelled, WorkerFailed, WorkerProcesses
from desktop.records.ingest import dedupe_key, score_here, score_new, store_scored
from desktop.store import revisions as revision_store
from desktop.store import sources as source_store
from desktop.store.clock import Clock, utc_now
from desktop.store.db import DatabaseError, StoreError, transaction
from desktop.store.sources import SourceRow
from scrapers.base import Mention, Mentions, RateLimited, ScrapeError
from scrapers.guard import forbid_gui_thread
from scrapers.http import PoliteSession
from scrapers.poll import parse_here

log = logging.getLogger(__name__)

__all__ = ["PollResult", "poll_once", "poll_all"]


@dataclass(frozen=True)
class PollResult:
    """What one poll of one source did. `error` is None exactly when the poll succeeded."""

    source_id: int
    state: str
    new_mention_ids: tuple[int, ...] = ()  # the mentions this poll stored, in page order
    alerted: tuple[tuple[int, int], ...] = ()  # (alert id, mention id) for each alert raised (edits included)
    not_modified: bool = False
    error: str | None = None
    tries: int = 0
    retry_at: datetime | None = None
    cancelled: bool = False
    seen: int = 0  # mentions the page held, new or not
    note: str | None = None  # "1 of 20 reviews could not be read: ..." when some items were skipped

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled

    @property
    def new(self) -> int:
        """How many mentions were new (derived, so it can never disagree with the ids)."""
        return len(self.new_mention_ids)

    @property
    def alert_ids(self) -> tuple[int, ...]:
        return tuple(alert_id for alert_id, _mention in self.alerted)

    def summary(self) -> str:
        """One line for people: what happened, never "nothing new" for a failure."""
        if self.cancelled:
            return "cancelled before anything was stored"
        if self.error is not None:
            again = f"; next try after {self.retry_at.isoformat(timespec='minutes')}" if self.retry_at else ""
            return f"{self.state}: {self.error} (try {self.tries}{again})"
        if self.not_modified:
            return "not modified since the last poll"
        count = len(self.alerted)
        alerts = f", {count} alert{'s' if count != 1 else ''}" if count else ""
        return f"{self.new} new of {self.seen} read{alerts}" + (f"; {self.note}" if self.note else "")


def _never() -> bool:
    return False


def _newest(mentions: Iterable[Mention]) -> str | None:
    moments = [m.posted_at for m in mentions if m.posted_at is not None]
    return max(moments).astimezone(timezone.utc).isoformat() if moments else None


def _fail(conn: sqlite3.Connection, source: SourceRow, *, state: str, error: str, now: datetime,
          retry_at: datetime | None = None) -> PollResult:
    try:
        with transaction(conn):
            tries = source_store.record_failure(conn, source.id, state=state, error=error, at=now,
                                                retry_at=retry_at)
    except DatabaseError as exc:  # The store itself is failing; the result still says what happened.
        log.error("could not record the failure of source %s: %s", source.id, exc)
        tries = source.tries + 1
    log.info("source %s (%s) %s: %s", source.id, source.kind, state, error)
    return PollResult(source.id, state, error=error, tries=tries, retry_at=retry_at)


def poll_once(source: SourceRow, session: PoliteSession, store: sqlite3.Connection, clock: Clock = utc_now, *,
              cancelled: Callable[[], bool] | None = None, workers: WorkerProcesses | None = None) -> PollResult:
    """Poll one source now. Never raises for anything the source or the site does wrong.

    With `workers` (the app's), the page is parsed and its new reviews scored in a worker process; without,
    here in this thread (the command line, tests)."""
    forbid_gui_thread("polling a source")
    now = clock()
    is_cancelled = cancelled or _never
    parse = functools.partial(workers.parse, cancelled=is_cancelled) if workers is not None else parse_here
    score_items = functools.partial(workers.score, cancelled=is_cancelled) if workers is not None else score_here
    try:
        source_cls = scrapers.load_all().get(source.kind)
        if source_cls is None:
            return _fail(store, source, state="failing", now=now,
                         error=f"unknown source kind {source.kind!r}; this version of Rapport cannot read it")
        reader = source_cls()
        request = poll_request(store, source, source_cls, now, cancelled=cancelled, parse=parse)
        if source_cls.uses_terms and not request.terms:
            return _fail(store, source, state="failing", now=now, error=NO_TERMS)
        try:
            outcome = reader.poll(session, request)
        finally:
            if getattr(reader, "renewed", None):  # a sign-in renewed on the way, even if the poll then failed
                keep_renewed(source.id, reader.renewed)  # type: ignore[attr-defined]
        if cancelled is not None and cancelled():
            return PollResult(source.id, source.state, cancelled=True, tries=source.tries)
        if outcome.not_modified:
            with transaction(store):
                source_store.record_success(store, source.id, state="not modified", at=now, etag=outcome.etag,
                                            last_modified=outcome.last_modified, cursor=None,
                                            checkpoint=outcome.checkpoint, not_before=outcome.not_before)
            return PollResult(source.id, "not modified", not_modified=True, retry_at=outcome.not_before)
        mentions = outcome.mentions if isinstance(outcome.mentions, Mentions) else Mentions(outcome.mentions)
    except Cancelled:  # while its page was in a worker process (Cancel, Quit): nothing stored
        return PollResult(source.id, source.state, cancelled=True, tries=source.tries)
    except RateLimited as exc:
        return _fail(store, source, state=exc.state, error=str(exc), now=now, retry_at=exc.retry_at)
    except ScrapeError as exc:
        return _fail(store, source, state=exc.state, error=str(exc), now=now)
    except StoreError as exc:
        return _fail(store, source, state="failing", now=now, error=f"could not record the poll: {exc}")
    except Exception as exc:  # noqa: BLE001 - a parser bug on one page must not stop the other sources
        log.exception("reading source %s (%s) failed unexpectedly", source.id, source.kind)
        return _fail(store, source, state="failing", now=now,
                     error=f"could not read the page ({exc.__class__.__name__}: {exc})")
    if cancelled is not None and cancelled():
        # Nothing stored, validators untouched: the next poll reads the same page again.
        return PollResult(source.id, source.state, cancelled=True, tries=source.tries)
    note = mentions.note(reader.items_called)
    present = {dedupe_key(m) for m in mentions}
    rechecked = Rechecked()
    if source_cls.review_pages and not mentions.whole_list:  # a partial read asks the reviews' own pages
        try:
            rechecked = recheck_missing(store, session, source.id, source.url, source_cls, present, now,
                                        cancelled=cancelled)
        except StoreError as exc:
            return _fail(store, source, state="failing", now=now, error=f"could not read the store: {exc}")
    not_before = max((t for t in (outcome.not_before, rechecked.not_before) if t is not None), default=None)
    if cancelled is not None and cancelled():
        return PollResult(source.id, source.state, cancelled=True, tries=source.tries)
    try:
        scored = score_new(store, source.id, mentions, site=source.kind, clock=clock,  # before the write lock
                           site_wide_ids=source_cls.review_ids_site_wide, score_items=score_items)
        with transaction(store):
            results = store_scored(store, scored)
            if mentions.whole_list:  # a read of the site's whole list tells every removal by itself
                revision_store.mark_removed(store, source.id, present, now)
            else:  # a partial one only what the reviews' own pages said
                revision_store.mark_back(store, source.id, present)
                revision_store.mark_gone(store, list(rechecked.gone), now)
                revision_store.mark_there(store, list(rechecked.there))
                revision_store.mark_checked(store, list(rechecked.asked), now)
            newest = _newest(mentions)
            cursor = newest if newest and (not source.cursor or newest > source.cursor) else None
            source_store.record_success(store, source.id, state="ok", at=now, etag=outcome.etag,
                                        last_modified=outcome.last_modified, cursor=cursor, note=note,
                                        checkpoint=outcome.checkpoint, not_before=not_before)
    except Cancelled:  # while its reviews were being scored: nothing stored, the next poll reads them again
        return PollResult(source.id, source.state, cancelled=True, tries=source.tries)
    except WorkerFailed as exc:
        return _fail(store, source, state="failing", now=now, error=f"could not score what was read: {exc}")
    except StoreError as exc:  # locked by another Rapport, full disk, read-only: said in words, tried again later
        return _fail(store, source, state="failing", now=now, error=f"could not store what was read: {exc}")
    except Exception as exc:  # noqa: BLE001 - any other store trouble is this source's failure too
        log.exception("storing mentions of source %s failed", source.id)
        return _fail(store, source, state="failing", now=now,
                     error=f"could not store what was read ({exc.__class__.__name__}: {exc})")
    fresh = [r for r in results if r.new]
    return PollResult(source.id, "ok", new_mention_ids=tuple(r.mention_id for r in fresh), seen=len(results),
                      note=note, alerted=tuple((r.alert_id, r.mention_id) for r in results if r.alert_id is not None),
                      retry_at=not_before)


def poll_all(sources: Iterable[SourceRow], session: PoliteSession, conn: sqlite3.Connection,
             clock: Clock = utc_now, *, cancelled: Callable[[], bool] | None = None) -> list[PollResult]:
    """Poll each source in turn; one source's failure never stops the others."""
    results = []
    for source in sources:
        if cancelled is not None and cancelled():
            break
        results.append(poll_once(source, session, conn, clock, cancelled=cancelled))
    return results
