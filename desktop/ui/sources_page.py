"""The Sources screen: what Rapport watches, how each source is doing in plain words, and the controls to
add, edit, remove, enable, poll now, and pause automatic polling.
"""
from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Slot
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QMessageBox, QPushButton,
                               QStyledItemDelegate, QStyleOptionViewItem, QTableView, QVBoxLayout, QWidget)

import scrapers  # the package only: the source modules (requests, lxml) load when a kind is first asked about
from desktop.shell.batching import Batcher
from desktop.shell.events import EventBus
from desktop.shell.writer import StoreWriter
from desktop.store import mentions
from desktop.store import settings as settings_store
from desktop.store import sources as source_store
from desktop.store.clock import Clock, utc_now
from desktop.store.db import transaction
from desktop.store.mentions import Filter
from desktop.store.sources import SourceRow
from desktop.ui.sources_model import (COL_ENABLED, COL_KIND, COL_LAST_ERROR, COL_LAST_OK, COL_NAME, COL_NEXT_POLL,
                                      COL_STATE, SourcesModel, when_text)
from desktop.ui.store_writes import write_in_background
from desktop.ui.widgets import plain_label, set_up_row_view

if TYPE_CHECKING:  # the dialog (requests, the parsers) and the keyring load on first use, not at start-up
    from desktop.ui.source_dialog import SourceValues

log = logging.getLogger(__name__)

__all__ = ["SourcesPage"]

# The sources whose polls ended within this are re-read and redrawn together (twenty hosts' polls end at once).
REFRESH_EVERY_MS = 100


