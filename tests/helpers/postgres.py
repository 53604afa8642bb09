"""A real PostgreSQL server for the tests: initdb into a temporary folder, pg_ctl on a free 127.0.0.1 port.

The server binaries come from Debian's `postgresql` package (`./dev test` installs it). initdb and postgres
refuse to run as root (CI runs as root): then they run as the `postgres` system user the package creates,
owning the temporary folder. Nothing is mocked: the store talks to this server over TCP like a team's desktop.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from itertools import count
from pathlib import Path

__all__ = ["PostgresServer", "PostgresUnavailable", "find_bindir"]

SUPERUSER = "rapport_test"
TEMPLATE = "rapport_template"


class PostgresUnavailable(RuntimeError):
    """The tests cannot start their PostgreSQL server; the message says what to install or fix."""


def find_bindir() -> Path:
    """Where initdb and pg_ctl live: `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if out:
            candidates.append(Path(out))
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                           key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit()
                                           else 0, reverse=True)]
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    raise PostgresUnavailable("the PostgreSQL server binaries (initdb, pg_ctl) were not found: install Debian's "
                              "`postgresql` package (./dev test does) or put pg_config on PATH")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One throwaway cluster; `database()` gives each test a fresh, migrated database from a template."""

    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="rapport-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._as: list[str] = []
        self._ids = count(1)
        if os.geteuid() == 0:
            try:
                import pwd

                pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable("running as root, and there is no `postgres` user to run the server "
                                          "as (Debian's `postgresql` package creates it)") from None
            shutil.chown(self.root, "postgres")
            os.chmod(self.root, 0o700)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *argv: str) -> None:
        result = subprocess.run([*self._as, *argv], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise PostgresUnavailable(f"{Path(argv[0]).name} failed ({result.returncode}): "
                                      f"{result.stderr.strip() or result.stdout.strip()}\n{tail}")

    def start(self, shared_buffers: str = "16MB") -> PostgresServer:
        """`shared_buffers`: the tests' servers keep little (several run at once); a benchmark on a 100,000-mention
        store gives it PostgreSQL's own default (128MB), as a team's server has at least."""
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync")
        # The tests' superuser is trusted; every other role signs in with its password, as a team's would.
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\n"
            f"host all {SUPERUSER} 127.0.0.1/32 trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n")
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root}"
                   " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
                   f" -c shared_buffers={shared_buffers}")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
                  "-o", options, "-w", "-t", "60", "start")
        self._make_template()
        return self

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def admin(self):  # noqa: ANN201 - a psycopg connection, imported lazily
        import psycopg

        return psycopg.connect(self.url(), autocommit=True)

    def _make_template(self) -> None:
        """Migrated once; every test's database is a copy. Straight through psycopg: the store's connect() would
        ask the keyring for a password, and keyring would settle on a backend before any test set its own."""
        import psycopg

        from desktop.store import migrations
        from desktop.store.postgres import PostgresConnection

        with self.admin() as admin:
            admin.execute(f"CREATE DATABASE {TEMPLATE}")
        conn = PostgresConnection(psycopg.connect(self.url(TEMPLATE), autocommit=True), self.url(TEMPLATE))
        try:
            migrations.migrate(conn)
        finally:
            conn.close()

    def database(self, *, migrated: bool = True) -> str:
        """A new database (a copy of the migrated template, or empty) and its URL."""
        name = f"t{os.getpid()}_{next(self._ids)}"
        with self.admin() as admin:
            admin.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {TEMPLATE}" if migrated else ""))
        return self.url(name)

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run([*self._as, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                            "-w", "stop"], capture_output=True, check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def started_server(shared_buffers: str = "16MB") -> PostgresServer:
    """A running server, or PostgresUnavailable with what went wrong (the suite fails, never skips)."""
    server = PostgresServer()
    try:
        return server.start(shared_buffers)
    except BaseException:
        server.stop()
        raise


def wait_until(condition, timeout: float = 10.0) -> bool:  # noqa: ANN001 - a zero-argument callable
    """Poll `condition` until true (bounded by the work's timeout, not a timed assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return bool(condition())
