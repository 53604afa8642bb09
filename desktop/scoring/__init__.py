"""Sentiment scoring: VADER made to hear how clients complain, with the words that drove each score.

`score()` is the one entry point; the README's "Scoring" section says how it reads a text. The records
(`Score`, `Reason`) import without the engine, so holding a score does not load VADER.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.scoring.records import LABELS, NEUTRAL, Reason, Score, label_for

if TYPE_CHECKING:
    from desktop.scoring.scorer import score

__all__ = ["LABELS", "NEUTRAL", "Reason", "Score", "label_for", "score"]


def __getattr__(name: str) -> object:
    if name == "score":  # loaded on first use: VADER's lexicon takes a moment to read
        from desktop.scoring.scorer import score

        return score
    raise AttributeError(name)
