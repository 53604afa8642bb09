"""The Sources screen: the add/edit dialog (validation, test fetch, secrets), the table driven by a real
Scheduler polling a real fault server, pause/resume, remove, and the status-bar poll progress."""
from __future__ import annotations

import threading

from collections.abc import Callable, Iterator
from typing import ClassVar

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

import scrapers.base
from desktop import secrets
from desktop.polling.scheduler import Scheduler, host_of
from desktop.store import mentions, sources
from desktop.store.mentions import Filter
from desktop.ui.inbox_model import InboxModel
from desktop.ui.poll_status import PollStatus
from desktop.ui.source_dialog import SourceDialog
from desktop.ui.sources_model import (COL_ENABLED, COL_LAST_ERROR, COL_LAST_OK, COL_NAME, COL_NEXT_POLL, COL_STATE,
                                      SourcesModel)
from desktop.ui.sources_page import SourcesPage
from desktop.ui.state_words import state_words
from scrapers.base import Mention, Source
from tests.helpers.fault_server import DATADOME_CHALLENGE, Reply
from tests.helpers.fixtures import PATIENCE_MS, T0, FakeClock, roomy_session
from tests.helpers.memory_keyring import MemoryKeyring, installed_memory_keyring
from tests.helpers.qt_garbage import delete_now
from tests.helpers.settle import loaded, settle

PAGE = ("trustpilot", "northlightstudio-page1.html")
REVIEW_PATH = "/review/northlightstudio.co.uk"


class TokenFeed(Source):
    """A test kind that needs an API token.

    URL: any feed. Reads: nothing. Limits: only registered while a test uses it.
    """

    kind: ClassVar[str] = ""  # registered by the fixture, so the real registry never sees it
    secret_label: ClassVar[str | None] = "API token"

    def parse(self, body: bytes | str, url: str) -> list[Mention]:
        return []


# -- fixtures -----------------------------------------------------------------------------------------

@pytest.fixture
def session_factory(clock: FakeClock) -> Callable[[], object]:
    return lambda: roomy_session(clock)


@pytest.fixture
def scheduler(conn, db_path, bus, clock, session_factory, gui_thread) -> Iterator[Scheduler]:
    sched = Scheduler(conn, db_path, bus, clock=clock, session_factory=session_factory,
                      tick_ms=3_600_000, host_gap_s=10)
    yield sched
    sched.shutdown()
    assert sched.pool.activeThreadCount() == 0
    delete_now(sched)


@pytest.fixture
def page(qtbot, conn, bus, scheduler, clock, session_factory) -> Iterator[SourcesPage]:
    widget = SourcesPage(conn, bus, scheduler, clock=clock, session_factory=session_factory)
    settle(qtbot, widget)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    yield widget


@pytest.fixture
def dialog(qtbot, session_factory, gui_thread) -> Iterator[SourceDialog]:
    widget = SourceDialog(session_factory=session_factory)
    qtbot.addWidget(widget)
    yield widget
    widget.reject()  # waits for a test fetch still running
    assert widget.pool.activeThreadCount() == 0


@pytest.fixture
def token_kind(monkeypatch: pytest.MonkeyPatch) -> type[Source]:
    monkeypatch.setitem(scrapers.base._REGISTRY, "test-token", TokenFeed)
    return TokenFeed


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    yield from installed_memory_keyring()


def cell(model: SourcesModel, source_id: int, column: int) -> str:
    row = model.row_of(source_id)
    assert row is not None
    return model.index(row, column).data()


def run_modal(action: Callable[[], None], handle: Callable[[SourceDialog], None]) -> None:
    """Trigger `action` (which opens a modal SourceDialog once the page has read its defaults, off the GUI thread)
    and drive the dialog with `handle` inside its loop; returns once it was driven (what it saves is written in
    the background: settle the page after). Whatever `handle` does, the dialog is closed, so a failing test never
    hangs in exec()."""
    from PySide6.QtCore import QCoreApplication, QDeadlineTimer

    driven: list[bool] = []

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:  # not open yet
            QTimer.singleShot(10, drive)
            return
        assert isinstance(dialog, SourceDialog)
        try:
            handle(dialog)
        finally:
            driven.append(True)
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, drive)
    action()
    deadline = QDeadlineTimer(PATIENCE_MS)  # bounds the wait for the page's read, not the test's result
    while not driven and not deadline.hasExpired():
        QCoreApplication.processEvents()
    assert driven, "the source dialog never opened"


