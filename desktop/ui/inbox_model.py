"""The inbox as a table model: windows of rows from the store, so 100,000 mentions never load at once.

Rows arrive by `fetchMore` (views ask as they scroll), sorting is the store's ORDER BY, and a new or
changed mention is placed or updated in the loaded rows without a reload. The store is read in the model's
own thread (desktop/shell/reader.py): the GUI thread only places what arrives.
"""
from __future__ import annotations

import dataclasses
import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont

from desktop.records import outcomes
from desktop.shell.reader import StoreReader
from desktop.store import mentions
from desktop.store.clock import utc_now
from desktop.store.mentions import Filter, StoredMention
from desktop.store.sources import BUILT_IN
from desktop.text import one_line
from desktop.ui.widgets import put_row, row_at, row_of_id, safe_tooltip, score_text, stars

log = logging.getLogger(__name__)

# The first window: more rows than a tall screen shows (a row is ~22 px), and no more, since a filter change waits
# for it (half the rows, half the reading's CPU: 3 ms against 6 ms on the 100,000-mention store).
WINDOW = 100
# Windows after the first are this many times larger (2,000 rows): each window's arrival costs the view a relayout
# and a repaint on the GUI thread, so a user scrolling on through 100,000 rows gets fewer of them.
MORE_FACTOR = 20

COL_DATE, COL_SOURCE, COL_AUTHOR, COL_CLIENT, COL_RATING, COL_SCORE, COL_REPLY, COL_ASSIGNED, COL_TEXT = range(9)
HEADERS = ("Date", "Source", "Author", "Client / project", "Rating", "Score", "Reply", "Assigned to", "Feedback")
# The store's sort keys (mentions.SORT_COLUMNS), one per column; None: that column does not sort.
SORT_KEYS = ("when", "source", "author", "client", "rating", "score", None, None, "text")
NOT_ANSWERED = "Not yet"
_COLUMNS = len(HEADERS)

MENTION_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
LABEL_ROLE = Qt.ItemDataRole.UserRole + 3

_AMBER = QColor("#e69500")
_DISPLAY, _TOOLTIP, _FONT, _FOREGROUND, _ALIGNMENT, _ACCESSIBLE = (
    int(r.value) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
                           Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.TextAlignmentRole,
                           Qt.ItemDataRole.AccessibleTextRole))
# What PaintedCells holds of each column's cells (the roles a delegate paints that the column answers, and the
# rating's words for a screen reader): asked of every row shown, so only the roles each column has.
_PAINTED_ROLES = tuple((_DISPLAY, _FONT, *((_FOREGROUND, _ALIGNMENT, _ACCESSIBLE) if col == COL_RATING else
                                           (_ALIGNMENT,) if col in (COL_SCORE, COL_REPLY) else ()))
                       for col in range(_COLUMNS))
_CENTER = int(Qt.AlignmentFlag.AlignCenter.value)
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


# Each sort key's attribute of a StoredMention (read per row compared when placing new rows).
_SORT_ATTRIBUTES = {"when": "when", "source": "source_name", "author": "author", "client": "client_name",
                    "rating": "rating", "score": "compound", "text": "text"}


def _sort_value(m: StoredMention, key: str) -> Any:
    return getattr(m, _SORT_ATTRIBUTES[key])


def sort_key(m: StoredMention, sort: str) -> tuple[Any, ...]:
    """A row's place in the store's order by `sort` (ascending). SQLite orders NULL first ascending (last
    descending); ties by id, as mentions.query does."""
    value = _sort_value(m, sort)
    return (0, 0, m.id) if value is None else (1, value, m.id)


# What a view's preparer runs in the reader's thread: the new rows that matched (in the model's order, the first
# `wanted` of them) and their reply words -> mention id -> a prepared row (see InboxModel.new_rows_preparer).
Prepare = Callable[[list[StoredMention], dict[int, str]], dict[int, Any]]


@dataclasses.dataclass(frozen=True)
class Window:
    """What one read of the store brings the model: rows in its order, where they end, their reply words, and
    (for a first window asked with a total) how many match the filter."""

    rows: list[StoredMention]
    cursor: mentions.Cursor | None
    replies: dict[int, str]
    total: int | None = None
    full: bool = False  # as many rows as asked for: there may be more
    # New rows' cells as a view paints them, made in the reader's thread with the read (mention id -> what the
    # view's preparer made; see InboxModel.new_rows_preparer).
    prepared: dict[int, Any] = dataclasses.field(default_factory=dict)


