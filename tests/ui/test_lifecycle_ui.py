"""The inbox shows a review's later life: edited and removed markers, the outcome of a reply, the history."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.store import drafts
from desktop.composer.answers import Answers
from desktop.records.ingest import ingest
from desktop.store import revisions, sources
from desktop.ui.history_dialog import HistoryDialog
from desktop.ui.inbox import InboxPage
from desktop.ui.inbox_model import COL_REPLY, COL_TEXT, ID_ROLE
from scrapers.base import Mention
from tests.helpers.settle import settle

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def review(rid: str, rating: float, text: str) -> Mention:
    return Mention(text=text, author="Maya Chen", external_id=rid, rating=rating, posted_at=T0)


def row_text(page: InboxPage, mention_id: int, col: int) -> str:
    for r in range(page.model.rowCount()):
        if page.model.index(r, 0).data(ID_ROLE) == mention_id:
            return page.model.index(r, col).data()
    raise AssertionError(f"mention {mention_id} is not in the inbox")


def test_recovered_edited_and_removed_reviews_in_the_inbox(qtbot, conn):
    src = sources.add(conn, "trustpilot", "https://www.trustpilot.com/review/rivera.dev")
    [bad, gone] = ingest(conn, src.id, [review("r1", 1, "Missed every deadline and went quiet."),
                                        review("r2", 2, "Half the pages were broken at launch.")],
                         site="trustpilot", clock=lambda: T0)
    draft = drafts.create(conn, bad.mention_id, None, clock=lambda: T0)
    drafts.save(conn, draft, Answers(), "I am sorry, Maya: I missed the deadlines.", clock=lambda: T0)
    drafts.mark_posted(conn, draft, T0 + timedelta(hours=5))
    ingest(conn, src.id, [review("r1", 4, "Update: Sam fixed it all and apologised. Happy now.")],
           site="trustpilot", clock=lambda: T0 + timedelta(days=2))
    with conn:
        revisions.mark_removed(conn, src.id, {"id:r1"}, T0 + timedelta(days=3))

    page = InboxPage(conn)
    settle(qtbot, page)
    qtbot.addWidget(page)
    assert row_text(page, bad.mention_id, COL_REPLY) == "Recovered"
    assert row_text(page, bad.mention_id, COL_TEXT).startswith("[edited] Update: Sam fixed it all")
    assert row_text(page, gone.mention_id, COL_TEXT).startswith("[removed] ")

    page.select_mention(bad.mention_id)
    settle(qtbot, page)
    detail = page.detail
    assert "Edited by the reviewer on" in detail.lifecycle_label.text()
    assert not detail.history_button.isHidden()
    qtbot.mouseClick(detail.history_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)  # once the versions are read
    dialog = QApplication.activeModalWidget()
    title, text = dialog.windowTitle(), dialog.text_view.toPlainText()
    dialog.reject()
    assert title == "Review history"
    assert text.index("Version 1") < text.index("Missed every deadline") < text.index("Version 2")
    assert text.index("Version 2") < text.index("4/5") < text.index("Update: Sam fixed it all")


def test_history_dialog_shows_markup_as_text(qtbot, conn):
    versions = [revisions.Revision(1, "", "<b>Awful</b> &amp; late", 1, -0.8, "negative", T0),
                revisions.Revision(2, "", "Fine now", 4, 0.4, "positive", T0 + timedelta(days=1))]
    dialog = HistoryDialog("Maya Chen", versions)
    qtbot.addWidget(dialog)
    assert "<b>Awful</b> &amp; late" in dialog.text_view.toPlainText()


def test_an_upwork_review_shows_its_reply_deadline(qtbot, conn, add):
    from desktop.ui.detail_pane import DetailPane
    from desktop.store import mentions

    recent = add("Deadline missed twice and the code did not work.", rating=2, site="upwork", days=0).mention_id
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.show_mention(mentions.get(conn, recent))
    text = pane.lifecycle_label.text()
    assert "one public response within 28 days" in text and "cannot be edited" in text
    assert pane.history_button.isHidden()


def test_an_upwork_review_linked_to_a_project_counts_from_its_delivery(qtbot, conn, add):
    """Upwork's 28 days run from the contract's end: the linked project's delivery date when there is one
    (a firm deadline), else the review's own date (an estimate, said "about")."""
    from desktop.records.ingest import MANUAL_SOURCE_ID, Manual
    from desktop.store import clients, mentions, projects
    from desktop.ui.detail_pane import DetailPane

    today = datetime.now(timezone.utc).date()
    client = clients.add(conn, "Dana Whitfield", handles=[("upwork", "dana_w")])
    projects.add(conn, client.id, "Shop checkout rebuild", started=today - timedelta(days=40),
                 delivered=today - timedelta(days=10), status="delivered")
    review = Mention(text="Delivered late and the checkout broke on mobile.", author="dana_w", rating=2,
                     posted_at=datetime.now(timezone.utc) - timedelta(days=1))
    [linked] = ingest(conn, MANUAL_SOURCE_ID, [review],
                      manual=Manual(site="upwork", client="Dana Whitfield", project="Shop checkout rebuild"))
    pane = DetailPane()
    qtbot.addWidget(pane)
    stored = mentions.get(conn, linked.mention_id)
    assert stored.project_delivered == today - timedelta(days=10)
    pane.show_mention(stored)
    deadline = today - timedelta(days=10) + timedelta(days=28)
    text = pane.lifecycle_label.text()
    assert f"Reply by {deadline:%Y-%m-%d}" in text or f"Reply by {deadline + timedelta(days=1):%Y-%m-%d}" in text
    assert "(18 days left)" in text and "about" not in text
    [unlinked] = ingest(conn, MANUAL_SOURCE_ID, [Mention(text="Never answered my messages.", author="lee_w", rating=1,
                                                         posted_at=review.posted_at)], manual=Manual(site="upwork"))
    pane.show_mention(mentions.get(conn, unlinked.mention_id))
    assert "(about 26 days left)" in pane.lifecycle_label.text()  # 27 days less the moments since
