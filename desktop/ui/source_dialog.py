"""Adding or editing a source: its kind (with the kind's own documentation), URL, label, interval and secret,
and a "Test this source" button that reads the page once, off the GUI thread, and stores nothing.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLineEdit, QPushButton, QSpinBox, QTextBrowser, QVBoxLayout, QWidget)

import scrapers
from desktop import secrets
from desktop.records import validation
from desktop.shell.jobs import Job, JobCancelled, JobPool
from desktop.store.clock import utc_now
from desktop.store.sources import MAX_INTERVAL_S, MIN_INTERVAL_S, SourceRow
from desktop.ui.account_connect import Connected, OpenInBrowser, connect_work, open_in_browser
from desktop.ui.selector_editor import SelectorEditor
from desktop.ui.state_words import state_words
from desktop.ui.terms_edit import TermsEdit
from desktop.ui.widgets import ERROR_STYLE, error_label, plain_label
from scrapers.base import Mention, RateLimited, ScrapeError, Source
from scrapers.http import check_url
from scrapers.poll import PollRequest
from scrapers.redact import credentials_problem
from scrapers.terms import Terms

__all__ = ["SourceDialog", "SourceValues", "TestOutcome", "describe_found"]

MAX_INTERVAL_MIN = MAX_INTERVAL_S // 60
_CONNECT_JOB = "connect"


@dataclass(frozen=True)
class SourceValues:
    """What the user entered. `secret` is None when left empty (keep any stored one)."""

    kind: str
    url: str
    label: str
    interval_s: int
    enabled: bool
    secret: str | None = None
    config: dict[str, Any] | None = None  # the kind's own settings (a css source's selectors); None: none
    credentials: dict[str, str] = field(default_factory=dict)  # typed for a kind with several (an API key and secret)


def kind_title(cls: type[Source]) -> str:
    """The kind as the picker lists it: the user's name for it and its one-line summary."""
    first = (cls.help_markdown().split("\n", 1)[0]).rstrip(".")
    return f"{cls.title()}: {first}" if first and first != cls.title() else cls.title()


def describe_found(mentions: list[Mention], items: str = "reviews") -> str:
    """The test-fetch summary: how many, and the newest one, as plain text. `items` is what the kind finds
    ("reviews"; a forum's "posts")."""
    if not mentions:
        if items != "reviews":
            return f"The search ran, but found no {items} with your terms yet."
        return "The page was read, but no reviews were found on it. Check the URL points at the reviews."
    noun = items[:-1] if len(mentions) == 1 and items.endswith("s") else items
    dated = [m for m in mentions if m.posted_at is not None]
    newest = max(dated, key=lambda m: m.posted_at) if dated else mentions[0]  # type: ignore[arg-type,return-value]
    bits = []
    if newest.posted_at is not None:
        bits.append(f"{newest.posted_at.astimezone():%d %b %Y}")
    if newest.author:
        bits.append(f"by {newest.author}")
    if newest.rating is not None:
        bits.append(f"{newest.rating:g}/5")
    text = " ".join((newest.title or newest.text).split())
    if len(text) > 140:
        text = text[:139] + "…"
    head = ", ".join(bits)
    return f"Found {len(mentions)} {noun}: newest {head}{': ' if head else ''}“{text}”"


@dataclass(frozen=True)
class TestOutcome:
    """What a test read: the mentions, or the ScrapeError the site gave (an answer to show, not a bug); and the
    page itself for kinds that preview selectors on it."""

    mentions: list[Mention]
    error: ScrapeError | None = None
    page: tuple[str, str] | None = None  # text, address


def _test_work(source_cls: type[Source], url: str, session_factory: Callable[[], Any], config: dict[str, Any],
               terms: Terms, credentials: dict[str, str]) -> Callable[[Job], TestOutcome]:
    """One fetch + parse of one URL, as a background job: no store, no validators, nothing kept (credentials
    typed in the dialog are used for this test only)."""
    def work(job: Job) -> TestOutcome:
        page: tuple[str, str] | None = None
        session = session_factory()
        try:
            if source_cls.takes_selectors:
                reader = source_cls(selectors=config.get("selectors") or None)  # type: ignore[call-arg]
            else:
                reader = source_cls()
            if type(reader).poll is not Source.poll and not source_cls.takes_selectors:
                # Kinds that make several requests (an API: an id, then pages) are tried the way they poll.
                request = PollRequest(url=url, now=utc_now(), config=config, terms=terms, credentials=credentials)
                return TestOutcome(reader.poll(session, request).mentions)
            fetched = reader.fetch(session, url)
            if job.cancelled():
                raise JobCancelled
            if source_cls.takes_selectors:
                page = (fetched.text, fetched.url)
            return TestOutcome(reader.parse_fetched(fetched), page=page)
        except ScrapeError as exc:
            return TestOutcome([], exc, page)
        finally:
            session.close()

    return work


