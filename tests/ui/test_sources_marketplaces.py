"""The Sources screen with the marketplace kinds: a css source's selectors previewed on the tested page and
kept with the source, a Freelancer.com reputation shown on the source, and a daily check cap."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from desktop.store import sources
from desktop.ui.source_dialog import SourceDialog
from desktop.ui.sources_page import SourcesPage
from tests.helpers.fault_server import Reply
from tests.helpers.fixtures import PATIENCE_MS, roomy_session
from tests.helpers.qt_garbage import delete_now
from tests.ui.test_sources_page import run_modal
from tests.helpers.settle import settle

SELECTORS = {"item": "article.testimonial", "text": ".testimonial__quote", "author": ".testimonial__name",
             "date": "time", "rating": ".testimonial__stars"}


@pytest.fixture
def session_factory(clock):
    return lambda: roomy_session(clock)


@pytest.fixture
def page(qtbot, conn, bus, clock, session_factory, gui_thread) -> Iterator[SourcesPage]:
    class IdleScheduler:  # this screen's tests never poll: a scheduler with nothing in flight
        paused = False
        in_flight = queued = ()

        def __init__(self) -> None:
            from PySide6.QtCore import QObject, Signal

            class Signals(QObject):
                paused_changed = Signal(bool)

            self._signals = Signals()
            self.paused_changed = self._signals.paused_changed

        def __getattr__(self, name):  # poll_now, pause, resume: nothing to do on this screen's tests
            return lambda *args, **kwargs: None

    idle = IdleScheduler()
    widget = SourcesPage(conn, bus, idle, clock=clock, session_factory=session_factory)
    settle(qtbot, widget)
    qtbot.addWidget(widget)
    yield widget
    delete_now(idle._signals)


def test_css_selectors_are_previewed_then_kept_with_the_source(qtbot, conn, page, fault_server) -> None:
    url = fault_server.route("/client-words/", Reply.page("css", "kind-words-page1.html"))

    def fill(dialog: SourceDialog) -> None:
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("css"))
        assert dialog.selector_editor.isVisibleTo(dialog)
        dialog.url_edit.setText(url)
        assert not dialog.ok_button.isEnabled()  # no selector for a review yet
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Test the source" not in dialog.selector_editor.preview.text(), timeout=PATIENCE_MS)
        dialog.selector_editor.set_selectors(SELECTORS)
        qtbot.waitUntil(lambda: "matches 2 elements" in dialog.selector_editor.preview.text(), timeout=PATIENCE_MS)
        assert "Grace Whitfield" in dialog.selector_editor.preview.text()
        assert dialog.ok_button.isEnabled()
        dialog.ok_button.click()

    run_modal(page.add_button.click, fill)
    settle(qtbot, page)
    [added] = sources.configured(conn)
    assert added.kind == "css" and added.config == {"selectors": SELECTORS}

    page.reload()
    settle(qtbot, page)
    page.select_source(added.id)

    def check(dialog: SourceDialog) -> None:
        assert dialog.selector_editor.edits["item"].text() == "article.testimonial"

    run_modal(page.edit_button.click, check)
    settle(qtbot, page)


def test_other_kinds_do_not_show_selectors_and_freelancer_is_checked_daily(qtbot, gui_thread, session_factory):
    dialog = SourceDialog(session_factory=session_factory)
    qtbot.addWidget(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("fiverr"))
    assert not dialog.selector_editor.isVisibleTo(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("freelancer"))
    assert dialog.interval_spin.maximum() == 24 * 60
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("feeds"))
    assert dialog.interval_spin.maximum() == 30 * 24 * 60  # the shared limit: 30 days
    dialog.reject()


def test_a_marketplace_reputation_is_shown_on_the_source(qtbot, conn, page, clock) -> None:
    source = sources.add(conn, "freelancer", "https://www.freelancer.com/u/marenholt")
    sources.record_success(conn, source.id, state="ok", at=clock(), etag=None, last_modified=None, cursor=None,
                           checkpoint={"user_id": 41822917, "summary": "4.7/5 from 48 reviews; 92% on time"})
    conn.commit()
    page.reload()
    settle(qtbot, page)
    page.select_source(source.id)
    assert "On the site: 4.7/5 from 48 reviews; 92% on time" in page.detail_label.text()


def test_an_upwork_key_and_secret_go_to_the_keyring(qtbot, conn, page) -> None:
    from desktop import secrets
    from tests.helpers.memory_keyring import installed_memory_keyring

    def fill(dialog: SourceDialog) -> None:
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("upwork"))
        assert set(dialog.credential_edits) == {"client_id", "client_secret"}  # the sign-in is not typed
        dialog.url_edit.setText("https://www.upwork.com/freelancers/~01a7c3e9d5b2f46180")
        dialog.credential_edits["client_id"].setText("key-123")
        dialog.credential_edits["client_secret"].setText("s3cret")
        dialog.ok_button.click()

    for _keyring in installed_memory_keyring():
        run_modal(page.add_button.click, fill)
        settle(qtbot, page)
        [added] = sources.configured(conn)
        assert secrets.get_secret(added.id, "client_id") == "key-123"
        assert secrets.get_secret(added.id, "client_secret") == "s3cret"
        assert "s3cret" not in repr(conn.execute("SELECT * FROM sources").fetchall())


def upwork_dialog(qtbot, conn, fault_server, session_factory, redirect: str) -> tuple[sources.SourceRow, SourceDialog]:
    """An Upwork source with its API key in the (installed) keyring, and its dialog open."""
    from desktop import secrets

    source = sources.add(conn, "upwork", fault_server.url("/freelancers/~01a7c3e9d5b2f46180"))
    secrets.set_secret(source.id, "key-123", "client_id")
    secrets.set_secret(source.id, "s3cret", "client_secret")
    dialog = SourceDialog(source=source, session_factory=session_factory, connect_options={"redirect_uri": redirect})
    qtbot.addWidget(dialog)
    return source, dialog


def test_connecting_upwork_from_the_dialog_keeps_the_sign_in(qtbot, conn, fault_server, session_factory,
                                                             gui_thread) -> None:
    import json
    import socket
    import threading
    from urllib.parse import parse_qs, urlsplit

    import requests

    from desktop import secrets
    from scrapers.oauth import Tokens
    from tests.helpers.memory_keyring import installed_memory_keyring

    fault_server.route("/api/v3/oauth2/token", Reply(200, json.dumps(
        {"access_token": "oat_ui", "refresh_token": "ort_ui", "expires_in": 86400}), content_type="application/json"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        redirect = f"http://127.0.0.1:{sock.getsockname()[1]}/upwork/callback"

    def approve(url: str) -> None:  # the browser: the user allows Rapport and is sent back
        state = parse_qs(urlsplit(url).query)["state"][0]
        threading.Thread(target=requests.get, args=(f"{redirect}?code=c0de&state={state}",),
                         kwargs={"timeout": 5}, daemon=True).start()

    for _keyring in installed_memory_keyring():
        source, dialog = upwork_dialog(qtbot, conn, fault_server, session_factory, redirect)
        assert dialog.connect_button.isVisibleTo(dialog)
        dialog.open_browser = approve
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.connect_status.text().startswith(("Connected", "Not connected")), timeout=PATIENCE_MS)
        assert dialog.connect_status.text().startswith("Connected")
        assert Tokens.from_json(secrets.get_secret(source.id, "tokens")).access_token == "oat_ui"
        dialog.reject()


def test_closing_the_dialog_while_the_browser_is_awaited_stops_the_sign_in(qtbot, conn, fault_server,
                                                                          session_factory, gui_thread, capfd) -> None:
    """The sign-in job waits for a browser that never comes back; closing the dialog cancels it at once (no
    five-minute wait on the GUI thread) and nothing is reported into the closed dialog."""
    import socket

    from desktop import secrets
    from tests.helpers.memory_keyring import installed_memory_keyring

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        redirect = f"http://127.0.0.1:{sock.getsockname()[1]}/upwork/callback"
    opened: list[str] = []
    for _keyring in installed_memory_keyring():
        source, dialog = upwork_dialog(qtbot, conn, fault_server, session_factory, redirect)
        dialog.open_browser = opened.append  # the user never allows Rapport
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(opened), timeout=PATIENCE_MS)
        assert "/oauth2/authorize?" in opened[0] and "state=" in opened[0]
        with qtbot.assertNotEmitted(dialog.connect_jobs.finished), qtbot.assertNotEmitted(dialog.connect_jobs.failed):
            dialog.reject()
            assert dialog.connect_jobs.pool.activeThreadCount() == 0
        assert dialog.connect_status.text() == "Waiting for you to allow Rapport in your browser…"
        assert secrets.get_secret(source.id, "tokens") is None
    assert "Signal source has been deleted" not in capfd.readouterr().err


def test_a_new_source_offers_no_connect_until_saved(qtbot, gui_thread, session_factory) -> None:
    dialog = SourceDialog(session_factory=session_factory)
    qtbot.addWidget(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("upwork"))
    assert not dialog.connect_button.isVisibleTo(dialog)
    dialog.reject()
