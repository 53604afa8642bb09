"""The window on a team database (the suite's real PostgreSQL server), as two teammates use it: an alert assigned
on one desktop shows assigned on the other after the notification, read state is each person's own, a draft
saved by a teammate meanwhile is a conflict with the user's text kept, and the status bar says who polls."""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog, QMessageBox

from desktop import team_config
from desktop.records.ingest import MANUAL_SOURCE_ID, ingest
from desktop.shell.app import RapportApp
from desktop.store import connect, drafts, mentions, team
from desktop.team_config import TeamSetting
from desktop.ui.inbox import InboxPage
from desktop.ui.inbox_model import COL_ASSIGNED, ID_ROLE
from desktop.ui.team_status import TeamStatus, status_text
from scrapers.base import Mention
from scrapers.guard import clear_gui_thread
from tests.helpers.fixtures import PATIENCE_MS
from tests.helpers.qt_garbage import delete_now
from tests.helpers.settle import settle

ROOT = Path(__file__).resolve().parents[2]

# Alex's desktop, another process: assigns the alert to Sam on its own connection.
_ALEX_ASSIGNS = """
import sys
from desktop.store import alerts, connect
conn = connect(sys.argv[1])
conn.person = "Alex"
assert alerts.assign(conn, int(sys.argv[2]), "Sam")
"""


def _as(url: str, name: str):  # noqa: ANN202 - a store connection for the teammate `name`
    conn = connect(url)
    conn.person = name  # this desktop's Settings > Team name
    return conn


def _negative(conn, text: str = "Missed the deadline twice and stopped answering.") -> int:
    [result] = ingest(conn, MANUAL_SOURCE_ID, [Mention(text=text, author="Maya Chen", rating=1)], site="email")
    assert result.alert_id is not None
    return result.mention_id


def _row(page: InboxPage, mention_id: int) -> int:
    row = page.model.row_of(mention_id)
    assert row is not None
    return row


@pytest.fixture
def team_url(postgres_server) -> str:
    return postgres_server.database()


@pytest.fixture
def sams_app(qtbot, team_url: str) -> Iterator[RapportApp]:
    """Sam's Rapport on the team database, started (listening for the team), without a tray."""
    team_config.save(TeamSetting(url=team_url, name="Sam"))
    conn = connect(team_url)
    app = RapportApp(conn, team_url, use_tray=False)
    qtbot.addWidget(app.window)
    app.start()
    settle(qtbot, app)
    yield app
    app.shutdown()
    delete_now(app)
    conn.close()
    clear_gui_thread()


def _listening(postgres_server, url: str) -> bool:
    name = url.rsplit("/", 1)[1]
    with postgres_server.admin() as admin:
        return admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND query LIKE 'LISTEN%%'",
                             (name,)).fetchone()[0] > 0


def test_an_alert_alex_assigns_shows_assigned_in_sams_window_after_the_notification(
        qtbot, postgres_server, team_url, sams_app) -> None:
    writer = _as(team_url, "Alex")
    try:
        late = _negative(writer)
    finally:
        writer.close()
    inbox = sams_app.window.inbox
    inbox.model.refresh()
    settle(qtbot, inbox)
    inbox.select_mention(late)
    settle(qtbot, inbox)
    assert inbox.model.index(_row(inbox, late), COL_ASSIGNED).data() == ""
    assert not inbox.view.isColumnHidden(COL_ASSIGNED) and not inbox.detail.assign_button.isHidden()
    qtbot.waitUntil(lambda: _listening(postgres_server, team_url), timeout=PATIENCE_MS)  # after the first paint

    subprocess.run([sys.executable, "-c", _ALEX_ASSIGNS, team_url, str(late)], cwd=ROOT, check=True, timeout=120)

    qtbot.waitUntil(lambda: inbox.model.index(_row(inbox, late), COL_ASSIGNED).data() == "Sam", timeout=PATIENCE_MS)
    assert "assigned to Sam" in inbox.detail.meta_label.text()  # the reading pane followed too
    inbox.mine_check.setChecked(True)  # Sam's "Assigned to me"
    settle(qtbot, inbox)
    assert [inbox.model.index(r, 0).data(ID_ROLE) for r in range(inbox.model.rowCount())] == [late]


