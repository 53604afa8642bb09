"""Clients and their handles on each site (what automatic linking matches authors against)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.records import validation
from desktop.records.validation import as_id
from desktop.store import dialect
from desktop.store.db import StoreError, checked, transaction


@dataclass(frozen=True)
class Client:
    id: int
    name: str
    email: str | None
    notes: str
    handles: tuple[tuple[str, str], ...] = ()


def normalise_site(site: str) -> str:
    return site.strip().lower()


def normalise_handle(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()


def add(conn: sqlite3.Connection, name: str, *, email: str | None = None, notes: str = "",
        handles: tuple[tuple[str, str], ...] | list[tuple[str, str]] = ()) -> Client:
    name = name.strip()
    if not name:
        raise StoreError("a client needs a name")
    email = checked(validation.email, email)
    with transaction(conn):
        if find_by_name(conn, name) is not None:
            raise StoreError(f"a client named {name!r} already exists")
        client_id = conn.execute("INSERT INTO clients (name, email, notes) VALUES (?, ?, ?) RETURNING id",
                                 (name, email or None, notes)).fetchone()[0]
        for site, handle in handles:
            add_handle(conn, client_id, site, handle)
    return get(conn, client_id)


def update(conn: sqlite3.Connection, client_id: int, *, name: str, email: str | None, notes: str,
           handles: list[tuple[str, str]]) -> Client:
    name = name.strip()
    if not name:
        raise StoreError("a client needs a name")
    email = checked(validation.email, email)
    with transaction(conn):
        other = find_by_name(conn, name)
        if other is not None and other.id != client_id:
            raise StoreError(f"a client named {name!r} already exists")
        conn.execute("UPDATE clients SET name = ?, email = ?, notes = ? WHERE id = ?",
                     (name, email or None, notes, client_id))
        conn.execute("DELETE FROM client_handles WHERE client = ?", (client_id,))
        for site, handle in handles:
            add_handle(conn, client_id, site, handle)
    return get(conn, client_id)


def add_handle(conn: sqlite3.Connection, client_id: int, site: str, handle: str) -> None:
    shown = handle.strip()
    site, handle = normalise_site(site), normalise_handle(handle)
    if not site or not handle:
        raise StoreError("a handle needs both a site and a name, as SITE:NAME")
    owner = conn.execute("SELECT client FROM client_handles WHERE site = ? AND handle = ?",
                         (site, handle)).fetchone()
    if owner is not None and owner[0] != client_id:
        raise StoreError(f"the handle {site}:{handle} already belongs to another client")
    conn.execute("INSERT INTO client_handles (client, site, handle, shown) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                 (client_id, site, handle, shown))


def get(conn: sqlite3.Connection, client_id: int) -> Client:
    row = conn.execute("SELECT * FROM clients WHERE id = ?", (client_id,)).fetchone()
    if row is None:
        raise StoreError(f"no client with id {client_id}")
    return _client(conn, row)


def find_by_name(conn: sqlite3.Connection, name: str) -> Client | None:
    row = conn.execute(f"SELECT * FROM clients WHERE {dialect.of(conn).nocase_equals('name')}",
                       (name.strip(),)).fetchone()
    return _client(conn, row) if row else None


def find_by_handle(conn: sqlite3.Connection, site: str, handle: str) -> int | None:
    row = conn.execute("SELECT client FROM client_handles WHERE site = ? AND handle = ?",
                       (normalise_site(site), normalise_handle(handle))).fetchone()
    return row[0] if row else None


def find_by_handles(conn: sqlite3.Connection, site: str, handles: Iterable[str]) -> dict[str, int]:
    """find_by_handle for many handles at once (a page's authors): handle as given -> client, for those known."""
    wanted: dict[str, list[str]] = {}
    for handle in handles:
        wanted.setdefault(normalise_handle(handle), []).append(handle)
    wanted.pop("", None)
    found: dict[str, int] = {}
    keys = list(wanted)
    for chunk in (keys[i:i + 500] for i in range(0, len(keys), 500)):
        rows = conn.execute(f"SELECT handle, client FROM client_handles WHERE site = ? AND handle IN"
                            f" ({','.join('?' * len(chunk))})", (normalise_site(site), *chunk))
        for handle, client in rows:
            found.update(dict.fromkeys(wanted[handle], client))
    return found


def resolve(conn: sqlite3.Connection, name_or_id: str | int) -> Client:
    """A client named or numbered by a user; a clear error when there is none."""
    client_id = as_id(name_or_id)
    if client_id is not None:
        try:
            return get(conn, client_id)
        except StoreError:
            pass
    found = find_by_name(conn, str(name_or_id))
    if found is None:
        raise StoreError(f"unknown client {name_or_id!r}: add it first with 'rapport clients add'")
    return found


def names(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """(id, name) of every client, without their handles: for pickers and confidentiality checks."""
    return [(r["id"], r["name"])
            for r in conn.execute(f"SELECT id, name FROM clients ORDER BY {dialect.of(conn).nocase('name')}")]


def all_clients(conn: sqlite3.Connection) -> list[Client]:
    rows = conn.execute(f"SELECT * FROM clients ORDER BY {dialect.of(conn).nocase('name')}").fetchall()
    return [_client(conn, row) for row in rows]


def linked_counts(conn: sqlite3.Connection, client_id: int) -> tuple[int, int]:
    """(projects, mentions) that deleting this client would affect: said to the user before they confirm."""
    projects = conn.execute("SELECT count(*) FROM projects WHERE client = ?", (client_id,)).fetchone()[0]
    mentions = conn.execute("SELECT count(*) FROM mentions WHERE client = ?", (client_id,)).fetchone()[0]
    return projects, mentions


def delete(conn: sqlite3.Connection, client_id: int) -> None:
    """Delete a client and its projects; its feedback stays, unlinked."""
    with transaction(conn):
        conn.execute("DELETE FROM clients WHERE id = ?", (client_id,))


def _client(conn: sqlite3.Connection, row: sqlite3.Row) -> Client:
    # Shown as the user typed them; matching uses the normalised `handle`.
    handles = tuple((h["site"], h["shown"] or h["handle"]) for h in conn.execute(
        "SELECT site, handle, shown FROM client_handles WHERE client = ? ORDER BY site, handle", (row["id"],)))
    return Client(row["id"], row["name"], row["email"], row["notes"], handles)