def read_window(conn: Any, flt: Filter, sort: str, descending: bool, after: mentions.Cursor | None, *,
                with_total: bool = False) -> Window:
    """One window of rows and their reply words (in the reader's thread): WINDOW rows first, then larger."""
    limit = WINDOW if after is None else WINDOW * MORE_FACTOR
    rows, cursor = mentions.window(conn, flt, sort=sort, descending=descending, limit=limit, after=after)
    replies = outcomes.reply_words(conn, [m.id for m in rows], utc_now())
    return Window(rows, cursor, replies, mentions.count(conn, flt) if with_total else None, len(rows) == limit)


def read_until(conn: Any, flt: Filter, sort: str, descending: bool, after: mentions.Cursor | None,
               mention_id: int, max_windows: int) -> list[Window]:
    """Windows after `after` until one holds `mention_id` (at most `max_windows`; none when it does not match)."""
    if mentions.count(conn, dataclasses.replace(flt, ids=(mention_id,))) != 1:
        return []
    windows: list[Window] = []
    while len(windows) < max_windows:
        window = read_window(conn, flt, sort, descending, after)
        windows.append(window)
        after = window.cursor
        if not window.full or any(m.id == mention_id for m in window.rows):
            break
    return windows


def read_matching(conn: Any, flt: Filter, mention_ids: tuple[int, ...]) -> Window:
    """Those of `mention_ids` that match `flt`, with their reply words (new or changed rows)."""
    found = mentions.query(conn, dataclasses.replace(flt, ids=mention_ids), limit=0) if mention_ids else []
    return Window(found, None, outcomes.reply_words(conn, [m.id for m in found], utc_now()))


def read_new(conn: Any, flt: Filter, mention_ids: tuple[int, ...], order: tuple[str, bool],
             prepare: tuple[int, Prepare] | None) -> Window:
    """New rows (read_matching), with the first `wanted` of them in the model's `order` (sort key, descending)
    prepared as the view paints them, `prepare = (wanted, preparer)`: in the reader's thread, not on the GUI's."""
    window = read_matching(conn, flt, mention_ids)
    if prepare is None or not window.rows:
        return window
    wanted, preparer = prepare
    sort, descending = order
    first = sorted(window.rows, key=lambda m: sort_key(m, sort), reverse=descending)[:wanted]
    return dataclasses.replace(window, prepared=preparer(first, window.replies))


