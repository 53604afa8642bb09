"""The composer wizard driven like a user: from a stored negative review to an exported file."""
from __future__ import annotations

import email
import email.policy
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.composer import checks
from desktop.store import drafts
from desktop.ui.composer_dialog import NOTHING_TO_FIX, ComposerDialog
from tests.composer.helpers import seed
from tests.helpers.fixtures import PATIENCE_MS
from tests.helpers.settle import settle


@pytest.fixture
def dialog(qtbot: QtBot, conn: sqlite3.Connection) -> ComposerDialog:
    mention = seed(conn)
    dlg = ComposerDialog(conn, mention)
    qtbot.addWidget(dlg)
    dlg.show()  # never exec(): a modal loop would block the test
    qtbot.waitExposed(dlg)
    return dlg


@pytest.fixture
def no_prompts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer QMessageBox questions with No, recording the titles, so nothing blocks."""
    asked: list[str] = []

    def question(parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def _type(qtbot: QtBot, dlg: ComposerDialog, text: str) -> None:
    page = dlg.currentPage()
    page.editor.setFocus()
    page.editor.moveCursor(page.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(page.editor, text)
    # The throttle timer restarts on every key; once it has fired after the last one, the checks are current.
    qtbot.waitUntil(lambda: not page.timer.isActive(), timeout=PATIENCE_MS)


def test_from_a_review_to_an_exported_file(qtbot: QtBot, dialog: ComposerDialog, conn: sqlite3.Connection,
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          no_prompts: list[str]) -> None:
    dlg = dialog
    # Step 1: pick a usual cause, then write in one's own words.
    own = dlg.step_pages[0]
    qtbot.keyClick(own.boxes["deadline"], Qt.Key.Key_Space)
    assert "I agreed to a deadline I could not keep" in own.text()
    _type(qtbot, dlg, " I should have re-planned when Apple Pay was added.")
    dlg.next()
    # Step 2: a blaming phrase is highlighted in place, with why and a kinder way.
    ack = dlg.currentPage()
    _type(qtbot, dlg, "I know it was frustrating, but you never told me the launch date.")
    spans = [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in ack.editor.extraSelections()]
    start = ack.text().index("you never told me")
    assert (start, start + len("you never told me")) in spans
    assert "Blames the client" in ack.findings.item(0).text() and "Try:" in ack.findings.item(0).text()
    ack.editor.setPlainText("I know how frustrating it was to lose a weekend of sales.")
    qtbot.waitUntil(lambda: ack.findings.item(0).text() == NOTHING_TO_FIX, timeout=PATIENCE_MS)
    dlg.next()
    # Step 3: the timeline comes from the project record; an amount is warned about.
    explain = dlg.currentPage()
    assert explain.text().startswith("We started the Shop checkout rebuild project on 3 March 2025")
    _type(qtbot, dlg, " Northwind Bakery paid $900 for the same.")
    texts = [explain.findings.item(i).text() for i in range(explain.findings.count())]
    assert sum("Confidential in public" in t for t in texts) == 2
    explain.editor.setPlainText(dlg.timeline() + " I did not test on a real iPhone.")
    dlg.next()
    # Step 4: offers.
    nxt = dlg.currentPage()
    qtbot.keyClick(nxt.boxes["fix_free"], Qt.Key.Key_Space)
    qtbot.keyClick(nxt.boxes["call"], Qt.Key.Key_Space)
    dlg.next()
    # Review: the whole draft, calm, within Upwork's limit, with nothing to fix.
    review = dlg.review_page
    assert dlg.currentPage() is review
    qtbot.keyClicks(review.signature, "Sam Okafor")
    body = review.body.toPlainText()
    assert body.startswith("Hi dana_w,") and body.rstrip().endswith("Sam Okafor")
    assert "reads calm" in review.sentiment.text()
    assert f"{len(body)} / 1500 characters for Upwork" in review.length.text()
    assert review.findings.item(0).text() == "No problems found."
    # Upwork takes one reply that cannot be edited: the page says so above the export buttons.
    assert "one public response within 28 days" in review.window_label.text()
    assert "Read it twice" in review.window_label.text() and not review.window_label.isHidden()
    # Counted from the linked project's delivery (28 March 2025), not from the review (2 April): closed 25 April.
    assert "The reply window closed on 2025-04-2" in review.window_label.text()
    assert "2025-04-30" not in review.window_label.text()
    settle(qtbot, dlg)  # saved in the background
    assert drafts.status_for(conn, [1]) == {1: drafts.DRAFT}  # saved while moving through the pages

    # Export as Markdown to a chosen file.
    target = tmp_path / "reply.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "Markdown (*.md)")))
    with qtbot.waitSignal(dlg.exported, timeout=PATIENCE_MS) as blocker:
        qtbot.mouseClick(review.findChild(type(review.copy_button), "export_md"), Qt.MouseButton.LeftButton)
    assert blocker.args == [str(target)]
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Reply to dana\\_w on Upwork") and "Sam Okafor" in text
    assert no_prompts == []  # no question after an export: the page says what is next
    assert "Saved reply.md." in review.done_label.text() and review.open_page.isEnabled()
    assert drafts.status_for(conn, [1]) == {1: drafts.DRAFT}  # exported, not yet posted

    # And as an email the client can receive.
    eml = tmp_path / "reply.eml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(eml), "")))
    with qtbot.waitSignal(dlg.exported, timeout=PATIENCE_MS) as blocker:
        dlg.export_as("eml")
    assert blocker.args == [str(eml)]
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert msg["To"] == "Dana Whitfield <dana@whitfield-studio.co.uk>"
    assert msg.get_content().replace("\r\n", "\n") == review.body.toPlainText()  # exactly what was previewed

    # Posted on the site: now, and only now, it is answered.
    with qtbot.waitSignal(dlg.posted, timeout=PATIENCE_MS):
        qtbot.mouseClick(review.posted_button, Qt.MouseButton.LeftButton)
    assert drafts.status_for(conn, [1]) == {1: drafts.POSTED}
    assert not dlg.isVisible()


def test_export_asks_before_overwriting(qtbot: QtBot, dialog: ComposerDialog, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch, no_prompts: list[str]) -> None:
    dialog.step_pages[0].editor.setPlainText("I missed the deadline.")
    target = tmp_path / "reply.txt"
    target.write_text("keep me")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    with qtbot.assertNotEmitted(dialog.exported):
        dialog.export_as("txt")
        settle(qtbot, dialog)
    assert no_prompts == ["Replace the file?"] and target.read_text() == "keep me"
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a: QMessageBox.StandardButton.Yes))
    monkeypatch.setattr("desktop.ui.composer_dialog.QDesktopServices.openUrl", lambda url: True)
    with qtbot.waitSignal(dialog.exported, timeout=PATIENCE_MS) as blocker:
        dialog.export_as("txt")
    assert blocker.args == [str(target)]
    assert "I missed the deadline." in target.read_text(encoding="utf-8")


def test_clipboard_export_and_reopening_the_draft(qtbot: QtBot, dialog: ComposerDialog, conn: sqlite3.Connection,
                                                  no_prompts: list[str]) -> None:
    dialog.step_pages[0].editor.setPlainText("I missed the deadline.")
    dialog.step_pages[3].boxes["partial_refund"].setChecked(True)
    dialog.review_page.kind.setCurrentIndex(dialog.review_page.kind.findData("email"))
    dialog.copy_to_clipboard()
    settle(qtbot, dialog)
    assert "I missed the deadline." in QGuiApplication.clipboard().text()
    assert drafts.status_for(conn, [1]) == {1: drafts.DRAFT}
    dialog.close()
    settle(qtbot, dialog)
    assert not dialog.isVisible()
    again = ComposerDialog(conn, 1)
    qtbot.addWidget(again)
    assert again.draft_id == dialog.draft_id
    assert again.step_pages[0].text() == "I missed the deadline."
    assert again.step_pages[3].boxes["partial_refund"].isChecked()
    assert again.review_page.kind.currentData() == "email"


def test_checks_wait_for_a_pause_in_typing(qtbot: QtBot, dialog: ComposerDialog) -> None:
    page = dialog.step_pages[0]
    page.timer.setInterval(60_000)  # no slow machine can outlast this between two key presses
    with qtbot.assertNotEmitted(dialog.checks_updated, wait=50):
        qtbot.keyClicks(page.editor, "obviously")
    assert page.timer.isActive() and page.editor.extraSelections() == []
    page.timer.setInterval(10)
    with qtbot.waitSignal(dialog.checks_updated, timeout=PATIENCE_MS):
        page.timer.start()
    assert [s.cursor.selectedText() for s in page.editor.extraSelections()] == ["obviously"]


def test_scraped_text_is_shown_plain(qtbot: QtBot, conn: sqlite3.Connection) -> None:
    mention = seed(conn, text="<b>bold</b> <img src=x> & [link](http://x)")
    dlg = ComposerDialog(conn, mention)
    qtbot.addWidget(dlg)
    dlg.step_pages[0].editor.setPlainText("<i>me</i>")
    dlg.step_pages[0].run_checks()
    assert dlg.titleFormat() == Qt.TextFormat.PlainText and dlg.subTitleFormat() == Qt.TextFormat.PlainText
    assert dlg.review_page.sentiment.textFormat() == Qt.TextFormat.PlainText
    assert "<i>me</i>" in dlg.render_body()


def test_emoji_spans_highlight_the_right_characters(qtbot: QtBot, dialog: ComposerDialog) -> None:
    page = dialog.step_pages[0]
    page.editor.setPlainText("\U0001f600\U0001f600 obviously fine")
    page.run_checks()
    [sel] = page.editor.extraSelections()
    assert sel.cursor.selectedText() == "obviously"
    assert checks.check_blame(page.text())[0].text == "obviously"


def _answer_next_box(button_text: str, seen: list[str]) -> None:
    """Click `button_text` in the next message box that opens, recording its text."""
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()
    QTimer.singleShot(0, click)


def test_export_with_open_problems_asks_once_naming_their_kinds(qtbot: QtBot, dialog: ComposerDialog,
                                                                  tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    dialog.step_pages[1].editor.setPlainText("You never told me the launch date. Please remove the review.")
    dialog.step_pages[2].editor.setPlainText("Call me on +44 20 7946 0958.")
    target = tmp_path / "reply.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    seen: list[str] = []
    _answer_next_box("Fix them first", seen)
    dialog.export_as("txt")
    settle(qtbot, dialog)
    assert not target.exists() and len(seen) == 1
    for kind in ("blames the client", "asks to change the review", "confidential in public"):
        assert kind in seen[0]
    _answer_next_box("Export anyway", seen)
    for _ in range(2):  # asked once for this text, not on every export
        with qtbot.waitSignal(dialog.exported, timeout=PATIENCE_MS) as blocker:
            dialog.export_as("txt")
        assert blocker.args == [str(target)]
        target.unlink()
    assert len(seen) == 2


def test_every_page_shows_the_whole_drafts_checks(qtbot: QtBot, dialog: ComposerDialog) -> None:
    dialog.step_pages[0].editor.setPlainText("It was your fault, obviously.")
    later = dialog.step_pages[3]
    later.run_checks()
    texts = [later.findings.item(i).text() for i in range(later.findings.count())]
    assert texts and all(t.startswith(f"[{dialog.step_pages[0].step.title}]") for t in texts)
    assert NOTHING_TO_FIX not in texts
    # A bare figure that is the project's budget (2,400) is flagged like an amount with a currency.
    dialog.step_pages[2].editor.setPlainText("The budget of 2,400 covered two weeks.")
    dialog.step_pages[2].run_checks()
    explain = [dialog.step_pages[2].findings.item(i).text() for i in range(dialog.step_pages[2].findings.count())]
    assert any("2,400" in t and "budget" in t for t in explain)


def test_opening_and_cancelling_saves_no_draft(qtbot: QtBot, dialog: ComposerDialog, conn: sqlite3.Connection) -> None:
    dialog.next()
    dialog.next()  # the pre-filled timeline is no edit of the user's
    dialog.reject()
    assert drafts.status_for(conn, [1]) == {} and drafts.for_mention(conn, 1) is None


def test_the_save_dialog_starts_in_the_folder_used_last(qtbot: QtBot, dialog: ComposerDialog, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    dialog.step_pages[0].editor.setPlainText("I missed the deadline.")
    folder = tmp_path / "replies"
    folder.mkdir()
    offered: list[str] = []

    def save_name(parent: object, caption: str, start: str, *a: object, **k: object) -> tuple[str, str]:
        offered.append(start)
        return str(folder / f"r{len(offered)}.txt"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    dialog.export_as("txt")
    settle(qtbot, dialog)
    dialog.export_as("md")
    settle(qtbot, dialog)
    assert Path(offered[1]).parent == folder and Path(offered[0]).parent != folder


def test_no_reply_window_for_a_site_without_one(qtbot: QtBot, dialog: ComposerDialog) -> None:
    review = dialog.review_page
    review.site.setCurrentIndex(review.site.findData("trustpilot"))
    review.refresh()
    assert review.window_label.isHidden() and review.window_label.text() == ""


def test_a_newer_save_by_someone_else_is_a_conflict_not_an_overwrite(qtbot: QtBot, dialog: ComposerDialog,
                                                                      conn: sqlite3.Connection) -> None:
    from desktop.composer.answers import Answers

    dlg = dialog
    _type(qtbot, dlg, "I missed the deadline.")
    with qtbot.waitSignal(dlg.draft_saved, timeout=PATIENCE_MS) as saved:
        dlg.save()
    assert saved.args == [dlg.draft_id, 1]
    mine = drafts.versions(conn, dlg.draft_id)[0]
    # A teammate (another window on the same store) saves version 2 from version 1.
    drafts.save(conn, dlg.draft_id, Answers(), "Their better reply.", base=1)
    _type(qtbot, dlg, " Sorry.")
    with qtbot.assertNotEmitted(dlg.draft_saved):
        dlg.save()
        settle(qtbot, dlg)
    box = dlg.findChild(QMessageBox, "draft_conflict")
    assert box is not None and box.isVisible()
    assert "saved a newer version of this draft" in box.text() and "copy your text" in box.text()
    assert [v.body for v in drafts.versions(conn, dlg.draft_id)] == [mine.body, "Their better reply."]
    assert "Sorry." in dlg.step_pages[0].editor.toPlainText()  # the typed text is still there to copy
    box.close()


def test_a_busy_store_keeps_the_wizard_open_until_the_reply_is_marked_posted(
        qtbot: QtBot, conn: sqlite3.Connection, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's connection waits only briefly for the write lock: Mark as posted during a long write asks to
    retry; giving up leaves the wizard open and the draft unposted, retrying once the lock is free posts it."""
    from desktop.store import connect
    from desktop.store.db import GUI_BUSY_TIMEOUT_MS
    from desktop.ui.store_writes import BUSY_TITLE

    mention = seed(conn)
    gui = connect(db_path, busy_timeout_ms=GUI_BUSY_TIMEOUT_MS)
    worker = connect(db_path)
    dlg = ComposerDialog(gui, mention)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.step_pages[0].editor.setPlainText("I missed the deadline twice and did not tell you in time.")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Retry]
    asked: list[str] = []

    def exec_(box: QMessageBox) -> int:
        asked.append(box.windowTitle())
        answer = answers.pop(0)
        if answer == QMessageBox.StandardButton.Retry:
            worker.execute("COMMIT")  # the background write ends
        return answer

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    try:
        worker.execute("BEGIN IMMEDIATE")
        dlg.mark_posted()
        settle(qtbot, dlg)
        assert asked == [BUSY_TITLE] and dlg.isVisible()  # gave up: still open, nothing posted
        assert drafts.for_mention(conn, mention) is None
        with qtbot.waitSignal(dlg.posted, timeout=PATIENCE_MS):
            dlg.mark_posted()
        assert asked == [BUSY_TITLE, BUSY_TITLE] and not dlg.isVisible()
        assert drafts.status_for(conn, [mention]) == {mention: drafts.POSTED}
    finally:
        if worker.in_transaction:
            worker.execute("ROLLBACK")
        worker.close()
        gui.close()