class OneLineDelegate(QStyledItemDelegate):
    """Keeps a column to one elided line in a view that otherwise wraps (URLs and errors wrap badly)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText


class SourcesPage(QWidget):
    """The sources table and its toolbar. The scheduler does the polling; this page only asks it to."""

    def __init__(self, conn: sqlite3.Connection, bus: EventBus, scheduler: Any, parent: QWidget | None = None, *,
                 clock: Clock = utc_now, session_factory: Callable[[], Any] | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self._bus = bus
        self._scheduler = scheduler
        self._clock = clock
        self._session_factory = session_factory  # for "Test this source"; None: a real PoliteSession
        self.model = SourcesModel(conn, clock=clock, parent=self)
        self.writer = StoreWriter(conn, self)  # adds, edits, removes and enables, off the GUI thread
        self.model.modelReset.connect(self._update_buttons)  # the sources read in the background arrived

        self.table = QTableView()
        # The state is a sentence saying what to do: wrap it onto a second line rather than cut it off.
        set_up_row_view(self.table, self.model, selection=QAbstractItemView.SelectionMode.ExtendedSelection,
                        word_wrap=True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Fixed rows tall enough for a state wrapped onto two lines. Not ResizeToContents: that re-measures
        # every cell of every row on each state change (millions of data() calls in a 200-source poll).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(2 * self.fontMetrics().lineSpacing() + 12)
        one_line = OneLineDelegate(self.table)
        for column in (COL_NAME, COL_LAST_ERROR):  # the detail pane and tooltips carry the whole text
            self.table.setItemDelegateForColumn(column, one_line)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_STATE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_NAME, 210), (COL_KIND, 80), (COL_ENABLED, 64), (COL_LAST_OK, 108),
                              (COL_LAST_ERROR, 180), (COL_NEXT_POLL, 108)):
            header.resizeSection(column, width)
        self.table.doubleClicked.connect(self.on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self.on_selection_changed)

        self.add_button = QPushButton("Add…")
        self.edit_button = QPushButton("Edit…")
        self.remove_button = QPushButton("Remove…")
        self.enable_button = QPushButton("Disable")
        self.poll_selected_button = QPushButton("Check now")
        self.poll_selected_button.setToolTip("Check the selected sources now")
        self.poll_all_button = QPushButton("Check all")
        self.poll_all_button.setToolTip("Check every enabled source now")
        self.pause_button = QPushButton()
        self.add_button.clicked.connect(self.on_add_clicked)
        self.edit_button.clicked.connect(self.on_edit_clicked)
        self.remove_button.clicked.connect(self.on_remove_clicked)
        self.enable_button.clicked.connect(self.on_enable_clicked)
        self.poll_selected_button.clicked.connect(self.on_poll_selected_clicked)
        self.poll_all_button.clicked.connect(self.on_poll_all_clicked)
        self.pause_button.clicked.connect(self.on_pause_clicked)

        self.paused_label = plain_label("Automatic checks are paused: sources are only checked when you press "
                                        "“Check now”.", wrap=True)
        self.paused_label.setStyleSheet("color: #7a4800; background: #fff3d6; font-weight: bold; padding: 4px;")
        self.detail_label = plain_label(wrap=True, selectable=True)
        self.detail_label.setStyleSheet("padding: 6px;")
        self.empty_label = plain_label("No sources yet. Add the pages where clients leave feedback about you: "
                                       "a Trustpilot page, a feed, a profile with reviews.", wrap=True)
        self.empty_label.setStyleSheet("color: palette(dark); padding: 12px;")

        toolbar = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button, self.enable_button):
            toolbar.addWidget(button)
        toolbar.addSpacing(8)
        toolbar.addWidget(self.poll_selected_button)
        toolbar.addWidget(self.poll_all_button)
        toolbar.addStretch(1)
        toolbar.addWidget(self.pause_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 0)
        box.addLayout(toolbar)
        box.addWidget(self.paused_label)
        box.addWidget(self.empty_label)
        box.addWidget(self.table, 1)
        box.addWidget(self.detail_label)

        self._active_timer = QTimer(self, singleShot=True, interval=0)
        self._active_timer.timeout.connect(self._mark_active)
        self._polled: Batcher[int] = Batcher(self._refresh_polled, REFRESH_EVERY_MS, self)
        bus.source_state_changed.connect(self.on_source_state_changed)
        bus.poll_started.connect(self.on_poll_started)
        bus.poll_progress.connect(self.on_poll_progress)
        bus.poll_finished.connect(self.on_poll_finished)
        scheduler.paused_changed.connect(self.on_scheduler_paused_changed)
        self.on_scheduler_paused_changed(scheduler.paused)
        self._update_buttons()

    # -- selection -----------------------------------------------------------------------------
    def selected_sources(self) -> list[SourceRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [s for s in (self.model.source_at(r) for r in rows) if s is not None]

    def current_source(self) -> SourceRow | None:
        chosen = self.selected_sources()
        return chosen[0] if len(chosen) == 1 else None

    def select_source(self, source_id: int) -> None:
        row = self.model.row_of(source_id)
        if row is not None:
            # Not selectRow(): it reads the keyboard modifiers and would toggle or extend with Ctrl/Shift down.
            index = self.model.index(row, 0)
            flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.selectionModel().setCurrentIndex(index, flags)

    def reading(self) -> bool:
        return self.model.reading() or self.writer.busy or self._polled.pending

    def reload(self, select: int | None = None) -> None:
        """Read the sources again (in the background), keeping the selection (or selecting `select`)."""
        keep = [s.id for s in self.selected_sources()]
        self.model.reload(lambda: self._reselect(keep, select))

    def _reselect(self, keep: list[int], select: int | None) -> None:
        if select is not None:
            self.select_source(select)
            keep = []
        for source_id in keep:
            row = self.model.row_of(source_id)
            if row is not None:
                self.table.selectionModel().select(
                    self.model.index(row, 0),
                    self.table.selectionModel().SelectionFlag.Select
                    | self.table.selectionModel().SelectionFlag.Rows)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected_sources()
        one = len(chosen) == 1
        self.edit_button.setEnabled(one)
        self.remove_button.setEnabled(one)
        self.enable_button.setEnabled(bool(chosen))
        self.enable_button.setText("Enable" if chosen and not any(s.enabled for s in chosen) else "Disable")
        self.poll_selected_button.setEnabled(bool(chosen))
        self.poll_all_button.setEnabled(self.model.rowCount() > 0)
        self.empty_label.setVisible(self.model.rowCount() == 0)
        self._show_detail(chosen[0] if one else None)

    def _show_detail(self, source: SourceRow | None) -> None:
        if source is None:
            self.detail_label.setText("Select a source to see how it is doing." if self.model.rowCount() else "")
            return
        now = self._clock()
        lines = [f"{source.name}  ({scrapers.title_of(source.kind)})", source.url,
                 SourcesModel.state_text(source),
                 f"Last success: {when_text(source.last_ok, now)}"]
        summary = source.checkpoint.get("summary")  # what the site says of you (a marketplace's reputation)
        if isinstance(summary, str) and summary:
            lines.append(f"On the site: {summary}")
        if source.last_error:
            lines.append(f"Last error: {source.last_error}" + (f" (try {source.tries})" if source.tries else ""))
        self.detail_label.setText("\n".join(lines))

    @Slot(QItemSelection, QItemSelection)
    def on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    # -- the bus and the scheduler -----------------------------------------------------------------
    @Slot(int, str)
    def on_source_state_changed(self, source_id: int, _state: str) -> None:
        self._polled.add((source_id,))

    def _refresh_polled(self, source_ids: list[int]) -> None:
        """The sources polled since the last batch: one read for all, then the table and buttons once."""
        if source_ids:
            self.model.refresh_sources(source_ids)
        self._mark_active()
        self._update_buttons()

    @Slot(int)
    def on_poll_started(self, _total: int) -> None:
        # The scheduler announces a round before it queues it: look once it has.
        self._active_timer.start()

    @Slot(int, int)
    def on_poll_progress(self, _done: int, _total: int) -> None:
        self._polled.add()  # "Checking now" follows with the next batch

    @Slot(object)
    def on_poll_finished(self, _results: object) -> None:
        self._active_timer.stop()
        self._polled.flush_now()
        self.model.set_active(set())
        self.reload()

    @Slot()
    def _mark_active(self) -> None:
        self.model.set_active(set(self._scheduler.in_flight) | set(self._scheduler.queued))

    @Slot(bool)
    def on_scheduler_paused_changed(self, paused: bool) -> None:
        self.pause_button.setText("Resume automatic checks" if paused else "Pause automatic checks")
        self.paused_label.setVisible(paused)

    # -- actions -------------------------------------------------------------------------------------
    @staticmethod
    def _takes_secret(source: SourceRow) -> bool:
        # Only ask the keyring about kinds that keep a secret: touching it may make the desktop ask to unlock it.
        cls = scrapers.load_all().get(source.kind)
        return cls is not None and bool(cls.credential_fields())

    def _ask(self, source: SourceRow | None, then: Callable[[SourceValues], None]) -> None:
        """Open the source dialog (a new source when `source` is None) once its defaults are read (off the GUI
        thread); `then(values)` with what the user entered, unless cancelled."""
        secret_field = self._secret_field(source)
        self.model.reader.read(("dialog", source.id if source else None),
                               lambda conn: (*_dialog_defaults(conn), _has_secret(source, secret_field)),
                               lambda defaults: self._open_dialog(source, defaults, then))

    def _secret_field(self, source: SourceRow | None) -> str | None:
        """The name of the first secret a source's kind keeps in the keyring (None: it keeps none)."""
        if source is None or not self._takes_secret(source):
            return None
        return scrapers.load_all()[source.kind].credential_fields()[0].name

    def _open_dialog(self, source: SourceRow | None, defaults: tuple[int, Any, bool],
                     then: Callable[[SourceValues], None]) -> None:
        from desktop.ui.source_dialog import SourceDialog

        default, names, has_secret = defaults
        dialog = SourceDialog(self, source=source, default_interval_s=default, has_secret=has_secret,
                              session_factory=self._session_factory, my_names=names)
        try:
            values = dialog.values() if dialog.exec() == SourceDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
        if values is not None:
            then(values)

    @Slot()
    def on_add_clicked(self) -> None:
        self._ask(None, self.add_source)

    def add_source(self, values: SourceValues) -> None:
        """Store a new source (in the background), then its secrets, and select it."""
        def add(conn: Any) -> tuple[SourceRow, str | None]:
            source = source_store.add(conn, values.kind, values.url, label=values.label,
                                      interval_s=values.interval_s, enabled=values.enabled, config=values.config)
            return source, _keep_secrets(source.id, values.secret, values.credentials)

        def added(outcome: tuple[SourceRow, str | None]) -> None:
            source, refused = outcome
            self._say_secret_refused(source, refused)
            self.reload(select=source.id)

        write_in_background(self, self.writer, add, what="add the source", done=added)

    @Slot()
    def on_edit_clicked(self) -> None:
        source = self.current_source()
        if source is not None:
            self._ask(source, lambda values: self.edit_source(source, values))

    def edit_source(self, source: SourceRow, values: SourceValues) -> None:
        def save(conn: Any) -> str | None:
            source_store.update(conn, source.id, url=values.url, label=values.label, interval_s=values.interval_s,
                                enabled=values.enabled, config=values.config)
            return _keep_secrets(source.id, values.secret, values.credentials)

        def saved(refused: str | None) -> None:
            self._say_secret_refused(source, refused)
            self.reload()

        write_in_background(self, self.writer, save, what="save the source", done=saved)

    def _say_secret_refused(self, source: SourceRow, refused: str | None) -> None:
        if refused is not None:
            QMessageBox.warning(self, "The secret was not saved",
                                f"{refused}\n\nThe source “{source.name}” was saved without it.")

    @Slot()
    def on_remove_clicked(self) -> None:
        source = self.current_source()
        if source is not None:
            self.model.reader.read(("found", source.id), lambda conn: mentions.count(conn, Filter(source=source.id)),
                                   lambda found: self._remove(source, found))

    def _remove(self, source: SourceRow, found: int) -> None:
        feedback = (f"The {found} piece{'s' if found != 1 else ''} of feedback it found will be removed from "
                    "Rapport too, with their alerts (responses you drafted are kept)." if found else
                    "Feedback a source found is removed with it; this one has found none so far.")
        answer = QMessageBox.question(
            self, "Remove source", f"Remove “{source.name}”?\n\n{feedback}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return

        takes_secret = self._takes_secret(source)

        def remove(conn: Any) -> None:
            source_store.remove(conn, source.id)
            if takes_secret:
                _forget_secret(source.id)

        write_in_background(self, self.writer, remove, what="remove the source", done=lambda _: self.reload())

    @Slot()
    def on_enable_clicked(self) -> None:
        chosen = self.selected_sources()
        enable = bool(chosen) and not any(s.enabled for s in chosen)

        def change(conn: Any) -> None:
            with transaction(conn):  # all of them or none
                for source in chosen:
                    source_store.update(conn, source.id, url=source.url, label=source.label,
                                        interval_s=source.poll_interval_s, enabled=enable)

        write_in_background(self, self.writer, change, what="enable the sources" if enable else "disable the sources",
                            done=lambda _: self.reload(), undo=self.reload)

    @Slot()
    def on_poll_selected_clicked(self) -> None:
        chosen = [s.id for s in self.selected_sources()]
        if chosen:
            self._scheduler.poll_now(chosen)  # marked "Checking now…" once queued (poll_started)

    @Slot()
    def on_poll_all_clicked(self) -> None:
        self._scheduler.poll_now(None)

    @Slot()
    def on_pause_clicked(self) -> None:
        if self._scheduler.paused:
            self._scheduler.resume()
        else:
            self._scheduler.pause()

    @Slot(QModelIndex)
    def on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.table.selectRow(index.row())
            self.on_edit_clicked()


# The keyring is reached over D-Bus and may wait for the user to unlock it: these run in the reader's and the
# writer's threads, never on the GUI thread.
def _has_secret(source: SourceRow | None, field: str | None) -> bool:
    """Whether the keyring holds a source's (first) secret; False without a keyring."""
    from desktop import secrets

    if source is None or field is None:
        return False
    try:
        return secrets.get_secret(source.id, field) is not None
    except secrets.SecretStoreUnavailable:
        return False


def _keep_secrets(source_id: int, secret: str | None, credentials: dict[str, str]) -> str | None:
    """Put what the user typed into the keyring (a kind's one secret, or its several credentials, each under its
    name); the keyring's refusal in words, or None."""
    from desktop import secrets

    try:
        if secret:
            secrets.set_secret(source_id, secret)
        for name, value in credentials.items():
            secrets.set_secret(source_id, value, name)
    except secrets.SecretStoreUnavailable as exc:
        return str(exc)
    return None


def _forget_secret(source_id: int) -> None:
    from desktop import secrets

    try:
        secrets.delete_secret(source_id)
    except secrets.SecretStoreUnavailable:
        pass  # Without a keyring nothing could have been stored.


def _dialog_defaults(conn: Any) -> tuple[int, Any]:
    """The source dialog's defaults (in the reader's thread): the poll interval and the user's names."""
    from scrapers.terms import Terms

    return (int(settings_store.get(conn, "poll_interval_s") or 3600),
            Terms(tuple(settings_store.get(conn, "my_names") or ()),
                  tuple(settings_store.get(conn, "my_names_exclude") or ())))
