"""The user's label corrections and the words the scorer learned from them (and from star ratings)."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from desktop.store.clock import from_text, to_text
from desktop.store.db import transaction

STAR_EXAMPLES = 300  # the most recent star-rated mentions used as free labels


@dataclass(frozen=True)
class Correction:
    mention: int
    negative: bool  # the user's verdict: an alert or not
    created_at: datetime
    text: str


@dataclass(frozen=True)
class StoredWord:
    word: str
    valence: float
    base: float
    votes: float


@dataclass(frozen=True)
class MentionText:
    """What re-scoring one mention needs."""

    id: int
    text: str
    rating: float | None
    language: str | None
    compound: float
    label: str


def correct(conn: sqlite3.Connection, mention_id: int, negative: bool, at: datetime) -> None:
    with transaction(conn):
        conn.execute(
            "INSERT INTO corrections (mention, negative, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT(mention) DO UPDATE SET negative = excluded.negative, created_at = excluded.created_at",
            (mention_id, int(negative), to_text(at)),
        )


def uncorrect(conn: sqlite3.Connection, mention_id: int) -> None:
    with transaction(conn):
        conn.execute("DELETE FROM corrections WHERE mention = ?", (mention_id,))


def correction_of(conn: sqlite3.Connection, mention_id: int) -> bool | None:
    """The user's verdict on one mention (True: negative), None when uncorrected."""
    row = conn.execute("SELECT negative FROM corrections WHERE mention = ?", (mention_id,)).fetchone()
    return None if row is None else bool(row[0])


def corrections(conn: sqlite3.Connection) -> list[Correction]:
    """Every correction, newest first."""
    rows = conn.execute(
        "SELECT c.mention, c.negative, c.created_at, m.text FROM corrections c JOIN mentions m ON m.id = c.mention"
        " ORDER BY c.created_at DESC, c.mention DESC"
    )
    return [Correction(r[0], bool(r[1]), from_text(r[2]), r[3]) for r in rows]  # type: ignore[arg-type]


def star_examples(conn: sqlite3.Connection, limit: int = STAR_EXAMPLES) -> list[tuple[str, bool]]:
    """(text, negative) of recent uncorrected mentions with a clear star rating (1-2 or 4-5)."""
    rows = conn.execute(
        "SELECT text, rating <= 2 FROM mentions WHERE rating IS NOT NULL AND rating <> 3"
        " AND id NOT IN (SELECT mention FROM corrections) ORDER BY id DESC LIMIT ?",
        (limit,),
    )
    return [(r[0], bool(r[1])) for r in rows]


def learned_words(conn: sqlite3.Connection) -> list[StoredWord]:
    return [StoredWord(*r) for r in conn.execute("SELECT word, valence, base, votes FROM learned_words ORDER BY word")]


def replace_learned_words(conn: sqlite3.Connection, words: list[StoredWord]) -> None:
    with transaction(conn):
        conn.execute("DELETE FROM learned_words")
        conn.executemany("INSERT INTO learned_words (word, valence, base, votes) VALUES (?, ?, ?, ?)",
                         [(w.word, w.valence, w.base, w.votes) for w in words])


def learned_adjustment(conn: sqlite3.Connection) -> dict[str, float]:
    """The store's adjustment of the learned layer: feature -> delta."""
    return {r[0]: r[1] for r in conn.execute("SELECT feature, delta FROM learned_adjustment ORDER BY feature")}


def replace_learned_adjustment(conn: sqlite3.Connection, deltas: dict[str, float]) -> None:
    with transaction(conn):
        conn.execute("DELETE FROM learned_adjustment")
        conn.executemany("INSERT INTO learned_adjustment (feature, delta) VALUES (?, ?)", sorted(deltas.items()))


def forget_word(conn: sqlite3.Connection, word: str) -> None:
    """Un-teach a learned word or adjustment feature, for good."""
    with transaction(conn):
        conn.execute("INSERT INTO forgotten_words (word) VALUES (?) ON CONFLICT DO NOTHING", (word,))
        conn.execute("DELETE FROM learned_words WHERE word = ?", (word,))
        conn.execute("DELETE FROM learned_adjustment WHERE feature = ?", (word,))


def forgotten_words(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT word FROM forgotten_words")}


def mention_text(conn: sqlite3.Connection, mention_id: int) -> MentionText | None:
    row = conn.execute("SELECT id, text, rating, language, compound, label FROM mentions WHERE id = ?",
                       (mention_id,)).fetchone()
    return None if row is None else MentionText(*row)


def mentions_with_words(conn: sqlite3.Connection, words: list[str], after: int = 0, limit: int = 500) -> list[MentionText]:
    """A page (by id) of mentions whose text holds one of `words`: the ones a learned word may re-score."""
    if not words:
        return []
    like = " OR ".join("lower(text) LIKE ?" for _ in words)
    rows = conn.execute(
        f"SELECT id, text, rating, language, compound, label FROM mentions WHERE id > ? AND ({like}) ORDER BY id LIMIT ?",
        (after, *[f"%{w.lower()}%" for w in words], limit),
    )
    return [MentionText(*r) for r in rows]


def latest_mentions(conn: sqlite3.Connection, before: int | None, limit: int) -> list[MentionText]:
    """A page of the newest mentions (ids below `before`, newest first): the ones a changed adjustment re-reads."""
    rows = conn.execute(
        "SELECT id, text, rating, language, compound, label FROM mentions WHERE id < ? ORDER BY id DESC LIMIT ?",
        (before if before is not None else 2**62, limit),
    )
    return [MentionText(*r) for r in rows]


def set_score(conn: sqlite3.Connection, mention_id: int, compound: float, label: str, reasons: list[list[object]]) -> None:
    """Store a mention's new score (a correction or what was learned changed it)."""
    with transaction(conn):
        conn.execute("UPDATE mentions SET compound = ?, label = ?, reasons_json = ? WHERE id = ?",
                     (compound, label, json.dumps(reasons), mention_id))
