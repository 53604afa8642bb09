"""A single-user start-up does not load the team database's driver: psycopg costs ~0.25 s before the first paint."""
from __future__ import annotations

import subprocess
import sys


def test_the_window_modules_do_not_import_psycopg() -> None:
    code = ("import sys; import desktop.shell.app, desktop.shell.store_switch, desktop.ui.main_window; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'psycopg'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
