"""Settings > Team applied live: saving a team database's address moves the running window onto it (store
connection, the team's listener and the poller lock), saving an empty one moves it back, and an address that
cannot be reached leaves the window on its store and says why. Against the suite's real PostgreSQL server."""
from __future__ import annotations

import socket
import sqlite3
import threading
from collections.abc import Iterator

import pytest

from desktop import paths
from desktop.records.ingest import MANUAL_SOURCE_ID, ingest
from desktop.shell.app import RapportApp
from desktop.store import connect, team
from desktop.store.db import is_team
from desktop.ui.main_window import PAGE_SETTINGS
from scrapers.base import Mention
from scrapers.guard import clear_gui_thread
from tests.helpers.fixtures import PATIENCE_MS
from tests.helpers.qt_garbage import delete_now


@pytest.fixture
def app(qtbot, conn, db_path) -> Iterator[RapportApp]:
    """A single user's Rapport on its own store, started, whose store follows Settings > Team."""
    rapport = RapportApp(conn, db_path, use_tray=False, follows_team_setting=True,
                         scheduler_options={"tick_ms": 3_600_000})
    qtbot.addWidget(rapport.window)
    rapport.start()
    yield rapport
    rapport.shutdown()
    delete_now(rapport)
    rapport.conn.close()
    clear_gui_thread()


def _save(qtbot, app: RapportApp, url: str, name: str = "") -> None:
    app.window.sidebar.setCurrentRow(PAGE_SETTINGS)
    page = app.settings_page
    page.team.url_edit.setText(url)
    page.team.name_edit.setText(name)
    page.save_button.click()


def _activity(postgres_server, url: str) -> tuple[int, int]:
    """(LISTEN connections, advisory locks held) on the database at `url`, as the server sees them."""
    name = url.rsplit("/", 1)[1]
    with postgres_server.admin() as admin:
        listening = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND query LIKE 'LISTEN%%'",
                                  (name,)).fetchone()[0]
        locks = admin.execute("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                              " WHERE l.locktype = 'advisory' AND d.datname = %s", (name,)).fetchone()[0]
    return listening, locks


def test_saving_a_team_address_switches_the_window_live_and_clearing_it_switches_back(
        qtbot, app, conn, postgres_server) -> None:
    url = postgres_server.database()
    teammate = connect(url)
    try:
        [result] = ingest(teammate, MANUAL_SOURCE_ID, [Mention(text="Missed the deadline twice.", author="Maya Chen",
                                                               rating=1)], site="email")
    finally:
        teammate.close()
    old_window = app.window
    with qtbot.waitSignal(app.store_switched, timeout=PATIENCE_MS) as switched:
        _save(qtbot, app, url, "Sam")
        # Kept in the background first (keyring and team.json), then connected in the background too.
        assert app.settings_page.team.note_label.text() == "Saving the team setting…"
        qtbot.waitUntil(lambda: app.settings_page.team.note_label.text().startswith("Connecting this window to ")
                        or app.db_path == url, timeout=PATIENCE_MS)
    assert switched.args == [url] and app.db_path == url and is_team(app.db_path)
    assert team.person(app.conn) == "Sam"
    assert app.window is not old_window and app.window.isVisible()
    assert app.window.pages.currentIndex() == PAGE_SETTINGS
    # What ran on the old store ends in the background; then the page says so and its connection is closed.
    qtbot.waitUntil(lambda: app.settings_page.team.note_label.text() == f"This window is connected to {url}.",
                    timeout=PATIENCE_MS)
    with pytest.raises(sqlite3.ProgrammingError):
        conn.execute("SELECT 1")  # the old store's connection is closed
    qtbot.waitUntil(lambda: app.window.inbox.model.row_of(result.mention_id) is not None, timeout=PATIENCE_MS)
    qtbot.waitUntil(lambda: app.scheduler.role.held, timeout=PATIENCE_MS)  # the team's poller now
    qtbot.waitUntil(lambda: _activity(postgres_server, url) == (1, 1), timeout=PATIENCE_MS)  # listening, lock held

    with qtbot.waitSignal(app.store_switched, timeout=PATIENCE_MS):
        _save(qtbot, app, "")
    assert app.db_path == paths.db_target(None) and not is_team(app.db_path)
    assert app.conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0  # this desktop's own store
    qtbot.waitUntil(lambda: _activity(postgres_server, url) == (0, 0), timeout=PATIENCE_MS)  # listener and lock gone


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_address_keeps_the_window_on_its_store_and_says_why(qtbot, app, conn, db_path) -> None:
    url = f"postgresql://rapport_test@127.0.0.1:{_unused_port()}/rapport"
    window = app.window
    with qtbot.waitSignal(app.store_switch_failed, timeout=PATIENCE_MS) as failed:
        _save(qtbot, app, url)
    assert failed.args[0] == url and "cannot reach the team database at 127.0.0.1:" in failed.args[1]
    assert app.conn is conn and app.db_path == db_path and app.window is window
    assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] > 0  # still open and in use
    note = app.settings_page.team.note_label.text()
    assert "could not connect to it: cannot reach the team database" in note and str(db_path) in note
    assert app.scheduler.role.held  # still this desktop's own poller
    connect_now = app.settings_page.team.connect_button
    assert connect_now.isVisible()
    with qtbot.waitSignal(app.store_switch_failed, timeout=PATIENCE_MS):  # tried again: still unreachable
        connect_now.click()
    assert app.conn is conn and connect_now.isVisible()


