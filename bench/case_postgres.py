"""The main figures on a team database against the same on SQLite, in the same run on the same 100,000 mentions.

The bench starts its own PostgreSQL server the way the tests do (tests/helpers/postgres.py: initdb into a
temporary folder, pg_ctl on a free 127.0.0.1 port, the store talking to it over TCP like a team's desktop) and
moves a copy of the 100,000-mention store into it with `rapport team migrate`'s own copy (timed, reported). A
server that cannot start fails the case: nothing is skipped. Then, alternated call by call:
- ingest: a page of 20 new reviews through ingest (dedupe, score, store, alert, announce) into each store;
- a filter change: what the inbox's store calls cost for one (its first window of 200 and the counts), for the
  same ten filters as case_inbox (label, unread, alerted, a client, ...);
- search: the first window and count for two-word searches (full-text: FTS5 on SQLite, tsvector + GIN with
  accent folding on PostgreSQL);
- the dashboard: a range change (the last year, all time) on a dashboard page of each store, until the page shows
  the new figures, as bench/case_dashboard.py times it on SQLite (target: under 200 ms on PostgreSQL too).
Each row's figure is PostgreSQL's time over SQLite's (no target: how much a team pays for sharing, reported).
"""
from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import PAGE, copy_of, interleaved, page_mentions, review_texts, row, setup, store_100k

INGEST_ROUNDS = 41
QUERY_ROUNDS = 40
SEARCHES = ("deadline refund", "great work", "communication slow", "invoice", "recommend again", "cafe")


def _filters(client: int) -> list:
    from desktop.store.mentions import Filter

    return [Filter(label="negative"), Filter(label="negative", unread=True),
            Filter(label="negative", unread=True, alerted=True), Filter(unread=True, alerted=True),
            Filter(alerted=True), Filter(), Filter(search="deadline refund"), Filter(), Filter(client=client),
            Filter()]


def _inbox_calls(conn, flt) -> int:  # noqa: ANN001
    """What the store does for the inbox on a filter change: the first window and the status bar's count."""
    from desktop.store import mentions

    return len(mentions.query(conn, flt, limit=200)) + mentions.count(conn, flt)


def _team_copy(lite, url: str):  # noqa: ANN001, ANN202
    """The SQLite store moved into the team database as `rapport team migrate` does, then read by one person as
    the single user had read it (read state is per person in a team). Returns (connection, seconds to copy)."""
    from desktop.store import connect, mentions
    from desktop.store.clock import utc_now
    from desktop.store.team_copy import copy_store

    pg = connect(url)
    pg.person = "Sam"
    t0 = time.perf_counter()
    copy_store(lite, pg)
    copied_s = time.perf_counter() - t0
    read = [r[0] for r in lite.execute("SELECT id FROM mentions WHERE read_at IS NOT NULL")]
    mentions.set_read(pg, read, True, utc_now())
    pg.execute("VACUUM (ANALYZE)")  # as autovacuum would soon after a bulk load (statistics, visibility map)
    return pg, copied_s


def _ingest_row(lite, pg) -> dict[str, object]:  # noqa: ANN001
    from desktop.records.ingest import ingest

    source = lite.execute("SELECT id FROM sources WHERE kind = 'trustpilot' ORDER BY id LIMIT 1").fetchone()[0]
    texts = review_texts((INGEST_ROUNDS + 2) * PAGE, seed=123)
    rnd = random.Random(8)
    pages = [page_mentions(8_888, 2_000 + i, texts[i * PAGE:(i + 1) * PAGE], rnd) for i in range(INGEST_ROUNDS + 2)]
    state = {"sqlite": 0, "postgresql": 0}

    def into(conn, key: str):  # noqa: ANN001, ANN202
        def one() -> None:
            results = ingest(conn, source, pages[state[key]], site="trustpilot")
            assert all(r.new for r in results)
            state[key] += 1
        return one

    base, cand, ratio = interleaved(into(lite, "sqlite"), into(pg, "postgresql"), rounds=INGEST_ROUNDS, warmup=1)
    print(f"  ingest a page of {PAGE}: SQLite {base * 1e3:.1f} ms, PostgreSQL {cand * 1e3:.1f} ms "
          f"({PAGE / base:.0f} vs {PAGE / cand:.0f} mentions/s), ratio {ratio:.2f}", flush=True)
    return row("team: ingest a 20-mention page, PostgreSQL vs SQLite", baseline="the same on SQLite",
               baseline_s=base, candidate_s=cand, target=None, value=ratio,
               sqlite_per_s=PAGE / base, postgresql_per_s=PAGE / cand)


