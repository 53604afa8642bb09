"""The configured sources as a table model: a handful of rows, re-read from the store when a poll reports."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

import scrapers

from desktop.shell.reader import StoreReader
from desktop.store import StoreError
from desktop.store import sources as source_store
from desktop.store.clock import Clock, utc_now
from desktop.store.sources import SourceRow
from desktop.ui.state_words import state_words
from desktop.text import one_line
from desktop.ui.widgets import put_row, row_at, row_of_id, safe_tooltip

__all__ = ["SourcesModel", "COL_NAME", "COL_KIND", "COL_ENABLED", "COL_STATE", "COL_LAST_OK", "COL_LAST_ERROR",
           "COL_NEXT_POLL", "HEADERS", "ID_ROLE", "SOURCE_ROLE", "when_text"]

COL_NAME, COL_KIND, COL_ENABLED, COL_STATE, COL_LAST_OK, COL_LAST_ERROR, COL_NEXT_POLL = range(7)
HEADERS = ("Source", "Kind", "Enabled", "State", "Last success", "Last error", "Next check")

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SOURCE_ROLE = Qt.ItemDataRole.UserRole + 2

_GOOD = QColor("#2e7d32")
_WAIT = QColor("#a05f00")
_BAD = QColor("#c62828")
_QUIET = QColor("#757575")
_CELL_WIDTH = 200  # characters; the tooltip and the detail line carry the rest
_STATE_COLOURS = {"ok": _GOOD, "not modified": _GOOD, "new": _QUIET, "rate limited": _WAIT}

Index = QModelIndex | QPersistentModelIndex


def when_text(moment: datetime | None, now: datetime, *, never: str = "Never") -> str:
    """A moment on the user's clock: just the time today, the date too otherwise."""
    if moment is None:
        return never
    local, today = moment.astimezone(), now.astimezone()
    if local.date() == today.date():
        return f"today {local:%H:%M}"
    if local.year == today.year:
        return f"{local:%d %b %H:%M}"
    return f"{local:%d %b %Y %H:%M}"


class SourcesModel(QAbstractTableModel):
    """One row per configured source (the built-in manual and import sources are not shown).

    `set_active` marks the sources a poll round is working on, so "Next check" can say "Checking now".
    """

    def __init__(self, conn: sqlite3.Connection, *, clock: Clock = utc_now, parent: Any = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self._clock = clock
        self._rows: list[SourceRow] = []
        self._active: frozenset[int] = frozenset()
        self.reader = StoreReader(conn, self)
        self.reload()

    # -- the rows ------------------------------------------------------------------------------
    def reading(self) -> bool:
        return self.reader.busy

    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Read the sources again (in the background); `then()` once the table shows them."""
        self.reader.read("all", source_store.configured, lambda rows: self._set_rows(rows, then))

    def _set_rows(self, rows: list[SourceRow], then: Callable[[], None] | None) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()
        if then is not None:
            then()

    def source_at(self, row: int) -> SourceRow | None:
        return row_at(self._rows, row)

    def row_of(self, source_id: int) -> int | None:
        return row_of_id(self._rows, source_id)

    def refresh_sources(self, source_ids: list[int]) -> None:
        """Re-read these sources after their polls (one read for all, in the background) and redraw their rows; a
        source removed meanwhile leaves the table."""
        ids = tuple(dict.fromkeys(source_ids))

        def read(conn: Any) -> dict[int, SourceRow | None]:
            found: dict[int, SourceRow | None] = {}
            for source_id in ids:
                try:
                    found[source_id] = source_store.get(conn, source_id)
                except StoreError:
                    found[source_id] = None
            return found

        self.reader.read(("some", ids), read, self._put_sources)

    def _put_sources(self, found: dict[int, SourceRow | None]) -> None:
        for source_id, fresh in found.items():
            self._put_source(source_id, fresh)

    def _put_source(self, source_id: int, fresh: SourceRow | None) -> None:
        row = self.row_of(source_id)
        if row is None:
            if fresh is not None and not fresh.built_in:
                self.reload()
            return
        put_row(self, self._rows, row, fresh)

    def set_active(self, source_ids: frozenset[int] | set[int]) -> None:
        changed = self._active ^ frozenset(source_ids)
        self._active = frozenset(source_ids)
        for source_id in changed:
            row = self.row_of(source_id)
            if row is not None:
                index = self.index(row, COL_NEXT_POLL)
                self.dataChanged.emit(index, index)

    @staticmethod
    def state_text(source: SourceRow) -> str:
        """The state in words; "try again at" is when the scheduler really will (back-off included)."""
        retry_at = source_store.next_poll(source) if source.state == "rate limited" else source.retry_at
        return state_words(source.state, source.last_error, retry_at or source.retry_at)

    # -- Qt model ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        source = self.source_at(index.row())
        if source is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(source, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(source, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_STATE:
                return _STATE_COLOURS.get(source.state, _BAD)
            if not source.enabled:
                return _QUIET
            return None
        if role == ID_ROLE:
            return source.id
        if role == SOURCE_ROLE:
            return source
        return None

    def _display(self, source: SourceRow, column: int) -> str:
        now = self._clock()
        if column == COL_NAME:
            return one_line(source.name, _CELL_WIDTH)
        if column == COL_KIND:
            return scrapers.title_of(source.kind)
        if column == COL_ENABLED:
            return "Yes" if source.enabled else "No"
        if column == COL_STATE:
            return one_line(self.state_text(source), _CELL_WIDTH)
        if column == COL_LAST_OK:
            return when_text(source.last_ok, now)
        if column == COL_LAST_ERROR:
            return one_line(source.last_error, _CELL_WIDTH) if source.last_error else "—"
        if column == COL_NEXT_POLL:
            if source.id in self._active:
                return "Checking now…"
            if not source.enabled:
                return "Off (disabled)"
            due = source_store.next_poll(source)
            if due is None or due <= now:
                return "Due now"
            return when_text(due, now)
        return ""

    def _tooltip(self, source: SourceRow, column: int) -> str | None:
        # Qt reads tooltips as rich text: everything that came from a site or a user is escaped.
        if column == COL_NAME:
            return safe_tooltip(f"{source.label}\n{source.url}" if source.label else source.url)
        if column == COL_STATE:
            return safe_tooltip(self.state_text(source))
        if column == COL_LAST_ERROR and source.last_error:
            return safe_tooltip(source.last_error)
        return None
