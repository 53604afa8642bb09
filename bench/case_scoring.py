"""Bench: `desktop.scoring.score` against plain VADER `polarity_scores` on the same 10,000 texts.

Target (issue 3): score() takes at most 1.25x the time of plain VADER. Run it alone with
`python -m bench.case_scoring`, or through the lead's runner, which calls `main()`.
"""
from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from pathlib import Path

N_TEXTS = 10_000
REPEATS = 3
_DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def _texts(n: int = N_TEXTS) -> list[str]:
    """n texts from the labelled sets: single items, plus pairs and triples joined into longer reviews."""
    base: list[str] = []
    for name in ("feedback_labelled.jsonl", "general_reviews.jsonl"):
        with open(_DATA / name, encoding="utf-8") as f:
            base.extend(json.loads(line)["text"] for line in f if line.strip())
    rng = random.Random(3)
    out = []
    while len(out) < n:
        k = rng.choice((1, 1, 1, 2, 3))
        out.append(" ".join(rng.choice(base) for _ in range(k)))
    return out


def _best_of(fn: Callable[[str], object], texts: list[str], repeats: int = REPEATS) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> dict[str, object]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from desktop.scoring import score

    texts = _texts()
    analyzer = SentimentIntensityAnalyzer()
    score(texts[0])  # build the cached lexicon outside the timing, as VADER's constructor is
    baseline = _best_of(analyzer.polarity_scores, texts)
    candidate = _best_of(score, texts)
    ratio = candidate / baseline
    print(f"score vs vader: vader {baseline:.3f}s, score {candidate:.3f}s, ratio {ratio:.2f} (target <= 1.25)")
    return {"name": "score vs vader", "baseline_s": baseline, "candidate_s": candidate, "ratio": ratio}


if __name__ == "__main__":
    main()
