"""The frame shared by Rapport's form dialogs: say what is wrong inline, and close only once the store agreed."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from desktop.shell.writer import StoreWriter
from desktop.store import StoreBusy
from desktop.ui.store_writes import not_written_text, write_in_background
from desktop.ui.widgets import error_label

T = TypeVar("T")


class ValidatedDialog(QDialog):
    """A form with an inline error line under it and OK/Cancel buttons.

    Subclasses override `problem()` (what stops saving, in words for the user) and `save()` (store the form).
    OK checks `problem()` again, then calls `save()`, which hands the write to `store_write` (off the GUI thread:
    the dialog closes once the store has it, and a store error shows in `error_label` with nothing lost) or
    returns True to close now. Connect field edits to `on_field_changed` to keep OK enabled only while the form
    can be saved, and end the constructor with `start_validating()`.
    """

    def __init__(self, parent: QWidget | None = None, *,
                 ok: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Ok,
                 ok_text: str | None = None, conn: Any = None) -> None:
        """`conn`: the store the form writes to (its writes run on a StoreWriter of the dialog's own)."""
        super().__init__(parent)
        self.writer = StoreWriter(conn, self) if conn is not None else None
        self.error_label = error_label()
        self.buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(ok)
        if ok_text:
            self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def lay_out(self, form: QFormLayout, *above: QWidget) -> None:
        """Stack `above` (e.g. an intro line), the form, the error line and the buttons."""
        box = QVBoxLayout(self)
        for widget in above:
            box.addWidget(widget)
        box.addLayout(form)
        box.addWidget(self.error_label)
        box.addWidget(self.buttons)

    def problem(self) -> str | None:
        """What stops the form from being saved, said to the user; None when it can be saved."""
        return None

    def save(self) -> bool:
        """Store the form: start its write with `store_write` and return False (the dialog closes once written),
        or return True to close now; on a problem say why in `error_label` and return False."""
        return True

    def reading(self) -> bool:
        """Whether the form's write is still on its way to the store (tests wait for it)."""
        return self.writer is not None and self.writer.busy

    def store_write(self, work: Callable[[Any], T], *, what: str, then: Callable[[T], bool] | None = None,
                    refused: str = "Not saved", worded: tuple[type[Exception], ...] = ()) -> None:
        """Run the form's write (`work(conn)`) off the GUI thread; the dialog closes once written, unless
        `then(result)` says False (it said why). While a check or an import holds the store, the user may Retry,
        as for every write the window makes (desktop/ui/store_writes.py); giving up, or any other failure, is
        said in `error_label` ("`refused`: why", in the exception's own words for `worded` ones as for the
        store's) with the form kept. OK waits meanwhile (no second save)."""
        assert self.writer is not None, "a dialog that writes is made with its conn"
        self.ok_button.setEnabled(False)

        def done(result: T) -> None:
            self.ok_button.setEnabled(True)
            if then is None or then(result):
                self.accept()

        def failed(exc: BaseException) -> None:
            self.ok_button.setEnabled(True)
            if isinstance(exc, StoreBusy):
                self.error_label.setText(f"Not saved yet: a check or an import was saving to the store. Your form "
                                         f"is kept: press {self.ok_button.text().replace('&', '')} to try again.")
            else:
                said = str(exc) if isinstance(exc, worded) else not_written_text(exc)
                self.error_label.setText(f"{refused}: {said}")

        write_in_background(self, self.writer, work, what=what, done=done, failed=failed)

    def start_validating(self) -> None:
        """Enable OK as the form allows, saying nothing yet: a form is not wrong before the user typed in it
        (OK's tooltip says what is missing)."""
        problem = self.problem()
        self.ok_button.setEnabled(problem is None)
        self.ok_button.setToolTip(problem or "")

    @Slot()
    def revalidate(self) -> None:
        """What the form reads from the store arrived: check it again, saying a problem only where one was said."""
        if self.error_label.text():
            self.on_field_changed()
        else:
            self.start_validating()

    @Slot()
    def on_field_changed(self) -> None:
        problem = self.problem()
        self.error_label.setText(problem or "")
        self.ok_button.setEnabled(problem is None)
        self.ok_button.setToolTip(problem or "")

    @Slot()
    def on_buttons_accepted(self) -> None:
        if (problem := self.problem()) is not None:
            self.error_label.setText(problem)
            return
        if self.save():
            self.accept()
