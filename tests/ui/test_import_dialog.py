"""File > Import feedback…: the preview, the date-order question, import into the inbox, the worker and cancel."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QFileDialog

from desktop.io import import_preview as real_import_preview
from desktop.store import mentions
from desktop.ui import import_dialog
from desktop.ui.import_dialog import COL_DATE, COL_RATING, COL_ROW, COL_TEXT, ImportDialog
from tests.helpers.fixtures import PATIENCE_MS
from tests.helpers.settle import settle

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
HOSTILE = "<img src=x onerror=alert(1)> <b>not bold</b>"


def sheet(tmp_path: Path, text: str, name: str = "reviews.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(qtbot, dialog: ImportDialog, path: Path) -> None:
    """Choose a file and wait for the background read to put its preview on screen."""
    with qtbot.waitSignal(dialog.preview_shown, timeout=PATIENCE_MS):
        dialog.load(path)


def stored_count(conn: sqlite3.Connection) -> int:
    return mentions.count(conn)


@pytest.fixture
def dialog(qtbot, conn: sqlite3.Connection) -> ImportDialog:
    widget = ImportDialog(conn)
    qtbot.addWidget(widget)
    return widget


def test_preview_shows_rows_and_problems_as_plain_text(qtbot, dialog: ImportDialog, conn, tmp_path: Path) -> None:
    assert not dialog.ok_button.isEnabled() and "Choose a CSV or JSON file" in dialog.error_label.text()
    path = sheet(tmp_path, f'feedback,rating,date\n"{HOSTILE}",8/10,2024-05-02\nNo stars here,eleven,2024-05-03\n'
                           'Fine,4,2024-05-04\n')
    load(qtbot, dialog, path)
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, COL_TEXT).text() == HOSTILE  # shown as typed: a table item reads no markup
    assert dialog.table.item(0, COL_RATING).text() == "★★★★☆ 4"
    assert (dialog.table.item(1, COL_ROW).text(), dialog.table.item(1, COL_DATE).text()) == ("4", "2024-05-04")
    assert [dialog.problems_list.item(i).text() for i in range(dialog.problems_list.count())] == [
        "row 3: rating 'eleven' is not a number of stars"]
    assert "2 rows ready to import; 1 will be skipped." in dialog.summary_label.text()
    assert dialog.ok_button.isEnabled() and not dialog.error_label.text()
    assert not dialog.form.isRowVisible(dialog.date_order_combo)
    assert stored_count(conn) == 0  # a preview stores nothing


def test_the_hint_is_calm_until_a_file_went_wrong(qtbot, dialog: ImportDialog, tmp_path: Path) -> None:
    """Before any file is chosen the line says what to do, not in red; a file that cannot be read is red."""
    from desktop.ui.widgets import ERROR_STYLE, HINT_STYLE

    assert "Choose a CSV or JSON file" in dialog.error_label.text()
    assert dialog.error_label.styleSheet() == HINT_STYLE
    load(qtbot, dialog, sheet(tmp_path, "client,stars\nAnn,5\n"))
    assert "no feedback column" in dialog.error_label.text() and dialog.error_label.styleSheet() == ERROR_STYLE


def test_a_file_that_cannot_be_read_says_why(qtbot, dialog: ImportDialog, tmp_path: Path) -> None:
    load(qtbot, dialog, sheet(tmp_path, "client,stars\nAnn,5\n"))
    assert "no feedback column" in dialog.error_label.text() and not dialog.ok_button.isEnabled()
    assert dialog.table.rowCount() == 0


def test_date_order_is_asked_only_when_dates_are_ambiguous(qtbot, dialog: ImportDialog, conn,
                                                           tmp_path: Path) -> None:
    load(qtbot, dialog, sheet(tmp_path, "date,text\n03/04/2024,Quick and clear\n2024-06-01,ISO date\n"))
    assert dialog.form.isRowVisible(dialog.date_order_combo)
    assert not dialog.ok_button.isEnabled() and "03/04/2024" in dialog.error_label.text()
    with qtbot.waitSignal(dialog.preview_shown):  # read again with the chosen order
        dialog.date_order_combo.setCurrentIndex(dialog.date_order_combo.findData(True))
    assert dialog.ok_button.isEnabled() and not dialog.problems_list.count()
    assert dialog.table.item(0, COL_DATE).text() == "2024-04-03"
    with qtbot.waitSignal(dialog.preview_shown):
        dialog.date_order_combo.setCurrentIndex(dialog.date_order_combo.findData(False))
    assert dialog.table.item(0, COL_DATE).text() == "2024-03-04"
    assert dialog.form.isRowVisible(dialog.date_order_combo)  # stays, so the choice can be changed back
    with qtbot.waitSignal(dialog.accepted, timeout=PATIENCE_MS):
        dialog.ok_button.click()  # stored off the GUI thread, then the dialog closes
    assert stored_count(conn) == 2 and dialog.result() == ImportDialog.DialogCode.Accepted


def test_file_menu_import_adds_rows_to_the_inbox(qtbot, conn, window, add, monkeypatch) -> None:
    window.mention_added.emit(add("Older feedback typed by hand.", days=-400).mention_id)
    settle(qtbot, window)
    assert window.inbox.model.rowCount() == 1
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(FIXTURES / "upwork-copied.csv"), "")))
    window.import_action.trigger()
    settle(qtbot, window)
    dialog = window.import_dialog
    qtbot.waitUntil(lambda: not dialog.reading, timeout=PATIENCE_MS)
    assert dialog.isVisible() and dialog.table.rowCount() == 6 and dialog.problems_list.count() == 1
    dialog.site_combo.setCurrentText("Upwork")
    added: list[int] = []
    window.mention_added.connect(added.append)
    results: list[object] = []
    dialog.imported.connect(results.append)
    with qtbot.assertNotEmitted(window.inbox.model.modelReset):
        with qtbot.waitSignal(dialog.imported, timeout=PATIENCE_MS):
            dialog.ok_button.click()
        settle(qtbot, window)
    [result] = results
    assert added == list(result.mention_ids) and len(added) == 6
    assert window.inbox.model.rowCount() == 7
    assert {mentions.get(conn, i).site for i in added} == {"upwork"}
    assert "6 added, 0 already stored, 2 alerts; 1 rows skipped" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())


def test_cancelled_file_dialog_leaves_the_import_dialog_waiting(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    window.import_action.trigger()
    settle(qtbot, window)
    dialog = window.import_dialog
    assert dialog.isVisible() and not dialog.ok_button.isEnabled()
    dialog.reject()


def test_a_large_file_imports_in_a_worker(qtbot, conn, tmp_path: Path) -> None:
    path = sheet(tmp_path, "text,rating\n" + "".join(f"Review {n}: solid work,5\n" for n in range(30)))
    dialog = ImportDialog(conn, thread_rows=10)
    qtbot.addWidget(dialog)
    dialog.show()
    load(qtbot, dialog, path)
    progress: list[tuple[int, int]] = []
    dialog.jobs.progress.connect(lambda _key, done, total: progress.append((done, total)))
    with qtbot.waitSignal(dialog.imported, timeout=PATIENCE_MS) as blocker:
        dialog.ok_button.click()
        assert dialog.running and dialog.progress_bar.isVisible() and not dialog.ok_button.isEnabled()
    assert blocker.args[0].added == 30 and progress[-1] == (30, 30)
    assert stored_count(conn) == 30 and not dialog.running and not dialog.isVisible()
    dialog.pool.waitForDone()


def test_cancel_stops_the_worker_and_stores_nothing(qtbot, conn, tmp_path: Path, monkeypatch) -> None:
    release = threading.Event()

    def held_import(*args, **kwargs):  # the worker waits here until the test has pressed Cancel
        release.wait(10)
        return real_import_preview(*args, **kwargs)

    monkeypatch.setattr(import_dialog, "import_preview", held_import)
    path = sheet(tmp_path, "text\n" + "".join(f"Review {n}\n" for n in range(20)))
    dialog = ImportDialog(conn, thread_rows=5)
    qtbot.addWidget(dialog)
    dialog.show()
    load(qtbot, dialog, path)
    try:
        dialog.ok_button.click()
        assert dialog.running
        with qtbot.assertNotEmitted(dialog.imported), qtbot.waitSignal(dialog.rejected, timeout=PATIENCE_MS):
            dialog.reject()
            assert dialog.isVisible() and dialog.error_label.text() == "Cancelling…"
            release.set()
    finally:
        release.set()
        dialog.pool.waitForDone()
    assert stored_count(conn) == 0 and not dialog.running


def test_the_file_is_read_off_the_gui_thread_with_progress(qtbot, dialog: ImportDialog, tmp_path: Path,
                                                           monkeypatch) -> None:
    threads: list[threading.Thread] = []
    real_read_file = import_dialog.read_file

    def recording_read_file(*args, **kwargs):
        threads.append(threading.current_thread())
        return real_read_file(*args, **kwargs)

    monkeypatch.setattr(import_dialog, "read_file", recording_read_file)
    path = sheet(tmp_path, "text,rating\n" + "".join(f"Review {n}: solid work,5\n" for n in range(2500)))
    progress: list[tuple[int, int]] = []
    dialog.jobs.progress.connect(lambda _key, done, total: progress.append((done, total)))
    load(qtbot, dialog, path)
    assert threads and threads[0] is not threading.main_thread()
    assert progress == [(0, 2500), (1000, 2500), (2000, 2500)]
    assert dialog.table.rowCount() == import_dialog.PREVIEW_ROWS  # only the first rows are laid out
    assert "2500 rows ready to import (the first 50 shown)" in dialog.summary_label.text()


def test_import_waits_for_the_read_and_cancel_drops_it(qtbot, dialog: ImportDialog, tmp_path: Path,
                                                       monkeypatch) -> None:
    release = threading.Event()
    real_read_file = import_dialog.read_file

    def held_read_file(*args, **kwargs):  # a big file still being read when the user gives up
        release.wait(10)
        return real_read_file(*args, **kwargs)

    monkeypatch.setattr(import_dialog, "read_file", held_read_file)
    dialog.show()
    try:
        with qtbot.assertNotEmitted(dialog.preview_shown):
            dialog.load(sheet(tmp_path, "text\nFine work\n"))
            assert dialog.reading and not dialog.ok_button.isEnabled()
            assert dialog.error_label.text() == "Reading the file…" and dialog.progress_bar.isVisible()
            dialog.reject()
            assert not dialog.isVisible() and not dialog.reading
            release.set()
            dialog.pool.waitForDone()
            qtbot.wait(0)  # let any queued answer arrive: it must be dropped
    finally:
        release.set()
        dialog.pool.waitForDone()


def test_reading_can_be_cancelled_between_rows(tmp_path: Path) -> None:
    from desktop.io.importing import ImportCancelled, read_file

    path = sheet(tmp_path, "text\n" + "".join(f"Review {n}\n" for n in range(3000)))
    reports: list[int] = []

    def cancel_after_first(done: int, _total: int) -> None:
        reports.append(done)

    with pytest.raises(ImportCancelled):
        read_file(path, progress=cancel_after_first, cancelled=lambda: bool(reports))
    assert reports == [0]
