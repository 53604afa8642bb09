"""What to tell the user about new alerts, and when: batching, quiet hours, the start-up summary.

No widgets here: the tray (or the in-app banner) shows the `Notice`s this decides on, and asks it
which mention the last message was about when the user clicks it.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from desktop.store.clock import utc_now
from desktop.text import one_line, stars

@dataclass(frozen=True)
class AlertInfo:
    """What a message says about one alert. All text is plain text, shown literally."""

    mention_id: int
    site: str = ""
    author: str = ""
    first_line: str = ""
    rating: float | None = None
    edited: bool = False  # the reviewer changed a review read before
    previous_rating: float | None = None


@dataclass(frozen=True)
class Notice:
    title: str
    body: str
    mention_ids: tuple[int, ...]

    @property
    def mention_id(self) -> int | None:
        """The mention a single-review message is about; None for a summary."""
        return self.mention_ids[0] if len(self.mention_ids) == 1 else None


def parse_clock_time(text: str | None) -> time | None:
    if not text:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        return None


def in_quiet_hours(moment: datetime, start: time | None, end: time | None) -> bool:
    """Whether local `moment` is inside [start, end); the span may cross midnight (22:00-07:00)."""
    if start is None or end is None or start == end:
        return False
    now = moment.astimezone().time() if moment.tzinfo else moment.time()
    if start < end:
        return start <= now < end
    return now >= start or now < end


def single_notice(alert: AlertInfo) -> Notice:
    where = f" on {alert.site.capitalize()}" if alert.site else ""
    if alert.edited:
        who = alert.author or "A reviewer"
        change = (f": {_star_count(alert.previous_rating)} -> {_star_count(alert.rating)}"
                  if alert.previous_rating is not None and alert.rating is not None else "")
        return Notice(f"Review changed{where}", one_line(f"{who} changed their review{change}. “{alert.first_line}”",
                                                          120), (alert.mention_id,))
    who = f"{alert.author}: " if alert.author else ""
    rating = f"{stars(alert.rating)} " if alert.rating is not None else ""
    return Notice(f"Negative review{where}", one_line(f"{rating}{who}“{alert.first_line}”", 120), (alert.mention_id,))


def _star_count(rating: float) -> str:
    return f"{rating:g} star" + ("" if rating == 1 else "s")


def summary_notice(alerts: Sequence[AlertInfo], *, unseen: bool = False) -> Notice:
    n = len(alerts)
    word = "review" if n == 1 else "reviews"
    title = f"{n} unseen negative {word}" if unseen else f"{n} new negative {word}"
    sites = sorted({a.site.capitalize() for a in alerts if a.site})
    body = ("On " + ", ".join(sites) + ". " if sites else "") + "Open the inbox to read and answer them."
    return Notice(title, body, tuple(a.mention_id for a in alerts))


class Notifier:
    """Turns raised alerts into as few messages as tell the user what they need to know.

    - Alerts that arrive together (one poll round) give one message if there is one, else one summary.
    - During quiet hours nothing is shown; what was held comes out as one summary when they end
      (`release_due()`, which the app calls on a timer).
    - At start-up, alerts the user has not seen become one summary, never a message each.
    - `last_shown` remembers the last message, so a click on it opens the right mention.
    """

    def __init__(self, *, clock: Callable[[], datetime] = utc_now, enabled: bool = True,
                 quiet_start: time | None = None, quiet_end: time | None = None) -> None:
        self._clock = clock
        self.enabled = enabled
        self.quiet_start = quiet_start
        self.quiet_end = quiet_end
        self._held: list[AlertInfo] = []
        self.last_shown: Notice | None = None

    def configure(self, values: dict[str, Any]) -> None:
        """Apply the user's settings (the keys of desktop.store.settings.DEFAULTS)."""
        self.enabled = bool(values.get("notifications", True))
        self.quiet_start = parse_clock_time(values.get("quiet_hours_start"))
        self.quiet_end = parse_clock_time(values.get("quiet_hours_end"))

    @property
    def quiet(self) -> bool:
        return in_quiet_hours(self._clock(), self.quiet_start, self.quiet_end)

    @property
    def held(self) -> tuple[AlertInfo, ...]:
        return tuple(self._held)

    def on_alerts(self, alerts: Sequence[AlertInfo]) -> Notice | None:
        """New alerts from one round: the message to show now, or None (held, or notifications off)."""
        if not alerts or not self.enabled:
            return None
        if self.quiet:
            self._held.extend(alerts)
            return None
        return self._show(single_notice(alerts[0]) if len(alerts) == 1 else summary_notice(alerts))

    def release_due(self) -> Notice | None:
        """After quiet hours: what was held, as one message."""
        if not self._held or self.quiet or not self.enabled:
            return None
        held, self._held = self._held, []
        return self._show(single_notice(held[0]) if len(held) == 1 else summary_notice(held))

    def on_startup(self, unseen: Sequence[AlertInfo]) -> Notice | None:
        """Alerts not seen since the last run: one summary, held if it is quiet now."""
        if not unseen or not self.enabled:
            return None
        if self.quiet:
            self._held.extend(unseen)
            return None
        return self._show(summary_notice(unseen, unseen=True))

    def _show(self, notice: Notice) -> Notice:
        self.last_shown = notice
        return notice


def info_for(mention: Any) -> AlertInfo:
    """An AlertInfo from a stored mention (desktop.store.mentions.StoredMention)."""
    return AlertInfo(mention.id, mention.site, mention.author, mention.first_line, mention.rating,
                     getattr(mention, "edited", False), getattr(mention, "previous_rating", None))
