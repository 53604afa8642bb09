"""The `rapport` command. Headless subcommands never import QtWidgets, so they run on servers and in CI.

Subcommands live in `desktop/commands/`, one module per area, each with `register(subparsers)`.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
from collections.abc import Sequence
from typing import NoReturn

from desktop import __version__, commands
from desktop.commands.common import CommandError
from desktop.text import visible


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments get one clear line on stderr (and a pointer to --help), not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


class OneLineFormatter(logging.Formatter):
    """A log record as one line for a terminal: the exception's type and message, never its traceback
    (which goes to the log file), with control characters escaped."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            message = f"{message} ({type(exc).__name__}: {exc})"
        return visible(f"rapport: {record.levelname.lower()}: {' '.join(message.split())}")


def _not_a_warning_category(record: logging.LogRecord) -> bool:
    # Library warnings (a parser's XMLParsedAsHTMLWarning) are for the log file, not for the person at the prompt.
    return record.name != "py.warnings"


def _log_to_terminal(*, verbose: bool) -> None:
    """Warnings and failures as one line each on stderr (everything with -v); full records to the log file."""
    from desktop.shell.logs import setup_file_logging

    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "rapport_terminal", False):
            root.removeHandler(handler)
    terminal = logging.StreamHandler(sys.stderr)
    terminal.rapport_terminal = True  # type: ignore[attr-defined]
    terminal.setLevel(logging.INFO if verbose else logging.WARNING)
    terminal.setFormatter(OneLineFormatter())
    if not verbose:
        terminal.addFilter(_not_a_warning_category)
    root.addHandler(terminal)
    setup_file_logging(lazy=True)
    logging.captureWarnings(True)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="rapport", description="Reputation monitor for freelancers.")
    parser.add_argument("--version", action="version", version=f"rapport {__version__}")
    parser.add_argument("--db", metavar="PATH", help="the store to use (default: $RAPPORT_DB, else the user data dir)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens to stderr")
    parser.add_argument("--minimized", action="store_true", help="start in the tray (used by start at login)")
    parser.add_argument("--demo-if-new", action="store_true",
                        help="open the demo instead when nothing is configured yet (the README's run command)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if info.name != "common":
            importlib.import_module(f"desktop.commands.{info.name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _log_to_terminal(verbose=args.verbose)
    func = getattr(args, "func", None)
    try:
        if func is None:
            if args.demo_if_new and _nothing_configured(args.db):
                from desktop.commands.demo import run as run_demo

                print("Nothing is configured yet: starting the demo. Run `rapport` to use your own store.")
                return run_demo(args)
            from desktop.shell.app import run_app  # the GUI, only when asked for

            return run_app(args)
        return int(func(args) or 0)
    except CommandError as exc:
        print(f"rapport: {visible(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `rapport parse ... | head`: the reader left; not an error worth a traceback. Point stdout at
        # devnull so the interpreter's final flush does not fail again (Python docs, "Note on SIGPIPE").
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _nothing_configured(db: str | None) -> bool:
    """No store yet, or one with no sources, clients or feedback of the user's."""
    from desktop import paths
    from desktop.store import StoreError, connect
    from desktop.store.usage import has_user_data

    path = paths.db_path(db)
    if not path.exists():
        return True
    try:
        conn = connect(path, read_only=True)
    except StoreError:
        return False  # let the app say what is wrong with it
    try:
        return not has_user_data(conn)
    finally:
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
