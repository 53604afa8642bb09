"""The Qt binding itself: a build that mishandles references crashes the app at exit, after every test passed.

PySide6 6.12.0 dropped a reference to True/False on each Python emit of a Signal(bool); once True's count
reaches zero the interpreter aborts (on Python 3.12+ True is immortal and survives). Counting references
cannot show it on 3.12+, so this runs the crash itself: a fresh interpreter emits far more times than True
has references, then exits; a good binding exits 0.
"""
from __future__ import annotations

import os
import subprocess
import sys

EMITS = 200_000  # True has a few thousand references in a fresh interpreter with Qt loaded

PROGRAM = f"""
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Emitter(QObject):
    flag = Signal(bool)

app = QCoreApplication(sys.argv)
emitter = Emitter()
received = []
emitter.flag.connect(received.append)
before = sys.getrefcount(True)
for _ in range({EMITS}):
    emitter.flag.emit(True)
    emitter.flag.emit(False)
assert len(received) == {2 * EMITS}
print(before, flush=True)
del received
"""


def test_emitting_bool_signals_from_python_does_not_crash_the_interpreter() -> None:
    done = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[0]) < EMITS  # enough emits to free True, had each dropped a reference
