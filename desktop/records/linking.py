"""Who a piece of feedback is about: a client's handle on that site, or the names a user gave."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.store import clients, projects


@dataclass(frozen=True)
class Link:
    client: int | None = None
    project: int | None = None


def link(conn: sqlite3.Connection, *, site: str, author: str, client_name: str | None = None,
         project_title: str | None = None) -> Link:
    """Resolve the client and project for one mention.

    Names given by the user win (and must exist: a typo is an error, not a silent miss); else the
    author's handle on that site. A client with exactly one project is linked to that project,
    since there is no doubt which work the feedback is about.
    """
    client_id: int | None = None
    if client_name:
        client_id = clients.resolve(conn, client_name).id
    elif author and site:
        client_id = clients.find_by_handle(conn, site, author)
    project_id: int | None = None
    if project_title:
        project = projects.resolve(conn, client_id, project_title)
        project_id, client_id = project.id, project.client
    elif client_id is not None:
        own = projects.for_client(conn, client_id)
        if len(own) == 1:
            project_id = own[0].id
    return Link(client_id, project_id)


def link_authors(conn: sqlite3.Connection, *, site: str, authors: Iterable[str]) -> dict[str, Link]:
    """link() for a page's authors when the user named no one: one query for all their handles (and one per
    linked client for its projects) instead of one a mention. Authors with no client are left out."""
    if not site:
        return {}
    single_project: dict[int, int | None] = {}
    out: dict[str, Link] = {}
    for author, client_id in clients.find_by_handles(conn, site, authors).items():
        if client_id not in single_project:
            own = projects.for_client(conn, client_id)
            single_project[client_id] = own[0].id if len(own) == 1 else None
        out[author] = Link(client_id, single_project[client_id])
    return out
