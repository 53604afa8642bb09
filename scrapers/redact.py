"""Secrets that ride in URLs (`user:pass@`, `?api_key=...`), kept out of what Rapport stores, shows and logs.

A source's address is shown, exported and logged, so it may not carry a secret at all (`credentials_problem`);
addresses Rapport meets on the way (review links, redirect targets, error messages, log lines) have the known
secret parameters' values and any user-info replaced by REDACTED (`redact`).
"""
from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlsplit

__all__ = ["REDACTED", "SECRET_PARAMS", "credentials_problem", "redact", "RedactingFormatter"]

REDACTED = "REDACTED"
# Query parameter names that carry secrets, compared without case, "-" or "_" (api_key = API-Key = apikey).
SECRET_PARAMS = frozenset({
    "apikey", "key", "token", "accesstoken", "refreshtoken", "idtoken", "authtoken", "auth", "authorization",
    "secret", "clientsecret", "password", "passwd", "pwd", "pass", "sig", "signature", "sessionid", "session",
    "sid", "privatetoken", "bearer", "jwt", "xamzsignature", "xamzcredential", "xamzsecuritytoken",
    "xgoogsignature", "xgoogcredential",
})
_PARAM = re.compile(r"(?P<lead>[?&;])(?P<name>[A-Za-z0-9_.\-]+)=(?P<value>[^&;#\s\"'<>]*)")
# scheme://user[:password]@ — in a URL or anywhere in a text.
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^/?#\s@\"'<>]+@")


def is_secret_param(name: str) -> bool:
    return name.replace("-", "").replace("_", "").lower() in SECRET_PARAMS


def redact(text: str) -> str:
    """`text` (a URL, a message, a log line) with URL user-info and secret query values replaced by REDACTED."""
    if not text or ("@" not in text and "=" not in text):
        return text
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{REDACTED}@", text)
    return _PARAM.sub(lambda m: f"{m['lead']}{m['name']}={REDACTED}" if is_secret_param(m["name"]) and m["value"]
                      else m[0], text)


def credentials_problem(url: str) -> str | None:
    """Why a source's address may not be kept (it carries a password or token), or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None  # not a URL at all: the URL check says so
    if parts.username is not None or parts.password is not None:
        return ("the address contains a user name or password (user:password@): Rapport keeps secrets only in "
                "the system keyring, never in a source's address. Remove it from the address; a source that "
                "needs a sign-in or token asks for it separately and stores it in the keyring")
    secrets = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=False) if is_secret_param(name)})
    if secrets:
        return (f"the address carries a secret ({', '.join(secrets)}=...): Rapport keeps secrets only in the "
                "system keyring, never in a source's address, its exports or its log. Remove it from the "
                "address; a source that needs a token asks for it separately and stores it in the keyring")
    return None


class RedactingFormatter(logging.Formatter):
    """A log formatter that redacts URL secrets from the whole line, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
