"""Moving a single user's SQLite store into an empty team database, counted table by table.

The single user's read state becomes that of the person moving it (who runs `rapport team migrate`); alerts they
had seen stay seen for the whole team (alerts.seen_at from before seen was per person), so a new teammate's tray
does not start with every old alert.

Everything is copied with its ids (links between records stay as they were) in one PostgreSQL transaction: a
failure or a count that does not match leaves the team database as it was. The SQLite file is only read.
"""
from __future__ import annotations

from typing import Any

from desktop.store import migrations, team
from desktop.store.db import StoreError, transaction
from desktop.store.sources import BUILT_IN

# In the order their foreign keys need.
TABLES = ("settings", "clients", "client_handles", "projects", "sources", "mentions", "reads", "revisions", "alerts",
          "alerts_seen", "drafts", "draft_versions", "corrections", "learned_words", "forgotten_words",
          "learned_adjustment")
# Tables whose `id` the team database generates: moved past the copied ids afterwards.
_IDENTITY_TABLES = ("clients", "projects", "sources", "mentions", "alerts", "drafts")
_BATCH = 1000
_MAX_PARAMETERS = 60_000  # PostgreSQL's limit is 65,535 a statement


def _columns_sqlite(conn: Any, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def _columns_postgres(conn: Any, table: str) -> set[str]:
    return {r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND table_name = ? AND is_generated = 'NEVER'", (table,))}


def _skip_built_in(table: str) -> tuple[str, tuple[int, ...]]:
    """The built-in manual and import sources exist in every store already."""
    if table == "sources":
        return f" WHERE id NOT IN ({','.join('?' * len(BUILT_IN))})", BUILT_IN
    return "", ()


def user_rows(conn: Any) -> dict[str, int]:
    """Rows per table that a person put there (the built-in sources do not count)."""
    counts = {}
    for table in TABLES:
        where, args = _skip_built_in(table)
        counts[table] = conn.execute(f"SELECT count(*) FROM {table}{where}", args).fetchone()[0]
    return counts


def copy_store(source: Any, target: Any) -> dict[str, int]:
    """Copy every record of `source` (SQLite, at the latest schema) into `target` (a migrated, empty team
    database); returns the rows copied per table, verified against the target's counts."""
    if migrations.version(source) != migrations.LATEST:
        raise StoreError("this store was written by an older Rapport: open it once with this version (it is "
                         "upgraded on opening), then move it")
    found = {t: n for t, n in user_rows(target).items() if n}
    if found:
        listed = ", ".join(f"{n} {t}" for t, n in found.items())
        raise StoreError(f"the team database is not empty ({listed}): Rapport moves a store only into an empty "
                         "one, so nothing of the team's is mixed or overwritten")
    expected = user_rows(source)
    expected["reads"] += source.execute("SELECT count(*) FROM mentions WHERE read_at IS NOT NULL").fetchone()[0]
    with transaction(target):
        for table in TABLES:
            _copy_table(source, target, table)
        _keep_read_state(target)
        for table in _IDENTITY_TABLES:
            target.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                           f" greatest((SELECT max(id) FROM {table}), 1))")
        copied = user_rows(target)
        if copied != expected:
            wrong = ", ".join(f"{t}: {expected[t]} read, {copied[t]} written" for t in TABLES
                              if copied[t] != expected[t])
            raise StoreError(f"the copy did not match ({wrong}): nothing was kept in the team database")
    return copied


def _keep_read_state(target: Any) -> None:
    """What the single user had read stays read for them, the person moving the store (a team reads per person,
    in `reads`; the mention's own read_at, copied as it was, is the single-user form). Teammates start unread."""
    target.execute("INSERT INTO reads (person, mention, read_at) SELECT ?, id, read_at FROM mentions"
                   " WHERE read_at IS NOT NULL", (team.person(target),))


def _copy_table(source: Any, target: Any, table: str) -> None:
    wanted = _columns_postgres(target, table)
    columns = [c for c in _columns_sqlite(source, table) if c in wanted]
    names = ", ".join(columns)
    where, args = _skip_built_in(table)
    row = f"({', '.join('?' * len(columns))})"
    batch = max(1, min(_BATCH, _MAX_PARAMETERS // len(columns)))
    cursor = source.execute(f"SELECT {names} FROM {table}{where}", args)
    # A batch a statement, not a row a statement: the alerts' unseen tallies are kept by statement triggers (one
    # update of the tally per statement; 64,000 updates of one row in one transaction would each walk the others).
    while rows := cursor.fetchmany(batch):
        target.execute(f"INSERT INTO {table} ({names}) VALUES {', '.join([row] * len(rows))}",
                       [value for r in rows for value in r])
