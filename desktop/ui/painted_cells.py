"""The feedback tables' own model (the inbox, a client's feedback): the cells it paints, held in Qt's C++ item model so a repaint never calls Python.

Why: with the InboxModel (Python) as the view's model, every repaint called into Python twice per cell (index,
then multiData: ~250 calls for the ~14 rows a window shows, and a delegate's paint per score badge), and each call
from C++ into Python costs more than its answer (taking the interpreter lock, possibly behind a poll's threads,
wrapping the index, looking the override up). Measured on the 100,000-mention store (2 cores, load 6-9): a repaint
of rows not painted before 13-15 ms of the GUI thread's CPU, now 5.6 ms (filling the 14 rows 1.4 ms, Qt's
painting 4.2 ms); of rows already filled (a poll's new rows pushing the others down, the selection moving) 4.2 ms.

The InboxModel stays what the page and everything else read (its records, `data()`, `mention_at`); this model
follows its rows (inserted, removed, reset, changed), fills a row's cells from it just before the row is first
painted (`fill`, from the view's paint event), and forgets a row's cells when it changes. It holds only what is
painted (and a cell's tooltip once asked): 100,000 loaded rows are 100,000 empty rows here until shown. A poll's
new rows are the exception: the ones the view will show come with their cells made in the reader's thread, with
their read (`PaintedCells.preparer`), and are filled as they are inserted, so the paint after them makes nothing.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Slot
from PySide6.QtGui import QFont, QIcon, QImage, QPixmap, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QStyle, QTableView

from desktop.store.mentions import StoredMention
from desktop.ui.inbox_model import (COL_SCORE, COL_TEXT, HEADERS, ID_ROLE, LABEL_ROLE, InboxModel, Prepare,
                                    painted_cells_of)
from desktop.ui.widgets import score_badge_image, set_up_row_view

Index = QModelIndex | QPersistentModelIndex
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_DISPLAY, _FONT, _ALIGNMENT, _DECORATION, _ACCESSIBLE = (
    int(r.value) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole,
                           Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.AccessibleTextRole))
BADGE_WIDTH_ROLE = Qt.ItemDataRole.UserRole + 20  # the column width a score cell's badge icon was made for
CUT_AT_ROLE = Qt.ItemDataRole.UserRole + 21  # how many characters a cut text cell kept (none: not cut)
ICONS_KEPT = 2_000  # badge icons kept (scores to two decimals, three labels, bold or not): dropped when full
PREPARED_MAX = 200  # new rows prepared in the reader's thread at most per read (a tall window shows ~50)


class ScoreIcons:
    """The score column's badges as its cells' icons, which Qt paints itself. Why: a Python delegate's paint was a
    call into Python per row shown (each waiting for the interpreter lock behind a poll's threads, and ~1 ms of a
    14-row repaint). Qt draws a cell's icon at the cell's left, so each icon is as wide as the column with the badge
    centred in it; when the column is resized, rows get new icons as they are next painted."""

    def __init__(self, view: QTableView, column: int) -> None:
        self._view, self.column = view, column
        self._icons: dict[tuple[str, str, bool, int, float], QIcon] = {}
        view.setIconSize(QSize(4096, 256))  # each icon at its own size (a view's default shrinks them to 16 px)

    def width(self) -> int:
        """The icon width that centres a badge in the column's cells (Qt's margin on each side of an icon)."""
        margin = self._view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self._view) + 1
        return max(self._view.columnWidth(self.column) - 1 - 2 * margin, 0)

    def cell(self, roles: dict[int, Any], width: int) -> dict[int, Any]:
        """A score cell's roles with its badge as the icon (its text only for a screen reader)."""
        key = self.key(roles, width, self._view.devicePixelRatioF())
        return self.with_icon(roles, key, self._icons.get(key) or self._draw(key, roles.get(_FONT)))

    def badges(self) -> "Badges":
        """(GUI thread) What another thread needs to draw badges as this column's cells show them now."""
        return Badges(self.width(), self._view.devicePixelRatioF(), QFont(self._view.font()), self._icons)

    def prepared_cell(self, roles: dict[int, Any]) -> dict[int, Any]:
        """(GUI thread) A score cell Badges.cell prepared: its badge as an icon (the one kept when there is one)."""
        key, image = roles.pop(_BADGE_KEY), roles.pop(_BADGE_IMAGE, None)
        icon = self._icons.get(key)
        if icon is None:  # none kept when it was drawn, or the one kept then was dropped since (drawn here)
            icon = self._keep(key, QPixmap.fromImage(image)) if image is not None else self._draw(key, roles.get(_FONT))
        return self.with_icon(roles, key, icon)

    @staticmethod
    def key(roles: dict[int, Any], width: int, ratio: float) -> tuple[str, str, bool, int, float]:
        """A score cell's badge: (its text, its label, bold or not, the icon's width, the screen's pixel ratio);
        takes the text and the alignment out of `roles` (the badge shows them)."""
        text = str(roles.pop(_DISPLAY, ""))
        roles.pop(_ALIGNMENT, None)
        return text, str(roles.get(LABEL_ROLE) or "neutral"), roles.get(_FONT) is not None, width, ratio

    @staticmethod
    def with_icon(roles: dict[int, Any], key: tuple[str, str, bool, int, float], icon: QIcon) -> dict[int, Any]:
        roles.update({_DECORATION: icon, _ACCESSIBLE: key[0], BADGE_WIDTH_ROLE: key[3]})
        return roles

    def _draw(self, key: tuple[str, str, bool, int, float], row_font: QFont | None) -> QIcon:
        text, label, _bold, width, ratio = key
        return self._keep(key, QPixmap.fromImage(score_badge_image(text, label, row_font, self._view.font(), ratio,
                                                                   width)))

    def _keep(self, key: tuple[str, str, bool, int, float], pixmap: QPixmap) -> QIcon:
        if len(self._icons) >= ICONS_KEPT:
            self._icons.clear()
        icon = self._icons[key] = QIcon()
        for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected):  # a selected row's badge is not tinted
            icon.addPixmap(pixmap, mode)
        return icon


