"""The client/project picker pre-selects what the feedback is linked to, and nothing else."""
from __future__ import annotations

from desktop.store import clients, projects
from desktop.ui.pickers import ClientProjectPicker


def test_unlinked_feedback_preselects_no_client(qtbot, conn) -> None:
    clients.add(conn, "Avery Dental")
    clients.add(conn, "Zephyr Studio")  # alphabetically last: it must not be chosen behind the user's back
    picker = ClientProjectPicker(conn, client_id=None, project_id=None)
    qtbot.addWidget(picker.client_combo)
    qtbot.addWidget(picker.project_combo)
    qtbot.waitUntil(lambda: not picker.loading)  # read off the GUI thread
    assert picker.client_combo.count() == 3
    assert picker.choice() == (None, None)
    assert picker.client_combo.currentText() == "— not linked —"


def test_linked_feedback_preselects_its_client_and_project(qtbot, conn) -> None:
    avery = clients.add(conn, "Avery Dental")
    clients.add(conn, "Zephyr Studio")
    booking = projects.add(conn, avery.id, "Booking widget")
    picker = ClientProjectPicker(conn, client_id=avery.id, project_id=booking.id)
    qtbot.addWidget(picker.client_combo)
    qtbot.addWidget(picker.project_combo)
    assert picker.loading and picker.choice() == (None, None)  # nothing chosen before the lists are in
    qtbot.waitUntil(lambda: not picker.loading)
    assert picker.choice() == (avery.id, booking.id)
