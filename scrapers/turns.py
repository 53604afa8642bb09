"""One poll at a time does its Python-heavy work (parsing a page, scoring and storing what it held).

Polls run in threads of the app's one process, and CPython runs one thread's Python at a time, so parsing
or scoring in several threads at once is no faster than one after another. What it does do is make the
GUI thread wait: every repaint of a table calls into Python a few hundred times (the model's data()), and
each call queues for the interpreter behind every busy thread. Measured on a 2-core machine, a table's
repaint took ~60 ms beside one busy thread and ~360 ms beside four. Network waits stay parallel: only the
work after a page has arrived takes a turn.
"""
from __future__ import annotations

import threading

# Re-entrant: a parser that (through a helper) asks for a turn while its poll holds one must not deadlock.
_TURN = threading.RLock()


def cpu_turn() -> threading.RLock:
    """`with cpu_turn():` around Python-heavy work in a poll thread. Never hold it while waiting on the network,
    and never ask for it inside a store transaction (a poll holding the turn may be waiting for that
    transaction's write lock)."""
    return _TURN
