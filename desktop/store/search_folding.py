"""Accent-insensitive search on a team database, as SQLite's FTS5 (`remove_diacritics`) gives one person.

PostgreSQL folds accents with the `unaccent` extension (shipped with the server in Debian's packages, "trusted"
since PostgreSQL 13: the database's owner may create it). Its `unaccent()` is only STABLE (it reads a dictionary
found through search_path), so it cannot be used in the generated `search` column: `rapport_fold(text)` is an
IMMUTABLE wrapper naming the dictionary by its schema, the usual way round. Queries fold their words through
the same function, so "cafe" finds "café" and "café" finds "cafe".

Where the extension cannot be created (a role without CREATE on the database, a server without it),
`rapport_fold` is the identity: search works, without folding accents, and Settings > Team's "Test connection"
and the log say so. Once an administrator creates the extension, the next start as the schema's owner rebuilds
the column to fold (`refold_if_possible`).
"""
from __future__ import annotations

import logging
import unicodedata
from functools import lru_cache
from typing import Any

from desktop.store.db import StoreError, transaction

log = logging.getLogger(__name__)

__all__ = ["FOLD", "fold_accents", "folds_accents", "install", "refold_if_possible"]

FOLD = "rapport_fold"

_IDENTITY = f"CREATE OR REPLACE FUNCTION {FOLD}(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT" \
            " AS $$ SELECT $1 $$"
_SEARCH_COLUMN = f"""
ALTER TABLE mentions ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', {FOLD}(title || ' ' || text || ' ' || author))) STORED
"""
NOT_FOLDING = ("search on this team database does not fold accents (\"cafe\" does not find \"café\"): the "
               "unaccent extension could not be created. Ask its administrator to run CREATE EXTENSION unaccent "
               "in it, then start Rapport once as the schema's owner")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base if len(base) == 1 else ch  # one character for one: "ß", "æ" stay as they are


def fold_accents(text: str) -> str:
    """`text` without its accents, one character for one ("Café" -> "Cafe"), so a position in the folded text is
    the same position in `text`: what the reading pane marks for a search, which folds accents in the store (FTS5's
    remove_diacritics, `rapport_fold` here)."""
    return text if text.isascii() else "".join(_fold_char(ch) for ch in text)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _unaccent_schema(conn: Any) -> str | None:
    row = conn.execute("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                       " WHERE e.extname = 'unaccent'").fetchone()
    return row[0] if row else None


def _folding_function(schema: str) -> str:
    """rapport_fold through unaccent, its function and dictionary named with their schema (so search_path, which
    can change, never changes what an index holds)."""
    q = _quoted(schema)
    return (f"CREATE OR REPLACE FUNCTION {FOLD}(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
            f" AS $$ SELECT {q}.unaccent('{q}.unaccent'::regdictionary, $1) $$")


def _create_extension(conn: Any) -> str | None:
    """The schema of the unaccent extension, created here if it can be; None where it cannot (said in the log)."""
    schema = _unaccent_schema(conn)
    if schema is not None:
        return schema
    try:
        with transaction(conn):  # a savepoint: a refusal must not end the migration's transaction
            conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    except StoreError as exc:
        log.warning("%s (%s)", NOT_FOLDING, exc)
        return None
    return _unaccent_schema(conn)


def _rebuild_search(conn: Any) -> None:
    """The generated column again, through the current rapport_fold (PostgreSQL does not recompute a stored
    column when a function it uses changes)."""
    conn.execute("DROP INDEX IF EXISTS mentions_search")
    conn.execute("ALTER TABLE mentions DROP COLUMN IF EXISTS search")
    conn.execute(_SEARCH_COLUMN)
    conn.execute("CREATE INDEX mentions_search ON mentions USING GIN (search)")


def install(conn: Any) -> None:
    """The migration step on PostgreSQL (inside its transaction): rapport_fold, and the search column through it."""
    schema = _create_extension(conn)
    conn.execute(_IDENTITY if schema is None else _folding_function(schema))
    _rebuild_search(conn)


def folds_accents(conn: Any) -> bool:
    """Whether this team database's search folds accents (rapport_fold goes through unaccent)."""
    row = conn.execute("SELECT prosrc FROM pg_proc WHERE proname = ?", (FOLD,)).fetchone()
    return row is not None and "unaccent" in row[0]


def refold_if_possible(conn: Any) -> bool:
    """Once an administrator created the extension in a database set up without it, rebuild search to fold accents,
    when this role owns the mentions (the team's day-to-day role cannot, and is not asked to). True if rebuilt."""
    if folds_accents(conn) or conn.execute("SELECT to_regproc(?)", (FOLD,)).fetchone()[0] is None:
        return False
    schema = _unaccent_schema(conn)
    owner = conn.execute("SELECT pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = 'mentions'::regclass"
                         ).fetchone()
    if schema is None or not (owner and owner[0]):
        return False
    with transaction(conn):
        conn.execute(_folding_function(schema))
        _rebuild_search(conn)
    log.info("team database search now folds accents (unaccent found)")
    return True
