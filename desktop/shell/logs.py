"""Where log records go: the log file (in the user log dir, rotated, so a user can send it with a bug report)
gets everything from INFO up; the terminal stays quiet unless something needs the user (or --verbose)."""
from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from desktop import paths
from scrapers.redact import RedactingFormatter

MAX_BYTES = 1_000_000
BACKUPS = 3


def setup_file_logging(level: int = logging.INFO) -> Path:
    """Log to rapport.log (rotating at 1 MB, 3 kept). Returns the file's path."""
    directory = paths.log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "rapport.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    # Redacting: a token in an address (a review link, a redirect target) never reaches the file.
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    return path


class _QuietLibraries(logging.Filter):
    """Keeps libraries' chatter (urllib3's "Retrying ..." warnings) off the terminal: Rapport reports what
    failed in its own words, and the log file keeps the details."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.name.split(".")[0] in ("desktop", "scrapers", "__main__") or record.levelno >= logging.ERROR


_terminal: logging.Handler | None = None


def setup_terminal_logging(verbose: bool = False) -> logging.Handler:
    """One stderr handler: INFO and up with --verbose; else only Rapport's own warnings and errors."""
    global _terminal
    root = logging.getLogger()
    if _terminal is not None:
        root.removeHandler(_terminal)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO if verbose else logging.WARNING)
    if not verbose:
        handler.addFilter(_QuietLibraries())
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > handler.level:
        root.setLevel(handler.level)
    _terminal = handler
    return handler


def quiet_terminal_for_gui() -> None:
    """A window is the app's voice: the terminal that started it only hears about errors (unless --verbose)."""
    if _terminal is not None and _terminal.level > logging.INFO:
        _terminal.setLevel(logging.ERROR)
