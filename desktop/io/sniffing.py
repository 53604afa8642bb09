"""A file's text as records: JSON or CSV (its delimiter detected), and which column holds which field.

Bad rows become RowProblems here already (a broken JSON line, a row whose cells would shift); a file with no
feedback column, or more rows than Rapport imports, fails as a whole.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from desktop.io.cells import json_kind, unguard_formula
from desktop.io.decoding import MAX_BYTES
from desktop.io.problems import ImportFailed, RowProblem

__all__ = ["ALIASES", "MAX_ROWS", "Record", "Records", "read_records"]

MAX_ROWS = 100_000
# Column names a person (or a tool) is likely to use, per Mention field; matched case-insensitively,
# with "_" and "-" read as spaces. The first column that matches a field wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "review", "comment", "comments", "feedback", "body", "review text", "message", "content"),
    "rating": ("rating", "stars", "score", "star rating"),
    "date": ("date", "posted", "posted at", "created", "created at", "date posted", "review date"),
    "author": ("author", "client", "name", "reviewer", "client name", "buyer", "customer"),
    "url": ("url", "link", "review url"),
    "id": ("id", "review id", "external id"),
    # Upwork and Fiverr show each review under its job's title, which is what people put in a "Project" column.
    "title": ("title", "headline", "project", "job", "job title", "project title", "subject"),
    "site": ("site", "platform", "marketplace"),
    "language": ("language", "lang"),
}
_FIELD_OF = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
# What Rapport's own export adds (worked out, not given): ignored without a note, so a round trip reads clean.
_DERIVED = {"label", "sentiment", "linked client", "linked project"}
# Integers longer than this stay text (Python refuses to convert over 4,300 digits): a 4,401-digit id is an id.
_LONGEST_INT = 1000

Record = tuple[int, dict[str, object]]  # row number, field -> raw value
Records = tuple[str, list[Record], dict[str, str]]  # format, records, field -> the file's column name


def read_records(text: str, path: Path, problems: list[RowProblem], notes: list[str]) -> Records:
    """The file's rows, as JSON (by extension or first character) or CSV."""
    if path.suffix.lower() in (".json", ".jsonl", ".ndjson") or text.lstrip()[:1] in ("[", "{"):
        return _json_records(text, problems, notes)
    return ("csv", *_csv_records(text, path, problems, notes))


