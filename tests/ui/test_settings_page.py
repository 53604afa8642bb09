"""The Settings screen: a round trip through the store, the settings_changed signal, start at login."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTime

from desktop.shell import desktop_entry
from desktop.shell.events import EventBus
from desktop.store import settings
from desktop.ui.settings_page import SettingsPage
from tests.helpers.fixtures import PATIENCE_MS
from tests.helpers.settle import settle


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "xdg-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    return config


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def page(qtbot, conn, bus, xdg) -> SettingsPage:
    widget = SettingsPage(conn, bus)
    settle(qtbot, widget)
    qtbot.addWidget(widget)
    return widget


def test_it_shows_the_defaults(page) -> None:
    assert page.interval_spin.value() == settings.DEFAULTS["poll_interval_s"] // 60
    assert page.gap_spin.value() == settings.DEFAULTS["host_gap_s"] == 10
    assert page.score_choice.currentData() == pytest.approx(settings.DEFAULTS["alert_score_threshold"])
    assert "reads negative" in page.score_choice.currentText()  # the threshold in words, not a bare -0.05
    assert page.star_spin.value() == settings.DEFAULTS["alert_star_threshold"]
    assert page.notifications_check.isChecked()
    assert not page.quiet_check.isChecked() and not page.quiet_start.isEnabled()
    assert not page.login_check.isChecked()
    assert page.values() == settings.DEFAULTS | {"alert_score_threshold": -0.05}


def test_save_round_trips_through_the_store_and_says_so(qtbot, conn, bus, page, xdg) -> None:
    page.interval_spin.setValue(20)
    page.gap_spin.setValue(3)
    page.score_choice.setCurrentIndex(page.score_choice.findData(0.3))
    settle(qtbot, page)
    page.star_spin.setValue(3)
    page.notifications_check.setChecked(False)
    settle(qtbot, page)
    page.quiet_check.setChecked(True)
    settle(qtbot, page)
    assert page.quiet_start.isEnabled()
    page.quiet_start.setTime(QTime(21, 30))
    page.quiet_end.setTime(QTime(6, 45))
    page.names_edit.setText(" Sam Rivera,rivera.dev, sam rivera ,")
    page.names_exclude_edit.setText("Diego Rivera")
    with qtbot.waitSignal(bus.settings_changed, timeout=PATIENCE_MS):
        page.save_button.click()
        settle(qtbot, page)

    assert settings.all_settings(conn) == {
        "poll_interval_s": 1200, "host_gap_s": 3, "alert_score_threshold": 0.3, "alert_star_threshold": 3,
        "notifications": False, "quiet_hours_start": "21:30", "quiet_hours_end": "06:45", "start_at_login": False,
        "my_names": ["Sam Rivera", "rivera.dev"], "my_names_exclude": ["Diego Rivera"]}
    assert page.status_label.text() == "Saved."

    again = SettingsPage(conn, bus)
    settle(qtbot, again)
    qtbot.addWidget(again)
    assert again.values() == page.values()
    assert again.quiet_check.isChecked() and again.quiet_start.time() == QTime(21, 30)


def test_turning_quiet_hours_off_stores_none(qtbot, conn, bus, page) -> None:
    settings.put(conn, quiet_hours_start="22:00", quiet_hours_end="07:00")
    page.load()
    settle(qtbot, page)
    assert page.quiet_check.isChecked()
    page.quiet_check.setChecked(False)
    settle(qtbot, page)
    with qtbot.waitSignal(bus.settings_changed, timeout=PATIENCE_MS):
        page.save_button.click()
        settle(qtbot, page)
    assert settings.get(conn, "quiet_hours_start") is None and settings.get(conn, "quiet_hours_end") is None


def test_quiet_hours_must_start_and_end_at_different_times(qtbot, conn, bus, page) -> None:
    page.quiet_check.setChecked(True)
    settle(qtbot, page)
    page.quiet_start.setTime(QTime(8, 0))
    page.quiet_end.setTime(QTime(8, 0))
    assert not page.save_button.isEnabled()
    assert page.error_label.isVisibleTo(page) and "different" in page.error_label.text()
    with qtbot.assertNotEmitted(bus.settings_changed):
        page.on_save_clicked()
        settle(qtbot, page)
    assert settings.get(conn, "quiet_hours_start") is None
    page.quiet_end.setTime(QTime(9, 0))
    assert page.save_button.isEnabled() and not page.error_label.isVisibleTo(page)


def test_start_at_login_writes_and_removes_the_autostart_entry(qtbot, conn, bus, page, xdg) -> None:
    entry = xdg / "autostart" / "rapport.desktop"
    page.login_check.setChecked(True)
    settle(qtbot, page)
    with qtbot.waitSignal(bus.settings_changed, timeout=PATIENCE_MS):
        page.save_button.click()
        settle(qtbot, page)
    assert desktop_entry.autostart_path() == entry
    text = entry.read_text(encoding="utf-8")
    assert "--minimized" in text and "X-GNOME-Autostart-enabled=true" in text
    assert settings.get(conn, "start_at_login") is True

    page.login_check.setChecked(False)
    settle(qtbot, page)
    with qtbot.waitSignal(bus.settings_changed, timeout=PATIENCE_MS):
        page.save_button.click()
        settle(qtbot, page)
    assert not entry.exists()
    assert settings.get(conn, "start_at_login") is False


def test_the_autostart_file_is_the_truth_for_start_at_login(qtbot, conn, bus, xdg) -> None:
    desktop_entry.set_start_at_login(True)
    page = SettingsPage(conn, bus)
    settle(qtbot, page)
    qtbot.addWidget(page)
    assert page.login_check.isChecked()


def test_revert_forgets_unsaved_changes(qtbot, conn, bus, page) -> None:
    page.star_spin.setValue(5)
    with qtbot.assertNotEmitted(bus.settings_changed):
        page.revert_button.click()
        settle(qtbot, page)
    assert page.star_spin.value() == settings.DEFAULTS["alert_star_threshold"]
    assert settings.get(conn, "alert_star_threshold") == settings.DEFAULTS["alert_star_threshold"]


def test_a_threshold_set_elsewhere_is_shown_as_it_is(qtbot, conn, bus) -> None:
    settings.put(conn, alert_score_threshold=-0.4)
    page = SettingsPage(conn, bus)
    settle(qtbot, page)
    qtbot.addWidget(page)
    assert "-0.40" in page.score_choice.currentText() and page.values()["alert_score_threshold"] == -0.4
    assert not page.has_unsaved_edits()


def _settings_window(qtbot, conn, bus):  # noqa: ANN202 - (MainWindow, SettingsPage)
    """The main window showing a Settings page."""
    from desktop.ui.main_window import PAGE_SETTINGS, MainWindow

    window = MainWindow(conn)
    settle(qtbot, window)
    qtbot.addWidget(window)
    page = SettingsPage(conn, bus)
    settle(qtbot, page)
    window.set_page(PAGE_SETTINGS, page)
    window.sidebar.setCurrentRow(PAGE_SETTINGS)
    settle(qtbot, window)
    return window, page


def _answering(monkeypatch: pytest.MonkeyPatch, *answers: object) -> list[str]:
    """Answer the next questions with `answers`, in turn; the questions asked are listed in what it returns."""
    from PySide6.QtWidgets import QMessageBox

    queue, asked = list(answers), []  # type: tuple[list[object], list[str]]

    def exec_(box: QMessageBox) -> object:
        asked.append(box.text())
        return queue.pop(0)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return asked


def test_leaving_with_unsaved_edits_asks_and_can_stay(qtbot, conn, bus, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop.ui.main_window import PAGE_INBOX, PAGE_SETTINGS

    window, page = _settings_window(qtbot, conn, bus)
    assert window.pages.currentWidget() is page
    window.sidebar.setCurrentRow(PAGE_INBOX)  # nothing edited: no question
    settle(qtbot, window)
    window.sidebar.setCurrentRow(PAGE_SETTINGS)
    settle(qtbot, window)
    page.star_spin.setValue(4)
    asked = _answering(monkeypatch, QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
    window.sidebar.setCurrentRow(PAGE_INBOX)
    settle(qtbot, window)
    assert window.pages.currentWidget() is page and window.sidebar.currentRow() == PAGE_SETTINGS  # stayed
    assert page.star_spin.value() == 4
    window.sidebar.setCurrentRow(PAGE_INBOX)
    settle(qtbot, window)
    assert window.pages.currentIndex() == PAGE_INBOX
    assert settings.get(conn, "alert_star_threshold") == 4 and len(asked) == 2


def test_closing_the_window_with_unsaved_edits_asks_too(qtbot, conn, bus, monkeypatch) -> None:
    """The window's close button leaves the settings as a page switch does: it asks, and can stay; quitting
    never asks."""
    from PySide6.QtWidgets import QMessageBox

    window, page = _settings_window(qtbot, conn, bus)
    window.show()
    qtbot.waitExposed(window)
    page.star_spin.setValue(4)
    asked = _answering(monkeypatch, QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard)
    assert not window.close() and window.isVisible()  # "Stay here"
    assert page.star_spin.value() == 4 and len(asked) == 1
    assert window.close() and not window.isVisible()  # "Discard": closed, the edit dropped
    assert settings.get(conn, "alert_star_threshold") != 4 and len(asked) == 2
    window.show()
    page.star_spin.setValue(4)
    window.quitting = True
    assert window.close() and len(asked) == 2  # quitting asks nothing


def test_a_tests_teardown_closes_a_window_with_unsaved_edits_without_asking(qtbot, conn, bus, monkeypatch) -> None:
    """A test that fails with unsaved settings on screen must report its failure: pytest-qt's teardown closes the
    window, and a question there waits forever offscreen (tests/helpers/teardown.py)."""
    from PySide6.QtWidgets import QMessageBox

    from tests.helpers.teardown import let_main_windows_close

    window, page = _settings_window(qtbot, conn, bus)
    window.show()
    qtbot.waitExposed(window)
    page.star_spin.setValue(4)
    asked = _answering(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert let_main_windows_close() >= 1
    assert window.close() and not window.isVisible() and asked == []


def test_a_busy_store_on_save_keeps_the_edits_and_says_so(qtbot, db_path, conn, bus) -> None:
    """The window waits only briefly for the write lock; a Save that meets a long write says why, keeps the
    edits, and works when pressed again."""
    from desktop.store import connect
    from desktop.store.db import GUI_BUSY_TIMEOUT_MS

    gui = connect(db_path, busy_timeout_ms=GUI_BUSY_TIMEOUT_MS)
    worker = connect(db_path)
    try:
        page = SettingsPage(gui, bus)
        settle(qtbot, page)
        qtbot.addWidget(page)
        page.star_spin.setValue(4)
        worker.execute("BEGIN IMMEDIATE")  # a check or an import is writing
        page.save_button.click()
        settle(qtbot, page)
        assert page.error_label.text().startswith("Could not save (") and "press Save again" in page.error_label.text()
        assert page.has_unsaved_edits() and settings.get(conn, "alert_star_threshold") != 4
        worker.execute("COMMIT")
        page.save_button.click()
        settle(qtbot, page)
        assert page.status_label.text() == "Saved." and settings.get(conn, "alert_star_threshold") == 4
    finally:
        if worker.in_transaction:
            worker.execute("ROLLBACK")
        worker.close()
        gui.close()
