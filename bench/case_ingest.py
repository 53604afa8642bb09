"""Ingest (dedupe, link, score, store, alert: one transaction a page) against plain VADER on the same texts.

Pages of 20 new 166-character reviews go into a copy of the 100,000-mention store (its indexes and
full-text index as big as a long-time user's), alternating page by page with VADER scoring the same 20
texts. The figure is the rate ratio, ingest's mentions a second over VADER's (target: at least 0.7).
"""
from __future__ import annotations

import random
import tempfile
from pathlib import Path

from bench.common import PAGE, copy_of, interleaved, page_mentions, review_texts, row, setup, store_100k

TARGET = 0.7
ROUNDS = 61


def main() -> dict[str, object]:
    setup()
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from desktop.records.ingest import ingest
    from desktop.store import connect

    analyzer = SentimentIntensityAnalyzer()
    texts = review_texts((ROUNDS + 4) * PAGE, seed=99)
    rnd = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(copy_of(store_100k(), Path(tmp)))
        try:
            source = conn.execute("SELECT id FROM sources WHERE kind = 'trustpilot' ORDER BY id LIMIT 1").fetchone()[0]
            pages = [page_mentions(9_999, 1_000 + i, texts[i * PAGE:(i + 1) * PAGE], rnd) for i in range(ROUNDS + 4)]
            state = {"vader": 0, "ingest": 0}

            def vader() -> None:
                for m in pages[state["vader"]]:
                    analyzer.polarity_scores(m.text)
                state["vader"] += 1

            def rapport() -> None:
                results = ingest(conn, source, pages[state["ingest"]], site="trustpilot")
                assert all(r.new for r in results)
                state["ingest"] += 1

            base, cand, ratio = interleaved(vader, rapport, rounds=ROUNDS, warmup=1)
        finally:
            conn.close()
    rate = 1 / ratio
    print(f"  a page of {PAGE}: vader {base * 1e3:.1f} ms, ingest {cand * 1e3:.1f} ms; "
          f"ingest runs at {rate:.2f}x VADER's rate", flush=True)
    return row("ingest rate vs VADER's, 20-mention pages", baseline="VADER on the same texts", baseline_s=base,
               candidate_s=cand, target=TARGET, op=">=", value=rate)


if __name__ == "__main__":
    main()