# -- state words ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("state", sources.STATES)
def test_every_state_has_words(state) -> None:
    words = state_words(state, "server error (500)", T0)
    assert words and not words.startswith("Unknown state")


def test_state_words_say_what_to_do() -> None:
    assert state_words("ok", None) == "Working"
    assert state_words("ok", "1 of 20 reviews could not be read: its date 9999-12-31T23:00:00-05:00 is out of range") \
        == "Working, but 1 of 20 reviews could not be read: its date 9999-12-31T23:00:00-05:00 is out of range"
    assert state_words("not modified", None) == "Working: nothing new since the last check"
    assert state_words("blocked", "403") == "Blocked by the site's bot check: use import instead"
    assert state_words("login required", "401").startswith("The page needs you to be signed in: ")
    assert state_words("rate limited", "429", T0) == \
        f"The site asked us to slow down: will try again at {T0.astimezone():%H:%M}"
    assert state_words("layout changed", None) == \
        "The page no longer looks as Rapport expects: the site may have changed"
    assert state_words("failing", "server error (500)") == "Failing: server error (500)"
    assert state_words("new", None) == "Not checked yet"


# -- the dialog ------------------------------------------------------------------------------------------

def test_the_url_is_checked_as_the_user_types(qtbot, dialog) -> None:
    assert not dialog.ok_button.isEnabled()
    assert not dialog.url_error.isVisibleTo(dialog)  # nothing typed yet: no scolding
    qtbot.keyClicks(dialog.url_edit, "www.trustpilot.com/review/northlightstudio.co.uk")
    assert dialog.url_error.isVisibleTo(dialog)
    assert "http://" in dialog.url_error.text()
    assert not dialog.ok_button.isEnabled() and not dialog.test_button.isEnabled()
    dialog.url_edit.clear()
    qtbot.keyClicks(dialog.url_edit, "javascript:alert(1)")
    assert not dialog.ok_button.isEnabled()
    dialog.url_edit.clear()
    qtbot.keyClicks(dialog.url_edit, "https://www.trustpilot.com/review/northlightstudio.co.uk")
    assert not dialog.url_error.isVisibleTo(dialog)
    assert dialog.ok_button.isEnabled() and dialog.test_button.isEnabled()


def test_a_password_or_token_in_the_url_points_to_the_keyring(dialog) -> None:
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("jsonld"))
    for url in ("https://priya:hunter2@inescarvalho.design/reviews/", "https://inescarvalho.design/reviews/?token=abc"):
        dialog.url_edit.setText(url)
        assert dialog.url_error.isVisibleTo(dialog) and "keyring" in dialog.url_error.text()
        assert not dialog.ok_button.isEnabled() and not dialog.test_button.isEnabled()


def test_each_kind_shows_its_users_name_and_rendered_documentation(dialog) -> None:
    kinds = [dialog.kind_combo.itemData(i) for i in range(dialog.kind_combo.count())]
    assert {"trustpilot", "feeds", "jsonld"} <= set(kinds)
    titles = [dialog.kind_combo.itemText(i) for i in range(dialog.kind_combo.count())]
    assert titles[kinds.index("feeds")].startswith("RSS or Atom feed")
    assert not any(t.startswith(("jsonld", "feeds")) for t in titles)  # no code names
    dialog.kind_combo.setCurrentIndex(kinds.index("trustpilot"))
    shown = dialog.kind_help.toPlainText()
    assert shown.startswith("Reviews of a company on Trustpilot.")
    assert "https://www.trustpilot.com/review/<domain>" in shown and "`" not in shown  # Markdown rendered
    assert "__NEXT_DATA__" not in shown and "pageProps" not in shown  # no internals
    dialog.kind_combo.setCurrentIndex(kinds.index("feeds"))
    assert "RSS" in dialog.kind_help.toPlainText()
    assert not dialog.secret_edit.isVisibleTo(dialog)


