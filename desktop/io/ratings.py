"""Star ratings as people write them in a spreadsheet, put on 1-5; anything that would need a guess is refused."""
from __future__ import annotations

import math
import re

from desktop.io.problems import CellError, shown

__all__ = ["parse_rating"]

_RATING = re.compile(r"(\d{1,6}(?:[.,]\d{1,6})?)\s*(?:(?:/|out of|of)\s*(\d{1,6}(?:[.,]\d{1,6})?))?\s*(%)?\s*"
                     r"(?:stars?)?", re.IGNORECASE)
_STARS = set("★☆⭐\ufe0f ")


def parse_rating(value: object) -> float | None:
    """A rating on 1-5 from what people write: 4, 4.5, "4,5", "4/5", "8/10", "80%", "4 out of 5", "★★★★☆".

    Out-of-ten (and percentages) are scaled to five stars, never below one star. A bare number off the
    1-5 scale is refused rather than guessed at, as is a number too long to be a rating.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise CellError(f"rating {shown(value)!r} is not a number", "rating")
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # an integer with hundreds of digits
            raise CellError(f"rating {shown(value)} is not on 1 to 5 stars", "rating") from None
        return _on_scale(number, value)
    text = value.strip()
    if set(text) <= _STARS and ("★" in text or "⭐" in text):
        stars = text.count("★") + text.count("⭐")
        if stars > 5:
            raise CellError(f"rating {shown(text)!r} has more than five stars", "rating")
        return float(stars)
    match = _RATING.fullmatch(text)
    if match is None:
        raise CellError(f"rating {shown(text)!r} is not a number of stars", "rating")
    number = float(match.group(1).replace(",", "."))
    if match.group(2) or match.group(3):
        top = float(match.group(2).replace(",", ".")) if match.group(2) else 100.0
        if top <= 0 or number > top:
            raise CellError(f"rating {shown(text)!r} is more than its scale", "rating")
        return max(1.0, round(number / top * 5, 2))
    return _on_scale(number, text)


def _on_scale(number: float, written: object) -> float:
    if not math.isfinite(number) or not 1 <= number <= 5:
        hint = f" (write {written}/10 if it is out of ten)" if 5 < number <= 10 else ""
        raise CellError(f"rating {shown(written)} is not on 1 to 5 stars{hint}", "rating")
    return round(number, 2)
