"""Who is on the team database right now: the name each desktop's connections carry, and whose desktop polls.

Every Rapport connection to a team database names its person in PostgreSQL's `application_name` ("Rapport: Alex",
percent-encoded, as the server keeps only printable ASCII there). `pg_stat_activity` shows that column, and
`pg_locks` the advisory lock's holder, to every role without extra privileges, so a status bar can say "Polling:
Sam's desktop" with no table of its own and nothing to clean up when a desktop dies: its row goes with it.
"""
from __future__ import annotations

from urllib.parse import quote, unquote

__all__ = ["APP", "application_name", "person_of", "poller_person"]

APP = "Rapport"
_PREFIX = f"{APP}: "
_MAX = 63  # PostgreSQL keeps NAMEDATALEN - 1 bytes of an application_name


def application_name(person: str) -> str:
    """What this desktop's connections call themselves: Rapport, and the person's name when one is set."""
    if not person.strip():
        return APP
    encoded = quote(person.strip(), safe=" .'-_")
    return _PREFIX + _cut(encoded, _MAX - len(_PREFIX))


def _cut(encoded: str, limit: int) -> str:
    """`encoded` cut to `limit` characters without splitting a %XX escape."""
    if len(encoded) <= limit:
        return encoded
    cut = encoded[:limit]
    tail = cut.rfind("%")
    return cut[:tail] if tail >= len(cut) - 2 else cut


def person_of(app_name: str | None, role: str | None) -> str:
    """The person a connection belongs to: the name in its application_name, else its database role."""
    if app_name and app_name.startswith(_PREFIX):
        return unquote(app_name[len(_PREFIX):])
    return role or ""


def poller_person(conn: object, lock_key: int) -> str | None:
    """The person whose desktop holds the team's poller lock (`lock_key`, a 64-bit advisory lock), or None when
    no desktop holds it now (the holder went away and another has not taken over yet)."""
    # A bigint advisory key is kept as its high 32 bits (classid) and low 32 bits (objid), objsubid 1.
    row = conn.execute(  # type: ignore[attr-defined]
        "SELECT a.application_name, a.usename FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
        " AND l.classid = CAST(? AS oid) AND l.objid = CAST(? AS oid) AND l.database ="
        " (SELECT oid FROM pg_database WHERE datname = current_database())",
        ((lock_key >> 32) & 0xFFFFFFFF, lock_key & 0xFFFFFFFF)).fetchone()
    return None if row is None else person_of(row[0], row[1])
