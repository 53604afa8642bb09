"""Feedback a freelancer copied into a spreadsheet (or exported from a tool), read into Mentions.

Sites like Upwork and Fiverr block scrapers, so import is how their reviews get in. A file is read in two
steps: `read_file` turns it into an `ImportPreview` (good rows as Mentions, bad rows as `RowProblem`s with
the row number a spreadsheet shows and why), touching no store; `desktop.io.storing.import_preview` then stores
the good rows. Reading is one module per job: `decoding` (bytes to text), `sniffing` (rows and columns),
`cells` (a row to a Mention), `dates`, `ratings`.

Nothing here guesses silently: a date like 03/04/2024 is refused until the caller says whether days or
months come first (unless the file itself proves it, which is said in a note), and a rating of 8 is refused
rather than read as "8 out of 10".
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from desktop.io.cells import ImportedRow, imported_row
from desktop.io.dates import date_order
from desktop.io.decoding import read_text
from desktop.io.problems import CellError, ImportCancelled, ImportFailed, RowProblem
from desktop.io.sniffing import Record, read_records
from scrapers.base import Mention

__all__ = ["ImportCancelled", "ImportFailed", "ImportPreview", "ImportedRow", "RowProblem", "read_file"]

# Rows read between progress reports and cancel checks while a file is read for its preview.
READ_CHUNK = 1000


@dataclass(frozen=True)
class ImportPreview:
    """What a file holds, before anything is stored."""

    path: Path
    format: str  # "csv", "json" or "jsonl"
    rows: tuple[ImportedRow, ...]
    problems: tuple[RowProblem, ...]
    notes: tuple[str, ...] = ()
    columns: dict[str, str] = field(default_factory=dict)  # field -> the file's column name
    # Up to three dates that read differently day-first and month-first (e.g. "03/04/2024"), and how many.
    ambiguous_dates: tuple[str, ...] = ()
    ambiguous_count: int = 0
    dayfirst: bool | None = None  # the order used: the caller's, or the one the file proves
    site: str = ""  # for rows without a site column of their own

    @property
    def mentions(self) -> list[Mention]:
        return [r.mention for r in self.rows]

    @property
    def needs_date_order(self) -> bool:
        """True while some dates cannot be read without being told whether days or months come first."""
        return bool(self.ambiguous_dates) and self.dayfirst is None

    @property
    def date_question(self) -> str:
        example = self.ambiguous_dates[0] if self.ambiguous_dates else "03/04/2024"
        return (f"{self.ambiguous_count} date{'s' if self.ambiguous_count != 1 else ''} like {example} could be "
                "day/month/year or month/day/year: say which comes first")


def read_file(path: str | Path, *, site: str | None = None, dayfirst: bool | None = None,
              progress: Callable[[int, int], object] | None = None,
              cancelled: Callable[[], bool] | None = None) -> ImportPreview:
    """Read a CSV or JSON file into Mentions; bad rows become problems, never exceptions.

    `dayfirst` says how to read dates like 03/04/2024 (True: 3 April); None refuses them unless the file
    proves the order. `site` is where the feedback was posted, for rows without a site column.
    `progress(rows read, rows)` is called as rows are read; `cancelled()` is checked as often, and raises
    ImportCancelled when it says so (a background read the user stopped).
    Raises ImportFailed when the file as a whole cannot be read.
    """
    path = Path(path)
    text, notes = read_text(path)
    problems: list[RowProblem] = []
    fmt, records, columns = read_records(text, path, problems, notes)
    order = date_order([fields.get("date") for _, fields in records], dayfirst)
    if order.note:
        notes.append(order.note)
    rows = _rows(records, order.dayfirst, problems, notes, progress=progress, cancelled=cancelled)
    problems.sort(key=lambda p: p.row)
    return ImportPreview(path=path, format=fmt, rows=tuple(rows), problems=tuple(problems), notes=tuple(notes),
                         columns=columns, ambiguous_dates=order.examples, ambiguous_count=order.count,
                         dayfirst=order.dayfirst, site=(site or "").strip().lower())


def _rows(records: list[Record], dayfirst: bool | None, problems: list[RowProblem], notes: list[str], *,
          progress: Callable[[int, int], object] | None = None,
          cancelled: Callable[[], bool] | None = None) -> list[ImportedRow]:
    rows: list[ImportedRow] = []
    dropped_links = 0
    for done, (row, fields) in enumerate(records):
        if done % READ_CHUNK == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled("reading cancelled")
            if progress is not None:
                progress(done, len(records))
        try:
            imported = imported_row(row, fields, dayfirst)
        except CellError as exc:
            problems.append(RowProblem(row, exc.column, str(exc)))
            continue
        if fields.get("url") and not imported.mention.url:
            dropped_links += 1
        rows.append(imported)
    if dropped_links:
        notes.append(f"{dropped_links} link{'s' if dropped_links != 1 else ''} left out: not web addresses "
                     "(http or https)")
    return rows
