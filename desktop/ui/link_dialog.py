"""Linking feedback to a client and project by hand, when automatic linking by handle did not."""
from __future__ import annotations

import sqlite3

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from desktop.store import clients, mentions, projects
from desktop.store.mentions import StoredMention
from desktop.ui.widgets import plain_label


class LinkDialog(QDialog):
    """Pick a client (or none) and one of its projects (or none); OK stores the link."""

    def __init__(self, conn: sqlite3.Connection, mention: StoredMention, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self._mention = mention
        self.setWindowTitle("Link feedback")
        self.client_combo = QComboBox()
        self.client_combo.addItem("— not linked —", None)
        for client in clients.all_clients(conn):
            self.client_combo.addItem(client.name, client.id)
        self.project_combo = QComboBox()
        self.error_label = plain_label(wrap=True)
        self.error_label.setStyleSheet("color: #c62828;")
        who = mention.author or "unknown author"
        intro = plain_label(f"Feedback from {who}: {mention.first_line[:120]}", wrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Client:", self.client_combo)
        form.addRow("&Project:", self.project_combo)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.error_label)
        box.addWidget(buttons)
        self.client_combo.currentIndexChanged.connect(self.on_client_changed)
        self.client_combo.setCurrentIndex(max(0, self.client_combo.findData(mention.client)))
        self.on_client_changed()
        if mention.project is not None:
            self.project_combo.setCurrentIndex(max(0, self.project_combo.findData(mention.project)))

    @Slot()
    def on_client_changed(self) -> None:
        self.project_combo.clear()
        self.project_combo.addItem("— no particular project —", None)
        client_id = self.client_combo.currentData()
        self.project_combo.setEnabled(client_id is not None)
        if client_id is not None:
            for project in projects.for_client(self._conn, client_id):
                self.project_combo.addItem(project.title, project.id)

    def choice(self) -> tuple[int | None, int | None]:
        client_id = self.client_combo.currentData()
        return client_id, (self.project_combo.currentData() if client_id is not None else None)

    @Slot()
    def on_buttons_accepted(self) -> None:
        client_id, project_id = self.choice()
        try:
            mentions.link(self._conn, self._mention.id, client_id, project_id)
        except (ValueError, sqlite3.Error) as exc:
            self.error_label.setText(f"Not linked: {exc}")
            return
        self.accept()
