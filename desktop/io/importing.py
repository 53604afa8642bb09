"""Feedback a freelancer copied into a spreadsheet (or exported from a tool) read into Mentions and stored.

Sites like Upwork and Fiverr block scrapers, so import is how their reviews get in. A file is read in two
steps: `read_file` turns it into an `ImportPreview` (good rows as Mentions, bad rows as `RowProblem`s with
the row number a spreadsheet shows and why), touching no store; `import_preview` then stores the good rows
through `desktop.records.ingest` on the built-in import source, in one transaction, so they are deduped, scored and
alerted like scraped feedback and re-importing a file adds nothing.

Nothing here guesses silently: a date like 03/04/2024 is refused until the caller says whether days or
months come first (unless the file itself proves it, which is said in a note), and a rating of 8 is refused
rather than read as "8 out of 10".
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from desktop.store.clock import Clock, utc_now
from scrapers.base import Mention

__all__ = ["ALIASES", "MAX_BYTES", "MAX_ROWS", "ImportCancelled", "ImportFailed", "ImportPreview", "ImportResult",
           "ImportedRow", "RowProblem", "import_file", "import_preview", "read_file"]

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# Rows stored per ingest call: between chunks the import reports progress and can be cancelled.
CHUNK = 500
# Rows read between progress reports and cancel checks while a file is read for its preview.
READ_CHUNK = 1000

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

_MONTHS = {name: n for n, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}
# Two-digit years are this century's: "3/4/24" is how a spreadsheet's short date format saves.
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})"
                           r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?", re.IGNORECASE)
_YEAR_FIRST = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{4})", re.IGNORECASE)
# "Mar 4, 2024 - Apr 18, 2024", as Upwork shows a contract: the review came at its end.
_RANGE = re.compile(r"\s+(?:[-–—]|to)\s+", re.IGNORECASE)
_RATING = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:(?:/|out of|of)\s*(\d+(?:[.,]\d+)?))?\s*(%)?\s*(?:stars?)?",
                     re.IGNORECASE)
# A spreadsheet runs a cell starting with one of these as a formula; export puts a ' before it (see exporting).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ImportFailed(Exception):
    """The file as a whole cannot be imported (missing, too big, no feedback column...). The message is for the user."""


class ImportCancelled(Exception):
    """The user cancelled a running import; its transaction was rolled back, so nothing was stored."""


@dataclass(frozen=True)
class RowProblem:
    """Why one row was skipped. `row` is what a spreadsheet shows (the header is row 1); for JSON it is the
    item's position in the list, or the line number in JSON lines."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass(frozen=True)
class ImportedRow:
    row: int
    mention: Mention
    site: str = ""  # from the file's site column; "" when it has none


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


@dataclass(frozen=True)
class ImportResult:
    added: int
    duplicates: int
    alerts: int
    problems: tuple[RowProblem, ...]
    mention_ids: tuple[int, ...] = ()  # the new mentions, in file order
    notes: tuple[str, ...] = ()
    dry_run: bool = False

    def summary(self) -> str:
        return (f"{self.added} added, {self.duplicates} already stored, {self.alerts} alerts; "
                f"{len(self.problems)} rows skipped")


class _Bad(ValueError):
    """One cell cannot be read; the message says why, in the user's terms."""


# -- reading the file ---------------------------------------------------------------------------------------
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
    text, notes = _read_text(path)
    problems: list[RowProblem] = []
    if _looks_like_json(path, text):
        fmt, records, columns = _json_records(text, problems, notes)
    else:
        fmt, records, columns = "csv", *_csv_records(text, path, problems, notes)
    preview = _preview(path, fmt, records, columns, problems, notes, dayfirst, progress=progress,
                       cancelled=cancelled)
    return dataclasses.replace(preview, site=(site or "").strip().lower())


