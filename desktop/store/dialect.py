"""Where SQLite and PostgreSQL truly differ, named once: store modules ask `of(conn)` and never test the backend.

Most of the store's SQL runs unchanged on both (the PostgreSQL connection turns `?` into `%s`); what is here is
what cannot: DDL types, case-insensitive names, full-text search, week arithmetic, NULL ordering, where the
schema version lives and how a write transaction starts.
"""
from __future__ import annotations

import functools
import re
import sqlite3
from typing import Any

__all__ = ["Dialect", "POSTGRES", "SQLITE", "of"]


class Dialect:
    """SQLite, the embedded default: the SQL the store modules are written in."""

    name = "sqlite"
    # SQLite takes the write lock at BEGIN, so a writer waits (busy timeout) rather than fails half-way.
    begin = "BEGIN IMMEDIATE"
    # `LIMIT ?` with no limit.
    no_limit: int | None = -1
    # Appended to a SELECT inside a write transaction to hold the rows read until it ends (SQLite's BEGIN
    # IMMEDIATE already holds the whole store).
    for_update = ""

    def ddl(self, sql: str) -> list[str]:
        """A migration's DDL statement (written for SQLite) as this backend's statements."""
        return [sql]

    def nocase(self, column: str) -> str:
        """`column` as compared and sorted without case (clients' and projects' names)."""
        return f"{column} COLLATE NOCASE"

    def nocase_equals(self, column: str) -> str:
        """A condition: `column` equals the next parameter, ignoring case."""
        return f"{column} = ? COLLATE NOCASE"

    def order(self, column: str, descending: bool) -> str:
        """ORDER BY term with SQLite's NULL placement (first ascending, last descending), which keyset paging
        in mentions.window relies on."""
        return f"{column} {'DESC' if descending else 'ASC'}"

    def week(self, moment: str) -> str:
        """The ISO date (text) of the Monday (UTC) of the week holding `moment` (ISO 8601 text)."""
        # 'weekday 1' moves forward to the next Monday (or stays on one): back 6 days first lands on the week's.
        return f"date({moment}, '-6 days', 'weekday 1')"

    def week_of_day(self, day: str) -> str:
        """The ISO date (text) of the Monday of the week holding `day` (an ISO date as text)."""
        return self.week(day)

    def sum_as(self, column: str, float_: bool = False) -> str:
        """sum(`column`) as an integer (or a float): PostgreSQL sums BIGINTs to NUMERIC (a Decimal in Python)."""
        return f"sum({column})"

    def next_week(self, day: str) -> str:
        """The ISO date (text) seven days after `day` (an ISO date as text)."""
        return f"date({day}, '+7 days')"

    def hours_between(self, start: str, end: str) -> str:
        """The hours from `start` to `end` (ISO 8601 texts), as a real number."""
        return f"((julianday({end}) - julianday({start})) * 24.0)"

    def has_fulltext(self, conn: Any) -> bool:
        return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'mentions_fts'").fetchone() is not None

    def fulltext(self, words: list[str]) -> tuple[str, str]:
        """A condition on mention `m` holding every word as a prefix, and its one parameter."""
        return ("m.id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?)",
                " ".join(f'"{w}"*' for w in words))

    def schema_version(self, conn: Any) -> int:
        return conn.execute("PRAGMA user_version").fetchone()[0]

    def set_schema_version(self, conn: Any, version: int) -> None:
        conn.execute(f"PRAGMA user_version = {int(version)}")

    def can_drop_column(self) -> bool:
        return sqlite3.sqlite_version_info >= (3, 35, 0)


_INTEGER_PK = re.compile(r"\bINTEGER PRIMARY KEY\b")
_INTEGER = re.compile(r"\bINTEGER\b")
_REAL = re.compile(r"\bREAL\b")
_WITHOUT_ROWID = re.compile(r"\)\s*WITHOUT ROWID", re.IGNORECASE)
_NOCASE_COLUMN = re.compile(r"\((\w+) COLLATE NOCASE\)")
_EXPLICIT_IDS = re.compile(r"^\s*INSERT INTO (\w+) \(id,", re.MULTILINE)
# A DESC index column, except `id` (a key, never NULL: the store's queries order it by plain `m.id DESC`).
_INDEX_DESC = re.compile(r"(?<!\bid )\bDESC\b(?!\s+NULLS)")