def _alternating(lite, pg, calls: list, name: str, rounds: int) -> dict[str, object]:  # noqa: ANN001
    """Each call on both stores, alternated; the two must agree (the same rows found)."""
    state = {"sqlite": 0, "postgresql": 0}
    found: dict[str, list[int]] = {"sqlite": [], "postgresql": []}

    def on(conn, key: str):  # noqa: ANN001, ANN202
        def one() -> None:
            found[key].append(calls[state[key] % len(calls)](conn))
            state[key] += 1
        return one

    base, cand, ratio = interleaved(on(lite, "sqlite"), on(pg, "postgresql"), rounds=rounds, warmup=0)
    assert found["sqlite"] == found["postgresql"], (found["sqlite"][:10], found["postgresql"][:10])
    print(f"  {name}: SQLite {base * 1e3:.1f} ms, PostgreSQL {cand * 1e3:.1f} ms, ratio {ratio:.2f}", flush=True)
    return row(f"team: {name}, PostgreSQL vs SQLite", baseline="the same on SQLite", baseline_s=base,
               candidate_s=cand, target=None, value=ratio, sqlite_ms=base * 1e3, postgresql_ms=cand * 1e3)


DASHBOARD_TARGET_MS = 200.0
DASHBOARD_ROUNDS = 16


def _dashboard_row(lite, pg) -> dict[str, object]:  # noqa: ANN001
    """A range change on a dashboard page of each store, alternated, until each page shows the new figures."""
    from PySide6.QtWidgets import QApplication

    from bench.case_dashboard import RANGES
    from bench.case_dashboard import wait_for_figures as wait_for_page
    from desktop.ui.dashboard_page import DashboardPage

    app = QApplication.instance() or QApplication([])
    pages = {"sqlite": DashboardPage(lite), "postgresql": DashboardPage(pg)}
    shown: dict[str, list[int]] = {"sqlite": [], "postgresql": []}
    by_range: dict[int | None, list[float]] = {days: [] for days in RANGES}

    def wait_for_figures(key: str) -> None:
        shown[key].append(wait_for_page(app, pages[key]))

    state = {"sqlite": 0, "postgresql": 0}

    def change_range(key: str):  # noqa: ANN202
        def one() -> None:
            state[key] += 1
            days = RANGES[state[key] % len(RANGES)]
            t0 = time.perf_counter()
            pages[key].set_range(days)
            wait_for_figures(key)
            if key == "postgresql":
                by_range[days].append(time.perf_counter() - t0)
        return one

    try:
        for key, page in pages.items():
            page.resize(1100, 720)
            page.show()
            wait_for_figures(key)  # the first build, on show
        base, cand, ratio = interleaved(change_range("sqlite"), change_range("postgresql"), rounds=DASHBOARD_ROUNDS,
                                        warmup=1)
    finally:
        for page in pages.values():
            page.shutdown()
            page.close()
    assert shown["sqlite"] == shown["postgresql"] and min(shown["postgresql"]) > 0, shown  # the same figures
    ranges = {("all_time_ms" if days is None else f"last_{days}_days_ms"): statistics.median(t) * 1e3
              for days, t in by_range.items()}
    print(f"  dashboard range change: SQLite {base * 1e3:.0f} ms, PostgreSQL {cand * 1e3:.0f} ms, ratio {ratio:.2f};"
          f" PostgreSQL {', '.join(f'{k[:-3]} {v:.0f} ms' for k, v in ranges.items())}", flush=True)
    return row("team: dashboard range change on PostgreSQL, 100k store", baseline="the same on SQLite",
               baseline_s=base, candidate_s=cand, target=DASHBOARD_TARGET_MS, op="<", value=cand * 1e3, unit="ms",
               ratio_to_sqlite=ratio, **ranges)


def main() -> list[dict[str, object]]:
    setup()
    from desktop.store import connect
    from desktop.store.mentions import Filter
    from tests.helpers.postgres import started_server  # the tests' throwaway server: fails loudly, never skips

    server = started_server(shared_buffers="128MB")  # PostgreSQL's default: the 100k store's indexes stay cached
    try:
        with tempfile.TemporaryDirectory() as tmp:
            lite = connect(copy_of(store_100k(), Path(tmp)))
            pg = None
            try:
                pg, copied_s = _team_copy(lite, server.database())
                n = lite.execute("SELECT count(*) FROM mentions").fetchone()[0]
                print(f"  team migrate of the {n:,}-mention store: {copied_s:.1f} s", flush=True)
                client = lite.execute("SELECT id FROM clients ORDER BY id LIMIT 1").fetchone()[0]
                filters = [lambda conn, f=f: _inbox_calls(conn, f) for f in _filters(client)]
                searches = [lambda conn, s=s: _inbox_calls(conn, Filter(search=s)) for s in SEARCHES]
                rows = [_alternating(lite, pg, filters, "a filter change (first window and count)", QUERY_ROUNDS),
                        _alternating(lite, pg, searches, "a search (first window and count)", QUERY_ROUNDS),
                        _dashboard_row(lite, pg), _ingest_row(lite, pg)]
                rows.append(row("team: `rapport team migrate` of the 100k store", baseline="(seconds)",
                                baseline_s=1.0, candidate_s=copied_s, target=None, value=copied_s, unit="s"))
                return rows
            finally:
                if pg is not None:
                    pg.close()
                lite.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
