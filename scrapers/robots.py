"""robots.txt rules (RFC 9309, read by protego: wildcards, `$`, the longest match wins) and one cache of them.

The cache is shared by every session of the app, so a site's robots.txt is read once a day, not once a poll,
and is safe to use from several poller threads at once.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from protego import Protego

log = logging.getLogger(__name__)

__all__ = ["AGENT", "TTL", "RobotsRules", "RobotsCache"]

AGENT = "Rapport"
# RFC 9309 2.4: a crawler should not use a cached robots.txt for more than 24 hours.
TTL = timedelta(hours=24)


@dataclass(frozen=True)
class RobotsRules:
    """One site's rules as read at `fetched_at`; `parsed` None means no robots.txt (everything allowed)."""

    parsed: Protego | None
    fetched_at: datetime

    @classmethod
    def parse(cls, text: str, fetched_at: datetime) -> RobotsRules:
        try:
            return cls(Protego.parse(text), fetched_at)
        except Exception as exc:  # noqa: BLE001 - protego on hostile text: unreadable rules are no rules (RFC 9309 2.2)
            log.warning("could not read a robots.txt (%s: %s); treating it as empty", type(exc).__name__, exc)
            return cls(None, fetched_at)

    def allows(self, url: str, agent: str = AGENT) -> bool:
        return self.parsed is None or self.parsed.can_fetch(url, agent)


class RobotsCache:
    """Rules per origin (scheme://host:port), kept for `ttl`; thread-safe."""

    def __init__(self, ttl: timedelta = TTL) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._rules: dict[str, RobotsRules] = {}

    def get(self, origin: str, now: datetime) -> RobotsRules | None:
        """The origin's rules if read less than `ttl` ago, else None (read them again)."""
        with self._lock:
            rules = self._rules.get(origin)
        if rules is None or now - rules.fetched_at >= self.ttl or rules.fetched_at > now:
            return None
        return rules

    def put(self, origin: str, rules: RobotsRules) -> None:
        with self._lock:
            self._rules[origin] = rules
