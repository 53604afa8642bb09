"""Secrets go to the keyring and nowhere else; without a usable keyring we refuse, never fall back."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail, null

from desktop import secrets
from desktop.store import sources
from tests.helpers.memory_keyring import MemoryKeyring, installed_memory_keyring

SECRET = "tok-7f3a9c2e-northlight-ümlaut"


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    yield from installed_memory_keyring()


@pytest.fixture
def backend_of() -> Iterator[object]:
    """Install a given backend for one test and put the previous one back."""
    previous = keyring.get_keyring()

    def install(backend: keyring.backend.KeyringBackend) -> None:
        keyring.set_keyring(backend)

    yield install
    keyring.set_keyring(previous)


def files_under(*roots: Path) -> Iterator[Path]:
    for root in roots:
        for dirpath, _dirs, names in os.walk(root):
            for name in names:
                yield Path(dirpath) / name


def test_a_secret_goes_to_the_keyring_and_nowhere_else(memory_keyring, conn, db_path, isolated_dirs,
                                                       tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    source = sources.add(conn, "feeds", "https://example.org/feed.xml")
    secrets.set_secret(source.id, SECRET)

    assert memory_keyring.secrets == {("Rapport", f"source-{source.id}"): SECRET}
    assert secrets.get_secret(source.id) == SECRET
    conn.execute("PRAGMA wal_checkpoint(FULL)")
    needle = SECRET.encode("utf-8")
    for path in files_under(db_path.parent, isolated_dirs, tmp_path / "xdg-config"):
        assert needle not in path.read_bytes(), f"the secret leaked into {path}"
    assert db_path.exists()


def test_a_secret_is_replaced_and_deleted(memory_keyring) -> None:
    secrets.set_secret(7, "first")
    secrets.set_secret(7, "second")
    assert secrets.get_secret(7) == "second"
    secrets.delete_secret(7)
    assert secrets.get_secret(7) is None
    secrets.delete_secret(7)  # deleting what is not there is fine
    assert memory_keyring.secrets == {}


def test_an_empty_secret_is_refused(memory_keyring) -> None:
    with pytest.raises(ValueError):
        secrets.set_secret(1, "")


def test_the_test_suite_has_no_keyring_and_that_is_said_clearly() -> None:
    # conftest sets PYTHON_KEYRING_BACKEND to the fail backend: like a desktop with no keyring service.
    assert isinstance(keyring.get_keyring(), fail.Keyring)
    assert not secrets.available()
    with pytest.raises(secrets.SecretStoreUnavailable, match="No system keyring"):
        secrets.set_secret(1, SECRET)
    with pytest.raises(secrets.SecretStoreUnavailable):
        secrets.get_secret(1)


@pytest.mark.parametrize("backend", [null.Keyring(), fail.Keyring()], ids=["null", "fail"])
def test_backends_that_would_lose_or_refuse_a_secret_are_unavailable(backend_of, backend) -> None:
    backend_of(backend)
    with pytest.raises(secrets.SecretStoreUnavailable):
        secrets.set_secret(1, SECRET)


def test_a_chainer_with_nothing_to_chain_is_unavailable(backend_of, monkeypatch) -> None:
    from keyring.backends.chainer import ChainerBackend

    monkeypatch.setattr(ChainerBackend, "backends", [])
    backend_of(ChainerBackend())
    assert not secrets.available()


def test_a_locked_keyring_is_reported_as_unavailable(backend_of) -> None:
    from keyring.errors import KeyringLocked

    class Locked(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise KeyringLocked("the keyring is locked")

    backend_of(Locked())
    with pytest.raises(secrets.SecretStoreUnavailable, match="locked"):
        secrets.set_secret(1, SECRET)
