"""A second Rapport (another process) on the same team database: what it stores reaches this one's EventBus, and
only one of them polls on its own. Real server, real processes, real signals."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from desktop.shell.team_updates import TeamUpdates
from tests.helpers.fixtures import PATIENCE_MS
from tests.helpers.postgres import wait_until

ROOT = Path(__file__).resolve().parents[2]

_TEAMMATE_TYPES_FEEDBACK = """
import sys
from desktop.records.ingest import MANUAL_SOURCE_ID, ingest
from desktop.store import alerts, connect
from scrapers.base import Mention
conn = connect(sys.argv[1])
result = ingest(conn, MANUAL_SOURCE_ID, [Mention(text="Missed the deadline twice.", author="Maya Chen", rating=1)],
                site="email")[0]
alerts.assign(conn, result.mention_id, "Ana")
print(result.mention_id, flush=True)
"""


def test_a_teammates_new_feedback_alert_and_assignment_reach_this_desktop(qtbot, bus, postgres_server) -> None:
    url = postgres_server.database()
    updates = TeamUpdates(url, bus)
    added, raised, assigned = [], [], []
    bus.mentions_added.connect(added.append)
    bus.alerts_raised.connect(raised.append)
    updates.assignments_changed.connect(assigned.append)
    updates.start()
    try:
        assert wait_until(lambda: _listening(postgres_server, url))
        teammate = subprocess.run([sys.executable, "-c", _TEAMMATE_TYPES_FEEDBACK, url], cwd=ROOT,
                                  capture_output=True, text=True, check=True, timeout=120)
        mention = int(teammate.stdout.split()[-1])
        qtbot.waitUntil(lambda: bool(assigned), timeout=PATIENCE_MS)
        assert added == [(mention,)] and raised == [[mention]] and assigned == [[mention]]
    finally:
        updates.stop()


def test_this_desktops_own_announcements_are_not_echoed_back(qtbot, bus, postgres_server) -> None:
    from desktop.store import alerts, connect

    url = postgres_server.database()
    updates = TeamUpdates(url, bus)
    heard = []
    updates.heard.connect(heard.append)
    updates.start()
    try:
        assert wait_until(lambda: _listening(postgres_server, url))
        conn = connect(url)
        try:
            alerts.assign(conn, 1, "Sam")  # no alert: nothing said
            from desktop.records.ingest import MANUAL_SOURCE_ID, ingest
            from scrapers.base import Mention

            ingest(conn, MANUAL_SOURCE_ID, [Mention(text="Awful.", author="Tom", rating=1)], site="email")
        finally:
            conn.close()
        other = subprocess.run([sys.executable, "-c", _TEAMMATE_TYPES_FEEDBACK, url], cwd=ROOT,
                               capture_output=True, text=True, check=True, timeout=120)
        mention = int(other.stdout.split()[-1])
        qtbot.waitUntil(lambda: len(heard) >= 3, timeout=PATIENCE_MS)
        assert [m["ids"] for m in heard] == [[mention]] * 3  # only the other process's, not this one's
    finally:
        updates.stop()


_TEAMMATE_ANSWERS = """
import sys
from datetime import datetime, timezone
from desktop.store import connect, drafts
conn = connect(sys.argv[1])
drafts.set_mention_posted(conn, int(sys.argv[2]), True, datetime(2026, 11, 9, 18, tzinfo=timezone.utc))
"""


def test_a_teammates_answer_refreshes_the_dashboard(qtbot, bus, postgres_server) -> None:
    """Another desktop marks a reply posted: this desktop's dashboard rebuilds with one
    unanswered negative fewer and that reply's time to answer, without anyone touching this window."""
    from datetime import datetime, timezone

    from desktop.store import connect
    from desktop.ui.dashboard_page import DashboardPage
    from tests.helpers.trend_data import seed

    url = postgres_server.database()
    conn = connect(url)
    seeded = seed(conn)
    page = DashboardPage(conn, clock=lambda: datetime(2026, 12, 20, tzinfo=timezone.utc))
    qtbot.addWidget(page)
    updates = TeamUpdates(url, bus)
    updates.changed.connect(page.on_store_changed)  # as the app wires it
    heard: list[dict] = []
    updates.heard.connect(heard.append)
    try:
        with qtbot.waitSignal(page.refreshed):
            page.show()
        assert (page.figures["unanswered"].text(), page.figures["answer_time"].text()) == ("2", "9.5 h")
        updates.start()
        assert wait_until(lambda: _listening(postgres_server, url))
        subprocess.run([sys.executable, "-c", _TEAMMATE_ANSWERS, url, str(seeded.mentions[1])], cwd=ROOT,
                       capture_output=True, text=True, check=True, timeout=120)
        qtbot.waitUntil(lambda: page.figures["unanswered"].text() == "1", timeout=PATIENCE_MS)
        # Posted 10 h after its alert (8:00): the answers took 5, 10 and 14 hours.
        assert page.figures["answer_time"].text() == "10.0 h"
        assert {m["what"] for m in heard} == {"drafts"}  # the empty draft, then its posting
    finally:
        updates.stop()
        page.shutdown()
        conn.close()


def _listening(server, url: str) -> bool:
    name = url.rsplit("/", 1)[1]
    with server.admin() as admin:
        return admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND query LIKE 'LISTEN%%'",
                             (name,)).fetchone()[0] > 0
