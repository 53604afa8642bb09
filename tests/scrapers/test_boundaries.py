"""scrapers/ stands on its own: no Qt and nothing from desktop/, so it can be used and tested without the app."""
from __future__ import annotations

import importlib.metadata
import subprocess
import sys

from scrapers.http import USER_AGENT

PROBE = """
import sys
import scrapers, scrapers.http, scrapers.deadline, scrapers.guard
scrapers.load_all()
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("desktop", "PySide6", "shiboken6"))
print(",".join(loaded))
"""


def test_importing_every_scraper_loads_nothing_from_desktop_or_qt() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_user_agent_carries_the_installed_version() -> None:
    assert USER_AGENT.startswith(f"Rapport/{importlib.metadata.version('rapport')} ")