def test_assign_from_the_reading_pane_and_the_row_menu(qtbot, team_url, monkeypatch) -> None:
    sam = _as(team_url, "Sam")
    try:
        late = _negative(sam)
        page = InboxPage(sam)
        settle(qtbot, page)
        qtbot.addWidget(page)
        assert page.assign_action in page.view.actions()  # the row's right-click menu
        page.select_mention(late)
        settle(qtbot, page)
        picks = iter([("Ana", True), ("", True)])
        monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *args: next(picks)))
        page.detail.assign_button.click()
        settle(qtbot, page)
        assert page.model.index(_row(page, late), COL_ASSIGNED).data() == "Ana"
        assert mentions.get(sam, late).assigned_to == "Ana"
        page.assign_action.trigger()  # empty: back to nobody
        settle(qtbot, page)
        assert mentions.get(sam, late).assigned_to is None
        assert page.model.index(_row(page, late), COL_ASSIGNED).data() == ""
    finally:
        sam.close()


def test_feedback_without_an_alert_offers_no_assign_button(qtbot, team_url) -> None:
    sam = _as(team_url, "Sam")
    try:
        [happy] = ingest(sam, MANUAL_SOURCE_ID, [Mention(text="Wonderful work, on time.", author="Jo", rating=5)],
                         site="email")
        page = InboxPage(sam)
        settle(qtbot, page)
        qtbot.addWidget(page)
        page.select_mention(happy.mention_id)
        settle(qtbot, page)
        assert page.detail.assign_button.isHidden()
    finally:
        sam.close()


def test_read_state_is_each_persons_own_in_the_inbox(qtbot, team_url) -> None:
    sam, ana = _as(team_url, "Sam"), _as(team_url, "Ana")
    try:
        late = _negative(sam)
        sams, anas = InboxPage(sam), InboxPage(ana)
        qtbot.addWidget(sams)
        qtbot.addWidget(anas)
        sams.select_mention(late)
        settle(qtbot, sams)
        sams.detail.read_button.click()
        settle(qtbot, sams)
        bold = lambda page: page.model.index(_row(page, late), 0).data(  # noqa: E731
            __import__("PySide6.QtCore").QtCore.Qt.ItemDataRole.FontRole)
        assert bold(sams) is None and "· read" in sams.detail.meta_label.text()
        anas.model.refresh()
        assert bold(anas) is not None and bold(anas).bold()  # still unread for Ana
        anas.unread_check.setChecked(True)
        assert anas.model.row_of(late) is not None
    finally:
        sam.close()
        ana.close()


def test_a_teammates_newer_draft_is_a_conflict_naming_them_and_the_users_text_can_be_copied(qtbot,
                                                                                          team_url) -> None:
    from desktop.composer.answers import Answers
    from desktop.ui.composer_dialog import ComposerDialog

    sam, alex = _as(team_url, "Sam"), _as(team_url, "Alex")
    try:
        late = _negative(sam)
        dialog = ComposerDialog(sam, late)
        qtbot.addWidget(dialog)
        dialog.show()
        with qtbot.waitSignal(dialog.draft_saved, timeout=PATIENCE_MS) as saved:
            dialog.save()
        drafts.save(alex, dialog.draft_id, Answers(), "Alex's reply.", base=saved.args[1])
        page = dialog.currentPage()
        page.editor.setPlainText("I missed both deadlines and I am sorry.")
        dialog.save()
        settle(qtbot, dialog)
        box = dialog.findChild(QMessageBox, "draft_conflict")
        assert box is not None and box.isVisible()
        assert box.text().startswith("Alex saved a newer version of this draft")
        assert "Your text stays in this window" in box.informativeText()
        QGuiApplication.clipboard().clear()
        box.findChild(type(box.buttons()[0]), "copy_my_text").click()
        assert "I missed both deadlines and I am sorry." in QGuiApplication.clipboard().text()
        assert [v.author for v in drafts.versions(sam, dialog.draft_id)] == ["Sam", "Alex"]  # theirs kept
        dialog.save()  # a second try says nothing new: the box is already up
        settle(qtbot, dialog)
        assert len([b for b in dialog.findChildren(QMessageBox, "draft_conflict") if b.isVisible()]) == 1
        dialog.done(0)  # after the conflict was said, closing does not insist on saving (the text could be copied)
        assert not dialog.isVisible()
    finally:
        sam.close()
        alex.close()


def test_status_text_in_words() -> None:
    assert status_text("Alex", True, None) == "Team: connected as Alex · Polling: this desktop"
    assert status_text("Alex", False, "Sam") == "Team: connected as Alex · Polling: Sam's desktop"
    assert "nobody right now" in status_text("Alex", False, None)


