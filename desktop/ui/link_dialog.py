"""Linking feedback to a client and project by hand, when automatic linking by handle did not."""
from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QFormLayout, QWidget

from desktop.store import mentions
from desktop.store.db import DatabaseError
from desktop.store.mentions import StoredMention
from desktop.ui.dialogs import ValidatedDialog
from desktop.ui.pickers import ClientProjectPicker
from desktop.ui.widgets import plain_label


class LinkDialog(ValidatedDialog):
    """Pick a client (or none) and one of its projects (or none); OK stores the link."""

    def __init__(self, conn: sqlite3.Connection, mention: StoredMention, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
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

    def choice(self) -> tuple[int | None, int | None]:
        return self.picker.choice()

    def save(self) -> bool:
        client_id, project_id = self.choice()
        try:
            done, _ = self.store_write(lambda: mentions.link(self._conn, self._mention.id, client_id, project_id),
                                       what="link the feedback")
        except (ValueError, *DatabaseError) as exc:
            self.error_label.setText(f"Not linked: {exc}")
            return False
        return done
