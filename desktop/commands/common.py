"""What every subcommand shares: opening the store and turning known failures into one clear line."""
from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from typing import Any


class CommandError(Exception):
    """A user-facing failure: printed as one line on stderr, exit code non-zero, nothing changed."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@contextlib.contextmanager
def store(args: argparse.Namespace) -> Iterator[sqlite3.Connection]:
    """The store named by --db / RAPPORT_DB / the default, with store errors made into CommandErrors."""
    from desktop.store import StoreError, open_store

    try:
        conn = open_store(args.db)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    try:
        yield conn
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        conn.close()


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def number_arg(what: str, low: float | None = None, high: float | None = None) -> Callable[[str], float]:
    """An argparse type for a number in a range: bad input is refused before the store is touched."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, got {text!r}") from None
        if low is not None and high is not None and not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be from {low:g} to {high:g}, got {text}")
        if low is not None and value < low:
            raise argparse.ArgumentTypeError(f"{what} cannot be negative" if low == 0 else
                                             f"{what} must be at least {low:g}, got {text}")
        return value

    return parse


rating_arg = number_arg("rating", 1, 5)
