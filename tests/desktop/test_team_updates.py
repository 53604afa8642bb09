"""A second Rapport (another process) on the same team database: what it stores reaches this one's EventBus, and
only one of them polls on its own. Real server, real processes, real signals."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from desktop.shell.team_updates import TeamUpdates
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
        qtbot.waitUntil(lambda: bool(assigned), timeout=10_000)
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
        qtbot.waitUntil(lambda: len(heard) >= 3, timeout=10_000)
        assert [m["ids"] for m in heard] == [[mention]] * 3  # only the other process's, not this one's
    finally:
        updates.stop()


def _listening(server, url: str) -> bool:
    name = url.rsplit("/", 1)[1]
    with server.admin() as admin:
        return admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND query LIKE 'LISTEN%%'",
                             (name,)).fetchone()[0] > 0
