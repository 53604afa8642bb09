"""Editing a client or a project: inline validation, and the store decides (one transaction) or nothing changes."""
from __future__ import annotations

import dataclasses
import sqlite3
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView,
                               QLineEdit, QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from desktop.records import validation
from desktop.shell.reader import StoreReader
from desktop.store import StoreError, clients, projects
from desktop.store.db import checked
from desktop.store.clients import Client
from desktop.store.projects import STATUSES, Project
from desktop.ui.date_field import DateField
from desktop.ui.dialogs import ValidatedDialog

_SAVE = QDialogButtonBox.StandardButton.Save


class ClientDialog(ValidatedDialog):
    """A client's name, email, notes, and their handle on each site (automatic linking matches these)."""

    def __init__(self, conn: sqlite3.Connection, client: Client | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, ok=_SAVE, conn=conn)
        self._client = client
        self.saved_client: Client | None = None
        self.setWindowTitle("Edit client" if client else "New client")
        self.setMinimumWidth(480)
        self.name_edit = QLineEdit(client.name if client else "")
        self.email_edit = QLineEdit((client.email or "") if client else "")
        self.email_edit.setPlaceholderText("optional")
        self.notes_edit = QPlainTextEdit(client.notes if client else "")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMaximumHeight(90)
        self.handles_table = QTableWidget(0, 2)
        self.handles_table.setHorizontalHeaderLabels(["Site", "Handle"])
        self.handles_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.handles_table.verticalHeader().hide()
        self.handles_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.handles_table.setMaximumHeight(140)
        self.handles_table.setToolTip("Their name on each site: feedback by that name there is linked to "
                                      "this client automatically")
        for site, handle in (client.handles if client else ()):
            self.add_handle_row(site, handle)
        self.add_handle_button = QPushButton("Add handle")
        self.remove_handle_button = QPushButton("Remove handle")
        self.add_handle_button.clicked.connect(self.on_add_handle_clicked)
        self.remove_handle_button.clicked.connect(self.on_remove_handle_clicked)

        handle_buttons = QHBoxLayout()
        handle_buttons.addWidget(self.add_handle_button)
        handle_buttons.addWidget(self.remove_handle_button)
        handle_buttons.addStretch(1)
        handles = QVBoxLayout()
        handles.addWidget(self.handles_table)
        handles.addLayout(handle_buttons)
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Email:", self.email_edit)
        form.addRow("Handles:", handles)
        form.addRow("N&otes:", self.notes_edit)
        self.lay_out(form)
        self.name_edit.textChanged.connect(self.on_field_changed)
        self.email_edit.textChanged.connect(self.on_field_changed)
        self.handles_table.itemChanged.connect(self.on_field_changed)
        self.start_validating()

    def add_handle_row(self, site: str = "", handle: str = "") -> None:
        row = self.handles_table.rowCount()
        self.handles_table.insertRow(row)
        self.handles_table.setItem(row, 0, QTableWidgetItem(site))
        self.handles_table.setItem(row, 1, QTableWidgetItem(handle))

    def handles(self) -> list[tuple[str, str]]:
        rows = []
        for row in range(self.handles_table.rowCount()):
            site, handle = (self.handles_table.item(row, c) for c in (0, 1))
            rows.append(((site.text() if site else "").strip(), (handle.text() if handle else "").strip()))
        return [r for r in rows if r != ("", "")]

    def problem(self) -> str | None:
        if not self.name_edit.text().strip():
            return "A client needs a name."
        try:
            validation.email(self.email_edit.text())
        except validation.Invalid as exc:
            return validation.sentence(exc)
        for site, handle in self.handles():
            if not site or not handle:
                return "Each handle needs both a site (e.g. upwork) and the client's name there."
        return None

    @Slot()
    def on_add_handle_clicked(self) -> None:
        self.add_handle_row()
        self.handles_table.editItem(self.handles_table.item(self.handles_table.rowCount() - 1, 0))

    @Slot()
    def on_remove_handle_clicked(self) -> None:
        rows = sorted({i.row() for i in self.handles_table.selectedIndexes()}, reverse=True)
        for row in rows or [self.handles_table.rowCount() - 1]:
            if row >= 0:
                self.handles_table.removeRow(row)
        self.on_field_changed()

    def save(self) -> bool:
        name, email, notes, handles = (self.name_edit.text(), self.email_edit.text().strip() or None,
                                       self.notes_edit.toPlainText(), self.handles())
        client = self._client

        def work(conn: Any) -> Client:
            if client is None:
                return clients.add(conn, name, email=email, notes=notes, handles=handles)
            return clients.update(conn, client.id, name=name, email=email, notes=notes, handles=handles)

        self.store_write(work, what="save the client", then=self._saved)
        return False

    def _saved(self, client: Client) -> bool:
        self.saved_client = client
        return True


