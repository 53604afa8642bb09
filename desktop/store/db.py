"""Opening the store safely: WAL, foreign keys, a busy timeout, and migrations checked on every open."""
from __future__ import annotations

import contextlib
import itertools
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


class StoreError(Exception):
    """The store cannot be used: not a database, too new, or unreadable. The message is for the user."""


def connect(path: str | Path, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (and create or upgrade) the store at `path`.

    Every thread opens its own connection: sqlite3 connections are not shared across threads.
    """
    from desktop.store import migrations

    path = Path(path)
    if path.exists() and path.is_dir():
        raise StoreError(f"{path} is a directory, not a Rapport database")
    path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: we issue BEGIN/COMMIT ourselves in transaction().
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
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
        raise StoreError(f"{path} is not a Rapport database ({exc})") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def open_store(explicit: str | Path | None = None) -> sqlite3.Connection:
    """The user's store: `--db`, else RAPPORT_DB, else the user data dir."""
    from desktop import paths

    return connect(paths.db_path(explicit))


def db_file(conn: sqlite3.Connection) -> Path | None:
    """The file behind a connection, so a worker can open its own; None for an in-memory store."""
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return None


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
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
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


_savepoint_ids = itertools.count(1)
