"""The inbox page: filters and full-text search over the mentions table, and the selected one in full.

Signals:
    compose_requested(int): answer mention id (the main window opens the composer).
    add_feedback_requested(): the user wants to type feedback in by hand.
    summary_changed(str): counts for the status bar, after a filter, a new row or a read change.
    mention_changed(int): the user changed a mention here (read, linked, marked posted, corrected): alerts may
        have changed.
"""
from __future__ import annotations

import dataclasses
import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QInputDialog, QLineEdit,
                               QPushButton, QSplitter, QStackedWidget, QTableView, QVBoxLayout, QWidget)

from desktop.shell.batching import Batcher
from desktop.store import alerts as alert_store
from desktop.store import drafts
from desktop.store import mentions
from desktop.store import team
from desktop.store.clock import utc_now
from desktop.store.mentions import Filter, StoredMention
from desktop.shell.writer import StoreWriter
from desktop.text import counted
from desktop.ui.detail_pane import DetailPane
from desktop.ui.learning import Learner
from desktop.ui.store_writes import write_in_background
from desktop.ui.inbox_model import (COL_ASSIGNED, COL_AUTHOR, COL_CLIENT, COL_DATE, COL_RATING, COL_REPLY,
                                    COL_SCORE, COL_SOURCE, InboxModel)
from desktop.ui.painted_cells import show_painted
from desktop.ui.pickers import FilterChoices, read_filter_choices, refill_filter_combos
from desktop.ui.sort_arrow import point_sort_arrows
from desktop.ui.summary_counts import SummaryCounter
from desktop.ui.widgets import placeholder_label, plain_label

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250
# New mentions from polls that end together are placed together: one insert (relayout, repaint) once their polls
# pause for PLACE_QUIET_MS, and PLACE_LATEST_MS after the first at the latest. Why: a round's twenty hosts' polls
# end over a second or more (their pages queue for the worker process); placed every second, two or three
# repaints of the table a burst (6-12 ms of the GUI thread's CPU each, ~25 a round) came while the polls' threads,
# the worker process and the store's writes took the cores and the interpreter lock, and the GUI thread waited
# for them in the middle of its repaint: the round's longest event-loop stalls (bench case_gui_stall,
# BENCH_PROFILE=events and sched). Placed once the burst's polls are done, the repaint finds the cores free. A
# single poll's reviews (Check now) show after PLACE_QUIET_MS; a burst's a moment after its last poll.
PLACE_QUIET_MS = 400
PLACE_LATEST_MS = 3000
# The longest a filter's count waits for the table to paint its new rows (see InboxPage._count_after_paint).
COUNT_LATEST_MS = 250
NARROWEST = 640  # the inbox's own minimum width, filters wrapped (a 900 px window less the sidebar fits)


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


def scope_words(flt: Filter) -> str:
    """What a filter from the dashboard narrows to beyond the filter bar, in words ("" when nothing)."""
    parts = []
    last = flt.until - timedelta(seconds=1) if flt.until is not None else None  # the period is half-open
    if flt.since is not None and last is not None:
        parts.append(_day(flt.since) if flt.since.date() == last.date() else f"{_day(flt.since)} to {_day(last)}")
    elif flt.since is not None:
        parts.append(f"since {_day(flt.since)}")
    elif last is not None:
        parts.append(f"up to {_day(last)}")
    if flt.stars is not None:
        parts.append(f"{flt.stars} ★")
    if flt.rated:
        parts.append("with a star rating")
    if flt.unlinked:
        parts.append("no client")
    if flt.unanswered:
        parts.append("alerted negatives not answered yet")
    return " · ".join(parts)


REFRESH_ROWS_MAX = 50  # a teammate's change to more mentions than this reloads the list once
COLUMN_WIDTHS = {COL_DATE: 92, COL_SOURCE: 130, COL_AUTHOR: 130, COL_CLIENT: 220, COL_RATING: 80, COL_SCORE: 64,
                 COL_REPLY: 76, COL_ASSIGNED: 96}


