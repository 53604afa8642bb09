"""Opening the store safely: WAL, foreign keys, a busy timeout, and migrations checked on every open.

Two backends behind one interface: a SQLite file (the default, one person) or a `postgresql://` URL (a team,
desktop/store/postgres.py, which dresses a psycopg connection as the sqlite3.Connection subset the store uses).
SQLite's own failures that a person can act on (another Rapport holds the write lock, the disk is full, the
store is read-only) become typed StoreErrors with a plain message, wherever they happen.
"""
from __future__ import annotations

import contextlib
import itertools
import logging
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, Union
from urllib.parse import quote

if TYPE_CHECKING:
    from desktop.store.postgres import PostgresConnection

log = logging.getLogger(__name__)

T = TypeVar("T")

# A background poll or import gives up after this long and tries again later.
BUSY_TIMEOUT_MS = 5000
# Where a person waits for the answer (a command typed in a terminal), wait out a long import's write.
INTERACTIVE_BUSY_TIMEOUT_MS = 30_000
# The window's own connection: the GUI thread must never stall for seconds behind a background write (a
# poll's holds the lock for milliseconds). The window's reads and writes run on connections of their own
# (desktop/shell/reader.py, writer.py); this one stays for what is left on the GUI thread.
GUI_BUSY_TIMEOUT_MS = 250
# The window's writes (desktop/shell/writer.py) run on a thread of their own, so they may wait out a poll's write
# longer without freezing anything; past this the user is asked to retry (desktop/ui/store_writes.py).
WRITER_BUSY_TIMEOUT_MS = 1000

# SQLite's primary result codes (the low byte of an extended code), https://sqlite.org/rescode.html
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_FULL = 5, 6, 8, 13


class StoreError(Exception):
    """The store cannot be used: not a database, too new, or unreadable. The message is for the user."""


# What the store's functions take: a SQLite connection, or the PostgreSQL wrapper with the same methods.
Connection = Union[sqlite3.Connection, "PostgresConnection"]
# Where a store lives: a SQLite file, or a team database's postgresql:// URL (without its password).
Target = Union[str, Path]
# What UI code catches around a store call it does not expect to fail: either backend's own error (the
# PostgreSQL wrapper raises StoreErrors for what a person can act on, psycopg's own for the rest).
DatabaseError: tuple[type[BaseException], ...] = (sqlite3.Error, StoreError)


class StoreBusy(StoreError):
    """Another connection held the write lock for longer than we waited."""

    def __init__(self, message: str = "another Rapport is importing or polling; try again") -> None:
        super().__init__(message)


class DiskFull(StoreError):
    def __init__(self, message: str = "the disk is full: free some space and try again (nothing was saved)") -> None:
        super().__init__(message)


class ReadOnly(StoreError):
    def __init__(self, message: str = "the store is read-only: Rapport cannot save to it (nothing was saved)"
                 ) -> None:
        super().__init__(message)


def checked(check: Callable[..., T], *args: object) -> T:
    """Run one of the shared checks (desktop.records.validation); its refusal becomes a StoreError, which
    every caller of the store already shows to the user."""
    from desktop.records.validation import Invalid

    try:
        return check(*args)
    except Invalid as exc:
        raise StoreError(str(exc)) from None


def typed_error(exc: sqlite3.Error) -> StoreError | None:
    """The StoreError a person can act on for this SQLite failure, or None when it is something else."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return StoreBusy()
    if primary == _SQLITE_FULL:
        return DiskFull()
    if primary == _SQLITE_READONLY:
        return ReadOnly()
    return None


@contextlib.contextmanager
def typed_errors() -> Iterator[None]:
    """Raise busy, full and read-only failures inside the block as StoreBusy, DiskFull and ReadOnly."""
    try:
        yield
    except sqlite3.Error as exc:
        typed = typed_error(exc)
        if typed is None:
            raise
        raise typed from exc


def _check_folder(path: Path, *, create: bool) -> None:
    """The store's folder must exist (created only for the default location); say plainly when it cannot."""
    folder = path.parent
    if folder.is_dir():
        return
    blocker = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise StoreError(f"cannot keep the store at {path}: {blocker} is a file, not a folder")
    if not create:
        raise StoreError(f"cannot keep the store at {path}: the folder {folder} does not exist "
                         "(create it first, or choose another --db)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the folder {folder} for the store: {exc.strerror or exc}") from exc


class StoreConnection(sqlite3.Connection):
    """A SQLite connection that knows its file, so a widget can hand it to a worker without asking SQLite
    (`PRAGMA database_list`) on the GUI thread."""

    path: Path | None = None


