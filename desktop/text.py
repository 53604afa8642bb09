"""Short plain-text forms of feedback, shared by the table, notifications and the command line."""
from __future__ import annotations

STAR_COUNT = 5


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
