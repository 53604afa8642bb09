"""Settings > Team: connect this desktop to the team's PostgreSQL database.

The address, "your name in the team" and the allow-insecure choice go to the local config (desktop.team_config:
they cannot live inside the team database they point at); the password goes to the system keyring
(desktop.secrets), never to a file. "Test connection" reaches the server in a background job and says what it
found in words. Save keeps the password and team.json in a background job too (the keyring is D-Bus, which may
wait for the user to unlock it; the config is a file), saying "Saving…" meanwhile and why it failed after;
then it switches the running window to the saved store, in the background as well (the app does it:
desktop/shell/app.py); `--db` and RAPPORT_DB still win.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from desktop import team_config
from desktop.shell.jobs import Job, JobPool
from desktop.store import db
from desktop.team_config import TeamConfigError, TeamSetting
from desktop.ui.widgets import ERROR_STYLE, error_label, plain_label

log = logging.getLogger(__name__)

__all__ = ["TeamSettings"]

TEST_JOB = "team-test"
SAVE_JOB = "team-save"
INSECURE_WARNING = ("Without encryption, anyone on the network between this desktop and the server can read the "
                    "team's reviews and the password. Allow it only on a network you trust (a VPN, a lab).")


def _test_work(url: str, typed_password: str, allow_insecure: bool):  # noqa: ANN202 - a JobPool work function
    def work(_job: Job) -> str:
        from desktop import secrets
        from desktop.store.team_probe import probe

        password = typed_password or None
        if password is None:
            try:
                password = secrets.get_team_password(url)
            except secrets.SecretStoreUnavailable:
                password = None  # a server that trusts this user, or a libpq password file, may still let us in
        return probe(url, password=password, allow_insecure=allow_insecure).summary()
    return work


def _save_work(setting: TeamSetting, password: str):  # noqa: ANN202 - a JobPool work function
    """The password in the keyring first (without one, nothing is saved), then team.json. Returns why it was not
    saved, in words (a refusal the user can act on, not a failure to log with its traceback), or None."""
    def work(_job: Job) -> str | None:
        from desktop import secrets  # the keyring loads when a password is kept, not with the window (0.1 s)
        from desktop.store.postgres import shown_url

        try:
            if password:
                secrets.set_team_password(setting.url, password)
            team_config.save(setting)
        except secrets.SecretStoreUnavailable as exc:
            return f"{exc} Nothing was saved."
        except TeamConfigError as exc:
            return str(exc)
        except OSError as exc:
            return f"Could not save the team setting ({exc.strerror or exc}). Nothing was saved."
        log.info("team setting saved: %s", shown_url(setting.url) or "this desktop's own store")
        return None
    return work


class TeamSettings(QGroupBox):
    """The Team group of the Settings page; the page's Save calls `save()`.

    Signals:
        changed(): a field was edited (the page re-checks what Save would do).
        saved(): a setting was kept (or Connect now pressed): the app connects the window to it.
    """

    changed = Signal()
    saved = Signal()

    def __init__(self, current: db.Target | None, parent: QWidget | None = None) -> None:
        super().__init__("Team (a shared inbox on PostgreSQL)", parent)
        self._current = current  # the store this window runs on
        self._letting_go = False  # what ran on the store the window left still ends in the background
        self.jobs = JobPool(self, threads=1)
        self.jobs.finished.connect(self.on_job_finished)
        self.jobs.failed.connect(self.on_job_failed)
        self._stored = TeamSetting()  # what team.json holds, as last read or saved (a save counts at once)
        self._saving: tuple[TeamSetting, str, Callable[[str | None], None]] | None = None

        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("postgresql://sam@db.agency.example/rapport (empty: this desktop's own store)")
        self.url_edit.setClearButtonEnabled(True)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("kept in the system keyring; type it to keep or replace it")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Alex (empty: your database user name)")
        self.name_edit.setMaxLength(80)
        self.insecure_check = QCheckBox("Allow a connection without encryption (TLS) to another computer")
        self.insecure_warning = plain_label(INSECURE_WARNING, wrap=True)
        self.insecure_warning.setStyleSheet(ERROR_STYLE)
        self.test_button = QPushButton("Test connection")
        self.connect_button = QPushButton("Connect now")  # after a failed switch: try the saved address again
        self.connect_button.hide()
        self.test_result = plain_label(wrap=True, selectable=True)
        self.error_label = error_label()
        self.note_label = plain_label(wrap=True)

        form = QFormLayout(self)
        form.addRow(plain_label("Everyone in an agency can answer from one inbox: each desktop connects to the "
                                "same PostgreSQL database (the README's Team section says how to set one up).",
                                wrap=True))
        form.addRow("Team database", self.url_edit)
        form.addRow("Password", self.password_edit)
        form.addRow("Your name in the team", self.name_edit)
        form.addRow(self.insecure_check)
        form.addRow(self.insecure_warning)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.connect_button)
        test_row.addStretch(1)
        form.addRow(test_row)
        form.addRow(self.test_result)
        form.addRow(self.error_label)
        form.addRow(self.note_label)

        self.url_edit.textChanged.connect(self.on_url_edited)
        for edit in (self.password_edit, self.name_edit):
            edit.textChanged.connect(self.on_field_edited)
        self.insecure_check.toggled.connect(self.on_insecure_toggled)
        self.test_button.clicked.connect(self.on_test_clicked)
        self.connect_button.clicked.connect(self.on_connect_clicked)
        self.load()

    # -- config <-> form -----------------------------------------------------------------------------
    def load(self) -> None:
        try:
            saved = team_config.load()
            self.error_label.clear()
        except TeamConfigError as exc:
            saved = TeamSetting()
            self.error_label.setText(str(exc))
        self._stored = saved
        self.error_label.setVisible(bool(self.error_label.text()))
        self.url_edit.setText(saved.url)
        self.name_edit.setText(saved.name)
        self.insecure_check.setChecked(saved.allow_insecure)
        self.password_edit.clear()
        self.test_result.clear()
        self.insecure_warning.setVisible(saved.allow_insecure)
        self._say_where(saved)

    def setting(self) -> TeamSetting:
        """What Save would keep (the password aside: it goes to the keyring)."""
        url = self.url_edit.text().strip()
        return TeamSetting(url=url, name=self.name_edit.text().strip(),
                           allow_insecure=self.insecure_check.isChecked() and bool(url))

    def stored(self) -> TeamSetting:
        """What is kept (or being kept: a save counts as done unless it fails)."""
        return self._stored

    @property
    def saving(self) -> bool:
        return SAVE_JOB in self.jobs.running

    def has_unsaved_edits(self) -> bool:
        return self.setting() != self.stored() or bool(self.password_edit.text())

    def problem(self) -> str | None:
        url = self.setting().url
        if url:
            return team_config.check_url(url)
        if self.password_edit.text():
            return "A password needs the team database's address to go with it."
        return None

    def save(self, then: Callable[[str | None], None]) -> str | None:
        """Keep the form in the background: the password in the keyring first (without one, nothing is saved), then
        team.json. Returns at once what stops it, in words (nothing started), else None and later calls
        `then(None)` once kept or `then(why)` when not (the form is as it was, password included)."""
        setting = self.setting()
        problem = self.problem()
        if problem:
            return problem
        if self.saving:
            return "The team setting is still being saved."
        password = self.password_edit.text()
        self._saving = (self._stored, password, then)
        self._stored = setting  # counted as kept meanwhile: leaving the page asks nothing more
        self.password_edit.clear()
        self.error_label.hide()
        self.note_label.setStyleSheet("")
        self.note_label.setText("Saving the team setting…")
        self.jobs.start(SAVE_JOB, _save_work(setting, password), what="saving the team setting")
        return None

    def _saved(self) -> None:
        _before, _password, then = self._take_saving()
        self._say_where(self._stored)
        self.saved.emit()
        then(None)

    def _not_saved(self, why: str) -> None:
        before, password, then = self._take_saving()
        self._stored = before
        if password and not self.password_edit.text():
            self.password_edit.setText(password)  # typed, not kept: still there to save again
        self._say_where(before)
        then(why[:1].upper() + why[1:])

    def _take_saving(self) -> tuple[TeamSetting, str, Callable[[str | None], None]]:
        assert self._saving is not None
        saving, self._saving = self._saving, None
        return saving

    def show_switching(self, target: str) -> None:
        self.connect_button.hide()
        self.note_label.setStyleSheet("")
        self.note_label.setText(f"Connecting this window to {target}…")

    def show_switched(self, *, letting_go: bool = False) -> None:
        """Connected; `letting_go`: what ran on the store it left is still ending (a query on a team database
        gone silent may take a minute), in the background."""
        self._letting_go = letting_go
        self._say_where(self.stored())

    def show_switch_failed(self, why: str) -> None:
        """The window stayed on its store; the setting stays saved (the next start tries it again)."""
        self.note_label.setStyleSheet(ERROR_STYLE)
        self.note_label.setText(f"Saved, but this window could not connect to it: {why}. It stays on "
                                f"{self._current or 'its store'}; Rapport tries the saved address again when it next "
                                "starts, or press Connect now.")
        self.connect_button.show()

    def _say_where(self, saved: TeamSetting) -> None:
        """Which store this window runs on, and what saving would change."""
        current = self._current
        here = str(current) if current else ""
        if saved.url and here == saved.url:
            text = f"This window is connected to {saved.url}."
        elif saved.url and db.is_team(current):
            text = (f"This window runs on {here} (given with --db or RAPPORT_DB, which come before this setting). "
                    f"Started without them, Rapport connects to {saved.url}.")
        elif saved.url:
            text = (f"This window runs on this desktop's own store{f' ({here})' if here else ''}, not on the saved "
                    f"team database {saved.url}: Save connects it there, unless Rapport was started with --db or "
                    "RAPPORT_DB, which come first.")
        elif db.is_team(current):
            text = (f"This window runs on the team database {here} (given with --db or RAPPORT_DB). Nothing is "
                    "saved here: started without them, Rapport opens this desktop's own store.")
        else:
            text = "This desktop uses its own store. Save a team database's address to share one inbox."
        if self._letting_go:
            text += " Closing the previous store in the background…"
        self.note_label.setStyleSheet("")
        self.note_label.setText(text)
        self.connect_button.hide()

    def shutdown(self) -> None:
        self.jobs.shutdown()

    # -- slots ---------------------------------------------------------------------------------------
    @Slot()
    def on_field_edited(self) -> None:
        self.changed.emit()

    @Slot()
    def on_connect_clicked(self) -> None:
        self.connect_button.hide()
        self.saved.emit()  # the app tries the saved store again

    @Slot()
    def on_url_edited(self) -> None:
        self.test_result.clear()  # a result is about the address it was run on
        self.changed.emit()

    @Slot(bool)
    def on_insecure_toggled(self, checked: bool) -> None:
        self.insecure_warning.setVisible(checked)
        self.test_result.clear()
        self.changed.emit()

    @Slot()
    def on_test_clicked(self) -> None:
        url = self.url_edit.text().strip()
        problem = team_config.check_url(url) if url else "Type the team database's address first."
        if problem:
            self._show_result(problem, ok=False)
            return
        if TEST_JOB in self.jobs.running:
            return
        self.test_button.setEnabled(False)
        self._show_result(f"Connecting to {url}…", ok=True)
        self.jobs.start(TEST_JOB, _test_work(url, self.password_edit.text(), self.insecure_check.isChecked()),
                        what="testing the team database")

    @Slot(object, object)
    def on_job_finished(self, key: Any, summary: Any) -> None:
        if key == SAVE_JOB:
            if summary is None:
                self._saved()
            else:
                self._not_saved(summary)
            return
        self.test_button.setEnabled(True)
        self._show_result(summary, ok=True)

    @Slot(object, object)
    def on_job_failed(self, key: Any, exc: BaseException) -> None:
        if key == SAVE_JOB:
            self._not_saved(f"Could not save the team setting ({type(exc).__name__}): the log has the details.")
            return
        self.test_button.setEnabled(True)
        said = str(exc) if isinstance(exc, db.StoreError) else f"The test failed: {exc}"
        self._show_result(said[:1].upper() + said[1:], ok=False)

    def _show_result(self, text: str, *, ok: bool) -> None:
        self.test_result.setStyleSheet("" if ok else ERROR_STYLE)
        self.test_result.setText(text)
