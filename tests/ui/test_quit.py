"""Quit ends the process, tray or not: Qt 6's quit() closes every window first, and a close-to-tray window
must let that close through (run in a child process, with a real event loop, as a user's app runs)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import textwrap
from pathlib import Path

import pytest

from desktop import paths

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


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_demo_removes_its_store_when_ended_by_a_signal(tmp_path: Path, signum: int) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen([sys.executable, "-m", "desktop", "demo", "--demo-delay", "600"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           cwd=Path(__file__).parents[2])
    try:
        pause = threading.Event()
        log = paths.log_dir() / "rapport.log"
        # Wait (bounded) until the app says in its log that it runs on the demo's temporary store.
        for _ in range(600):
            if (log.is_file() and "started on " + str(temp) in log.read_text(encoding="utf-8")) or app.poll() is not None:
                break
            pause.wait(0.1)
        assert list(temp.glob("rapport-demo-*/demo.sqlite3")), app.communicate(timeout=10)
        app.send_signal(signum)
        out, err = app.communicate(timeout=30)
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    assert app.returncode == 0, err
    assert list(temp.glob("rapport-demo-*")) == []
    assert "INFO" not in err  # the terminal stays quiet; the log file has the details
