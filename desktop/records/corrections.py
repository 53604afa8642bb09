"""A user's correction of a label: stored, applied to that mention at once, and taught to the scorer.

The scorer learns per store (desktop.scoring.learning) from every correction and from star-rated
reviews; what it learned is kept as a small table of words and one of adjustment deltas, so new feedback is
read with it cheaply (one query per batch). `rescore_affected` re-reads stored mentions a learned word may
change, and `rescore_latest` the newest ones when the adjustment changed: call them off the GUI thread.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from desktop.scoring import Reason, Score, label_for
from desktop.scoring.adjustment import Adjustment
from desktop.scoring.learning import NOTHING, STAR_VOTE, Example, Learned, LearnedWord, learn
from desktop.store import learning as store
from desktop.store.clock import Clock, utc_now

NEGATIVE_AT = -0.05
ADJUSTED_RESCORE = 2000  # the newest mentions re-read when the store's adjustment changed (older ones keep their label)


@dataclass(frozen=True)
class Relearned:
    learned: Learned
    changed_words: tuple[str, ...]  # words learned or unlearned since the last time
    relabelled: int  # stored mentions whose label changed with them (or with the adjustment)
    adjusted: bool = False  # the store's adjustment of the learned layer changed


def learned_for(conn: sqlite3.Connection) -> Learned:
    """What this store's scorer has learned (empty for a store without corrections)."""
    rows = store.learned_words(conn)
    deltas = store.learned_adjustment(conn)
    if not rows and not deltas:
        return NOTHING
    return Learned({r.word: LearnedWord(r.word, r.valence, r.base, r.votes) for r in rows}, Adjustment(deltas))


def relearn(conn: sqlite3.Connection) -> Learned:
    """Learn again from every correction and the recent star-rated reviews; store the result."""
    examples = [Example(c.text, c.negative) for c in store.corrections(conn)]
    examples += [Example(text, negative, STAR_VOTE) for text, negative in store.star_examples(conn)]
    learned = learn(examples, store.forgotten_words(conn))
    store.replace_learned_words(
        conn, [store.StoredWord(w.word, w.valence, w.base, w.votes) for w in learned.words.values()])
    store.replace_learned_adjustment(conn, dict(learned.adjustment.deltas))
    return learned


def correct(conn: sqlite3.Connection, mention_id: int, negative: bool, clock: Clock = utc_now) -> Score:
    """Record the user's verdict (True: it is negative) and re-score that mention at once (cheap: one text).

    Learning from it is `relearn_and_rescore`'s job, in the background."""
    if store.mention_text(conn, mention_id) is None:
        raise ValueError(f"no mention with id {mention_id}")
    store.correct(conn, mention_id, negative, clock())
    result = rescore(conn, mention_id, learned_for(conn))
    assert result is not None
    return result


def undo(conn: sqlite3.Connection, mention_id: int) -> Score | None:
    """Take a correction back: the mention is scored as the scorer reads it (what it taught goes at the next
    `relearn_and_rescore`)."""
    store.uncorrect(conn, mention_id)
    return rescore(conn, mention_id, learned_for(conn))


def forget(conn: sqlite3.Connection, word: str) -> None:
    """Un-teach one learned word or adjustment feature (and never learn it again); `relearn_and_rescore(also=(word,))`
    re-reads the mentions that hold the word (and the newest ones, when the adjustment changed)."""
    store.forget_word(conn, word)


def relearn_and_rescore(conn: sqlite3.Connection, also: tuple[str, ...] = (),
                        cancelled: Callable[[], bool] = lambda: False) -> Relearned:
    """Learn again, then re-score the stored mentions holding a word that was learned or unlearned (or `also`), and
    the newest ones when the adjustment changed. Slow on a big store: run it off the GUI thread (with its own
    connection)."""
    was = learned_for(conn)
    learned = relearn(conn)
    changed = tuple(sorted((set(was.words) ^ set(learned.words)) | {w for w in also if ":" not in w}))
    relabelled = rescore_affected(conn, changed, learned, cancelled=cancelled)
    adjusted = dict(was.adjustment.deltas) != dict(learned.adjustment.deltas)
    if adjusted:
        relabelled += rescore_latest(conn, learned, cancelled=cancelled)
    return Relearned(learned, changed, relabelled, adjusted)


def rescore(conn: sqlite3.Connection, mention_id: int, learned: Learned) -> Score | None:
    """Score one stored mention again with `learned` and the user's correction; store it if it changed."""
    from desktop.scoring import score

    row = store.mention_text(conn, mention_id)
    if row is None:
        return None
    result = apply_correction(score(row.text, row.rating, row.language, learned), store.correction_of(conn, mention_id))
    store.set_score(conn, mention_id, result.compound, result.label, [list(r) for r in result.reasons])
    return result


def apply_correction(result: Score, negative: bool | None) -> Score:
    """The user's verdict wins over the scorer's reading, and the reasons say so."""
    if negative is None:
        return result
    compound = min(result.compound, NEGATIVE_AT) if negative else max(result.compound, 0.0)
    note = Reason("corrected by you: " + ("negative" if negative else "not negative"), 0, 0, 0.0)
    return Score(compound, label_for(compound), result.reasons + (note,))


def rescore_affected(conn: sqlite3.Connection, words: tuple[str, ...], learned: Learned, page: int = 500,
                     cancelled: Callable[[], bool] = lambda: False) -> int:
    """Re-score the stored mentions that hold one of `words`, page by page; how many changed label."""
    changed = 0
    after = 0
    forms = sorted({w for w in words})
    while not cancelled():
        rows = store.mentions_with_words(conn, forms, after, page)
        if not rows:
            return changed
        changed += _rescore_rows(conn, rows, learned)
        after = rows[-1].id
    return changed


def rescore_latest(conn: sqlite3.Connection, learned: Learned, limit: int = ADJUSTED_RESCORE, page: int = 500,
                   cancelled: Callable[[], bool] = lambda: False) -> int:
    """Re-score the newest `limit` stored mentions (an adjustment may move any text: the work stays bounded);
    how many changed label."""
    changed = 0
    before = None
    done = 0
    while done < limit and not cancelled():
        rows = store.latest_mentions(conn, before, min(page, limit - done))
        if not rows:
            break
        changed += _rescore_rows(conn, rows, learned)
        done += len(rows)
        before = rows[-1].id
    return changed


def _rescore_rows(conn: sqlite3.Connection, rows: list[store.MentionText], learned: Learned) -> int:
    """Score `rows` again, store the ones whose score changed; how many changed label."""
    from desktop.scoring import score

    changed = 0
    for row in rows:
        result = apply_correction(score(row.text, row.rating, row.language, learned), store.correction_of(conn, row.id))
        if result.label != row.label or abs(result.compound - row.compound) > 1e-9:
            store.set_score(conn, row.id, result.compound, result.label, [list(r) for r in result.reasons])
            changed += result.label != row.label
    return changed