def test_the_url_is_checked_against_the_kinds_shape_as_it_is_typed(qtbot, dialog) -> None:
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("trustpilot"))
    qtbot.keyClicks(dialog.url_edit, "https://example.com/reviews")
    assert dialog.url_error.isVisibleTo(dialog) and "trustpilot.com" in dialog.url_error.text()
    assert not dialog.ok_button.isEnabled()
    dialog.url_edit.setText("https://www.trustpilot.com/categories/web_design")
    assert "not a Trustpilot company page" in dialog.url_error.text() and not dialog.ok_button.isEnabled()
    dialog.url_edit.setText("https://uk.trustpilot.com/review/northlightstudio.co.uk?page=2")
    assert not dialog.url_error.isVisibleTo(dialog) and dialog.ok_button.isEnabled()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("jsonld"))  # any page has its own markup
    dialog.url_edit.setText("https://example.com/reviews")
    assert dialog.ok_button.isEnabled()


def test_editing_the_url_clears_the_last_test_result(qtbot, dialog, fault_server) -> None:
    url = fault_server.route(REVIEW_PATH, Reply.page(*PAGE))
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("trustpilot"))
    dialog.url_edit.setText(url)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_result.text().startswith("Found "), timeout=PATIENCE_MS)
    qtbot.keyClicks(dialog.url_edit, "x")
    assert dialog.test_result.text() == ""


def test_test_this_source_reads_once_off_the_gui_thread_and_stores_nothing(qtbot, conn, dialog,
                                                                           fault_server) -> None:
    url = fault_server.route(REVIEW_PATH, Reply.page(*PAGE))
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("trustpilot"))
    qtbot.keyClicks(dialog.url_edit, url)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.test_result.text() == "Reading the page…" and not dialog.test_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.test_result.text().startswith("Found "), timeout=PATIENCE_MS)
    assert dialog.test_result.text().startswith("Found 5 reviews: newest ")
    assert dialog.test_button.isEnabled() and not dialog.cancel_test_button.isVisibleTo(dialog)
    assert len(fault_server.hits(REVIEW_PATH)) == 1
    assert sources.configured(conn) == []
    assert mentions.count(conn, Filter()) == 0


def test_test_this_source_shows_a_blocked_page_in_words(qtbot, dialog, fault_server) -> None:
    url = fault_server.route("/review/blocked.example", Reply(403, DATADOME_CHALLENGE))
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("trustpilot"))
    dialog.url_edit.setText(url)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_result.text() != "Reading the page…", timeout=PATIENCE_MS)
    assert dialog.test_result.text().startswith("Blocked by the site's bot check: use import instead")


def test_a_test_can_be_stopped_and_its_late_answer_is_ignored(qtbot, dialog, fault_server) -> None:
    answer = threading.Event()  # the page is sent once the test was stopped, however slow this thread is
    url = fault_server.route(REVIEW_PATH, Reply.page(*PAGE, hold=answer))
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("trustpilot"))
    dialog.url_edit.setText(url)
    dialog.test_button.click()
    assert dialog.cancel_test_button.isVisibleTo(dialog)
    dialog.cancel_test_button.click()
    assert dialog.test_result.text() == "Test stopped." and dialog.test_button.isEnabled()
    answer.set()
    with qtbot.assertNotEmitted(dialog.jobs.finished):  # the worker sees the flag and keeps quiet
        qtbot.waitUntil(lambda: dialog.pool.activeThreadCount() == 0, timeout=PATIENCE_MS)
    assert dialog.test_result.text() == "Test stopped."


def test_closing_the_dialog_during_a_test_waits_for_it(qtbot, session_factory, gui_thread, fault_server) -> None:
    url = fault_server.route(REVIEW_PATH, Reply.page(*PAGE, delay=0.2))
    dialog = SourceDialog(session_factory=session_factory)
    qtbot.addWidget(dialog)
    dialog.url_edit.setText(url)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("trustpilot"))
    dialog.test_button.click()
    dialog.reject()
    assert dialog.pool.activeThreadCount() == 0
    assert dialog.result() == SourceDialog.DialogCode.Rejected


