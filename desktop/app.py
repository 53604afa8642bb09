"""QApplication start-up: the store, the main window, and (later) scheduler, notifier and tray."""
from __future__ import annotations

import argparse
import sys


def run_app(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from desktop.store import open_store

    conn = open_store(args.db)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Rapport")
    window = QMainWindow()
    window.setWindowTitle("Rapport")
    window.setCentralWidget(QLabel("Rapport"))
    window.resize(1280, 800)
    window.show()
    try:
        return app.exec()
    finally:
        conn.close()