def is_team(target: object) -> bool:
    """Whether a store target is a team database (a postgresql:// URL) rather than a SQLite file."""
    return isinstance(target, str) and target.lower().startswith(("postgresql://", "postgres://"))


def connect(path: Target, *, migrate: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
            read_only: bool = False, create_folder: bool = False, check_same_thread: bool = True) -> Any:
    """Open (and create or upgrade) the store at `path`: a SQLite file, or a team database's URL.

    Every thread opens its own connection: connections are not shared across threads. The folder is
    created only when `create_folder` (the default location); a store opened `read_only` can be read but
    never written (nor migrated). `check_same_thread=False` is for a connection one thread at a time uses
    but another closes (desktop/shell/reader.py); a PostgreSQL connection has no such check.
    """
    from desktop.store import gui_guard, migrations

    if is_team(path):
        return _connect_team(str(path), migrate=migrate, busy_timeout_ms=busy_timeout_ms, read_only=read_only)
    path = Path(path)
    if path.exists() and path.is_dir():
        raise StoreError(f"{path} is a directory, not a Rapport database")
    _check_folder(path, create=create_folder)
    target = f"file:{quote(str(path.absolute()))}?mode=ro" if read_only else str(path)
    # isolation_level=None: we issue BEGIN/COMMIT ourselves in transaction().
    try:
        conn = sqlite3.connect(target, timeout=busy_timeout_ms / 1000, isolation_level=None, uri=read_only,
                               check_same_thread=check_same_thread, factory=StoreConnection)
    except sqlite3.Error as exc:
        raise typed_error(exc) or StoreError(f"cannot open the store at {path} ({exc})") from exc
    conn.row_factory = sqlite3.Row
    conn.path = path.absolute()
    gui_guard.watch(conn)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                log.warning("store %s runs in %s mode, not WAL", path, mode)
            else:
                # Under WAL, NORMAL syncs at checkpoints rather than on every COMMIT (FULL cost ~4 ms a page
                # of reviews). It stays consistent through an application crash; only a power cut or OS crash
                # can lose the last few commits, and polled reviews are simply read again on the next poll.
                conn.execute("PRAGMA synchronous = NORMAL")
        if migrate:
            migrations.migrate(conn)
        else:
            migrations.check_version(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise typed_error(exc) or StoreError(f"{path} is not a Rapport database ({exc})") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _connect_team(url: str, *, migrate: bool, busy_timeout_ms: int, read_only: bool) -> Any:
    from desktop.store import gui_guard, migrations
    from desktop.store.postgres import open_postgres

    conn = open_postgres(url, busy_timeout_ms=busy_timeout_ms, read_only=read_only)
    gui_guard.watch(conn)
    try:
        if migrate and not read_only:
            migrations.migrate(conn)
        else:
            migrations.check_version(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def open_store(explicit: str | Path | None = None, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Any:
    """The user's store: `--db`, else RAPPORT_DB, else the user data dir (whose folder is created)."""
    from desktop import paths

    return connect(paths.db_target(explicit), busy_timeout_ms=busy_timeout_ms,
                   create_folder=paths.is_default_db(explicit))


def close_quietly(conn: Any) -> None:
    """Close a connection that may already be broken (a lost team database): there is nothing left to tell."""
    if conn is None:
        return
    try:
        conn.close()
    except Exception:  # noqa: BLE001 - closing a broken connection
        log.debug("closing a broken connection failed", exc_info=True)


def location(conn: Connection) -> Target | None:
    """Where a connection's store lives (a file, or a team URL without password), so a worker can open its
    own; None for an in-memory store."""
    url = getattr(conn, "url", None)
    return url if isinstance(url, str) else db_file(conn)


def db_file(conn: Connection) -> Path | None:
    """The SQLite file behind a connection; None for an in-memory store or a team database."""
    if getattr(conn, "url", None) is not None:
        return None
    if getattr(conn, "path", None) is not None:
        return conn.path
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return None


@contextlib.contextmanager
def transaction(conn: Any) -> Iterator[Any]:
    """All or nothing: commit on success, roll back on any exception. Nests as a savepoint."""
    if conn.in_transaction:
        name = f"sp_{next(_savepoint_ids)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    from desktop.store.dialect import of

    with typed_errors():
        conn.execute(of(conn).begin)
    try:
        with typed_errors():
            yield conn
            conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


_savepoint_ids = itertools.count(1)
