"""How a 1-5 star rating and the text's own score combine (rules: README, "Scoring")."""
from __future__ import annotations

import math

from desktop.scoring.records import POSITIVE_AT, Reason, Score, label_for

ANGRY_TEXT = -0.5  # text this negative is not rescued by a 4-5 star rating
TEXT_SHARE = 0.6  # weight of the text (vs the stars) when both are given and they do not conflict


def stars_of(rating: float | None) -> float | None:
    """The rating clamped to 1..5, or None when absent or not a number."""
    if rating is None:
        return None
    try:
        value = float(rating)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value) or value <= 0:
        return None
    return min(5.0, max(1.0, value))


def _star_valence(stars: float) -> float:
    """1 star -0.8 ... 3 stars 0 ... 5 stars +0.8."""
    return (stars - 3.0) * 0.4


def _rating_reason(stars: float, weight: float, note: str = "") -> Reason:
    """The rating as a reason: no span (start == end == 0); its weight is the stars' pull (-0.8..+0.8),
    0 when the rating did not move the label (3 stars, or 4-5 stars the text overrules)."""
    return Reason(f"rating {stars:g}/5{note}", 0, 0, round(weight, 3))


def rating_only(stars: float, reasons: tuple[Reason, ...]) -> Score:
    """No scorable text: the stars decide alone."""
    compound = _star_valence(stars)
    return Score(compound, label_for(compound), reasons + (_rating_reason(stars, compound),))


def blend(text_compound: float, own_compound: float, reasons: tuple[Reason, ...], stars: float) -> Score:
    """Combine text and stars.

    `own_compound` is the text's compound without the sentences about someone else: a 5-star review
    that tells how bad the previous developer was is not an angry text contradicting its stars.
    """
    star = _star_valence(stars)
    blended = TEXT_SHARE * text_compound + (1.0 - TEXT_SHARE) * star
    note = ""
    weight = star
    if stars <= 2.0:
        compound = min(blended, star / 2.0)
    elif stars < 4.0:
        compound = min(blended, POSITIVE_AT - 0.01)
    elif text_compound <= ANGRY_TEXT and own_compound <= ANGRY_TEXT:
        compound = text_compound
        note = ": the text reads negative, worth a look"
        weight = 0.0
    else:
        compound = blended
    return Score(compound, label_for(compound), reasons + (_rating_reason(stars, weight, note),))

