"""The inbox table's painted cells: row for row the InboxModel's, filled before a paint, refilled when a row changes."""
from __future__ import annotations

import threading

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent, QIcon
from PySide6.QtWidgets import QApplication

from desktop.store import mentions
from desktop.store.clock import utc_now
from desktop.ui import inbox_model, painted_cells
from desktop.ui.inbox_model import COL_AUTHOR, COL_RATING, COL_SCORE, COL_TEXT, ID_ROLE, LABEL_ROLE, InboxModel
from desktop.ui.inbox import InboxPage
from desktop.ui.painted_cells import BADGE_WIDTH_ROLE, LongTextCut, PaintedCells
from desktop.ui.widgets import LABEL_COLOURS, score_badge_image
from tests.helpers.qt_garbage import delete_now
from tests.helpers.settle import loaded, settle
from tests.ui.test_inbox_page import make_page

_PAINTED = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.AccessibleTextRole)


def shown_page(qtbot, conn) -> InboxPage:
    """The inbox page on screen, its table painted once (a paint fills the rows it draws)."""
    page = make_page(qtbot, conn)
    page.resize(1100, 600)
    page.show()
    qtbot.waitExposed(page)
    page.view.viewport().grab()
    return page


def test_the_cells_pass_qtmodeltester(qtbot, qtmodeltester, conn, add):
    add("Great work, delivered early.", rating=5)
    add("Late and unprofessional.", rating=1)
    source = loaded(qtbot, InboxModel(conn))
    cells = PaintedCells(source)
    cells.fill(0, source.rowCount() - 1)
    qtmodeltester.check(cells)
    delete_now(cells, source)


def test_a_painted_row_shows_what_the_inbox_model_says(qtbot, conn, add):
    """Every role the table paints, the score's label for its badge, and the date column's mention id."""
    add("Late and unprofessional.", rating=1)
    add('<b>bold</b> "quoted" and fine', rating=5, days=1)
    page = shown_page(qtbot, conn)
    cells, model = page.cells, page.model
    assert cells.rowCount() == model.rowCount() == 2
    for row in range(2):
        for column in range(model.columnCount()):
            for role in _PAINTED if column != COL_SCORE else ():
                assert cells.index(row, column).data(role) == model.index(row, column).data(role), (row, column, role)
        assert cells.index(row, 0).data(ID_ROLE) == model.mention_at(row).id
        score = cells.index(row, COL_SCORE)
        assert score.data(LABEL_ROLE) == model.mention_at(row).label
        assert isinstance(score.data(Qt.ItemDataRole.DecorationRole), QIcon)  # the badge, painted by Qt
        assert score.data(Qt.ItemDataRole.DisplayRole) is None
        assert score.data(Qt.ItemDataRole.AccessibleTextRole) == model.index(row, COL_SCORE).data()
    assert {cells.index(r, COL_RATING).data(Qt.ItemDataRole.AccessibleTextRole) for r in range(2)} == {
        "1 of 5 stars", "5 of 5 stars"}
    assert page.view.editTriggers() == page.view.EditTrigger.NoEditTriggers  # nothing is edited in place


def test_only_the_rows_a_paint_draws_are_filled(qtbot, conn, add, monkeypatch):
    monkeypatch.setattr(inbox_model, "WINDOW", 60)
    for n in range(60):
        add(f"feedback number {n}", days=n)
    page = shown_page(qtbot, conn)
    cells = page.cells
    assert cells.rowCount() == 60
    filled = [row for row in range(60) if cells.index(row, 0).data(ID_ROLE) is not None]
    shown = page.view.rowAt(page.view.viewport().height() - 1)
    assert filled and filled[0] == 0 and len(filled) < 60
    assert shown == -1 or filled[-1] >= shown  # every row on screen, none far below it
    page.view.scrollToBottom()
    page.view.viewport().grab()
    assert cells.index(59, COL_TEXT).data() == page.model.index(59, COL_TEXT).data()


def test_a_changed_row_is_painted_as_it_is_now(qtbot, conn, add):
    """Marking a mention read takes its bold away in the table: the row's cells are refilled from the re-read."""
    mention_id = add("Late and unprofessional.", rating=1).mention_id
    page = shown_page(qtbot, conn)
    assert page.cells.index(0, COL_AUTHOR).data(Qt.ItemDataRole.FontRole) is not None  # unread: bold
    mentions.set_read(conn, [mention_id], True, utc_now())
    page.model.update_mention(mention_id)
    settle(qtbot, page)
    page.view.viewport().grab()
    assert page.cells.index(0, COL_AUTHOR).data(Qt.ItemDataRole.FontRole) is None
    assert page.cells.index(0, 0).data(ID_ROLE) == mention_id


