"""The learned layer (desktop/scoring/model.py): shipped weights are what training makes from tests/data, it
needs nothing but the standard library at runtime, and when it moves a label the reasons say so and why."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from desktop.scoring import score
from desktop.scoring.model import shipped
from desktop.scoring.scorer import rules_reading
from desktop.scoring.training import (ANCHORS_PATH, EVIDENCE_PATH, MODEL_PATH, TEACH_SETS, anchors_json, cross_validate,
                                      evidence_json, load, to_json, train, training_files)


def _shipped_json() -> dict:
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


def test_shipped_model_was_trained_on_the_labelled_sets_as_they_are() -> None:
    recorded = _shipped_json()["trained_on"]
    now = to_json(shipped(), training_files())["trained_on"]  # type: ignore[arg-type]
    assert recorded == now, "tests/data changed since the model was trained: run ./dev train"
    # the corrections measurements stay out of training
    assert not {"teach_horror.jsonl", "teach_pest.jsonl", "teach_debt.jsonl", "teach_comedy.jsonl"} & set(recorded)


def test_shipped_anchors_are_a_sample_of_the_training_sets_and_none_of_the_teach_sets() -> None:
    """The general feedback a store's adjustment is fitted against (adjustment.anchors) is what `./dev train` writes,
    and holds no text of the corrections measurements (their controls would be fitted to, not measured)."""
    shipped_anchors = json.loads(ANCHORS_PATH.read_text(encoding="utf-8"))
    assert shipped_anchors == anchors_json(training_files()), "tests/data changed: run ./dev train"
    teach = {json.loads(line)["text"] for name in TEACH_SETS
             for line in (ANCHORS_PATH.parents[2] / "tests" / "data" / name).read_text(encoding="utf-8").splitlines() if line}
    assert len(shipped_anchors["texts"]) > 300 and not teach & set(shipped_anchors["texts"])


def test_shipped_word_evidence_is_what_the_training_sets_say() -> None:
    """How each word read in general feedback (evidence.py: what a store's corrections must outweigh to flip it) is
    what `./dev train` writes from the training sets and the rules as they are."""
    shipped_evidence = json.loads(EVIDENCE_PATH.read_text(encoding="utf-8"))
    assert shipped_evidence == evidence_json(training_files()), "tests/data or the rules changed: run ./dev train"
    assert shipped_evidence["words"]["rude"][0] > 20  # a complaint word, read right in many complaints


@pytest.mark.slow
def test_training_reproduces_the_shipped_weights() -> None:
    """Deterministic training: the same data (and rules) give the same weights, within float noise."""
    made = to_json(train(load(training_files())), training_files())
    shipped_json = _shipped_json()
    for key in ("examples", "threshold", "raise_margin", "positive_margin", "one_sentence_margin", "settings"):
        assert made[key] == shipped_json[key]
    for side in ("negative", "positive"):
        ours, theirs = made[side], shipped_json[side]  # type: ignore[index]
        assert abs(ours["bias"] - theirs["bias"]) < 2e-4
        names = set(ours["weights"]) | set(theirs["weights"])
        off = [n for n in names if abs(ours["weights"].get(n, 0.0) - theirs["weights"].get(n, 0.0)) >= 2e-4]
        assert off == [], f"shipped weights differ from training (run ./dev train): {sorted(off)[:5]}"


def test_scoring_does_not_load_the_training_dependencies() -> None:
    code = "import sys; from desktop.scoring import score; score('Opened a ticket two weeks ago, nothing.'); print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Raised a ticket about my withdrawal twelve days ago. It still says pending.", "negative"),
        ("She caught a mistake in my contract that would have been a disaster. Eagle eyes.", "positive"),
    ],
)
def test_a_moved_label_is_explained_with_what_moved_it(text: str, label: str) -> None:
    """Texts written for this test (not in tests/data): a calm complaint the rules hear nothing in, and
    praise for a disaster averted that the rules read as negative."""
    rules = rules_reading(text).compound
    assert (rules > -0.05) if label == "negative" else (rules <= -0.05)
    result = score(text)
    assert result.label == label
    [note] = [r for r in result.reasons if r.start == r.end]
    assert note.text.startswith(f"learned from {shipped().examples:,} labelled reviews: ")  # type: ignore[union-attr]
    assert note.text.endswith(f"pushed it {label}")
    assert "'" in note.text  # names at least one word
    assert note.weight == pytest.approx(result.compound - rules, abs=1e-3)


def test_where_the_model_agrees_the_rules_score_stands() -> None:
    text = "Great designer, fast and friendly."
    result = score(text)
    assert result.compound == rules_reading(text).compound
    assert all(r.start != r.end for r in result.reasons)


def test_a_question_about_a_possible_problem_raises_no_alert() -> None:
    assert score("Thinking of hiring Sam for our bakery site. Was he quick? Any delays?").label != "negative"


@pytest.mark.slow
def test_leave_one_set_out_beats_the_rules_on_the_newest_sets() -> None:
    """The honest estimate (README): trained without a set, the model reads that set better than the rules."""
    held_out = cross_validate(load(training_files()), only=("feedback_blind6.jsonl",))
    rows = {(src, part): (ours, rules) for src, part, ours, rules, _ in held_out}
    for part in ("marketplace", "service"):
        ours, rules = rows[("feedback_blind6.jsonl", part)]
        assert ours["recall"] >= rules["recall"]
        assert ours["false_alerts"] < rules["false_alerts"]
        assert ours["accuracy"] > rules["accuracy"]


def test_without_the_layer_the_rules_read_alone() -> None:
    """What a reply draft's tone check uses (desktop/composer/checks.py): no learned note, the rules' score."""
    text = "Raised a ticket about my withdrawal twelve days ago. It still says pending."
    alone = score(text, layer=False)
    assert alone.compound == rules_reading(text).compound
    assert all(r.start != r.end for r in alone.reasons)
    assert score(text).label == "negative" != alone.label