class ProjectDialog(ValidatedDialog):
    """A project's facts: a response draws on its dates, budget, status and notes."""

    def __init__(self, conn: sqlite3.Connection, project: Project | None = None, *, client_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, ok=_SAVE, conn=conn)
        self._project = project
        self.saved_project: Project | None = None
        self.setWindowTitle("Edit project" if project else "New project")
        self.setMinimumWidth(460)
        self.title_edit = QLineEdit(project.title if project else "")
        self.client_combo = QComboBox()
        self.client_combo.setEnabled(False)
        self._wanted_client = project.client if project else client_id
        self.reader = StoreReader(conn, self)  # the clients to choose from, read off the GUI thread
        self.reader.read("clients", clients.names, self._fill_clients)
        self.date_edits = {key: DateField(getattr(project, key) if project else None)
                           for key in ("started", "due", "delivered")}
        self.budget_edit = QLineEdit("" if not project or project.budget is None else f"{project.budget:g}")
        self.budget_edit.setPlaceholderText("optional, e.g. 4,200")
        self.status_combo = QComboBox()
        self.status_combo.addItems(STATUSES)
        self.status_combo.setCurrentText(project.status if project else "active")
        self.notes_edit = QPlainTextEdit(project.notes if project else "")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setPlaceholderText("What happened: scope changes, delays, agreements. The response "
                                           "composer draws on these.")

        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Client:", self.client_combo)
        form.addRow("&Started:", self.date_edits["started"])
        form.addRow("&Due:", self.date_edits["due"])
        form.addRow("De&livered:", self.date_edits["delivered"])
        form.addRow("&Budget:", self.budget_edit)
        form.addRow("St&atus:", self.status_combo)
        form.addRow("&Notes:", self.notes_edit)
        self.lay_out(form)
        for edit in (self.title_edit, self.budget_edit):
            edit.textChanged.connect(self.on_field_changed)
        for field in self.date_edits.values():
            field.changed.connect(self.on_field_changed)
        self.start_validating()

    def _fill_clients(self, names: list[tuple[int, str]]) -> None:
        for cid, name in names:
            self.client_combo.addItem(name, cid)
        if self._wanted_client is not None:
            self.client_combo.setCurrentIndex(max(0, self.client_combo.findData(self._wanted_client)))
        self.client_combo.setEnabled(True)
        self.revalidate()

    def reading(self) -> bool:
        return super().reading() or self.reader.busy

    def project(self) -> Project:
        """The form as a Project (raises StoreError with a message for the user when a field is wrong)."""
        if self.reader.busy:
            raise StoreError("reading the clients…")
        if self.client_combo.currentData() is None:
            raise StoreError("add a client first: a project belongs to a client")
        dates = {k: field.value() for k, field in self.date_edits.items()}
        budget = checked(validation.budget, self.budget_edit.text())
        base = self._project or Project(id=0, client=0, title="")
        return dataclasses.replace(base, client=self.client_combo.currentData(), title=self.title_edit.text(),
                                   budget=budget, status=self.status_combo.currentText(),
                                   notes=self.notes_edit.toPlainText(), **dates)

    def problem(self) -> str | None:
        try:
            p = self.project()
        except StoreError as exc:
            return str(exc).capitalize()
        if not p.title.strip():
            return "A project needs a title."
        if p.started and p.due and p.due < p.started:
            return "The due date is before the start date."
        if p.started and p.delivered and p.delivered < p.started:
            return "The delivery date is before the start date."
        return None

    def save(self) -> bool:
        p, new = self.project(), self._project is None

        def work(conn: Any) -> Project:
            if new:
                return projects.add(conn, p.client, p.title, started=p.started, due=p.due, delivered=p.delivered,
                                    budget=p.budget, status=p.status, notes=p.notes)
            return projects.update(conn, p)

        self.store_write(work, what="save the project", then=self._saved)
        return False

    def _saved(self, project: Project) -> bool:
        self.saved_project = project
        return True