def test_rows_follow_a_new_filter_and_new_mentions(qtbot, conn, add):
    add("Lovely logo, quick revisions.", rating=5)
    bad = add("Terrible experience, unprofessional and late.", rating=1, days=1).mention_id
    page = make_page(qtbot, conn)
    page.show()
    qtbot.waitExposed(page)
    page.label_combo.setCurrentIndex(page.label_combo.findData("negative"))
    settle(qtbot, page)
    page.view.viewport().grab()
    assert page.cells.rowCount() == page.model.rowCount() == 1
    assert page.cells.index(0, 0).data(ID_ROLE) == bad
    newer = add("Missed every deadline and never answered.", rating=1, days=-1).mention_id
    page.on_mention_added(newer)
    settle(qtbot, page)
    page.view.viewport().grab()
    shown = [page.model.mention_at(r).id for r in range(page.model.rowCount())]
    assert sorted(shown) == sorted([newer, bad])
    assert [page.cells.index(r, 0).data(ID_ROLE) for r in range(page.cells.rowCount())] == shown


def test_a_cells_tooltip_is_made_when_asked(qtbot, conn, add):
    add('Awful. <b>bold</b> "quoted"', rating=1)
    page = shown_page(qtbot, conn)
    index = page.cells.index(0, COL_TEXT)
    assert index.data(Qt.ItemDataRole.ToolTipRole) is None
    centre = page.view.visualRect(index).center()
    viewport = page.view.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, centre, viewport.mapToGlobal(centre)))
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert tip == page.model.index(0, COL_TEXT).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;" in tip  # escaped, as the InboxModel gives it


def _badge_colour_at_its_left(page: InboxPage, row: int):  # noqa: ANN202
    """The colour just inside the left end of the score badge, were it centred in its cell."""
    image = page.view.viewport().grab().toImage()
    rect = page.view.visualRect(page.cells.index(row, COL_SCORE))
    index = page.model.index(row, COL_SCORE)
    bold = index.data(Qt.ItemDataRole.FontRole)
    width = QFontMetrics(bold or page.view.font()).horizontalAdvance(index.data()) + 12
    return image.pixelColor(int(rect.center().x() - width / 2) + 3, rect.center().y())


def test_a_resized_score_column_centres_its_badges_again(qtbot, conn, add):
    add("Late, rude and the logo was wrong.", rating=1)
    add("Wonderful, on time and friendly!", rating=5, days=1)
    page = shown_page(qtbot, conn)
    before = page.cells.index(0, COL_SCORE).data(BADGE_WIDTH_ROLE)
    page.view.setColumnWidth(COL_SCORE, page.view.columnWidth(COL_SCORE) + 60)
    for row in range(2):  # the selected row too: its badge is not tinted by the selection
        expected = LABEL_COLOURS[page.model.mention_at(row).label]
        inside = _badge_colour_at_its_left(page, row)
        assert (inside.red(), inside.green(), inside.blue()) == (expected.red(), expected.green(), expected.blue())
    assert page.cells.index(0, COL_SCORE).data(BADGE_WIDTH_ROLE) == before + 60


def _text_cells_image(page):  # noqa: ANN001
    view = page.view
    x = view.columnViewportPosition(COL_TEXT)
    return view.viewport().grab().toImage().copy(x, 0, view.columnWidth(COL_TEXT), view.rowViewportPosition(2))


def test_a_long_line_is_cut_to_its_column_and_paints_as_the_whole_line_would(qtbot, conn, add):
    """The painted copy keeps what the text column can show (Qt lays out a cell's whole text on every paint):
    the pixels are those of the whole line elided, the screen reader gets the whole line, and a wider column
    gets a longer cut."""
    line = " ".join(f"word{n}" for n in range(80))  # ~500 characters, one line
    add(line)
    add("A short review that fits.", days=1)
    page = shown_page(qtbot, conn)
    page.view.setColumnWidth(COL_TEXT, 300)
    page.view.viewport().grab()
    row = page.model.row_of(next(page.model.mention_at(r).id for r in range(2)
                                 if page.model.mention_at(r).text == line))
    full = page.model.index(row, COL_TEXT).data()
    painted = page.cells.index(row, COL_TEXT)
    assert painted.data().endswith("…") and full.startswith(painted.data()[:-1])
    assert len(painted.data()) < len(full) and painted.data(Qt.ItemDataRole.AccessibleTextRole) == full
    short = page.cells.index(1 - row, COL_TEXT).data()
    assert short == page.model.index(1 - row, COL_TEXT).data()  # what fits is not cut
    cut = _text_cells_image(page)

    page.cells.text_cut = None  # the same rows painted from whole lines
    page.cells.on_source_data_changed(page.cells.index(0, 0), page.cells.index(1, 0))
    page.view.viewport().grab()
    assert page.cells.index(row, COL_TEXT).data() == full
    assert _text_cells_image(page) == cut

    page.cells.text_cut = LongTextCut(page.view, COL_TEXT)  # a wider column: the line is cut anew, longer
    page.cells.on_source_data_changed(page.cells.index(0, 0), page.cells.index(1, 0))
    page.view.viewport().grab()
    narrow = len(page.cells.index(row, COL_TEXT).data())
    page.view.setColumnWidth(COL_TEXT, 600)
    page.view.viewport().grab()
    assert len(page.cells.index(row, COL_TEXT).data()) > narrow


