"""Bench: `desktop.scoring.score` against plain VADER `polarity_scores` on the same 10,000 texts.

Target (issue 3): score() takes at most 1.25x the time of plain VADER. Run it alone with
`python -m bench.case_scoring`, or through the lead's runner, which calls `main()` and flags a
ratio over the returned "target". The machine is shared, so each side gets a warm-up pass and
the best of REPEATS timed passes (the best run is the one least disturbed by other work), and the
two sides alternate so that a burst of load hits both.
"""
from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from pathlib import Path

N_TEXTS = 10_000
REPEATS = 5
TARGET = 1.25
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


def _time_once(fn: Callable[[str], object], texts: list[str]) -> float:
    t0 = time.perf_counter()
    for text in texts:
        fn(text)
    return time.perf_counter() - t0


def _best_of_both(
    baseline: Callable[[str], object], candidate: Callable[[str], object], texts: list[str], repeats: int = REPEATS
) -> tuple[float, float]:
    """Best time of each over `repeats` alternating passes, after one untimed warm-up pass of each."""
    _time_once(baseline, texts)
    _time_once(candidate, texts)
    best_baseline = best_candidate = float("inf")
    for _ in range(repeats):
        best_baseline = min(best_baseline, _time_once(baseline, texts))
        best_candidate = min(best_candidate, _time_once(candidate, texts))
    return best_baseline, best_candidate


def main() -> dict[str, object]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from desktop.scoring import score

    texts = _texts()
    analyzer = SentimentIntensityAnalyzer()
    baseline, candidate = _best_of_both(analyzer.polarity_scores, score, texts)
    ratio = candidate / baseline
    print(f"score vs vader: vader {baseline:.3f}s, score {candidate:.3f}s, ratio {ratio:.2f} (target <= {TARGET})")
    return {
        "name": "score vs vader",
        "baseline_s": baseline,
        "candidate_s": candidate,
        "ratio": ratio,
        "target": TARGET,
    }


if __name__ == "__main__":
    main()
