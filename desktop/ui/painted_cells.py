"""The inbox table's own model: the cells it paints, held in Qt's C++ item model so a repaint never calls Python.

Why: with the InboxModel (Python) as the view's model, every repaint called into Python twice per cell (index,
then multiData: ~250 calls for the ~14 rows a window shows), and each call from C++ into Python costs more than
its answer (taking the interpreter lock, wrapping the index, looking the override up). Measured on the
100,000-mention store, 2 cores under load: a cold repaint of the rows 15.6 ms against 7.6 ms for the same cells
in a QStandardItemModel; filling the ~14 rows shown costs ~2-3 ms once, and a repaint of rows already filled
(a poll's new rows pushing the others down, the selection moving) costs nothing more. A repaint that calls no
Python also never waits for the interpreter behind a poll's threads.

The InboxModel stays what the page and everything else read (its records, `data()`, `mention_at`); this model
follows its rows (inserted, removed, reset, changed), fills a row's cells from it just before the row is first
painted (`fill`, from the view's paint event), and forgets a row's cells when it changes. It holds only what is
painted (and a cell's tooltip once asked): 100,000 loaded rows are 100,000 empty rows here until shown.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QTableView

from desktop.ui.inbox_model import HEADERS, ID_ROLE, InboxModel

Index = QModelIndex | QPersistentModelIndex
_TOOLTIP = Qt.ItemDataRole.ToolTipRole


class PaintedCells(QStandardItemModel):
    """The InboxModel's rows as the table paints them (see the module docstring). Sorting and fetching more rows
    are the InboxModel's: asked here by the view, they are passed on."""

    def __init__(self, source: InboxModel, parent: QObject | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.source = source
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
        self.insertRows(first, last - first + 1)

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
        """Fill rows `first`..`last` not filled yet, before they are painted (no signal: the paint follows)."""
        last = min(last, self.rowCount() - 1)
        blocked = self.blockSignals(True)
        try:
            for row in range(max(first, 0), last + 1):
                if self.index(row, 0).data(ID_ROLE) is not None:  # filled (the date column holds the id)
                    continue
                for column, roles in enumerate(self.source.painted_cells(row)):
                    if roles:  # an empty cell (no client, no reply) stays without an item
                        self.setItemData(self.index(row, column), roles)
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


def fill_before_paint(view: QTableView, cells: PaintedCells) -> None:
    """Have `view` (whose model is `cells`) fill the rows it is about to paint; it edits nothing in place."""
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.viewport().installEventFilter(_FillBeforePaint(view, cells))