def test_a_kind_with_a_secret_asks_for_it(qtbot, token_kind, memory_keyring, gui_thread) -> None:
    dialog = SourceDialog()
    qtbot.addWidget(dialog)
    assert not dialog.secret_edit.isVisibleTo(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("test-token"))
    assert dialog.secret_edit.isVisibleTo(dialog)
    assert dialog.secret_label.text() == "API token"
    assert dialog.secret_edit.echoMode() == dialog.secret_edit.EchoMode.Password
    assert "keyring" in dialog.secret_note.text()
    dialog.url_edit.setText("https://api.example.org/v1/reviews")
    dialog.secret_edit.setText("s3cr3t")
    assert dialog.values().secret == "s3cr3t"
    dialog.reject()


def test_without_a_keyring_the_dialog_says_so_and_keeps_nothing(qtbot, token_kind, gui_thread) -> None:
    assert not secrets.available()  # the suite's keyring is the fail backend
    dialog = SourceDialog()
    qtbot.addWidget(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("test-token"))
    assert dialog.secret_note.text() == secrets.UNAVAILABLE_MESSAGE
    dialog.url_edit.setText("https://api.example.org/v1/reviews")
    dialog.secret_edit.setText("s3cr3t")
    dialog.accept()
    assert dialog.result() != SourceDialog.DialogCode.Accepted  # refused, not quietly stored elsewhere
    dialog.reject()


# -- the page -------------------------------------------------------------------------------------------

def test_the_model_passes_the_model_tester(qtbot, qtmodeltester, conn, clock) -> None:
    sources.add(conn, "trustpilot", "https://www.trustpilot.com/review/northlightstudio.co.uk")
    failing = sources.add(conn, "feeds", "https://example.org/feed.xml", label="Blog comments")
    sources.record_failure(conn, failing.id, state="failing", error="server error (500)", at=T0)
    model = loaded(qtbot, SourcesModel(conn, clock=clock))
    qtmodeltester.check(model)
    assert cell(model, failing.id, COL_NAME) == "Blog comments"
    assert cell(model, failing.id, COL_STATE) == "Failing: server error (500)"
    assert cell(model, failing.id, COL_LAST_ERROR) == "server error (500)"
    assert cell(model, failing.id, COL_LAST_OK) == "Never"


def test_adding_a_source_through_the_dialog(qtbot, conn, page) -> None:
    assert page.empty_label.isVisibleTo(page)

    def fill(dialog: SourceDialog) -> None:
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("trustpilot"))
        qtbot.keyClicks(dialog.url_edit, "trustpilot.com/review/northlightstudio.co.uk")
        assert not dialog.ok_button.isEnabled() and dialog.url_error.isVisibleTo(dialog)
        dialog.url_edit.clear()
        qtbot.keyClicks(dialog.url_edit, "https://uk.trustpilot.com/review/northlightstudio.co.uk")
        assert dialog.ok_button.isEnabled()
        dialog.label_edit.setText("Trustpilot (UK)")
        dialog.interval_spin.setValue(30)
        dialog.ok_button.click()

    run_modal(page.add_button.click, fill)
    settle(qtbot, page)
    [added] = sources.configured(conn)
    assert (added.kind, added.url, added.label, added.interval_s, added.enabled) == \
        ("trustpilot", "https://uk.trustpilot.com/review/northlightstudio.co.uk", "Trustpilot (UK)", 1800, True)
    assert page.model.rowCount() == 1 and not page.empty_label.isVisibleTo(page)
    assert cell(page.model, added.id, COL_STATE) == "Not checked yet"
    assert page.current_source() == added


def test_editing_a_source(qtbot, conn, page) -> None:
    source = sources.add(conn, "feeds", "https://example.org/feed.xml")
    page.reload()
    settle(qtbot, page)
    page.select_source(source.id)

    def change(dialog: SourceDialog) -> None:
        assert dialog.url_edit.text() == source.url and not dialog.kind_combo.isEnabled()
        dialog.label_edit.setText("Blog comments")
        dialog.enabled_check.setChecked(False)
        dialog.ok_button.click()

    run_modal(page.edit_button.click, change)
    settle(qtbot, page)
    stored = sources.get(conn, source.id)
    assert stored.label == "Blog comments" and not stored.enabled
    assert cell(page.model, source.id, COL_ENABLED) == "No"
    assert cell(page.model, source.id, COL_NEXT_POLL) == "Off (disabled)"


