"""What a write the user made (mark read, correct a label, save a draft...) means when it cannot be done.

The writes themselves run off the GUI thread (desktop/shell/writer.py), so the window never waits for the store.
The writer's connection waits WRITER_BUSY_TIMEOUT_MS for the write lock (a poll's or an import's write holds it
for milliseconds at a time; a teammate's for as long as their transaction); when the wait runs out, the user is
told plainly and may retry or leave it, and nothing they did is half-written. Any other failure (a lost team
database, a full disk, a read-only role) is said in words, and what the widget showed at once is undone.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.shell.writer import StoreWriter
from desktop.store import StoreBusy, StoreError

__all__ = ["BUSY_TITLE", "FAILED_NAME", "ask_retry", "say_not_written", "write_in_background"]

BUSY_TITLE = "Rapport is busy"
FAILED_NAME = "store_write_failed"  # the object name of the box saying a write failed (tests find it by it)

T = TypeVar("T")


def ask_retry(parent: QWidget, what: str) -> bool:
    """The store stayed busy: ask "Retry" or "Cancel"; True to try again."""
    box = QMessageBox(QMessageBox.Icon.Warning, BUSY_TITLE,
                      f"Could not {what}: a check, an import or a teammate is saving to the store right now. "
                      "Nothing was changed.",
                      QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.Retry)
    return box.exec() == QMessageBox.StandardButton.Retry


def not_written_text(exc: BaseException) -> str:
    """Why a write failed, for the user: the store's own words, else a pointer to the log."""
    if isinstance(exc, (StoreError, ValueError)):
        said = str(exc)
        return said[:1].upper() + said[1:]
    return f"Something went wrong ({type(exc).__name__}); the log has the details."


def say_not_written(parent: QWidget, what: str, exc: BaseException) -> None:
    """Say (without waiting for an answer) that a write failed and nothing was changed."""
    box = QMessageBox(QMessageBox.Icon.Warning, f"Could not {what}",
                      f"{not_written_text(exc)}\n\nNothing was changed.", QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(FAILED_NAME)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def write_in_background(parent: QWidget, writer: StoreWriter, work: Callable[[Any], T], *, what: str,
                        done: Callable[[T], None] | None = None, undo: Callable[[], None] | None = None,
                        failed: Callable[[BaseException], None] | None = None) -> None:
    """Run `work(conn)` on `writer`; `done(result)` once written. While the store is busy the user may Retry
    (written again, in order) or Cancel. When nothing was written (Cancel, or another error): `undo()` takes back
    what the widget showed at once, then `failed(exc)` says it its own way (a dialog's error line; a StoreBusy
    after Cancel), or, without `failed`, a box says it (nothing more after Cancel: the user chose it)."""
    def on_failed(exc: BaseException) -> None:
        if isinstance(exc, StoreBusy) and ask_retry(parent, what):
            write_in_background(parent, writer, work, what=what, done=done, undo=undo, failed=failed)
            return
        if undo is not None:
            undo()
        if failed is not None:
            failed(exc)
        elif not isinstance(exc, StoreBusy):
            say_not_written(parent, what, exc)

    writer.write(work, what=what, done=done, failed=on_failed)

