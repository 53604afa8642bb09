"""The inbox as a table model: windows of rows from the store, so 100,000 mentions never load at once.

Rows arrive by `fetchMore` (views ask as they scroll), sorting is the store's ORDER BY, and a new or
changed mention is placed or updated in the loaded rows without a reload.
"""
from __future__ import annotations

import dataclasses
import logging
import sqlite3
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QColor, QFont

from desktop.records import outcomes
from desktop.store import mentions
from desktop.store.clock import utc_now
from desktop.store.mentions import Filter, StoredMention
from desktop.store.sources import BUILT_IN
from desktop.text import one_line
from desktop.ui.widgets import put_row, row_at, row_of_id, safe_tooltip, score_text, stars

log = logging.getLogger(__name__)

WINDOW = 200

COL_DATE, COL_SOURCE, COL_AUTHOR, COL_CLIENT, COL_RATING, COL_SCORE, COL_REPLY, COL_ASSIGNED, COL_TEXT = range(9)
HEADERS = ("Date", "Source", "Author", "Client / project", "Rating", "Score", "Reply", "Assigned to", "Feedback")
# The store's sort keys (mentions.SORT_COLUMNS), one per column; None: that column does not sort.
SORT_KEYS = ("when", "source", "author", "client", "rating", "score", None, None, "text")
NOT_ANSWERED = "Not yet"

MENTION_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
LABEL_ROLE = Qt.ItemDataRole.UserRole + 3

_AMBER = QColor("#e69500")
_DISPLAY, _TOOLTIP, _FONT, _FOREGROUND, _ALIGNMENT, _ACCESSIBLE = (
    int(r.value) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
                           Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.TextAlignmentRole,
                           Qt.ItemDataRole.AccessibleTextRole))
_CENTER = int(Qt.AlignmentFlag.AlignCenter.value)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_BOLD: list[QFont] = []


def _bold() -> QFont:
    """One bold font for every unread row (made on first use: a QFont needs the application)."""
    if not _BOLD:
        font = QFont()
        font.setBold(True)
        _BOLD.append(font)
    return _BOLD[0]
Index = QModelIndex | QPersistentModelIndex


def source_text(m: StoredMention) -> str:
    """Where it came from: the source's name, or the site a user typed for feedback entered by hand."""
    if m.source in BUILT_IN:
        return m.site or m.source_name
    return m.source_name


def client_text(m: StoredMention) -> str:
    if m.client_name and m.project_title:
        return f"{m.client_name} · {m.project_title}"
    return m.client_name or ""


def _sort_value(m: StoredMention, key: str) -> Any:
    return {"when": m.when, "source": m.source_name, "author": m.author, "client": m.client_name,
            "rating": m.rating, "score": m.compound, "text": m.text}[key]


