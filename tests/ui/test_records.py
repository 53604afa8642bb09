"""Clients & projects: create, edit, delete with a plain warning, and the feedback linked to each."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon

from desktop.store import clients, mentions, projects
from desktop.store.mentions import Filter
from desktop.ui.inbox_model import COL_SCORE, ID_ROLE
from desktop.ui.record_dialogs import ClientDialog, ProjectDialog
from desktop.ui.records import RecordsPage
from tests.helpers.settle import settle


def make_page(qtbot, conn) -> RecordsPage:
    page = RecordsPage(conn)
    settle(qtbot, page)
    qtbot.addWidget(page)
    return page


def test_add_a_client_with_a_handle_and_a_project(qtbot, conn, add, monkeypatch):
    page = make_page(qtbot, conn)
    assert page.detail_stack.currentWidget() is page.empty_label
    assert not page.new_project_button.isEnabled()

    def fill_client(dialog: ClientDialog) -> int:
        save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
        assert not save.isEnabled()  # no name yet
        assert dialog.error_label.text() == ""  # but nothing is wrong before the user typed
        dialog.name_edit.setText("Northwind Bakery")
        dialog.email_edit.setText("orders@northwind.example")
        dialog.add_handle_row("Upwork", "@Northwind_Ops")
        assert save.isEnabled()
        dialog.add_handle_row("fiverr", "")
        assert not save.isEnabled() and "site" in dialog.error_label.text()
        dialog.handles_table.removeRow(1)
        dialog.on_field_changed()
        dialog.on_buttons_accepted()
        settle(qtbot, dialog)  # written in the background, then the dialog closes
        return dialog.result()

    monkeypatch.setattr(ClientDialog, "exec", fill_client)
    with qtbot.waitSignal(page.records_changed):
        page.new_client_button.click()
        settle(qtbot, page)
    settle(qtbot, page)
    client = clients.find_by_name(conn, "Northwind Bakery")
    assert client is not None and client.handles == (("upwork", "@Northwind_Ops"),)  # shown as typed
    assert clients.find_by_handle(conn, "upwork", "northwind_ops") == client.id  # matched in any case
    assert page.selected() == ("client", client.id)

    def fill_project(dialog: ProjectDialog) -> int:
        settle(qtbot, dialog)  # the clients to choose from
        dialog.title_edit.setText("Shopify storefront redesign")
        dialog.date_edits["started"].set_value(date(2025, 1, 6))
        dialog.date_edits["due"].set_value(date(2024, 12, 1))
        assert "before the start" in dialog.error_label.text()
        dialog.date_edits["due"].set_value(date(2025, 2, 14))
        dialog.date_edits["delivered"].set_value(date(2025, 3, 1))
        dialog.date_edits["delivered"].clear_button.click()  # "no date" is one click
        assert dialog.date_edits["delivered"].value() is None
        assert dialog.date_edits["delivered"].edit.text() == "No date"
        dialog.budget_edit.setText("lots")
        assert "Write the budget as a number" in dialog.error_label.text() and "got" not in dialog.error_label.text()
        dialog.budget_edit.setText("4,200")
        dialog.status_combo.setCurrentText("late")
        dialog.notes_edit.setPlainText("Scope grew twice.")
        dialog.on_buttons_accepted()
        settle(qtbot, dialog)
        return dialog.result()

    monkeypatch.setattr(ProjectDialog, "exec", fill_project)
    page.new_project_button.click()
    settle(qtbot, page)
    [project] = projects.for_client(conn, client.id)
    assert (project.title, project.budget, project.status) == ("Shopify storefront redesign", 4200.0, "late")
    assert page.selected() == ("project", project.id)

    # Feedback from that handle links itself, and the project page lists it.
    mention_id = add("Went live two weeks late.", author="northwind_ops", site="upwork").mention_id
    assert mentions.get(conn, mention_id).project == project.id
    page.reload()
    settle(qtbot, page)
    assert page.feedback_model.rowCount() == 1
    assert page.feedback_model.index(0, 0).data(ID_ROLE) == mention_id
    assert "(1)" in page.feedback_heading.text()
    assert "late" in page.facts_label.text() and "4,200.00" in page.facts_label.text()
    # The list paints as the inbox does: its cells filled from the model when painted, the score as a badge icon.
    assert page.feedback_view.model() is page.feedback_cells
    page.feedback_view.viewport().grab()
    score_cell = page.feedback_cells.index(0, COL_SCORE)
    assert isinstance(score_cell.data(Qt.ItemDataRole.DecorationRole), QIcon)
    assert score_cell.data(Qt.ItemDataRole.AccessibleTextRole) == page.feedback_model.index(0, COL_SCORE).data()
    with qtbot.waitSignal(page.mention_activated) as activated:
        page.feedback_view.activated.emit(page.feedback_cells.index(0, 0))
    settle(qtbot, page)
    assert activated.args == [mention_id]


def test_edit_a_client(qtbot, conn, monkeypatch):
    client = clients.add(conn, "Helios Solar", handles=[("fiverr", "mkeller")])
    clients.add(conn, "Dana Whitfield")
    page = make_page(qtbot, conn)
    page.reload(("client", client.id))
    settle(qtbot, page)

    def rename(dialog: ClientDialog) -> int:
        assert dialog.handles() == [("fiverr", "mkeller")]
        dialog.name_edit.setText("dana whitfield")
        dialog.on_buttons_accepted()  # the store refuses a duplicate name: said inline, dialog stays
        settle(qtbot, dialog)
        assert "already exists" in dialog.error_label.text() and dialog.result() == 0
        dialog.name_edit.setText("Helios Solar GmbH")
        dialog.on_buttons_accepted()
        settle(qtbot, dialog)
        return dialog.result()

    monkeypatch.setattr(ClientDialog, "exec", rename)
    page.edit_button.click()
    settle(qtbot, page)
    assert clients.get(conn, client.id).name == "Helios Solar GmbH"
    assert page.title_label.text() == "Helios Solar GmbH"


def test_delete_a_client_says_what_happens_to_feedback(qtbot, conn, add, monkeypatch):
    client = clients.add(conn, "Dana Whitfield", handles=[("peopleperhour", "danaw")])
    project = projects.add(conn, client.id, "WordPress migration")
    mention_id = add("Contact form broken for days.", author="danaw", site="peopleperhour").mention_id
    page = make_page(qtbot, conn)
    page.reload(("client", client.id))
    settle(qtbot, page)
    asked: list[str] = []
    monkeypatch.setattr(page, "confirm", lambda title, text: asked.append(text) or False)
    page.delete_button.click()
    settle(qtbot, page)
    assert clients.find_by_name(conn, "Dana Whitfield") is not None  # cancelled: nothing changed
    assert "1 project will be deleted too" in asked[0]
    assert "1 piece of feedback stays in the inbox, no longer linked" in asked[0]

    monkeypatch.setattr(page, "confirm", lambda title, text: True)
    with qtbot.waitSignal(page.records_changed):
        page.delete_button.click()
        settle(qtbot, page)
    settle(qtbot, page)
    assert clients.all_clients(conn) == []
    stored = mentions.get(conn, mention_id)
    assert stored is not None and (stored.client, stored.project) == (None, None)
    assert page.detail_stack.currentWidget() is page.empty_label
    assert project.id not in {p.id for p in projects.all_projects(conn)}


def test_delete_a_project_keeps_the_client_link(qtbot, conn, add, monkeypatch):
    client = clients.add(conn, "Northwind Bakery", handles=[("upwork", "northwind_ops")])
    project = projects.add(conn, client.id, "Photo retouching")
    mention_id = add("Fast turnaround!", author="northwind_ops").mention_id
    page = make_page(qtbot, conn)
    page.reload(("project", project.id))
    settle(qtbot, page)
    asked: list[str] = []
    monkeypatch.setattr(page, "confirm", lambda title, text: asked.append(text) or True)
    page.delete_button.click()
    settle(qtbot, page)
    assert "still linked to the client Northwind Bakery but to no project" in asked[0]
    stored = mentions.get(conn, mention_id)
    assert (stored.client, stored.project) == (client.id, None)
    assert page.selected() == ("client", client.id)
    assert mentions.count(conn, Filter(client=client.id)) == 1
