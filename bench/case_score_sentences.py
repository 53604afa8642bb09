"""`score()` against plain VADER `polarity_scores` on one-sentence texts (target: at most 1.15x).

The labelled sets' single sentences, scored in chunks of 200, alternating VADER and score() chunk by chunk
(bench.common.interleaved), so the ratio holds still on a busy machine. The mixed-length run with the
older 1.25x target is case_scoring.
"""
from __future__ import annotations

import json
import re

from bench.common import DATA, interleaved, row, setup

TARGET = 1.15
CHUNK = 200
ROUNDS = 41


def one_sentence_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(DATA.glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            texts.extend(json.loads(line)["text"].strip() for line in f if line.strip())
    # One sentence: no sentence end before the last character.
    return [t for t in texts if t and not re.search(r"[.!?]\s+\S", t)]


def main() -> dict[str, object]:
    setup()
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from desktop.scoring import score

    texts = one_sentence_texts()
    analyzer = SentimentIntensityAnalyzer()
    chunks = [texts[i:i + CHUNK] for i in range(0, len(texts), CHUNK)]
    state = {"vader": 0, "score": 0}

    def next_chunk(side: str) -> list[str]:
        state[side] += 1
        return chunks[state[side] % len(chunks)]

    def vader() -> None:
        for text in next_chunk("vader"):
            analyzer.polarity_scores(text)

    def rapport() -> None:
        for text in next_chunk("score"):
            score(text)

    base, cand, ratio = interleaved(vader, rapport, rounds=ROUNDS, warmup=2)
    print(f"  {len(texts)} one-sentence texts: vader {base / CHUNK * 1e6:.0f} us, score {cand / CHUNK * 1e6:.0f} us "
          f"a text, ratio {ratio:.2f}", flush=True)
    return row("score() vs VADER, one-sentence texts", baseline="VADER polarity_scores", baseline_s=base / CHUNK,
               candidate_s=cand / CHUNK, target=TARGET, value=ratio, texts=len(texts))


if __name__ == "__main__":
    main()