def _default_session() -> Any:
    from scrapers.http import PoliteSession

    return PoliteSession()


class SourceDialog(QDialog):
    """Add (source=None) or edit a source. Read `values()` after it is accepted."""

    def __init__(self, parent: QWidget | None = None, *, source: SourceRow | None = None,
                 default_interval_s: int = 3600, has_secret: bool = False,
                 session_factory: Callable[[], Any] | None = None,
                 connect_options: dict[str, Any] | None = None, my_names: Terms | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit source" if source else "Add a source")
        self.setMinimumWidth(640)
        self._source = source
        self._has_secret = has_secret
        self._my_names = my_names or Terms()  # what a forum source without terms of its own looks for
        self._session_factory = session_factory or _default_session
        # By code name, with the do-it-yourself kinds (your own selectors) last: the default is a kind that reads
        # a page as it comes.
        self._kinds = dict(sorted(scrapers.load_all().items(), key=lambda item: (item[1].takes_selectors, item[0])))
        self._runs = itertools.count(1)
        self._run_id = 0  # the run whose answer we still want; 0 when none
        self.jobs = JobPool(self, threads=1)
        self.jobs.finished.connect(self.on_job_finished)
        self.jobs.failed.connect(self.on_job_failed)
        self.pool = self.jobs.pool

        self.kind_combo = QComboBox()
        for kind, cls in self._kinds.items():
            self.kind_combo.addItem(kind_title(cls), kind)
        # The kind's documentation is Rapport's own Markdown (never scraped text), so it is rendered.
        self.kind_help = QTextBrowser()
        self.kind_help.setOpenLinks(False)
        self.kind_help.setMinimumHeight(130)
        self.kind_help.setMaximumHeight(190)
        self.kind_help.setStyleSheet("QTextBrowser { background: palette(window); }")
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://…")
        self.url_error = error_label()
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText("Optional: a name you'll recognise, e.g. “Trustpilot reviews”")
        self.interval_spin = QSpinBox()
        self.interval_spin.setRange(MIN_INTERVAL_S // 60, MAX_INTERVAL_MIN)
        self.interval_spin.setSuffix(" min")
        self.interval_spin.setToolTip("How often Rapport checks this source (at least once a minute apart)")
        self.enabled_check = QCheckBox("Check this source automatically")
        self.secret_edit = QLineEdit()
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_label = plain_label()
        self.secret_note = plain_label(wrap=True)
        self.secret_note.setStyleSheet("color: palette(dark);")

        self.test_button = QPushButton("Test this source")
        self.test_button.setToolTip("Read the page once now and show what Rapport finds; nothing is stored")
        self.cancel_test_button = QPushButton("Stop test")
        self.cancel_test_button.hide()
        self.test_result = plain_label(wrap=True, selectable=True)
        self.test_button.clicked.connect(self.on_test_clicked)
        self.cancel_test_button.clicked.connect(self.on_cancel_test_clicked)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save" if source else "Add source")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Kind", self.kind_combo)
        form.addRow("", self.kind_help)
        form.addRow("URL", self.url_edit)
        form.addRow("", self.url_error)
        form.addRow("Label", self.label_edit)
        form.addRow("Check every", self.interval_spin)
        form.addRow("", self.enabled_check)
        form.addRow(self.secret_label, self.secret_edit)
        form.addRow("", self.secret_note)
        self.connect_button = QPushButton("Connect your account…")
        self.connect_button.setToolTip("Sign in once in your browser; Rapport keeps the sign-in in the system keyring")
        self.connect_status = plain_label(wrap=True)
        self.connect_button.clicked.connect(self.on_connect_clicked)
        self._connect_options = connect_options or {}
        self.open_browser: Callable[[str], object] = open_in_browser
        self.connect_jobs = JobPool(self, threads=1)  # apart from the test's: a sign-in may wait minutes
        self.connect_jobs.noted.connect(self.on_connect_noted)
        self.connect_jobs.finished.connect(self.on_connect_finished)
        self.credentials_box = QWidget()
        self.credentials_form = QFormLayout(self.credentials_box)
        self.credentials_form.setContentsMargins(0, 0, 0, 0)
        self.credential_edits: dict[str, QLineEdit] = {}
        form.addRow(self.credentials_box)
        self.terms_box = QWidget()
        terms_form = QFormLayout(self.terms_box)
        terms_form.setContentsMargins(0, 0, 0, 0)
        self.terms_edit = TermsEdit("e.g. Sam Rivera, rivera.dev, @samrivera")
        self.exclude_edit = TermsEdit("e.g. Diego Rivera")
        self.terms_note = plain_label(wrap=True)
        self.terms_note.setStyleSheet("color: palette(dark);")
        terms_form.addRow("Look for", self.terms_edit)
        terms_form.addRow("Leave out posts with", self.exclude_edit)
        terms_form.addRow("", self.terms_note)
        form.insertRow(form.getWidgetPosition(self.secret_edit)[0], self.terms_box)  # what to look for, then keys
        form.addRow(self.connect_button, self.connect_status)
        self.selector_editor = SelectorEditor()
        self.selector_editor.changed.connect(lambda: self._validate(show_empty=True))
        form.addRow(self.selector_editor)
        self._form = form
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.cancel_test_button)
        test_row.addStretch(1)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addLayout(test_row)
        box.addWidget(self.test_result)
        box.addStretch(1)
        box.addWidget(self.buttons)

        if source is not None:
            index = self.kind_combo.findData(source.kind)
            if index < 0:  # a kind this version no longer knows: show it, but it cannot be tested
                self.kind_combo.addItem(source.kind, source.kind)
                index = self.kind_combo.count() - 1
            self.kind_combo.setCurrentIndex(index)
            self.kind_combo.setEnabled(False)  # a different kind is a different source
            self.url_edit.setText(source.url)
            self.selector_editor.set_selectors(source.config.get("selectors"))
            self.terms_edit.set_terms(source.config.get("terms") or [])
            self.exclude_edit.set_terms(source.config.get("exclude") or [])
            self.label_edit.setText(source.label)
            self.interval_spin.setValue(max(1, source.poll_interval_s // 60))
            self.enabled_check.setChecked(source.enabled)
        else:
            self.interval_spin.setValue(max(1, default_interval_s // 60))
            self.enabled_check.setChecked(True)
        self.kind_combo.currentIndexChanged.connect(self.on_kind_changed)
        self.url_edit.textChanged.connect(self.on_url_changed)
        self.on_kind_changed()
        self._validate(show_empty=False)

    # -- what the user chose ---------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData() or "")

    @property
    def source_class(self) -> type[Source] | None:
        return self._kinds.get(self.kind)

    def url_problem(self) -> str | None:
        """Why the URL cannot be used, or None."""
        text = self.url_edit.text().strip()
        if not text:
            return "Enter the address of the page to watch."
        secret = credentials_problem(text)
        if secret is not None:
            return secret[0].upper() + secret[1:] + "."
        try:
            check_url(text)
        except ScrapeError:
            return ("Enter a full web address starting with http:// or https://,"
                    " e.g. https://www.trustpilot.com/review/example.com")
        try:
            validation.web_address(text)
        except validation.Invalid as exc:
            return validation.sentence(exc)
        cls = self.source_class
        return cls.check_url(text) if cls is not None else None

    def values(self) -> SourceValues:
        secret = self.secret_edit.text() if self._needs_secret() else ""
        typed = {name: edit.text().strip() for name, edit in self.credential_edits.items() if edit.text().strip()}
        return SourceValues(kind=self.kind, url=self.url_edit.text().strip(), label=self.label_edit.text().strip(),
                            interval_s=self.interval_spin.value() * 60, enabled=self.enabled_check.isChecked(),
                            secret=secret or None, config=self.config(), credentials=typed)

    def config(self) -> dict[str, Any] | None:
        """The kind's own settings (a css source's selectors), or None for kinds that have none."""
        cls = self.source_class
        if cls is not None and cls.uses_terms:
            return {"terms": self.terms_edit.terms(), "exclude": self.exclude_edit.terms()}
        if cls is None or not cls.takes_selectors:
            return None
        selectors = self.selector_editor.selectors()
        return {"selectors": selectors.to_dict()} if selectors else {}

    def _show_credentials(self, cls: type[Source] | None) -> None:
        """One field per credential a kind with several asks for (an API key and its secret)."""
        while self.credentials_form.rowCount():
            self.credentials_form.removeRow(0)
        self.credential_edits = {}
        asked = [c for c in (cls.credentials if cls else ()) if c.asked]
        for credential in asked:
            edit = QLineEdit()
            if credential.secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText(("Leave empty to keep the one stored; " if self._has_secret else "")
                                    + (credential.help or ""))
            self.credential_edits[credential.name] = edit
            self.credentials_form.addRow(credential.label, edit)
        if asked:
            note = secrets.UNAVAILABLE_MESSAGE if not secrets.available() else \
                "Kept in the system keyring, never in Rapport's files."
            self.credentials_form.addRow("", plain_label(note, wrap=True))
        self._form.setRowVisible(self.credentials_box, bool(asked))

    def search_terms(self) -> Terms:
        """What a test of a forum source looks for: this source's terms, else My names."""
        own = Terms(tuple(self.terms_edit.terms()), tuple(self.exclude_edit.terms()))
        if own:
            return own
        return Terms(self._my_names.include, self._my_names.exclude + own.exclude)

    def _show_terms(self, cls: type[Source] | None) -> None:
        uses = bool(cls and cls.uses_terms)
        self._form.setRowVisible(self.terms_box, uses)
        if uses:
            shared = ", ".join(self._my_names.include)
            self.terms_note.setText(
                "Each term must appear as a whole word or exact phrase, in any case. "
                + (f"Leave “Look for” empty to use My names from Settings ({shared})." if shared else
                   "Leave “Look for” empty to use My names from Settings (none set yet)."))

    def _needs_secret(self) -> bool:
        cls = self.source_class
        return cls is not None and bool(cls.secret_label)

    # -- reacting -------------------------------------------------------------------------------
    @Slot()
    def on_kind_changed(self) -> None:
        cls = self.source_class
        self._form.setRowVisible(self.selector_editor, bool(cls and cls.takes_selectors))
        longest = min(MAX_INTERVAL_MIN, (cls.max_interval_s // 60) if cls and cls.max_interval_s else MAX_INTERVAL_MIN)
        self.interval_spin.setMaximum(longest)  # a kind whose site asks for fresh data is checked often enough
        if cls is not None:
            self.kind_help.setMarkdown(cls.help_markdown() or "No description for this kind of source.")
        else:
            self.kind_help.setPlainText("This version of Rapport cannot read this kind.")
        self._show_credentials(cls)
        self._show_terms(cls)
        # A kind with a fixed address (an API) fills it in; another kind's fixed address gives way to "".
        defaults = {c.default_url for c in self._kinds.values() if c.default_url}
        if self._source is None and (not self.url_edit.text().strip() or self.url_edit.text().strip() in defaults):
            self.url_edit.setText(cls.default_url if cls is not None else "")
        # Connecting needs the stored key: it is offered once the source is saved (when editing it).
        self._form.setRowVisible(self.connect_button, bool(cls and hasattr(cls, "connect") and self._source))
        needs = self._needs_secret()
        self._form.setRowVisible(self.secret_edit, needs)
        self._form.setRowVisible(self.secret_note, needs)
        if needs and cls is not None:
            self.secret_label.setText(cls.secret_label or "Secret")
            if not secrets.available():
                self.secret_note.setText(secrets.UNAVAILABLE_MESSAGE)
                self.secret_note.setStyleSheet(ERROR_STYLE)
            else:
                self.secret_note.setStyleSheet("color: palette(dark);")
                self.secret_note.setText(
                    "Kept in the system keyring, never in Rapport's files."
                    + (" Leave empty to keep the one already stored." if self._has_secret else ""))
        self.test_result.clear()
        self._validate(show_empty=bool(self.url_edit.text()))

    @Slot(str)
    def on_url_changed(self, _text: str) -> None:
        # A test result is about the address it read: once that changes, the result would mislead.
        if self._run_id:
            self._abandon_test()
        self.test_result.clear()
        self.test_result.setStyleSheet("")
        self._validate(show_empty=True)

    def _validate(self, *, show_empty: bool) -> bool:
        problem = self.url_problem()
        empty = not self.url_edit.text().strip()
        self.url_error.setText(problem or "")
        self._form.setRowVisible(self.url_error, problem is not None and (show_empty or not empty))
        ok = problem is None
        cls = self.source_class
        self.ok_button.setEnabled(ok and not (cls and cls.takes_selectors and self.selector_editor.problem()))
        self.test_button.setEnabled(ok and self.source_class is not None and not self._run_id)
        return ok

    def accept(self) -> None:
        if not self._validate(show_empty=True):
            return
        if self._needs_secret() and self.secret_edit.text() and not secrets.available():
            # Never keep the secret anywhere weaker: say why and let the user decide.
            self.secret_note.setText(secrets.UNAVAILABLE_MESSAGE)
            self.secret_note.setStyleSheet(ERROR_STYLE)
            return
        super().accept()

    # -- test this source -------------------------------------------------------------------------
    @Slot()
    def on_test_clicked(self) -> None:
        cls = self.source_class
        if cls is None or not self._validate(show_empty=True):
            return
        if cls.uses_terms and not self.search_terms():
            self.test_result.setStyleSheet(ERROR_STYLE)
            self.test_result.setText("Add the names to look for (here, or as My names in Settings) to test this source.")
            return
        self._run_id = next(self._runs)
        url = self.url_edit.text().strip()
        typed = {name: edit.text().strip() for name, edit in self.credential_edits.items() if edit.text().strip()}
        self.jobs.start(self._run_id, _test_work(cls, url, self._session_factory, self.config(), self.search_terms(),
                                                 typed), what=f"test of {url}")
        self.test_result.setStyleSheet("")
        self.test_result.setText("Reading the page…")
        self.test_button.setEnabled(False)
        self.cancel_test_button.show()

    @Slot()
    def on_cancel_test_clicked(self) -> None:
        self._abandon_test()
        self.test_result.setText("Test stopped.")

    def _abandon_test(self) -> None:
        """Forget the running test: its answer, if it still comes, is ignored."""
        self.jobs.cancel(self._run_id)
        self._run_id = 0
        self.cancel_test_button.hide()
        self._validate(show_empty=False)

    @Slot(object, object)
    def on_job_finished(self, run_id: int, outcome: TestOutcome) -> None:
        if outcome.page is not None:
            self.on_test_page(run_id, *outcome.page)
        if outcome.error is not None:
            error = outcome.error
            self.on_test_failed(run_id, error.state, str(error),
                                error.retry_at if isinstance(error, RateLimited) else None)
        else:
            self.on_test_found(run_id, outcome.mentions)

    @Slot(object, object)
    def on_job_failed(self, run_id: int, exc: Exception) -> None:
        """A parser bug: shown to the user in words, never a crash (the log has the traceback)."""
        self.on_test_failed(run_id, "failing", f"could not read the page ({exc.__class__.__name__}: {exc})", None)

    def on_test_found(self, run_id: int, mentions: list[Mention]) -> None:
        if run_id != self._run_id:
            return
        self._abandon_test()
        self.test_result.setStyleSheet("")
        cls = self.source_class
        self.test_result.setText(describe_found(list(mentions), cls.items_called if cls else "reviews"))

    def on_test_page(self, run_id: int, text: str, url: str) -> None:
        if run_id == self._run_id:
            self.selector_editor.set_page(text, url)

    def on_test_failed(self, run_id: int, state: str, message: str, retry_at: datetime | None) -> None:
        if run_id != self._run_id:
            return
        self._abandon_test()
        self.test_result.setStyleSheet(ERROR_STYLE)
        words = state_words(state, message, retry_at)
        # The full sentence for the state, and the site's own reason when the words don't already carry it.
        self.test_result.setText(words if state == "failing" else f"{words}\n({message})")

    # -- connect the account ----------------------------------------------------------------------
    @Slot()
    def on_connect_clicked(self) -> None:
        cls, source = self.source_class, self._source
        if cls is None or source is None:
            return
        self.connect_button.setEnabled(False)
        self.connect_status.setStyleSheet("")
        self.connect_status.setText("Waiting for you to allow Rapport in your browser…")
        self.connect_jobs.start(_CONNECT_JOB, connect_work(cls, source.id, source.url, self._session_factory,
                                                           self._connect_options), what=f"connecting source {source.id}")

    @Slot(object, object)
    def on_connect_noted(self, _key: object, note: object) -> None:
        if isinstance(note, OpenInBrowser):
            self.open_browser(note.url)

    @Slot(object, object)
    def on_connect_finished(self, _key: object, outcome: Connected) -> None:
        if outcome.kept is None:
            self.on_connect_failed(outcome.problem)
            return
        self.on_connected(outcome.kept)

    def on_connected(self, _kept: dict[str, str]) -> None:
        """The sign-in worked and its tokens are in the keyring (kept by the job)."""
        self.connect_button.setEnabled(True)
        self.connect_status.setText("Connected: your feedback is read at the next check.")

    def on_connect_failed(self, message: str) -> None:
        self.connect_button.setEnabled(True)
        self.connect_status.setStyleSheet(ERROR_STYLE)
        self.connect_status.setText(f"Not connected: {message}")

    def done(self, result: int) -> None:
        # A test still running must not outlive the dialog (its signals object dies with it).
        self._abandon_test()
        self.connect_jobs.shutdown()  # a sign-in still waiting for the browser stops at once
        self.jobs.shutdown()
        super().done(result)

