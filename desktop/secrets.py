"""A source's secrets (API tokens, passwords) live in the system keyring, never in the store or a config file.

When no usable keyring exists we say so with SecretStoreUnavailable rather than keep the secret somewhere
weaker: vorta's fallback to its database is the mistake not to copy.
"""
from __future__ import annotations

import logging

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

log = logging.getLogger(__name__)

__all__ = ["SERVICE", "SecretStoreUnavailable", "available", "set_secret", "get_secret", "delete_secret",
           "set_team_password", "get_team_password", "delete_team_password"]

SERVICE = "Rapport"

# Backends that only look like a keyring: `fail` raises, `null` forgets, and the keyrings.alt plaintext file
# would be plain storage under another name.
_UNUSABLE = {"keyring.backends.fail.Keyring", "keyring.backends.null.Keyring",
             "keyrings.alt.file.PlaintextKeyring"}

UNAVAILABLE_MESSAGE = (
    "No system keyring is available, so Rapport cannot keep this secret safely and has not saved it. "
    "Install and unlock a keyring service (GNOME Keyring, KWallet or KeePassXC's Secret Service) and try again.")


class SecretStoreUnavailable(RuntimeError):
    """There is no usable system keyring (or it refused us); the secret was not stored anywhere."""


def _username(source_id: int, field: str = "") -> str:
    """The keyring entry of one of a source's secrets: `source-7` for its only one, `source-7/client_secret`
    for one of several."""
    return f"source-{int(source_id)}" + (f"/{field}" if field else "")


def _name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _usable(backend: KeyringBackend) -> bool:
    if _name(backend) in _UNUSABLE:
        return False
    # The chainer silently drops a secret when it chains nothing.
    chained = getattr(backend, "backends", None)
    if _name(backend) == "keyring.backends.chainer.ChainerBackend":
        return bool(chained) and any(_usable(b) for b in chained)
    return True


def _backend() -> KeyringBackend:
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a broken keyring configuration is "unavailable", said plainly
        raise SecretStoreUnavailable(f"{UNAVAILABLE_MESSAGE} ({exc})") from exc
    if not _usable(backend):
        raise SecretStoreUnavailable(UNAVAILABLE_MESSAGE)
    return backend


def available() -> bool:
    """True when a real keyring backend is configured (it may still be locked when we use it)."""
    try:
        _backend()
    except SecretStoreUnavailable:
        return False
    return True


def _team_entry(url: str) -> str:
    """The keyring entry of a team database's password: `team/USER@HOST:PORT/DATABASE` (never the password)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"team/{parts.username or ''}@{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path or '/'}"


def _set(entry: str, value: str, what: str) -> None:
    if not value:
        raise ValueError("an empty secret is not stored; use delete_secret to forget one")
    backend = _backend()
    try:
        backend.set_password(SERVICE, entry, value)
    except KeyringError as exc:
        raise SecretStoreUnavailable(f"The system keyring refused to store the secret: {exc}") from exc
    log.info("stored the secret of %s in %s", what, _name(backend))


def _get(entry: str) -> str | None:
    backend = _backend()
    try:
        return backend.get_password(SERVICE, entry)
    except KeyringError as exc:
        raise SecretStoreUnavailable(f"The system keyring could not be read: {exc}") from exc


def _delete(entry: str) -> None:
    backend = _backend()
    try:
        backend.delete_password(SERVICE, entry)
    except PasswordDeleteError:
        pass
    except KeyringError as exc:
        raise SecretStoreUnavailable(f"The system keyring could not remove the secret: {exc}") from exc


def set_secret(source_id: int, value: str, field: str = "") -> None:
    """Keep a source's secret in the keyring; raises SecretStoreUnavailable and stores nothing otherwise."""
    _set(_username(source_id, field), value, f"source {source_id}")


def get_secret(source_id: int, field: str = "") -> str | None:
    return _get(_username(source_id, field))


def delete_secret(source_id: int, field: str = "") -> None:
    """Forget a source's secret; nothing stored is not an error."""
    _delete(_username(source_id, field))


def set_team_password(url: str, password: str) -> None:
    """Keep the password of a team database (named by its URL's user, host, port and database)."""
    _set(_team_entry(url), password, "the team database")


def get_team_password(url: str) -> str | None:
    return _get(_team_entry(url))


def delete_team_password(url: str) -> None:
    _delete(_team_entry(url))
