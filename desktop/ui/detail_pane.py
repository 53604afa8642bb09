"""One mention in full: its text as plain text with the words that drove the score highlighted, and
what a user can do with it (mark read, link, open the original, compose a response).

Signals:
    read_toggled(int, bool): mark mention id read (True) or unread.
    link_requested(int): the user wants to link mention id to a client/project.
    compose_requested(int): the user wants to answer mention id.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtGui import QColor, QDesktopServices, QFont, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QPushButton, QSizePolicy, QStackedLayout, QTextEdit,
                               QVBoxLayout, QWidget)

from desktop.records.reply_windows import window_for
from desktop.store.clock import utc_now
from desktop.store.mentions import StoredMention, search_spans
from desktop.text import one_line
from desktop.ui.inbox_model import client_text, source_text
from desktop.ui.widgets import LABEL_COLOURS, REASON_NEGATIVE, REASON_POSITIVE, plain_label, stars

if TYPE_CHECKING:  # the scorer loads when it is needed, not with the window
    from desktop.scoring import Reason


SEARCH_HIT = QColor("#fff176")


def display_text(text: str) -> tuple[str, list[int]]:
    """The text as QTextDocument holds it, and where each Python index of `text` lands in it.

    Reason spans index Python code points; Qt counts UTF-16 units (an emoji is two) and keeps
    CR LF as one paragraph break, so spans are mapped rather than used as they are.
    """
    out: list[str] = []
    positions: list[int] = []
    pos = 0
    i = 0
    while i < len(text):
        ch = text[i]
        positions.append(pos)
        if ch == "\r":
            if i + 1 < len(text) and text[i + 1] == "\n":
                i += 1
                positions.append(pos)  # the \n of CR LF lands where the \r did
            out.append("\n")
            pos += 1
        else:
            out.append(ch)
            pos += 2 if ord(ch) > 0xFFFF else 1
        i += 1
    positions.append(pos)
    return "".join(out), positions


# Laying out one very long paragraph is slow in Qt (a 1 MB single line took 100 s with its highlights): show
# this much of a text at first, the rest when the user asks for it.
SHOWN_CHARS = 20_000
# Author and title labels are single QLabels: more than this is never a real name or headline.
LABEL_CHARS = 1_000


def capped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def highlight_reasons(doc: QTextDocument, text: str, reasons: Sequence[Reason]) -> int:
    """Fill `doc` with `text` as plain text and colour each reason span; returns how many were marked.

    All the spans are marked in one edit block, so the document is laid out once, not once per span
    (which made highlighting a long text quadratic).
    """
    shown, positions = display_text(text)
    doc.setPlainText(shown)
    marked = 0
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()
    for reason in reasons:
        if not 0 <= reason.start < reason.end <= len(text):
            continue  # a span from an older scorer that no longer fits the text: skip, never crash
        fmt = QTextCharFormat()
        fmt.setBackground(REASON_NEGATIVE if reason.weight < 0 else REASON_POSITIVE)
        fmt.setToolTip(f"{'lowers' if reason.weight < 0 else 'raises'} the score ({reason.weight:+.1f})")
        cursor.setPosition(positions[reason.start])
        cursor.setPosition(positions[reason.end], QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)
        marked += 1
    cursor.endEditBlock()
    return marked


def _safe_url(url: str) -> QUrl | None:
    """Only web pages open in the browser: a scraped file: or javascript: link never does."""
    qurl = QUrl(url.strip())
    return qurl if qurl.isValid() and qurl.scheme() in ("http", "https") else None


def lifecycle_text(m: StoredMention) -> str:
    """A review's life on the site in words: edited (with when), removed, the business's reply (plain text)."""
    parts = []
    if m.edited_at is not None:
        parts.append(f"Edited by the reviewer on {m.edited_at.astimezone():%Y-%m-%d} (version {m.revision}).")
    if m.removed_at is not None:
        parts.append(f"Removed from the site (not found there since {m.removed_at.astimezone():%Y-%m-%d}).")
    if m.site_reply:
        parts.append(f"Your reply is on the site: “{one_line(m.site_reply, 160)}”")
    elif (window := window_for(m.site, m.posted_at, m.project_delivered)) is not None:
        parts.append(window.describe(utc_now()))
    return " ".join(parts)


class DetailPane(QWidget):
    """The selected mention, or a hint when nothing is selected."""

    read_toggled = Signal(int, bool)
    link_requested = Signal(int)
    compose_requested = Signal(int)
    label_corrected = Signal(int, bool)
    history_requested = Signal(int)
    assign_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mention: StoredMention | None = None
        self._compose_available = False
        self._search = ""
        self._shown = ""  # the part of the text laid out (all of it, or its start)
        self._team = False  # a team's store: alerts can be assigned

        self.empty_label = plain_label("Select feedback to read it here.\n\nJ / K move through the list, "
                                       "M marks it read, Ctrl+N adds feedback by hand.", wrap=True)
        self.empty_label.setStyleSheet("color: palette(mid); padding: 24px;")

        self.author_label = plain_label(wrap=True, selectable=True)
        font = self.author_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.author_label.setFont(font)
        self.meta_label = plain_label(wrap=True)
        self.score_label = plain_label()
        # What happened on the site since the review was first read: edited, removed, answered.
        self.lifecycle_label = plain_label(wrap=True)
        self.lifecycle_label.setObjectName("lifecycle")
        self.history_button = QPushButton("History…")
        self.history_button.setToolTip("Every version of this review Rapport has read")
        self.history_button.clicked.connect(self.on_history_clicked)
        self.client_label = plain_label(wrap=True)
        self.title_label = plain_label(wrap=True, selectable=True)
        self.title_label.setStyleSheet("font-weight: bold;")

        self.text_view = QTextEdit()
        self.text_view.setReadOnly(True)
        self.text_view.setAcceptRichText(False)
        self.text_view.setObjectName("mentionText")
        self.reasons_label = plain_label(wrap=True)
        self.reasons_label.setStyleSheet("color: palette(dark);")
        self.cut_label = plain_label(wrap=True)
        self.cut_label.setStyleSheet("color: palette(dark);")
        self.show_all_button = QPushButton("Show all")
        self.show_all_button.setToolTip("Lay out the whole text (a very long one can take a few seconds)")
        self.show_all_button.clicked.connect(self.on_show_all_clicked)

        self.url_label = plain_label(selectable=True)
        self.url_label.setStyleSheet("color: palette(dark);")
        # A long address is clipped rather than widening the window (the button opens it whole).
        self.url_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.open_button = QPushButton("Open original page")
        self.open_button.clicked.connect(self.on_open_clicked)

        self.read_button = QPushButton("Mark read")
        self.read_button.setToolTip("Mark read / unread (M)")
        self.read_button.clicked.connect(self.on_read_clicked)
        self.link_button = QPushButton("Link to client…")
        self.link_button.setToolTip("Link this feedback to a client and project (L)")
        self.link_button.clicked.connect(self.on_link_clicked)
        self.compose_button = QPushButton("Compose response…")
        self.compose_button.clicked.connect(self.on_compose_clicked)
        self.correct_button = QPushButton("Not negative")
        self.correct_button.setToolTip("Correct the label (N); Rapport learns from it (Feedback › What Rapport learned)")
        self.correct_button.clicked.connect(self.on_correct_clicked)
        self.assign_button = QPushButton("Assign to…")
        self.assign_button.setToolTip("Give this alert to a teammate, or to nobody (Ctrl+Shift+A)")
        self.assign_button.clicked.connect(self.on_assign_clicked)
        self.assign_button.hide()
        self.set_compose_available(False)

        details = QWidget()
        box = QVBoxLayout(details)
        box.setContentsMargins(8, 8, 8, 8)
        box.addWidget(self.author_label)
        box.addWidget(self.meta_label)
        lifecycle_row = QHBoxLayout()
        lifecycle_row.addWidget(self.lifecycle_label, 1)
        lifecycle_row.addWidget(self.history_button)
        box.addLayout(lifecycle_row)
        badge_row = QHBoxLayout()
        badge_row.addWidget(self.score_label)
        badge_row.addWidget(self.client_label, 1)
        box.addLayout(badge_row)
        box.addWidget(self.title_label)
        box.addWidget(self.text_view, 1)
        cut_row = QHBoxLayout()
        cut_row.addWidget(self.cut_label, 1)
        cut_row.addWidget(self.show_all_button)
        box.addLayout(cut_row)
        box.addWidget(self.reasons_label)
        url_row = QHBoxLayout()
        url_row.addWidget(self.url_label, 1)
        url_row.addWidget(self.open_button)
        box.addLayout(url_row)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        box.addWidget(line)
        actions = QHBoxLayout()
        actions.addWidget(self.read_button)
        actions.addWidget(self.link_button)
        actions.addWidget(self.correct_button)
        actions.addWidget(self.assign_button)
        actions.addStretch(1)
        actions.addWidget(self.compose_button)
        box.addLayout(actions)
        # Clicking through the actions with Tab follows the reading order.
        QWidget.setTabOrder(self.text_view, self.open_button)
        QWidget.setTabOrder(self.open_button, self.read_button)
        QWidget.setTabOrder(self.read_button, self.link_button)
        QWidget.setTabOrder(self.link_button, self.correct_button)
        QWidget.setTabOrder(self.correct_button, self.assign_button)
        QWidget.setTabOrder(self.assign_button, self.compose_button)

        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.empty_label)
        self._stack.addWidget(details)
        self.show_mention(None)

    @property
    def mention(self) -> StoredMention | None:
        return self._mention

    def set_team(self, team: bool) -> None:
        """On a team's store the pane offers "Assign to…" for feedback that raised an alert."""
        self._team = team
        self.show_mention(self._mention)

    def set_compose_available(self, available: bool) -> None:
        self._compose_available = available
        self.compose_button.setEnabled(available and self._mention is not None)
        self.compose_button.setToolTip("Write a response with the guide (R)" if available
                                       else "The response composer is not installed yet")

    def show_mention(self, m: StoredMention | None) -> None:
        self._mention = m
        if m is None:
            self._stack.setCurrentIndex(0)
            self.text_view.clear()
            return
        self._stack.setCurrentIndex(1)
        self.author_label.setText(capped(m.author, LABEL_CHARS) or "(no author)")
        rating = f"{stars(m.rating)} {m.rating:g}/5" if m.rating is not None else "no rating"
        state = "unread" if m.read_at is None else "read"
        when = m.when.astimezone()
        when_text = f"{when:%Y-%m-%d}" if (when.hour, when.minute) == (0, 0) else f"{when:%Y-%m-%d %H:%M}"
        self.meta_label.setText(f"{source_text(m)} · {when_text} · {rating} · {state}"
                                + (" · alert raised" if m.alerted else "")
                                + (f" · assigned to {one_line(m.assigned_to, 40)}" if m.assigned_to else "")
                                + (f" · matched “{m.matched}”" if m.matched else ""))
        lifecycle = lifecycle_text(m)
        self.lifecycle_label.setText(lifecycle)
        self.lifecycle_label.setVisible(bool(lifecycle))
        self.history_button.setVisible(m.revision > 1)
        colour = LABEL_COLOURS.get(m.label, LABEL_COLOURS["neutral"]).name()
        self.score_label.setText(f" {m.label} {m.compound:+.2f} ")
        self.score_label.setStyleSheet(f"background: {colour}; color: white; border-radius: 6px; padding: 1px 4px;")
        client = client_text(m)
        self.client_label.setText(f"About: {client}" if client else "Not linked to a client")
        self.title_label.setText(capped(m.title, LABEL_CHARS))
        self.title_label.setVisible(bool(m.title) and m.title.strip() != m.text.strip())
        self._show_text(m, everything=False)
        words = sorted(m.reasons, key=lambda r: r.weight)
        self.reasons_label.setText(
            ("Why this score: " + ", ".join(f"“{r.text}” {r.weight:+.1f}" for r in words[:12])) if words
            else "No words in the text moved the score.")
        url = _safe_url(m.url)
        self.url_label.setText(capped(m.url, LABEL_CHARS) if m.url else "No link to the original page")
        self.open_button.setEnabled(url is not None)
        self.read_button.setText("Mark unread" if m.read_at else "Mark read")
        self.correct_button.setText("Not negative" if m.label == "negative" else "Mark negative")
        self.compose_button.setEnabled(self._compose_available)
        self.assign_button.setVisible(self._team and m.alerted)

    def _show_text(self, m: StoredMention, *, everything: bool) -> None:
        """The text with its highlights: its first SHOWN_CHARS characters, or all of it when asked."""
        cut = not everything and len(m.text) > SHOWN_CHARS
        self._shown = m.text[:SHOWN_CHARS] if cut else m.text
        # Spans past the cut do not fit the shorter text and are skipped by highlight_reasons.
        highlight_reasons(self.text_view.document(), self._shown, m.reasons)
        self._mark_search()
        self.cut_label.setText(f"Showing the first {SHOWN_CHARS:,} of {len(m.text):,} characters." if cut else "")
        self.cut_label.setVisible(cut)
        self.show_all_button.setVisible(cut)

    @Slot()
    def on_show_all_clicked(self) -> None:
        if self._mention is not None:
            self._show_text(self._mention, everything=True)

    def set_search(self, search: str) -> None:
        """Mark the inbox search's words in the text shown (and in what is shown next)."""
        self._search = search
        if self._mention is not None:
            self._mark_search()

    def _mark_search(self) -> None:
        """Search hits as extra selections: bold on yellow, over the score's colours, never changing the text."""
        text = self._shown if self._mention else ""
        _shown, positions = display_text(text)
        selections = []
        for start, end in search_spans(text, self._search):
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(SEARCH_HIT)
            fmt.setFontWeight(QFont.Weight.Bold)
            sel.format = fmt
            cursor = QTextCursor(self.text_view.document())
            cursor.setPosition(positions[start])
            cursor.setPosition(positions[end], QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            selections.append(sel)
        self.text_view.setExtraSelections(selections)

    @Slot()
    def on_open_clicked(self) -> None:
        if self._mention and (url := _safe_url(self._mention.url)):
            QDesktopServices.openUrl(url)

    @Slot()
    def on_read_clicked(self) -> None:
        if self._mention:
            self.read_toggled.emit(self._mention.id, self._mention.read_at is None)

    @Slot()
    def on_link_clicked(self) -> None:
        if self._mention:
            self.link_requested.emit(self._mention.id)

    @Slot()
    def on_correct_clicked(self) -> None:
        """The user says the label is wrong: a negative one is not, anything else is negative."""
        if self._mention:
            self.label_corrected.emit(self._mention.id, self._mention.label != "negative")

    @Slot()
    def on_history_clicked(self) -> None:
        if self._mention:
            self.history_requested.emit(self._mention.id)

    @Slot()
    def on_assign_clicked(self) -> None:
        if self._mention:
            self.assign_requested.emit(self._mention.id)

    @Slot()
    def on_compose_clicked(self) -> None:
        if self._mention:
            self.compose_requested.emit(self._mention.id)