def test_a_secret_entered_for_a_source_goes_to_the_keyring_not_the_store(qtbot, conn, db_path, page, token_kind,
                                                                          memory_keyring, monkeypatch) -> None:
    def fill(dialog: SourceDialog) -> None:
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("test-token"))
        dialog.url_edit.setText("https://api.example.org/v1/reviews")
        dialog.secret_edit.setText("tok-northlight-51f0")
        dialog.ok_button.click()

    run_modal(page.add_button.click, fill)
    settle(qtbot, page)
    [added] = sources.configured(conn)
    assert memory_keyring.secrets == {("Rapport", f"source-{added.id}"): "tok-northlight-51f0"}
    conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in db_path.parent.glob(db_path.name + "*"):
        assert b"tok-northlight-51f0" not in path.read_bytes()

    page.select_source(added.id)  # editing it says a secret is kept, without asking for it again

    def look(dialog: SourceDialog) -> None:
        assert dialog.secret_note.text().endswith("Leave empty to keep the one already stored.")
        dialog.reject()

    run_modal(page.edit_button.click, look)
    settle(qtbot, page)

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.remove_button.click()  # removing the source forgets its secret too
    settle(qtbot, page)
    assert memory_keyring.secrets == {}
    # Set, read and forgotten, and never on the GUI thread: the keyring may wait for the user to unlock it.
    assert len(memory_keyring.threads) == 3 and threading.get_ident() not in memory_keyring.threads


def test_a_keyring_that_refuses_says_so_and_the_source_is_kept(qtbot, conn, page, token_kind, monkeypatch) -> None:
    assert not secrets.available()  # the suite's keyring is the fail backend
    warned: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text, *a, **k: warned.append((title, text)))

    def fill(dialog: SourceDialog) -> None:
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("test-token"))
        dialog.url_edit.setText("https://api.example.org/v1/reviews")
        dialog.secret_edit.setText("tok-northlight-51f0")
        super(SourceDialog, dialog).accept()  # past the dialog's own check, as when the keyring goes between them

    run_modal(page.add_button.click, fill)
    settle(qtbot, page)
    qtbot.waitUntil(lambda: bool(warned), timeout=PATIENCE_MS)
    [added] = sources.configured(conn)
    [(title, text)] = warned
    assert title == "The secret was not saved" and text.endswith(f"The source “{added.name}” was saved without it.")


def test_remove_asks_first_and_says_the_feedback_goes_too(qtbot, conn, page, monkeypatch) -> None:
    source = sources.add(conn, "feeds", "https://example.org/feed.xml", label="Blog comments")
    page.reload()
    settle(qtbot, page)
    page.select_source(source.id)
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    page.remove_button.click()
    settle(qtbot, page)
    assert "Blog comments" in asked[0] and "removed with it" in asked[0]
    assert sources.get(conn, source.id) == source

    answer = QMessageBox.StandardButton.Yes
    page.remove_button.click()
    settle(qtbot, page)
    assert sources.configured(conn) == [] and page.model.rowCount() == 0


def test_enable_and_disable(qtbot, conn, page) -> None:
    source = sources.add(conn, "feeds", "https://example.org/feed.xml")
    page.reload()
    settle(qtbot, page)
    page.select_source(source.id)
    assert page.enable_button.text() == "Disable"
    page.enable_button.click()
    settle(qtbot, page)
    assert not sources.get(conn, source.id).enabled
    assert page.enable_button.text() == "Enable"
    page.enable_button.click()
    settle(qtbot, page)
    assert sources.get(conn, source.id).enabled
    assert cell(page.model, source.id, COL_NEXT_POLL) == "Due now"


