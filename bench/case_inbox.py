"""The inbox on the 100,000-mention store: scrolling to the end, changing filters, and memory after scrolling.

- scroll: the inbox page fetching window after window until all 100,000 rows are loaded, against one
  query reading every row of the same SELECT (target: at most 3x). Alternated run by run.
- filter: what a user waits for after changing a filter on the page (the new first window, the selection and
  their repaint; the status bar's count follows them), against the raw SQL of that first window (the page's
  WINDOW rows); alternated change by change (target: under 30 ms a change).
- count: the status bar's background count of "negative + unread" (what the tray's summary opens), against the
  count of every unread mention (its own partial index), with the plan SQLite chose; no target.
- memory: peak RSS of a fresh process that opens the inbox page and scrolls to the end (target: under
  250 MB), against a fresh process that only opens Qt and the store.
"""
from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

from bench.common import ROOT, interleaved, row, setup, store_100k

SCROLL_TARGET = 3.0
FILTER_TARGET_MS = 30.0
MEMORY_TARGET_MB = 250.0

_WORDS = ("late delivery great work communication slow excellent broken invoice design logo website "
          "deadline friendly helpful refund rude amazing recommend revisions budget quick").split()


def fill(conn: sqlite3.Connection, n: int = 100_000, seed: int = 5) -> None:
    """Fill a store fast (executemany, one transaction): realistic shapes, not realistic scoring.

    For tests that count queries on a big store (tests/ui/test_inbox_100k.py); the bench itself uses
    bench.common.store_100k, built through ingest."""
    from desktop.store import clients, sources
    from desktop.store.db import transaction

    rnd = random.Random(seed)
    reddit = sources.add(conn, "reddit", "https://www.reddit.com/search.json?q=acme", label="Reddit search").id
    feed = sources.add(conn, "feeds", "https://example.org/reviews.rss", label="Reviews feed").id
    client_ids = [clients.add(conn, f"Client {i}", handles=[("upwork", f"client_{i}")]).id for i in range(20)]
    start = datetime(2020, 1, 1, tzinfo=timezone.utc)
    rows = []
    for i in range(n):
        label = rnd.choice(("positive", "positive", "neutral", "negative"))
        compound = {"positive": 0.6, "neutral": 0.0, "negative": -0.6}[label] + rnd.uniform(-0.3, 0.3)
        text = " ".join(rnd.choice(_WORDS) for _ in range(rnd.randint(8, 40)))
        when = (start + timedelta(minutes=30 * i)).isoformat(timespec="seconds")
        rows.append((rnd.choice((reddit, feed)), f"id:{i}", f"ext{i}", "reddit", f"user_{rnd.randint(1, 5000)}",
                     f"https://www.reddit.com/r/freelance/comments/{i}", "", text, when,
                     rnd.choice((None, 1.0, 2.0, 3.0, 4.0, 5.0)), when, compound, label, "[]",
                     rnd.choice(client_ids) if rnd.random() < 0.2 else None,
                     when if rnd.random() < 0.6 else None))
    with transaction(conn):
        conn.executemany(
            "INSERT INTO mentions (source, dedupe_key, external_id, site, author, url, title, text, posted_at,"
            " rating, fetched_at, compound, label, reasons_json, client, read_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("ANALYZE")


_MEMORY_SCRIPT = """
import json, os, resource, sys
sys.path.insert(0, {root!r})
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
from desktop.store import connect
app = QApplication([])
conn = connect({db!r}, migrate=False)
loaded = 0
if {scroll!r}:
    from desktop.ui.inbox import InboxPage
    from bench.case_inbox import until_answered
    page = InboxPage(conn)
    page.resize(1200, 700)
    page.show()
    until_answered(page.model)
    while page.model.canFetchMore():  # each window is read in the model's thread
        page.model.fetchMore()
        until_answered(page.model)
    loaded = page.model.rowCount()
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]  # ru_maxrss survives exec
print(json.dumps({{"rows": loaded, "max_rss_kb": int(hwm)}}))
"""


def _all_rows_sql(conn) -> list:  # noqa: ANN001
    from desktop.store import mentions

    select, args = mentions._select(conn)
    return conn.execute(f"{select} ORDER BY {mentions.SORT_COLUMNS['when']} DESC, m.id DESC", args).fetchall()


def until_answered(model) -> None:  # noqa: ANN001
    """Run the event loop until the model's reads are answered (its rows arrive from the model's thread), as
    the app's own loop does: waiting in Qt, not in a Python loop that would take the interpreter from the
    reading thread again and again."""
    from PySide6.QtCore import QEventLoop

    while model.reading():
        loop = QEventLoop()
        model.reader.busy_changed.connect(loop.quit)
        if model.reading():
            loop.exec()
        model.reader.busy_changed.disconnect(loop.quit)


def until_shown(app, page) -> None:  # noqa: ANN001
    """The page's new rows, then the repaint the user waits for."""
    until_answered(page.model)
    app.processEvents()


def scroll(db) -> dict[str, object]:  # noqa: ANN001
    from PySide6.QtWidgets import QApplication

    from desktop.store import connect
    from desktop.ui.inbox import InboxPage

    app = QApplication.instance() or QApplication([])
    conn = connect(db, migrate=False)
    counts = []
    try:
        def one_query() -> None:
            counts.append(len(_all_rows_sql(conn)))

        def scroll_to_end() -> None:
            page = InboxPage(conn)
            page.resize(1200, 700)
            page.show()
            until_answered(page.model)
            while page.model.canFetchMore():  # each window is read in the model's thread
                page.model.fetchMore()
                until_answered(page.model)
            counts.append(page.model.rowCount())
            page.close()
            page.deleteLater()
            app.processEvents()

        base, cand, ratio = interleaved(one_query, scroll_to_end, rounds=3, warmup=0)
    finally:
        conn.close()
    assert set(counts) == {100_000}, counts
    print(f"  scroll to the end: one query {base:.2f} s, inbox {cand:.2f} s, ratio {ratio:.2f}", flush=True)
    return row("inbox: scroll to the end of 100k", baseline="one query for all rows", baseline_s=base,
               candidate_s=cand, target=SCROLL_TARGET, value=ratio)


def filters(db) -> dict[str, object]:  # noqa: ANN001
    from PySide6.QtWidgets import QApplication

    from desktop.store import connect, mentions
    from desktop.ui.inbox import InboxPage
    from desktop.ui.inbox_model import WINDOW

    app = QApplication.instance() or QApplication([])
    conn = connect(db, migrate=False)
    try:
        page = InboxPage(conn)
        page.resize(1200, 700)
        page.show()
        until_shown(app, page)
        client = conn.execute("SELECT id FROM clients ORDER BY id LIMIT 1").fetchone()[0]
        steps = [
            lambda: page.label_combo.setCurrentIndex(page.label_combo.findData("negative")),
            lambda: page.unread_check.setChecked(True),
            lambda: page.alerted_check.setChecked(True),
            lambda: page.label_combo.setCurrentIndex(0),
            lambda: page.unread_check.setChecked(False),
            lambda: page.alerted_check.setChecked(False),
            lambda: (page.search_edit.setText("deadline refund"), page.on_filters_changed()),
            lambda: (page.search_edit.setText(""), page.on_filters_changed()),
            lambda: page.client_combo.setCurrentIndex(page.client_combo.findData(client)),
            lambda: page.client_combo.setCurrentIndex(0),
        ]
        shown = []  # the filter after each step, recorded on a first (untimed) pass, which also warms up
        for step in steps:
            step()
            until_shown(app, page)
            shown.append(page.current_filter())
        state = {"page": 0, "sql": 0}

        def change() -> None:
            steps[state["page"] % len(steps)]()
            until_shown(app, page)  # the new rows from the model's thread, and the repaint the user waits for
            state["page"] += 1

        def raw_sql() -> None:
            # The first window of the same filter, as bare SQL.
            where, args = mentions._where(conn, shown[state["sql"] % len(steps)])
            select, select_args = mentions._select(conn)
            conn.execute(f"{select}{where} ORDER BY {mentions.SORT_COLUMNS['when']} DESC, m.id DESC"
                         f" LIMIT {WINDOW}", [*select_args, *args]).fetchall()
            state["sql"] += 1

        base, cand, ratio = interleaved(raw_sql, change, rounds=4 * len(steps), warmup=0)
        page.close()
    finally:
        conn.close()
    print(f"  filter change: raw SQL {base * 1e3:.1f} ms, page {cand * 1e3:.1f} ms, ratio {ratio:.1f}", flush=True)
    return row("inbox: a filter change, page level", baseline="raw SQL of the first window", baseline_s=base,
               candidate_s=cand, target=FILTER_TARGET_MS, op="<", value=cand * 1e3, unit="ms", ratio_to_sql=ratio)


def negative_unread_count(db) -> dict[str, object]:  # noqa: ANN001
    from desktop.store import connect, mentions
    from desktop.store.mentions import Filter

    conn = connect(db, migrate=False)
    try:
        negative_unread = Filter(label="negative", unread=True)
        where, args = mentions._where(conn, negative_unread)
        plan = " | ".join(str(r[3]) for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM mentions m" + where, args))
        base, cand, ratio = interleaved(lambda: mentions.count(conn, Filter(unread=True)),
                                        lambda: mentions.count(conn, negative_unread), rounds=15)
    finally:
        conn.close()
    print(f"  negative + unread count {cand * 1e3:.1f} ms (every unread {base * 1e3:.1f} ms); plan: {plan}",
          flush=True)
    return row("inbox: the negative + unread count", baseline="count of every unread", baseline_s=base,
               candidate_s=cand, target=None, value=cand * 1e3, unit="ms", plan=plan)


def memory(db) -> dict[str, object]:  # noqa: ANN001
    def rss(scroll: bool) -> tuple[int, float]:
        script = _MEMORY_SCRIPT.format(root=str(ROOT), db=str(db), scroll=scroll)
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
        out = json.loads(done.stdout.strip().splitlines()[-1])
        return out["rows"], (time.perf_counter() - t0, out["max_rss_kb"] / 1024)[1]

    _, base_mb = rss(False)
    rows, cand_mb = rss(True)
    assert rows == 100_000, rows
    print(f"  peak RSS: Qt and the store {base_mb:.0f} MB, after scrolling 100k {cand_mb:.0f} MB", flush=True)
    return row("peak RSS after scrolling 100k", baseline="Qt + store open (MB)", baseline_s=base_mb,
               candidate_s=cand_mb, target=MEMORY_TARGET_MB, op="<", value=cand_mb, unit="MB")


def main() -> list[dict[str, object]]:
    setup()
    from desktop.shell.app import GIL_SWITCH_S

    db = store_100k()
    # As the app runs (RapportApp.start): a thread waiting for the interpreter gets it within 1 ms, not 5. A
    # filter change hands the interpreter to the inbox's reading thread and back.
    switch = sys.getswitchinterval()
    sys.setswitchinterval(GIL_SWITCH_S)
    try:
        return [scroll(db), filters(db), negative_unread_count(db), memory(db)]
    finally:
        sys.setswitchinterval(switch)


if __name__ == "__main__":
    main()
