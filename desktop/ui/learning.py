"""What Rapport learned from the user's corrections: the background re-learning, and a dialog to see and undo it.

Signals (Learner):
    relearned(object): a Relearned (desktop.records.corrections): stored scores may have changed.
"""
from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout, QWidget)

from desktop.shell.jobs import Job, JobPool
from desktop.store import connect
from desktop.store import db as store_db
from desktop.store import learning as learning_store
from desktop.shell.reader import StoreReader
from desktop.shell.writer import StoreWriter
from desktop.text import one_line
from desktop.ui.store_writes import write_in_background
from desktop.ui.widgets import plain_label

if TYPE_CHECKING:
    from desktop.records import corrections

log = logging.getLogger(__name__)

_JOB = "relearn"
_EXCERPT = 90
_ADJUSTMENTS_SHOWN = 40  # the strongest deltas listed (the rest move less)
# What the dialog lists: learned words, the adjustment's deltas, corrections.
_Learned = tuple[list[learning_store.StoredWord], dict[str, float], list[learning_store.Correction]]


def _corrections():  # noqa: ANN202 - the module
    """desktop.records.corrections, loaded at the first correction (or the dialog's forget and undo): it brings the
    scorer (VADER, the learned layer), which the inbox's first paint does not need."""
    from desktop.records import corrections

    return corrections


