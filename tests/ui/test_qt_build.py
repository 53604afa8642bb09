"""The Qt binding itself: a build that mishandles references crashes the app at exit, after every test passed."""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    flag = Signal(bool)


def test_emitting_a_bool_signal_keeps_the_reference_count() -> None:
    """PySide6 6.12.0 dropped a reference to True/False on each Python emit of a Signal(bool)."""
    emitter = Emitter()
    received: list[bool] = []
    emitter.flag.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(50):
        emitter.flag.emit(True)
    assert received == [True] * 50
    assert sys.getrefcount(True) - before >= 0
