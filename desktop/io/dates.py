"""Dates as people write them in a spreadsheet, read with python-dateutil, never guessing the order of days
and months: 03/04/2024 is refused until the caller (or the file itself) says which comes first."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from dateutil import parser as dateutil_parser

from desktop.io.problems import CellError, shown

__all__ = ["DateOrder", "date_order", "parse_spreadsheet_date"]

# d/m/y or m/d/y, with "/", "." or "-", a 2- or 4-digit year, maybe a time: the one shape whose order is unsure.
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:[ T,]+\d{1,2}:\d{2}(?::\d{2})?\s*"
                           r"(?:[ap]\.?m\.?)?)?", re.IGNORECASE)
_YEAR_FIRST = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T ].*)?")
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_HAS_YEAR = re.compile(r"\b\d{4}\b")
_HAS_MONTH_NAME = re.compile(r"[a-z]{3}", re.IGNORECASE)
# "Mar 4, 2024 - Apr 18, 2024", as Upwork shows a contract: the review came at its end.
_RANGE = re.compile(r"\s+(?:[-–—]|to)\s+", re.IGNORECASE)
# Two defaults that differ in the hour: when both parses agree on it, the text has a time (the rest of a time
# left out is 0, from the first).
_NOON = datetime(2000, 1, 1, 12, 0, 0)
_OTHER = datetime(2000, 1, 1, 13, 0, 0)
_LONGEST = 80


def _range_end(text: str) -> str:
    parts = _RANGE.split(text.strip())
    return parts[-1].strip() if len(parts) == 2 else text.strip()


def parse_spreadsheet_date(value: object, dayfirst: bool | None = None) -> datetime | None:
    """A timezone-aware datetime from what a spreadsheet holds: ISO 8601, YYYY-MM-DD, YYYY/MM/DD, DD/MM/YYYY or
    MM/DD/YYYY (`dayfirst` says which; None refuses the ambiguous ones), "Mar 4, 2024", "4 March 2024",
    "March 2024", or an Upwork-style range (its end).

    A date without a time is noon UTC, the same calendar day in nearly every timezone; a time without a zone
    is local time. (Sites' own ISO dates: `scrapers.text.parse_iso_datetime`; a project's day:
    `desktop.store.projects.parse_date`.) Raises CellError.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise CellError(f"date {shown(value)!r} is not a date", "date")
    written = value.strip()
    text = _range_end(written)
    unreadable = CellError(f"date {shown(written)!r} is not a date Rapport reads (use YYYY-MM-DD)", "date")
    if len(text) > _LONGEST:
        raise unreadable
    try:
        if _DATE_ONLY.fullmatch(text) or _YEAR_FIRST.fullmatch(text):
            return _settled(dateutil_parser.parse(text, yearfirst=True, dayfirst=False, default=_NOON),
                            dateutil_parser.parse(text, yearfirst=True, dayfirst=False, default=_OTHER))
        if match := _NUMERIC_DATE.fullmatch(text):
            return _numeric(text, match, written, dayfirst)
        if not (_HAS_YEAR.search(text) and _HAS_MONTH_NAME.search(text)):
            raise unreadable
        return _settled(dateutil_parser.parse(text, default=_NOON), dateutil_parser.parse(text, default=_OTHER))
    except CellError:
        raise
    except (ValueError, OverflowError):  # dateutil's ParserError is a ValueError
        raise CellError(f"date {shown(written)!r} is not a real date", "date") from None


def _numeric(text: str, match: re.Match[str], written: str, dayfirst: bool | None) -> datetime:
    first, second = int(match.group(1)), int(match.group(2))
    if dayfirst is None:
        if first != second and first <= 12 and second <= 12:
            raise CellError(f"date {shown(written)!r} could be day/month/year or month/day/year: say which comes "
                            "first", "date")
        dayfirst = first > 12
    order = "day/month/year" if dayfirst else "month/day/year"
    try:
        moment = _settled(dateutil_parser.parse(text, dayfirst=dayfirst, default=_NOON),
                          dateutil_parser.parse(text, dayfirst=dayfirst, default=_OTHER))
    except (ValueError, OverflowError):
        moment = None
    # dateutil swaps day and month when the order given cannot be right (25/03 read month-first): refuse.
    day, month = (first, second) if dayfirst else (second, first)
    if moment is None or (moment.day, moment.month) != (day, month):
        raise CellError(f"date {shown(written)!r} is not a real {order} date", "date")
    return moment


def _settled(noon: datetime, other: datetime) -> datetime:
    """The moment meant: without a time, noon UTC of that day; a time without a zone, local time."""
    if noon.hour != other.hour:
        return datetime(noon.year, noon.month, noon.day, 12, tzinfo=timezone.utc)
    return noon if noon.tzinfo is not None else noon.astimezone()


@dataclass(frozen=True)
class DateOrder:
    """How a file's dates like 03/04/2024 are read: up to three examples, how many, the order used (the
    caller's, or the one the file proves, or None) and a note when the file settled it."""

    examples: tuple[str, ...] = ()
    count: int = 0
    dayfirst: bool | None = None
    note: str = ""


def date_order(values: list[object], dayfirst: bool | None) -> DateOrder:
    """Find the dates that read differently day-first and month-first, and whether the file settles the
    order itself (a 25/03/2024 elsewhere in it, and no 03/25/2024)."""
    examples: list[str] = []
    count = 0
    day_proof = month_proof = ""
    for value in values:
        if not isinstance(value, str) or len(value) > 2 * _LONGEST:
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
        return DateOrder(tuple(examples), count, dayfirst)
    if day_proof and not month_proof:
        return DateOrder(tuple(examples), count, True, f"dates like {examples[0]} read as day/month/year, since "
                                                       f"the file also has {day_proof}")
    if month_proof and not day_proof:
        return DateOrder(tuple(examples), count, False, f"dates like {examples[0]} read as month/day/year, since "
                                                        f"the file also has {month_proof}")
    return DateOrder(tuple(examples), count)