class _Postgres(Dialect):
    """PostgreSQL, for a team sharing one store."""

    name = "postgresql"
    begin = "BEGIN"
    no_limit = None  # LIMIT NULL: no limit
    for_update = " FOR UPDATE"

    def ddl(self, sql: str) -> list[str]:
        return list(_postgres_ddl(sql))

    def nocase(self, column: str) -> str:
        return f"lower({column})"

    def nocase_equals(self, column: str) -> str:
        return f"lower({column}) = lower(?)"

    def order(self, column: str, descending: bool) -> str:
        return f"{column} {'DESC NULLS LAST' if descending else 'ASC NULLS FIRST'}"

    def week(self, moment: str) -> str:
        return f"to_char(date_trunc('week', CAST({moment} AS timestamptz) AT TIME ZONE 'UTC'), 'YYYY-MM-DD')"

    def week_of_day(self, day: str) -> str:
        # A date, not a moment: cast to timestamptz it would be midnight in the session's time zone.
        return f"to_char(CAST({day} AS date) - (CAST(extract(isodow FROM CAST({day} AS date)) AS INTEGER) - 1), 'YYYY-MM-DD')"

    def sum_as(self, column: str, float_: bool = False) -> str:
        return f"CAST(sum({column}) AS {'DOUBLE PRECISION' if float_ else 'BIGINT'})"

    def next_week(self, day: str) -> str:
        return f"to_char(CAST({day} AS date) + 7, 'YYYY-MM-DD')"

    def hours_between(self, start: str, end: str) -> str:
        # extract() gives numeric (a Decimal in Python): a double, as SQLite's real.
        return (f"(CAST(extract(epoch FROM CAST({end} AS timestamptz) - CAST({start} AS timestamptz))"
                " AS DOUBLE PRECISION) / 3600.0)")

    def has_fulltext(self, conn: Any) -> bool:
        return True  # the generated tsvector column is part of the schema (migration 2)

    def fulltext(self, words: list[str]) -> tuple[str, str]:
        # Words are letters and digits only (mentions.search_words), so they need no tsquery quoting.
        # rapport_fold: the column's own accent folding (desktop/store/search_folding.py), so "cafe" finds "café".
        return "m.search @@ to_tsquery('simple', rapport_fold(?))", " & ".join(f"{w}:*" for w in words)

    def schema_version(self, conn: Any) -> int:
        if conn.execute("SELECT to_regclass('rapport_schema')").fetchone()[0] is None:
            return 0
        row = conn.execute("SELECT version FROM rapport_schema").fetchone()
        return row[0] if row else 0

    def set_schema_version(self, conn: Any, version: int) -> None:
        conn.execute("CREATE TABLE IF NOT EXISTS rapport_schema (version INTEGER NOT NULL)")
        if conn.execute("UPDATE rapport_schema SET version = ?", (version,)).rowcount == 0:
            conn.execute("INSERT INTO rapport_schema (version) VALUES (?)", (version,))

    def can_drop_column(self) -> bool:
        return True


# The full-text index on PostgreSQL (SQLite's is the FTS5 table of migration 2): a generated tsvector column and
# a GIN index. 'simple' keeps every word as written, like FTS5's unicode61; a later step (search_folding.py)
# rebuilds the column to fold accents as FTS5's remove_diacritics does.
POSTGRES_FULLTEXT = """
ALTER TABLE mentions ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', title || ' ' || text || ' ' || author)) STORED;
CREATE INDEX mentions_search ON mentions USING GIN (search);
"""


@functools.lru_cache(maxsize=256)
def _postgres_ddl(sql: str) -> tuple[str, ...]:
    """SQLite DDL as PostgreSQL, where the difference is mechanical: identity keys, 64-bit integers, doubles,
    no WITHOUT ROWID, lower() for NOCASE, DESC index columns with SQLite's NULL placement; a table given explicit
    ids gets its identity moved past them."""
    out = _INTEGER_PK.sub("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql)
    out = _INTEGER.sub("BIGINT", out)
    out = _REAL.sub("DOUBLE PRECISION", out)
    out = _WITHOUT_ROWID.sub(")", out)
    out = _NOCASE_COLUMN.sub(r"(lower(\1))", out)
    if out.lstrip().upper().startswith(("CREATE INDEX", "CREATE UNIQUE INDEX")):
        # In the order the inbox asks for (`order()`: DESC NULLS LAST, SQLite's placement); PostgreSQL's DESC
        # index puts NULLs first, and an index in another order cannot serve an ORDER BY ... LIMIT.
        out = _INDEX_DESC.sub("DESC NULLS LAST", out)
    return (out, *(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                   for table in _EXPLICIT_IDS.findall(sql)))


SQLITE = Dialect()
POSTGRES = _Postgres()


def of(conn: Any) -> Dialect:
    """The dialect of a store connection (a PostgreSQL connection says so; sqlite3's does not)."""
    return getattr(conn, "dialect", SQLITE)
