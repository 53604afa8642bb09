"""File > Import feedback…: pick a CSV or JSON file, see what will be stored and what skipped, then import.

For sites that block scrapers (Upwork, Fiverr): the freelancer copies their reviews into a spreadsheet and
imports it. Rows go through `desktop.io.importing` (and so `desktop.records.ingest`): deduped, scored, alerted.
The file is read in a background job (desktop.shell.jobs) with progress and cancel: the GUI thread only
lays out the first rows of what was read. A small file imports on the GUI thread (a blink); a larger one in
a background job with its own SQLite connection, with progress and cancel. A cancelled import rolls back:
nothing is stored.
"""
from __future__ import annotations

import itertools
import logging
import sqlite3
from collections.abc import Hashable
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView,
                               QListWidget, QProgressBar, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from desktop.io import ImportCancelled, ImportFailed, ImportPreview, ImportResult, import_preview, read_file
from desktop.shell.jobs import Job, JobCancelled, JobPool
from desktop.store import connect
from desktop.store import db as store_db
from desktop.text import one_line
from desktop.ui.dialogs import ValidatedDialog
from desktop.ui.feedback_dialog import SITES
from desktop.ui.widgets import ERROR_STYLE, HINT_STYLE, plain_label, stars

log = logging.getLogger(__name__)

# Above this many rows the import leaves the GUI thread (scoring runs at a few thousand rows a second).
THREAD_ROWS = 2000
PREVIEW_ROWS = 50
PROBLEMS_SHOWN = 1000
FILE_FILTER = "Feedback files (*.csv *.tsv *.txt *.json *.jsonl *.ndjson);;All files (*)"

COL_ROW, COL_DATE, COL_RATING, COL_AUTHOR, COL_SITE, COL_TITLE, COL_TEXT = range(7)
HEADERS = ("Row", "Date", "Rating", "Author", "Site", "Title", "Feedback")


IMPORT_JOB = "import"


def _read_work(path: Path, dayfirst: bool | None):  # noqa: ANN202 - a job's work function
    def work(job: Job) -> ImportPreview | ImportFailed:
        try:
            return read_file(path, dayfirst=dayfirst, progress=job.progress, cancelled=job.cancelled)
        except ImportCancelled:
            raise JobCancelled from None
        except ImportFailed as exc:  # an answer about the file (not a bug): shown, not logged as a failure
            return exc

    return work


def _import_work(db_path: Path, preview: ImportPreview, site: str):  # noqa: ANN202 - a job's work function
    def work(job: Job) -> ImportResult:
        conn = connect(db_path)
        try:
            return import_preview(conn, preview, site=site, progress=job.progress, cancelled=job.cancelled)
        except ImportCancelled:
            raise JobCancelled from None
        finally:
            conn.close()

    return work


