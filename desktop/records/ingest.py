"""The one path in for feedback, scraped, typed or imported: dedupe, link, score, store, alert.

Each batch is one transaction: a crash mid-poll stores all of a page's new mentions or none, and
an alert is raised in the same transaction as its mention, so neither is ever lost or doubled.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from desktop import scoring
from desktop.composer import drafts as draft_store
from desktop.records import corrections, linking
from desktop.records.alert_rule import AlertRule
from desktop.scoring.learning import Learned
from desktop.store import alerts as alert_store
from desktop.store import revisions as revision_store
from desktop.store import settings as settings_store
from desktop.store.clock import Clock, to_text, utc_now
from desktop.store.db import transaction
from desktop.store.migrations import IMPORT_SOURCE_ID, MANUAL_SOURCE_ID
from scrapers.base import Mention

__all__ = ["IngestResult", "Manual", "dedupe_key", "ingest", "MANUAL_SOURCE_ID", "IMPORT_SOURCE_ID"]


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
    edited: bool = False  # a review read before came back changed (a new revision was stored)


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
           ) -> list[IngestResult]:
    """Store new mentions from one source in one transaction; return what happened to each.

    `site` names where the source's mentions live (its kind), for matching client handles. A mention that
    cannot be stored (`Mention.problem`) is refused with ValueError before anything is written: polls and
    imports leave such items out earlier, with a note.
    """
    mentions = list(mentions)
    for mention in mentions:
        if (why := mention.problem()) is not None:
            raise ValueError(f"this feedback cannot be stored: {why}")
    now = clock()
    results = []
    with transaction(conn):
        rule = rule or AlertRule.from_settings(settings_store.all_settings(conn))
        learned = corrections.learned_for(conn)
        for mention in mentions:
            results.append(_ingest_one(conn, source_id, mention, site=manual.site if manual else site,
                                       manual=manual, rule=rule, now=now, learned=learned))
    return results


def _ingest_one(conn: sqlite3.Connection, source_id: int, mention: Mention, *, site: str,
                manual: Manual | None, rule: AlertRule, now: datetime, learned: Learned) -> IngestResult:
    key = dedupe_key(mention)
    existing = revision_store.stored_version(conn, source_id, key)
    if existing is not None:
        return _reread(conn, existing, mention, rule=rule, now=now, learned=learned)
    link = linking.link(conn, site=site, author=mention.author,
                        client_name=manual.client if manual else None,
                        project_title=manual.project if manual else None)
    # Only the body is scored: reasons carry spans into `text`, which the inbox highlights.
    result = scoring.score(mention.text, mention.rating, mention.language, learned)
    mention_id = conn.execute(
        "INSERT INTO mentions (source, dedupe_key, external_id, site, author, url, title, text, language,"
        " posted_at, rating, fetched_at, compound, label, reasons_json, client, project, matched)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (source_id, key, mention.external_id, site, mention.author, mention.url, mention.title, mention.text,
         mention.language, to_text(mention.posted_at), mention.rating, to_text(now), result.compound, result.label,
         json.dumps([list(r) for r in result.reasons]), link.client, link.project, mention.matched),
    ).lastrowid
    assert mention_id is not None
    alert_id = None
    if rule.should_alert(result, mention.rating):
        alert_id = alert_store.raise_once(conn, mention_id, now)
    return IngestResult(mention_id, True, alert_id, result.label)



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
        label=result.label, reasons_json=json.dumps([list(r) for r in result.reasons]), at=now)
    alert_id = None
    if _worse(stored, mention.rating, result, rule):
        alert_id = alert_store.raise_for_revision(conn, stored.id, revision, now)
    return IngestResult(stored.id, False, alert_id, result.label, edited=True)


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
