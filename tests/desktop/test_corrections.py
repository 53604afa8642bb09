"""Corrections: stored in a real SQLite store, applied to the mention at once, taught to the scorer, undone."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from desktop.records import corrections
from desktop.records.ingest import MANUAL_SOURCE_ID, ingest
from desktop.scoring import score
from desktop.scoring.learning import Example, learn
from desktop.store import learning as learning_store
from desktop.store import mentions
from scrapers.base import Mention

# Every store test here runs on SQLite and on a real PostgreSQL server.
pytestmark = pytest.mark.both_backends

DATA = Path(__file__).resolve().parent.parent / "data"
WHEN = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


def clock() -> datetime:
    return WHEN


def _teach_set() -> tuple[list[dict], list[dict]]:
    rows = [json.loads(line) for line in (DATA / "teach_horror.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r["kind"] == "teach"], [r for r in rows if r["kind"] == "control"]


def _add(conn, text: str, rating: float | None = None) -> int:
    [result] = ingest(conn, MANUAL_SOURCE_ID, [Mention(text, rating=rating)], clock=clock)
    return result.mention_id


def test_ten_corrections_fix_similar_unseen_texts_and_leave_others_alone() -> None:
    """Issue 18's measure: horror-art feedback where 'terrifying' is praise. The user corrects the first 10
    misread teach items; of the other teach items more are read right, and control texts barely move.
    Measured with the learned layer (desktop/scoring/model.py): 31 -> 33 of 50 unseen teach items right, 1 of 60
    control items changed label; round nine (the layer trained on more sets, reading first and last sentences apart): 31 -> 33, 1 of 60. Before it
    (rules only): 25 -> 29, 1 of 60. Each better layer reads more right with no correction at all, so the
    corrections have less left to fix: round ten's layer (trained on blind8 and dev8 too) reads 35 right before
    any correction, and the learned words fix one more and break one (a complaint that says "supposed to be
    terrifying"): 35 -> 35, 2 of 60. The floor of 35 is the best result with corrections so far, which the
    scorer must not fall below, and corrections must not lose ground."""
    teach, control = _teach_set()
    misread = [r for r in teach if score(r["text"]).label != r["label"]]
    taught = misread[:10]
    learned = learn([Example(r["text"], r["label"] == "negative") for r in taught])
    unseen = [r for r in teach if r not in taught]
    before = sum(score(r["text"]).label == r["label"] for r in unseen)
    after = sum(score(r["text"], learned=learned).label == r["label"] for r in unseen)
    changed = sum(score(r["text"]).label != score(r["text"], learned=learned).label for r in control)
    assert after >= before
    assert after >= 35
    assert changed <= 2


def test_one_stray_word_is_not_learned_from_one_text() -> None:
    # (A correction is of a misread text: "Absolutely terrifying. ..." the learned layer already reads as praise.)
    learned = learn([Example("Terrifying. Our designer refused to look at it after dark.", negative=False)])
    assert "terrifying" in learned.words
    assert "refused" not in learned.words  # a minor culprit of one correction


def test_learning_is_explained_in_the_reasons() -> None:
    learned = learn([Example("The corridor paintings are deeply disturbing.", negative=False)] * 2)
    result = score("The new cellar concept is disturbing, exactly right.", learned=learned)
    assert result.label == "positive"
    notes = [r for r in result.reasons if r.start == r.end]
    assert any("learned from your corrections: 'disturbing' reads positive for you" == r.text for r in notes)
    assert score("The new cellar concept is disturbing, exactly right.").label == "negative"


def test_correction_is_stored_rescores_and_teaches_then_undo_forgets(conn) -> None:
    first = _add(conn, "The corridor paintings are deeply disturbing.")
    other = _add(conn, "Another disturbing piece for the asylum level.")
    assert mentions.get(conn, first).label == "negative"

    result = corrections.correct(conn, first, negative=False, clock=clock)
    assert result.label != "negative"
    assert result.reasons[-1].text == "corrected by you: not negative"
    assert mentions.get(conn, first).label == result.label
    assert learning_store.correction_of(conn, first) is False

    relearned = corrections.relearn_and_rescore(conn)
    assert relearned.changed_words == ("disturbing",)
    assert [w.word for w in learning_store.learned_words(conn)] == ["disturbing"]
    assert relearned.relabelled == 2  # the corrected one reads positive now, and the other one too
    assert mentions.get(conn, other).label == "positive"
    assert any(r.text.startswith("learned from your corrections") for r in mentions.get(conn, other).reasons)
    new = _add(conn, "So disturbing, love the detail.")  # new feedback is read with what was learned
    assert mentions.get(conn, new).label == "positive"

    corrections.undo(conn, first)
    assert learning_store.corrections(conn) == []
    corrections.relearn_and_rescore(conn)
    assert learning_store.learned_words(conn) == []
    assert mentions.get(conn, first).label == "negative"
    assert mentions.get(conn, other).label == "negative"


def test_a_negative_verdict_wins_and_says_so(conn) -> None:
    mention = _add(conn, "Billed 38 hours for a contact form.")
    result = corrections.correct(conn, mention, negative=True, clock=clock)
    assert result.label == "negative"
    assert result.reasons[-1].text == "corrected by you: negative"
    assert mentions.get(conn, mention).label == "negative"


def test_forgotten_words_are_not_learned_again(conn) -> None:
    for text in ("Deeply disturbing work.", "Disturbing in the best way."):
        corrections.correct(conn, _add(conn, text), negative=False, clock=clock)
    corrections.relearn_and_rescore(conn)
    assert [w.word for w in learning_store.learned_words(conn)] == ["disturbing"]
    also = _add(conn, "A disturbing corridor.")
    assert mentions.get(conn, also).label == "positive"
    corrections.forget(conn, "disturbing")
    assert corrections.relearn_and_rescore(conn, also=("disturbing",)).relabelled >= 1
    assert learning_store.learned_words(conn) == []
    assert mentions.get(conn, also).label == "negative"
    corrections.correct(conn, _add(conn, "Disturbing, again, love it."), negative=False, clock=clock)
    corrections.relearn_and_rescore(conn)
    assert learning_store.learned_words(conn) == []


def test_star_ratings_are_free_labels(conn) -> None:
    for k in range(6):
        _add(conn, f"Eerie piece number {k}, the fog is so eerie.", rating=5)
    learned = corrections.relearn(conn)
    assert "eerie" in learned.words
