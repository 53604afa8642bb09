"""The inbox page and its detail pane: filters, search, highlighted reasons, linking by hand, plain text."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel

from desktop.store import clients, mentions, projects
from desktop.store.clock import utc_now
from desktop.store.mentions import Filter
from desktop.ui.detail_pane import DetailPane, highlight_reasons
from desktop.ui.inbox import InboxPage
from desktop.ui.inbox_model import COL_TEXT, ID_ROLE
from desktop.ui.link_dialog import LinkDialog
from desktop.ui.widgets import REASON_NEGATIVE
from tests.helpers.fixtures import PATIENCE_MS
from tests.helpers.settle import loaded, settle

MARKUP = 'Awful. <b>bold</b> <img src=x onerror=alert(1)> <a href="http://evil.example">click</a>'


def page_ids(page: InboxPage) -> list[int]:
    return [page.model.index(r, 0).data(ID_ROLE) for r in range(page.model.rowCount())]


def make_page(qtbot, conn) -> InboxPage:
    page = InboxPage(conn)
    settle(qtbot, page)
    qtbot.addWidget(page)
    return loaded(qtbot, page)


def test_filter_widgets_narrow_the_inbox(qtbot, conn, add):
    client = clients.add(conn, "Dana Whitfield", handles=[("peopleperhour", "danaw")])
    bad = add("Terrible experience, unprofessional and late.", author="danaw", site="peopleperhour").mention_id
    good = add("Wonderful work, thank you!").mention_id
    page = make_page(qtbot, conn)
    page.reload_choices()
    settle(qtbot, page)
    assert set(page_ids(page)) == {bad, good}
    page.label_combo.setCurrentIndex(page.label_combo.findData("positive"))
    settle(qtbot, page)
    assert page_ids(page) == [good]
    page.label_combo.setCurrentIndex(0)
    settle(qtbot, page)
    page.client_combo.setCurrentIndex(page.client_combo.findData(client.id))
    settle(qtbot, page)
    assert page_ids(page) == [bad]
    page.client_combo.setCurrentIndex(0)
    settle(qtbot, page)
    page.alerted_check.setChecked(True)
    settle(qtbot, page)
    assert page_ids(page) == [bad]
    page.alerted_check.setChecked(False)
    settle(qtbot, page)
    mentions.set_read(conn, [good], True, utc_now())
    page.unread_check.setChecked(True)
    settle(qtbot, page)
    assert page_ids(page) == [bad]


def test_search_box_waits_for_a_pause_then_searches(qtbot, conn, add):
    add("The contact form lost enquiries after the migration.")
    add("Lovely logo, quick revisions.")
    page = make_page(qtbot, conn)
    with qtbot.waitSignal(page.model.modelReset, timeout=PATIENCE_MS):
        qtbot.keyClicks(page.search_edit, "migra")
    settle(qtbot, page)
    assert page.model.rowCount() == 1
    assert "migration" in page.model.index(0, COL_TEXT).data()
    assert page.model.filter.search == "migra"
    page.search_edit.clear()
    page.on_filters_changed()
    settle(qtbot, page)
    assert page.model.rowCount() == 2


def test_empty_filter_says_so(qtbot, conn, add):
    add("Lovely logo.")
    page = make_page(qtbot, conn)
    page.search_edit.setText("zebra")
    page.on_filters_changed()
    settle(qtbot, page)
    assert page.table_stack.currentWidget() is page.empty_label
    assert "zebra" in page.empty_label.text()


def test_detail_pane_highlights_the_reasons(qtbot, conn, add):
    mention_id = add("Terrible experience 😀 and a broken contact form.\r\nUnprofessional.").mention_id
    m = mentions.get(conn, mention_id)
    assert m.reasons, "the scorer gave no reasons to highlight"
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.show_mention(m)
    doc = pane.text_view.document()
    for reason in m.reasons:
        if not 0 <= reason.start < reason.end <= len(m.text):
            continue
        cursor = QTextCursor(doc)
        # Find the highlighted span in the document by its text and check its background.
        found = doc.find(reason.text, 0)
        assert not found.isNull()
        cursor.setPosition(found.selectionStart() + 1)
        colour = cursor.charFormat().background().color()
        assert colour.alpha() > 0 and colour != Qt.GlobalColor.white
        if reason.weight < 0:
            assert colour == REASON_NEGATIVE
    plain = doc.find("experience", 0)
    cursor = QTextCursor(doc)
    cursor.setPosition(plain.selectionStart() + 1)
    assert cursor.charFormat().background().style() == Qt.BrushStyle.NoBrush


def test_highlight_maps_spans_past_emoji_and_crlf(qtbot):
    from desktop.scoring import Reason
    from PySide6.QtGui import QTextDocument

    text = "ok 😀\r\nbroken"
    start = text.index("broken")
    doc = QTextDocument()
    assert highlight_reasons(doc, text, [Reason("broken", start, start + 6, -1.0), Reason("x", 50, 60, 1.0)]) == 1
    found = doc.find("broken")
    cursor = QTextCursor(doc)
    cursor.setPosition(found.selectionStart() + 2)
    assert cursor.charFormat().background().color() == REASON_NEGATIVE


def test_markup_shows_literally_in_table_and_detail(qtbot, conn, add):
    mention_id = add(MARKUP, author="<i>mallory</i>", url="javascript:alert(1)").mention_id
    page = make_page(qtbot, conn)
    page.select_mention(mention_id)
    settle(qtbot, page)
    assert page.model.index(0, COL_TEXT).data() == MARKUP
    pane = page.detail
    assert pane.text_view.toPlainText() == MARKUP
    assert pane.author_label.text() == "<i>mallory</i>"
    for label in pane.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    assert not pane.open_button.isEnabled()  # only http(s) links open in the browser


def test_mark_read_and_unread(qtbot, conn, add):
    mention_id = add("Fine work.").mention_id
    page = make_page(qtbot, conn)
    page.select_mention(mention_id)
    settle(qtbot, page)
    with qtbot.waitSignal(page.summary_changed):
        page.detail.read_button.click()
        settle(qtbot, page)
    settle(qtbot, page)
    assert mentions.get(conn, mention_id).read_at is not None
    assert page.detail.read_button.text() == "Mark unread"
    page.read_action.trigger()
    settle(qtbot, page)
    assert mentions.get(conn, mention_id).read_at is None


def test_a_busy_store_never_stalls_the_window_and_the_user_may_retry(qtbot, db_path, add, conn, monkeypatch):
    """The window writes on a connection of its own, off the GUI thread, waiting WRITER_BUSY_TIMEOUT_MS for a write
    lock another connection holds (a poll or an import); then the user is told and may retry (done once the lock
    is free) or cancel (nothing changed, and what the window showed at once is taken back)."""
    from PySide6.QtWidgets import QMessageBox

    from desktop.store import connect
    from desktop.store.db import GUI_BUSY_TIMEOUT_MS
    from desktop.ui.store_writes import BUSY_TITLE
    from tests.helpers.busy_store import answer_busy_questions

    mention_id = add("Fine work.").mention_id
    gui = connect(db_path, busy_timeout_ms=GUI_BUSY_TIMEOUT_MS)
    assert gui.execute("PRAGMA busy_timeout").fetchone()[0] == GUI_BUSY_TIMEOUT_MS < 1000
    worker = connect(db_path)
    page = make_page(qtbot, gui)
    page.select_mention(mention_id)
    settle(qtbot, page)
    asked = answer_busy_questions(monkeypatch, [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Retry],
                                  lambda: worker.execute("COMMIT"))  # the background write ends meanwhile
    try:
        worker.execute("BEGIN IMMEDIATE")  # a background write holds the lock
        page.detail.read_button.click()
        assert page.detail.read_button.text() == "Mark unread"  # shown at once, written in the background
        settle(qtbot, page)
        assert asked[0][0] == BUSY_TITLE and asked[0][1].startswith("Could not mark it read: ")
        assert mentions.get(gui, mention_id).read_at is None  # cancelled: nothing changed, no half-write
        assert page.detail.read_button.text() == "Mark read"  # and the window shows it unread again
        assert page.model.mention_at(page.model.row_of(mention_id)).read_at is None
        page.detail.read_button.click()  # busy again; Retry once the lock is free
        settle(qtbot, page)
        assert len(asked) == 2 and mentions.get(gui, mention_id).read_at is not None
        assert page.detail.read_button.text() == "Mark unread"
    finally:
        if worker.in_transaction:
            worker.execute("ROLLBACK")
        worker.close()
        page.summary_counter.wait()
        gui.close()


def test_linking_by_hand(qtbot, conn, add, monkeypatch):
    client = clients.add(conn, "Northwind Bakery")
    projects.add(conn, client.id, "Product photo retouching")
    project = projects.add(conn, client.id, "Shopify storefront redesign")
    mention_id = add("The store went live two weeks late.", author="someone_else").mention_id
    page = make_page(qtbot, conn)
    page.select_mention(mention_id)
    settle(qtbot, page)
    assert page.detail.client_label.text() == "Not linked to a client"

    def choose(dialog: LinkDialog) -> int:
        settle(qtbot, dialog)  # the clients, read off the GUI thread
        dialog.client_combo.setCurrentIndex(dialog.client_combo.findData(client.id))
        settle(qtbot, dialog)  # and its projects
        dialog.project_combo.setCurrentIndex(dialog.project_combo.findData(project.id))
        dialog.on_buttons_accepted()
        settle(qtbot, dialog)  # written in the background, then the dialog closes
        return dialog.result()

    monkeypatch.setattr(LinkDialog, "exec", choose)
    page.link_action.trigger()
    settle(qtbot, page)
    stored = mentions.get(conn, mention_id)
    assert (stored.client, stored.project) == (client.id, project.id)
    assert page.detail.client_label.text() == "About: Northwind Bakery · Shopify storefront redesign"
    assert page.model.rowCount() == 1
    assert mentions.count(conn, Filter(project=project.id)) == 1


def test_keyboard_moves_through_the_list(qtbot, conn, add):
    for n in range(3):
        add(f"feedback {n}", days=n)
    page = make_page(qtbot, conn)
    assert page.detail.mention.text == "feedback 2"  # the newest is selected on opening
    page.next_action.trigger()
    settle(qtbot, page)
    page.next_action.trigger()
    settle(qtbot, page)
    page.next_action.trigger()
    settle(qtbot, page)
    assert page.detail.mention.text == "feedback 0"
    page.previous_action.trigger()
    settle(qtbot, page)
    assert page.detail.mention.text == "feedback 1"
    page.search_action.trigger()
    settle(qtbot, page)


def test_search_marks_the_matched_words_in_the_reading_pane(qtbot, conn, add):
    add("The contact form lost enquiries after the Migration. \U0001f600 Migrating again: no.")
    add("Lovely logo, quick revisions.")
    page = make_page(qtbot, conn)
    page.search_edit.setText("migra form")
    page.on_filters_changed()
    settle(qtbot, page)
    assert page.model.rowCount() == 1
    marked = [s.cursor.selectedText() for s in page.detail.text_view.extraSelections()]
    assert marked == ["form", "Migration", "Migrating"]  # as word prefixes, in any case, past an emoji
    page.search_edit.clear()
    page.on_filters_changed()
    settle(qtbot, page)
    assert page.detail.text_view.extraSelections() == []


def test_the_summary_counts_in_words(qtbot, conn, add):
    add("Lovely logo, quick revisions.")
    page = make_page(qtbot, conn)
    said: list[str] = []
    page.summary_changed.connect(said.append)
    page.emit_summary()
    page.summary_counter.wait()
    qtbot.waitUntil(lambda: bool(said) and said[-1] == "1 mention · 1 unread")


def test_new_mentions_are_counted_without_recounting_and_agree_with_a_recount(qtbot, conn, add):
    for i in range(3):
        add(f"Good work number {i}.", days=i)
    page = make_page(qtbot, conn)
    said: list[str] = []
    page.summary_changed.connect(said.append)
    page.label_combo.setCurrentIndex(page.label_combo.findData("negative"))
    settle(qtbot, page)
    qtbot.waitUntil(lambda: bool(said) and said[-1] == "0 of 3 shown · 3 unread")
    for text in ("Missed the deadline and never answered.", "Lovely design, thanks!"):
        page.on_mention_added(add(text, days=10).mention_id)
        settle(qtbot, page)
    counted = said[-1]
    assert counted == "1 of 5 shown · 5 unread"  # counted on arrival, no COUNT
    with qtbot.waitSignal(page.summary_changed):
        page.emit_summary()  # three COUNTs from the store, in the background
    settle(qtbot, page)
    assert said[-1] == counted


def test_a_polls_new_mentions_are_placed_together_and_counted(qtbot, conn, add):
    for i in range(3):
        add(f"Good work number {i}.", days=i)
    page = make_page(qtbot, conn)
    said: list[str] = []
    page.summary_changed.connect(said.append)
    page.label_combo.setCurrentIndex(page.label_combo.findData("negative"))
    settle(qtbot, page)
    qtbot.waitUntil(lambda: bool(said) and said[-1] == "0 of 3 shown · 3 unread")
    ids = tuple(add(text, days=20 + n).mention_id for n, text in enumerate(
        ("Missed the deadline and never answered.", "Lovely design, thanks!", "Rude, late and overpriced.")))
    page.on_mentions_added(ids)
    settle(qtbot, page)
    shown = [page.model.mention_at(r).id for r in range(page.model.rowCount())]
    assert shown == [ids[2], ids[0]]  # the negatives only, newest first
    assert said[-1] == "2 of 6 shown · 6 unread"


def test_polls_ending_together_are_placed_with_one_insert(qtbot, conn, add):
    """Twenty hosts' polls end within milliseconds: their pages reach the view as one insert (one relayout and
    repaint), not one each."""
    add("Good work.", days=1)
    page = make_page(qtbot, conn)
    said: list[str] = []
    page.summary_changed.connect(said.append)
    page.emit_summary()
    settle(qtbot, page)
    inserts: list[tuple[int, int]] = []
    page.model.rowsInserted.connect(lambda _parent, first, last: inserts.append((first, last)))
    polls = [tuple(add(f"Review {poll}.{n} of the new page.", days=10 + poll).mention_id for n in range(3))
             for poll in range(4)]
    for poll in polls:
        page.on_mentions_added(poll)
    assert page.reading()  # the batch is on its way
    settle(qtbot, page)
    assert inserts == [(0, 11)]
    assert page_ids(page)[:12] == [i for poll in reversed(polls) for i in sorted(poll, reverse=True)]
    assert said[-1] == "13 mentions · 13 unread"


def test_the_score_shows_as_a_badge_in_its_labels_colour(qtbot, conn, add):
    """The badge is drawn once into a pixmap and copied on each repaint: what the view shows is that badge."""
    from PySide6.QtGui import QFontMetrics

    from desktop.ui.inbox_model import COL_SCORE
    from desktop.ui.widgets import LABEL_COLOURS

    add("Late, rude and the logo was wrong.", rating=1)
    add("Wonderful, on time and friendly!", rating=5, days=1)
    page = make_page(qtbot, conn)
    page.resize(1100, 600)
    page.show()
    qtbot.waitExposed(page)
    image = page.view.viewport().grab().toImage()
    for row in range(2):
        index = page.model.index(row, COL_SCORE)
        rect = page.view.visualRect(page.view.model().index(row, COL_SCORE))  # the view's own (painted) cells
        bold = index.data(Qt.ItemDataRole.FontRole)
        width = QFontMetrics(bold or page.view.font()).horizontalAdvance(index.data()) + 12
        inside = image.pixelColor(int(rect.center().x() - width / 2) + 3, rect.center().y())
        expected = LABEL_COLOURS[page.model.mention_at(row).label]
        assert (inside.red(), inside.green(), inside.blue()) == (expected.red(), expected.green(), expected.blue())
    assert {page.model.mention_at(r).label for r in range(2)} == {"negative", "positive"}


class _Painted(QObject):
    """Notes each paint of the widget it watches."""

    def __init__(self, order: list[str], parent: QObject) -> None:
        super().__init__(parent)
        self._order = order

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self._order.append("paint")
        return False


def test_a_filter_changes_count_starts_after_its_new_rows_have_painted(qtbot, conn, add):
    """The COUNT's thread is not started beside the repaint the user waits for: the rows arrive, the table paints
    them, then the count is asked (and the status bar says it)."""
    for n, text in enumerate(("Good work.", "Missed the deadline and never answered.", "Lovely design, thanks!")):
        add(text, days=n)
    page = make_page(qtbot, conn)
    page.resize(900, 500)
    page.show()
    qtbot.waitExposed(page)
    settle(qtbot, page)
    order: list[str] = []
    page.view.viewport().installEventFilter(_Painted(order, page))
    page.model.loaded.connect(lambda: order.append("rows"))
    page.summary_counter.reader.busy_changed.connect(lambda busy: order.append("count") if busy else None)
    said: list[str] = []
    page.summary_changed.connect(said.append)
    page.label_combo.setCurrentIndex(page.label_combo.findData("negative"))
    settle(qtbot, page)
    after_rows = order[order.index("rows"):]
    assert "paint" in after_rows and after_rows.index("paint") < after_rows.index("count"), order
    assert said[-1] == "1 of 3 shown · 3 unread"


def test_a_filter_change_counts_what_it_shows_once_its_rows_are_in(qtbot, conn, add, monkeypatch):
    """Unread and everything do not depend on the filter: a filter change reads one COUNT, after its rows (a COUNT
    over 100,000 rows beside the rows' read took the CPU from them); a recount still on its way is never replaced
    by it, so a changed unread count is not lost."""
    from desktop.ui import summary_counts

    counted: list[Filter] = []
    real_count = summary_counts.mentions.count
    monkeypatch.setattr(summary_counts.mentions, "count",
                        lambda c, flt=Filter(): (counted.append(flt), real_count(c, flt))[1])
    ids = [add(text, days=n).mention_id for n, text in enumerate(
        ("Good work.", "Missed the deadline and never answered.", "Lovely design, thanks!"))]
    page = make_page(qtbot, conn)
    said: list[str] = []
    page.summary_changed.connect(said.append)
    page.emit_summary()  # as the window does when it opens
    settle(qtbot, page)
    counted.clear()
    page.label_combo.setCurrentIndex(page.label_combo.findData("negative"))
    assert page.model.reading() and not page.summary_counter.pending  # the count is asked once the rows are in
    settle(qtbot, page)
    assert counted == [page.model.filter] and said[-1] == "1 of 3 shown · 3 unread"
    mentions.set_read(conn, ids[:2], True, utc_now())
    counted.clear()
    page.emit_summary()  # unread changed: a full recount, then at once another filter
    page.label_combo.setCurrentIndex(page.label_combo.findData("positive"))
    settle(qtbot, page)
    assert Filter(unread=True) in counted and said[-1] == f"{page.model.rowCount()} of 3 shown · 1 unread"