class InboxModel(QAbstractTableModel):
    """Mentions matching a Filter, sorted by the store, loaded a window at a time.

    Every read runs in the model's StoreReader (desktop/shell/reader.py), never on the GUI thread: a new filter
    or order keeps the rows shown until the store's first window arrives (`loading` meanwhile), windows are
    appended as views scroll, and new or changed mentions are placed when their rows arrive.

    Signals:
        loaded(): a first window arrived (the rows are those of the current filter and order now).
        mention_updated(int): a changed mention's row was re-read (or dropped, no longer matching).
    """

    loaded = Signal()
    mention_updated = Signal(int)

    def __init__(self, conn: Any, flt: Filter = Filter(), parent: Any = None, *, with_total: bool = False,
                 eager: bool = False) -> None:
        """`eager`: the rows are what the window's first paint shows (the inbox), read without waiting for it."""
        super().__init__(parent)
        self.reader = StoreReader(conn, self, eager=eager)
        self._filter = flt
        self._with_total = with_total
        self._sort = "when"
        self._descending = True
        self._rows: list[StoredMention] = []
        self._ids: set[int] = set()  # ids of the loaded rows, kept with them (not rebuilt per window)
        self._cursor: mentions.Cursor | None = None  # where the loaded rows end, for the next window
        self._replies: dict[int, str] = {}  # mention id -> "Draft", "Answered", "Recovered" (desktop.records.outcomes)
        self._more = False
        self._fetching = False
        self._generation = 0  # bumped by each reset: answers for an older filter or order are dropped
        self._requests = itertools.count(1)
        self.loading = True  # the first window of the current filter is on its way
        self.total_count: int | None = None  # with_total: how many match the filter, with each first window
        # A view that paints from its own copy of the cells (PaintedCells) may have new rows' cells made in the
        # reader's thread with their read: called on the GUI thread when new mentions are asked for, it returns
        # (how many of them, in this model's order, to prepare; the function that does it in the reader's
        # thread), or None. What it made is in `prepared` while their rows are inserted (rowsInserted).
        self.new_rows_preparer: Callable[[], tuple[int, Prepare] | None] | None = None
        self.prepared: dict[int, Any] = {}
        _bold()  # made here, on the GUI thread: a preparer in the reader's thread hands the same font out
        self.reader.failed.connect(self.on_read_failed)
        self._load_first()

    # -- state ---------------------------------------------------------------------------------
    @property
    def filter(self) -> Filter:
        return self._filter

    def reading(self) -> bool:
        """Whether an answer from the store is still on its way."""
        return self.reader.busy

    def set_filter(self, flt: Filter) -> None:
        if flt == self._filter:
            return
        self._filter = flt
        self.refresh()

    def refresh(self) -> None:
        """Start again from the first window (a changed filter or sort; not for a single new row). The rows
        shown stay until the new ones arrive."""
        self._load_first()

    def _load_first(self) -> None:
        self._generation += 1
        self.loading = True
        self._fetching = False
        generation, flt, sort, descending = self._generation, self._filter, self._sort, self._descending
        with_total = self._with_total
        self.reader.read("first", lambda conn: read_window(conn, flt, sort, descending, None, with_total=with_total),
                         lambda window: self._on_first(generation, window))

    def _on_first(self, generation: int, window: Window) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._rows = list(window.rows)
        self._ids = {m.id for m in self._rows}
        self._replies = dict(window.replies)
        self._cursor = window.cursor
        self._more = window.full
        self.total_count = window.total
        self.loading = False
        self.endResetModel()
        self.loaded.emit()

    @Slot(object, object)
    def on_read_failed(self, key: object, _exc: object) -> None:
        """A read failed (logged by the reader): keep the rows shown, and let scrolling ask again."""
        self._fetching = False
        if key == "first" and self.loading:
            self.loading = False
            self.loaded.emit()

    def mention_at(self, row: int) -> StoredMention | None:
        return row_at(self._rows, row)

    def ids_between(self, first: int, last: int) -> list[int]:
        """The mention ids of rows `first`..`last` (one call, not one per row)."""
        return [m.id for m in self._rows[max(first, 0):last + 1]]

    def row_of(self, mention_id: int) -> int | None:
        return row_of_id(self._rows, mention_id) if mention_id in self._ids else None

    def load_until(self, mention_id: int, then: Callable[[int | None], None], max_windows: int = 50) -> None:
        """Fetch windows (in the reader, bounded) until `mention_id` is loaded; `then(its row, or None when the
        filter does not hold it)`. Asked while a first window is on its way, it waits for that first."""
        generation = self._generation
        if self.loading:  # reads are answered in order: this one comes after the first window
            self.reader.read(("until", next(self._requests)), lambda _conn: None,
                             lambda _none: self.load_until(mention_id, then, max_windows)
                             if generation != self._generation or not self.loading else then(None))
            return
        row = self.row_of(mention_id)
        if row is not None:
            then(row)
            return

        def arrived(windows: list[Window]) -> None:
            if generation != self._generation:  # the filter changed meanwhile: look in the new one
                self.load_until(mention_id, then, max_windows)
                return
            for window in windows:
                self._append(window)
            then(self.row_of(mention_id))

        # Behind the reads asked before (a new mention being placed), then the windows up to it if there are more.
        flt, sort, descending, after, more = self._filter, self._sort, self._descending, self._cursor, self._more
        self._fetching = more  # the view's own fetchMore waits: these windows come next
        self.reader.read(("until", next(self._requests)),
                         lambda conn: read_until(conn, flt, sort, descending, after, mention_id, max_windows)
                         if more else [],
                         lambda windows: (setattr(self, "_fetching", False), arrived(windows)))

    # -- incremental updates ---------------------------------------------------------------------
    def _sort_key(self, m: StoredMention) -> tuple[Any, ...]:
        return sort_key(m, self._sort)

    def _position(self, m: StoredMention, low: int = 0, high: int | None = None) -> int:
        """Where `m` goes among the loaded rows (between `low` and `high` when known): a binary search (the rows
        are in the store's order)."""
        key = self._sort_key(m)
        high = len(self._rows) if high is None else high
        while low < high:
            middle = (low + high) // 2
            other = self._sort_key(self._rows[middle])
            if (key > other) if self._descending else (key < other):
                high = middle
            else:
                low = middle + 1
        return low

    def _positions(self, ordered: list[StoredMention]) -> list[int]:
        """The places of `ordered` (new rows, in this model's order) among the loaded rows. Places only grow
        along `ordered`, so rows between two that share a place share it too: a poll's page of newest reviews,
        which all go on top, costs two binary searches instead of one per row (on the GUI thread, holding the
        interpreter lock: 160 rows placed over 4,000 loaded took 1.3-1.5 ms of CPU, now 0.03 ms)."""
        if not ordered:
            return []
        places = [0] * len(ordered)
        places[0] = self._position(ordered[0])
        places[-1] = self._position(ordered[-1], places[0])
        spans = [(0, len(ordered) - 1)]
        while spans:
            first, last = spans.pop()
            if places[first] == places[last]:
                places[first + 1:last] = [places[first]] * (last - first - 1)
            elif last - first > 1:
                middle = (first + last) // 2
                places[middle] = self._position(ordered[middle], places[first], places[last])
                spans += [(first, middle), (middle, last)]
        return places

    def add_mention(self, mention_id: int, then: Callable[[int], None] | None = None) -> None:
        """Place a new mention among the loaded rows if it matches (see add_mentions)."""
        self.add_mentions((mention_id,), then)

    def add_mentions(self, mention_ids: tuple[int, ...] | list[int],
                     then: Callable[[int], None] | None = None) -> None:
        """Place new mentions among the loaded rows (one read for all); `then(how many match the filter)`.
        Ones already loaded are re-read instead."""
        known = [i for i in dict.fromkeys(mention_ids) if i in self._ids]
        fresh = tuple(i for i in dict.fromkeys(mention_ids) if i not in self._ids
                      and (not self._filter.ids or i in self._filter.ids))
        for mention_id in known:
            self.update_mention(mention_id)
        if not fresh:
            if then is not None:
                then(0)
            return
        generation, flt, order = self._generation, self._filter, (self._sort, self._descending)
        prepare = self.new_rows_preparer() if self.new_rows_preparer is not None else None
        self.reader.read(("add", next(self._requests)), lambda conn: read_new(conn, flt, fresh, order, prepare),
                         lambda window: self._on_added(generation, window, then))

    def _on_added(self, generation: int, window: Window, then: Callable[[int], None] | None) -> None:
        if generation == self._generation and not self.loading:
            self._place(window)
        if then is not None:
            then(len(window.rows) if generation == self._generation else 0)

    def _place(self, window: Window) -> None:
        # In this model's order, each with its place among the rows loaded now (the same place for a run of
        # new rows that go side by side, as a poll's newest reviews all go on top).
        runs: dict[int, list[StoredMention]] = {}
        ordered = sorted((m for m in window.rows if m.id not in self._ids), key=self._sort_key,
                         reverse=self._descending)
        for m, pos in zip(ordered, self._positions(ordered)):
            if pos == len(self._rows) and self._more:
                continue  # it sorts after the loaded window: a later fetchMore brings it
            runs.setdefault(pos, []).append(m)
        self._replies.update(window.replies)
        # One insert per run, not per row: each insert makes the views re-lay out and repaint, on the GUI thread.
        # From the last run back, so the places of the runs before it still hold.
        self.prepared = window.prepared  # for the views following the inserts (rowsInserted)
        try:
            for pos in sorted(runs, reverse=True):
                run = runs[pos]
                self.beginInsertRows(QModelIndex(), pos, pos + len(run) - 1)
                self._rows[pos:pos] = run
                self._ids.update(m.id for m in run)
                self.endInsertRows()
        finally:
            self.prepared = {}

    @Slot(int)
    def update_mention(self, mention_id: int) -> None:
        """Re-read one loaded mention (read state, link, a draft); drop it when it no longer matches the filter.
        `mention_updated` follows."""
        if self.row_of(mention_id) is None:
            self.mention_updated.emit(mention_id)
            return
        generation, flt = self._generation, self._filter
        self.reader.read(("update", next(self._requests)), lambda conn: read_matching(conn, flt, (mention_id,)),
                         lambda window: self._on_updated(generation, mention_id, window))

    def show_changed(self, m: StoredMention) -> None:
        """Show a change this window is writing (read or unread) before the store has it: the row repaints at
        once; `update_mention` re-reads it once written, or this is called again with the old one to undo it."""
        row = self.row_of(m.id)
        if row is not None:
            put_row(self, self._rows, row, m)

    def _on_updated(self, generation: int, mention_id: int, window: Window) -> None:
        row = self.row_of(mention_id)
        if generation == self._generation and row is not None:
            self._replies.pop(mention_id, None)
            self._replies.update(window.replies)
            m = window.rows[0] if window.rows else None
            if m is None:
                self._ids.discard(mention_id)
            put_row(self, self._rows, row, m)
        self.mention_updated.emit(mention_id)

    def _append(self, window: Window) -> None:
        self._cursor = window.cursor
        self._more = window.full
        batch = [m for m in window.rows if m.id not in self._ids]  # placed earlier by add_mentions
        if not batch:
            return
        self._replies.update(window.replies)
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(batch) - 1)
        self._rows.extend(batch)
        self._ids.update(m.id for m in batch)
        self.endInsertRows()

    # -- Qt model ----------------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        """One call from C++ per cell a view paints, not QAbstractTableModel's two (rowCount, then columnCount)."""
        if 0 <= row < len(self._rows) and 0 <= column < _COLUMNS and not parent.isValid():
            return self.createIndex(row, column)
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._more and not self._fetching and not self.loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        """Ask for the next window (the view asks as it scrolls); its rows are appended when they arrive."""
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        # Seek past the last row fetched (not OFFSET): the 500th window costs what the first did.
        generation, flt, sort, descending, after = (self._generation, self._filter, self._sort, self._descending,
                                                    self._cursor)
        self.reader.read(("more", generation), lambda conn: read_window(conn, flt, sort, descending, after),
                         lambda window: self._on_more(generation, window))

    def _on_more(self, generation: int, window: Window) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        self._append(window)

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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._value(self._rows[index.row()], index.column(), role)

    def painted_cells(self, row: int) -> list[dict[int, Any]]:
        """Per column of `row`, the roles a view paints and their values (those it has): what PaintedCells holds."""
        return painted_cells_of(self._rows[row], self._replies)

    def _value(self, m: StoredMention, col: int, role: int) -> Any:
        return cell_value(m, col, role, self._replies)

    def reply_status(self, m: StoredMention) -> str:
        """"Answered", "Draft", "Not yet" for alerted feedback without a draft, else ""."""
        return reply_status(m, self._replies)

    def _display(self, m: StoredMention, col: int) -> str:
        return display_text(m, col, self._replies)


