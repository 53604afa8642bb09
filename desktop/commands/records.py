"""`rapport clients` and `rapport projects`: the records feedback is linked to."""
from __future__ import annotations

import argparse

from desktop.commands.common import checked_arg, print_json, print_row, say, store
from desktop.records import validation


def _handle(text: str) -> tuple[str, str]:
    site, sep, name = text.partition(":")
    if not sep or not site.strip() or not name.strip():
        raise argparse.ArgumentTypeError(f"a handle is SITE:NAME (e.g. upwork:jane_doe), got {text!r}")
    return site.strip(), name.strip()


def register(sub: argparse._SubParsersAction) -> None:
    clients = sub.add_parser("clients", help="add or list clients").add_subparsers(dest="action", required=True)
    add = clients.add_parser("add", help="add a client")
    add.add_argument("name")
    add.add_argument("--email", type=checked_arg(validation.email))
    add.add_argument("--notes", default="")
    add.add_argument("--handle", action="append", type=_handle, default=[], metavar="SITE:NAME",
                     help="the client's name on a site, for automatic linking (repeatable)")
    add.set_defaults(func=add_client)
    lst = clients.add_parser("list", help="list clients")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=list_clients)

    projects = sub.add_parser("projects", help="add or list projects").add_subparsers(dest="action", required=True)
    padd = projects.add_parser("add", help="add a project for a client")
    padd.add_argument("title")
    padd.add_argument("--client", required=True, help="client name or id")
    padd.add_argument("--started", help="YYYY-MM-DD")
    padd.add_argument("--due", help="YYYY-MM-DD")
    padd.add_argument("--delivered", help="YYYY-MM-DD")
    padd.add_argument("--budget", type=checked_arg(validation.budget))
    padd.add_argument("--status", default="active")
    padd.add_argument("--notes", default="")
    padd.set_defaults(func=add_project)
    plst = projects.add_parser("list", help="list projects")
    plst.add_argument("--client", help="only this client's projects")
    plst.add_argument("--json", action="store_true")
    plst.set_defaults(func=list_projects)


def add_client(args: argparse.Namespace) -> int:
    from desktop.store import clients

    with store(args) as conn:
        client = clients.add(conn, args.name, email=args.email, notes=args.notes, handles=args.handle)
    say(f"client {client.id}: {client.name}")
    return 0


def list_clients(args: argparse.Namespace) -> int:
    from desktop.store import clients

    with store(args) as conn:
        for client in clients.all_clients(conn):
            handles = [f"{s}:{h}" for s, h in client.handles]
            if args.json:
                print_json({"id": client.id, "name": client.name, "email": client.email, "handles": handles})
            else:
                print_row(client.id, client.name, client.email or "", " ".join(handles))
    return 0


def add_project(args: argparse.Namespace) -> int:
    from desktop.store import clients, projects

    with store(args) as conn:
        client = clients.resolve(conn, args.client)
        project = projects.add(
            conn, client.id, args.title, started=projects.parse_date(args.started, "--started"),
            due=projects.parse_date(args.due, "--due"), delivered=projects.parse_date(args.delivered, "--delivered"),
            budget=args.budget, status=args.status, notes=args.notes)
    say(f"project {project.id}: {project.title} ({client.name})")
    return 0


def list_projects(args: argparse.Namespace) -> int:
    from desktop.store import clients, projects

    with store(args) as conn:
        names = dict(clients.names(conn))
        rows = (projects.for_client(conn, clients.resolve(conn, args.client).id) if args.client
                else projects.all_projects(conn))
        for p in rows:
            if args.json:
                print_json({"id": p.id, "client": names.get(p.client), "title": p.title, "status": p.status,
                            "started": p.started and p.started.isoformat(), "due": p.due and p.due.isoformat(),
                            "delivered": p.delivered and p.delivered.isoformat(), "budget": p.budget})
            else:
                print_row(p.id, names.get(p.client, ""), p.title, p.status, p.started or "", p.due or "",
                          p.delivered or "")
    return 0
