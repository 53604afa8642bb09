"""Whether answering worked: each answered negative review's outcome, and the figures over many.

An answered negative is a review that raised an alert and got a reply (the user marked a draft posted, or
the site shows the business's reply). Its outcome, from what happened after the reply:
- removed: the review is gone from the site;
- recovered: the client edited it after the reply to a higher rating, or to words no longer negative;
- won back: the client started a new project after the alert (in the records);
- unchanged: none of these 30 days after the reply; pending before that.
A review may be both recovered and won back: the figures count each, its `outcome` names the first that holds.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from desktop.composer.answers import Answers
from desktop.composer.steps import NEXT
from desktop.store import outcomes as outcome_store
from desktop.store.dashboard import Query
from desktop.store.outcomes import AlertedReview, Counts, Tally

WAIT = timedelta(days=30)  # after this long without a change, a reply "did not move" the review
OFFER_NAMES = {o.key: o.label for o in NEXT.options}
# The inbox's Reply column once an answered review's outcome is known (pending stays "Answered").
OUTCOME_WORDS = {"recovered": "Recovered", "removed": "Removed", "won back": "Won back", "unchanged": "No change"}


@dataclass(frozen=True)
class Outcome:
    review: AlertedReview
    answered_at: datetime | None
    removed: bool = False
    recovered: bool = False
    won_back: bool = False
    offers: tuple[str, ...] = ()

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def time_to_answer(self) -> timedelta | None:
        return self.answered_at - self.review.alerted_at if self.answered_at else None

    def outcome(self, now: datetime) -> str:
        """One word for the inbox: unanswered, removed, recovered, won back, unchanged or pending."""
        if not self.answered:
            return "unanswered"
        for word, holds in (("removed", self.removed), ("recovered", self.recovered), ("won back", self.won_back)):
            if holds:
                return word
        assert self.answered_at is not None
        return "unchanged" if now - self.answered_at >= WAIT else "pending"


def outcome_of(review: AlertedReview) -> Outcome:
    """A review's outcome from what the store decided of it (desktop.store.outcomes: recovered, won back)."""
    answered_at = review.answered_at  # the store's one definition of "answered"
    if answered_at is None:
        return Outcome(review, None)
    offers = Answers.from_json(review.answers_json).choices.get(NEXT.key, ()) if review.answers_json else ()
    return Outcome(review, answered_at, removed=review.removed_at is not None, recovered=review.recovered,
                   won_back=review.won_back, offers=tuple(offers))


def outcomes(conn: sqlite3.Connection, since: datetime | None = None) -> list[Outcome]:
    return [outcome_of(r) for r in outcome_store.alerted_reviews(conn, since)]


def outcomes_of(conn: sqlite3.Connection, mention_ids: list[int], *,
                answered_only: bool = False) -> dict[int, Outcome]:
    """The outcome of each of these mentions that alerted (the inbox's rows), by mention id; `answered_only`:
    of those that got a reply only."""
    reviews = outcome_store.alerted_among(conn, mention_ids, answered_only=answered_only)
    return {r.mention: outcome_of(r) for r in reviews}


@dataclass(frozen=True)
class Figures(Counts):
    """The outcome figures over a set of alerted reviews (one source, or all), with the offers the recovered ones'
    replies made."""

    offers_in_recovered: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"negatives": self.negatives, "answered": self.answered,
                "median_hours_to_answer": self.median_hours_to_answer, "recovered": self.recovered,
                "removed": self.removed, "won_back": self.won_back, "unchanged": self.unchanged,
                "offers_in_recovered": self.offers_in_recovered}


def figures(conn: sqlite3.Connection, query: Query, now: datetime) -> Figures:
    """The figures of the reviews that alerted in `query`'s range (and source and client), added up in the store."""
    found = outcome_store.tally(conn, query, now - WAIT).get("")
    return _figures(found) if found else Figures(0, 0, None, 0, 0, 0, 0)


def by_source(conn: sqlite3.Connection, query: Query, now: datetime) -> dict[str, Figures]:
    found = outcome_store.tally(conn, query, now - WAIT, per_source=True)
    return {name: _figures(t) for name, t in sorted(found.items())}


def _figures(t: Tally) -> Figures:
    offers: dict[str, int] = {}
    for answers in t.recovered_answers:  # the few recovered reviews' drafts: which offers they made
        for key in Answers.from_json(answers).choices.get(NEXT.key, ()):
            name = OFFER_NAMES.get(key, key)
            offers[name] = offers.get(name, 0) + 1
    median = round(t.median_hours_to_answer, 1) if t.median_hours_to_answer is not None else None
    return Figures(t.negatives, t.answered, median, t.recovered, t.removed, t.won_back, t.unchanged,
                   dict(sorted(offers.items())))


def reply_words(conn: sqlite3.Connection, mention_ids: Iterable[int], now: datetime) -> dict[int, str]:
    """What the inbox's Reply column says for each of these mentions that has a draft or a reply: "Draft",
    "Answered", then the outcome once it is known ("Recovered", "Removed", "Won back", "No change")."""
    from desktop.store import drafts

    ids = list(mention_ids)
    words = {i: "Answered" if status == drafts.POSTED else "Draft" for i, status in drafts.status_for(conn, ids).items()}
    # Only the answered: the rest say "Draft" or nothing, and a window of 200 holds ~130 alerted reviews.
    for mention_id, found in outcomes_of(conn, ids, answered_only=True).items():
        if not found.answered:
            continue
        word = found.outcome(now)
        words[mention_id] = OUTCOME_WORDS.get(word, "Answered")
    return words