def _calls_by_thread(monkeypatch, module, name: str) -> list[bool]:  # noqa: ANN001
    """Record each call of `module.name`: True when it ran on the GUI thread."""
    calls: list[bool] = []
    real = getattr(module, name)

    def recorded(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, recorded)
    return calls


def test_a_polls_new_rows_are_filled_with_their_read_not_in_the_paint(qtbot, conn, add, monkeypatch):
    """New rows on top come with their cells made in the reader's thread (display words, the badge drawn, the line
    cut): inserted filled, so the paint after them makes nothing on the GUI thread, and they show what the
    InboxModel says, their badges the pixels the GUI thread draws."""
    add("Late and unprofessional.", rating=1, days=5)
    page = shown_page(qtbot, conn)
    cells_made = _calls_by_thread(monkeypatch, painted_cells, "painted_cells_of")
    badges_drawn = _calls_by_thread(monkeypatch, painted_cells, "score_badge_image")
    new = [add("Missed every deadline and never answered.", rating=1, days=9).mention_id,
           add("Wonderful logo, quick revisions, lovely to work with.", rating=5, days=10).mention_id]
    page.on_mentions_added(tuple(new))
    page._arrivals.flush_now()
    settle(qtbot, page)
    model, cells = page.model, page.cells
    assert [model.mention_at(r).id for r in range(3)][:2] == new[::-1]  # the newest on top
    for row in range(2):  # filled (at insert: made off the GUI thread, counted below)
        assert cells.index(row, 0).data(ID_ROLE) == model.mention_at(row).id
        for column in range(model.columnCount()):
            for role in _PAINTED if column != COL_SCORE else ():
                assert cells.index(row, column).data(role) == model.index(row, column).data(role), (row, column, role)
        score = cells.index(row, COL_SCORE)
        assert score.data(Qt.ItemDataRole.AccessibleTextRole) == model.index(row, COL_SCORE).data()
        icon = score.data(Qt.ItemDataRole.DecorationRole)
        width = score.data(BADGE_WIDTH_ROLE)
        drawn = score_badge_image(model.index(row, COL_SCORE).data(), model.mention_at(row).label,
                                  model.index(row, COL_SCORE).data(Qt.ItemDataRole.FontRole), page.view.font(),
                                  page.view.devicePixelRatioF(), width)
        assert icon.pixmap(drawn.size()).toImage().convertToFormat(drawn.format()) == drawn
    assert len(cells_made) == 2 and len(badges_drawn) == 2  # the two new rows' cells and badges ...
    assert not any(cells_made) and not any(badges_drawn)  # ... made in the reader's thread
    page.view.viewport().grab()
    assert not any(cells_made) and not any(badges_drawn)  # the paint made none either
    assert cells.index(2, 0).data(ID_ROLE) == model.mention_at(2).id  # the older row, filled when first painted


def test_only_the_new_rows_a_view_can_show_are_prepared(qtbot, conn, add, monkeypatch):
    """A burst bigger than the window: the rows reaching the bottom of the view are prepared with their read, the
    rest are filled when painted, as before; and a hidden inbox prepares none."""
    add("An older review.", days=100)
    page = shown_page(qtbot, conn)
    made = _calls_by_thread(monkeypatch, painted_cells, "painted_cells_of")
    shown = page.view.viewport().height() // page.view.verticalHeader().defaultSectionSize() + 1
    burst = tuple(add(f"Review number {n} of a long burst.", days=200 + n).mention_id for n in range(shown + 25))
    page.on_mentions_added(burst)
    page._arrivals.flush_now()
    settle(qtbot, page)
    assert page.model.rowCount() == len(burst) + 1
    assert len(made) == shown and not any(made)
    filled = [row for row in range(page.cells.rowCount()) if page.cells.index(row, 0).data(ID_ROLE) is not None]
    assert filled[:shown] == list(range(shown)) and page.cells.index(shown + 5, 0).data(ID_ROLE) is None
    page.view.scrollToBottom()
    page.view.viewport().grab()
    assert page.cells.index(page.cells.rowCount() - 1, 0).data(ID_ROLE) == page.model.mention_at(
        page.model.rowCount() - 1).id

    page.hide()
    made.clear()
    hidden = add("Arrived while the inbox was hidden.", days=400).mention_id
    page.on_mentions_added((hidden,))
    page._arrivals.flush_now()
    settle(qtbot, page)
    assert page.model.mention_at(0).id == hidden and made == []
    assert page.cells.index(0, 0).data(ID_ROLE) is None  # filled when it is painted