def _read_text(path: Path) -> tuple[str, list[str]]:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ImportFailed(f"{path} is a folder, not a file")
        if size > MAX_BYTES:
            raise ImportFailed(f"{path} is {size / 1024 / 1024:.1f} MB; Rapport imports files up to "
                               f"{MAX_BYTES // 1024 // 1024} MB: split it into smaller files")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file") from None
    except OSError as exc:
        raise ImportFailed(f"{path} cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise ImportFailed(f"{path} is over {MAX_BYTES // 1024 // 1024} MB: split it into smaller files")
    if not data.strip():
        raise ImportFailed(f"{path} is empty")
    notes: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        try:
            return data.decode("utf-16"), notes
        except UnicodeDecodeError:
            raise ImportFailed(f"{path} says it is UTF-16 but is not valid UTF-16") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFailed(f"{path} is not a text file (neither UTF-8 nor Windows-1252)") from None
        notes.append("the file is not UTF-8: read it as Windows-1252 (cp1252); check accented letters")
    if "\x00" in text:
        raise ImportFailed(f"{path} is not a CSV or JSON text file")
    return text, notes


def _looks_like_json(path: Path, text: str) -> bool:
    if path.suffix.lower() in (".json", ".jsonl", ".ndjson"):
        return True
    return text.lstrip()[:1] in ("[", "{")


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


Record = tuple[int, dict[str, object]]  # row number, field -> raw value


def _csv_records(text: str, path: Path, problems: list[RowProblem],
                 notes: list[str]) -> tuple[list[Record], dict[str, str]]:
    try:
        sniffed = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|").delimiter
    except csv.Error:
        sniffed = ","
    # The sniffer reads character counts and can be fooled by punctuation in reviews: keep its choice unless
    # another delimiter makes more of the header into known columns.
    best, best_known = sniffed, -1
    for delimiter in (sniffed, ",", ";", "\t", "|"):
        try:
            header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        except csv.Error:
            continue
        known = len(_map_columns(header)[0])
        if known > best_known:
            best, best_known = delimiter, known
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=best)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise ImportFailed(f"{path}: the first row cannot be read as CSV ({exc})") from None
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
                                                f"a cell holding {_delimiter_name(best)} must be in quotes"))
            continue
        if len(records) >= MAX_ROWS:
            raise ImportFailed(f"{path} has more than {MAX_ROWS:,} rows: split it into smaller files")
        records.append((row, {fld: _unformula(cells[i]) if i < len(cells) else "" for fld, i in index.items()}))
    return records, columns


def _delimiter_name(delimiter: str) -> str:
    return {",": "a comma", ";": "a semicolon", "\t": "a tab", "|": "a |"}.get(delimiter, repr(delimiter))


def _unformula(cell: str) -> str:
    """Undo the ' that export (or a spreadsheet) puts before a cell that would read as a formula."""
    return cell[1:] if cell.startswith("'") and cell[1:2] and cell[1] in FORMULA_START else cell


def _json_records(text: str, problems: list[RowProblem],
                  notes: list[str]) -> tuple[str, list[Record], dict[str, str]]:
    items: list[tuple[int, object]]
    fmt = "json"
    try:
        data = json.loads(text)
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
                items.append((lineno, json.loads(line)))
            except json.JSONDecodeError as exc:
                problems.append(RowProblem(lineno, "", f"not valid JSON ({exc.msg}, column {exc.colno})"))
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
            problems.append(RowProblem(row, "", f"expected an object with a text field, got {_json_kind(item)}"))
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


def _json_kind(value: object) -> str:
    kinds = {list: "a list", dict: "an object", str: "a string", type(None): "null", bool: "true/false"}
    return kinds.get(type(value), "a number")


# -- reading one row ----------------------------------------------------------------------------------------
def _preview(path: Path, fmt: str, records: list[Record], columns: dict[str, str], problems: list[RowProblem],
             notes: list[str], dayfirst: bool | None, *, progress: Callable[[int, int], object] | None = None,
             cancelled: Callable[[], bool] | None = None) -> ImportPreview:
    examples, count, order, note = _date_order([fields.get("date") for _, fields in records], dayfirst)
    if note:
        notes.append(note)
    rows: list[ImportedRow] = []
    dropped_links = 0
    for done, (row, fields) in enumerate(records):
        if done % READ_CHUNK == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled("reading cancelled")
            if progress is not None:
                progress(done, len(records))
        try:
            imported = _row(row, fields, order)
        except _RowError as exc:
            problems.append(RowProblem(row, exc.column, exc.message))
            continue
        if fields.get("url") and not imported.mention.url:
            dropped_links += 1
        rows.append(imported)
    if dropped_links:
        notes.append(f"{dropped_links} link{'s' if dropped_links != 1 else ''} left out: not web addresses "
                     "(http or https)")
    problems.sort(key=lambda p: p.row)
    return ImportPreview(path=path, format=fmt, rows=tuple(rows), problems=tuple(problems), notes=tuple(notes),
                         columns=columns, ambiguous_dates=tuple(examples), ambiguous_count=count, dayfirst=order)


