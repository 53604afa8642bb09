"""The `rapport` command. Headless subcommands never import QtWidgets, so they run on servers and in CI.

Subcommands live in `desktop/commands/`, one module per area, each with `register(subparsers)`.
"""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from pathlib import Path
from collections.abc import Sequence
from typing import NoReturn

from desktop import __version__, commands
from desktop.commands.common import CommandError
from desktop.shell.logs import setup_file_logging, setup_terminal_logging
from desktop.text import visible


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments get one clear line on stderr (and a pointer to --help), not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _options_parser() -> argparse.ArgumentParser:
    """`rapport`'s own options, without the commands."""
    parser = OneLineParser(prog="rapport", description="Reputation monitor for freelancers.")
    parser.add_argument("--version", action="version", version=f"rapport {__version__}")
    parser.add_argument("--db", metavar="PATH", help="the store to use (default: $RAPPORT_DB, else the user data dir)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens to stderr")
    parser.add_argument("--minimized", action="store_true", help="start in the tray (used by start at login)")
    parser.add_argument("--demo-if-new", action="store_true",
                        help="open the demo instead when nothing is configured yet (the README's run command)")
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _options_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if info.name != "common":
            importlib.import_module(f"desktop.commands.{info.name}").register(sub)
    return parser


def _window_args(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The arguments of `rapport` with options only (the window), read without importing every command's module
    and building its parser (part of the start-up the first paint waits for); None when a command or --help is
    asked for, which the whole parser reads."""
    words = list(sys.argv[1:] if argv is None else argv)
    if any(word in ("-h", "--help") or word.startswith("--h") for word in words):
        return None
    args, rest = _options_parser().parse_known_args(words)
    if rest:
        return None
    args.command = None
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _window_args(argv) or build_parser().parse_args(argv)
    setup_terminal_logging(args.verbose)
    setup_file_logging(lazy=True)  # tracebacks go here, never to the terminal
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

    try:
        target = paths.db_target(db)
        if isinstance(target, Path) and not target.exists():
            return True
        conn = connect(target, read_only=True)
    except StoreError:
        return False  # let the app say what is wrong with it
    try:
        return not has_user_data(conn)
    finally:
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
