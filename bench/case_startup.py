"""`rapport` to its first painted window on the 100,000-mention store, against a bare QMainWindow.

Both are fresh processes of the same Python, timed from launch until they report their first paint on
stderr (`RAPPORT_TRACE_STARTUP=1` for Rapport), then stopped; they alternate run by run (target: at most
3x the bare window).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.common import ROOT, copy_of, interleaved, row, setup, store_100k

TARGET = 3.0
ROUNDS = 7

_BARE = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
class Watch(QObject):
    def eventFilter(self, obj, event):
        if obj is window and event.type() == QEvent.Type.Paint:
            print("first paint", file=sys.stderr, flush=True)
        return False
watch = Watch()
window.installEventFilter(watch)
window.show()
app.exec()
"""


def _until_first_paint(args: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)
    killer = threading.Timer(120, proc.kill)
    killer.start()
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if "first paint" in line:
                elapsed = time.perf_counter() - t0
                break
        else:
            raise RuntimeError(f"{args[:3]} exited without painting (exit {proc.wait()})")
    finally:
        killer.cancel()
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return elapsed


def main() -> dict[str, object]:
    setup()
    with tempfile.TemporaryDirectory() as tmp:
        db = copy_of(store_100k(), Path(tmp))
        # Compiled bytecode cached as an installed Rapport has it (this machine's environment may say not to).
        inherited = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env = {**inherited, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               "RAPPORT_HOME": str(Path(tmp) / "home"), "RAPPORT_TRACE_STARTUP": "1", "PYTHONPATH": str(ROOT)}
        rapport = [sys.executable, "-m", "desktop", "--db", str(db)]
        bare = [sys.executable, "-c", _BARE]
        base, cand, ratio = interleaved(lambda: _until_first_paint(bare, env), lambda: _until_first_paint(rapport, env),
                                        rounds=ROUNDS, warmup=1, self_timed=True)
    print(f"  first paint: bare QMainWindow {base:.2f} s, rapport {cand:.2f} s, ratio {ratio:.2f}", flush=True)
    return row("rapport to first painted window, 100k store", baseline="bare QMainWindow", baseline_s=base,
               candidate_s=cand, target=TARGET, value=ratio)


if __name__ == "__main__":
    main()
