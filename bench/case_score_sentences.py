"""`score()` against plain VADER `polarity_scores` on one-sentence texts (target: at most 1.15x).

The labelled sets' single sentences, scored in chunks of 200, alternating VADER and score() chunk by chunk
(bench.common.interleaved), so the ratio holds still on a busy machine. The mixed-length run with the
older 1.25x target is case_scoring. A second row (no target) scores the same texts for a store with an
adjustment of the learned layer (desktop/scoring/adjustment.py), fitted to 310 corrected texts of
feedback_blind7.jsonl: such a store's shift may move any label, so its layer skips fewer texts. A third (no target)
for a store that learned from the same corrections its words too (learning.learn): the layer reads a text holding a
learned word with it, so those texts cost what any other does.
"""
from __future__ import annotations

import json
import re

from bench.common import DATA, interleaved, row, setup

TARGET = 1.15
CHUNK = 200
ROUNDS = 41
CORRECTED = 310  # texts of feedback_blind7.jsonl the adjusted store learned from


def one_sentence_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(DATA.glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            texts.extend(json.loads(line)["text"].strip() for line in f if line.strip())
    # One sentence: no sentence end before the last character.
    return [t for t in texts if t and not re.search(r"[.!?]\s+\S", t)]


def _corrected() -> list[dict[str, str]]:
    with open(DATA / "feedback_blind7.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()][:CORRECTED]


def adjusted_store() -> object:
    """What a store that corrected CORRECTED texts learned, its adjustment only."""
    from desktop.scoring.adjustment import Labelled, fit
    from desktop.scoring.learning import Learned

    return Learned(adjustment=fit(Labelled(r["text"], r["label"] == "negative", 1.0) for r in _corrected()))


def learning_store() -> object:
    """What a store that corrected CORRECTED texts learned: its words and its adjustment."""
    from desktop.scoring.learning import Example, learn

    return learn(Example(r["text"], r["label"] == "negative") for r in _corrected())


def main() -> list[dict[str, object]]:
    setup()
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from desktop.scoring import score

    texts = one_sentence_texts()
    analyzer = SentimentIntensityAnalyzer()
    chunks = [texts[i:i + CHUNK] for i in range(0, len(texts), CHUNK)]
    state = {"vader": 0, "score": 0}
    learned = None

    def next_chunk(side: str) -> list[str]:
        state[side] += 1
        return chunks[state[side] % len(chunks)]

    def vader() -> None:
        for text in next_chunk("vader"):
            analyzer.polarity_scores(text)

    def rapport() -> None:
        for text in next_chunk("score"):
            score(text, learned=learned)

    rows = []
    for name, target, store in (("score() vs VADER, one-sentence texts", TARGET, None),
                                ("score() vs VADER, one-sentence texts, a store with an adjustment", None, adjusted_store),
                                ("score() vs VADER, one-sentence texts, a store with learned words", None, learning_store)):
        learned = store() if store else None
        base, cand, ratio = interleaved(vader, rapport, rounds=ROUNDS, warmup=2)
        print(f"  {name} ({len(texts)}): vader {base / CHUNK * 1e6:.0f} us, score {cand / CHUNK * 1e6:.0f} us "
              f"a text, ratio {ratio:.2f}", flush=True)
        rows.append(row(name, baseline="VADER polarity_scores", baseline_s=base / CHUNK, candidate_s=cand / CHUNK,
                        target=target, value=ratio, texts=len(texts)))
    return rows


if __name__ == "__main__":
    main()
