"""Settings kept in the store: the default poll interval, the gap between requests to one site, the alert rule, notifications, quiet hours and
start at login; and this desktop's team database (ui/team_settings.py: kept in the local config and the keyring,
not the store). Nothing is written until Save; Save tells the rest of the app through bus.settings_changed.
"""
from __future__ import annotations

import logging
import sqlite3
from typing import Any

from PySide6.QtCore import Qt, QTime, Slot
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QMessageBox,
                               QPushButton, QScrollArea, QSpinBox, QTimeEdit, QVBoxLayout, QWidget)

from desktop.shell import desktop_entry
from desktop.shell.events import EventBus
from desktop.shell.reader import StoreReader
from desktop.shell.writer import StoreWriter
from desktop.store import settings as settings_store
from desktop.store.db import location
from desktop.store.sources import MIN_INTERVAL_S
from desktop.ui.team_settings import TeamSettings
from desktop.ui.store_writes import not_written_text, say_not_written
from desktop.ui.terms_edit import TermsEdit
from scrapers.terms import clean_terms
from desktop.ui.widgets import error_label, plain_label

log = logging.getLogger(__name__)

__all__ = ["SettingsPage"]

_TIME_FORMAT = "HH:mm"
MIN_HOST_GAP_S = 1  # never hammer a site, even one's own
# The score threshold in words. Feedback labelled negative (score -0.05 or lower) always alerts, so lower
# thresholds would change nothing; these reach further up the scale.
SCORE_CHOICES = (
    (-0.05, "Feedback that reads negative (recommended)"),
    (0.04, "…and neutral feedback with no praise in it"),
    (0.3, "…and faint praise too: everything not clearly happy"),
)


def _qtime(text: str | None, fallback: QTime) -> QTime:
    parsed = QTime.fromString(text or "", _TIME_FORMAT)
    return parsed if parsed.isValid() else fallback


