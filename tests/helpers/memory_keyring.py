"""A real keyring backend that keeps secrets in a dict, for tests: the app talks to it through `keyring`
exactly as it would to the system keyring.

    @pytest.fixture
    def memory_keyring():
        yield from installed_memory_keyring()
"""
from __future__ import annotations

import threading
from collections.abc import Iterator

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

__all__ = ["MemoryKeyring", "installed_memory_keyring"]


class MemoryKeyring(KeyringBackend):
    """Secrets in memory, keyed by (service, username); `threads` holds the thread of every call (a real keyring
    is D-Bus, which may wait for the user to unlock it: never on the GUI thread)."""

    priority = 1  # type: ignore[assignment]  # a plain number is fine for a backend set explicitly

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}
        self.threads: list[int] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.threads.append(threading.get_ident())
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.threads.append(threading.get_ident())
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.threads.append(threading.get_ident())
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise PasswordDeleteError(f"no secret for {username} in {service}") from None


def installed_memory_keyring() -> Iterator[MemoryKeyring]:
    """Install a fresh MemoryKeyring as the keyring backend, and put the previous one back afterwards."""
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        yield memory
    finally:
        keyring.set_keyring(previous)