class InboxModel(QAbstractTableModel):
    """Mentions matching a Filter, sorted by the store, loaded a window at a time."""

    def __init__(self, conn: sqlite3.Connection, flt: Filter = Filter(), parent: Any = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self._filter = flt
        self._sort = "when"
        self._descending = True
        self._rows: list[StoredMention] = []
        self._ids: set[int] = set()  # ids of the loaded rows, kept with them (not rebuilt per window)
        self._cursor: mentions.Cursor | None = None  # where the loaded rows end, for the next window
        self._replies: dict[int, str] = {}  # mention id -> "Draft", "Answered", "Recovered" (desktop.records.outcomes)
        self._more = False
        self.last_added_matched = False  # whether add_mention's mention matched the filter (loaded or not)
        self._load_first()

    # -- state ---------------------------------------------------------------------------------
    @property
    def filter(self) -> Filter:
        return self._filter

    def set_filter(self, flt: Filter) -> None:
        if flt == self._filter:
            return
        self._filter = flt
        self.refresh()

    def refresh(self) -> None:
        """Start again from the first window (a changed filter or sort; not for a single new row)."""
        self.beginResetModel()
        self._load_first()
        self.endResetModel()

    def _load_first(self) -> None:
        self._rows, self._cursor = mentions.window(self._conn, self._filter, sort=self._sort,
                                                   descending=self._descending, limit=WINDOW)
        self._ids = {m.id for m in self._rows}
        self._replies = self._reply_words(self._ids)
        self._more = len(self._rows) == WINDOW

    def mention_at(self, row: int) -> StoredMention | None:
        return row_at(self._rows, row)

    def row_of(self, mention_id: int) -> int | None:
        return row_of_id(self._rows, mention_id) if mention_id in self._ids else None

    def total(self) -> int:
        """How many mentions match the filter (one COUNT, for the status bar; not needed to show rows)."""
        return mentions.count(self._conn, self._filter)

    def ensure_loaded(self, mention_id: int, max_windows: int = 50) -> int | None:
        """Fetch windows until `mention_id` is loaded (bounded), and return its row."""
        row = self.row_of(mention_id)
        tries = 0
        while row is None and self._more and tries < max_windows:
            self.fetchMore(QModelIndex())
            row = self.row_of(mention_id)
            tries += 1
        return row

    # -- incremental updates ---------------------------------------------------------------------
    def _matches(self, mention_id: int) -> bool:
        return mentions.count(self._conn, dataclasses.replace(self._filter, ids=(mention_id,))) == 1

    def _sort_key(self, m: StoredMention) -> tuple[Any, ...]:
        # SQLite orders NULL first ascending (last descending); ties by id, as mentions.query does.
        value = _sort_value(m, self._sort)
        return (0, 0, m.id) if value is None else (1, value, m.id)

    def _position(self, m: StoredMention) -> int:
        """Where `m` goes among the loaded rows: a binary search (the rows are in the store's order)."""
        key = self._sort_key(m)
        low, high = 0, len(self._rows)
        while low < high:
            middle = (low + high) // 2
            other = self._sort_key(self._rows[middle])
            if (key > other) if self._descending else (key < other):
                high = middle
            else:
                low = middle + 1
        return low

    @Slot(int)
    def add_mention(self, mention_id: int) -> bool:
        """Place a new mention among the loaded rows if it matches; True when it was inserted."""
        self.last_added_matched = False
        if mention_id in self._ids:
            self.update_mention(mention_id)
            return False
        m = mentions.get(self._conn, mention_id)
        if m is None or not self._matches(mention_id):
            return False
        self.last_added_matched = True
        pos = self._position(m)
        if pos == len(self._rows) and self._more:
            return False  # it sorts after the loaded window: a later fetchMore brings it
        self.beginInsertRows(QModelIndex(), pos, pos)
        self._rows.insert(pos, m)
        self._ids.add(m.id)
        self.endInsertRows()
        return True

    def add_mentions(self, mention_ids: tuple[int, ...] | list[int]) -> int:
        """Place new mentions among the loaded rows (one query for all); returns how many match the filter."""
        fresh = [i for i in dict.fromkeys(mention_ids) if i not in self._ids
                 and (not self._filter.ids or i in self._filter.ids)]
        if not fresh:
            return 0
        found = mentions.query(self._conn, dataclasses.replace(self._filter, ids=tuple(fresh)), limit=0)
        # In this model's order, each with its place among the rows loaded now (the same place for a run of
        # new rows that go side by side, as a poll's newest reviews all go on top).
        runs: dict[int, list[StoredMention]] = {}
        for m in sorted(found, key=self._sort_key, reverse=self._descending):
            pos = self._position(m)
            if pos == len(self._rows) and self._more:
                continue  # it sorts after the loaded window: a later fetchMore brings it
            runs.setdefault(pos, []).append(m)
        # One insert per run, not per row: each insert makes the views re-lay out and repaint, on the GUI thread.
        # From the last run back, so the places of the runs before it still hold.
        for pos in sorted(runs, reverse=True):
            run = runs[pos]
            self.beginInsertRows(QModelIndex(), pos, pos + len(run) - 1)
            self._rows[pos:pos] = run
            self._ids.update(m.id for m in run)
            self.endInsertRows()
        return len(found)

    @Slot(int)
    def update_mention(self, mention_id: int) -> None:
        """Re-read one loaded mention (read state, link); drop it when it no longer matches the filter."""
        row = self.row_of(mention_id)
        if row is None:
            return
        m = mentions.get(self._conn, mention_id)
        self._replies.pop(mention_id, None)
        self._replies.update(self._reply_words([mention_id]))  # a draft may have been saved
        keep = m is not None and self._matches(mention_id)
        if not keep:
            self._ids.discard(mention_id)
        put_row(self, self._rows, row, m if keep else None)

    # -- Qt model ----------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or not self._more:
            return
        # Seek past the last row fetched (not OFFSET): the 500th window costs what the first did.
        batch, self._cursor = mentions.window(self._conn, self._filter, sort=self._sort,
                                              descending=self._descending, limit=WINDOW, after=self._cursor)
        self._more = len(batch) == WINDOW
        batch = [m for m in batch if m.id not in self._ids]  # placed earlier by add_mention
        if not batch:
            return
        self._replies.update(self._reply_words([m.id for m in batch]))
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(batch) - 1)
        self._rows.extend(batch)
        self._ids.update(m.id for m in batch)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(SORT_KEYS) or SORT_KEYS[column] is None:
            return
        key, descending = SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = key, descending
        # A new order is a new first window from the store, not a shuffle of the loaded rows: reset.
        self.refresh()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == COL_SCORE:
                return "Sentiment from -1 (very negative) to +1 (very positive)"
            if role == Qt.ItemDataRole.ToolTipRole and section == COL_REPLY:
                return "Whether you drafted or sent a response (shown for feedback that raised an alert)"
            if role == Qt.ItemDataRole.ToolTipRole and section == COL_ASSIGNED:
                return "The teammate who answers this alert (team mode: Assign to…)"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        m = self._rows[index.row()]
        col = index.column()
        # Roles compared as plain ints: a view asks ~40 times per row on every repaint, and each Qt enum
        # member looked up here cost more than the answer.
        if role == _DISPLAY:
            return self._display(m, col)
        if role == _TOOLTIP:
            if col == COL_TEXT:
                return safe_tooltip(m.text)
            if col == COL_DATE:
                return m.when.astimezone().strftime("%Y-%m-%d %H:%M")
            if col == COL_SOURCE:
                return safe_tooltip(f"{m.source_name}: {m.site}" if m.source in BUILT_IN and m.site
                                    else self._display(m, col))
            if col in (COL_AUTHOR, COL_CLIENT, COL_ASSIGNED):
                return safe_tooltip(self._display(m, col))
            if col == COL_SCORE:
                return f"{m.label} ({m.compound:+.3f})" + (", alert raised" if m.alerted else "")
            return None
        if role == _FONT and m.read_at is None:
            return _bold()
        if role == _FOREGROUND and col == COL_RATING and m.rating is not None:
            return _AMBER
        if role == _ALIGNMENT and col in (COL_RATING, COL_SCORE, COL_REPLY):
            return _CENTER
        if role == _ACCESSIBLE and col == COL_RATING:
            return f"{m.rating:g} of 5 stars" if m.rating is not None else "no rating"
        if role == MENTION_ROLE:
            return m
        if role == ID_ROLE:
            return m.id
        if role == LABEL_ROLE:
            return m.label
        return None

    def reply_status(self, m: StoredMention) -> str:
        """"Answered", "Draft", "Not yet" for alerted feedback without a draft, else ""."""
        if m.id in self._replies:
            return self._replies[m.id]
        return NOT_ANSWERED if m.alerted else ""

    def _reply_words(self, mention_ids: Iterable[int]) -> dict[int, str]:
        return outcomes.reply_words(self._conn, mention_ids, utc_now())

    def _display(self, m: StoredMention, col: int) -> str:
        if col == COL_DATE:
            return m.when.astimezone().strftime("%Y-%m-%d")
        if col == COL_SOURCE:
            return source_text(m)
        if col == COL_AUTHOR:
            return one_line(m.author, 80)
        if col == COL_CLIENT:
            return client_text(m)
        if col == COL_RATING:
            return stars(m.rating)
        if col == COL_SCORE:
            return score_text(m.compound)
        if col == COL_REPLY:
            return self.reply_status(m)
        if col == COL_ASSIGNED:
            return one_line(m.assigned_to or "", 40)
        if col == COL_TEXT:
            return lifecycle_prefix(m) + one_line(m.first_line, 240)
        return ""


def lifecycle_prefix(m: StoredMention) -> str:
    """"[removed] " / "[edited] " before a review's first line: what changed on the site since it was read."""
    if m.removed_at is not None:
        return "[removed] "
    return "[edited] " if m.revision > 1 else ""
