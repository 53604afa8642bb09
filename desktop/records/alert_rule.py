"""The alert rule: which feedback deserves to interrupt the freelancer."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.scoring import Score
from desktop.store.settings import DEFAULTS


@dataclass(frozen=True)
class AlertRule:
    """Alert on a negative label, a compound at or below `score_threshold`, or a low star rating."""

    score_threshold: float = DEFAULTS["alert_score_threshold"]
    star_threshold: float = DEFAULTS["alert_star_threshold"]

    @classmethod
    def from_settings(cls, values: dict[str, Any]) -> AlertRule:
        return cls(float(values.get("alert_score_threshold", cls.score_threshold)),
                   float(values.get("alert_star_threshold", cls.star_threshold)))

    def should_alert(self, score: Score, rating: float | None) -> bool:
        if rating is not None and rating <= self.star_threshold:
            return True
        return score.label == "negative" or score.compound <= self.score_threshold