_BADGE_KEY = Qt.ItemDataRole.UserRole + 22  # a prepared score cell's badge (ScoreIcons.key), until it gets its icon
_BADGE_IMAGE = Qt.ItemDataRole.UserRole + 23  # and the badge drawn, when no icon was kept for it then


@dataclasses.dataclass(frozen=True)
class Badges:
    """Drawing the score column's badges in another thread (the reader's, for new rows: PaintedCells.preparer),
    as a QImage: only the GUI thread may make a QPixmap or an icon, which ScoreIcons.prepared_cell does from it.
    A badge whose icon is kept already is not drawn again (`kept` is only read here)."""

    width: int
    ratio: float
    font: QFont
    kept: dict[tuple[str, str, bool, int, float], QIcon]

    def cell(self, roles: dict[int, Any], drawn: dict[tuple[str, str, bool, int, float], QImage]) -> dict[int, Any]:
        key = ScoreIcons.key(roles, self.width, self.ratio)
        roles[_BADGE_KEY] = key
        if key not in self.kept:
            if key not in drawn:
                text, label, _bold, width, ratio = key
                drawn[key] = score_badge_image(text, label, roles.get(_FONT), self.font, ratio, width)
            roles[_BADGE_IMAGE] = drawn[key]
        return roles


class LongTextCut:
    """A text cell's line cut to what its column could show, before Qt lays it out. Why: on every paint Qt lays out
    (shapes) a cell's whole text before eliding it to the column: a review's ~185-character first line in a 380 px
    column was half of the inbox's repaint (14 rows: 4.0 ms of the GUI thread, 1.9 ms with the text column
    hidden, 3.0 ms with lines cut to 90 characters). The cut is never shorter than the column can show: as many
    characters as the narrowest common glyph fits, and "…" after them, so a cut line still says there is more if
    its characters are narrower still (Qt elides the rest as before). A wider column gets its lines cut anew."""

    NARROW = " il.,:;'|!"

    def __init__(self, view: QTableView, column: int) -> None:
        self._view, self.column = view, column
        metrics = view.fontMetrics()  # unread rows are bold: wider glyphs, so the cut holds for them too
        self._narrowest = max(1, min(metrics.horizontalAdvance(c) for c in self.NARROW))

    def chars(self) -> int:
        """How many characters to keep at the column's width now."""
        return self._view.columnWidth(self.column) // self._narrowest + 2

    @staticmethod
    def cell(roles: dict[int, Any], chars: int) -> dict[int, Any]:
        """A text cell's roles with its line cut to `chars` (the whole line for a screen reader)."""
        text = roles.get(_DISPLAY)
        if isinstance(text, str) and len(text) > chars:
            roles.update({_DISPLAY: text[:chars] + "…", _ACCESSIBLE: text, CUT_AT_ROLE: chars})
        return roles