def test_leaving_a_team_database_gone_silent_keeps_the_window_live(qtbot, app, postgres_server) -> None:
    """Switching back to this desktop's own store while the team database's host is silent (a write stuck on it
    until the network gives up, up to a minute): the window moves at once and stays live, says it closes the
    previous store in the background, and the old store's parts go once the stuck write ends."""
    from PySide6.QtCore import QTimer

    from tests.helpers.silent_relay import SilentRelay

    relay = SilentRelay(postgres_server.port)
    # Bounds the test on a build that waits on the GUI thread: the relay closes, the wait ends, the asserts fail.
    # Started once the relay is silent (before, nothing can wait on it), with the suite's patience: a 60 s timer
    # started with the test fired mid-switch on a loaded machine and failed a good build.
    safety = threading.Timer(PATIENCE_MS / 1000, relay.close)
    try:
        url = postgres_server.database().replace(f":{postgres_server.port}/", f":{relay.port}/")
        with qtbot.waitSignal(app.store_switched, timeout=PATIENCE_MS):
            _save(qtbot, app, url, "Sam")
        qtbot.waitUntil(lambda: app.settings_page.team.note_label.text() == f"This window is connected to {url}.",
                        timeout=PATIENCE_MS)
        wrote: list[object] = []
        app.writer.write(lambda conn: conn.execute("SELECT 1").fetchone()[0], what="reach the team database",
                         done=wrote.append)
        qtbot.waitUntil(lambda: wrote == [1], timeout=PATIENCE_MS)  # the writer's connection is open
        relay.go_silent()
        safety.start()
        stuck: list[object] = []
        app.writer.write(lambda conn: conn.execute("SELECT 2").fetchone()[0], what="reach the team database",
                         done=stuck.append, failed=stuck.append)
        ticks = [0]
        beat = QTimer(interval=20)
        beat.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
        beat.start()
        with qtbot.waitSignal(app.store_switched, timeout=PATIENCE_MS):
            _save(qtbot, app, "")
        assert not relay.closed.is_set() and not is_team(app.db_path)  # moved while the old write is stuck
        note = app.settings_page.team.note_label
        assert note.text().endswith("Closing the previous store in the background…")
        seen = ticks[0]
        qtbot.waitUntil(lambda: ticks[0] >= seen + 10, timeout=PATIENCE_MS)  # the event loop runs meanwhile
        assert not relay.closed.is_set() and note.text().endswith("in the background…") and stuck == []
        with qtbot.waitSignal(app.old_store_closed, timeout=PATIENCE_MS):
            relay.close()  # the host's network gives up: the stuck write fails, the old store goes
        assert note.text() == "This desktop uses its own store. Save a team database's address to share one inbox."
        beat.stop()
    finally:
        safety.cancel()
        relay.close()
