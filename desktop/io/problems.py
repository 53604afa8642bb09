"""What goes wrong in an import, for the user: the whole file (ImportFailed) or one row (RowProblem)."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CellError", "ImportCancelled", "ImportFailed", "RowProblem", "shown"]


class ImportCancelled(Exception):
    """The user cancelled reading or importing a file; an import's transaction was rolled back, so nothing was
    stored."""


class ImportFailed(Exception):
    """The file as a whole cannot be imported (missing, too big, no feedback column...). The message is for the user."""


class CellError(ValueError):
    """One cell (or the row it makes) cannot be read; the message says why, in the user's terms."""

    def __init__(self, message: str, column: str = "") -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class RowProblem:
    """Why one row was skipped. `row` is what a spreadsheet shows (the header is row 1); for JSON it is the
    item's position in the list, or the line number in JSON lines."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


def shown(value: object, limit: int = 40) -> str:
    """A cell quoted back to the user, cut short: a 400-digit rating is not worth 400 digits of message."""
    text = str(value).strip()
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"