def _header_key(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").replace("_", " ").replace("-", " ").casefold().split())


def _map_columns(names: Iterable[str]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """field -> position and field -> column name as written (the first match wins), and the unused names."""
    index: dict[str, int] = {}
    columns: dict[str, str] = {}
    unused: list[str] = []
    for position, name in enumerate(names):
        fld = _FIELD_OF.get(_header_key(name))
        if fld is not None and fld not in columns:
            index[fld] = position
            columns[fld] = name.replace("\ufeff", "").strip()
        elif name.strip() and _header_key(name) not in _DERIVED:
            unused.append(name.strip())
    return index, columns, unused


# -- CSV ----------------------------------------------------------------------------------------------------
def _csv_records(text: str, path: Path, problems: list[RowProblem],
                 notes: list[str]) -> tuple[list[Record], dict[str, str]]:
    # A review can be long (an export writes what it stores): allow any cell the file size allows.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as exc:
        raise ImportFailed(f"{path}: the first row cannot be read as CSV ({exc or 'no rows'})") from None
    index, columns, unused = _map_columns(header)
    if "text" not in columns:
        found = ", ".join(h.strip() for h in header if h.strip())[:200] or "nothing"
        raise ImportFailed(f"{path} has no feedback column: its first row must name the columns, with one called "
                           f"text, review, comment or feedback (found: {found})")
    if unused:
        notes.append(f"columns not imported: {', '.join(unused)}")
    records: list[Record] = []
    row = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row += 1
            problems.append(RowProblem(row, "", f"cannot be read as CSV ({exc})"))
            continue
        row += 1
        if not any(c.strip() for c in cells):
            continue  # blank lines and the ",,,," rows spreadsheets leave at the end
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            # Read on, the cells would shift under the wrong columns: a text with an unquoted delimiter.
            problems.append(RowProblem(row, "", f"has {len(cells)} cells but the first row names {len(header)}: "
                                                f"a cell holding {_delimiter_name(delimiter)} must be in quotes"))
            continue
        if len(records) >= MAX_ROWS:
            raise ImportFailed(f"{path} has more than {MAX_ROWS:,} rows: split it into smaller files")
        records.append((row, {fld: unguard_formula(cells[i]) if i < len(cells) else "" for fld, i in index.items()}))
    return records, columns


def _delimiter(text: str) -> str:
    """The sniffer's delimiter, unless another one makes more of the header into known columns (the sniffer
    counts characters and can be fooled by punctuation in reviews)."""
    try:
        sniffed = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|").delimiter
    except csv.Error:
        sniffed = ","
    best, best_known = sniffed, -1
    for delimiter in (sniffed, ",", ";", "\t", "|"):
        try:
            header = next(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter), [])
        except csv.Error:
            continue
        known = len(_map_columns(header)[0])
        if known > best_known:
            best, best_known = delimiter, known
    return best


def _delimiter_name(delimiter: str) -> str:
    return {",": "a comma", ";": "a semicolon", "\t": "a tab", "|": "a |"}.get(delimiter, repr(delimiter))


# -- JSON ---------------------------------------------------------------------------------------------------
def _loads(text: str) -> Any:
    """json.loads, with integers too long for Python kept as their digits (text) instead of failing."""
    return json.loads(text, parse_int=lambda digits: int(digits) if len(digits) <= _LONGEST_INT else digits)


def _json_records(text: str, problems: list[RowProblem], notes: list[str]) -> Records:
    items: list[tuple[int, object]]
    fmt = "json"
    try:
        data = _loads(text)
    except RecursionError:
        raise ImportFailed("not valid JSON: nested deeper than any feedback file is") from None
    except json.JSONDecodeError as exc:
        if text.lstrip().startswith("["):
            raise ImportFailed(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        data = None
        fmt = "jsonl"
    if fmt == "jsonl":
        items = []
        for lineno, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                items.append((lineno, _loads(line)))
            except json.JSONDecodeError as exc:
                problems.append(RowProblem(lineno, "", f"not valid JSON ({exc.msg}, column {exc.colno})"))
            except RecursionError:
                problems.append(RowProblem(lineno, "", "not valid JSON (nested too deeply)"))
    elif isinstance(data, list):
        items = list(enumerate(data, start=1))
    elif isinstance(data, dict):
        # {"reviews": [...]}: an export wrapping its list in an object.
        lists = [v for v in data.values() if isinstance(v, list) and v and all(isinstance(i, dict) for i in v)]
        items = list(enumerate(lists[0], start=1)) if len(lists) == 1 else [(1, data)]
    else:
        raise ImportFailed("the JSON holds no feedback: expected a list of objects, or one object a line")
    if len(items) > MAX_ROWS:
        raise ImportFailed(f"the file has more than {MAX_ROWS:,} items: split it into smaller files")
    records: list[Record] = []
    columns: dict[str, str] = {}
    unused: set[str] = set()
    for row, item in items:
        if not isinstance(item, dict):
            problems.append(RowProblem(row, "", f"expected an object with a text field, got {json_kind(item)}"))
            continue
        keys = list(item)
        positions, mapped, extra = _map_columns(str(k) for k in keys)
        unused.update(extra)
        for fld, name in mapped.items():
            columns.setdefault(fld, name)
        records.append((row, {fld: item[keys[i]] for fld, i in positions.items()}))
    if unused:
        notes.append(f"fields not imported: {', '.join(sorted(unused))}")
    if records and "text" not in columns:
        raise ImportFailed("no item has a feedback field: name it text, review, comment or feedback")
    return fmt, records, columns
