"""What a test's teardown does before pytest-qt closes its windows: a main window closes as when quitting.

Why: pytest-qt's teardown closes every widget a test registered, before the fixtures' own teardown runs. A main
window left visible on Settings with unsaved edits (a test that failed, or was interrupted, between typing an
address and its save landing) then asks "Unsaved settings: save them now?" in a modal box that nobody answers
offscreen, and the run hangs there instead of reporting the failure (seen under load in
tests/ui/test_store_switch.py, whose first switch timed out). The question is the window's, tested on purpose in
tests/ui/test_settings_page.py; a test that is over quits, and quitting never asks.
"""
from __future__ import annotations

import sys

__all__ = ["let_main_windows_close"]


def let_main_windows_close() -> int:
    """Mark every open main window as quitting (Qt is imported only if the test used it); how many were."""
    main_window = sys.modules.get("desktop.ui.main_window")
    if main_window is None:
        return 0
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return 0
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, main_window.MainWindow)]
    for window in windows:
        window.quitting = True
    return len(windows)