class _RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _row(row: int, fields: dict[str, object], dayfirst: bool | None) -> ImportedRow:
    values: dict[str, object] = {}
    for fld in ("text", "author", "title", "url", "id", "site", "language"):
        raw = fields.get(fld)
        if isinstance(raw, (dict, list)):
            raise _RowError(fld, f"{fld} is {_json_kind(raw)}, not text")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        values[fld] = "" if raw is None else str(raw).strip()
    text = str(values["text"])
    if not text:
        raise _RowError("text", "no feedback text")
    try:
        rating = parse_rating(fields.get("rating"))
    except _Bad as exc:
        raise _RowError("rating", str(exc)) from None
    try:
        posted = parse_date(fields.get("date"), dayfirst)
    except _Bad as exc:
        raise _RowError("date", str(exc)) from None
    url = str(values["url"])
    if url and not url.lower().startswith(("http://", "https://")):
        url = ""
    try:
        mention = Mention(text=text, author=str(values["author"]), url=url, external_id=str(values["id"]) or None,
                          posted_at=posted, rating=rating, title=str(values["title"]),
                          language=str(values["language"]).lower() or None)
    except ValueError as exc:
        raise _RowError("", str(exc)) from None
    return ImportedRow(row, mention, str(values["site"]).lower())


def parse_rating(value: object) -> float | None:
    """A rating on 1-5 from what people write: 4, 4.5, "4,5", "4/5", "8/10", "80%", "4 out of 5", "★★★★☆".

    Out-of-ten (and percentages) are scaled to five stars, never below one star. A bare number off the
    1-5 scale is refused rather than guessed at.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _Bad(f"rating {value!r} is not a number")
    if isinstance(value, (int, float)):
        return _on_scale(float(value), str(value))
    text = str(value).strip()
    if set(text) <= set("★☆⭐\ufe0f ") and ("★" in text or "⭐" in text):
        return float(text.count("★") + text.count("⭐"))
    match = _RATING.fullmatch(text)
    if match is None:
        raise _Bad(f"rating {text!r} is not a number of stars")
    number = float(match.group(1).replace(",", "."))
    if match.group(2) or match.group(3):
        top = float(match.group(2).replace(",", ".")) if match.group(2) else 100.0
        if top <= 0 or number > top:
            raise _Bad(f"rating {text!r} is more than its scale")
        return max(1.0, round(number / top * 5, 2))
    return _on_scale(number, text)


def _on_scale(number: float, text: str) -> float:
    if not 1 <= number <= 5:
        hint = f" (write {text}/10 if it is out of ten)" if 5 < number <= 10 else ""
        raise _Bad(f"rating {text} is not on 1 to 5 stars{hint}")
    return round(number, 2)


def _range_end(text: str) -> str:
    parts = _RANGE.split(text.strip())
    return parts[-1].strip() if len(parts) == 2 else text.strip()


def _date_order(values: list[object], dayfirst: bool | None) -> tuple[list[str], int, bool | None, str]:
    """Examples and count of dates like 03/04/2024, the order to read them in, and a note when the file
    itself settled it (a 25/03/2024 elsewhere in it)."""
    examples: list[str] = []
    count = 0
    day_proof = month_proof = ""
    for value in values:
        if not isinstance(value, str):
            continue
        match = _NUMERIC_DATE.fullmatch(_range_end(value))
        if not match:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            day_proof = day_proof or value.strip()
        elif second > 12 >= first:
            month_proof = month_proof or value.strip()
        elif first != second:
            count += 1
            if len(examples) < 3:
                examples.append(value.strip())
    if dayfirst is not None or not count:
        return examples, count, dayfirst, ""
    if day_proof and not month_proof:
        return examples, count, True, (f"dates like {examples[0]} read as day/month/year, since the file also "
                                       f"has {day_proof}")
    if month_proof and not day_proof:
        return examples, count, False, (f"dates like {examples[0]} read as month/day/year, since the file also "
                                        f"has {month_proof}")
    return examples, count, None, ""


def parse_date(value: object, dayfirst: bool | None = None) -> datetime | None:
    """A timezone-aware datetime from ISO 8601, YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY (`dayfirst` says which;
    None refuses the ambiguous ones), "Mar 4, 2024", "4 March 2024", "March 2024", or an Upwork-style range
    (its end). A date without a time is noon UTC, the same calendar day in nearly every timezone; a time
    without a zone is local time."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise _Bad(f"date {value!r} is not a date")
    text = _range_end(value)
    if _DATE_ONLY.fullmatch(text):
        try:
            return datetime.fromisoformat(text).replace(hour=12, tzinfo=timezone.utc)
        except ValueError:
            raise _Bad(f"date {value.strip()!r} is not a real date") from None
    if text[:4].isdigit() and "-" in text[:5]:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise _Bad(f"date {value.strip()!r} is not a valid ISO 8601 date") from None
        return moment if moment.tzinfo else moment.astimezone()
    if match := _NUMERIC_DATE.fullmatch(text):
        return _numeric_date(match, value.strip(), dayfirst)
    if match := _YEAR_FIRST.fullmatch(text):
        return _day(int(match.group(1)), int(match.group(2)), int(match.group(3)), value)
    if match := _MONTH_DAY_YEAR.fullmatch(text):
        return _day(int(match.group(3)), _month(match.group(1), value), int(match.group(2)), value)
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        return _day(int(match.group(3)), _month(match.group(2), value), int(match.group(1)), value)
    if match := _MONTH_YEAR.fullmatch(text):
        return _day(int(match.group(2)), _month(match.group(1), value), 1, value)
    raise _Bad(f"date {value.strip()!r} is not a date Rapport reads (use YYYY-MM-DD)")


