"""A year of earlier feedback for the demo, so its dashboard has trends to show on a first run.

Reviews imported from Upwork (with stars) and feedback that came by email, through the real ingest path (scored,
linked, alerted) with each item's own moment as the clock. The story: a project goes wrong in the spring (about
eight months ago) and reputation dips; most negatives get an answer within a few days, and some of those
reviewers edit their review up afterwards (recovered); one client comes back for a new project (won back).
Deterministic: the same `now` gives the same store. About 150 items, a fraction of a second to write.

None of it goes through the demo's Trustpilot source: that page holds the site's whole list, so a review stored
under it and missing from the page would read as removed.
"""
from __future__ import annotations

import json
import random
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from desktop.paths import resource
from desktop.records.ingest import Manual, ingest
from desktop.store import alerts, clients, drafts, mentions, projects
from desktop.store.db import transaction
from desktop.store.migrations import IMPORT_SOURCE_ID, MANUAL_SOURCE_ID
from scrapers.base import Mention

SEED = 17
DAYS = 365
DIP = (200, 260)  # days ago: the spring project that went wrong
ANSWERED_SHARE = 0.75  # of the negatives
EDITED_UP_SHARE = 0.4  # of the answered ones


def history_data() -> dict[str, Any]:
    return json.loads(resource("demo", "history.json").read_text(encoding="utf-8"))


class _Deck:
    """A pool's texts dealt without replacement: shuffled once with the seeded random, reshuffled only when it
    runs out, so the inbox does not show the same review twice (and the same seed deals the same order)."""

    def __init__(self, items: list[Any], rnd: random.Random) -> None:
        self._items = list(items)
        self._rnd = rnd
        self._left: list[Any] = []

    def draw(self) -> Any:
        if not self._left:
            self._left = list(self._items)
            self._rnd.shuffle(self._left)
        return self._left.pop()


def seed_history(conn: sqlite3.Connection, now: datetime) -> int:
    """Store the year before `now`; returns how many mentions were added. Everything is left read and seen:
    it is old news (the demo is about the review still to come). One transaction: one commit, not 150."""
    with transaction(conn):
        return _seed(conn, now)


def _seed(conn: sqlite3.Connection, now: datetime) -> int:
    data = history_data()
    rnd = random.Random(SEED)
    # Answers and edits draw from their own stream: which reviews alert depends on the scorer, and the year's
    # feedback (its days, texts and stars) must not change with it.
    answers = random.Random(SEED + 1)
    decks = {pool: _Deck(data[pool], rnd) for pool in ("good", "mixed", "bad")}
    decks["edited_up"] = _Deck(data["edited_up"], answers)
    past = {}
    for item in data["past_clients"]:
        client = clients.add(conn, item["name"], email=item["email"])
        past[item["name"]] = client.id
        started = (now - timedelta(days=rnd.randint(280, 340))).date()
        projects.add(conn, client.id, item["project"], started=started, due=started + timedelta(days=45),
                     delivered=started + timedelta(days=50), budget=item["budget"], status="delivered")
    names = list(past) + [c for _id, c in clients.names(conn) if c not in past]
    weights = [len(names) - i for i in range(len(names))]  # a few regular clients, some occasional ones
    added: list[int] = []
    comeback: tuple[str, datetime] | None = None
    for day in range(DAYS, 0, -1):
        dip = DIP[0] < day < DIP[1]
        if rnd.random() > (0.6 if dip else 0.38):
            continue
        when = now - timedelta(days=day, hours=rnd.randint(0, 20), minutes=rnd.randint(0, 59))
        pool = rnd.choices(["good", "mixed", "bad"], weights=[2, 2, 5] if dip else [8, 2, 1])[0]
        text, stars = decks[pool].draw()
        client = rnd.choices(names, weights)[0] if rnd.random() > 0.15 else None  # some feedback names no client
        if rnd.random() < 0.6:  # an Upwork review, imported from a spreadsheet
            source, site, manual, rating = IMPORT_SOURCE_ID, "upwork", Manual("upwork", client), float(stars)
        else:  # feedback by email, typed in
            source, site, manual, rating = MANUAL_SOURCE_ID, "email", Manual("email", client), None
        review = Mention(text=text, author=rnd.choice(data["authors"]), rating=rating, posted_at=when,
                         external_id=f"demo-history-{day}")
        [result] = ingest(conn, source, [review], site=site, manual=manual, clock=lambda w=when: w)
        added.append(result.mention_id)
        if result.alert_id is None or answers.random() > ANSWERED_SHARE:
            continue
        answered = when + timedelta(hours=answers.randint(3, 70))
        drafts.set_mention_posted(conn, result.mention_id, True, answered)
        if rating is not None and answers.random() < EDITED_UP_SHARE and day > 10:
            up_text, up_stars = decks["edited_up"].draw()
            edited = answered + timedelta(days=answers.randint(2, 9))
            ingest(conn, source, [Mention(text=up_text, author=review.author, rating=float(up_stars), posted_at=when,
                                          external_id=review.external_id)],
                   site=site, manual=manual, clock=lambda e=edited: e)
            if comeback is None and client is not None and client in past:
                comeback = (client, edited)
    if comeback is not None:  # the first client won back after a recovered review: a new project
        name, at = comeback
        started = (at + timedelta(days=14)).date()
        projects.add(conn, past[name], "Phase two", started=started, status="active")
    mentions.set_read(conn, added, True, now)
    alerts.mark_all_seen(conn, now)
    return len(added)
