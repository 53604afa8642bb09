"""The frame shared by Rapport's form dialogs: say what is wrong inline, and close only once the store agreed."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from desktop.ui.store_writes import write_or_retry
from desktop.ui.widgets import error_label

T = TypeVar("T")


class ValidatedDialog(QDialog):
    """A form with an inline error line under it and OK/Cancel buttons.

    Subclasses override `problem()` (what stops saving, in words for the user) and `save()` (store the form).
    OK checks `problem()` again, then calls `save()`; the dialog closes only when that returns True, so a store
    error shows in `error_label` and nothing is lost. Connect field edits to `on_field_changed` to keep OK
    enabled only while the form can be saved, and end the constructor with `start_validating()`.
    """

    def __init__(self, parent: QWidget | None = None, *,
                 ok: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Ok,
                 ok_text: str | None = None) -> None:
        super().__init__(parent)
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
        """Store the form; on failure say why in `error_label` and return False, so the dialog stays open."""
        return True

    def store_write(self, write: Callable[[], T], *, what: str) -> tuple[bool, T | None]:
        """Run the form's store write; while a check or an import holds the store, the user may Retry, as for
        every write the window makes (desktop/ui/store_writes.py). (True, its result) once written; (False,
        None) when the user gave up, said in `error_label` with the form kept. Other store errors propagate."""
        result: list[T] = []
        if write_or_retry(self, lambda: result.append(write()), what=what):
            return True, result[0]
        self.error_label.setText(f"Not saved yet: a check or an import was saving to the store. Your form is kept: "
                                 f"press {self.ok_button.text().replace('&', '')} to try again.")
        return False, None

    def start_validating(self) -> None:
        """Enable OK as the form allows, saying nothing yet: a form is not wrong before the user typed in it
        (OK's tooltip says what is missing)."""
        problem = self.problem()
        self.ok_button.setEnabled(problem is None)
        self.ok_button.setToolTip(problem or "")

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
