"""Reddit's app-only OAuth (client credentials): a bearer token per app, kept in memory and fetched again
when it expires or Reddit stops accepting it. Never stored, never logged."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from scrapers.base import FetchError, LoginRequired
from scrapers.forum import load_json

if TYPE_CHECKING:
    from scrapers.http import PoliteSession

__all__ = ["TokenCache", "TOKENS"]

# Fetch a new token this long before Reddit says the old one ends: a poll never starts on a dying token.
MARGIN = timedelta(minutes=2)


@dataclass(frozen=True)
class _Token:
    value: str
    expires_at: datetime


class TokenCache:
    """Bearer tokens by (token URL, client id). One per app, shared by the sources that use that app."""

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str], _Token] = {}
        self._lock = threading.Lock()

    def token(self, session: PoliteSession, token_url: str, client_id: str, client_secret: str,
              user_agent: str, now: datetime, *, fresh: bool = False) -> str:
        key = (token_url, client_id)
        with self._lock:
            held = self._tokens.get(key)
        if held is not None and not fresh and now < held.expires_at - MARGIN:
            return held.value
        token = self._fetch(session, token_url, client_id, client_secret, user_agent, now)
        with self._lock:
            self._tokens[key] = token
        return token.value

    def forget(self, token_url: str, client_id: str) -> None:
        with self._lock:
            self._tokens.pop((token_url, client_id), None)

    @staticmethod
    def _fetch(session: PoliteSession, token_url: str, client_id: str, client_secret: str, user_agent: str,
               now: datetime) -> _Token:
        try:
            fetched = session.post_form(token_url, {"grant_type": "client_credentials"},
                                        auth=(client_id, client_secret), headers={"User-Agent": user_agent})
        except LoginRequired:
            raise LoginRequired("Reddit did not accept the app's client id and secret (401): check them on the "
                                "Sources screen", url=token_url, status=401) from None
        data = load_json(fetched.text, token_url, "a Reddit access token")
        value = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(value, str) or not value:
            reason = data.get("error") if isinstance(data, dict) else None
            if reason in ("invalid_grant", "invalid_client", "unauthorized_client", "unsupported_grant_type"):
                raise LoginRequired(f"Reddit refused the app ({reason}): check its client id and secret, and that "
                                    "Reddit approved it", url=token_url, status=fetched.status)
            raise FetchError("Reddit's token answer had no access_token", url=token_url, status=fetched.status)
        seconds = data.get("expires_in")
        lifetime = float(seconds) if isinstance(seconds, (int, float)) and seconds > 0 else 3600.0
        return _Token(value, now + timedelta(seconds=lifetime))


TOKENS = TokenCache()