def _month(name: str, value: str) -> int:
    try:
        return _MONTHS[name.casefold()]
    except KeyError:
        raise _Bad(f"date {value.strip()!r} is not a date Rapport reads (use YYYY-MM-DD)") from None


def _day(year: int, month: int, day: int, value: str) -> datetime:
    try:
        return datetime(year, month, day, 12, tzinfo=timezone.utc)
    except ValueError:
        raise _Bad(f"date {value.strip()!r} is not a real date") from None


def _numeric_date(match: re.Match[str], value: str, dayfirst: bool | None) -> datetime:
    first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    year += 2000 if year < 100 else 0
    if dayfirst is None:
        if first != second and first <= 12 and second <= 12:
            raise _Bad(f"date {value!r} could be day/month/year or month/day/year: say which comes first")
        dayfirst = first > 12
    day, month = (first, second) if dayfirst else (second, first)
    order = "day/month/year" if dayfirst else "month/day/year"
    try:
        if match.group(4) is None:
            return datetime(year, month, day, 12, tzinfo=timezone.utc)
        hour, minute, sec = int(match.group(4)), int(match.group(5)), int(match.group(6) or 0)
        if meridiem := match.group(7):
            if not 1 <= hour <= 12:
                raise ValueError
            hour = hour % 12 + (12 if meridiem.lower().startswith("p") else 0)
        return datetime(year, month, day, hour, minute, sec).astimezone()
    except ValueError:
        raise _Bad(f"date {value!r} is not a real {order} date") from None


# -- storing ------------------------------------------------------------------------------------------------
class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def import_preview(conn: sqlite3.Connection, preview: ImportPreview, *, site: str | None = None,
                   dry_run: bool = False, clock: Clock = utc_now,
                   progress: Callable[[int, int], object] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Store a preview's rows through ingest on the built-in import source, all in one transaction.

    A row's own site (a site column) wins over `site` (default: the one given to `read_file`). A dry run does everything, then rolls back, so its
    counts (duplicates, alerts) are exact. `cancelled` is checked between chunks: ImportCancelled is raised
    after the rollback. Raises ImportFailed when dates need an order first.
    """
    from desktop.records.alert_rule import AlertRule
    from desktop.records.ingest import IMPORT_SOURCE_ID, Manual, ingest
    from desktop.store import settings as settings_store
    from desktop.store.db import transaction

    if preview.needs_date_order:
        raise ImportFailed(preview.date_question)
    default_site = (site if site is not None else preview.site).strip().lower()
    total = len(preview.rows)
    added: list[int] = []
    duplicates = alerts = 0
    try:
        with transaction(conn):
            rule = AlertRule.from_settings(settings_store.all_settings(conn))
            done = 0
            for batch_site, batch in _batches(preview.rows, default_site):
                if cancelled is not None and cancelled():
                    raise ImportCancelled("import cancelled: nothing was stored")
                for result in ingest(conn, IMPORT_SOURCE_ID, [r.mention for r in batch],
                                     manual=Manual(site=batch_site), clock=clock, rule=rule):
                    if result.new:
                        added.append(result.mention_id)
                        alerts += result.alert_id is not None
                    else:
                        duplicates += 1
                done += len(batch)
                if progress is not None:
                    progress(done, total)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return ImportResult(added=len(added), duplicates=duplicates, alerts=alerts, problems=preview.problems,
                        mention_ids=() if dry_run else tuple(added), notes=preview.notes, dry_run=dry_run)


def _batches(rows: Iterable[ImportedRow], default_site: str) -> Iterator[tuple[str, list[ImportedRow]]]:
    """Runs of rows with one site (ingest takes one site per call), at most CHUNK long."""
    batch: list[ImportedRow] = []
    current = ""
    for row in rows:
        row_site = row.site or default_site
        if batch and (row_site != current or len(batch) >= CHUNK):
            yield current, batch
            batch = []
        current = row_site
        batch.append(row)
    if batch:
        yield current, batch


def import_file(conn: sqlite3.Connection, path: str | Path, *, site: str | None = None,
                dayfirst: bool | None = None, dry_run: bool = False, clock: Clock = utc_now) -> ImportResult:
    """Read a file and store its good rows: `read_file` then `import_preview`."""
    preview = read_file(path, site=site, dayfirst=dayfirst)
    return import_preview(conn, preview, site=site, dry_run=dry_run, clock=clock)
