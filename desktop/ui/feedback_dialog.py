"""Feedback that arrived by email, phone or a site we do not watch, typed in by hand.

It goes through `desktop.records.ingest` like scraped feedback, so it is scored, deduped and alerted alike,
in one transaction: either it is stored with its alert, or nothing is.

Signals:
    saved(object): the IngestResult of the stored feedback.
"""
from __future__ import annotations

import logging
import sqlite3

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from desktop.records.ingest import MANUAL_SOURCE_ID, IngestResult, Manual, ingest
from desktop.ui.dialogs import ValidatedDialog
from desktop.ui.pickers import ClientProjectPicker
from desktop.ui.widgets import stars
from scrapers.base import Mention

log = logging.getLogger(__name__)

SITES = ("email", "phone", "upwork", "fiverr", "freelancer", "peopleperhour", "guru", "trustpilot",
         "linkedin", "reddit", "google")


class FeedbackDialog(ValidatedDialog):
    """Add one piece of feedback by hand; OK stays disabled until the entry can be saved."""

    saved = Signal(object)

    def __init__(self, conn: sqlite3.Connection, parent: QWidget | None = None, *,
                 client_id: int | None = None, project_id: int | None = None) -> None:
        super().__init__(parent, ok_text="Add feedback", conn=conn)
        self.result_: IngestResult | None = None
        self.setWindowTitle("Add feedback")
        self.setMinimumWidth(520)

        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText("What the client said, as they said it")
        self.text_edit.setTabChangesFocus(True)
        self.rating_combo = QComboBox()
        self.rating_combo.addItem("No rating", None)
        for n in range(5, 0, -1):
            self.rating_combo.addItem(f"{stars(n)}  {n}", float(n))
        self.site_combo = QComboBox()
        self.site_combo.setEditable(True)
        self.site_combo.addItems(("",) + SITES)
        self.site_combo.lineEdit().setPlaceholderText("where it was given, e.g. email or upwork")
        self.date_edit = QDateTimeEdit(QDateTime.currentDateTime())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.date_edit.setMaximumDateTime(QDateTime.currentDateTime().addSecs(60))
        self.author_edit = QLineEdit()
        self.author_edit.setPlaceholderText("their name or handle on the site")
        self.picker = ClientProjectPicker(conn, self, client_id=client_id, project_id=project_id, guided=True)
        self.client_combo = self.picker.client_combo
        self.project_combo = self.picker.project_combo

        form = QFormLayout()
        form.addRow("&Feedback:", self.text_edit)
        form.addRow("&Rating:", self.rating_combo)
        form.addRow("&Site:", self.site_combo)
        form.addRow("&Date:", self.date_edit)
        form.addRow("&Author:", self.author_edit)
        self.picker.add_rows(form)
        self.lay_out(form)

        self.text_edit.textChanged.connect(self.on_field_changed)
        self.picker.ready.connect(self.revalidate)
        self.start_validating()

    def problem(self) -> str | None:
        if not self.text_edit.toPlainText().strip():
            return "Type or paste the feedback itself."
        if self.picker.loading:
            return "Reading the clients and projects…"
        return None

    def reading(self) -> bool:
        return super().reading() or self.picker.loading

    def mention(self) -> Mention:
        posted = self.date_edit.dateTime().toPython().astimezone()
        return Mention(text=self.text_edit.toPlainText().strip(), author=self.author_edit.text().strip(),
                       posted_at=posted, rating=self.rating_combo.currentData())

    def save(self) -> bool:
        client_id, project_id = self.picker.choice()
        manual = Manual(site=self.site_combo.currentText().strip().lower(),
                        client=str(client_id) if client_id is not None else None,
                        project=str(project_id) if project_id is not None else None)
        mention = self.mention()
        # Scored and stored in the writer's thread: the scorer's first load and the write stay off the GUI thread.
        self.store_write(lambda conn: ingest(conn, MANUAL_SOURCE_ID, [mention], manual=manual),
                         what="save the feedback", then=self._stored)
        return False

    def _stored(self, results: list[IngestResult]) -> bool:
        if not results:
            return False
        [result] = results
        if not result.new:
            self.error_label.setText("This feedback is already in the inbox (same author, text and day): "
                                     "nothing was added.")
            return False
        self.result_ = result
        self.saved.emit(result)
        return True
