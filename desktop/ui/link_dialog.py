"""Linking feedback to a client and project by hand, when automatic linking by handle did not."""
from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QFormLayout, QWidget

from desktop.store import mentions
from desktop.store.mentions import StoredMention
from desktop.ui.dialogs import ValidatedDialog
from desktop.ui.pickers import ClientProjectPicker
from desktop.ui.widgets import plain_label


class LinkDialog(ValidatedDialog):
    """Pick a client (or none) and one of its projects (or none); OK stores the link."""

    def __init__(self, conn: sqlite3.Connection, mention: StoredMention, parent: QWidget | None = None) -> None:
        super().__init__(parent, conn=conn)
        self._mention = mention
        self.setWindowTitle("Link feedback")
        self.picker = ClientProjectPicker(conn, self, client_id=mention.client, project_id=mention.project)
        self.client_combo = self.picker.client_combo
        self.project_combo = self.picker.project_combo
        who = mention.author or "unknown author"
        intro = plain_label(f"Feedback from {who}: {mention.first_line[:120]}", wrap=True)
        form = QFormLayout()
        self.picker.add_rows(form)
        self.lay_out(form, intro)
        self.picker.ready.connect(self.revalidate)
        self.start_validating()

    def problem(self) -> str | None:
        return "Reading the clients and projects…" if self.picker.loading else None

    def reading(self) -> bool:
        return super().reading() or self.picker.loading

    def choice(self) -> tuple[int | None, int | None]:
        return self.picker.choice()

    def save(self) -> bool:
        client_id, project_id, mention_id = *self.choice(), self._mention.id
        self.store_write(lambda conn: mentions.link(conn, mention_id, client_id, project_id),
                         what="link the feedback", refused="Not linked")
        return False