class SettingsPage(QWidget):
    """A form over desktop.store.settings; `values()` is what Save would write."""

    def __init__(self, conn: sqlite3.Connection, bus: EventBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self._bus = bus

        self.interval_spin = QSpinBox()
        self.interval_spin.setRange(MIN_INTERVAL_S // 60, 7 * 24 * 60)
        self.interval_spin.setSuffix(" min")
        self.interval_spin.setToolTip("How often a new source is checked, unless you set its own interval")
        self.gap_spin = QSpinBox()
        self.gap_spin.setRange(MIN_HOST_GAP_S, 10 * 60)
        self.gap_spin.setSuffix(" s")
        self.gap_spin.setToolTip("The pause between two requests to the same site. Sites slow down or block "
                                 "readers that ask too often; shorten it only for a site you run yourself.")

        self.score_choice = QComboBox()
        for threshold, words in SCORE_CHOICES:
            self.score_choice.addItem(words, threshold)
        self.score_choice.setToolTip("Rapport scores each piece of feedback from -1 (very negative) to +1 (very "
                                     "positive). Feedback that reads negative always alerts; the other choices "
                                     "alert on more.")
        self.star_spin = QSpinBox()
        self.star_spin.setRange(0, 5)
        self.star_spin.setSpecialValueText("Never (ignore stars)")
        self.star_spin.setSuffix(" stars or fewer")

        self.notifications_check = QCheckBox("Show a desktop notification for each alert")
        self.quiet_check = QCheckBox("Hold notifications during quiet hours")
        self.quiet_start = QTimeEdit()
        self.quiet_start.setDisplayFormat(_TIME_FORMAT)
        self.quiet_end = QTimeEdit()
        self.quiet_end.setDisplayFormat(_TIME_FORMAT)
        self.login_check = QCheckBox("Start Rapport when I log in (in the tray, without a window)")
        self.names_edit = TermsEdit("e.g. Sam Rivera, Rivera Studio, rivera.dev, @samrivera")
        self.names_exclude_edit = TermsEdit("e.g. Diego Rivera")

        self.error_label = error_label()
        self.status_label = plain_label(wrap=True)
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.revert_button = QPushButton("Revert")
        self.revert_button.setToolTip("Forget unsaved changes")

        polling = QGroupBox("Checking sources")
        polling_form = QFormLayout(polling)
        polling_form.addRow("Check new sources every", self.interval_spin)
        polling_form.addRow("Wait between requests to one site", self.gap_spin)

        alerts = QGroupBox("Alerts")
        alerts_form = QFormLayout(alerts)
        alerts_form.addRow("Alert me about", self.score_choice)
        alerts_form.addRow("…or when the rating is", self.star_spin)

        notices = QGroupBox("Notifications")
        notices_form = QFormLayout(notices)
        notices_form.addRow(self.notifications_check)
        notices_form.addRow(self.quiet_check)
        quiet_row = QHBoxLayout()
        quiet_row.addWidget(plain_label("from"))
        quiet_row.addWidget(self.quiet_start)
        quiet_row.addWidget(plain_label("to"))
        quiet_row.addWidget(self.quiet_end)
        quiet_row.addStretch(1)
        notices_form.addRow("Quiet hours", quiet_row)

        names = QGroupBox("My names (what forum sources look for)")
        names_form = QFormLayout(names)
        names_form.addRow("Look for", self.names_edit)
        names_form.addRow("Leave out posts with", self.names_exclude_edit)
        names_form.addRow(plain_label("Hacker News, Reddit and Discourse sources search for these unless a "
                                      "source has terms of its own.", wrap=True))

        startup = QGroupBox("Start-up")
        startup_form = QFormLayout(startup)
        startup_form.addRow(self.login_check)

        self.team = TeamSettings(location(conn))
        self.reader = StoreReader(conn, self)
        self.writer = StoreWriter(conn, self)  # Save, off the GUI thread
        self._saved: dict[str, Any] | None = None  # the store's settings as last read or saved (None: not yet)

        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        column = QVBoxLayout()
        for group in (polling, alerts, notices, names, startup, self.team):
            column.addWidget(group)
        column.addWidget(self.error_label)
        column.addLayout(buttons)
        column.addStretch(1)
        # The form scrolls rather than setting the window's minimum height (it must fit a 600 px screen).
        form = QWidget()
        outer = QHBoxLayout(form)
        outer.addLayout(column, 0)
        outer.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scroll)
        for group in (polling, alerts, notices, names, startup, self.team):
            group.setMinimumWidth(520)

        self.quiet_check.toggled.connect(self.on_quiet_toggled)
        for edit in (self.quiet_start, self.quiet_end):
            edit.timeChanged.connect(self.on_field_changed)
        for spin in (self.interval_spin, self.gap_spin, self.star_spin):
            spin.valueChanged.connect(self.on_field_changed)
        self.score_choice.currentIndexChanged.connect(self.on_field_changed)
        for check in (self.notifications_check, self.quiet_check, self.login_check):
            check.toggled.connect(self.on_field_changed)
        for terms in (self.names_edit, self.names_exclude_edit):
            terms.textChanged.connect(self.on_field_changed)
        self.team.changed.connect(self.on_field_changed)
        self.save_button.clicked.connect(self.on_save_clicked)
        self.revert_button.clicked.connect(self.on_revert_clicked)
        self.load()

    # -- store <-> form ---------------------------------------------------------------------------
    def reading(self) -> bool:
        return self.reader.busy or self.writer.busy or self.team.saving

    def load(self) -> None:
        """Fill the form from the store (read in the background)."""
        self.reader.read("settings", settings_store.all_settings, self._fill)

    def _fill(self, values: dict[str, Any]) -> None:
        self._saved = dict(values)
        self.interval_spin.setValue(max(1, int(values["poll_interval_s"]) // 60))
        self.gap_spin.setValue(int(round(float(values["host_gap_s"]))))
        self._choose_threshold(float(values["alert_score_threshold"]))
        self.star_spin.setValue(int(round(float(values["alert_star_threshold"]))))
        self.notifications_check.setChecked(bool(values["notifications"]))
        start, end = values["quiet_hours_start"], values["quiet_hours_end"]
        self.quiet_check.setChecked(bool(start and end))
        self.quiet_start.setTime(_qtime(start, QTime(22, 0)))
        self.quiet_end.setTime(_qtime(end, QTime(7, 0)))
        # The autostart file is the truth: the user may have removed it with another tool.
        self.login_check.setChecked(desktop_entry.starts_at_login())
        self.names_edit.set_terms(values.get("my_names") or [])
        self.names_exclude_edit.set_terms(values.get("my_names_exclude") or [])
        self.on_quiet_toggled(self.quiet_check.isChecked())
        self.team.load()
        self.status_label.clear()
        self.validate()

    def values(self) -> dict[str, Any]:
        quiet = self.quiet_check.isChecked()
        return {
            "poll_interval_s": self.interval_spin.value() * 60,
            "host_gap_s": self.gap_spin.value(),
            "alert_score_threshold": round(float(self.score_choice.currentData()), 2),
            "alert_star_threshold": self.star_spin.value(),
            "notifications": self.notifications_check.isChecked(),
            "quiet_hours_start": self.quiet_start.time().toString(_TIME_FORMAT) if quiet else None,
            "quiet_hours_end": self.quiet_end.time().toString(_TIME_FORMAT) if quiet else None,
            "start_at_login": self.login_check.isChecked(),
            "my_names": self.names_edit.terms(),
            "my_names_exclude": self.names_exclude_edit.terms(),
        }

    def _choose_threshold(self, threshold: float) -> None:
        """Select the choice for `threshold`; a value set elsewhere (the CLI, an old version) is shown as it is."""
        index = next((i for i in range(self.score_choice.count())
                      if abs(float(self.score_choice.itemData(i)) - threshold) < 0.005), -1)
        if index < 0:
            self.score_choice.addItem(f"Feedback scored {threshold:+.2f} or lower (set elsewhere)", threshold)
            index = self.score_choice.count() - 1
        self.score_choice.setCurrentIndex(index)

    def stored(self) -> dict[str, Any]:
        """What Save last wrote, in the form's terms (so it compares with `values()`); the form itself until the
        store's settings have been read."""
        values = self._saved
        if values is None:
            return self.values()
        return {
            "poll_interval_s": max(1, int(values["poll_interval_s"]) // 60) * 60,
            "host_gap_s": max(MIN_HOST_GAP_S, int(round(float(values["host_gap_s"])))),
            "alert_score_threshold": round(float(values["alert_score_threshold"]), 2),
            "alert_star_threshold": int(round(float(values["alert_star_threshold"]))),
            "notifications": bool(values["notifications"]),
            "quiet_hours_start": values["quiet_hours_start"] or None,
            "quiet_hours_end": values["quiet_hours_end"] or None,
            "start_at_login": desktop_entry.starts_at_login(),
            "my_names": list(clean_terms(values.get("my_names") or [])),
            "my_names_exclude": list(clean_terms(values.get("my_names_exclude") or [])),
        }

    def has_unsaved_edits(self) -> bool:
        return self.values() != self.stored() or self.team.has_unsaved_edits()

    def confirm_leave(self) -> bool:
        """Leaving with unsaved edits: save them, drop them, or stay. True when the user may leave."""
        if not self.has_unsaved_edits():
            return True
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved settings",
                          "You changed settings without saving them. Save them now?",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Cancel).setText("Stay here")
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            self.on_save_clicked()
            return not self.has_unsaved_edits()
        if answer == QMessageBox.StandardButton.Discard:
            self.load()
            return True
        return False

    def problem(self) -> str | None:
        if self.quiet_check.isChecked() and self.quiet_start.time() == self.quiet_end.time():
            return "Quiet hours need different start and end times."
        return self.team.problem()

    def validate(self) -> bool:
        problem = self.problem()
        self.error_label.setText(problem or "")
        self.error_label.setVisible(problem is not None)
        self.save_button.setEnabled(problem is None)
        return problem is None

    # -- slots ---------------------------------------------------------------------------------------
    @Slot(bool)
    def on_quiet_toggled(self, checked: bool) -> None:
        self.quiet_start.setEnabled(checked)
        self.quiet_end.setEnabled(checked)

    @Slot()
    def on_field_changed(self) -> None:
        self.status_label.clear()
        self.validate()

    @Slot()
    def on_revert_clicked(self) -> None:
        self.load()

    @Slot()
    def on_save_clicked(self) -> None:
        if not self.validate():
            return
        values = self.values()
        try:
            if values["start_at_login"] != desktop_entry.starts_at_login():
                desktop_entry.set_start_at_login(values["start_at_login"])
        except OSError as exc:
            log.warning("could not change start at login: %s", exc)
            self.error_label.setText(f"Could not change “start at login”: {exc.strerror or exc}. "
                                     "Nothing was saved.")
            self.error_label.show()
            return
        if self.team.has_unsaved_edits():  # kept first (keyring and team.json, in the background), then the rest
            problem = self.team.save(then=lambda why: self._write_settings(values) if why is None
                                     else self._say_not_saved(why))
            if problem:
                self._say_not_saved(problem)
                return
            self.save_button.setEnabled(False)
            self.status_label.setText("Saving…")
            return
        self._write_settings(values)

    def _say_not_saved(self, why: str) -> None:
        self.save_button.setEnabled(True)
        self.status_label.clear()
        self.error_label.setText(why)
        self.error_label.show()
        if not self.isVisible():  # left the page meanwhile: said where the user is
            box = QMessageBox(QMessageBox.Icon.Warning, "Could not save the settings", why,
                              QMessageBox.StandardButton.Ok, self.window())
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def _write_settings(self, values: dict[str, Any]) -> None:
        # Written in the background; counted as saved meanwhile (leaving the page asks nothing more), and taken
        # back with the reason when the store refuses (busy behind a check or an import, a full disk, a lost
        # team database): the edits stay in the form.
        before, self._saved = self._saved, {**(self._saved or {}), **values}
        self.save_button.setEnabled(False)
        self.status_label.setText("Saving…")

        def saved(_: object) -> None:
            self.save_button.setEnabled(True)
            self.status_label.setText("Saved.")
            self._bus.settings_changed.emit()

        def failed(exc: BaseException) -> None:
            self._saved = before
            self.save_button.setEnabled(True)
            self.status_label.clear()
            self.error_label.setText(f"Could not save ({not_written_text(exc)}). Your changes are kept here: "
                                     "press Save again.")
            self.error_label.show()
            if not self.isVisible():  # left the page meanwhile: said where the user is
                say_not_written(self.window(), "save the settings", exc)

        self.writer.write(lambda conn: settings_store.put(conn, **values), what="save the settings", done=saved,
                          failed=failed)
