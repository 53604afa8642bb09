"""A locked, full or read-only store is said in words (StoreBusy, DiskFull, ReadOnly), never a traceback or
"not a Rapport database", and what the user typed is not lost."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.records.ingest import MANUAL_SOURCE_ID, ingest
from desktop.store import DiskFull, ReadOnly, StoreBusy, StoreError, clients, connect, migrations
from desktop.store import db as store_db
from scrapers.base import Mention
from tests.helpers.fault_server import Reply
from tests.scrapers.pages import PAGES


@pytest.fixture
def writer_holding_the_lock(db_path: Path) -> Iterator[sqlite3.Connection]:
    """Another Rapport in the middle of a long import: a second real connection inside BEGIN IMMEDIATE."""
    connect(db_path).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield other
    other.execute("ROLLBACK")
    other.close()


@pytest.fixture
def short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI waits 30 s for a lock; a test proves the outcome of the wait without spending it."""
    monkeypatch.setattr(store_db, "INTERACTIVE_BUSY_TIMEOUT_MS", 50)


def test_a_write_while_another_holds_the_lock_is_store_busy(db_path: Path, writer_holding_the_lock) -> None:
    conn = connect(db_path, busy_timeout_ms=20)
    try:
        with pytest.raises(StoreBusy, match="another Rapport is importing or polling; try again"):
            ingest(conn, MANUAL_SOURCE_ID, [Mention(text="Missed the deadline twice.")])
    finally:
        conn.close()
    writer_holding_the_lock.execute("ROLLBACK")
    writer_holding_the_lock.execute("BEGIN IMMEDIATE")  # the fixture's teardown rolls this back


def test_the_command_line_waits_longer_than_background_work(db_path: Path, monkeypatch) -> None:
    import argparse

    from desktop.commands.common import store

    with store(argparse.Namespace(db=str(db_path))) as conn:
        waited = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    assert waited >= 30_000 > store_db.BUSY_TIMEOUT_MS


def test_feedback_add_while_locked_is_one_line_and_nothing_half_done(db_path: Path, capsys, short_waits,
                                                                     writer_holding_the_lock) -> None:
    code = main(["--db", str(db_path), "feedback", "add", "--text", "Never delivered the second milestone."])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == "rapport: another Rapport is importing or polling; try again\n"
    writer_holding_the_lock.execute("ROLLBACK")
    writer_holding_the_lock.execute("BEGIN IMMEDIATE")
    check = connect(db_path)
    assert check.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
    check.close()


def test_a_poll_while_locked_says_so_without_a_traceback(db_path: Path, capsys, short_waits, fault_server,
                                                         monkeypatch) -> None:
    import scrapers.http

    # Bounded, but with room for a loaded machine: a 0.5 s read timeout made the local fetch itself fail under
    # load (the server then printed its broken pipe), which is not what this test is about.
    original = scrapers.http.PoliteSession.__init__
    monkeypatch.setattr(scrapers.http.PoliteSession, "__init__",
                        lambda self, **kw: original(self, **{**kw, "timeout": (5, 5), "deadline": 30}))
    url = fault_server.route("/review/northlightstudio.co.uk",
                             Reply(200, (PAGES / "trustpilot" / "northlightstudio-page1.html").read_bytes()))
    assert main(["--db", str(db_path), "sources", "add", "trustpilot", url]) == 0
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code = main(["--db", str(db_path), "poll", "--once"])
    finally:
        other.execute("ROLLBACK")
        other.close()
    out, err = capsys.readouterr()
    assert code == 1 and "could not store what was read: another Rapport is importing or polling" in out
    assert "Traceback" not in err and all(line.startswith("rapport: ") for line in err.splitlines())


def test_a_full_disk_is_disk_full(conn: sqlite3.Connection) -> None:
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLITE_FULL, as on a full disk
    with pytest.raises(DiskFull, match="the disk is full"):
        ingest(conn, MANUAL_SOURCE_ID, [Mention(text=f"Review {n}: " + "slow " * 400) for n in range(50)])
    conn.execute(f"PRAGMA max_page_count = {2**31}")
    assert conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0  # all or nothing
    assert not conn.in_transaction


def test_a_read_only_store_is_read_only_not_a_bad_database(db_path: Path) -> None:
    connect(db_path).close()
    conn = connect(db_path, read_only=True)
    try:
        assert clients.all_clients(conn) == []  # reading works
        with pytest.raises(ReadOnly, match="the store is read-only"):
            clients.add(conn, "Oakridge Dental")
    finally:
        conn.close()


def test_a_read_only_store_that_needs_an_upgrade_is_read_only(db_path: Path) -> None:
    old = connect(db_path, migrate=False)
    old.execute("PRAGMA user_version = 0")
    migrations.migrate(old, target=1)  # written by an older Rapport
    old.close()
    with pytest.raises(ReadOnly) as caught:
        connect(db_path, read_only=True)
    assert "not a Rapport database" not in str(caught.value)


def test_garbage_is_still_not_a_rapport_database(db_path: Path) -> None:
    db_path.write_bytes(b"\x00garbage, not SQLite" * 100)
    with pytest.raises(StoreError, match="not a Rapport database") as caught:
        connect(db_path)
    assert not isinstance(caught.value, (StoreBusy, DiskFull, ReadOnly))


def test_the_feedback_dialog_keeps_what_was_typed_when_the_store_is_busy(qtbot, db_path: Path, monkeypatch,
                                                                         writer_holding_the_lock) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop.ui.feedback_dialog import FeedbackDialog
    from desktop.ui.store_writes import BUSY_TITLE
    from tests.helpers.settle import settle

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.windowTitle())
                        or QMessageBox.StandardButton.Cancel)  # "Retry or Cancel?": the user gives up
    conn = connect(db_path, busy_timeout_ms=20)
    try:
        dialog = FeedbackDialog(conn)
        qtbot.addWidget(dialog)
        dialog.show()
        typed = "Missed the launch date and went quiet for a week."
        dialog.text_edit.setPlainText(typed)
        settle(qtbot, dialog)
        dialog.ok_button.click()
        settle(qtbot, dialog)  # written in the background: busy, asked, given up
        assert asked == [BUSY_TITLE]
        assert dialog.isVisible() and dialog.text_edit.toPlainText() == typed
        assert "Your form is kept" in dialog.error_label.text()
    finally:
        conn.close()
