"""The one path in for feedback, scraped, typed or imported: dedupe, link, score, store, alert.

Each batch is one transaction: a crash mid-poll stores all of a page's new mentions or none, and
an alert is raised in the same transaction as its mention, so neither is ever lost or doubled.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from desktop import scoring
from desktop.store import drafts as draft_store
from desktop.records import corrections, linking
from desktop.records.alert_rule import AlertRule
from desktop.scoring.learning import Learned
from desktop.store import alerts as alert_store
from desktop.store import mentions as mention_store
from desktop.store import revisions as revision_store
from desktop.store import settings as settings_store
from desktop.store import team
from desktop.store.clock import Clock, utc_now
from desktop.store.db import transaction
from desktop.store.migrations import IMPORT_SOURCE_ID, MANUAL_SOURCE_ID
from scrapers.base import Mention

__all__ = ["IngestResult", "Manual", "Scored", "dedupe_key", "ingest", "score_here", "score_new", "store_scored",
           "MANUAL_SOURCE_ID", "IMPORT_SOURCE_ID"]


@dataclass(frozen=True)
class Manual:
    """What a user adds by hand besides the mention: the site it came from and who it is about."""

    site: str = ""
    client: str | None = None
    project: str | None = None


@dataclass(frozen=True)
class IngestResult:
    mention_id: int
    new: bool
    alert_id: int | None = None
    label: str = "neutral"


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def dedupe_key(mention: Mention) -> str:
    """The external id when the site gives one; else a hash of normalised author, text and date."""
    if mention.external_id:
        return f"id:{mention.external_id}"
    day = mention.posted_at.date().isoformat() if mention.posted_at else ""
    digest = hashlib.sha256("\x1f".join((_normalised(mention.author), _normalised(mention.text), day))
                            .encode()).hexdigest()
    return f"h:{digest[:32]}"


def ingest(conn: sqlite3.Connection, source_id: int, mentions: Iterable[Mention], *, site: str = "",
           manual: Manual | None = None, clock: Clock = utc_now, rule: AlertRule | None = None,
           site_wide_ids: bool = False) -> list[IngestResult]:
    """Store new mentions from one source in one transaction; return what happened to each.

    `site` names where the source's mentions live (its kind), for matching client handles. With
    `site_wide_ids` (the kind's review ids are the site's own), a review another source of the same site
    already stored is not stored or alerted again. A mention that
    cannot be stored (`Mention.problem`) is refused with ValueError before anything is written: polls and
    imports leave such items out earlier, with a note.
    """
    return store_scored(conn, score_new(conn, source_id, mentions, site=site, manual=manual, clock=clock, rule=rule,
                                        site_wide_ids=site_wide_ids))


@dataclass
class Scored:
    """A batch with its new mentions scored (score_new), ready to store in one short transaction (store_scored)."""

    source_id: int
    mentions: list[Mention]
    keys: list[str]
    known: dict[str, tuple[int, str]]  # dedupe key -> (mention id, label) of those already stored
    scores: dict[str, scoring.Score]
    site: str
    manual: Manual | None
    rule: AlertRule
    now: datetime
    learned: Learned
    site_wide_ids: bool = False  # look a review up by (site, the site's review id) across sources too


# How a batch is scored: (text, rating, language) items and what the store learned -> one Score each.
ScoreItems = Callable[[Sequence[tuple[str, float | None, str | None]], Learned], list[scoring.Score]]


def score_here(items: Sequence[tuple[str, float | None, str | None]], learned: Learned) -> list[scoring.Score]:
    """Score (text, rating, language) items in this thread; the app's polls score in a worker process instead
    (desktop/polling/worker_process.py), which frees the GUI process's interpreter lock."""
    return [scoring.score(text, rating, language, learned) for text, rating, language in items]