def test_a_poll_shows_working_for_one_source_and_the_failure_for_the_other(qtbot, conn, bus, page, scheduler,
                                                                           fault_server) -> None:
    good = sources.add(conn, "trustpilot", fault_server.route(REVIEW_PATH, Reply.page(*PAGE)),
                       label="Northlight on Trustpilot")
    bad_url = fault_server.route("/broken", Reply(500, "Internal Server Error")).replace("127.0.0.1", "localhost")
    bad = sources.add(conn, "trustpilot", bad_url, label="Broken page")
    assert host_of(good.url) != host_of(bad.url)  # two hosts: both polls run at once
    page.reload()
    settle(qtbot, page)
    inbox = loaded(qtbot, InboxModel(conn, Filter()))
    bus.mention_added.connect(inbox.add_mention)
    status = PollStatus(bus, scheduler)
    qtbot.addWidget(status)
    progress: list[str] = []
    bus.poll_progress.connect(lambda done, total: progress.append(status.text()))

    with qtbot.waitSignal(bus.poll_finished, timeout=PATIENCE_MS):
        with qtbot.waitSignal(bus.poll_started, timeout=PATIENCE_MS):
            page.poll_all_button.click()  # queued once the sources are read, off the GUI thread
        # Results come back queued to this thread, so nothing has finished yet.
        assert not status.isHidden() and status.text() == "0 of 2 sources"
        qtbot.waitUntil(lambda: {cell(page.model, s.id, COL_NEXT_POLL) for s in (good, bad)} == {"Checking now…"},
                        timeout=PATIENCE_MS)
    settle(qtbot, page, inbox)
    assert scheduler.in_flight == () and scheduler.queued == ()

    assert cell(page.model, good.id, COL_STATE) == "Working"
    assert cell(page.model, bad.id, COL_STATE) == "Failing: server error (500)"
    assert cell(page.model, bad.id, COL_LAST_ERROR) == "server error (500)"
    assert cell(page.model, good.id, COL_LAST_OK) == f"today {T0.astimezone():%H:%M}"
    assert cell(page.model, bad.id, COL_LAST_OK) == "Never"
    assert inbox.rowCount() == 5
    assert progress[-1] == "2 of 2 sources"
    assert status.isHidden()


def test_poll_selected_polls_only_those(qtbot, conn, bus, page, scheduler, fault_server) -> None:
    chosen = sources.add(conn, "trustpilot", fault_server.route(REVIEW_PATH, Reply.page(*PAGE)))
    other = sources.add(conn, "trustpilot", fault_server.route("/other", Reply.page(*PAGE)))
    page.reload()
    settle(qtbot, page)
    page.select_source(chosen.id)
    with qtbot.waitSignal(bus.poll_finished, timeout=PATIENCE_MS) as finished:
        page.poll_selected_button.click()
    settle(qtbot, page)
    assert [r.source_id for r in finished.args[0]] == [chosen.id]
    assert cell(page.model, chosen.id, COL_STATE) == "Working"
    assert cell(page.model, other.id, COL_STATE) == "Not checked yet"


def test_pause_and_resume_buttons_follow_the_scheduler(qtbot, page, scheduler) -> None:
    assert page.pause_button.text() == "Pause automatic checks" and not page.paused_label.isVisibleTo(page)
    with qtbot.waitSignal(scheduler.paused_changed, timeout=PATIENCE_MS) as paused:
        page.pause_button.click()
        settle(qtbot, page)
    assert paused.args == [True] and scheduler.paused
    assert page.pause_button.text() == "Resume automatic checks" and page.paused_label.isVisibleTo(page)
    with qtbot.waitSignal(scheduler.paused_changed, timeout=PATIENCE_MS) as resumed:
        page.pause_button.click()
        settle(qtbot, page)
    assert resumed.args == [False] and not scheduler.paused
    assert page.pause_button.text() == "Pause automatic checks"
    scheduler.pause()  # from elsewhere (the tray, say): the page follows
    assert page.pause_button.text() == "Resume automatic checks"


def test_cancel_in_the_status_bar_ends_the_round(qtbot, conn, bus, scheduler, fault_server) -> None:
    rows = [sources.add(conn, "trustpilot", fault_server.route(f"/page{i}", Reply.page(*PAGE, delay=0.1)))
            for i in range(3)]
    status = PollStatus(bus, scheduler)
    qtbot.addWidget(status)
    assert status.isHidden()
    with qtbot.waitSignal(bus.poll_started, timeout=PATIENCE_MS):
        scheduler.poll_now([r.id for r in rows])  # queued once the sources are read
    assert not status.isHidden() and status.text() == "0 of 3 sources"
    with qtbot.waitSignal(bus.poll_finished, timeout=PATIENCE_MS):
        status.cancel_button.click()
        assert not status.cancel_button.isEnabled() and scheduler.queued == ()
    assert status.isHidden()
    assert scheduler.in_flight == () and scheduler.queued == ()

