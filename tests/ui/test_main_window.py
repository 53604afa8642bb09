"""The main window: manual feedback through ingest, navigation, the composer hook, remembered geometry."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDateTime, Qt

from desktop import paths
from desktop.store import alerts, clients, mentions, projects
from desktop.store.mentions import Filter
from desktop.ui.feedback_dialog import FeedbackDialog
from desktop.ui.inbox_model import COL_TEXT
from desktop.ui.main_window import PAGE_INBOX, PAGE_RECORDS, MainWindow
from tests.helpers.settle import settle


def test_manual_negative_feedback_raises_an_alert_and_shows_at_once(qtbot, conn, window, add):
    window.mention_added.emit(add("Older feedback.", days=-30).mention_id)  # as a poll would report it
    settle(qtbot, window)
    assert window.inbox.model.rowCount() == 1
    client = clients.add(conn, "Dana Whitfield")
    project = projects.add(conn, client.id, "WordPress migration")
    dialog = FeedbackDialog(conn, window, client_id=client.id)
    qtbot.addWidget(dialog)
    settle(qtbot, dialog)  # the clients and projects, read off the GUI thread
    dialog.saved.connect(window.on_feedback_saved)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled() and not dialog.error_label.text()  # nothing is wrong before the user typed
    assert ok.toolTip()  # but OK says what it waits for
    assert dialog.project_combo.currentData() == project.id  # the client's only project is preselected
    dialog.text_edit.setPlainText("Terrible experience. The contact form was broken and I lost customers.")
    assert ok.isEnabled() and not dialog.error_label.text()
    dialog.rating_combo.setCurrentIndex(dialog.rating_combo.findData(1.0))
    dialog.site_combo.setCurrentText("PeoplePerHour")
    dialog.author_edit.setText("danaw")
    with qtbot.assertNotEmitted(window.inbox.model.modelReset), qtbot.waitSignal(window.inbox.model.rowsInserted):
        ok.click()  # scored and stored in the background
    settle(qtbot, window)  # the new row placed, then selected
    result = dialog.result_
    assert result is not None and result.new and result.alert_id is not None
    assert alerts.for_mention(conn, result.mention_id) is not None
    stored = mentions.get(conn, result.mention_id)
    assert (stored.site, stored.rating, stored.client, stored.project) == ("peopleperhour", 1.0, client.id,
                                                                             project.id)
    assert stored.label == "negative"
    model = window.inbox.model
    assert model.rowCount() == 2 and "contact form" in model.index(0, COL_TEXT).data()
    assert window.inbox.detail.mention.id == result.mention_id
    assert "alert raised" in window.statusBar().currentMessage()


def test_manual_feedback_is_all_or_nothing(qtbot, conn, window):
    client = clients.add(conn, "Gone Ltd")
    dialog = FeedbackDialog(conn, window, client_id=client.id)
    qtbot.addWidget(dialog)
    dialog.text_edit.setPlainText("Awful.")
    settle(qtbot, dialog)
    clients.delete(conn, client.id)  # deleted meanwhile, e.g. from the command line
    dialog.on_buttons_accepted()
    settle(qtbot, dialog)
    assert dialog.result_ is None and "Not saved" in dialog.error_label.text()
    assert mentions.count(conn) == 0 and alerts.recent(conn) == []


def test_duplicate_manual_feedback_adds_nothing(qtbot, conn, window):
    for expect_new in (True, False):
        dialog = FeedbackDialog(conn, window)
        qtbot.addWidget(dialog)
        dialog.date_edit.setDateTime(QDateTime.currentDateTime().addSecs(-3600))
        dialog.text_edit.setPlainText("Late again.")
        dialog.author_edit.setText("kvn")
        settle(qtbot, dialog)
        dialog.on_buttons_accepted()
        settle(qtbot, dialog)
        assert (dialog.result_ is not None) == expect_new
    assert "already in the inbox" in dialog.error_label.text()
    assert mentions.count(conn) == 1


def test_pages_and_keyboard_navigation(qtbot, window):
    assert window.pages.currentIndex() == PAGE_INBOX
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    window.sidebar.setCurrentRow(PAGE_RECORDS)
    settle(qtbot, window)
    assert window.pages.currentWidget() is window.records
    assert not window.inbox.next_action.isEnabled()
    window.sidebar.setCurrentRow(2)
    settle(qtbot, window)
    assert "Sources" in window.pages.currentWidget().text()
    window.sidebar.setCurrentRow(PAGE_INBOX)
    settle(qtbot, window)
    assert window.inbox.next_action.isEnabled()


def test_show_mention_clears_filters_that_hide_it(qtbot, conn, window, add):
    good = add("Wonderful work!").mention_id
    window.show_inbox(Filter(label="negative"))
    settle(qtbot, window)
    assert window.inbox.model.rowCount() == 0
    assert window.inbox.label_combo.currentData() == "negative"
    found: list[bool] = []
    window.show_mention(good, found.append)
    settle(qtbot, window)
    assert found == [True]
    assert window.inbox.detail.mention.id == good
    assert window.inbox.label_combo.currentData() is None


def test_records_changes_reach_the_inbox_filters(qtbot, conn, window):
    clients.add(conn, "Northwind Bakery")
    window.records.records_changed.emit()
    settle(qtbot, window)
    assert window.inbox.client_combo.findText("Northwind Bakery") > 0


def test_compose_opens_the_composer_for_that_mention_without_blocking(qtbot, conn, add):
    mention_id = add("Late and the checkout never worked.").mention_id
    win = MainWindow(conn)
    settle(qtbot, win)
    qtbot.addWidget(win)
    win.show_mention(mention_id)
    settle(qtbot, win)
    assert win.inbox.compose_action.isEnabled() and win.inbox.detail.compose_button.isEnabled()
    win.inbox.compose_action.trigger()  # returns at once: open(), not exec()
    settle(qtbot, win)
    assert win.composer.isVisible()
    assert win.composer.mention_id == mention_id
    win.composer.reject()


def test_geometry_is_remembered_under_the_config_dir(qtbot, conn):
    first = MainWindow(conn)
    settle(qtbot, first)
    qtbot.addWidget(first)
    first.resize(720, 520)  # within the offscreen screen, which restoreGeometry clamps to
    first.show()
    qtbot.waitExposed(first)
    closed_size = first.size()
    first.close()
    ini = list(Path(paths.config_dir()).rglob("*.ini"))
    assert ini, "window state was not written under the config dir"
    second = MainWindow(conn)
    settle(qtbot, second)
    qtbot.addWidget(second)
    assert second.height() == closed_size.height() == 520  # offscreen widths follow size hints


def test_records_page_shows_feedback_that_arrived_while_elsewhere(qtbot, conn, add):
    from desktop.store import clients

    client = clients.add(conn, "Harbor Coffee Roasters", handles=[("email", "maya")])
    win = MainWindow(conn)
    settle(qtbot, win)
    qtbot.addWidget(win)
    win.sidebar.setCurrentRow(PAGE_RECORDS)
    settle(qtbot, win)
    win.records.reload(select=("client", client.id))
    settle(qtbot, win)
    win.sidebar.setCurrentRow(PAGE_INBOX)
    settle(qtbot, win)
    add("The shop launch slipped twice.", client="Harbor Coffee Roasters")
    win.sidebar.setCurrentRow(PAGE_RECORDS)
    settle(qtbot, win)
    assert win.records.selected() == ("client", client.id)
    assert win.records.feedback_model.rowCount() == 1
