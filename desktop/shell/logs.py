"""The app's log file: in the user log dir, rotated, so a user can send it with a bug report."""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from desktop import paths

MAX_BYTES = 1_000_000
BACKUPS = 3


class _LazyFileHandler(logging.handlers.RotatingFileHandler):
    """Creates the log folder and file only when there is something to write (a quiet command leaves none)."""

    def _open(self):  # noqa: ANN202 - the base class's file object
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def setup_file_logging(level: int = logging.INFO, *, lazy: bool = False) -> Path:
    """Log to rapport.log (rotating at 1 MB, 3 kept). Returns the file's path.

    `lazy`: open the file on the first record, not now (the command line, where most runs log nothing).
    """
    path = paths.log_dir() / "rapport.log"
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _LazyFileHandler)]:
        root.removeHandler(old)  # set up twice in one process (the CLI, then the app): one log file, not two
        old.close()
    if not lazy:
        path.parent.mkdir(parents=True, exist_ok=True)
    handler = _LazyFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=lazy)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"))
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    return path