class Learner(QObject):
    """Learns again after each correction, undo or forget, in a pool thread with its own connection.

    Changes that arrive while a run is going on are gathered and learned in one more run after it.
    """

    relearned = Signal(object)

    def __init__(self, conn: sqlite3.Connection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self.jobs = JobPool(self)
        self._pending: set[str] | None = None  # words to re-read in the next run; None: no run pending
        self.jobs.finished.connect(self.on_job_finished)
        self.jobs.failed.connect(self.on_job_ended)
        self.jobs.cancelled.connect(self.on_job_ended)

    def relearn(self, also: tuple[str, ...] = ()) -> None:
        """Learn again soon; `also`: words whose mentions must be re-read even if learning does not change them."""
        self._pending = (self._pending or set()) | set(also)
        if _JOB not in self.jobs.running:
            self._start()

    def _start(self) -> None:
        path = store_db.location(self._conn)
        also = tuple(sorted(self._pending or ()))
        self._pending = None
        if path is None:  # an in-memory store has no file for a worker: learn here (it is small)
            self.relearned.emit(_corrections().relearn_and_rescore(self._conn, also))
            return

        def work(job: Job) -> corrections.Relearned:
            conn = connect(path)
            try:
                return _corrections().relearn_and_rescore(conn, also, cancelled=job.cancelled)
            finally:
                conn.close()

        self.jobs.start(_JOB, work, what="learning from corrections")

    def shutdown(self) -> None:
        self.jobs.shutdown()

    @Slot(object, object)
    def on_job_finished(self, _key: object, result: object) -> None:
        self.relearned.emit(result)
        self.on_job_ended(_key)

    @Slot(object)
    @Slot(object, object)
    def on_job_ended(self, _key: object, _error: object = None) -> None:
        if self._pending is not None:
            self._start()


class LearnedDialog(QDialog):
    """The words Rapport reads differently for this user, how it adjusted its learned layer, and the corrections it
    learned them from; all undoable."""

    def __init__(self, conn: sqlite3.Connection, learner: Learner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("What Rapport learned from you")
        self._learner = learner
        self.reader = StoreReader(conn, self)  # the lists, read off the GUI thread
        self.writer = StoreWriter(conn, self)  # forgetting and undoing, written off it
        self.words_list = QListWidget()
        self.adjustments_list = QListWidget()
        self.corrections_list = QListWidget()
        self.forget_button = QPushButton("Forget this word")
        self.forget_adjustment_button = QPushButton("Forget this")
        self.undo_button = QPushButton("Undo this correction")
        self.status_label = plain_label(wrap=True)
        intro = plain_label("When you mark feedback “Not negative” or “Negative”, Rapport re-reads it and learns "
                            "which words mislead it for you, and which kinds of words and readings to weigh "
                            "differently. Star ratings teach it a little too.", wrap=True)

        words_row = QHBoxLayout()
        words_row.addWidget(self.words_list, 1)
        words_row.addWidget(self.forget_button, 0, Qt.AlignmentFlag.AlignTop)
        adjustments_row = QHBoxLayout()
        adjustments_row.addWidget(self.adjustments_list, 1)
        adjustments_row.addWidget(self.forget_adjustment_button, 0, Qt.AlignmentFlag.AlignTop)
        corrections_row = QHBoxLayout()
        corrections_row.addWidget(self.corrections_list, 1)
        corrections_row.addWidget(self.undo_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addWidget(plain_label("Learned words"))
        box.addLayout(words_row)
        box.addWidget(plain_label("What it weighs differently (word families, its reading of a text, words)"))
        box.addLayout(adjustments_row)
        box.addWidget(plain_label("Your corrections"))
        box.addLayout(corrections_row)
        box.addWidget(self.status_label)
        box.addWidget(buttons)
        self.resize(680, 620)

        self.forget_button.clicked.connect(self.on_forget_clicked)
        self.forget_adjustment_button.clicked.connect(self.on_forget_adjustment_clicked)
        self.undo_button.clicked.connect(self.on_undo_clicked)
        self.words_list.currentRowChanged.connect(self.on_selection_changed)
        self.adjustments_list.currentRowChanged.connect(self.on_selection_changed)
        self.corrections_list.currentRowChanged.connect(self.on_selection_changed)
        learner.relearned.connect(self.on_relearned)
        self.reload()

    def reading(self) -> bool:
        """Whether the dialog still waits for the store (its lists, a write)."""
        return self.reader.busy or self.writer.busy

    def reload(self) -> None:
        self.reader.read("learned", _learned, self._show)

    def _show(self, learned: _Learned) -> None:
        words, deltas, corrected = learned
        self.words_list.clear()
        for w in words:
            way = "positive" if w.valence > 0 else "negative"
            item = QListWidgetItem(f"“{w.word}” reads {way} for you (was {w.base:+.1f}; {w.votes:g} votes)")
            item.setData(Qt.ItemDataRole.UserRole, w.word)
            self.words_list.addItem(item)
        if not self.words_list.count():
            self.words_list.addItem(QListWidgetItem("Nothing learned yet."))
        self.adjustments_list.clear()
        from desktop.scoring.adjustment import describe, effect, strongest

        for feature, delta in strongest(deltas, _ADJUSTMENTS_SHOWN):
            change = effect(feature, delta)
            said = describe(feature)
            item = QListWidgetItem(f"{said[:1].upper()}{said[1:]}: read {'less' if change < 0 else 'more'} negative "
                                   f"for you ({change:+.2f})")
            item.setData(Qt.ItemDataRole.UserRole, feature)
            self.adjustments_list.addItem(item)
        if not self.adjustments_list.count():
            self.adjustments_list.addItem(QListWidgetItem("Nothing adjusted yet."))
        self.corrections_list.clear()
        for c in corrected:
            verdict = "Negative" if c.negative else "Not negative"
            item = QListWidgetItem(f"{verdict}: {one_line(c.text, _EXCERPT)}")
            item.setData(Qt.ItemDataRole.UserRole, c.mention)
            self.corrections_list.addItem(item)
        self.on_selection_changed()

    def _selected(self, widget: QListWidget) -> object:
        item = widget.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    @Slot()
    def on_selection_changed(self) -> None:
        self.forget_button.setEnabled(self._selected(self.words_list) is not None)
        self.forget_adjustment_button.setEnabled(self._selected(self.adjustments_list) is not None)
        self.undo_button.setEnabled(self._selected(self.corrections_list) is not None)

    @Slot()
    def on_forget_clicked(self) -> None:
        self._forget(self._selected(self.words_list))

    @Slot()
    def on_forget_adjustment_clicked(self) -> None:
        self._forget(self._selected(self.adjustments_list))

    def _forget(self, word: object) -> None:
        """Un-teach a learned word or adjustment feature, then learn again without it."""
        if not isinstance(word, str):
            return
        from desktop.scoring.adjustment import describe

        said = describe(word) if ":" in word else f"“{word}”"

        def forgotten(_: object) -> None:
            self.status_label.setText(f"Forgot {said}; re-reading your feedback…")
            self.reload()
            self._learner.relearn(also=(word,))

        write_in_background(self, self.writer, lambda conn: _corrections().forget(conn, word), what=f"forget {said}",
                            done=forgotten)

    @Slot()
    def on_undo_clicked(self) -> None:
        mention = self._selected(self.corrections_list)
        if not isinstance(mention, int):
            return

        def undone(_: object) -> None:
            self.status_label.setText("Correction undone; re-reading your feedback…")
            self.reload()
            self._learner.relearn()

        write_in_background(self, self.writer, lambda conn: _corrections().undo(conn, mention),
                            what="undo the correction", done=undone)

    @Slot(object)
    def on_relearned(self, result: object) -> None:
        relabelled = getattr(result, "relabelled", 0)
        self.status_label.setText(f"Up to date: {relabelled} feedback item(s) changed label." if relabelled
                                  else "Up to date.")
        self.reload()


def _learned(conn: sqlite3.Connection) -> _Learned:
    """What the dialog lists (in its reader's thread)."""
    return learning_store.learned_words(conn), learning_store.learned_adjustment(conn), learning_store.corrections(conn)
