"""Stored feedback written out as CSV or JSON lines, in the columns import reads, so a file round-trips.

A CSV is UTF-8 with a header row. Text that a spreadsheet would run as a formula (starting with = + - @) gets
a leading ' (OWASP's advice against CSV injection: reviews are written by strangers), as does text that starts
with ' itself, so import takes exactly one ' off and every text comes back as it was.
The file is written beside its target and moved into place, so a failed export never leaves half a file.
"""
from __future__ import annotations

import csv
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from desktop.io.cells import guard_formula
from desktop.store import mentions
from desktop.store.mentions import Filter, StoredMention

__all__ = ["COLUMNS", "FORMATS", "ExportFailed", "export_mentions", "iter_mentions"]

FORMATS = ("csv", "json")
# The fields import reads, under their first alias; then what Rapport worked out, which import ignores.
COLUMNS = ("id", "date", "site", "author", "title", "text", "rating", "url", "language",
           "label", "sentiment", "linked_client", "linked_project")
PAGE = 1000


class ExportFailed(Exception):
    """The export cannot be written; the message is for the user and nothing was written."""


def iter_mentions(conn: sqlite3.Connection, flt: Filter = Filter()) -> Iterator[StoredMention]:
    """Every mention the filter selects, oldest first, a window at a time."""
    after = None
    while True:  # seek past the last row rather than OFFSET, which re-reads every row before it
        page, after = mentions.window(conn, flt, sort="when", descending=False, limit=PAGE, after=after)
        yield from page
        if len(page) < PAGE:
            return


def record(m: StoredMention) -> dict[str, object]:
    return {"id": m.external_id, "date": m.posted_at.isoformat() if m.posted_at else None, "site": m.site,
            "author": m.author, "title": m.title, "text": m.text, "rating": m.rating, "url": m.url,
            "language": m.language, "label": m.label, "sentiment": m.compound,
            "linked_client": m.client_name, "linked_project": m.project_title}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return guard_formula(str(value))


def write(out: TextIO, rows: Iterator[StoredMention], fmt: str) -> int:
    count = 0
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for m in rows:
            data = record(m)
            writer.writerow([_cell(data[c]) for c in COLUMNS])
            count += 1
    else:
        for m in rows:
            out.write(json.dumps(record(m), ensure_ascii=False) + "\n")
            count += 1
    return count


def export_mentions(conn: sqlite3.Connection, path: str | Path, *, fmt: str = "csv", flt: Filter = Filter(),
                    force: bool = False) -> int:
    """Write the mentions `flt` selects to `path` as CSV or JSON lines; return how many.

    Refuses to replace an existing file unless `force`.
    """
    if fmt not in FORMATS:
        raise ExportFailed(f"unknown format {fmt!r}: use {' or '.join(FORMATS)}")
    path = Path(path)
    if path.is_dir():
        raise ExportFailed(f"{path} is a folder: give a file name")
    if path.exists() and not force:
        raise ExportFailed(f"{path} already exists: use --force to overwrite it")
    if not path.parent.is_dir():
        raise ExportFailed(f"{path.parent} is not a folder")
    try:
        handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", dir=path.parent,
                                             prefix=f".{path.name}.", suffix=".tmp", delete=False)
    except OSError as exc:
        raise ExportFailed(f"cannot write in {path.parent}: {exc.strerror or exc}") from None
    try:
        with handle:
            count = write(handle, iter_mentions(conn, flt), fmt)
        os.replace(handle.name, path)
    except OSError as exc:
        Path(handle.name).unlink(missing_ok=True)
        raise ExportFailed(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return count
