"""File > Import feedback…: pick a CSV or JSON file, see what will be stored and what skipped, then import.

For sites that block scrapers (Upwork, Fiverr): the freelancer copies their reviews into a spreadsheet and
imports it. Rows go through `desktop.io.importing` (and so `desktop.records.ingest`): deduped, scored, alerted.
A small file imports on the GUI thread (a blink); a larger one in a worker with its own SQLite connection,
with progress and cancel. A cancelled import rolls back: nothing is stored.

Signals:
    imported(object): the ImportResult, once the rows are stored.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView,
                               QListWidget, QProgressBar, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from desktop.store import db as store_db
from desktop.io import ImportCancelled, ImportFailed, ImportPreview, ImportResult, import_preview, read_file
from desktop.store import StoreError, connect
from desktop.ui.dialogs import ValidatedDialog
from desktop.ui.feedback_dialog import SITES
from desktop.text import one_line
from desktop.ui.widgets import plain_label, stars

log = logging.getLogger(__name__)

# Above this many rows the import leaves the GUI thread (scoring runs at a few thousand rows a second).
THREAD_ROWS = 2000
PREVIEW_ROWS = 50
PROBLEMS_SHOWN = 1000
FILE_FILTER = "Feedback files (*.csv *.tsv *.txt *.json *.jsonl *.ndjson);;All files (*)"

COL_ROW, COL_DATE, COL_RATING, COL_AUTHOR, COL_SITE, COL_TITLE, COL_TEXT = range(7)
HEADERS = ("Row", "Date", "Rating", "Author", "Site", "Title", "Feedback")


class ImportSignals(QObject):
    """Created on the GUI thread so the worker's signals are queued there.

    Signals:
        progress(int, int): rows stored so far, of how many.
        finished(object): the ImportResult.
        cancelled(): the import was cancelled and rolled back.
        failed(str): why nothing was imported.
    """

    progress = Signal(int, int)
    finished = Signal(object)
    cancelled = Signal()
    failed = Signal(str)


class ImportWorker(QRunnable):
    """Stores a preview's rows off the GUI thread, on its own connection; reports only through its signals."""

    def __init__(self, db_path: Path, preview: ImportPreview, site: str, signals: ImportSignals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = signals
        self._db_path = db_path
        self._preview = preview
        self._site = site
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            conn = connect(self._db_path)
            try:
                result = import_preview(conn, self._preview, site=self._site, progress=self.signals.progress.emit,
                                        cancelled=self._cancel.is_set)
            finally:
                conn.close()
        except ImportCancelled:
            self.signals.cancelled.emit()
            return
        except Exception as exc:  # noqa: BLE001 - a failed import is reported to the user, never lost
            log.exception("import of %s failed", self._preview.path)
            self.signals.failed.emit(str(exc) or type(exc).__name__)
            return
        self.signals.finished.emit(result)


class ImportDialog(ValidatedDialog):
    """Choose a file, check the preview and the skipped rows, pick the site (and date order if asked), import."""

    imported = Signal(object)

    def __init__(self, conn: sqlite3.Connection, parent: QWidget | None = None, *,
                 thread_rows: int = THREAD_ROWS) -> None:
        super().__init__(parent, ok_text="Import")
        self._conn = conn
        self._thread_rows = thread_rows
        self._path: Path | None = None
        self._preview: ImportPreview | None = None
        self._read_error: str | None = None
        self._date_order_asked = False
        self._worker: ImportWorker | None = None
        self._closing = False
        self.result_: ImportResult | None = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.signals = ImportSignals(self)
        self.signals.progress.connect(self.on_worker_progress)
        self.signals.finished.connect(self.on_worker_finished)
        self.signals.cancelled.connect(self.on_worker_cancelled)
        self.signals.failed.connect(self.on_worker_failed)

        self.setWindowTitle("Import feedback")
        self.setMinimumSize(820, 560)
        intro = plain_label("Import reviews you copied into a spreadsheet (saved as CSV) or a JSON file. "
                            "Columns are found by name: Feedback (or Text, Review, Comment) is needed; Rating, "
                            "Date, Client (or Author), Project (or Title), Site and Link are read when present. "
                            "Feedback already stored is not added twice.", wrap=True)
        self.file_label = plain_label("No file chosen.", selectable=True)
        self.choose_button = QPushButton("&Choose file…")
        self.choose_button.clicked.connect(self.choose_file)
        self.summary_label = plain_label(wrap=True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        self.problems_label = plain_label("Rows that will be skipped:")
        self.problems_list = QListWidget()
        self.problems_list.setMaximumHeight(120)
        self.site_combo = QComboBox()
        self.site_combo.setEditable(True)
        self.site_combo.addItems(("",) + SITES)
        self.site_combo.lineEdit().setPlaceholderText("where it was posted, e.g. upwork")
        self.date_order_combo = QComboBox()
        self.date_order_combo.addItem("Choose…", None)
        self.date_order_combo.addItem("Day first: 03/04/2024 is 3 April", True)
        self.date_order_combo.addItem("Month first: 03/04/2024 is March 4", False)
        self.date_order_combo.currentIndexChanged.connect(self.on_date_order_changed)
        self.progress_bar = QProgressBar()
        self.progress_bar.hide()

        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_button)
        self.form = QFormLayout()
        self.form.addRow("&Site (rows without one):", self.site_combo)
        self.form.addRow("&Dates:", self.date_order_combo)
        self.form.setRowVisible(self.date_order_combo, False)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addLayout(file_row)
        box.addWidget(self.summary_label)
        box.addWidget(self.table, 1)
        box.addWidget(self.problems_label)
        box.addWidget(self.problems_list)
        box.addLayout(self.form)
        box.addWidget(self.progress_bar)
        box.addWidget(self.error_label)
        box.addWidget(self.buttons)
        self._show_preview()

    # -- choosing and reading --------------------------------------------------------------------------
    @Slot()
    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Import feedback", "", FILE_FILTER)
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> None:
        """Read a file for the preview (nothing is stored until Import)."""
        self._path = path
        self._date_order_asked = False
        self.date_order_combo.blockSignals(True)
        self.date_order_combo.setCurrentIndex(0)
        self.date_order_combo.blockSignals(False)
        self.file_label.setText(str(path))
        self._read()

    def _read(self) -> None:
        if self._path is None:
            return
        try:
            self._preview = read_file(self._path, dayfirst=self.date_order_combo.currentData())
            self._read_error = None
        except ImportFailed as exc:
            self._preview, self._read_error = None, str(exc)
        self._show_preview()

    @Slot(int)
    def on_date_order_changed(self, _index: int) -> None:
        self._read()

    def _show_preview(self) -> None:
        preview = self._preview
        rows = preview.rows[:PREVIEW_ROWS] if preview else ()
        self.table.setRowCount(len(rows))
        for n, row in enumerate(rows):
            m = row.mention
            cells = {COL_ROW: str(row.row), COL_DATE: f"{m.posted_at:%Y-%m-%d}" if m.posted_at else "",
                     COL_RATING: f"{stars(m.rating)} {m.rating:g}" if m.rating is not None else "",
                     COL_AUTHOR: one_line(m.author, 40), COL_SITE: row.site, COL_TITLE: one_line(m.title, 60),
                     COL_TEXT: one_line(m.text, 200)}
            for col, text in cells.items():
                # Table items show text as it is: no markup is read from a cell.
                self.table.setItem(n, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.problems_list.clear()
        problems = preview.problems if preview else ()
        self.problems_list.addItems([str(p) for p in problems[:PROBLEMS_SHOWN]])
        if len(problems) > PROBLEMS_SHOWN:
            self.problems_list.addItem(f"… and {len(problems) - PROBLEMS_SHOWN} more")
        self.problems_label.setVisible(bool(problems))
        self.problems_list.setVisible(bool(problems))
        if preview is not None and preview.ambiguous_dates:
            self._date_order_asked = True
            if preview.dayfirst is not None and self.date_order_combo.currentData() is None:
                # The file settled it (a 25/03 elsewhere): show that choice, which the user may still change.
                self.date_order_combo.blockSignals(True)
                self.date_order_combo.setCurrentIndex(self.date_order_combo.findData(preview.dayfirst))
                self.date_order_combo.blockSignals(False)
        self.form.setRowVisible(self.date_order_combo, self._date_order_asked)
        self.summary_label.setText(self._summary())
        self.on_field_changed()

    def _summary(self) -> str:
        preview = self._preview
        if preview is None:
            return ""
        shown = f" (the first {PREVIEW_ROWS} shown)" if len(preview.rows) > PREVIEW_ROWS else ""
        lines = [f"{len(preview.rows)} row{'s' if len(preview.rows) != 1 else ''} ready to import{shown}; "
                 f"{len(preview.problems)} will be skipped."]
        lines += [f"Note: {note}" for note in preview.notes]
        return "\n".join(lines)

    def problem(self) -> str | None:
        if self._read_error:
            return self._read_error
        if self._preview is None:
            return "Choose a CSV or JSON file with your feedback."
        if self._preview.needs_date_order:
            return f"{self._preview.date_question}: choose under Dates."
        if not self._preview.rows:
            return "Nothing in this file can be imported: see the rows listed above."
        return None

    # -- importing -------------------------------------------------------------------------------------
    def save(self) -> bool:
        assert self._preview is not None  # problem() said so
        site = self.site_combo.currentText().strip().lower()
        db_file = store_db.db_file(self._conn)
        if len(self._preview.rows) > self._thread_rows and db_file is not None:
            self._start_worker(db_file, site)
            return False  # stays open with progress; closes when the worker reports
        try:
            result = import_preview(self._conn, self._preview, site=site)
        except (ImportFailed, StoreError, sqlite3.Error, ValueError) as exc:
            log.warning("import of %s failed: %s", self._preview.path, exc)
            self.error_label.setText(f"Nothing imported: {exc}")
            return False
        self._done(result)
        return True

    def _start_worker(self, db_file: Path, site: str) -> None:
        assert self._preview is not None
        self._worker = ImportWorker(db_file, self._preview, site, self.signals)
        self._set_running(True)
        self.progress_bar.setRange(0, len(self._preview.rows))
        self.progress_bar.setValue(0)
        self.error_label.setText("")
        self.pool.start(self._worker)

    def _set_running(self, running: bool) -> None:
        self.progress_bar.setVisible(running)
        for widget in (self.ok_button, self.choose_button, self.site_combo, self.date_order_combo):
            widget.setEnabled(not running)
        if not running:
            self.on_field_changed()

    def _done(self, result: ImportResult) -> None:
        self.result_ = result
        self.imported.emit(result)

    @property
    def running(self) -> bool:
        return self._worker is not None

    @Slot(int, int)
    def on_worker_progress(self, done: int, total: int) -> None:
        self.progress_bar.setMaximum(total)
        self.progress_bar.setValue(done)

    @Slot(object)
    def on_worker_finished(self, result: ImportResult) -> None:
        self._worker = None
        self._set_running(False)
        self._done(result)
        self.accept()

    @Slot()
    def on_worker_cancelled(self) -> None:
        self._worker = None
        self._set_running(False)
        self.error_label.setText("Import cancelled: nothing was stored.")
        if self._closing:
            super().reject()

    @Slot(str)
    def on_worker_failed(self, message: str) -> None:
        self._worker = None
        self._closing = False
        self._set_running(False)
        self.error_label.setText(f"Nothing imported: {message}")

    def reject(self) -> None:
        """Cancel stops a running import first (it rolls back); the dialog closes once it has."""
        if self._worker is not None:
            self._closing = True
            self._worker.cancel()
            self.error_label.setText("Cancelling…")
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._worker is not None:
            # Closing for good (the window is going away): stop the worker and wait, so no signal outlives us.
            self._worker.cancel()
            self.pool.waitForDone()
            self._worker = None
        super().closeEvent(event)
