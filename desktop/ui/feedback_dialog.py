"""Feedback that arrived by email, phone or a site we do not watch, typed in by hand.

It goes through `desktop.ingest` like scraped feedback, so it is scored, deduped and alerted alike,
in one transaction: either it is stored with its alert, or nothing is.

Signals:
    saved(object): the IngestResult of the stored feedback.
"""
from __future__ import annotations

import logging
import sqlite3

from PySide6.QtCore import QDateTime, Signal, Slot
from PySide6.QtWidgets import (QComboBox, QDateTimeEdit, QDialog, QDialogButtonBox, QFormLayout, QLineEdit,
                               QPlainTextEdit, QVBoxLayout, QWidget)

from desktop.ingest import MANUAL_SOURCE_ID, IngestResult, Manual, ingest
from desktop.store import StoreError, clients, projects
from desktop.ui.widgets import plain_label, stars
from scrapers.base import Mention

log = logging.getLogger(__name__)

SITES = ("email", "phone", "upwork", "fiverr", "freelancer", "peopleperhour", "guru", "trustpilot",
         "linkedin", "reddit", "google")


class FeedbackDialog(QDialog):
    """Add one piece of feedback by hand; OK stays disabled until the entry can be saved."""

    saved = Signal(object)

    def __init__(self, conn: sqlite3.Connection, parent: QWidget | None = None, *,
                 client_id: int | None = None, project_id: int | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
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
        self.client_combo = QComboBox()
        self.client_combo.addItem("— not linked —", None)
        for client in clients.all_clients(conn):
            self.client_combo.addItem(client.name, client.id)
        self.project_combo = QComboBox()
        self.error_label = plain_label(wrap=True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add feedback")
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Feedback:", self.text_edit)
        form.addRow("&Rating:", self.rating_combo)
        form.addRow("&Site:", self.site_combo)
        form.addRow("&Date:", self.date_edit)
        form.addRow("&Author:", self.author_edit)
        form.addRow("&Client:", self.client_combo)
        form.addRow("&Project:", self.project_combo)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.error_label)
        box.addWidget(self.buttons)

        self.client_combo.currentIndexChanged.connect(self.on_client_changed)
        self.text_edit.textChanged.connect(self.on_text_changed)
        if client_id is not None:
            self.client_combo.setCurrentIndex(max(0, self.client_combo.findData(client_id)))
        self.on_client_changed()
        if project_id is not None:
            self.project_combo.setCurrentIndex(max(0, self.project_combo.findData(project_id)))
        self.on_text_changed()

    @Slot()
    def on_client_changed(self) -> None:
        """Only the chosen client's projects can be picked, so a project never contradicts its client."""
        self.project_combo.clear()
        client_id = self.client_combo.currentData()
        if client_id is None:
            self.project_combo.addItem("— choose a client first —", None)
            self.project_combo.setEnabled(False)
            return
        self.project_combo.setEnabled(True)
        own = projects.for_client(self._conn, client_id)
        self.project_combo.addItem("— no particular project —" if own else "— the client has no projects —", None)
        for project in own:
            self.project_combo.addItem(project.title, project.id)
        if len(own) == 1:
            self.project_combo.setCurrentIndex(1)

    @Slot()
    def on_text_changed(self) -> None:
        problem = self.problem()
        self.error_label.setText(problem or "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)

    def problem(self) -> str | None:
        """What stops the entry from being saved, said to the user; None when it can be saved."""
        if not self.text_edit.toPlainText().strip():
            return "Type or paste the feedback itself."
        return None

    def mention(self) -> Mention:
        posted = self.date_edit.dateTime().toPython().astimezone()
        return Mention(text=self.text_edit.toPlainText().strip(), author=self.author_edit.text().strip(),
                       posted_at=posted, rating=self.rating_combo.currentData())

    @Slot()
    def on_buttons_accepted(self) -> None:
        if (problem := self.problem()) is not None:
            self.error_label.setText(problem)
            return
        client_id = self.client_combo.currentData()
        project_id = self.project_combo.currentData() if client_id is not None else None
        manual = Manual(site=self.site_combo.currentText().strip().lower(),
                        client=str(client_id) if client_id is not None else None,
                        project=str(project_id) if project_id is not None else None)
        try:
            [result] = ingest(self._conn, MANUAL_SOURCE_ID, [self.mention()], manual=manual)
        except (StoreError, ValueError, sqlite3.Error) as exc:
            log.warning("manual feedback not saved: %s", exc)
            self.error_label.setText(f"Not saved: {exc}")
            return
        if not result.new:
            self.error_label.setText("This feedback is already in the inbox (same author, text and day): "
                                     "nothing was added.")
            return
        self.result_ = result
        self.saved.emit(result)
        self.accept()