class ImportDialog(ValidatedDialog):
    """Choose a file, check the preview and the skipped rows, pick the site (and date order if asked), import.

    Signals:
        imported(object): the ImportResult, once the rows are stored.
        preview_shown(): a file was read (or could not be) and what it holds is on screen.
    """

    imported = Signal(object)
    preview_shown = Signal()

    def __init__(self, conn: sqlite3.Connection, parent: QWidget | None = None, *,
                 thread_rows: int = THREAD_ROWS) -> None:
        super().__init__(parent, ok_text="Import", conn=conn)
        self._conn = conn
        self._thread_rows = thread_rows
        self._path: Path | None = None
        self._preview: ImportPreview | None = None
        self._read_error: str | None = None
        self._date_order_asked = False
        self._reads = itertools.count(1)
        self._read_key: Hashable | None = None  # the read whose answer is awaited; older answers are dropped
        self._closing = False
        self.result_: ImportResult | None = None
        self.jobs = JobPool(self, threads=1)
        self.jobs.progress.connect(self.on_job_progress)
        self.jobs.finished.connect(self.on_job_finished)
        self.jobs.cancelled.connect(self.on_job_cancelled)
        self.jobs.failed.connect(self.on_job_failed)
        self.pool = self.jobs.pool

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
        """Read the file in a background job; its preview replaces the one shown when it arrives."""
        if self._path is None:
            return
        if self._read_key is not None:
            self.jobs.cancel(self._read_key)  # a newer read (another file or date order) supersedes it
        self._read_key = ("read", next(self._reads))
        self._preview, self._read_error = None, None
        self.jobs.start(self._read_key, _read_work(self._path, self.date_order_combo.currentData()),
                        what=f"reading {self._path}")
        self.progress_bar.setRange(0, 0)  # busy until the first progress report
        self._set_running(True)
        self.choose_button.setEnabled(True)  # another file may be chosen meanwhile; it supersedes this read
        self.summary_label.setText("Reading the file…")
        self.on_field_changed()

    @property
    def reading(self) -> bool:
        return self._read_key is not None

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

    @Slot()
    def on_field_changed(self) -> None:
        super().on_field_changed()
        # No file yet, or one being read: what to do next, said calmly; red is for what went wrong.
        waiting = self.reading or (self._preview is None and not self._read_error)
        self.error_label.setStyleSheet(HINT_STYLE if waiting else ERROR_STYLE)

    def problem(self) -> str | None:
        if self.reading:
            return "Reading the file…"
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
        db_file = store_db.location(self._conn)
        if len(self._preview.rows) > self._thread_rows and db_file is not None:
            self._start_import(db_file, site)
            return False  # stays open with progress; closes when the job reports
        preview = self._preview
        # A small file: stored in one write on the dialog's writer, off the GUI thread like every user write.
        self.store_write(lambda conn: import_preview(conn, preview, site=site), what=f"import {preview.path.name}",
                         then=self._stored, refused="Nothing imported", worded=(ImportFailed,))
        return False

    def _stored(self, result: ImportResult) -> bool:
        self._done(result)
        return True

    def _start_import(self, db_file: Path, site: str) -> None:
        assert self._preview is not None
        self.jobs.start(IMPORT_JOB, _import_work(db_file, self._preview, site), what=f"import of {self._preview.path}")
        self._set_running(True)
        self.progress_bar.setRange(0, len(self._preview.rows))
        self.progress_bar.setValue(0)
        self.error_label.setText("")

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
        return IMPORT_JOB in self.jobs.running

    # -- what the background jobs report ---------------------------------------------------------------
    @Slot(object, int, int)
    def on_job_progress(self, key: Hashable, done: int, total: int) -> None:
        if key == IMPORT_JOB or key == self._read_key:
            self.progress_bar.setMaximum(total)
            self.progress_bar.setValue(done)

    @Slot(object, object)
    def on_job_finished(self, key: Hashable, result: object) -> None:
        if key == IMPORT_JOB:
            self._set_running(False)
            assert isinstance(result, ImportResult)
            self._done(result)
            self.accept()
        elif key == self._read_key:
            if isinstance(result, ImportFailed):
                self._read_ended(None, str(result))
            else:
                assert isinstance(result, ImportPreview)
                self._read_ended(result, None)

    @Slot(object)
    def on_job_cancelled(self, key: Hashable) -> None:
        if key != IMPORT_JOB:
            return  # a superseded read
        self._set_running(False)
        self.error_label.setText("Import cancelled: nothing was stored.")
        if self._closing:
            super().reject()

    @Slot(object, object)
    def on_job_failed(self, key: Hashable, exc: Exception) -> None:
        if key == IMPORT_JOB:
            self._closing = False
            self._set_running(False)
            self.error_label.setText(f"Nothing imported: {exc}")
        elif key == self._read_key:
            self._read_ended(None, f"Could not read the file ({type(exc).__name__}: {exc}).")

    def _read_ended(self, preview: ImportPreview | None, error: str | None) -> None:
        self._read_key = None
        self._preview, self._read_error = preview, error
        self._set_running(False)
        self._show_preview()
        self.preview_shown.emit()

    def reject(self) -> None:
        """Cancel stops a running import first (it rolls back); the dialog closes once it has. A file still
        being read is simply dropped."""
        if self.running:
            self._closing = True
            self.jobs.cancel(IMPORT_JOB)
            self.error_label.setText("Cancelling…")
            return
        if self._read_key is not None:
            self.jobs.cancel(self._read_key)
            self._read_key = None
            self._set_running(False)
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing for good (the window is going away): stop the jobs and wait, so no signal outlives us.
        self.jobs.shutdown()
        super().closeEvent(event)
