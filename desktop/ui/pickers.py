"""Choosing a client and one of its projects, as feedback is linked to them (by hand or when typed in); and the
"All sources" / "All clients" filter combos the inbox and the dashboard share."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QFormLayout

from desktop.shell.reader import StoreReader
from desktop.store import clients, projects
from desktop.store import sources as source_store


@dataclass(frozen=True)
class FilterChoices:
    """What the source and client filters offer: (name, id) pairs, read off the GUI thread."""

    sources: list[tuple[str, int]]
    clients: list[tuple[str, int]]


def read_filter_choices(conn: Any) -> FilterChoices:
    """The sources and clients to choose from (in a reader's thread, desktop/shell/reader.py)."""
    return FilterChoices([(s.name, s.id) for s in source_store.all_sources(conn)],
                         [(name, cid) for cid, name in clients.names(conn)])


def refill_filter_combos(choices: FilterChoices, source_combo: QComboBox, client_combo: QComboBox) -> None:
    """Fill a source and a client filter ("All ..." first), keeping what was chosen; no signal is emitted."""
    for combo, everything, items in ((source_combo, "All sources", choices.sources),
                                     (client_combo, "All clients", choices.clients)):
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for name, item_id in items:
            combo.addItem(name, item_id)
            combo.setItemData(combo.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
        combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
        combo.blockSignals(False)


class ClientProjectPicker(QObject):
    """A client combo (with "— not linked —") and a project combo that lists only the chosen client's projects,
    so a project never contradicts its client. Both are read off the GUI thread (a reader of its own): until the
    answers are in, `loading` is true (a dialog keeps OK off meanwhile) and `ready` follows each answer.

    `guided` is for a form filled in from scratch: the project combo says why it is empty, and a client's only
    project is chosen for the user. Without it (re-linking existing feedback) nothing is chosen behind their back.
    """

    ready = Signal()

    def __init__(self, conn: sqlite3.Connection, parent: QObject | None = None, *, client_id: int | None = None,
                 project_id: int | None = None, guided: bool = False) -> None:
        super().__init__(parent)
        self.reader = StoreReader(conn, self)
        self._guided = guided
        self._wanted = (client_id, project_id)  # what to choose once the lists are in
        self.client_combo = QComboBox()
        self.client_combo.addItem("— not linked —", None)
        self.client_combo.setEnabled(False)
        self.project_combo = QComboBox()
        self.project_combo.setEnabled(False)
        self.client_combo.currentIndexChanged.connect(self.on_client_changed)
        self.reader.read("clients", clients.names, self._fill_clients)

    @property
    def loading(self) -> bool:
        """The clients or the chosen client's projects are still being read."""
        return self.reader.busy

    def _fill_clients(self, names: list[tuple[int, str]]) -> None:
        self.client_combo.blockSignals(True)
        for known_id, name in names:
            self.client_combo.addItem(name, known_id)
        client_id = self._wanted[0]
        if client_id is not None:
            self.client_combo.setCurrentIndex(max(0, self.client_combo.findData(client_id)))
        self.client_combo.blockSignals(False)
        self.client_combo.setEnabled(True)
        self.on_client_changed()

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow("&Client:", self.client_combo)
        form.addRow("&Project:", self.project_combo)

    def choice(self) -> tuple[int | None, int | None]:
        """(client id, project id); no client means no project, whatever the project combo last showed."""
        client_id = self.client_combo.currentData()
        return client_id, (self.project_combo.currentData() if client_id is not None else None)

    @Slot()
    def on_client_changed(self) -> None:
        self.project_combo.clear()
        client_id = self.client_combo.currentData()
        self.project_combo.setEnabled(False)
        if client_id is None:
            hint = "— choose a client first —" if self._guided else "— no particular project —"
            self.project_combo.addItem(hint, None)
            self.ready.emit()
            return
        self.project_combo.addItem("Reading its projects…", None)
        self.reader.read("projects", lambda conn: projects.for_client(conn, client_id),
                         lambda own: self._fill_projects(client_id, own))

    def _fill_projects(self, client_id: int, own: list[projects.Project]) -> None:
        if self.client_combo.currentData() != client_id:
            return  # another client was chosen meanwhile: its own answer follows
        self.project_combo.clear()
        none = "— the client has no projects —" if self._guided and not own else "— no particular project —"
        self.project_combo.addItem(none, None)
        for project in own:
            self.project_combo.addItem(project.title, project.id)
        wanted_client, wanted_project = self._wanted
        if wanted_project is not None and client_id == wanted_client:
            self.project_combo.setCurrentIndex(max(0, self.project_combo.findData(wanted_project)))
        elif self._guided and len(own) == 1:
            self.project_combo.setCurrentIndex(1)
        self._wanted = (None, None)  # chosen once; from now on the user chooses
        self.project_combo.setEnabled(True)
        self.ready.emit()
