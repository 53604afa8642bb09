"""The response composer: a wizard through the four steps, live checks as the user types, review and export.

Widgets only: steps, checks, rendering, drafts and export are desktop.composer's. Every scraped or typed text is
shown as plain text (plain-text editors, list items, labels forced to PlainText).
"""
from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QFormLayout, QGridLayout, QHBoxLayout, QLineEdit, QListWidget,
    QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton, QTextEdit, QVBoxLayout, QWidget, QWizard,
    QWizardPage,
)

from desktop import scoring
from desktop.composer import checks, export, render
from desktop.store import StoreBusy, drafts
from desktop.composer.answers import Answers
from desktop.composer.checks import KIND_LABELS, SITE_LIMITS, Finding
from desktop.composer.steps import EXPLAIN, KINDS, REVIEW, STEPS, Step
from desktop.records.reply_windows import window_for
from desktop.store import settings as settings_store
from desktop.shell.writer import StoreWriter
from desktop.store.clock import Clock, utc_now
from desktop.store.db import transaction
from desktop.ui.store_writes import not_written_text, write_in_background
from desktop.ui.widgets import plain_label, stars, ui_settings

log = logging.getLogger(__name__)

NOTHING_TO_FIX = "Nothing to fix anywhere in the draft."
EXPORT_DIR_KEY = "composer/export_dir"
CHECK_DELAY_MS = 300  # checks run this long after the last keystroke, not on every one
FINDING_ROLE = Qt.ItemDataRole.UserRole + 1  # the span behind a list item

_COLOURS = {
    checks.BLAME: "#ffcdd2", checks.CONDESCENSION: "#ffcdd2", checks.NON_APOLOGY: "#ffcdd2",
    checks.REMOVAL: "#ffcdd2", checks.CONFIDENTIAL: "#ffe0b2", checks.LENGTH: "#e1bee7", checks.TONE: "#bbdefb",
}
_RANK = {checks.REMOVAL: 0, checks.BLAME: 1, checks.NON_APOLOGY: 1, checks.CONDESCENSION: 2,
         checks.CONFIDENTIAL: 3, checks.LENGTH: 4, checks.TONE: 6}
_EXPORT_FILTERS = {"txt": "Plain text (*.txt)", "md": "Markdown (*.md)", "eml": "Email message (*.eml)"}


def _utf16(text: str, index: int) -> int:
    """A Python index as a QTextDocument position (Qt counts UTF-16 code units: an emoji is two)."""
    return len(text[:index].encode("utf-16-le")) // 2