def test_the_status_bar_names_this_person_and_whose_desktop_polls(qtbot, team_url) -> None:
    team_config.save(TeamSetting(url=team_url, name="Alex"))
    alexs_lock = team.PollerLock(team_url)
    assert alexs_lock.is_poller()  # Alex's desktop polls (its connection is named "Rapport: Alex")
    team_config.save(TeamSetting(url=team_url, name="Sam"))
    polling = [False]
    status = TeamStatus(team_url, lambda: polling[0])
    qtbot.addWidget(status)
    try:
        status.start()
        qtbot.waitUntil(lambda: status.text() == "Team: connected as Sam · Polling: Alex's desktop", timeout=PATIENCE_MS)
        alexs_lock.release()
        polling[0] = True  # Sam's desktop took over
        status.refresh()
        qtbot.waitUntil(lambda: status.text() == "Team: connected as Sam · Polling: this desktop", timeout=PATIENCE_MS)
    finally:
        status.shutdown()
        alexs_lock.release()


def test_a_single_users_window_has_no_team_column_button_or_status(qtbot, conn, db_path) -> None:
    app = RapportApp(conn, db_path, use_tray=False)
    qtbot.addWidget(app.window)
    try:
        inbox = app.window.inbox
        assert inbox.view.isColumnHidden(COL_ASSIGNED) and inbox.mine_check.isHidden()
        assert inbox.assign_action not in inbox.view.actions() and app.team_status.isHidden()
    finally:
        app.shutdown()
        delete_now(app)


def test_a_burst_of_teammates_announcements_reaches_the_window_as_one_refresh(qtbot, team_url) -> None:
    from desktop.shell.events import EventBus
    from desktop.shell.team_updates import TeamUpdates

    bus = EventBus()
    updates = TeamUpdates(team_url, bus)
    added, raised, assigned, changed = [], [], [], []
    bus.mentions_added.connect(added.append)
    bus.alerts_raised.connect(raised.append)
    updates.assignments_changed.connect(assigned.append)
    bus.alerts_changed.connect(lambda: changed.append(1))
    for n in range(1, 41):  # a teammate's import: forty commits in a row
        updates.on_heard({"what": "mentions", "ids": [n]})
        updates.on_heard({"what": "alerts", "ids": [n]})
    updates.on_heard({"what": "assignments", "ids": [3]})
    updates.on_heard({"what": "drafts", "ids": [9]})
    updates.on_heard({"what": "nonsense", "ids": [1]})
    qtbot.waitUntil(lambda: bool(changed))
    assert added == [tuple(range(1, 41))] and raised == [list(range(1, 41))] and assigned == [[3]]
    assert changed == [1]
    updates.stop()


def test_a_draft_saved_on_a_lost_connection_is_said_and_the_text_stays_until_saved(qtbot, postgres_server,
                                                                                   team_url) -> None:
    """The team database drops the composer's writing connection (a restart, the network): Save draft says so,
    the window stays open with every word typed, and the next Save connects again and closes it."""
    from desktop.ui.composer_dialog import ComposerDialog

    sam = _as(team_url, "Sam")
    try:
        late = _negative(sam)
        dialog = ComposerDialog(sam, late)
        qtbot.addWidget(dialog)
        dialog.show()
        with qtbot.waitSignal(dialog.draft_saved, timeout=PATIENCE_MS):
            dialog.save()
        pids: list[int] = []
        dialog.writer.write(lambda conn: conn.execute("SELECT pg_backend_pid()").fetchone()[0], what="ask its pid",
                            done=pids.append)
        settle(qtbot, dialog)
        with postgres_server.admin() as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pids[0],))
        typed = "I missed both deadlines, and I am sorry."
        dialog.currentPage().editor.setPlainText(typed)
        dialog.accept()  # Save draft
        settle(qtbot, dialog)
        box = dialog.findChild(QMessageBox, "draft_not_saved")
        assert box is not None and box.isVisible() and "Your text stays in this window" in box.text()
        assert dialog.isVisible() and dialog.currentPage().editor.toPlainText() == typed
        assert len(drafts.versions(sam, dialog.draft_id)) == 1  # nothing half-written
        box.close()
        with qtbot.waitSignal(dialog.finished, timeout=PATIENCE_MS):
            dialog.accept()  # connects again
        assert drafts.for_mention(sam, late).latest.answers.texts[dialog.step_pages[0].step.key] == typed
    finally:
        sam.close()
