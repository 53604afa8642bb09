"""The team backend: a psycopg 3 connection dressed as the subset of sqlite3.Connection the store uses.

The store's modules are written against sqlite3 (`?` parameters, rows by index and by name, `in_transaction`,
explicit BEGIN/COMMIT). This wrapper gives a PostgreSQL connection that shape, so one store module serves both
backends: `?` becomes `%s` in one cached translation, rows are `Row`s, and a failure a person can act on (a
lock wait, a full disk, a read-only role, an unreachable server) becomes the store's typed StoreError.
"""
from __future__ import annotations

import functools
import ipaddress
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus

from desktop.store import gui_guard
from desktop.store.db import DiskFull, ReadOnly, StoreBusy, StoreError
from desktop.store.dialect import POSTGRES
# ALLOW_INSECURE_ENV=1 lets a team database on another host be reached without TLS (a lab network, a VPN);
# Settings > Team's box does the same for the address saved there.
from desktop.team_config import ALLOW_INSECURE_ENV, allows_insecure
from scrapers.redact import redact

log = logging.getLogger(__name__)

__all__ = ["ALLOW_INSECURE_ENV", "PostgresConnection", "Row", "is_postgres_url", "open_postgres", "shown_url",
           "translate"]

SCHEMES = ("postgresql://", "postgres://")
_STRICT_SSLMODES = {"require", "verify-ca", "verify-full"}


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.lower().startswith(SCHEMES)


@functools.lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """The store's sqlite3 SQL for psycopg: literal `%` doubled, each `?` parameter a `%s`."""
    return sql.replace("%", "%%").replace("?", "%s")


class Row:
    """A result row readable by position and by column name, like sqlite3.Row."""

    __slots__ = ("_values", "_index")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = tuple(values)
        self._index = index

    def __getitem__(self, key: int | slice | str) -> Any:
        if isinstance(key, str):
            try:
                return self._values[self._index[key.lower()]]
            except KeyError:
                raise IndexError(f"no such column: {key}") from None
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Row):
            return self._values == other._values
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # like sqlite3.Row compared by value: not a dict key

    def keys(self) -> list[str]:
        return list(self._index)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values))!r})"


def _row_factory(cursor: psycopg.Cursor[Any]) -> Any:
    index: dict[str, int] = {}
    for i, column in enumerate(cursor.description or ()):
        index.setdefault(column.name.lower(), i)  # the first of two same-named columns, as sqlite3.Row
    return lambda values: Row(values, index)


def typed_error(exc: psycopg.Error) -> StoreError | None:
    """The StoreError a person can act on for this PostgreSQL failure, or None when it is something else."""
    if isinstance(exc, (pg_errors.LockNotAvailable, pg_errors.SerializationFailure, pg_errors.DeadlockDetected,
                        pg_errors.QueryCanceled)):
        return StoreBusy("another Rapport of the team is writing the same records; try again")
    if isinstance(exc, pg_errors.DiskFull):
        return DiskFull("the team database's disk is full: ask its administrator to free space (nothing was saved)")
    if isinstance(exc, pg_errors.ReadOnlySqlTransaction):
        return ReadOnly("the team database is read-only here: Rapport cannot save to it (nothing was saved)")
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        return ReadOnly(f"the team database refused this to your role ({_first_line(exc)}): ask its administrator"
                        " for the privileges in the README's Team section (nothing was saved)")
    if isinstance(exc, psycopg.OperationalError) and exc.sqlstate is None:
        return StoreError(f"lost the connection to the team database: {_first_line(exc)}")
    return None


class TeamDatabaseError(StoreError):
    """Any other failure of a team database statement (a constraint, a bug): a StoreError like the typed ones,
    so code outside the store catches one thing whatever the backend (db.DatabaseError). `sqlstate` says which."""

    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def _raise_typed(exc: psycopg.Error) -> None:
    typed = typed_error(exc) or TeamDatabaseError(f"the team database refused this: {_first_line(exc)}",
                                                  exc.sqlstate)
    raise typed from exc


def _first_line(exc: BaseException) -> str:
    return redact(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)


def _storable(params: Sequence[Any] | dict[str, Any]) -> tuple[Any, ...]:
    """The parameters as PostgreSQL can keep them: its text cannot hold NUL, which SQLite keeps, so a NUL in a
    scraped or imported text becomes U+FFFD instead of failing the whole page's insert."""
    return tuple(p.replace("\x00", "\ufffd") if isinstance(p, str) and "\x00" in p else p for p in params)


class PostgresConnection:
    """A PostgreSQL connection with the sqlite3.Connection methods the store calls (autocommit: the store
    issues BEGIN and COMMIT itself, as it does on SQLite with isolation_level=None)."""

    dialect = POSTGRES

    def __init__(self, raw: psycopg.Connection[Any], url: str) -> None:
        self.raw = raw
        self.url = url  # without a password: shown, and used to open another connection
        self.person: str | None = None  # who uses it (desktop.store.team.person), once asked
        self.watched = False  # report statements to desktop.store.gui_guard (tests: no SQL on the GUI thread)

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> psycopg.Cursor[Any]:
        if self.watched:
            gui_guard.note(sql)
        cursor = self.raw.cursor(row_factory=_row_factory)
        try:
            cursor.execute(translate(sql), _storable(params))
        except psycopg.Error as exc:
            _raise_typed(exc)
        return cursor

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> psycopg.Cursor[Any]:
        if self.watched:
            gui_guard.note(sql)
        cursor = self.raw.cursor(row_factory=_row_factory)
        try:
            cursor.executemany(translate(sql), [_storable(p) for p in seq])
        except psycopg.Error as exc:
            _raise_typed(exc)
        return cursor

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    @property
    def closed(self) -> bool:
        return self.raw.closed

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> PostgresConnection:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        """Like sqlite3's: commit an open transaction (roll it back on an exception); the connection stays open."""
        if self.in_transaction:
            self.raw.execute("ROLLBACK" if exc_type is not None else "COMMIT")


