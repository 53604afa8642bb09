"""What a person may type, checked once for the command line, the dialogs and the store alike.

Each check returns the clean value or raises `Invalid` with a sentence saying what is wrong, in words a
user reads (no "invalid value"). It imports nothing of the store or Qt, so every layer can use it.
"""
from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

# SQLite's INTEGER is a signed 64-bit number: a larger id can never exist, and binding one raises OverflowError.
MAX_ID = 2**63 - 1
MIN_INTERVAL_S = 60
MAX_INTERVAL_S = 30 * 86400
# A budget is money for one freelance project: a trillion is far past any real one and still exact in a float.
MAX_BUDGET = 1e12
# A minute of clock difference between machines is not "in the future".
FUTURE_SLACK = timedelta(minutes=1)

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]{2,}$")


class Invalid(ValueError):
    """A value a person typed cannot be used; the message says why."""


def email(text: str | None) -> str | None:
    """An email address, or None when left empty."""
    value = (text or "").strip()
    if not value:
        return None
    if not _EMAIL.match(value):
        raise Invalid(f"{value!r} is not an email address (it should look like name@example.com)")
    return value


def budget(value: str | float | None) -> float | None:
    """A project's budget: a finite, non-negative amount ("1,200" allowed), or None when left empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        try:
            amount = float(text)
        except ValueError:
            raise Invalid("write the budget as a number, such as 4200 or 4,200.50 (or leave it empty)") from None
    else:
        amount = float(value)
    if not math.isfinite(amount):
        raise Invalid("the budget must be an amount of money, not infinity or 'not a number'")
    if amount < 0:
        raise Invalid("the budget cannot be negative")
    if amount > MAX_BUDGET:
        raise Invalid(f"the budget is too large (at most {MAX_BUDGET:,.0f})")
    return amount


def web_address(text: str) -> str:
    """An http(s) address naming a host, with no spaces or control characters in it."""
    value = text.strip()
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        raise Invalid("a web address has no spaces in it (spaces in a link are written %20)")
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        raise Invalid(f"{value!r} is not a web address") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise Invalid(f"a web address starts with http:// or https:// and names a site, e.g. "
                      f"https://www.trustpilot.com/review/example.com (got {value!r})")
    return value


def _whole_number(text: str | int, what: str) -> int:
    try:
        return int(str(text).strip())
    except ValueError:
        raise Invalid(f"{what} must be a whole number, not {str(text).strip()!r}") from None


def record_id(text: str | int, what: str = "id") -> int:
    """A record's id: a whole number from 1 to SQLite's largest."""
    value = _whole_number(text, what)
    if not 1 <= value <= MAX_ID:
        raise Invalid(f"{what} must be from 1 to {MAX_ID}, not {value}" if value > 0 else
                      f"{what} must be a positive number, not {value}")
    return value


def as_id(text: str | int) -> int | None:
    """`text` as a record id when it is one (ASCII digits within SQLite's range), else None: a name, then."""
    value = str(text).strip()
    if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_ID:
        return int(value)
    return None


def count(text: str | int, what: str = "count") -> int:
    """How many of something: a whole number from 0 up."""
    value = _whole_number(text, what)
    if not 0 <= value <= MAX_ID:
        raise Invalid(f"{what} must be 0 or more" if value < 0 else f"{what} is too large (at most {MAX_ID})")
    return value


def interval(seconds: int) -> int:
    """A poll interval: between a minute (politeness) and 30 days."""
    if not MIN_INTERVAL_S <= seconds <= MAX_INTERVAL_S:
        raise Invalid(f"the interval must be between 1 minute and 30 days, not {describe_seconds(seconds)}")
    return seconds


def not_in_future(moment: datetime, what: str = "the date", *, now: datetime | None = None) -> datetime:
    """A moment something already happened (feedback was given): now or earlier."""
    reference = now or datetime.now(timezone.utc)
    try:
        later = moment - reference > FUTURE_SLACK
    except OverflowError:  # year 9999 in a far time zone: certainly the future
        later = True
    if later:
        raise Invalid(f"{what} is in the future ({moment.isoformat(timespec='minutes')}); "
                      "give when it actually happened")
    return moment


def sentence(exc: Exception) -> str:
    """A refusal as a sentence for a dialog: capital first letter (the rest as written), a full stop."""
    text = str(exc).strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ")")) else text + "."


def describe_seconds(seconds: int) -> str:
    """A duration in the largest whole unit (90 -> "90 seconds", 7200 -> "2 hours")."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds and seconds % size == 0:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
