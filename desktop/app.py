"""QApplication start-up: the store and the main window (scheduler, notifier and tray come later)."""
from __future__ import annotations

import argparse
import logging
import sys

log = logging.getLogger(__name__)


def run_app(args: argparse.Namespace) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.store import StoreError, open_store
    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Rapport")
    app.setOrganizationName("Rapport")
    try:
        conn = open_store(getattr(args, "db", None))
    except StoreError as exc:
        log.error("cannot open the store: %s", exc)
        print(f"rapport: {exc}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Critical, "Rapport cannot start", str(exc), QMessageBox.StandardButton.Ok)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        return 2
    try:
        window = MainWindow(conn)
        window.show()
        return app.exec()
    finally:
        conn.close()
