"""The inbox on a team database (a real PostgreSQL server): Assign to… and "Assigned to me"; a single user's
inbox shows neither."""
from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from desktop.records.ingest import MANUAL_SOURCE_ID, ingest
from desktop.store import connect, mentions
from desktop.ui.inbox import InboxPage
from desktop.ui.inbox_model import ID_ROLE
from scrapers.base import Mention
from tests.helpers.qt_garbage import delete_now
from tests.helpers.settle import loaded, settle


def page_ids(page: InboxPage) -> list[int]:
    return [page.model.index(r, 0).data(ID_ROLE) for r in range(page.model.rowCount())]


def _negative(conn, text: str) -> int:
    return ingest(conn, MANUAL_SOURCE_ID, [Mention(text=text, author="Maya Chen", rating=1)], site="email")[0].mention_id


def test_assign_to_a_teammate_and_see_it_under_assigned_to_me(qtbot, postgres_server, monkeypatch) -> None:
    url = postgres_server.database()
    sam, ana = connect(url), connect(url)
    sam.person, ana.person = "Sam", "Ana"  # two desktops' Settings names
    try:
        late = _negative(sam, "Missed the deadline twice and stopped answering.")
        _negative(sam, "Buggy checkout, had to pay someone else to fix it.")
        page = InboxPage(sam)
        settle(qtbot, page)
        qtbot.addWidget(page)
        assert page.assign_action in page.inbox_actions() and not page.mine_check.isHidden()
        page.view.setCurrentIndex(page.view.model().index(page_ids(page).index(late), 0))
        settle(qtbot, page)
        asked = []

        def pick(parent, title, label, items, current, editable):  # noqa: ANN001, ANN202 - QInputDialog's
            asked.append((title, list(items), editable))
            return "Ana", True

        monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick))
        page.assign_action.trigger()
        settle(qtbot, page)
        assert asked == [("Assign to", ["Sam"], True)]
        assert mentions.get(sam, late).assigned_to == "Ana"
        assert "assigned to Ana" in page.detail.meta_label.text()

        theirs = loaded(qtbot, InboxPage(ana))  # Ana's window
        qtbot.addWidget(theirs)
        theirs.mine_check.setChecked(True)
        settle(qtbot, theirs)
        assert page_ids(theirs) == [late]
        page.mine_check.setChecked(True)  # nothing is assigned to Sam
        settle(qtbot, page)
        assert page_ids(page) == []
    finally:
        sam.close()
        ana.close()


def test_a_single_users_inbox_has_no_team_filter_or_action(qtbot, conn) -> None:
    page = InboxPage(conn)
    settle(qtbot, page)
    qtbot.addWidget(page)
    assert page.mine_check.isHidden() and page.mine_check not in page._filter_widgets()
    assert page.assign_action not in page.inbox_actions() and not page.assign_action.isEnabled()


def test_a_teammates_assignment_shows_in_the_open_window(qtbot, postgres_server) -> None:
    from desktop.shell.app import RapportApp
    from desktop.store import alerts

    url = postgres_server.database()
    sam, ana = connect(url), connect(url)
    sam.person, ana.person = "Sam", "Ana"
    late = _negative(sam, "Missed the deadline twice and stopped answering.")
    app = RapportApp(ana, url, use_tray=False, scheduler_options={"tick_ms": 3_600_000})
    qtbot.addWidget(app.window)
    settle(qtbot, app)
    try:
        inbox = app.window.inbox
        inbox.view.setCurrentIndex(inbox.view.model().index(page_ids(inbox).index(late), 0))
        settle(qtbot, inbox)
        assert "assigned to" not in inbox.detail.meta_label.text()
        alerts.assign(sam, late, "Ana")  # on Sam's desktop; what Ana's listener hears:
        app.team_updates.assignments_changed.emit([late])
        settle(qtbot, app)
        assert "assigned to Ana" in inbox.detail.meta_label.text()
        inbox.mine_check.setChecked(True)
        settle(qtbot, inbox)
        alerts.assign(sam, late, "Sam")
        app.team_updates.assignments_changed.emit([late])
        settle(qtbot, app)
        assert page_ids(inbox) == []  # no longer Ana's: gone from "Assigned to me"
    finally:
        app.shutdown(0)
        delete_now(app)
        sam.close()
        ana.close()


def test_a_write_on_a_lost_connection_is_said_and_what_was_shown_is_taken_back(qtbot, postgres_server) -> None:
    """Mark read shows at once; when the team database drops the writer's connection (a server restart, the
    network), the user is told in words, the row is unread again, and the next write connects again."""
    from PySide6.QtWidgets import QMessageBox

    from desktop.ui.store_writes import FAILED_NAME

    url = postgres_server.database()
    sam = connect(url)
    sam.person = "Sam"
    try:
        late = _negative(sam, "Missed the deadline twice and stopped answering.")
        page = loaded(qtbot, InboxPage(sam))
        qtbot.addWidget(page)
        page.select_mention(late)
        settle(qtbot, page)
        pids: list[int] = []
        page.writer.write(lambda conn: conn.execute("SELECT pg_backend_pid()").fetchone()[0], what="ask its pid",
                          done=pids.append)
        settle(qtbot, page)
        with postgres_server.admin() as admin:  # the server ends the writer's connection
            admin.execute("SELECT pg_terminate_backend(%s)", (pids[0],))
        page.detail.read_button.click()
        assert page.detail.read_button.text() == "Mark unread"  # shown at once
        settle(qtbot, page)
        box = page.findChild(QMessageBox, FAILED_NAME)
        assert box is not None and box.isVisible() and box.windowTitle() == "Could not mark it read"
        assert box.text().startswith("The team database refused this") and "Nothing was changed." in box.text()
        assert page.detail.read_button.text() == "Mark read"  # taken back
        assert page.model.mention_at(page.model.row_of(late)).read_at is None
        assert mentions.get(sam, late).read_at is None
        box.close()
        page.detail.read_button.click()  # the next write connects again
        settle(qtbot, page)
        assert mentions.get(sam, late).read_at is not None
        assert page.detail.read_button.text() == "Mark unread"
    finally:
        sam.close()
