"""The GUI thread runs no SQL in typical use: the window reads and writes the store through jobs with their own
connection (desktop/shell/reader.py, writer.py), so a team's remote database, a teammate's lock or a 100,000-row
query never freezes it. Typical use includes the user's writes: read and unread, a correction, Mark as posted,
Assign to…, a draft saved, exported and posted, a client added, linked and deleted, feedback typed in, sources
disabled and enabled, Settings saved.

Every store connection the tests open reports what it runs on the main thread (desktop/store/gui_guard.py);
these tests drive the real app on a seeded store and fail on the first statement the GUI thread ran, naming
the code that ran it.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from datetime import datetime, timedelta, timezone

from desktop.commands.demo import prepare
from desktop.records.ingest import MANUAL_SOURCE_ID, Manual, ingest
from desktop.shell.app import RapportApp
from PySide6.QtWidgets import QFileDialog, QInputDialog

from desktop.store import clients, connect, drafts, gui_guard, mentions, settings, sources
from desktop.store.clock import utc_now
from desktop.ui.inbox_model import NOT_ANSWERED
from desktop.ui.main_window import PAGE_DASHBOARD, PAGE_INBOX, PAGE_RECORDS, PAGE_SETTINGS, PAGE_SOURCES
from scrapers.guard import clear_gui_thread
from scrapers.base import Mention
from tests.helpers.fixtures import PATIENCE_MS, roomy_session
from tests.helpers.qt_garbage import delete_now

BASE = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
TEXTS = ["Missed the deadline twice and stopped answering.", "Great work, would hire again.",
         "Fine, the logo was okay.", "The invoice was wrong and the refund never came."]



@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple]:
    db = tmp_path / "demo.sqlite3"
    site, server, ids = prepare(db)
    conn = connect(db)
    # More than a few windows of rows to scroll through, and alerts waiting for the start-up summary.
    ingest(conn, MANUAL_SOURCE_ID, [Mention(f"{TEXTS[i % 4]} (#{i})", author=f"Client {i % 9}", rating=1 + i % 5,
                                            posted_at=BASE - timedelta(hours=i)) for i in range(450)],
           manual=Manual(site="email"))
    yield conn, db
    conn.close()
    server.stop()


@pytest.fixture
def made(qtbot) -> Iterator[list[RapportApp]]:
    apps: list[RapportApp] = []
    yield apps
    for app in apps:
        app.shutdown()
        delete_now(app)
    clear_gui_thread()


def make_app(qtbot, demo, made: list[RapportApp]) -> RapportApp:
    conn, db = demo
    rapport = RapportApp(conn, db, use_tray=False, scheduler_options={
        "session_factory": lambda: roomy_session(utc_now), "tick_ms": 3_600_000, "host_gap_s": 0})
    qtbot.addWidget(rapport.window)
    made.append(rapport)
    return rapport


def gui_statements(recorded: list[gui_guard.GuiStatement]) -> str:
    return "\n".join(str(s) for s in recorded)


def settle(qtbot, app: RapportApp) -> None:
    """Wait until every read the window asked for has been answered."""
    qtbot.waitUntil(lambda: not app.window.reading(), timeout=PATIENCE_MS)


def test_typical_use_runs_no_sql_on_the_gui_thread(qtbot, demo, made, monkeypatch, tmp_path) -> None:
    recorded = typical_use(qtbot, demo, made, summary=True, monkeypatch=monkeypatch, tmp_path=tmp_path)
    assert not gui_statements(recorded), f"SQL ran on the GUI thread:\n{gui_statements(recorded)}"


def test_typical_use_on_a_team_database_runs_no_sql_on_the_gui_thread(qtbot, postgres_server, made,
                                                                       monkeypatch, tmp_path) -> None:
    """The same on PostgreSQL, where each statement on the GUI thread would be a network round-trip."""
    url = postgres_server.database()
    conn = connect(url)
    try:
        source = sources.add(conn, "trustpilot", "https://www.trustpilot.com/review/northlight.example",
                             label="Northlight on Trustpilot", enabled=False)  # nothing polls
        ingest(conn, source.id, [Mention(f"{TEXTS[i % 4]} (#{i})", author=f"Client {i % 9}", rating=1 + i % 5,
                                         posted_at=BASE - timedelta(hours=i), external_id=f"r{i}")
                                 for i in range(450)], site="trustpilot")
        recorded = typical_use(qtbot, (conn, url), made, summary=False, monkeypatch=monkeypatch,
                               tmp_path=tmp_path)
    finally:
        for app in made:
            app.shutdown()
            delete_now(app)
        made.clear()
        conn.close()
    assert not gui_statements(recorded), f"SQL ran on the GUI thread:\n{gui_statements(recorded)}"


def typical_use(qtbot, store: tuple, made: list[RapportApp], *, summary: bool,
                monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[gui_guard.GuiStatement]:
    """Open the app, scroll to the end, change filters, open mentions, make the inbox's writes, visit every page:
    what the GUI thread ran."""
    with gui_guard.recording() as probe:  # the guard hears the window's connection
        store[0].execute("SELECT 1").fetchall()
    assert [s.sql for s in probe] == ["SELECT 1"]
    with gui_guard.recording() as recorded:
        app = make_app(qtbot, store, made)
        settle(qtbot, app)
        window, inbox = app.window, app.window.inbox
        app.start()
        qtbot.waitExposed(window)
        settle(qtbot, app)
        assert inbox.model.rowCount() > 0
        if summary:
            qtbot.waitUntil(window.banner.isVisible)  # the start-up summary of unseen alerts
        # Scroll to the end.
        while inbox.model.canFetchMore():
            inbox.view.scrollToBottom()
            inbox.model.fetchMore()
            settle(qtbot, app)
        assert inbox.model.rowCount() >= 450  # every row, a window after the first
        # Change filters, one after another (as a user clicks through them).
        inbox.label_combo.setCurrentIndex(inbox.label_combo.findData("negative"))
        inbox.unread_check.setChecked(True)
        settle(qtbot, app)
        inbox.unread_check.setChecked(False)
        inbox.alerted_check.setChecked(True)
        settle(qtbot, app)
        inbox.source_combo.setCurrentIndex(1)
        settle(qtbot, app)
        inbox.source_combo.setCurrentIndex(0)
        inbox.search_edit.setText("deadline")
        inbox.on_filters_changed()
        settle(qtbot, app)
        inbox.search_edit.setText("")
        inbox.alerted_check.setChecked(False)
        inbox.label_combo.setCurrentIndex(0)
        settle(qtbot, app)
        # Open a mention: the list's third row, then one picked elsewhere (the way the dashboard opens one).
        inbox._select_row(2)
        shown = inbox.model.mention_at(2)
        assert inbox.detail.mention is not None and inbox.detail.mention.id == shown.id
        last = inbox.model.mention_at(inbox.model.rowCount() - 1)
        window.show_mention(last.id)
        settle(qtbot, app)
        assert inbox.detail.mention is not None and inbox.detail.mention.id == last.id
        written = inbox_writes(qtbot, app, monkeypatch)
        answered = composer_writes(qtbot, app, monkeypatch, tmp_path)
        client_id = dialog_writes(qtbot, app, monkeypatch)
        # The other pages.
        for page in (PAGE_RECORDS, PAGE_SOURCES, PAGE_SETTINGS, PAGE_DASHBOARD, PAGE_INBOX):
            window.sidebar.setCurrentRow(page)
            settle(qtbot, app)
    stored = mentions.get(store[0], written)  # what the store holds now, asked by the test itself
    assert stored.read_at is not None and stored.label != "negative"
    assert drafts.status_for(store[0], [written]) == {written: drafts.POSTED}
    assert clients.find_by_name(store[0], "Harbor Coffee") is None  # added, then deleted
    assert settings.get(store[0], "alert_star_threshold") == 1
    assert mentions.count(store[0], mentions.Filter(search="zanzibar")) == 1  # typed in by hand
    draft = drafts.for_mention(store[0], answered)
    assert draft.latest.body.count("I missed the deadline") == 1 and draft.posted_at is not None
    assert (tmp_path / "reply.txt").read_text(encoding="utf-8").startswith(draft.latest.body.strip()[:40])
    return recorded


def inbox_writes(qtbot, app: RapportApp, monkeypatch: pytest.MonkeyPatch) -> int:
    """What a user changes in the inbox: read and unread, a label corrected, a reply marked posted, an alert
    assigned (in a team); each shown as written, none of them written by the GUI thread. The mention changed."""
    inbox = app.window.inbox
    row = next(r for r in range(inbox.model.rowCount())
               if inbox.model.mention_at(r).alerted and inbox.model.mention_at(r).read_at is None)
    inbox._select_row(row)
    m = inbox.detail.mention
    assert m is not None and m.read_at is None
    inbox.detail.read_button.click()
    assert inbox.detail.read_button.text() == "Mark unread"  # at once, before the store has it
    assert inbox.model.mention_at(inbox.model.row_of(m.id)).read_at is not None  # the row is no longer bold
    settle(qtbot, app)
    inbox.detail.read_button.click()  # and back: written in order
    settle(qtbot, app)
    inbox.detail.read_button.click()
    settle(qtbot, app)
    assert inbox.detail.read_button.text() == "Mark unread"
    inbox.detail.correct_button.click()  # "Not negative"
    settle(qtbot, app)
    assert inbox.detail.mention.label != "negative"
    inbox.posted_action.trigger()
    settle(qtbot, app)
    if inbox.team:
        monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *args: ("Sam", True)))
        inbox.assign_action.trigger()
        settle(qtbot, app)
        assert inbox.detail.mention.assigned_to == "Sam"
    inbox.learner.shutdown()  # its relearning reads and writes on a connection of its own
    return m.id


def composer_writes(qtbot, app: RapportApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> int:
    """Answer a review: the composer opens on what it read off the GUI thread, saves on each page, exports to a
    file, notes a copy to the clipboard and marks the reply posted, none of it written by the GUI thread."""
    inbox = app.window.inbox
    row = next(r for r in range(inbox.model.rowCount()) if inbox.model.mention_at(r).label == "negative"
               and inbox.model.reply_status(inbox.model.mention_at(r)) in ("", NOT_ANSWERED))
    mention_id = inbox.model.mention_at(row).id
    app.window.open_composer(mention_id)
    settle(qtbot, app)
    composer = app.window.composer
    assert composer.mention_id == mention_id and composer.isVisible()
    composer.step_pages[0].editor.setPlainText("I missed the deadline and did not tell you in time.")
    composer.next()  # saved on the way
    composer.next()
    qtbot.waitUntil(lambda: not composer.reading(), timeout=PATIENCE_MS)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "reply.txt"), "")))
    monkeypatch.setattr(composer, "problems_ok", lambda body: True)  # the checks' question is not the point here
    with qtbot.waitSignal(composer.exported, timeout=PATIENCE_MS):
        composer.export_as("txt")
    with qtbot.waitSignal(composer.exported, timeout=PATIENCE_MS):
        composer.copy_to_clipboard()
    with qtbot.waitSignal(composer.posted, timeout=PATIENCE_MS):
        composer.mark_posted()
    settle(qtbot, app)
    return mention_id


def finish(qtbot, dialog) -> int:
    """Drive a form dialog as a user would once it is open: wait for what it reads, OK, wait for the write."""
    qtbot.waitUntil(lambda: not dialog.reading(), timeout=PATIENCE_MS)
    dialog.on_buttons_accepted()
    qtbot.waitUntil(lambda: not dialog.reading(), timeout=PATIENCE_MS)
    return dialog.result()


def dialog_writes(qtbot, app: RapportApp, monkeypatch: pytest.MonkeyPatch) -> int:
    """The dialogs and pages that write: a client added in Clients & projects, the feedback linked to it, feedback
    typed in, the sources disabled and enabled again, Settings saved, the client deleted; the client's id."""
    from desktop.ui.feedback_dialog import FeedbackDialog
    from desktop.ui.link_dialog import LinkDialog
    from desktop.ui.record_dialogs import ClientDialog

    window, inbox = app.window, app.window.inbox
    window.sidebar.setCurrentRow(PAGE_RECORDS)
    settle(qtbot, app)
    made: list[int] = []

    def new_client(dialog: ClientDialog) -> int:
        dialog.name_edit.setText("Harbor Coffee")
        result = finish(qtbot, dialog)
        made.append(dialog.saved_client.id)
        return result

    monkeypatch.setattr(ClientDialog, "exec", new_client)
    window.records.new_client_button.click()
    settle(qtbot, app)
    window.sidebar.setCurrentRow(PAGE_INBOX)
    settle(qtbot, app)
    linked = inbox.current_mention_id()

    def link(dialog: LinkDialog) -> int:
        qtbot.waitUntil(lambda: not dialog.reading(), timeout=PATIENCE_MS)
        dialog.client_combo.setCurrentIndex(dialog.client_combo.findData(made[0]))
        return finish(qtbot, dialog)

    monkeypatch.setattr(LinkDialog, "exec", link)
    inbox.link_action.trigger()
    settle(qtbot, app)

    def typed(dialog: FeedbackDialog) -> int:
        dialog.text_edit.setPlainText("Sam rebuilt our Zanzibar booking page in a week and it has not broken since.")
        return finish(qtbot, dialog)

    monkeypatch.setattr(FeedbackDialog, "exec", typed)
    window.add_feedback_action.trigger()
    settle(qtbot, app)
    window.sidebar.setCurrentRow(PAGE_SOURCES)
    settle(qtbot, app)
    sources_page = window.pages.widget(PAGE_SOURCES)
    sources_page.table.selectAll()
    sources_page.enable_button.click()
    settle(qtbot, app)
    sources_page.enable_button.click()
    settle(qtbot, app)
    window.sidebar.setCurrentRow(PAGE_SETTINGS)
    settle(qtbot, app)
    app.settings_page.star_spin.setValue(1)
    app.settings_page.save_button.click()
    settle(qtbot, app)
    assert app.settings_page.status_label.text() == "Saved."
    window.sidebar.setCurrentRow(PAGE_RECORDS)
    settle(qtbot, app)
    window.records.reload(("client", made[0]))
    settle(qtbot, app)
    asked: list[str] = []
    monkeypatch.setattr(window.records, "confirm", lambda title, text: asked.append(text) or True)
    window.records.delete_button.click()
    settle(qtbot, app)
    assert "Harbor Coffee" in asked[0] and "1 piece of feedback stays" in asked[0]  # the one linked above
    window.sidebar.setCurrentRow(PAGE_INBOX)
    settle(qtbot, app)
    assert linked is not None
    return made[0]
