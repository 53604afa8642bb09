"""Where log records go: the log file (in the user log dir, rotated, so a user can send it with a bug report)
gets everything from INFO up; the terminal stays quiet unless something needs the user (or --verbose)."""
from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from desktop import paths
from scrapers.redact import RedactingFormatter, redact

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
    # Redacting: a token in an address (a review link, a redirect target) never reaches the file.
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"))
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    return path


class OneLineFormatter(RedactingFormatter):
    """A record as one line for a terminal: an exception's type and message, never its traceback (the log
    file has it), with control characters escaped (a logged URL or review may carry ESC sequences)."""

    def format(self, record: logging.LogRecord) -> str:
        from desktop.text import visible

        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            message = f"{message} ({type(exc).__name__}: {exc})"
        return visible(redact(f"rapport: {record.levelname.lower()}: {' '.join(message.split())}"))


class _QuietLibraries(logging.Filter):
    """Keeps libraries' chatter (urllib3's "Retrying ..." warnings) off the terminal: Rapport reports what
    failed in its own words, and the log file keeps the details."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.name.split(".")[0] in ("desktop", "scrapers", "__main__") or record.levelno >= logging.ERROR


_terminal: logging.Handler | None = None


def setup_terminal_logging(verbose: bool = False) -> logging.Handler:
    """One stderr handler, one line a record: INFO and up with --verbose; else only Rapport's own warnings and
    errors. Python warnings (a parser library's XMLParsedAsHTMLWarning) become log records too, so they reach
    the log file and stay off the terminal."""
    global _terminal
    root = logging.getLogger()
    if _terminal is not None:
        root.removeHandler(_terminal)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter())
    handler.setLevel(logging.INFO if verbose else logging.WARNING)
    if not verbose:
        handler.addFilter(_QuietLibraries())
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > handler.level:
        root.setLevel(handler.level)
    _terminal = handler
    logging.captureWarnings(True)
    return handler


def quiet_terminal_for_gui() -> None:
    """A window is the app's voice: the terminal that started it only hears about errors (unless --verbose)."""
    if _terminal is not None and _terminal.level > logging.INFO:
        _terminal.setLevel(logging.ERROR)
