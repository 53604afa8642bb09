"""A write the GUI thread makes itself (mark read, correct a label, mark posted) when the store is busy.

The GUI's connection waits only GUI_BUSY_TIMEOUT_MS for the write lock (a poll's or an import's write holds it
for milliseconds at a time), so the window never freezes for seconds; when the wait runs out, the user is told
plainly and may retry or leave it, and nothing they did is half-written.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.store import StoreBusy

__all__ = ["BUSY_TITLE", "write_or_retry"]

BUSY_TITLE = "Rapport is busy"


def write_or_retry(parent: QWidget, write: Callable[[], object], *, what: str) -> bool:
    """Run `write`; while the store is busy, ask "Retry" or "Cancel". True once written, False if the user
    gave up."""
    while True:
        try:
            write()
            return True
        except StoreBusy:
            box = QMessageBox(QMessageBox.Icon.Warning, BUSY_TITLE,
                              f"Could not {what}: a check or an import is saving to the store right now. "
                              "Nothing was changed.",
                              QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel, parent)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setDefaultButton(QMessageBox.StandardButton.Retry)
            if box.exec() != QMessageBox.StandardButton.Retry:
                return False
