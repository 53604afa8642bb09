"""Quit ends the process, tray or not: Qt 6's quit() closes every window first, and a close-to-tray window
must let that close through (run in a child process, with a real event loop, as a user's app runs)."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from desktop.shell.app import QUIT_WAIT_MS, RapportApp, qt_application
    from desktop.store import connect

    app = qt_application()
    db = Path(sys.argv[1])
    conn = connect(db)
    rapport = RapportApp(conn, db, use_tray=True)
    app.aboutToQuit.connect(lambda: rapport.shutdown(QUIT_WAIT_MS))
    app.setQuitOnLastWindowClosed(False)
    rapport.start()
    how = sys.argv[2]
    trigger = rapport.window.quit_action.trigger if how == "menu" else rapport.tray.quit_requested.emit
    QTimer.singleShot(0, trigger)
    code = app.exec()
    print("quit", code, rapport.window.isVisible())
""")


@pytest.mark.parametrize("how", ["menu", "tray"])
def test_quit_ends_the_process_with_a_tray(tmp_path: Path, how: str) -> None:
    env_python = sys.executable
    done = subprocess.run([env_python, "-c", SCRIPT, str(tmp_path / "store.sqlite3"), how],
                          capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "quit 0 False"
