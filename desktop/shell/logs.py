"""The app's log file: in the user log dir, rotated, so a user can send it with a bug report."""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from desktop import paths

MAX_BYTES = 1_000_000
BACKUPS = 3


def setup_file_logging(level: int = logging.INFO) -> Path:
    """Log to rapport.log (rotating at 1 MB, 3 kept). Returns the file's path."""
    directory = paths.log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "rapport.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    return path
