"""Sentiment scoring: VADER made to hear how clients complain, with the words that drove each score.

`score()` is the one entry point; see the README's "Scoring" section for the rules.
"""
from desktop.scoring.scorer import LABELS, NEUTRAL, Reason, Score, label_for, score

__all__ = ["LABELS", "NEUTRAL", "Reason", "Score", "label_for", "score"]
