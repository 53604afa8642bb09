"""StoreWriter: a widget that goes while its writes are on their way does not make the GUI thread wait for them,
and the writes still land (or their failure is still said)."""
from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop.shell import writer as writer_module
from desktop.shell.writer import StoreWriter, unheard_failures
from desktop.store import StoreError
from desktop.store import settings as settings_store

RELEASE_WAIT_S = 20  # bounds a write held by the test if the GUI thread (wrongly) waited for it


def closed_dialog_with_a_held_write(qtbot, conn, work) -> tuple[threading.Event, list[str]]:  # noqa: ANN001
    """A dialog whose writer runs `work(conn)` once the test releases it, closed (and deleted) meanwhile."""
    release = threading.Event()
    dialog = QDialog()
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    writer = StoreWriter(conn, dialog)
    gone: list[str] = []
    dialog.destroyed.connect(lambda: gone.append("dialog"))

    def held(write_conn):  # noqa: ANN001, ANN202
        release.wait(RELEASE_WAIT_S)
        return work(write_conn)

    writer.write(held, what="save the form")
    dialog.show()
    dialog.close()
    qtbot.waitUntil(lambda: gone == ["dialog"])
    return release, gone


def test_closing_a_dialog_with_a_write_on_its_way_does_not_wait_and_the_write_lands(qtbot, conn) -> None:
    landed = threading.Event()

    def write(write_conn):  # noqa: ANN001, ANN202
        settings_store.put(write_conn, my_names=["Maya"])
        landed.set()

    release, _gone = closed_dialog_with_a_held_write(qtbot, conn, write)
    assert not landed.is_set()  # the dialog went while its write was still held: nobody waited for it
    release.set()
    qtbot.waitUntil(landed.is_set)
    qtbot.waitUntil(lambda: not writer_module._draining)  # its connection closed after the last write
    assert settings_store.all_settings(conn)["my_names"] == ["Maya"]


def test_a_failed_write_of_a_closed_dialog_still_reaches_the_user(qtbot, conn) -> None:
    def refused(_conn):  # noqa: ANN001, ANN202
        raise StoreError("the team database refused this to your role")

    heard: list[tuple[str, BaseException]] = []
    unheard_failures().failed.connect(lambda what, exc: heard.append((what, exc)))
    release, _gone = closed_dialog_with_a_held_write(qtbot, conn, refused)
    release.set()
    qtbot.waitUntil(lambda: bool(heard))
    [(what, exc)] = heard
    assert what == "save the form" and "refused this to your role" in str(exc)
    qtbot.waitUntil(lambda: not writer_module._draining)
