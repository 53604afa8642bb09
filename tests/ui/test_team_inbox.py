"""The inbox on a team database (a real PostgreSQL server): Assign to… and "Assigned to me"; a single user's
inbox shows neither."""
from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from desktop.records.ingest import MANUAL_SOURCE_ID, ingest
from desktop.store import connect, mentions
from desktop.ui.inbox import InboxPage
from desktop.ui.inbox_model import ID_ROLE
from scrapers.base import Mention


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
        qtbot.addWidget(page)
        assert page.assign_action in page.inbox_actions() and not page.mine_check.isHidden()
        page.view.setCurrentIndex(page.model.index(page_ids(page).index(late), 0))
        asked = []

        def pick(parent, title, label, items, current, editable):  # noqa: ANN001, ANN202 - QInputDialog's
            asked.append((title, list(items), editable))
            return "Ana", True

        monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick))
        page.assign_action.trigger()
        assert asked == [("Assign to", ["Sam"], True)]
        assert mentions.get(sam, late).assigned_to == "Ana"

        theirs = InboxPage(ana)  # Ana's window
        qtbot.addWidget(theirs)
        theirs.mine_check.setChecked(True)
        assert page_ids(theirs) == [late]
        page.mine_check.setChecked(True)  # nothing is assigned to Sam
        assert page_ids(page) == []
    finally:
        sam.close()
        ana.close()


def test_a_single_users_inbox_has_no_team_filter_or_action(qtbot, conn) -> None:
    page = InboxPage(conn)
    qtbot.addWidget(page)
    assert page.mine_check.isHidden() and page.mine_check not in page._filter_widgets()
    assert page.assign_action not in page.inbox_actions() and not page.assign_action.isEnabled()
