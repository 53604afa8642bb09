"""One row's cells as a Mention: text fields, rating, date, link; and the formula guard export and import share.

Every way a row can be unusable is a CellError naming its column, never an exception out of the import: a
wrongly typed JSON value, a rating or date that cannot be read, text a store cannot hold (a lone surrogate),
a date that overflows.
"""
from __future__ import annotations

from dataclasses import dataclass

from desktop.io.dates import parse_spreadsheet_date
from desktop.io.problems import CellError, shown
from desktop.io.ratings import parse_rating
from scrapers.base import Mention

__all__ = ["FORMULA_START", "ImportedRow", "guard_formula", "imported_row", "json_kind", "unguard_formula"]

# A spreadsheet runs a cell starting with one of these as a formula (OWASP: CSV injection). Export puts a ' before
# such a cell, and before a cell that itself starts with ', so import can take exactly one ' off unambiguously.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_GUARDED = (*FORMULA_START, "'")
_TEXT_FIELDS = ("text", "author", "title", "url", "id", "site", "language")


def guard_formula(text: str) -> str:
    """The cell export writes for `text`: a leading ' when a spreadsheet would run it, or when it starts with '."""
    return "'" + text if text.startswith(_GUARDED) else text


def unguard_formula(cell: str) -> str:
    """Undo `guard_formula` (and the ' a spreadsheet puts before a formula-like cell)."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_GUARDED) else cell


@dataclass(frozen=True)
class ImportedRow:
    row: int
    mention: Mention
    site: str = ""  # from the file's site column; "" when it has none


def json_kind(value: object) -> str:
    kinds = {list: "a list", dict: "an object", str: "a string", type(None): "null", bool: "true/false"}
    return kinds.get(type(value), "a number")


def imported_row(row: int, fields: dict[str, object], dayfirst: bool | None) -> ImportedRow:
    """The Mention a row makes. Raises CellError (with the column) when the row cannot be imported."""
    values = {fld: _text_cell(fld, fields.get(fld)) for fld in _TEXT_FIELDS}
    if not values["text"].strip():
        raise CellError("no feedback text", "text")
    rating = parse_rating(fields.get("rating"))
    posted = parse_spreadsheet_date(fields.get("date"), dayfirst)
    url = values["url"]
    if url and not url.lower().startswith(("http://", "https://")):
        url = ""
    try:
        mention = Mention(text=values["text"], author=values["author"], url=url, external_id=values["id"] or None,
                          posted_at=posted, rating=rating, title=values["title"],
                          language=values["language"].lower() or None)
    except ValueError as exc:
        raise CellError(str(exc)) from None
    if (why := mention.problem()) is not None:
        raise CellError(f"cannot be stored: {why}", "date" if "date" in why else "")
    return ImportedRow(row, mention, values["site"].lower())


def _text_cell(fld: str, raw: object) -> str:
    """A text cell; the feedback text keeps its own spacing (an export writes it exactly), the rest is stripped."""
    if isinstance(raw, (dict, list)):
        raise CellError(f"{fld} is {json_kind(raw)}, not text", fld)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = "" if raw is None else str(raw)
    if fld == "id" and len(text) > 200:
        raise CellError(f"id {shown(text)} is too long to be a review id", fld)
    return text if fld == "text" else text.strip()
