"""What the bench cases share: interleaved timing, the result row, and the cached 100,000-mention store.

The machine is shared and noisy, so a case never times its baseline and Rapport in two separate
stretches: it alternates small chunks of each and takes the median of the paired ratios, so a burst of
load hits both sides of a pair and the ratio stays put even when absolute times swing.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
DATA = ROOT / "tests" / "data"

N_MENTIONS = 100_000
N_SOURCES = 200
N_HOSTS = 20
PAGE = 20  # mentions per ingested page, as a Trustpilot page has
STORE_VERSION = 3  # bump when the way the store is built changes


def setup() -> None:
    """Headless Qt and the project importable, for a case run on its own (`python -m bench.case_x`)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def row(name: str, *, baseline: str, baseline_s: float, candidate_s: float, target: float | None,
        op: str = "<=", value: float | None = None, unit: str = "x", **detail: object) -> dict[str, object]:
    """One line of the table. `value` is what the target is checked against: the ratio by default."""
    ratio = candidate_s / baseline_s if baseline_s else float("inf")
    value = ratio if value is None else value
    met = None if target is None else {"<=": value <= target, "<": value < target, ">=": value >= target}[op]
    return {"name": name, "baseline": baseline, "baseline_s": baseline_s, "candidate_s": candidate_s,
            "ratio": ratio, "value": value, "unit": unit, "target": target, "op": op, "met": met, **detail}


def interleaved(baseline: Callable[[], object], candidate: Callable[[], object], *, rounds: int,
                warmup: int = 1, self_timed: bool = False) -> tuple[float, float, float]:
    """(median baseline s, median candidate s, median of the per-round ratios), alternating one call each.

    `self_timed`: the functions return the seconds that count (a process timed to its first paint, not
    to its exit), instead of being timed whole.
    """
    for _ in range(warmup):
        baseline()
        candidate()
    base_times, cand_times, ratios = [], [], []
    for i in range(rounds):
        # Alternate which side goes first, so neither always runs on a cache the other warmed.
        order = ((baseline, base_times), (candidate, cand_times))
        for func, times in (order if i % 2 == 0 else order[::-1]):
            t0 = time.perf_counter()
            measured = func()
            times.append(float(measured) if self_timed else time.perf_counter() - t0)  # type: ignore[arg-type]
        ratios.append(cand_times[-1] / base_times[-1] if base_times[-1] else float("inf"))
    return statistics.median(base_times), statistics.median(cand_times), statistics.median(ratios)


# -- the 100,000-mention store ---------------------------------------------------------------------------
def _sentences() -> list[str]:
    out: list[str] = []
    for name in sorted(DATA.glob("*.jsonl")):
        with open(name, encoding="utf-8") as f:
            out.extend(json.loads(line)["text"].strip() for line in f if line.strip())
    return [s for s in out if s]


def review_texts(n: int, seed: int = 7) -> list[str]:
    """n reviews of about 166 characters, made of real review sentences from the test data."""
    sentences = _sentences()
    rnd = random.Random(seed)
    texts = []
    for _ in range(n):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < 150:
            sentence = rnd.choice(sentences)
            parts.append(sentence if sentence[-1] in ".!?" else sentence + ".")
        texts.append(" ".join(parts)[:200])
    return texts


def source_url(i: int, port: int) -> str:
    return f"http://127.0.0.{2 + i % N_HOSTS}:{port}/review/studio{i}.example"


def page_mentions(source_index: int, page: int, texts: list[str], rnd: random.Random) -> list:
    """One Trustpilot-like page of new mentions for a source (unique review ids)."""
    from scrapers.base import Mention

    start = datetime(2022, 1, 1, tzinfo=timezone.utc)
    out = []
    for k, text in enumerate(texts):
        n = page * PAGE + k
        out.append(Mention(text=text, author=f"Reviewer {rnd.randint(1, 30_000)}",
                           url=f"https://www.trustpilot.com/reviews/s{source_index}r{n}",
                           external_id=f"s{source_index}r{n}",
                           posted_at=start + timedelta(minutes=rnd.randint(0, 4 * 365 * 24 * 60)),
                           rating=float(rnd.choice((1, 2, 3, 4, 5, 5, 4, 1))), title="", language="en"))
    return out


def _store_key() -> str:
    """The builder's own code and sizes: a change builds a new store. A schema change does not: the cached
    store is brought up to date by the app's own migrations when opened, as a user's store would be."""
    import inspect

    digest = hashlib.sha256()
    for func in (_build, review_texts, page_mentions, source_url, _sentences):
        digest.update(inspect.getsource(func).encode())
    digest.update(f"{STORE_VERSION} {N_MENTIONS} {N_SOURCES} {N_HOSTS} {PAGE}".encode())
    return digest.hexdigest()[:16]


def store_100k() -> Path:
    """The cached store: 100,000 mentions from 200 sources on 20 hosts, built through ingest, 60% read.

    Built once per builder version (a few minutes) under bench/.cache, which git ignores, then migrated.
    Cases copy it (`copy_of`) before changing it.
    """
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"store-{_store_key()}.sqlite3"
    if path.exists():
        from desktop.store import connect

        connect(path).close()  # up to the current schema (a no-op when it is)
        return path
    for old in CACHE.glob("store-*.sqlite3*"):
        old.unlink()
    building = path.with_suffix(".building")
    if building.exists():
        building.unlink()
    print(f"building the {N_MENTIONS:,}-mention store through ingest (once; cached in {CACHE})", flush=True)
    _build(building)
    building.rename(path)
    return path


def _build(path: Path) -> None:
    from desktop.records.ingest import ingest
    from desktop.store import clients, connect, sources

    rnd = random.Random(11)
    texts = review_texts(N_MENTIONS)
    conn = connect(path)
    try:
        for i in range(20):
            clients.add(conn, f"Client {i}", handles=[("trustpilot", f"Reviewer {i + 1}")])
        ids = [sources.add(conn, "trustpilot", source_url(i, 1), label=f"Studio {i}").id for i in range(N_SOURCES)]
        per_source = N_MENTIONS // N_SOURCES
        t0 = time.perf_counter()
        for page in range(per_source // PAGE):
            for i, source_id in enumerate(ids):
                offset = (page * N_SOURCES + i) * PAGE
                ingest(conn, source_id, page_mentions(i, page, texts[offset:offset + PAGE], rnd), site="trustpilot")
            done = (page + 1) * N_SOURCES * PAGE
            if page % 5 == 4:
                print(f"  {done:,} mentions, {time.perf_counter() - t0:.0f} s", flush=True)
        # 60% read; reading a mention marks its alert seen, as the app does.
        conn.execute("UPDATE mentions SET read_at = fetched_at WHERE (id * 7919) % 10 < 6")
        conn.execute("UPDATE alerts SET seen_at = (SELECT read_at FROM mentions m WHERE m.id = alerts.mention)"
                     " WHERE seen_at IS NULL")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def copy_of(store: Path, directory: Path) -> Path:
    """A private copy of a store, for a case that polls or ingests into it."""
    target = directory / store.name
    shutil.copyfile(store, target)
    return target


def describe_store(path: Path) -> dict[str, int]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {"mentions": one("SELECT count(*) FROM mentions"), "alerts": one("SELECT count(*) FROM alerts"),
                "read": one("SELECT count(*) FROM mentions WHERE read_at IS NOT NULL"),
                "avg_chars": int(one("SELECT avg(length(text)) FROM mentions") or 0)}
    finally:
        conn.close()
