"""Start-up on a team database: the window says it is connecting while the connect runs in the background, a
failure is said in words with a way on (try again, this desktop's own store, quit), and a server that never
answers does not hold the user: they go on with their own store at once."""
from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator

import pytest

from desktop.shell.team_connecting import Choice, TeamConnecting
from tests.helpers.fixtures import PATIENCE_MS


class SilentServer:
    """A TCP server that accepts connections and never says a word (a team database's host gone half-dead)."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            self.accepted.append(client)

    def close(self) -> None:
        for client in self.accepted:
            client.close()
        self.listener.close()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def _connecting(qtbot, url: str) -> TeamConnecting:  # noqa: ANN001
    window = TeamConnecting(url)
    qtbot.addWidget(window)
    window.start()
    window.show()
    return window


def test_a_reachable_team_database_opens_in_the_background(qtbot, postgres_server) -> None:
    url = postgres_server.database()
    window = _connecting(qtbot, url)
    assert window.message.text().startswith(f"Connecting to the team database {url.rsplit('/', 1)[1]} at "
                                            f"127.0.0.1:{postgres_server.port}…")
    with qtbot.waitSignal(window.finished, timeout=PATIENCE_MS) as ended:
        pass
    choice, conn = ended.args
    try:
        assert choice is Choice.CONNECTED and conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
        assert not window.isVisible()
    finally:
        conn.close()


def test_a_server_that_never_answers_does_not_hold_the_user(qtbot, silent_server) -> None:
    window = _connecting(qtbot, f"postgresql://rapport_test@127.0.0.1:{silent_server.port}/rapport")
    qtbot.waitUntil(lambda: bool(silent_server.accepted))  # the connect is under way, waiting for an answer
    qtbot.waitUntil(window.isVisible)  # and the window is live meanwhile: the event loop runs
    assert window.busy_bar.isVisible() and window.own_store_button.isVisible()
    with qtbot.waitSignal(window.finished, timeout=PATIENCE_MS) as ended:
        window.own_store_button.click()
    assert ended.args == [Choice.OWN_STORE, None]
    assert window.opener.busy  # the connect still waits; it ends in the background, and its result is dropped
    silent_server.close()
    qtbot.waitUntil(lambda: not window.opener.busy, timeout=PATIENCE_MS)


def test_an_unreachable_server_is_said_in_words_with_a_way_on(qtbot, caplog) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    window = _connecting(qtbot, f"postgresql://rapport_test@127.0.0.1:{port}/rapport")
    qtbot.waitUntil(window.retry_button.isVisible, timeout=PATIENCE_MS)
    said = window.message.text()
    assert said.startswith(f"Rapport could not connect to the team database rapport at 127.0.0.1:{port}: ")
    assert said.count(f"127.0.0.1:{port}") == 1 and "cannot reach" not in said.lower()  # the server named once
    # An expected condition: a warning with the reason, no error and no traceback in the log.
    failures = [r for r in caplog.records if "could not" in r.getMessage()]
    assert failures and all(r.levelname == "WARNING" and r.exc_info is None for r in failures)
    assert f"cannot reach the team database at 127.0.0.1:{port}" in failures[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "this desktop's own store" in said and not window.busy_bar.isVisible()
    window.retry_button.click()  # tries again, saying so
    assert window.message.text().startswith("Connecting to") and not window.retry_button.isVisible()
    qtbot.waitUntil(window.retry_button.isVisible, timeout=PATIENCE_MS)
    with qtbot.waitSignal(window.finished) as ended:
        window.quit_button.click()
    assert ended.args == [Choice.QUIT, None]