def highlight(editor: QPlainTextEdit, findings: list[Finding]) -> None:
    """Mark each finding in place, coloured by kind, without touching the text or the undo stack."""
    text = editor.toPlainText()
    selections = []
    for f in findings:
        sel = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(_COLOURS.get(f.kind, "#fff9c4")))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor("#c62828") if f.kind != checks.TONE else QColor("#1565c0"))
        fmt.setToolTip(f"{f.why}\nTry: {f.suggestion}")  # a plain string: Qt shows it without markup here
        sel.format = fmt
        cursor = QTextCursor(editor.document())
        cursor.setPosition(_utf16(text, min(f.start, len(text))))
        cursor.setPosition(_utf16(text, min(f.end, len(text))), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        selections.append(sel)
    editor.setExtraSelections(selections)


def finding_text(f: Finding, where: str = "") -> str:
    quoted = f.text if len(f.text) <= 60 else f.text[:59] + "\u2026"
    prefix = f"[{where}] " if where else ""
    return f"{prefix}{KIND_LABELS.get(f.kind, f.kind)}: \u201c{quoted}\u201d \u2014 {f.why} Try: {f.suggestion}"


class FindingList(QListWidget):
    """Findings with why and a kinder way to say it; choosing one selects its span in the editor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setMinimumHeight(90)

    def show_findings(self, rows: list[tuple[Finding, str]], empty: str) -> None:
        self.clear()
        for finding, where in rows:
            item = QListWidgetItem(finding_text(finding, where))
            item.setData(FINDING_ROLE, None if where else (finding.start, finding.end))
            item.setBackground(QColor(_COLOURS.get(finding.kind, "#fff9c4")).lighter(108))
            self.addItem(item)
        if not rows:
            self.addItem(QListWidgetItem(empty))


class StepPage(QWizardPage):
    """One step: guidance, the usual answers to pick, the user's own words, and live findings."""

    def __init__(self, dialog: ComposerDialog, step: Step) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.step = step
        self.setTitle(step.title)
        self.setSubTitle(step.guidance)
        box = QVBoxLayout(self)
        box.addWidget(dialog.review_box())
        self.boxes: dict[str, QCheckBox] = {}
        if step.options:
            grid = QGridLayout()
            for i, option in enumerate(step.options):
                check = QCheckBox(option.label, self)
                check.setObjectName(f"option_{step.key}_{option.key}")
                check.setToolTip(option.text)
                check.toggled.connect(lambda on, o=option: self.on_option_toggled(o.text, on))
                grid.addWidget(check, i // 2, i % 2)
                self.boxes[option.key] = check
            box.addLayout(grid)
        box.addWidget(plain_label(step.prompt + ":", self))
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName(f"editor_{step.key}")
        self.editor.setTabChangesFocus(True)
        if step is EXPLAIN:
            row = QHBoxLayout()
            row.addWidget(self.editor, 3)
            row.addWidget(self._project_panel(), 2)
            box.addLayout(row, 3)
        else:
            box.addWidget(self.editor, 3)
        box.addWidget(plain_label("Checks:", self))
        self.findings = FindingList(self)
        self.findings.setObjectName(f"findings_{step.key}")
        self.findings.itemActivated.connect(self.on_finding_activated)
        self.findings.itemClicked.connect(self.on_finding_activated)
        box.addWidget(self.findings, 2)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CHECK_DELAY_MS)
        self.timer.timeout.connect(self.run_checks)
        self.editor.textChanged.connect(self.timer.start)

    def _project_panel(self) -> QWidget:
        panel = QWidget(self)
        col = QVBoxLayout(panel)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(plain_label("From the project record (private):", panel))
        record = QPlainTextEdit(panel)
        record.setObjectName("project_record")
        record.setReadOnly(True)
        record.setPlainText(self.dialog.project_record_text())
        col.addWidget(record)
        insert = QPushButton("Insert the timeline", panel)
        insert.setObjectName("insert_timeline")
        insert.setEnabled(bool(self.dialog.timeline()))
        insert.clicked.connect(self.on_insert_timeline)
        col.addWidget(insert)
        return panel

    def text(self) -> str:
        return self.editor.toPlainText()

    def chosen(self) -> tuple[str, ...]:
        return tuple(k for k, b in self.boxes.items() if b.isChecked())

    def load(self, text: str, chosen: tuple[str, ...]) -> None:
        for key, check in self.boxes.items():
            check.blockSignals(True)
            check.setChecked(key in chosen)
            check.blockSignals(False)
        self.editor.setPlainText(text)

    @Slot()
    def on_insert_timeline(self) -> None:
        self.on_option_toggled(self.dialog.timeline(), True)

    def on_option_toggled(self, sentence: str, on: bool) -> None:
        """Picking a usual answer adds its starter sentence to edit; unpicking removes it if still untouched."""
        text = self.editor.toPlainText()
        if on and sentence not in text:
            self.editor.setPlainText((text.rstrip() + " " + sentence).strip())
        elif not on and sentence in text:
            self.editor.setPlainText(" ".join(text.replace(sentence, "").split(" ")).strip())
        self.editor.moveCursor(QTextCursor.MoveOperation.End)

    @Slot()
    def run_checks(self) -> None:
        self.timer.stop()
        text = self.text()
        own = self.dialog.check(text, whole=False)
        highlight(self.editor, own)
        rows = [(f, "") for f in own]
        # Every page shows what is still wrong anywhere in the draft, marked with the page it is on, so "nothing
        # to fix" is only said when the whole draft is clean.
        for page in self.dialog.step_pages:
            if page is not self:
                rows += [(f, page.step.title) for f in self.dialog.check(page.text(), whole=False)]
        self.findings.show_findings(rows, NOTHING_TO_FIX)
        self.dialog.checks_updated.emit(self.step.key, len(rows))

    @Slot(QListWidgetItem)
    def on_finding_activated(self, item: QListWidgetItem) -> None:
        span = item.data(FINDING_ROLE)
        if not span:
            return
        text = self.text()
        cursor = self.editor.textCursor()
        cursor.setPosition(_utf16(text, span[0]))
        cursor.setPosition(_utf16(text, span[1]), QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        self.run_checks()


class ReviewPage(QWizardPage):
    """The whole draft with its checks, its own sentiment, its length against the site, and export."""

    def __init__(self, dialog: ComposerDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.setTitle(REVIEW.title)
        self.setSubTitle(REVIEW.guidance)
        box = QVBoxLayout(self)
        form = QFormLayout()
        top = QHBoxLayout()
        self.kind = QComboBox(self)
        self.kind.setObjectName("kind")
        for key, label in KINDS.items():
            self.kind.addItem(label, key)
        self.site = QComboBox(self)
        self.site.setObjectName("site")
        for key, limit in SITE_LIMITS.items():
            self.site.addItem(limit.label, key)
        self.signature = QLineEdit(self)
        self.signature.setObjectName("signature")
        self.signature.setPlaceholderText("Your name")
        top.addWidget(self.kind)
        top.addWidget(plain_label("on", self))
        top.addWidget(self.site)
        top.addStretch(1)
        form.addRow("Reply as:", top)
        form.addRow("Sign as:", self.signature)
        box.addLayout(form)
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("review_body")
        self.body.setReadOnly(True)
        box.addWidget(self.body, 3)
        self.sentiment = plain_label("", self)
        self.sentiment.setObjectName("sentiment")
        self.length = plain_label("", self)
        self.length.setObjectName("length")
        self.removal = plain_label("", self)
        self.removal.setObjectName("removal")
        status = QHBoxLayout()
        for label in (self.sentiment, self.length, self.removal):
            status.addWidget(label)
        status.addStretch(1)
        box.addLayout(status)
        # The site's reply rules, just above the export buttons: an Upwork reply is one shot, never edited.
        self.window_label = plain_label("", self, wrap=True)
        self.window_label.setObjectName("reply_window")
        self.window_label.setStyleSheet("color: #a15c00; font-weight: bold;")
        box.addWidget(self.window_label)
        self.findings = FindingList(self)
        self.findings.setObjectName("findings_review")
        box.addWidget(self.findings, 2)
        buttons = QHBoxLayout()
        self.copy_button = QPushButton("Copy to clipboard", self)
        self.copy_button.setObjectName("export_clipboard")
        self.copy_button.clicked.connect(dialog.copy_to_clipboard)
        buttons.addWidget(self.copy_button)
        for fmt, label in (("txt", "Save as text\u2026"), ("md", "Save as Markdown\u2026"),
                           ("eml", "Save as email (.eml)\u2026")):
            button = QPushButton(label, self)
            button.setObjectName(f"export_{fmt}")
            button.clicked.connect(lambda _=False, f=fmt: dialog.export_as(f))
            buttons.addWidget(button)
        box.addLayout(buttons)
        after = QHBoxLayout()
        self.done_label = plain_label("", self)
        self.done_label.setObjectName("export_done")
        self.done_label.setWordWrap(True)
        after.addWidget(self.done_label, 1)
        self.open_page = QPushButton("Open the review page", self)
        self.open_page.setObjectName("open_review_page")
        self.open_page.setToolTip("Open the page the review is on, to paste your reply there")
        self.open_page.clicked.connect(dialog.open_review_page)
        after.addWidget(self.open_page)
        self.posted_button = QPushButton("Mark as posted", self)
        self.posted_button.setObjectName("mark_posted")
        self.posted_button.setToolTip("Once your reply is up on the site (or the email is sent), mark the review "
                                      "as answered")
        self.posted_button.clicked.connect(dialog.mark_posted)
        after.addWidget(self.posted_button)
        box.addLayout(after)
        for signal in (self.kind.currentIndexChanged, self.site.currentIndexChanged):
            signal.connect(self.refresh)
        self.signature.textChanged.connect(self.refresh)

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        dialog = self.dialog
        answers = dialog.answers()
        body = dialog.render_body(answers)
        self.body.setPlainText(body)
        found = dialog.check(body)
        highlight(self.body, found)
        # What must change first (blame, disclosure, a request to remove the review), tone last.
        ranked = sorted(found, key=lambda f: (_RANK.get(f.kind, 5), f.start))
        self.findings.show_findings([(f, "") for f in ranked], "No problems found.")
        raw, tone = scoring.score(body, layer=False), checks.calm(body)  # a reply, not a review: the rules alone
        verdict = "reads calm" if checks.reads_calm(tone) else "reads upset: soften it"
        self.sentiment.setText(f"Sentiment {raw.compound:+.2f} ({tone.compound:+.2f} apology words aside): {verdict}.")
        self.sentiment.setToolTip("An apology has to name what went wrong, so it scores negative; calm is judged "
                                  "on the rest.")
        limit = checks.site_limit(answers.site, public=answers.public)
        if limit.limit is None:
            self.length.setText(f"{len(body)} characters.")
        else:
            over = " (too long)" if len(body) > limit.limit else ""
            self.length.setText(f"{len(body)} / {limit.limit} characters for {limit.label}{over}.")
            self.length.setToolTip(limit.source)
        project = dialog.subject.project  # Upwork counts from the contract's end: the linked project's delivery
        window = window_for(answers.site, getattr(dialog.subject.mention, "posted_at", None),
                            project.delivered if project else None) if answers.public else None
        self.window_label.setText(window.describe(utc_now()) + (" Read it twice before you post it." if window.one_shot
                                                                 else "") if window else "")
        self.window_label.setVisible(window is not None)
        asks = any(f.kind == checks.REMOVAL for f in found)
        self.removal.setText("Asks to change the review: take it out." if asks
                             else "Does not ask to remove the review.")
        url = (getattr(dialog.subject.mention, "url", "") or "")
        self.open_page.setEnabled(url.startswith(("http://", "https://")))
        dialog.checks_updated.emit("review", len(found))


@dataclass(frozen=True)
class Opening:
    """What the composer opens with, read from the store in one go (off the GUI thread, by the main window's
    reader: `read_opening`)."""

    draft: drafts.Draft | None
    subject: export.Subject
    signature: str


def read_opening(conn: Any, mention_id: int, draft_id: int | None = None) -> Opening:
    """The draft to reopen (the one asked for, else the mention's latest), what it answers, the default signature."""
    draft = drafts.get(conn, draft_id) if draft_id is not None else drafts.for_mention(conn, mention_id)
    subject = export.subject_for(conn, mention_id, draft.project if draft else None)
    return Opening(draft, subject, str(settings_store.get(conn, "composer_signature") or ""))


class _Saved:
    """Which draft this window writes and the version it last saw, kept by the writer's thread: saves queue one
    behind the other (a page turned, then Save draft), and each must see what the one before it created."""

    def __init__(self, draft_id: int | None, base: int) -> None:
        self.draft_id = draft_id
        self.base = base


class ComposerDialog(QWizard):
    """A wizard answering one mention, pre-filled from its project; reopens the mention's latest draft.

    Signals:
        draft_saved(int, int): a draft id and the version number just saved.
        exported(str): where a version was exported ("clipboard" or a file path).
        checks_updated(str, int): a page's checks ran (the step key, how many findings).
        posted(int): the user said the reply to this mention is posted (answered).
    """

    draft_saved = Signal(int, int)
    exported = Signal(str)
    checks_updated = Signal(str, int)
    posted = Signal(int)

    def __init__(self, conn: sqlite3.Connection, mention_id: int, parent: QWidget | None = None, *,
                 draft_id: int | None = None, clock: Clock = utc_now, config_dir: Path | None = None,
                 opening: Opening | None = None) -> None:
        """`opening`: what `read_opening` read off the GUI thread (the app); without it, it is read here."""
        super().__init__(parent)
        self._clock = clock
        self._config_dir = config_dir
        self.mention_id = mention_id
        self.writer = StoreWriter(conn, self)  # saves, exports and Mark as posted, in order, off the GUI thread
        opening = opening or read_opening(conn, mention_id, draft_id)
        draft = opening.draft
        # The version this window started from: a teammate's newer save makes ours a conflict, not an overwrite.
        self._saved = _Saved(draft.id if draft else None, draft.latest.n if draft and draft.latest else 0)
        self._signature = opening.signature
        self._closing = False
        self._conflicted = False  # said once: closing no longer insists on saving (the text could be copied)
        self.subject = opening.subject
        self.setWindowTitle("Answer the review")
        self.setTitleFormat(Qt.TextFormat.PlainText)
        self.setSubTitleFormat(Qt.TextFormat.PlainText)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Save draft")
        # As large as it reads best, but never past the screen (a 1366x768 laptop, half a 1920 screen).
        screen = (parent.screen() if parent is not None else QGuiApplication.primaryScreen()).availableGeometry()
        self.resize(min(920, screen.width() - 40), min(720, screen.height() - 60))
        self.step_pages = [StepPage(self, step) for step in STEPS]
        for page in self.step_pages:
            self.addPage(page)
        self.review_page = ReviewPage(self)
        self.addPage(self.review_page)
        self._load(draft.latest.answers if draft and draft.latest else None)
        self._opened_with = self.answers()
        self._problems_accepted_for: str | None = None
        self.currentIdChanged.connect(self.on_current_id_changed)

    # -- what the pages share --------------------------------------------------------------------------------

    def review_box(self) -> QWidget:
        """The review being answered, read-only and plain, at the top of each step."""
        m = self.subject.mention
        view = QPlainTextEdit(self)
        view.setReadOnly(True)
        view.setMaximumHeight(78)
        if m is None:
            view.setPlainText("(the feedback this draft answered was deleted)")
            return view
        who = m.author or "Someone"
        where = f" on {m.site}" if m.site else ""
        rating = f" {stars(m.rating)}" if m.rating is not None else ""
        view.setPlainText(f"{who}{where}{rating}:\n{m.text}")
        return view

    def project_record_text(self) -> str:
        p, c = self.subject.project, self.subject.client
        if p is None:
            return "This feedback is not linked to a project. Link it in the inbox to have the facts filled in."
        lines = [f"Project: {p.title}"]
        if c is not None:
            lines.append(f"Client: {c.name}")
        dash = "\u2014"
        for label, value in (("Started", p.started), ("Due", p.due), ("Delivered", p.delivered)):
            lines.append(f"{label}: {value.isoformat() if value else dash}")
        lines.append(f"Budget: {p.budget:,.2f}" if p.budget is not None else f"Budget: {dash}")
        lines.append(f"Status: {p.status}")
        if p.notes.strip():
            lines += ["", "Notes:", p.notes.strip()]
        return "\n".join(lines)

    def timeline(self) -> str:
        return render.facts_sentence(render.facts_from(self.subject.project))

    def _default_site(self) -> str:
        site = (getattr(self.subject.mention, "site", "") or "").lower()
        return site if site in SITE_LIMITS else "other"

    def _load(self, answers: Answers | None) -> None:
        if answers is None:
            answers = Answers(texts={"explain": self.timeline()}, site=self._default_site(), signature=self._signature)
        for page in self.step_pages:
            page.load(answers.texts.get(page.step.key, ""), answers.choices.get(page.step.key, ()))
        review = self.review_page
        review.kind.setCurrentIndex(max(0, review.kind.findData(answers.kind)))
        review.site.setCurrentIndex(max(0, review.site.findData(answers.site or self._default_site())))
        review.signature.setText(answers.signature)

    def answers(self) -> Answers:
        review = self.review_page
        return Answers(
            texts={p.step.key: p.text() for p in self.step_pages},
            choices={p.step.key: p.chosen() for p in self.step_pages if p.boxes},
            kind=review.kind.currentData() or "reply",
            site=review.site.currentData() or "",
            signature=review.signature.text().strip(),
        )

    def render_body(self, answers: Answers | None = None) -> str:
        s = self.subject
        return render.render(answers or self.answers(), mention=s.mention, project=s.project, client=s.client,
                             config_dir=self._config_dir)

    def check(self, text: str, *, whole: bool = True) -> list[Finding]:
        review = self.review_page if hasattr(self, "review_page") else None
        kind = review.kind.currentData() if review else "reply"
        site = review.site.currentData() if review else self._default_site()
        budget = self.subject.project.budget if self.subject.project else None
        return checks.check(text, public=kind != "email", other_clients=self.subject.other_clients, site=site,
                            whole=whole, budget=budget)

    # -- saving and export -------------------------------------------------------------------------------------

    @property
    def draft_id(self) -> int | None:
        return self._saved.draft_id

    def reading(self) -> bool:
        """Whether a save, an export or Mark as posted is still on its way to the store (tests wait for it)."""
        return self.writer.busy

    def save(self, then: Callable[[drafts.Version], None] | None = None) -> None:
        """Save the answers as the draft's next version in the background (nothing new when nothing changed), then
        `then(version)`. A busy store asks Retry; a teammate's newer version is a conflict said in words; either
        way the answers stay in the window."""
        answers = self.answers()
        body = self.render_body(answers)
        mention_id, clock, saved = self.mention_id, self._clock, self._saved
        project = self.subject.project.id if self.subject.project else None

        def work(conn: Any) -> drafts.Version:  # in the writer's thread: the saves before it have run
            with transaction(conn):
                draft_id = saved.draft_id
                if draft_id is None:
                    draft_id = drafts.create(conn, mention_id, project, clock=clock)
                version = drafts.save(conn, draft_id, answers, body, clock=clock, base=saved.base)
            saved.draft_id, saved.base = draft_id, version.n
            return version

        def done(version: drafts.Version) -> None:
            self.draft_saved.emit(version.draft, version.n)
            if then is not None:
                then(version)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, drafts.DraftConflict):
                self._say_conflict(exc, body)
            elif not isinstance(exc, StoreBusy):  # busy: the user chose Cancel; the text is still here
                self._say_not_saved(exc)

        write_in_background(self, self.writer, work, what="save the draft", done=done, failed=failed)

    def _say_not_saved(self, exc: BaseException) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Could not save the draft",
                          f"{not_written_text(exc)}\n\nYour text stays in this window: try again, or copy it.",
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("draft_not_saved")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _say_conflict(self, exc: drafts.DraftConflict, body: str) -> None:
        """A teammate saved this draft meanwhile: nothing of theirs is overwritten, and the user's text is kept
        (in this window, and on the clipboard with one click) to merge by hand."""
        self._conflicted = True
        if (shown := self.findChild(QMessageBox, "draft_conflict")) is not None and shown.isVisible():
            return  # said once per conflict, however many saves try
        box = QMessageBox(QMessageBox.Icon.Warning, "Someone else saved this draft", str(exc),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("draft_conflict")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("Your text stays in this window. Copy it, close the composer and open the draft "
                               "again to see their version, then paste in what you want to keep.")
        copy = box.addButton("Copy my text", QMessageBox.ButtonRole.AcceptRole)
        copy.setObjectName("copy_my_text")
        box.addButton("Close", QMessageBox.ButtonRole.RejectRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(body))
        box.open()

    def edited(self) -> bool:
        """Whether the answers differ from what the wizard opened with (a pre-filled timeline is no edit)."""
        return self.answers() != self._opened_with

    def _needs_saving(self) -> bool:
        return self.draft_id is not None or self.edited()

    @Slot(int)
    def on_current_id_changed(self, page_id: int) -> None:
        if page_id != -1 and not self._closing and self._needs_saving():
            self.save()

    def done(self, result: int) -> None:  # noqa: D401 - Qt's name
        """Save draft, Cancel, Escape, the window's close: the answers are saved first, and the window stays open
        when they could not be (a busy store given up on, a lost connection), so nothing typed is lost. After a
        teammate's conflict it closes (the user was told how to keep their text)."""
        if self._closing:
            return
        if self._conflicted or not self._needs_saving():
            self._close(result)
            return
        self.save(then=lambda _version: self._close(result))

    def _close(self, result: int) -> None:
        self._closing = True
        super().done(result)

    def problems_ok(self, body: str) -> bool:
        """Ask once before exporting a draft with open problems, naming their kinds; True to go ahead."""
        found = [f for f in self.check(body) if f.kind != checks.TONE]
        if not found or body == self._problems_accepted_for:
            return True
        kinds = list(dict.fromkeys(KIND_LABELS.get(f.kind, f.kind).lower() for f in found))
        noun = "problem" if len(found) == 1 else "problems"
        box = QMessageBox(QMessageBox.Icon.Warning, "Export with open problems?",
                          f"The draft still has {len(found)} {noun}: {', '.join(kinds)}.\n\n"
                          "The review page lists them. Export anyway?",
                          QMessageBox.StandardButton.NoButton, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        go = box.addButton("Export anyway", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Fix them first", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not go:
            return False
        self._problems_accepted_for = body
        return True

    @Slot()
    def copy_to_clipboard(self) -> None:
        """Save, then put the saved version on the clipboard and note the export (in the background)."""
        if not self.problems_ok(self.render_body()):
            return
        self.save(then=self._copy_saved)

    def _copy_saved(self, version: drafts.Version) -> None:
        QGuiApplication.clipboard().setText(version.body)
        at = self._clock()
        write_in_background(self, self.writer,
                            lambda conn: drafts.mark_exported(conn, version.draft, version.n, "clipboard", at),
                            what="note the export")
        self.exported.emit("clipboard")
        self._say_done("The reply is on the clipboard.")

    def export_as(self, fmt: str) -> None:
        """Save, ask where (in the folder used last), refuse to overwrite silently, write; `exported` says where."""
        if not self.problems_ok(self.render_body()):
            return
        self.save(then=lambda version: self._ask_where(version, fmt))

    def _ask_where(self, version: drafts.Version, fmt: str) -> None:
        def named(draft: drafts.Draft) -> None:
            settings = ui_settings()
            folder = Path(str(settings.value(EXPORT_DIR_KEY) or Path.home()))
            path_text, _ = QFileDialog.getSaveFileName(
                self, "Export the draft", str(export.target(draft, fmt, folder)), _EXPORT_FILTERS[fmt],
                options=QFileDialog.Option.DontConfirmOverwrite)  # we ask ourselves, in words that say what is lost
            if not path_text:
                return
            path = Path(path_text)
            if path.suffix.lower() != f".{fmt}":
                path = path.with_name(f"{path.name}.{fmt}")
            settings.setValue(EXPORT_DIR_KEY, str(path.parent))
            self._export_to(version.draft, fmt, path, force=False)

        self.writer.write(lambda conn: drafts.get(conn, version.draft), what="read the draft", done=named,
                          failed=lambda exc: self._say_export_failed(exc))

    def _export_to(self, draft_id: int, fmt: str, path: Path, *, force: bool) -> None:
        """Write the file and record the export in the writer's thread (a file and the store: neither on the GUI
        thread); an existing file is replaced only once the user said so."""
        config_dir, clock = self._config_dir, self._clock

        def work(conn: Any) -> Path:
            sender = str(settings_store.get(conn, "composer_from") or "")
            return export.export(conn, draft_id, fmt, path=path, force=force, sender=sender, config_dir=config_dir,
                                 clock=clock)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, export.TargetExists) and not force:
                answer = QMessageBox.question(
                    self, "Replace the file?", f"{path.name} already exists in {path.parent}. Replace it?",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
                if answer == QMessageBox.StandardButton.Yes:
                    self._export_to(draft_id, fmt, path, force=True)
            elif not isinstance(exc, StoreBusy):
                self._say_export_failed(exc)

        write_in_background(self, self.writer, work, what="export the draft", done=self._exported, failed=failed)

    def _exported(self, written: Path) -> None:
        self.exported.emit(str(written))
        self._say_done(f"Saved {written.name}.")

    def _say_export_failed(self, exc: BaseException) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Export failed",
                          str(exc) if isinstance(exc, export.ExportError) else not_written_text(exc),
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("export_failed")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _say_done(self, done: str) -> None:
        """Say what was exported and what is left, on the page (no question after every export)."""
        url = (getattr(self.subject.mention, "url", "") or "")
        then = (" Paste it on the review page, then mark it as posted." if url.startswith(("http://", "https://"))
                else " Once it is posted or sent, mark it as posted.")
        self.review_page.done_label.setText(done + then)

    @Slot()
    def mark_posted(self) -> None:
        """The user posted the reply: the review counts as answered (and the wizard is done). Until the store has
        it (a busy store given up on), the wizard stays open: the user may try again."""
        self.save(then=self._post_saved)

    def _post_saved(self, version: drafts.Version) -> None:
        at = self._clock()

        def posted(_: object) -> None:
            self.posted.emit(self.mention_id)
            self._close(QWizard.DialogCode.Accepted.value)

        write_in_background(self, self.writer, lambda conn: drafts.mark_posted(conn, version.draft, at),
                            what="mark the reply posted", done=posted)

    @Slot()
    def open_review_page(self) -> None:
        url = (getattr(self.subject.mention, "url", "") or "")
        if url.startswith(("http://", "https://")):
            QDesktopServices.openUrl(QUrl(url))
