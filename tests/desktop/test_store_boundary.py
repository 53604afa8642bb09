"""The store is plain data and SQL: opening it never loads the scorer (VADER's lexicon) or Qt."""
from __future__ import annotations

import subprocess
import sys

CODE = """
import importlib, pkgutil, sys
import desktop.store as store
for module in pkgutil.iter_modules(store.__path__):
    importlib.import_module("desktop.store." + module.name)
loaded = [name for name in sys.modules if name.startswith(("vaderSentiment", "desktop.scoring", "PySide6"))]
print(",".join(sorted(loaded)) or "none")
"""


def test_importing_every_store_module_loads_neither_the_scorer_nor_qt() -> None:
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "none"