def score_new(conn: sqlite3.Connection, source_id: int, mentions: Iterable[Mention], *, site: str = "",
              manual: Manual | None = None, clock: Clock = utc_now, rule: AlertRule | None = None,
              site_wide_ids: bool = False, score_items: ScoreItems = score_here) -> Scored:
    """Dedupe and score a batch outside any write transaction.

    Scoring is the slow part: done here, eight polls storing at once hold the store's write lock for their
    inserts only (scoring under the lock made them queue past the 5 s busy timeout: "database is locked").
    """
    mentions = list(mentions)
    for mention in mentions:
        if (why := mention.problem()) is not None:
            raise ValueError(f"this feedback cannot be stored: {why}")
    keys = [dedupe_key(m) for m in mentions]
    known = mention_store.known_keys(conn, source_id, keys)
    rule = rule or AlertRule.from_settings(settings_store.all_settings(conn))
    learned = corrections.learned_for(conn)
    fresh: dict[str, Mention] = {}
    for key, mention in zip(keys, mentions):
        if key not in known and key not in fresh:
            fresh[key] = mention
    # Only the body is scored: reasons carry spans into `text`, which the inbox highlights.
    scores = dict(zip(fresh, score_items([(m.text, m.rating, m.language) for m in fresh.values()], learned)))
    return Scored(source_id, mentions, keys, known, scores, manual.site if manual else site, manual, rule, clock(),
                  learned, site_wide_ids)


# New mentions stored per statement (and their alerts per statement): a page's in one, an import's in runs of this
# many. On PostgreSQL each statement fires the statement-level triggers that keep the tallies and sums once (per
# row statements made an import raising thousands of alerts ~3x slower); 50 rows of 18 values stay well inside
# SQLite's limit on a statement's parameters.
NEW_PER_STATEMENT = 50


def store_scored(conn: sqlite3.Connection, batch: Scored) -> list[IngestResult]:
    """Store a scored batch in one transaction (nested as a savepoint in the caller's, as a poll's is)."""
    results: list[IngestResult | None] = []
    new = _NewMentions(conn, batch, results)
    with transaction(conn):
        # Read before (or by another poll meanwhile): a reply or an edit, maybe. One query for the page; a key
        # met again in this batch is looked up again, as the first one may have just stored or changed it.
        stored = revision_store.stored_versions(conn, batch.source_id, batch.keys)
        # Who each new review is about, for the whole page at once (what a user typed is linked on its own).
        links = None if batch.manual else linking.link_authors(
            conn, site=batch.site, authors=[m.author for key, m in zip(batch.keys, batch.mentions) if key not in stored])
        met: set[str] = set()
        for key, mention in zip(batch.keys, batch.mentions):
            if key in met:
                new.store()  # the first with this key may be waiting to be stored
                existing = revision_store.stored_version(conn, batch.source_id, key)
            else:
                existing = stored.get(key)
            met.add(key)
            if existing is not None:
                results.append(_reread(conn, existing, mention, rule=batch.rule, now=batch.now,
                                       learned=batch.learned))
                continue
            if batch.site_wide_ids and batch.site and mention.external_id:
                # Stored by another source of the same site (its page 2, a second address for it): once only.
                elsewhere = mention_store.find_site_review(conn, batch.site, mention.external_id)
                if elsewhere is not None:
                    results.append(IngestResult(elsewhere[0], False, None, elsewhere[1]))
                    continue
            score = batch.scores.get(key) or scoring.score(mention.text, mention.rating, mention.language,
                                                           batch.learned)
            new.add(key, mention, score, None if links is None else links.get(mention.author, _NO_LINK))
        new.store()
        if any(r is None for r in results):  # store() fills every place add() kept: a gap is a bug, not a skip
            raise RuntimeError("a new mention of this batch was not stored")
        done = cast(list[IngestResult], results)
        # The team's other desktops hear of them once this commits (nothing is said on SQLite).
        team.announce(conn, "mentions", [r.mention_id for r in done if r.new])
        team.announce(conn, "alerts", [r.mention_id for r in done if r.alert_id is not None])
    return done


_NO_LINK = linking.Link()