# What a row shows, as functions of the mention and the reply words read with it (not of the model): the reader's
# thread makes new rows' cells with them (read_new), the GUI thread the rest.
def painted_cells_of(m: StoredMention, replies: dict[int, str]) -> list[dict[int, Any]]:
    """Per column, the roles a view paints and their values (those it has): what PaintedCells holds."""
    cells = []
    for col, painted in enumerate(_PAINTED_ROLES):
        roles = {role: value for role in painted if (value := cell_value(m, col, role, replies)) is not None}
        if col == COL_SCORE:
            roles[LABEL_ROLE] = m.label
        elif col == COL_DATE:
            roles[ID_ROLE] = m.id
        cells.append(roles)
    return cells


def cell_value(m: StoredMention, col: int, role: int, replies: dict[int, str]) -> Any:
    # Roles compared as plain ints: a view asks ~40 times per row on every repaint, and each Qt enum
    # member looked up here cost more than the answer.
    if role == _DISPLAY:
        return display_text(m, col, replies)
    if role == _TOOLTIP:
        if col == COL_TEXT:
            return safe_tooltip(m.text)
        if col == COL_DATE:
            return m.when.astimezone().strftime("%Y-%m-%d %H:%M")
        if col == COL_SOURCE:
            return safe_tooltip(f"{m.source_name}: {m.site}" if m.source in BUILT_IN and m.site
                                else display_text(m, col, replies))
        if col in (COL_AUTHOR, COL_CLIENT, COL_ASSIGNED):
            return safe_tooltip(display_text(m, col, replies))
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


def reply_status(m: StoredMention, replies: dict[int, str]) -> str:
    """"Answered", "Draft", "Not yet" for alerted feedback without a draft, else ""."""
    if m.id in replies:
        return replies[m.id]
    return NOT_ANSWERED if m.alerted else ""


def display_text(m: StoredMention, col: int, replies: dict[int, str]) -> str:
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
        return reply_status(m, replies)
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
