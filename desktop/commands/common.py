"""What every subcommand shares: opening the store and turning known failures into one clear line."""
from __future__ import annotations

import argparse
import contextlib
import json
import math
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from desktop.records import validation

T = TypeVar("T")


class CommandError(Exception):
    """A user-facing failure: printed as one line on stderr, exit code non-zero, nothing changed."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def store_target(args: argparse.Namespace) -> Path | str:
    """Where the store is (--db, RAPPORT_DB, Settings > Team, the default), a saved team setting that cannot be
    read said as a CommandError."""
    from desktop import paths
    from desktop.store import StoreError

    try:
        return paths.db_target(args.db)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc


@contextlib.contextmanager
def store(args: argparse.Namespace) -> Iterator[sqlite3.Connection]:
    """The store named by --db / RAPPORT_DB / the default, with store errors made into CommandErrors.

    A person is waiting at the terminal, so a write waits out another Rapport's lock for longer than the app's
    background work does; busy, full and read-only stores are said in words (desktop.store.db).
    """
    from desktop.store import StoreError, open_store, typed_errors
    from desktop.store.db import INTERACTIVE_BUSY_TIMEOUT_MS

    try:
        conn = open_store(args.db, busy_timeout_ms=INTERACTIVE_BUSY_TIMEOUT_MS)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    try:
        with typed_errors():
            yield conn
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        conn.close()


def print_row(*fields: object) -> None:
    """One line of terminal output: fields joined by tabs, each on one line with control characters escaped."""
    from desktop.text import cell

    sys.stdout.write("\t".join(cell(f) for f in fields) + "\n")


def say(text: str, *, file: Any = None) -> None:
    """A sentence for the terminal that may quote scraped or typed text: control characters escaped."""
    from desktop.text import visible

    print(visible(text), file=file or sys.stdout, flush=True)


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def number_arg(what: str, low: float | None = None, high: float | None = None) -> Callable[[str], float]:
    """An argparse type for a number in a range: bad input is refused before the store is touched."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, not {text!r}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{what} must be a number, not {text!r}")
        if low is not None and high is not None and not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be from {low:g} to {high:g}, got {text}")
        if low is not None and value < low:
            raise argparse.ArgumentTypeError(f"{what} cannot be negative" if low == 0 else
                                             f"{what} must be at least {low:g}, got {text}")
        return value

    return parse


rating_arg = number_arg("rating", 1, 5)


def checked_arg(check: Callable[..., T], *extra: Any) -> Callable[[str], T]:
    """An argparse type from one of the shared checks (desktop.records.validation): the same rule as the
    dialogs, and its own words on the error line (never argparse's "invalid <function> value")."""
    def parse(text: str) -> T:
        try:
            return check(text, *extra)
        except validation.Invalid as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = check.__name__
    return parse


def id_arg(what: str) -> Callable[[str], int]:
    return checked_arg(validation.record_id, what)


limit_arg = checked_arg(validation.count, "--limit")
