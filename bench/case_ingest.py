"""Ingest (dedupe, link, score, store, alert: one transaction a page) against plain VADER on the same texts.

Pages of 20 new 166-character reviews go into a copy of the 100,000-mention store (its indexes and
full-text index as big as a long-time user's), alternating page by page with VADER scoring the same 20
texts. The figure is the rate ratio, ingest's mentions a second over VADER's (target: at least 0.7). Two rows:

- the app's pipeline: a page's reviews are scored in the worker process (desktop/polling/worker_process.py)
  while the poll before it stores its page, as the app's poll threads overlap; each timed call stores page N
  while page N+1 is scored, and returns when both are done, so no work leaks outside the timed call;
- in one thread, score then store (`ingest()`: the command line's and import's path), for reference.
"""
from __future__ import annotations

import random
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import PAGE, copy_of, interleaved, page_mentions, review_texts, row, setup, store_100k

TARGET = 0.7
ROUNDS = 61


def main() -> list[dict[str, object]]:
    setup()
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from desktop.polling.worker_process import WorkerProcesses
    from desktop.records.ingest import ingest, score_new, store_scored
    from desktop.store import connect

    analyzer = SentimentIntensityAnalyzer()
    texts = review_texts(2 * (ROUNDS + 4) * PAGE, seed=99)
    rnd = random.Random(5)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        db = copy_of(store_100k(), Path(tmp))
        conn = connect(db)
        workers = WorkerProcesses(size=1)
        local = threading.local()
        scoring = ThreadPoolExecutor(1, initializer=lambda: setattr(local, "conn", connect(db)))
        try:
            source = conn.execute("SELECT id FROM sources WHERE kind = 'trustpilot' ORDER BY id LIMIT 1").fetchone()[0]
            pages = [page_mentions(9_999, 1_000 + i, texts[i * PAGE:(i + 1) * PAGE], rnd)
                     for i in range(2 * (ROUNDS + 4))]
            state = {"vader": 0, "ingest": 0}

            def vader() -> None:
                for m in pages[state["vader"] % len(pages)]:
                    analyzer.polarity_scores(m.text)
                state["vader"] += 1

            def score_page(i: int) -> object:
                return score_new(local.conn, source, pages[i], site="trustpilot", score_items=workers.score)

            ready = {0: scoring.submit(score_page, 0).result()}

            def pipelined() -> None:
                i = state["ingest"]
                following = scoring.submit(score_page, i + 1)
                results_ = store_scored(conn, ready.pop(i))
                ready[i + 1] = following.result()
                assert all(r.new for r in results_)
                state["ingest"] += 1

            def in_one_thread() -> None:
                i = state["ingest"]
                assert all(r.new for r in ingest(conn, source, pages[i], site="trustpilot"))
                state["ingest"] += 1

            for name, candidate in (("the app's pipeline (scored in the worker process)", pipelined),
                                    ("in one thread (CLI, import)", in_one_thread)):
                state["vader"] = 0
                base, cand, ratio = interleaved(vader, candidate, rounds=ROUNDS, warmup=1)
                rate = 1 / ratio
                print(f"  {name}: a page of {PAGE}: vader {base * 1e3:.1f} ms, ingest {cand * 1e3:.1f} ms; "
                      f"ingest runs at {rate:.2f}x VADER's rate", flush=True)
                results.append(row(f"ingest rate vs VADER's, 20-mention pages, {name}",
                                   baseline="VADER on the same texts", baseline_s=base, candidate_s=cand,
                                   target=TARGET if candidate is pipelined else None, op=">=", value=rate))
                state["ingest"] += 1  # the in-thread run starts on pages no one scored ahead
        finally:
            scoring.shutdown()
            workers.close()
            conn.close()
    return results


if __name__ == "__main__":
    main()
