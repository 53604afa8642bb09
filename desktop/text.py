"""Short plain-text forms of feedback, shared by the table, notifications and the command line."""
from __future__ import annotations

import re

STAR_COUNT = 5

# Characters a terminal acts on instead of showing: C0 and C1 controls (ESC starts escape sequences, BEL
# rings), DEL, and the bidirectional overrides and isolates that reorder what follows them on screen.
_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")


def one_line(text: str, width: int = 80) -> str:
    """Whitespace runs (newlines too) become one space, cut to `width` with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def stars(rating: float | None, *, missing: str = "") -> str:
    """A 1-5 rating as five stars, halves rounding up; `missing` when there is no rating."""
    if rating is None:
        return missing
    full = max(0, min(STAR_COUNT, int(rating + 0.5)))
    return "★" * full + "☆" * (STAR_COUNT - full)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """"1 mention", "2 mentions", "1,204 pieces of feedback": a count with its noun in the right number."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` safe for a terminal: control characters are shown escaped (ESC as \\x1b), never sent raw.

    Scraped and typed text can carry ESC sequences that rewrite the screen or the window title, BEL, NUL
    and bidi overrides; every line the command line prints (not JSON, which escapes by itself) goes through here.
    """
    return _UNSAFE.sub(_escaped, text)


def cell(text: object, width: int | None = None) -> str:
    """One field of a terminal row: on one line (cut to `width` when given) with control characters escaped."""
    value = "" if text is None else str(text)
    return visible(one_line(value, width) if width else " ".join(value.split()))