def _is_local(host: str) -> bool:
    if not host or host.startswith("/") or host.lower() in {"localhost", "localhost.localdomain"}:
        return True  # a unix socket or this machine
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def shown_url(url: str) -> str:
    """The URL as it may be shown or logged: any password replaced."""
    return redact(url)


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}"


_UNREACHABLE = "cannot reach the team database at {where}: "
# libpq names the server again in its own words ('connection to server at "db.agency.example" (10.0.0.5), port
# 5432 failed: Connection refused'), after psycopg's "connection failed: ": the message names it once already.
_LIBPQ_SERVER = re.compile(r'^(?:connection failed: )?connection to server (?:at "[^"]*"(?: \([^)]*\))?, port \d+'
                           r'|on socket "[^"]*") failed: ')


def _reason(message: str) -> str:
    return _LIBPQ_SERVER.sub("", message, count=1)


def unreachable_reason(url: str, why: str) -> str:
    """What a failed connect to `url` said, without the words naming the server (for a message that names it)."""
    prefix = _UNREACHABLE.format(where=_where(url))
    return why[len(prefix):] if why.startswith(prefix) else why


def _secured(url: str, allow_insecure: bool) -> str:
    """`url` with TLS required for a host other than this machine, unless the user allowed plain connections."""
    parts = urlsplit(url)
    if parts.password is not None:
        raise StoreError("the team database's address carries a password: Rapport keeps it only in the system "
                         "keyring. Use postgresql://USER@HOST/DATABASE and `rapport team password`")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    host = query.get("host") or parts.hostname or ""
    if _is_local(host) or allow_insecure:
        return url
    mode = query.get("sslmode")
    if mode is None:
        query["sslmode"] = "require"
        return urlunsplit(parts._replace(query=urlencode(query)))
    if mode not in _STRICT_SSLMODES:
        raise StoreError(f"sslmode={mode} would let the team database on {_where(url)} be reached without "
                         f"encryption: use sslmode=require (or verify-full), or allow it explicitly with "
                         f"{ALLOW_INSECURE_ENV}=1")
    return url


# A team database that goes silent (a laptop leaving the office Wi-Fi, a VPN dropping) must end a query in about a
# minute, not when TCP gives up after a quarter of an hour: closing a dialog waits for its pending writes. Keepalives
# probe an idle link (30 s, then 3 probes 10 s apart); tcp_user_timeout bounds data sent and never acknowledged.
# libpq ignores them on a Unix socket; an address that sets its own values keeps them.
DEAD_LINK_LIMITS = {"keepalives": "1", "keepalives_idle": "30", "keepalives_interval": "10",
                    "keepalives_count": "3", "tcp_user_timeout": "60000"}


def _dead_link_limits(url: str) -> dict[str, str]:
    given = dict(parse_qsl(urlsplit(url).query))
    return {name: value for name, value in DEAD_LINK_LIMITS.items() if name not in given}


def open_postgres(url: str, *, busy_timeout_ms: int, read_only: bool = False,
                  allow_insecure: bool | None = None, password: str | None = None) -> PostgresConnection:
    """Connect to a team database. The password comes from the keyring (desktop.secrets), never the URL."""
    if allow_insecure is None:
        allow_insecure = allows_insecure(url)
    conninfo = _secured(url, allow_insecure)
    if password is None:
        password = _keyring_password(url)
    # jit=off: the inbox's queries are short, and PostgreSQL's JIT (on by default since 12, triggered by cost
    # estimates) spent 1.5 s compiling for a 200-row window that runs in milliseconds (bench/case_postgres.py).
    options = f"-c lock_timeout={int(busy_timeout_ms)} -c jit=off"
    if read_only:
        options += " -c default_transaction_read_only=on"
    try:
        raw = psycopg.connect(conninfo, autocommit=True, connect_timeout=10, options=options,
                              application_name=_application_name(), **_dead_link_limits(conninfo),
                              **({"password": password} if password else {}))
    except psycopg.Error as exc:
        message = _first_line(exc)
        if password:
            message = message.replace(password, "REDACTED")
        raise StoreError(_UNREACHABLE.format(where=_where(url)) + _reason(message)) from None
    return PostgresConnection(raw, url)


def _application_name() -> str:
    """"Rapport: Alex": the person at this desktop (Settings > Team's name), so teammates can see whose desktop
    polls (desktop.store.team_presence)."""
    from desktop import team_config
    from desktop.store.team_presence import application_name

    try:
        return application_name(team_config.load().name)
    except StoreError:
        return application_name("")


def _keyring_password(url: str) -> str | None:
    """The team password the user kept in the keyring for this user, host and database (None: none kept,
    or no keyring: a server that trusts the user, or a libpq password file, may still let us in)."""
    from desktop import secrets

    try:
        return secrets.get_team_password(url)
    except secrets.SecretStoreUnavailable:
        return None
