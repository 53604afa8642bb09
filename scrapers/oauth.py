"""OAuth 2.0 authorization-code flow for a desktop app (RFC 6749 4.1, RFC 8252 7.3): the browser signs the user in,
the site redirects to a one-shot server on 127.0.0.1, the code is exchanged for tokens, and tokens are refreshed
before they run out. Tokens only ever leave here as a JSON string for the system keyring.
"""
from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from scrapers.base import FetchError, LoginRequired, ParseError
from scrapers.http import PoliteSession

__all__ = ["OAuthApp", "Tokens", "RedirectCatcher", "exchange_code", "refresh_tokens", "new_state"]

# A token this close to its end is refreshed before use rather than failing mid-poll.
REFRESH_MARGIN = timedelta(minutes=5)
_DONE_PAGE = (b"<!doctype html><meta charset=utf-8><title>Rapport</title><p>Rapport is connected. "
              b"You can close this window.</p>")
_FAILED_PAGE = (b"<!doctype html><meta charset=utf-8><title>Rapport</title><p>The site did not give Rapport access. "
                b"You can close this window and try again from Rapport.</p>")


@dataclass(frozen=True)
class OAuthApp:
    """The user's own app registration: its key and secret, the site's endpoints and the registered redirect."""

    client_id: str
    client_secret: str
    authorize_url: str
    token_url: str
    redirect_uri: str

    def authorization_url(self, state: str) -> str:
        query = urlencode({"response_type": "code", "client_id": self.client_id, "redirect_uri": self.redirect_uri,
                           "state": state})
        return f"{self.authorize_url}?{query}"


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_at: datetime

    def usable(self, now: datetime) -> bool:
        return bool(self.access_token) and now < self.expires_at - REFRESH_MARGIN

    def to_json(self) -> str:
        return json.dumps({"access_token": self.access_token, "refresh_token": self.refresh_token,
                           "expires_at": self.expires_at.isoformat()})

    @classmethod
    def from_json(cls, text: str) -> Tokens | None:
        """Tokens kept in the keyring, or None when there are none or they cannot be read."""
        try:
            data = json.loads(text)
            return cls(str(data["access_token"]), str(data.get("refresh_token") or ""),
                       datetime.fromisoformat(data["expires_at"]))
        except (ValueError, TypeError, KeyError):
            return None

    @classmethod
    def from_answer(cls, data: Any, now: datetime, url: str, previous_refresh: str = "") -> Tokens:
        """A token endpoint's JSON answer (RFC 6749 5.1, or an error per 5.2)."""
        if not isinstance(data, dict):
            raise ParseError("the sign-in server's answer is not a JSON object", url=url)
        if data.get("error"):
            detail = data.get("error_description") or data["error"]
            raise LoginRequired(f"the site refused the sign-in ({detail}); connect your account again", url=url)
        access = data.get("access_token")
        if not isinstance(access, str) or not access:
            raise ParseError("the sign-in server's answer has no access_token", url=url)
        lifetime = data.get("expires_in")
        seconds = int(lifetime) if isinstance(lifetime, (int, float)) and not isinstance(lifetime, bool) else 3600
        return cls(access, str(data.get("refresh_token") or previous_refresh), now + timedelta(seconds=seconds))


def new_state() -> str:
    """An unguessable value tying the redirect to the request this app made (RFC 6749 10.12)."""
    return secrets.token_urlsafe(24)


def _token_call(session: PoliteSession, app: OAuthApp, data: dict[str, str], now: datetime,
                previous_refresh: str = "") -> Tokens:
    fetched = session.post_form(app.token_url, {**data, "client_id": app.client_id,
                                                "client_secret": app.client_secret})
    return Tokens.from_answer(fetched.json(), now, fetched.url, previous_refresh)


def exchange_code(session: PoliteSession, app: OAuthApp, code: str, now: datetime) -> Tokens:
    return _token_call(session, app, {"grant_type": "authorization_code", "code": code,
                                      "redirect_uri": app.redirect_uri}, now)


def refresh_tokens(session: PoliteSession, app: OAuthApp, tokens: Tokens, now: datetime) -> Tokens:
    if not tokens.refresh_token:
        raise LoginRequired("the sign-in has run out and cannot be renewed; connect your account again")
    return _token_call(session, app, {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}, now,
                       tokens.refresh_token)


class RedirectCatcher:
    """A one-shot HTTP server on 127.0.0.1 at the redirect URI's port and path: it waits for the browser to
    come back with `?code=...&state=...` and answers a page saying the window can be closed."""

    def __init__(self, redirect_uri: str, state: str) -> None:
        parts = urlsplit(redirect_uri)
        if parts.hostname != "127.0.0.1" or parts.scheme != "http":
            raise FetchError(f"the redirect address must be http://127.0.0.1:PORT/..., got {redirect_uri!r}")
        self._path = parts.path or "/"
        self._state = state
        self._done = threading.Event()
        self.code: str | None = None
        self.error: str | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", parts.port or 80), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="oauth-redirect", daemon=True)

    def __enter__(self) -> RedirectCatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._done.set()
        self._server.shutdown()
        self._server.server_close()

    def wait(self, timeout: float, cancelled: threading.Event | None = None) -> str:
        """The authorization code, once the browser is back; LoginRequired if the user or site said no, the
        time ran out, or `cancelled` was set (the user closed the window that started it)."""
        stop = cancelled or threading.Event()
        waited = 0.0
        while not self._done.wait(0.1):
            waited += 0.1
            if stop.is_set():
                raise LoginRequired("connecting was stopped before the browser came back")
            if waited >= timeout:
                raise LoginRequired("no answer from the browser in time; start connecting again")
        if self.error or not self.code:
            raise LoginRequired(f"the site did not give access ({self.error or 'no code'})")
        return self.code

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the http.server API
                pass

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                parts = urlsplit(self.path)
                if parts.path != catcher._path or catcher._done.is_set():
                    self.send_error(404)
                    return
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if query.get("state") != catcher._state:
                    catcher.error = "the answer did not match Rapport's request"
                elif query.get("error"):
                    catcher.error = query.get("error_description") or query["error"]
                else:
                    catcher.code = query.get("code")
                ok = catcher.code is not None and catcher.error is None
                body = _DONE_PAGE if ok else _FAILED_PAGE
                self.send_response(200 if ok else 400)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                catcher._done.set()

        return Handler