class _FirstPaint(QObject):
    """An event filter that calls `then()` when the widget it watches begins a paint (installed only while
    something waits for one: a filter in Python is a call from C++ per event)."""

    def __init__(self, then: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._then = then

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self._then()
        return False


class InboxPage(QWidget):
    """Filter bar on top, the table on the left, the detail pane on the right."""

    compose_requested = Signal(int)
    add_feedback_requested = Signal()
    summary_changed = Signal(str)
    mention_changed = Signal(int)

    def __init__(self, conn: sqlite3.Connection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self.model = InboxModel(conn, parent=self, eager=True)
        self.reader = self.model.reader  # the page's own reads queue behind the model's, on its connection
        self.writer = StoreWriter(conn, self)  # what the user changes here, written in order off the GUI thread
        self._keep_selected: int | None = None  # the mention to select again when a new filter's rows arrive
        self._row_before: dict[int, int] = {}  # a changed mention's row, to go on with the next one if it leaves
        self._counts = (0, 0, 0)  # shown, unread, everything: the status bar's last count
        self._added_while_counting = False
        # Whether `_counts`' unread and everything are current (no full recount asked for since the last answer),
        # so a filter change counts only what the filter shows; and a filter's count waiting for its rows.
        self._totals_current = False
        self._count_when_loaded = False
        # The filter's count starts once the table has painted the new rows (or, should no paint come, after
        # COUNT_LATEST_MS): started with them, the COUNT's thread took a core and the interpreter from the repaint
        # the user waits for. `_painted` watches the table for that paint only while a count waits for it.
        self._count_after_paint = QTimer(self, singleShot=True)
        self._count_after_paint.timeout.connect(self.on_count_after_paint_timeout)
        self._painted = _FirstPaint(self._on_rows_painted, self)
        self.summary_counter = SummaryCounter(conn, self)
        self.summary_counter.counted.connect(self.on_summary_counted)
        self._arrivals: Batcher[int] = Batcher(self._place_arrivals, PLACE_LATEST_MS, self, quiet_ms=PLACE_QUIET_MS)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search feedback (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(160)
        self.label_combo = QComboBox()
        self.label_combo.addItem("Any sentiment", None)
        for label in ("negative", "neutral", "positive"):
            self.label_combo.addItem(label.capitalize(), label)
        self.source_combo = QComboBox()
        self.client_combo = QComboBox()
        self.client_combo.setMinimumContentsLength(10)
        self.source_combo.setMinimumContentsLength(10)
        for combo in (self.source_combo, self.client_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        # A filter from the dashboard (a week, a star, "no client") has no widget in the bar: said here, clearable.
        self.scope_label = plain_label()
        self.scope_clear = QPushButton("Show all")
        self.scope_clear.setToolTip("Drop the dashboard's period, star and client limits; keep the filters above")
        self.scope_row = QWidget()
        scope = QHBoxLayout(self.scope_row)
        scope.setContentsMargins(0, 0, 0, 0)
        scope.addWidget(self.scope_label, 1)
        scope.addWidget(self.scope_clear)
        self.scope_row.hide()
        self.unread_check = QCheckBox("&Unread only")
        self.alerted_check = QCheckBox("&Alerts only")
        # A team's store: alerts assigned to this desktop's person. A single user's inbox has no such filter.
        self.team = team.shared(conn)
        self._person = ""  # this desktop's person in the team, once read
        if self.team:
            self.reader.read("person", team.person, self._set_person)
        # A child of the page even when no layout takes it (a single user's inbox): deleted with the page, on the
        # GUI thread, not whenever the garbage collector frees the page's Python side.
        self.mine_check = QCheckBox("Assigned to m&e", self)
        self.mine_check.setVisible(self.team)
        self.add_button = QPushButton("Add feedback…")
        self.add_button.setToolTip("Add feedback that came by email, phone or elsewhere (Ctrl+N)")
        self.reload_choices(apply=False)

        self.view = QTableView()
        # The view paints the rows from a C++ copy of what it shows (see painted_cells.py); its indexes are that
        # model's, row for row the InboxModel's.
        self.cells = show_painted(self.view, self.model, self)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Fixed row heights keep scrolling cheap however many rows are loaded.
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        point_sort_arrows(header)  # newest first shows an arrow pointing down, as file lists show it
        header.setSortIndicator(COL_DATE, Qt.SortOrder.DescendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setColumnHidden(COL_ASSIGNED, not self.team)  # one person assigns nothing
        self.empty_label = placeholder_label()
        self.table_stack = QStackedWidget()
        self.table_stack.addWidget(self.view)
        self.table_stack.addWidget(self.empty_label)

        self.detail = DetailPane()
        # Reading pane below the list: at 1280 px the table keeps every column and a long text column.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table_stack)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([380, 340])
        self.splitter.setChildrenCollapsible(False)

        # The filters share the search's row on a wide window and take a row of their own on a narrow one
        # (half a screen), so nothing is cut off.
        self.bar = QHBoxLayout()
        self.filters_row = QHBoxLayout()
        self._filters_wrapped: bool | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 0)
        box.addLayout(self.bar)
        box.addLayout(self.filters_row)
        box.addWidget(self.scope_row)
        box.addWidget(self.splitter, 1)
        self._arrange_filters(wrapped=False)
        # What the page needs once its filters wrap: the one-row bar must not set the window's minimum width.
        self.setMinimumWidth(NARROWEST)

        for first, second in ((self.search_edit, self.label_combo), (self.label_combo, self.source_combo),
                              (self.source_combo, self.client_combo), (self.client_combo, self.unread_check),
                              (self.unread_check, self.alerted_check), (self.alerted_check, self.add_button),
                              (self.add_button, self.view), (self.view, self.detail.text_view)):
            QWidget.setTabOrder(first, second)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.on_filters_changed)
        self.search_edit.textChanged.connect(self.on_search_text_changed)
        self.search_edit.returnPressed.connect(self.on_filters_changed)
        for combo in (self.label_combo, self.source_combo, self.client_combo):
            combo.currentIndexChanged.connect(self.on_filters_changed)
        self.unread_check.toggled.connect(self.on_filters_changed)
        self.alerted_check.toggled.connect(self.on_filters_changed)
        self.mine_check.toggled.connect(self.on_filters_changed)
        self.add_button.clicked.connect(self.add_feedback_requested)
        self.scope_clear.clicked.connect(self.on_scope_clear_clicked)
        self.view.selectionModel().currentRowChanged.connect(self.on_view_current_changed)
        self.model.modelReset.connect(self.on_model_rows_changed)
        self.model.loaded.connect(self.on_model_loaded)
        self.model.mention_updated.connect(self.on_model_mention_updated)
        self.model.rowsInserted.connect(self.on_model_rows_changed)
        self.model.rowsRemoved.connect(self.on_model_rows_changed)
        self.detail.read_toggled.connect(self.on_detail_read_toggled)
        self.detail.link_requested.connect(self.on_detail_link_requested)
        self.detail.compose_requested.connect(self.compose_requested)
        self.detail.label_corrected.connect(self.on_detail_label_corrected)
        self.detail.history_requested.connect(self.on_detail_history_requested)
        self.detail.assign_requested.connect(self.on_assign_triggered)
        self.detail.set_team(self.team)
        self.learner = Learner(conn, self)
        self.learner.relearned.connect(self.on_learner_relearned)

        self.search_action = self._action("&Search", "Ctrl+F", self.on_search_triggered)
        self.next_action = self._action("&Next feedback", "J", self.on_next_triggered)
        self.previous_action = self._action("&Previous feedback", "K", self.on_previous_triggered)
        self.read_action = self._action("&Mark read / unread", "M", self.on_read_triggered)
        self.link_action = self._action("&Link to client…", "L", self.on_link_triggered)
        self.compose_action = self._action("&Compose response…", "R", self.on_compose_triggered)
        self.compose_action.setEnabled(False)
        self.posted_action = self._action("Mark as &posted / not posted", "P", self.on_posted_triggered)
        self.posted_action.setToolTip("Say that your reply is up on the site (or sent): the review counts as answered")
        self.correct_action = self._action("&Correct the label (negative / not negative)", "N", self.on_correct_triggered)
        self.learned_action = self._action("What Rapport &learned…", "", self.on_learned_triggered)
        self.assign_action = self._action("&Assign to…", "Ctrl+Shift+A", self.on_assign_triggered)
        self.assign_action.setToolTip("Give this alert to a teammate (team mode)")
        self.assign_action.setVisible(self.team)
        self.assign_action.setEnabled(self.team)
        # Right-click on a row: the same corrections as the reading pane's button (and, in a team, Assign to…).
        self.view.addAction(self.correct_action)
        if self.team:
            self.view.addAction(self.assign_action)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.on_model_rows_changed()

    def _filter_widgets(self) -> tuple[QWidget, ...]:
        mine = (self.mine_check,) if self.team else ()
        return (self.label_combo, self.source_combo, self.client_combo, self.unread_check, self.alerted_check, *mine)

    def _arrange_filters(self, *, wrapped: bool) -> None:
        if wrapped == self._filters_wrapped:
            return
        self._filters_wrapped = wrapped
        for layout in (self.bar, self.filters_row):
            while layout.count():
                layout.takeAt(0)
        self.bar.addWidget(self.search_edit, 2)
        if wrapped:
            for widget in self._filter_widgets():
                self.filters_row.addWidget(widget)
            self.filters_row.addStretch(1)
        else:
            for widget in self._filter_widgets():
                self.bar.addWidget(widget)
        self.bar.addStretch(1 if not wrapped else 0)
        self.bar.addWidget(self.add_button)

    def _one_row_width(self) -> int:
        widgets = (self.search_edit, *self._filter_widgets(), self.add_button)
        spacing = max(self.bar.spacing(), 0) * len(widgets)
        margins = self.layout().contentsMargins()
        return sum(w.minimumSizeHint().width() for w in widgets) + spacing + margins.left() + margins.right()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        self._arrange_filters(wrapped=event.size().width() < self._one_row_width())
        super().resizeEvent(event)

    def _action(self, text: str, shortcut: str, slot: object) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def inbox_actions(self) -> list[QAction]:
        return [self.search_action, self.next_action, self.previous_action, self.read_action,
                self.link_action, self.compose_action, self.posted_action, self.correct_action, self.learned_action,
                *([self.assign_action] if self.team else [])]

    def set_compose_available(self, available: bool) -> None:
        self.compose_action.setEnabled(available)
        self.detail.set_compose_available(available)

    # -- filters ---------------------------------------------------------------------------------
    def reading(self) -> bool:
        """Whether the page still waits for the store (rows, counts, choices, a write of the user's)."""
        return (self.model.reading() or self.summary_counter.pending or self.writer.busy
                or self._arrivals.pending or self._count_after_paint.isActive())

    def _set_person(self, person: str) -> None:
        self._person = person
        if self.mine_check.isChecked():
            self.on_filters_changed()

    def reload_choices(self, apply: bool = True) -> None:
        """Refill the source and client filters (after records change), keeping what was chosen; the names are
        read in the background."""
        def refill(choices: FilterChoices) -> None:
            refill_filter_combos(choices, self.source_combo, self.client_combo)
            if apply:
                self.on_filters_changed()

        self.reader.read("choices", read_filter_choices, refill)

    def current_filter(self) -> Filter:
        """The bar's filters, within the dashboard's limits (period, star...) until Show all drops them."""
        client = self.client_combo.currentData()
        shown = self.model.filter
        return dataclasses.replace(
            shown, label=self.label_combo.currentData(), source=self.source_combo.currentData(), client=client,
            unread=self.unread_check.isChecked(), alerted=self.alerted_check.isChecked(),
            assigned_to=self._person if self.mine_check.isChecked() else None,
            search=self.search_edit.text().strip(), unlinked=shown.unlinked and client is None, ids=())

    @Slot()
    def on_scope_clear_clicked(self) -> None:
        self._set_model_filter(dataclasses.replace(self.current_filter(), since=None, until=None, stars=None,
                                                   rated=False, unlinked=False, unanswered=False))

    def apply_filter(self, flt: Filter) -> None:
        """Show what `flt` selects, setting the filter widgets to match (used by show_inbox)."""
        widgets = (self.search_edit, self.label_combo, self.source_combo, self.client_combo,
                   self.unread_check, self.alerted_check, self.mine_check)
        for widget in widgets:
            widget.blockSignals(True)
        self.search_edit.setText(flt.search)
        self.label_combo.setCurrentIndex(max(0, self.label_combo.findData(flt.label)) if flt.label else 0)
        self.source_combo.setCurrentIndex(max(0, self.source_combo.findData(flt.source))
                                          if flt.source is not None else 0)
        self.client_combo.setCurrentIndex(max(0, self.client_combo.findData(flt.client))
                                          if flt.client is not None else 0)
        self.unread_check.setChecked(flt.unread)
        self.alerted_check.setChecked(flt.alerted)
        self.mine_check.setChecked(flt.assigned_to is not None)
        for widget in widgets:
            widget.blockSignals(False)
        self._set_model_filter(flt)

    @Slot(str)
    def on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()  # typing stays fluid: one query when the user pauses

    @Slot()
    def on_filters_changed(self) -> None:
        self._search_timer.stop()
        self._set_model_filter(self.current_filter())

    def _set_model_filter(self, flt: Filter) -> None:
        if flt == self.model.filter:
            return
        self._keep_selected = self.current_mention_id()
        self.detail.set_search(flt.search)
        self.model.set_filter(flt)
        words = scope_words(flt)
        self.scope_label.setText(f"From the dashboard, only: {words}" if words else "")
        self.scope_row.setVisible(bool(words))
        # Counted once the first rows are in: on a 2-core machine a COUNT over 100,000 rows beside the rows' own
        # read took the CPU from the read and from the repaint the user waits for.
        self._count_when_loaded = True

    # -- selection -------------------------------------------------------------------------------
    def current_mention_id(self) -> int | None:
        m = self.detail.mention
        return m.id if m else None

    def _select_row(self, row: int) -> None:
        index = self.cells.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)

    def select_mention(self, mention_id: int, then: Callable[[bool], None] | None = None) -> None:
        """Select a mention, loading windows up to it in the background; `then(found)` once known."""
        def arrived(row: int | None) -> None:
            if row is not None:
                self._select_row(row)
            if then is not None:
                then(row is not None)

        self.model.load_until(mention_id, arrived)

    @Slot(QModelIndex, QModelIndex)
    def on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.detail.show_mention(self.model.mention_at(current.row()) if current.isValid() else None)

    @Slot()
    def on_model_rows_changed(self) -> None:
        empty = self.model.rowCount() == 0
        if empty:
            flt = self.model.filter
            filtered = flt != Filter()
            self.empty_label.setText(
                "Loading feedback…" if self.model.loading else
                "Nothing matches these filters." + (f"\nNo feedback contains “{flt.search}”." if flt.search else "")
                if filtered else
                "No feedback yet.\n\nAdd the pages where clients review you under Sources (Ctrl+3), or type in "
                "feedback that came by email or phone with Add feedback… (Ctrl+N).")
        self.table_stack.setCurrentIndex(1 if empty else 0)
        self.detail.setVisible(not empty)  # the empty-state text says it all; no second hint below it
        if not self.view.currentIndex().isValid() and not self.model.loading and self._keep_selected is None:
            if empty:
                self.detail.show_mention(None)
            else:
                self._select_row(0)  # the newest is what a user opens the inbox for

    @Slot()
    def on_model_loaded(self) -> None:
        """A new filter's rows arrived: keep the mention that was selected when it is among them, else the newest."""
        keep, self._keep_selected = self._keep_selected, None
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            self._select_row(row)
        else:
            self.on_model_rows_changed()
        if self._count_when_loaded:
            self._count_when_loaded = False
            viewport = self.view.viewport()
            if viewport.isVisible():
                viewport.installEventFilter(self._painted)
                self._count_after_paint.start(COUNT_LATEST_MS)
            else:  # nothing to paint first (another page is shown)
                self._count_after_paint.start(0)

    def _on_rows_painted(self) -> None:
        self.view.viewport().removeEventFilter(self._painted)
        if self._count_after_paint.isActive():
            self._count_after_paint.start(0)  # when the paint is done

    @Slot()
    def on_count_after_paint_timeout(self) -> None:
        self.view.viewport().removeEventFilter(self._painted)
        self.emit_summary(filter_only=True)

    def emit_summary(self, *, filter_only: bool = False) -> None:
        """Recount (three COUNTs, off the GUI thread) after a read or records change; summary_changed follows when
        the counts are in. `filter_only`: only the filter changed, so unread and everything, when current, are
        kept and one COUNT is read. New mentions are counted, not recounted (on_mention_added)."""
        self._added_while_counting = False
        totals = self._counts[1:] if filter_only and self._totals_current else None
        self._totals_current = totals is not None  # until a full count's answer, a filter's must not replace it
        self.summary_counter.request(self.model.filter, totals)

    @Slot(object)
    def on_summary_counted(self, counts: tuple[int, int, int]) -> None:
        self._counts = counts
        self._totals_current = True
        self._say_summary()
        if self._added_while_counting:  # the answer may predate them: count once more
            self.emit_summary()

    def _say_summary(self) -> None:
        shown, unread, everything = self._counts
        what = f"{shown:,} of {everything:,} shown" if self.model.filter != Filter() else counted(everything, "mention")
        self.summary_changed.emit(f"{what} · {unread:,} unread")

    # -- changes from outside --------------------------------------------------------------------
    @Slot(int)
    def on_mention_added(self, mention_id: int) -> None:
        """A new mention was stored here (typed in or imported): place it without a reload, now (the window may
        show it next), with any polls' mentions waiting for their batch."""
        self._arrivals.add((mention_id,))
        self._arrivals.flush_now()

    @Slot(object)
    def on_mentions_added(self, mention_ids: tuple[int, ...]) -> None:
        """A poll stored these: place them with the others arriving until the polls pause (see PLACE_QUIET_MS:
        polls that end together make one insert and one repaint, not one each)."""
        self._arrivals.add(mention_ids)

    def _place_arrivals(self, mention_ids: list[int]) -> None:
        """Place those matching the filter (one read, in the background), and count them all. Counted, not
        recounted: a poll adds thousands, and three COUNTs over 100,000 rows each would stall."""
        mention_ids = list(dict.fromkeys(mention_ids))
        added = len(mention_ids)

        def placed(matched: int) -> None:
            shown, unread, everything = self._counts
            self._counts = (shown + matched, unread + added, everything + added)  # new feedback is unread
            if self.summary_counter.pending:
                self._added_while_counting = True
            self._say_summary()

        self.model.add_mentions(mention_ids, placed)

    def refresh_mentions(self, mention_ids: list[int] | tuple[int, ...]) -> None:
        """Someone else changed these (a teammate assigned them): re-read the loaded ones, the reading pane and
        the counts. A large burst reloads the first window instead of re-reading row by row."""
        if len(mention_ids) > REFRESH_ROWS_MAX:
            self._keep_selected = self.current_mention_id()
            self.model.refresh()
            self.emit_summary()
            return
        for mention_id in mention_ids:
            self._mention_changed(mention_id)

    def _mention_changed(self, mention_id: int) -> None:
        """This window changed a mention: its row and the reading pane follow once it is re-read."""
        self._row_before[mention_id] = self.view.currentIndex().row()
        self.model.update_mention(mention_id)
        self.emit_summary()
        self.mention_changed.emit(mention_id)

    @Slot(int)
    def on_model_mention_updated(self, mention_id: int) -> None:
        row_before = self._row_before.pop(mention_id, self.view.currentIndex().row())
        if self.current_mention_id() != mention_id:
            return
        row = self.model.row_of(mention_id)
        if row is not None:
            self.detail.show_mention(self.model.mention_at(row))
        elif self.model.rowCount():
            # It left the filter (e.g. read while showing unread only): go on with the next one.
            self._select_row(min(max(row_before, 0), self.model.rowCount() - 1))
        else:
            self.reader.read(("pane", mention_id), lambda conn: mentions.get(conn, mention_id), self._show_in_pane)

    def _show_in_pane(self, m: StoredMention | None) -> None:
        if m is None or self.current_mention_id() == m.id:
            self.detail.show_mention(m)

    @Slot(int, bool)
    def on_detail_read_toggled(self, mention_id: int, read: bool) -> None:
        """Shown at once (bold off, the button's words), written in the background, taken back if it fails."""
        row = self.model.row_of(mention_id)
        before = self.model.mention_at(row) if row is not None else self.detail.mention
        at = utc_now()
        if before is not None and before.id == mention_id:
            self._show_at_once(dataclasses.replace(before, read_at=at if read else None))
        write_in_background(self, self.writer, lambda conn: mentions.set_read(conn, [mention_id], read, at),
                            what="mark it read" if read else "mark it unread",
                            done=lambda _: self._mention_changed(mention_id),
                            undo=lambda: self._show_at_once(before) if before is not None else None)

    def _show_at_once(self, m: StoredMention) -> None:
        """Show a mention as this window is writing it (or as it was, when the write failed)."""
        if m.id != getattr(self.detail.mention, "id", None) and self.model.row_of(m.id) is None:
            return
        self.model.show_changed(m)
        if self.current_mention_id() == m.id:
            self.detail.show_mention(m)

    @Slot(int)
    def on_detail_link_requested(self, mention_id: int) -> None:
        m = self.detail.mention
        if m is None or m.id != mention_id:
            return
        from desktop.ui.link_dialog import LinkDialog  # loaded when first asked for, not with the window

        dialog = LinkDialog(self._conn, m, self)
        accepted = dialog.exec() == LinkDialog.DialogCode.Accepted
        dialog.deleteLater()  # with its reader's and writer's connections
        if accepted:
            self._mention_changed(mention_id)

    @Slot(int)
    def on_detail_history_requested(self, mention_id: int) -> None:
        from desktop.store import revisions
        from desktop.ui.history_dialog import HistoryDialog

        m = self.detail.mention
        if m is not None and m.id == mention_id:
            self.reader.read(("history", mention_id), lambda conn: revisions.history(conn, mention_id),
                             lambda versions: self._show_history(HistoryDialog(m.author, versions, self)))

    def _show_history(self, dialog: QWidget) -> None:
        """Window-modal without a nested event loop (it opens when the versions have been read)."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot(int, bool)
    def on_detail_label_corrected(self, mention_id: int, negative: bool) -> None:
        """Store the verdict and show it at once; learning from it runs in the background."""
        from desktop.records import corrections  # the scorer loads on the first correction, not at start-up

        def corrected(_score: object) -> None:
            self._mention_changed(mention_id)
            self.learner.relearn()

        write_in_background(self, self.writer, lambda conn: corrections.correct(conn, mention_id, negative),
                            what="keep your correction", done=corrected)

    @Slot(object)
    def on_learner_relearned(self, result: object) -> None:
        if getattr(result, "relabelled", 0):
            self._keep_selected = self.current_mention_id()
            self.model.refresh()
            self.emit_summary()

    # -- keyboard --------------------------------------------------------------------------------
    @Slot()
    def on_search_triggered(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _step(self, delta: int) -> None:
        row = self.view.currentIndex().row()
        target = 0 if row < 0 else row + delta
        if target >= self.model.rowCount() and self.model.canFetchMore():
            self.model.fetchMore()
        if 0 <= target < self.model.rowCount():
            self._select_row(target)
            self.view.setFocus()

    @Slot()
    def on_next_triggered(self) -> None:
        self._step(1)

    @Slot()
    def on_previous_triggered(self) -> None:
        self._step(-1)

    @Slot()
    def on_read_triggered(self) -> None:
        self.detail.on_read_clicked()

    @Slot()
    def on_link_triggered(self) -> None:
        self.detail.on_link_clicked()

    @Slot()
    def on_posted_triggered(self) -> None:
        mention_id = self.current_mention_id()
        if mention_id is None:
            return

        def toggle(status: dict[int, str]) -> None:
            posted, at = status.get(mention_id) != drafts.POSTED, utc_now()
            write_in_background(self, self.writer,
                                lambda conn: drafts.set_mention_posted(conn, mention_id, posted, at),
                                what="mark the reply posted" if posted else "mark the reply not posted",
                                done=lambda _: self._mention_changed(mention_id))

        self.reader.read(("posted", mention_id), lambda conn: drafts.status_for(conn, [mention_id]), toggle)

    @Slot()
    def on_assign_triggered(self) -> None:
        """Give the alert to a teammate: picked from those the store knows, or a name typed (empty: nobody)."""
        mention_id = self.current_mention_id()
        if mention_id is None or not self.team:
            return
        self.reader.read(("teammates", mention_id), alert_store.teammates,
                         lambda names: self._assign(mention_id, names))

    def _assign(self, mention_id: int, names: list[str]) -> None:
        if self.current_mention_id() != mention_id:
            return
        current = self.detail.mention.assigned_to if self.detail.mention else None
        name, ok = QInputDialog.getItem(self, "Assign to", "Teammate (empty: nobody):", names,
                                        names.index(current) if current in names else 0, True)
        if not ok:
            return
        def assigned(done: bool) -> None:
            if not done:
                self.summary_changed.emit("Only feedback that raised an alert can be assigned")
                return
            self._mention_changed(mention_id)

        # A read-only role or a lost connection is said in a box (nothing changed).
        write_in_background(self, self.writer, lambda conn: alert_store.assign(conn, mention_id, name),
                            what="assign the alert", done=assigned)

    @Slot()
    def on_correct_triggered(self) -> None:
        self.detail.on_correct_clicked()

    @Slot()
    def on_learned_triggered(self) -> None:
        from desktop.ui.learning import LearnedDialog

        dialog = LearnedDialog(self._conn, self.learner, self)
        dialog.exec()
        dialog.deleteLater()  # with its reader's and writer's connections

    @Slot()
    def on_compose_triggered(self) -> None:
        if self.compose_action.isEnabled():
            self.detail.on_compose_clicked()


