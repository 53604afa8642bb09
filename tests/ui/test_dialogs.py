"""The form dialogs (feedback, link, client, project) when a check or an import holds the store: the window's
writer waits only briefly, then the user is offered Retry like every other write the window makes; giving up
keeps the dialog open with the form and writes nothing, retrying once the lock is free saves and closes it."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.store import clients, connect, mentions, projects
from desktop.store.db import GUI_BUSY_TIMEOUT_MS
from desktop.ui.dialogs import ValidatedDialog
from desktop.ui.store_writes import BUSY_TITLE
from tests.helpers.busy_store import answer_busy_questions
from tests.helpers.settle import settle



def _feedback(qtbot, gui, _conn, _add) -> tuple[ValidatedDialog, Callable[[], bool]]:  # noqa: ANN001
    from desktop.ui.feedback_dialog import FeedbackDialog

    dialog = FeedbackDialog(gui)
    dialog.text_edit.setPlainText("Sam rebuilt our booking page in a week and it has not broken since.")
    return dialog, lambda: mentions.count(gui) == 1


def _link(qtbot, gui, conn, add) -> tuple[ValidatedDialog, Callable[[], bool]]:  # noqa: ANN001
    from desktop.ui.link_dialog import LinkDialog

    client = clients.add(conn, "Harbor Coffee")
    mention = mentions.get(gui, add("Good work overall.").mention_id)
    dialog = LinkDialog(gui, mention)
    settle(qtbot, dialog)  # the clients, read off the GUI thread
    dialog.client_combo.setCurrentIndex(dialog.client_combo.findData(client.id))
    return dialog, lambda: mentions.get(gui, mention.id).client == client.id


def _client(qtbot, gui, _conn, _add) -> tuple[ValidatedDialog, Callable[[], bool]]:  # noqa: ANN001
    from desktop.ui.record_dialogs import ClientDialog

    dialog = ClientDialog(gui)
    dialog.name_edit.setText("Northwind Analytics")
    return dialog, lambda: clients.find_by_name(gui, "Northwind Analytics") is not None


def _project(qtbot, gui, conn, _add) -> tuple[ValidatedDialog, Callable[[], bool]]:  # noqa: ANN001
    from desktop.ui.record_dialogs import ProjectDialog

    client = clients.add(conn, "Lumen Labs")
    dialog = ProjectDialog(gui, client_id=client.id)
    settle(qtbot, dialog)
    dialog.title_edit.setText("Loyalty app")
    return dialog, lambda: [p.title for p in projects.for_client(gui, client.id)] == ["Loyalty app"]


@pytest.mark.parametrize("make", [_feedback, _link, _client, _project], ids=["feedback", "link", "client", "project"])
def test_a_busy_store_offers_retry_and_giving_up_keeps_the_form(qtbot, conn, db_path: Path, add, make,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    gui = connect(db_path, busy_timeout_ms=GUI_BUSY_TIMEOUT_MS)
    worker = connect(db_path)
    dialog, saved = make(qtbot, gui, conn, add)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, dialog)
    asked = answer_busy_questions(monkeypatch, [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Retry],
                                  lambda: worker.execute("COMMIT"))  # the background write ends meanwhile
    try:
        worker.execute("BEGIN IMMEDIATE")  # a poll or an import holds the write lock
        dialog.ok_button.click()
        settle(qtbot, dialog)  # written in the background: busy, asked, given up
        assert asked[0][0] == BUSY_TITLE and asked[0][1].startswith("Could not ")
        assert dialog.isVisible() and dialog.error_label.text().startswith("Not saved yet: a check or an import")
        assert "importing or polling" not in dialog.error_label.text()
        assert not saved()  # nothing half-written
        dialog.ok_button.click()  # busy again: Retry, once the lock is free
        settle(qtbot, dialog)
        assert len(asked) == 2 and saved() and not dialog.isVisible()
    finally:
        if worker.in_transaction:
            worker.execute("ROLLBACK")
        worker.close()
        gui.close()
