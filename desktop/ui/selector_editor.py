"""The css kind's selectors, typed by the user, with a live preview of what they find on the page the test
fetch read: the preview runs off the GUI thread, a moment after the typing stops, and shows plain text only.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from desktop.shell.jobs import Job, JobPool
from desktop.text import one_line, stars
from desktop.ui.widgets import ERROR_STYLE, plain_label
from scrapers.base import Mention, ScrapeError
from scrapers.selectors import ReviewSelectors, read_items

__all__ = ["SelectorEditor", "describe_preview"]

FIELDS = (("item", "Each review", "the element holding one review, e.g. div.review"),
          ("text", "Text", "inside a review, e.g. p.review-text (empty: the whole review)"),
          ("author", "Author", "e.g. .reviewer-name"),
          ("date", "Date", "e.g. time (its datetime attribute is used when present)"),
          ("rating", "Stars", "e.g. .stars (\"4 out of 5\", \"4.5\", a width: 80% bar)"),
          ("title", "Title", "optional, e.g. h3"),
          ("next_link", "Next page link", "optional, e.g. a.next"))
PREVIEW_DELAY_MS = 250
SHOWN = 3


def describe_preview(mentions: list[Mention], items: int) -> str:
    """What the selectors find, in words: how many items, and the first few as read."""
    if items == 0:
        return "The review selector matches nothing on this page."
    lines = [f"The review selector matches {items} element{'s' if items != 1 else ''}; "
             f"{len(mentions)} read as reviews."]
    for mention in mentions[:SHOWN]:
        bits = [b for b in (mention.author, stars(mention.rating) if mention.rating is not None else "",
                            f"{mention.posted_at:%d %b %Y}" if mention.posted_at else "") if b]
        head = " · ".join(bits)
        lines.append(f"• {head + ': ' if head else ''}“{one_line(mention.text or mention.title, 100)}”")
    return "\n".join(lines)


def _preview_work(html: str, url: str, selectors: ReviewSelectors) -> Callable[[Job], tuple[str, bool]]:
    """Parse the fetched page with the selectors, off the GUI thread: the words to show, and whether they
    describe a problem."""
    def work(_job: Job) -> tuple[str, bool]:
        try:
            mentions, items = read_items(html, url, selectors)
        except ScrapeError as exc:
            return str(exc), True
        return describe_preview(mentions, items), items == 0
    return work


class SelectorEditor(QWidget):
    """Selector fields and the preview under them. `set_page` gives it the page the test fetch read."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for name, label, hint in FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText(hint)
            edit.textChanged.connect(self._on_edited)
            self.edits[name] = edit
            form.addRow(label, edit)
        self.preview = plain_label("Test the source to see what these selectors find on the page.", wrap=True,
                                   selectable=True)
        form.addRow("Preview", self.preview)
        self._page: tuple[str, str] | None = None
        self._runs = itertools.count(1)
        self._run_id = 0
        self.jobs = JobPool(self, threads=1)
        self.jobs.finished.connect(self.on_preview_finished)
        self.pool = self.jobs.pool
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh)

    def selectors(self) -> ReviewSelectors | None:
        values = {name: edit.text().strip() for name, edit in self.edits.items()}
        return ReviewSelectors(**values) if values["item"] else None

    def set_selectors(self, values: Any) -> None:
        for name, edit in self.edits.items():
            edit.setText(str((values or {}).get(name) or ""))

    def problem(self) -> str | None:
        """Why the selectors cannot be saved, or None."""
        selectors = self.selectors()
        if selectors is None:
            return "Say which element holds one review (the first selector)."
        problems = selectors.problems()
        if problems:
            name, why = next(iter(problems.items()))
            label = dict((n, lab) for n, lab, _ in FIELDS)[name]
            return f"The “{label}” selector is not valid CSS: {why}"
        return None

    def set_page(self, html: str, url: str) -> None:
        self._page = (html, url)
        self.refresh()

    @Slot()
    def _on_edited(self) -> None:
        self.changed.emit()
        if self._page is not None:
            self._timer.start()

    @Slot()
    def refresh(self) -> None:
        """Preview the current selectors on the page now (off the GUI thread)."""
        if self._page is None:
            return
        problem = self.problem()
        if problem is not None:
            self._show(problem, True)
            return
        self._run_id = next(self._runs)
        html, url = self._page
        self.jobs.start(self._run_id, _preview_work(html, url, self.selectors()),  # type: ignore[arg-type]
                        what="previewing the selectors")

    @Slot(object, object)
    def on_preview_finished(self, run_id: int, shown: tuple[str, bool]) -> None:
        if run_id == self._run_id:  # an older run's answer is not what the fields say now
            self._show(*shown)

    def _show(self, words: str, problem: bool) -> None:
        self.preview.setStyleSheet(ERROR_STYLE if problem else "")
        self.preview.setText(words)