class _NewMentions:
    """A batch's new mentions, stored NEW_PER_STATEMENT to a statement with their alerts, each result put in its
    place in `results` (a None until then)."""

    def __init__(self, conn: sqlite3.Connection, batch: Scored, results: list[IngestResult | None]) -> None:
        self.conn, self.batch, self.results = conn, batch, results
        self.waiting: list[tuple[int, mention_store.NewMention, bool]] = []  # (place in results, row, alerts)

    def add(self, key: str, mention: Mention, score: scoring.Score, link: linking.Link | None) -> None:
        batch = self.batch
        if link is None:
            manual = batch.manual
            link = linking.link(self.conn, site=batch.site, author=mention.author,
                                client_name=manual.client if manual else None,
                                project_title=manual.project if manual else None)
        row = mention_store.NewMention(
            dedupe_key=key, external_id=mention.external_id, site=batch.site, author=mention.author,
            url=mention.url, title=mention.title, text=mention.text, language=mention.language,
            posted_at=mention.posted_at, rating=mention.rating, fetched_at=batch.now, compound=score.compound,
            label=score.label, reasons_json=json.dumps(score.reasons), client=link.client, project=link.project,
            matched=mention.matched)
        self.results.append(None)
        self.waiting.append((len(self.results) - 1, row, batch.rule.should_alert(score, mention.rating)))
        if len(self.waiting) >= NEW_PER_STATEMENT:
            self.store()

    def store(self) -> None:
        if not self.waiting:
            return
        ids = mention_store.insert_many(self.conn, self.batch.source_id, [row for _at, row, _alerts in self.waiting])
        alerted = alert_store.raise_for_new(self.conn, [i for i, (_at, _row, alerts) in zip(ids, self.waiting)
                                                        if alerts], self.batch.now)
        for mention_id, (at, row, _alerts) in zip(ids, self.waiting):
            self.results[at] = IngestResult(mention_id, True, alerted.get(mention_id), row.label)
        self.waiting.clear()


def _reread(conn: sqlite3.Connection, stored: revision_store.StoredVersion, mention: Mention, *, rule: AlertRule,
            now: datetime, learned: Learned) -> IngestResult:
    """A review read before: note the site's reply when one appeared, and keep an edit as a new revision,
    alerting once for it when the edit turns the review negative or lowers its rating."""
    if mention.reply and not stored.site_reply:
        replied_at = mention.reply_at or now
        revision_store.record_site_reply(conn, stored.id, mention.reply, replied_at)
        draft_store.match_site_reply(conn, stored.id, mention.reply, replied_at)
    if not _changed(stored, mention):
        return IngestResult(stored.id, False, None, stored.label)
    result = scoring.score(mention.text, mention.rating, mention.language, learned)
    revision = revision_store.record_edit(
        conn, stored.id, title=mention.title, text=mention.text, rating=mention.rating, compound=result.compound,
        label=result.label, reasons_json=json.dumps(result.reasons), at=now)
    alert_id = None
    if _worse(stored, mention.rating, result, rule):
        alert_id = alert_store.raise_for_revision(conn, stored.id, revision, now)
    return IngestResult(stored.id, False, alert_id, result.label)


def _changed(stored: revision_store.StoredVersion, mention: Mention) -> bool:
    """An edit by the reviewer: other words or another rating (white space and case alone are not an edit)."""
    return (_normalised(stored.text) != _normalised(mention.text)
            or _normalised(stored.title) != _normalised(mention.title)
            or stored.rating != mention.rating)


def _worse(stored: revision_store.StoredVersion, rating: float | None, result: scoring.Score,
           rule: AlertRule) -> bool:
    """The edit deserves an alert: the review now alerts and did not before, or its rating went down."""
    dropped = stored.rating is not None and rating is not None and rating < stored.rating
    was_alerting = stored.label == "negative" or (stored.rating is not None and stored.rating <= rule.star_threshold)
    return dropped or (rule.should_alert(result, rating) and not was_alerting)
