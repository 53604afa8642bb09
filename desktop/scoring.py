"""Sentiment of one piece of feedback, with the words that drove it, so the UI can show why."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

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

_WORD = re.compile(r"[\w']+")


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def label_for(compound: float) -> str:
    if compound >= POSITIVE_AT:
        return "positive"
    if compound <= NEGATIVE_AT:
        return "negative"
    return "neutral"


def score(text: str, rating: float | None = None, language: str | None = None) -> Score:
    """Score `text` (plus an optional 1-5 star `rating` and its language, when the source says it)."""
    if not text or not text.strip():
        return NEUTRAL
    analyzer = _analyzer()
    compound = analyzer.polarity_scores(text)["compound"]
    reasons = tuple(
        Reason(m.group(), m.start(), m.end(), analyzer.lexicon[m.group().lower()])
        for m in _WORD.finditer(text)
        if m.group().lower() in analyzer.lexicon
    )
    return Score(compound, label_for(compound), reasons)