class PaintedCells(QStandardItemModel):
    """The InboxModel's rows as the table paints them (see the module docstring). Sorting and fetching more rows
    are the InboxModel's: asked here by the view, they are passed on."""

    def __init__(self, source: InboxModel, parent: QObject | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.source = source
        self.score_icons: ScoreIcons | None = None  # set by `fill_before_paint`: the scores as badge icons
        self.text_cut: LongTextCut | None = None  # set by `fill_before_paint`: long lines cut to the column
        self.view: QTableView | None = None  # set by `fill_before_paint`: the view painting these cells
        source.new_rows_preparer = self.preparer
        self.setHorizontalHeaderLabels(list(HEADERS))
        for section in range(len(HEADERS)):
            tip = source.headerData(section, Qt.Orientation.Horizontal, _TOOLTIP)
            if tip:
                self.setHeaderData(section, Qt.Orientation.Horizontal, tip, _TOOLTIP)
        self.setRowCount(source.rowCount())
        # Connected before the page's own slots, so the rows are here when the page hears of them.
        source.modelReset.connect(self.on_source_reset)
        source.rowsInserted.connect(self.on_source_rows_inserted)
        source.rowsRemoved.connect(self.on_source_rows_removed)
        source.dataChanged.connect(self.on_source_data_changed)

    # -- following the InboxModel ---------------------------------------------------------------
    @Slot()
    def on_source_reset(self) -> None:
        """New rows (a filter or an order): one reset for the views, as the InboxModel's. The rows are replaced
        with their signals held, or the views would hear of a removal and an insertion inside the reset."""
        self.beginResetModel()
        blocked = self.blockSignals(True)
        try:
            self.setRowCount(0)
            self.setRowCount(self.source.rowCount())
        finally:
            self.blockSignals(blocked)
        self.endResetModel()

    @Slot(QModelIndex, int, int)
    def on_source_rows_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        """New rows; those whose cells the reader's thread prepared with their read are filled now (see
        `preparer`), so the paint that follows has nothing to make."""
        self.insertRows(first, last - first + 1)
        if self.source.prepared and self.score_icons is not None:
            self._fill_prepared(first, self.source.ids_between(first, last), self.source.prepared)

    def _fill_prepared(self, first: int, mention_ids: list[int], prepared: dict[int, Any]) -> None:
        icons = self.score_icons
        assert icons is not None
        blocked = self.blockSignals(True)
        try:
            for row, mention_id in enumerate(mention_ids, first):
                cells = prepared.get(mention_id)
                if cells is None:
                    continue
                for column, roles in enumerate(cells):
                    if column == icons.column:
                        roles = icons.prepared_cell(roles)
                    if roles:  # an empty cell (no client, no reply) stays without an item
                        self.setItemData(self.index(row, column), roles)
        finally:
            self.blockSignals(blocked)

    # -- new rows prepared in the reader's thread ---------------------------------------------------
    def preparer(self) -> tuple[int, Prepare] | None:
        """(GUI thread, when new mentions are asked for) How many new rows to prepare, and how, in the reader's
        thread with their read: their cells as `fill` makes them (display words, the score badge drawn as an image,
        the text cut to the column). Why: a poll's new rows go on top of the inbox, and making the cells of the ~14
        rows a window shows in the paint after their insert took 5-8 ms of the GUI thread (the badges half of it,
        a new score's badge ~0.3 ms) in the middle of a poll round, with the polls' threads after the interpreter
        lock. Prepared are as many rows as reach the bottom of the view (new rows on top push the others down);
        none when the view is not shown (its rows are filled when painted, as before)."""
        view, icons, cut = self.view, self.score_icons, self.text_cut
        if view is None or icons is None or cut is None or not view.isVisible():
            return None
        top = max(view.rowAt(0), 0)
        wanted = min(top + view.viewport().height() // max(view.verticalHeader().defaultSectionSize(), 1) + 1,
                     PREPARED_MAX)
        badges, chars, score_column, text_column = icons.badges(), cut.chars(), icons.column, cut.column

        def prepare(rows: list[StoredMention], replies: dict[int, str]) -> dict[int, Any]:
            drawn: dict[tuple[str, str, bool, int, float], QImage] = {}  # a badge drawn once for the batch
            prepared = {}
            for m in rows:
                cells = painted_cells_of(m, replies)
                cells[score_column] = badges.cell(cells[score_column], drawn)
                cells[text_column] = LongTextCut.cell(cells[text_column], chars)
                prepared[m.id] = cells
            return prepared

        return wanted, prepare

    @Slot(QModelIndex, int, int)
    def on_source_rows_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        self.removeRows(first, last - first + 1)

    def on_source_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, _roles: object = None) -> None:
        """A row was re-read: its cells are emptied here, and filled again when next painted."""
        first, last = top_left.row(), bottom_right.row()
        columns = self.columnCount()
        blocked = self.blockSignals(True)
        try:
            for row in range(first, last + 1):
                for column in range(columns):
                    self.clearItemData(self.index(row, column))
        finally:
            self.blockSignals(blocked)
        self.dataChanged.emit(self.index(first, 0), self.index(last, columns - 1))

    # -- filling -------------------------------------------------------------------------------
    # Cells are set with setItemData (Qt makes the item), never as QStandardItems made in Python: Qt deletes a
    # model's items itself (a reset, a removal), which left the Python side of such items dangling (a crash).
    def fill(self, first: int, last: int) -> None:
        """Fill rows `first`..`last` not filled yet, before they are painted (no signal: the paint follows), and
        give filled rows new score badges when the score column's width changed."""
        last = min(last, self.rowCount() - 1)
        icons, cut = self.score_icons, self.text_cut
        width = icons.width() if icons is not None else 0
        chars = cut.chars() if cut is not None else 0
        blocked = self.blockSignals(True)
        try:
            for row in range(max(first, 0), last + 1):
                if self.index(row, 0).data(ID_ROLE) is None:  # not filled (the date column holds the id)
                    for column, roles in enumerate(self.source.painted_cells(row)):
                        if icons is not None and column == icons.column:
                            roles = icons.cell(roles, width)
                        elif cut is not None and column == cut.column:
                            roles = cut.cell(roles, chars)
                        if roles:  # an empty cell (no client, no reply) stays without an item
                            self.setItemData(self.index(row, column), roles)
                    continue
                if icons is not None and self.index(row, icons.column).data(BADGE_WIDTH_ROLE) != width:
                    roles = icons.cell(self.source.painted_cells(row)[icons.column], width)
                    self.clearItemData(self.index(row, icons.column))
                    self.setItemData(self.index(row, icons.column), roles)
                cut_at = self.index(row, cut.column).data(CUT_AT_ROLE) if cut is not None else None
                if cut is not None and cut_at is not None and cut_at < chars:  # the column got wider
                    roles = cut.cell(self.source.painted_cells(row)[cut.column], chars)
                    self.clearItemData(self.index(row, cut.column))
                    self.setItemData(self.index(row, cut.column), roles)
        finally:
            self.blockSignals(blocked)

    def fill_tooltip(self, row: int, column: int) -> None:
        """A cell's tooltip, made when first asked (most cells are never hovered)."""
        index = self.index(row, column)
        if index.isValid() and index.data(_TOOLTIP) is None:
            tip = self.source.data(self.source.index(row, column), _TOOLTIP)
            if tip is not None:
                blocked = self.blockSignals(True)
                self.setData(index, tip, _TOOLTIP)
                self.blockSignals(blocked)

    # -- asked by the view, answered by the InboxModel ---------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.source.sort(column, order)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802 (Qt's name)
        return self.source.canFetchMore(parent)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802 (Qt's name)
        self.source.fetchMore(parent)


class _FillBeforePaint(QObject):
    """Watches the table's viewport: fills the rows a paint is about to draw, and a cell's tooltip when asked."""

    def __init__(self, view: QTableView, cells: PaintedCells) -> None:
        super().__init__(view)
        self._view = view
        self._cells = cells

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.Paint:
            rect = event.rect()  # type: ignore[attr-defined]
            first = self._view.rowAt(rect.top())
            if first >= 0:
                last = self._view.rowAt(rect.bottom())
                self._cells.fill(first, last if last >= 0 else self._cells.rowCount() - 1)
        elif kind == QEvent.Type.ToolTip:
            index = self._view.indexAt(event.pos())  # type: ignore[attr-defined]
            if index.isValid():
                self._cells.fill_tooltip(index.row(), index.column())
        return False


def fill_before_paint(view: QTableView, cells: PaintedCells, score_column: int = COL_SCORE,
                      text_column: int = COL_TEXT) -> None:
    """Have `view` (whose model is `cells`) fill the rows it is about to paint, its scores as badges and its long
    lines cut to the text column; it edits nothing in place."""
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    cells.score_icons = ScoreIcons(view, score_column)
    cells.text_cut = LongTextCut(view, text_column)
    cells.view = view
    view.viewport().installEventFilter(_FillBeforePaint(view, cells))


def show_painted(view: QTableView, source: InboxModel, parent: QObject) -> PaintedCells:
    """Set `view` up as a list of feedback (set_up_row_view) showing `source`'s rows through painted cells: how
    every table of mentions in Rapport paints (the inbox, a client's feedback). Its indexes are the cells',
    row for row the source's."""
    cells = PaintedCells(source, parent)
    set_up_row_view(view, cells)
    fill_before_paint(view, cells)
    return cells
