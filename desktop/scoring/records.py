"""What scoring hands out: a Score (compound, label, reasons) and the Reason spans that explain it.

Plain data with no scoring engine behind it, so the store and the UI can hold scores without loading VADER.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05
LABELS = ("positive", "neutral", "negative")


class Reason(NamedTuple):
    """A span of the text that moved the score: `text[start:end]`, and how much (negative pulls down)."""

    text: str
    start: int
    end: int
    weight: float


@dataclass(frozen=True)
class Score:
    compound: float
    label: str
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, object]:
        return {
            "compound": round(self.compound, 4),
            "label": self.label,
            "reasons": [r._asdict() for r in self.reasons],
        }


NEUTRAL = Score(0.0, "neutral", ())


def label_for(compound: float) -> str:
    if compound >= POSITIVE_AT:
        return "positive"
    if compound <= NEGATIVE_AT:
        return "negative"
    return "neutral"

