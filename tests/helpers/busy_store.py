"""Answering the "Rapport is busy: Retry or Cancel?" question (desktop/ui/store_writes.py) in a test, as a user
would, while another connection holds the store's write lock."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QMessageBox


def answer_busy_questions(monkeypatch: pytest.MonkeyPatch, answers: list[QMessageBox.StandardButton],
                          on_retry: Callable[[], object]) -> list[tuple[str, str]]:
    """Each question asked gets the next of `answers`; `on_retry` runs before a Retry (the background write ends
    meanwhile). Returns the (title, text) of every question asked, as they come."""
    asked: list[tuple[str, str]] = []

    def exec_(box: QMessageBox) -> int:
        asked.append((box.windowTitle(), box.text()))
        answer = answers.pop(0)
        if answer == QMessageBox.StandardButton.Retry:
            on_retry()
        return answer

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return asked
