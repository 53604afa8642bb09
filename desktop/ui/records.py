"""Clients and their projects: the records feedback is linked to and responses draw on.

Signals:
    records_changed(): a client or project was added, edited or deleted (the inbox refreshes its filters).
    mention_activated(int): the user opened a piece of linked feedback (the main window shows it in the inbox).
"""
from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QMessageBox, QPushButton, QSplitter, QStackedWidget,
                               QTableView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from desktop.store import clients, mentions, projects
from desktop.shell.reader import StoreReader
from desktop.shell.writer import StoreWriter
from desktop.store.mentions import Filter
from desktop.ui.inbox_model import COL_CLIENT, COL_DATE, COL_RATING, COL_SCORE, COL_SOURCE
from desktop.ui.inbox_model import InboxModel
from desktop.ui.painted_cells import show_painted
from desktop.ui.record_dialogs import ClientDialog, ProjectDialog
from desktop.text import counted
from desktop.ui.store_writes import write_in_background
from desktop.ui.widgets import placeholder_label, plain_label

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ITEM_ROLE = Qt.ItemDataRole.UserRole + 2


def _money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"



def _feedback_stays(n: int) -> str:
    return f"{counted(n, 'piece of feedback', 'pieces of feedback')} {'stays' if n == 1 else 'stay'}"


Tree = list[tuple[clients.Client, list[projects.Project]]]


def read_tree(conn: Any) -> Tree:
    """Every client with its projects (in the page's reader thread)."""
    return [(client, projects.for_client(conn, client.id)) for client in clients.all_clients(conn)]


def read_record(conn: Any, kind: str, record_id: int) -> tuple[Any, ...] | None:
    """("client", client, its project count) or ("project", project, its client); None when it is gone."""
    if kind == "client":
        client = clients.get(conn, record_id)
        return None if client is None else ("client", client, len(projects.for_client(conn, record_id)))
    project = projects.get(conn, record_id)
    return None if project is None else ("project", project, clients.get(conn, project.client))


