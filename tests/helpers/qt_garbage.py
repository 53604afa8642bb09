"""After a Qt test: free what it left in reference cycles now, at a quiet moment on the GUI thread, and name any live
Qt object the garbage collector would have deleted.

Why: a Python-owned QObject held only by a reference cycle (a test's `Scheduler`, `EventBus` or `RapportApp`, kept
by a closed page's bound methods) is deleted whenever the collector next runs: in a later test, on whatever thread
allocates then, in the middle of that test's work. Its C++ side goes with its children (thread pools, readers,
writers), whose `destroyed` callbacks then run Python inside the collection. The suite died of it: "Fatal Python
error: Segmentation fault ... Garbage-collecting" on the GUI thread in tests/ui/test_sources_page.py, while that
test's writer ran (CI, 2 Dec; 1 run in 2-4 of that file with more cycles). A test deletes what it made
(`delete_now`, the app's `tear_down`); this check fails the one that does not, and the collection after it frees
the rest here, where no thread of the test runs any more.
"""
from __future__ import annotations

import gc
import sys

__all__ = ["LeftForTheCollector", "collect_after_qt_test", "delete_now"]


class LeftForTheCollector(AssertionError):
    """A test left live, Python-owned Qt objects in reference cycles (see the module docstring)."""


def delete_now(*objects: object) -> None:
    """desktop.shell.writer.delete_now, imported when called: this module is loaded for every test, Qt or not."""
    from desktop.shell.writer import delete_now as now

    now(*objects)  # type: ignore[arg-type]


def collect_after_qt_test() -> list[str]:
    """Collect the cycles a test left; the class names of live Python-owned QObjects among them (deleted here)."""
    qt_core = sys.modules.get("PySide6.QtCore")
    if qt_core is None or qt_core.QCoreApplication.instance() is None:
        return []
    from shiboken6 import isValid, ownedByPython

    qt_core.QCoreApplication.sendPostedEvents(None, qt_core.QEvent.Type.DeferredDelete)  # pytest-qt's deleteLater
    gc.unfreeze()  # what an app froze after its first paint (desktop/shell/app.py) is the test's leftovers too
    gc.set_debug(gc.DEBUG_SAVEALL)  # keep what the collection finds, to look at it first
    try:
        gc.collect()
        live = [thing for thing in gc.garbage
                if isinstance(thing, qt_core.QObject) and isValid(thing) and ownedByPython(thing)]
        left = sorted({_named(thing) for thing in live})
        del live  # or they outlive the collection below
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    gc.collect()  # and free it, here
    return left


def _named(thing: object) -> str:
    """The class, and for a job's signals the job's own words ("reading the store (rows)")."""
    name = type(thing).__name__
    whats = [held["what"] for held in gc.get_referrers(thing)
             if isinstance(held, dict) and held.get("signals") is thing and "what" in held]  # a Job's __dict__
    return f"{name} of {whats[0]!r}" if whats else name
