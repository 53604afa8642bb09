"""Shared fixtures: every test runs offscreen, with all of Rapport's directories under its own tmp dir."""
from __future__ import annotations

import os

# Before any Qt import anywhere in the suite.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import ipaddress
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from desktop.store import gui_guard  # noqa: E402

# Every store connection a test opens reports the SQL it runs on the GUI thread (tests/ui/test_gui_thread_sql.py).
gui_guard.enable()

# The fault server, clock and session fixtures, for every test directory.
pytest_plugins = ["tests.helpers.fixtures"]


def pytest_configure(config: pytest.Config) -> None:
    """A qtbot wait given no timeout waits up to PATIENCE_MS, not pytest-qt's 5 s: a wait is a bound on a hang,
    and a poll round or a read behind one took longer than 5 s at load 9 on the two-core machine (tests passed
    alone and failed in full runs). Waits that name their own timeout keep it."""
    from pytestqt.qtbot import QtBot

    from tests.helpers.fixtures import PATIENCE_MS

    for wait in (QtBot.waitUntil, QtBot.waitSignal, QtBot.waitSignals, QtBot.waitCallback):
        wait.__kwdefaults__["timeout"] = PATIENCE_MS


# `ci` (the default) is quick and the same on every run; `long` is the fuzzing run, >= 10,000 cases per target:
# HYPOTHESIS_PROFILE=long ./dev test tests/scrapers/test_fuzz.py tests/desktop/test_io_fuzz.py ...
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, max_examples=100, database=None)
hypothesis_settings.register_profile("long", deadline=None, max_examples=10_000,
                                     suppress_health_check=list(HealthCheck))
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


class InternetLookupBlocked(RuntimeError):
    """A test asked DNS about a name on the internet: nothing may reach it, not even a lookup."""


_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


@pytest.fixture(autouse=True)
def no_internet_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest-socket (pyproject addopts) lets sockets connect only to loopback; this keeps name lookups local
    too: an IP literal or localhost resolves, any other name is a test bug (use a resolver seam instead)."""
    real = socket.getaddrinfo

    def local_only(host, *args, **kwargs):  # noqa: ANN001, ANN202 - socket.getaddrinfo's signature
        name = host.decode() if isinstance(host, bytes) else host
        if name is None or name.lower().rstrip(".") in _LOCAL_NAMES:
            return real(host, *args, **kwargs)
        try:
            ipaddress.ip_address(name.split("%", 1)[0])
        except ValueError:
            raise InternetLookupBlocked(f"a test tried to look up {name!r} in DNS") from None
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point data, config and log dirs (and the keyring) away from the real home."""
    home = tmp_path_factory.mktemp("rapport-home")
    monkeypatch.setenv("RAPPORT_HOME", str(home))
    monkeypatch.delenv("RAPPORT_DB", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return home


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item):  # noqa: ANN201 - a pytest hook wrapper
    """Before pytest-qt closes the test's windows: they close as when quitting, never waiting on a question
    nobody answers offscreen (tests/helpers/teardown.py says why: a failed test hung here instead of failing).
    After every teardown of a Qt test: the cycles it left are freed now, and live Qt objects among them fail it
    (tests/helpers/qt_garbage.py says why: they crashed a later test when the collector deleted them there)."""
    from tests.helpers.qt_garbage import LeftForTheCollector, collect_after_qt_test
    from tests.helpers.teardown import let_main_windows_close

    let_main_windows_close()
    result = yield
    if _QT_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        left = collect_after_qt_test()
        if left:
            raise LeftForTheCollector(
                f"the test left live Qt objects to the garbage collector: {', '.join(left)}; delete them in its "
                "teardown (tests.helpers.qt_garbage.delete_now, or the app's tear_down)")
    return result


_QT_FIXTURES = {"qtbot", "qapp", "bus"}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "rapport.sqlite3"


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked `both_backends` runs once per backend: its `conn` (and `store_target`) is a SQLite file,
    then a fresh database on the suite's own PostgreSQL server."""
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def postgres_server():  # noqa: ANN201 - tests.helpers.postgres.PostgresServer
    """One real PostgreSQL server for the whole run, stopped at the end (also when tests fail). It must start:
    a missing server is a failure with what to install, never a skip."""
    from tests.helpers.postgres import started_server

    server = started_server()
    yield server
    server.stop()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def store_target(backend: str, db_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """Where the test's store lives: the SQLite file, or a fresh migrated PostgreSQL database's URL."""
    if backend == "postgresql":
        return request.getfixturevalue("postgres_server").database()
    return db_path


@pytest.fixture
def conn(store_target: Path | str) -> Iterator[sqlite3.Connection]:
    """A real store: a real SQLite file, or (tests marked both_backends) a real PostgreSQL database."""
    from desktop.store import connect

    connection = connect(store_target)
    yield connection
    connection.close()