class RecordsPage(QWidget):
    """A tree of clients and their projects on the left; the chosen record and its feedback on the right."""

    records_changed = Signal()
    mention_activated = Signal(int)

    def __init__(self, conn: sqlite3.Connection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Client / project", "Status"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.setMinimumWidth(260)
        self.new_client_button = QPushButton("New client…")
        self.new_project_button = QPushButton("New project…")
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete…")
        self.new_client_button.clicked.connect(self.on_new_client_clicked)
        self.new_project_button.clicked.connect(self.on_new_project_clicked)
        self.edit_button.clicked.connect(self.on_edit_clicked)
        self.delete_button.clicked.connect(self.on_delete_clicked)

        self.title_label = plain_label(wrap=True, selectable=True)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)
        self.facts_label = plain_label(wrap=True, selectable=True)
        self.notes_label = plain_label(wrap=True, selectable=True)
        self.feedback_heading = plain_label()
        self.feedback_heading.setStyleSheet("font-weight: bold; margin-top: 8px;")
        self.feedback_model = InboxModel(conn, Filter(ids=(-1,)), parent=self, with_total=True)
        self.feedback_model.loaded.connect(self.on_feedback_loaded)
        self.reader = StoreReader(conn, self)
        self.writer = StoreWriter(conn, self)  # deletes, off the GUI thread
        self._heading = ""
        self.feedback_view = QTableView()
        self.feedback_cells = show_painted(self.feedback_view, self.feedback_model, self)
        self.feedback_view.horizontalHeader().setStretchLastSection(True)
        for column in (COL_SOURCE, COL_CLIENT):
            self.feedback_view.hideColumn(column)
        for column, width in ((COL_DATE, 118), (COL_RATING, 84), (COL_SCORE, 68)):
            self.feedback_view.horizontalHeader().resizeSection(column, width)
        self.feedback_view.setToolTip("Double-click to open it in the inbox")
        self.feedback_view.activated.connect(self.on_feedback_activated)

        self.empty_label = placeholder_label()

        record = QWidget()
        record_box = QVBoxLayout(record)
        record_box.addWidget(self.title_label)
        record_box.addWidget(self.facts_label)
        record_box.addWidget(self.notes_label)
        record_box.addWidget(self.feedback_heading)
        record_box.addWidget(self.feedback_view, 1)
        self.detail_stack = QStackedWidget()
        self.detail_stack.addWidget(self.empty_label)
        self.detail_stack.addWidget(record)

        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        for button in (self.new_client_button, self.new_project_button):
            buttons.addWidget(button)
        left_box.addLayout(buttons)
        left_box.addWidget(self.tree, 1)
        edit_buttons = QHBoxLayout()
        edit_buttons.addWidget(self.edit_button)
        edit_buttons.addWidget(self.delete_button)
        left_box.addLayout(edit_buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail_stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 860])
        splitter.setChildrenCollapsible(False)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 0)
        box.addWidget(splitter)

        self.tree.currentItemChanged.connect(self.on_tree_current_changed)
        self.tree.itemActivated.connect(self.on_tree_item_activated)
        self.reload()

    # -- the tree --------------------------------------------------------------------------------
    def selected(self) -> tuple[str, int] | None:
        item = self.tree.currentItem()
        return (item.data(0, KIND_ROLE), item.data(0, ID_ITEM_ROLE)) if item else None

    def reading(self) -> bool:
        """Whether the page still waits for the store (the tree, a record, its feedback)."""
        return self.reader.busy or self.writer.busy or self.feedback_model.reading()

    def reload(self, select: tuple[str, int] | None = None) -> None:
        """Rebuild the tree from the store (a handful of records, read in the background), keeping or moving the
        selection."""
        select = select or self.selected()
        self.reader.read("tree", read_tree, lambda tree: self._fill_tree(tree, select))

    def _fill_tree(self, tree: Tree, select: tuple[str, int] | None) -> None:
        self.tree.clear()
        chosen: QTreeWidgetItem | None = None
        for client, own_projects in tree:
            item = QTreeWidgetItem([client.name, ""])
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            item.setData(0, KIND_ROLE, "client")
            item.setData(0, ID_ITEM_ROLE, client.id)
            self.tree.addTopLevelItem(item)
            if select == ("client", client.id):
                chosen = item
            for project in own_projects:
                child = QTreeWidgetItem([project.title, project.status])
                child.setData(0, KIND_ROLE, "project")
                child.setData(0, ID_ITEM_ROLE, project.id)
                item.addChild(child)
                if select == ("project", project.id):
                    chosen = child
            item.setExpanded(True)
        self.tree.resizeColumnToContents(1)
        if chosen is None and self.tree.topLevelItemCount():
            chosen = self.tree.topLevelItem(0)
        self.tree.setCurrentItem(chosen)
        if chosen is None:
            self.on_tree_current_changed(None, None)
        has_clients = self.tree.topLevelItemCount() > 0
        self.new_project_button.setEnabled(has_clients)
        self.edit_button.setEnabled(chosen is not None)
        self.delete_button.setEnabled(chosen is not None)

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def on_tree_current_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        self.edit_button.setEnabled(current is not None)
        self.delete_button.setEnabled(current is not None)
        if current is None:
            self.empty_label.setText("No clients yet.\n\nAdd a client with New client…, give them their handle on "
                                     "each site, and their feedback is linked to them automatically.")
            self.detail_stack.setCurrentIndex(0)
            return
        kind, record_id = current.data(0, KIND_ROLE), current.data(0, ID_ITEM_ROLE)
        self.reader.read("record", lambda conn: read_record(conn, kind, record_id), self._show_record)

    def _show_record(self, record: tuple[Any, ...] | None) -> None:
        if record is None or self.selected() != (record[0], record[1].id):
            return  # gone meanwhile, or another record chosen since
        self.detail_stack.setCurrentIndex(1)
        if record[0] == "client":
            self._show_client(record[1], record[2])
        else:
            self._show_project(record[1], record[2])

    @Slot(QTreeWidgetItem, int)
    def on_tree_item_activated(self, _item: QTreeWidgetItem, _column: int) -> None:
        self.on_edit_clicked()

    def _show_client(self, client: clients.Client, n_projects: int) -> None:
        self.title_label.setText(client.name)
        handles = ", ".join(f"{site}: {handle}" for site, handle in client.handles) or "none (add one to link automatically)"
        self.facts_label.setText(f"Email: {client.email or '—'}\nHandles: {handles}\nProjects: {n_projects}")
        self.notes_label.setText(client.notes)
        self.notes_label.setVisible(bool(client.notes))
        self._show_feedback(Filter(client=client.id), "Feedback about this client")

    def _show_project(self, project: projects.Project, client: clients.Client) -> None:
        self.title_label.setText(project.title)
        dates = " · ".join(f"{name} {value.isoformat()}" for name, value in
                           (("started", project.started), ("due", project.due), ("delivered", project.delivered))
                           if value) or "no dates"
        self.facts_label.setText(f"Client: {client.name}\nStatus: {project.status}\nDates: {dates}\n"
                                 f"Budget: {_money(project.budget)}")
        self.notes_label.setText(project.notes)
        self.notes_label.setVisible(bool(project.notes))
        self._show_feedback(Filter(project=project.id), "Feedback about this project")

    def _show_feedback(self, flt: Filter, heading: str) -> None:
        if flt == self.feedback_model.filter:
            self.feedback_model.refresh()  # same record shown again: its links may have changed
        else:
            self.feedback_model.set_filter(flt)
        self._heading = heading
        self.feedback_heading.setText(f"{heading}: loading…")

    @Slot()
    def on_feedback_loaded(self) -> None:
        total = self.feedback_model.total_count
        if self._heading:
            self.feedback_heading.setText(f"{self._heading} ({total})" if total else f"{self._heading}: none linked yet")

    @Slot(QModelIndex)
    def on_feedback_activated(self, index: QModelIndex) -> None:
        mention = self.feedback_model.mention_at(index.row())  # the source's row: painted cells fill lazily
        if mention is not None:
            self.mention_activated.emit(mention.id)

    # -- editing ---------------------------------------------------------------------------------
    def _current_client_id(self) -> int | None:
        sel = self.selected()
        if sel is None:
            return None
        item = self.tree.currentItem()
        return sel[1] if sel[0] == "client" else item.parent().data(0, ID_ITEM_ROLE)

    def _changed(self, select: tuple[str, int] | None) -> None:
        """A record was saved or deleted: rebuild the tree on `select` and let the inbox refresh its filters."""
        self.reload(select)
        self.records_changed.emit()

    @Slot()
    def on_new_client_clicked(self) -> None:
        dialog = ClientDialog(self._conn, parent=self)
        accepted = dialog.exec() == ClientDialog.DialogCode.Accepted
        dialog.deleteLater()  # with its writer's thread and connection
        if accepted and dialog.saved_client:
            self._changed(("client", dialog.saved_client.id))

    @Slot()
    def on_new_project_clicked(self) -> None:
        dialog = ProjectDialog(self._conn, client_id=self._current_client_id(), parent=self)
        accepted = dialog.exec() == ProjectDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted and dialog.saved_project:
            self._changed(("project", dialog.saved_project.id))

    @Slot()
    def on_edit_clicked(self) -> None:
        sel = self.selected()
        if sel is None:
            return
        kind, record_id = sel
        get = clients.get if kind == "client" else projects.get
        self.reader.read(("edit", sel), lambda conn: get(conn, record_id), lambda record: self._edit(sel, record))

    def _edit(self, sel: tuple[str, int], record: Any) -> None:
        if sel[0] == "client":
            dialog: ClientDialog | ProjectDialog = ClientDialog(self._conn, record, self)
        else:
            dialog = ProjectDialog(self._conn, record, parent=self)
        accepted = dialog.exec() == dialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self._changed(sel)

    @staticmethod
    def delete_message(conn: Any, kind: str, record_id: int) -> str:
        """What deleting a record does to linked feedback, said plainly before the user confirms (read in the
        page's reader)."""
        if kind == "client":
            client = clients.get(conn, record_id)
            n_projects, n_feedback = clients.linked_counts(conn, record_id)
            return (f"Delete the client “{client.name}”?\n\n"
                    f"Its {counted(n_projects, 'project')} will be deleted too. "
                    f"Its {_feedback_stays(n_feedback)} in the inbox, "
                    "no longer linked to any client or project.\n\nThis cannot be undone.")
        project = projects.get(conn, record_id)
        client = clients.get(conn, project.client)
        n_feedback = mentions.count(conn, Filter(project=record_id))
        return (f"Delete the project “{project.title}”?\n\n"
                f"Its {_feedback_stays(n_feedback)} in the inbox, "
                f"still linked to the client {client.name} but to no project.\n\nThis cannot be undone.")

    def confirm(self, title: str, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("Delete")
        return box.exec() == QMessageBox.StandardButton.Yes

    @Slot()
    def on_delete_clicked(self) -> None:
        sel = self.selected()
        if sel is None:
            return
        kind, record_id = sel
        after = None if kind == "client" else ("client", self._current_client_id())
        self.reader.read(("delete", sel), lambda conn: self.delete_message(conn, kind, record_id),
                         lambda message: self._delete(kind, record_id, message, after))

    def _delete(self, kind: str, record_id: int, message: str, after: tuple[str, int] | None) -> None:
        if not self.confirm(f"Delete {kind}", message):
            return
        delete = clients.delete if kind == "client" else projects.delete
        write_in_background(self, self.writer, lambda conn: delete(conn, record_id), what=f"delete the {kind}",
                            done=lambda _: self._changed(after))  # type: ignore[arg-type]
