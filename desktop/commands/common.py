"""What every subcommand shares: opening the store and turning known failures into one clear line."""
from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import sys
from collections.abc import Iterator
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


def rating_arg(text: str) -> float:
    """A star rating on 1-5, as argparse type: anything else is refused before the store is touched."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"rating must be a number from 1 to 5, got {text!r}") from None
    if not 1 <= value <= 5:
        raise argparse.ArgumentTypeError(f"rating must be from 1 to 5, got {text}")
    return value


def one_line(text: str, width: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"
