"""A client's projects: the facts (dates, budget, status, notes) a response draws on."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields
from datetime import date

from desktop.records import validation
from desktop.records.validation import as_id
from desktop.store import dialect
from desktop.store.db import StoreError, checked, transaction

STATUSES = ("active", "delivered", "late", "on hold", "cancelled", "disputed")


@dataclass(frozen=True)
class Project:
    id: int
    client: int
    title: str
    started: date | None = None
    due: date | None = None
    delivered: date | None = None
    budget: float | None = None
    status: str = "active"
    notes: str = ""


_EDITABLE = ("title", "started", "due", "delivered", "budget", "status", "notes")


def parse_date(value: str | date | None, what: str = "date") -> date | None:
    """A user's date (YYYY-MM-DD) or nothing; a clear error otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise StoreError(f"{what} must be a date as YYYY-MM-DD, got {value!r}") from None


def _checked(title: str, started: date | None, due: date | None, delivered: date | None,
             budget: float | None, status: str) -> None:
    if not title.strip():
        raise StoreError("a project needs a title")
    if status not in STATUSES:
        raise StoreError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
    checked(validation.budget, budget)
    if started and due and due < started:
        raise StoreError("the due date is before the start date")
    if started and delivered and delivered < started:
        raise StoreError("the delivery date is before the start date")


def add(conn: sqlite3.Connection, client: int, title: str, *, started: date | None = None,
        due: date | None = None, delivered: date | None = None, budget: float | None = None,
        status: str = "active", notes: str = "") -> Project:
    _checked(title, started, due, delivered, budget, status)
    with transaction(conn):
        if conn.execute("SELECT 1 FROM clients WHERE id = ?", (client,)).fetchone() is None:
            raise StoreError(f"no client with id {client}")
        project_id = conn.execute(
            "INSERT INTO projects (client, title, started, due, delivered, budget, status, notes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (client, title.strip(), _iso(started), _iso(due), _iso(delivered), budget, status, notes),
        ).fetchone()[0]
    return get(conn, project_id)


def update(conn: sqlite3.Connection, project: Project) -> Project:
    _checked(project.title, project.started, project.due, project.delivered, project.budget, project.status)
    with transaction(conn):
        conn.execute(
            "UPDATE projects SET client = ?, title = ?, started = ?, due = ?, delivered = ?, budget = ?,"
            " status = ?, notes = ? WHERE id = ?",
            (project.client, project.title.strip(), _iso(project.started), _iso(project.due),
             _iso(project.delivered), project.budget, project.status, project.notes, project.id))
    return get(conn, project.id)


def get(conn: sqlite3.Connection, project_id: int) -> Project:
    row = conn.execute("SELECT * FROM projects WHERE id = ?", (project_id,)).fetchone()
    if row is None:
        raise StoreError(f"no project with id {project_id}")
    return _project(row)


def for_client(conn: sqlite3.Connection, client: int) -> list[Project]:
    rows = conn.execute("SELECT * FROM projects WHERE client = ? ORDER BY coalesce(started, '') DESC, id DESC",
                        (client,)).fetchall()
    return [_project(r) for r in rows]


def all_projects(conn: sqlite3.Connection) -> list[Project]:
    return [_project(r) for r in conn.execute("SELECT * FROM projects ORDER BY client, id")]


def resolve(conn: sqlite3.Connection, client: int | None, title_or_id: str | int) -> Project:
    """A project named (within its client) or numbered by a user."""
    text = str(title_or_id).strip()
    project_id = as_id(text)
    if project_id is not None:
        row = conn.execute("SELECT * FROM projects WHERE id = ?", (project_id,)).fetchone()
        if row is not None and (client is None or row["client"] == client):
            return _project(row)
    query, args = f"SELECT * FROM projects WHERE {dialect.of(conn).nocase_equals('title')}", [text]
    if client is not None:
        query += " AND client = ?"
        args.append(client)
    rows = conn.execute(query, args).fetchall()
    if not rows:
        raise StoreError(f"unknown project {text!r}" + (" for that client" if client is not None else ""))
    if len(rows) > 1:
        raise StoreError(f"several projects are called {text!r}: name the client too")
    return _project(rows[0])


def delete(conn: sqlite3.Connection, project_id: int) -> None:
    """Delete a project; feedback linked to it stays, linked to the client only."""
    with transaction(conn):
        conn.execute("DELETE FROM projects WHERE id = ?", (project_id,))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _project(row: sqlite3.Row) -> Project:
    names = {f.name for f in fields(Project)}
    data = {k: row[k] for k in row.keys() if k in names}
    for key in ("started", "due", "delivered"):
        data[key] = date.fromisoformat(data[key]) if data[key] else None
    return Project(**data)
