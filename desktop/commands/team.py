"""`rapport team`: move a single user's store to the team's PostgreSQL database, keep its password in the keyring."""
from __future__ import annotations

import argparse
import os
import sys

from desktop.commands.common import CommandError, print_row, say


def team_url(text: str) -> str:
    if not text.lower().startswith(("postgresql://", "postgres://")):
        raise argparse.ArgumentTypeError(f"a team database is a postgresql://USER@HOST/DATABASE address, not {text!r}")
    return text


def register(sub: argparse._SubParsersAction) -> None:
    team = sub.add_parser("team", help="share one store with a team on PostgreSQL")
    actions = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    move = actions.add_parser("migrate", help="copy this store (--db, else yours) into an empty team database")
    move.add_argument("--to", type=team_url, required=True, metavar="URL", help="postgresql://USER@HOST/DATABASE")
    move.add_argument("--allow-insecure", action="store_true",
                      help="allow a database on another host without TLS (a VPN or a lab network)")
    move.set_defaults(func=migrate_to_team)
    password = actions.add_parser("password", help="keep the team database's password in the system keyring")
    password.add_argument("url", type=team_url, metavar="URL", help="postgresql://USER@HOST/DATABASE")
    password.set_defaults(func=keep_password)
    name = actions.add_parser("name", help="the name you go by in the team (assignments, drafts, read state)")
    name.add_argument("name", metavar="NAME", help='e.g. "Sam Rivera"; empty: the database role\'s name')
    name.set_defaults(func=set_name)


def migrate_to_team(args: argparse.Namespace) -> int:
    from desktop import paths
    from desktop.store import StoreError, connect
    from desktop.store.postgres import ALLOW_INSECURE_ENV, shown_url
    from desktop.store.team_copy import TABLES, copy_store

    if str(args.db or os.environ.get(paths.DB_ENV) or "").lower().startswith(("postgresql://", "postgres://")):
        raise CommandError("--db names a team database already: give the SQLite store to move with --db PATH")
    source_path = paths.db_path(args.db)  # this desktop's own file, even when Settings > Team names a team database
    if not source_path.exists():
        raise CommandError(f"there is no store at {source_path} to move")
    if args.allow_insecure:
        os.environ[ALLOW_INSECURE_ENV] = "1"
    try:
        source = connect(source_path, read_only=True)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    try:
        target = connect(args.to)
    except StoreError as exc:
        source.close()
        raise CommandError(str(exc)) from exc
    try:
        copied = copy_store(source, target)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        source.close()
        target.close()
    for table in TABLES:
        print_row(table, copied[table])
    say(f"Moved {source_path} to {shown_url(args.to)}; counts verified, the SQLite file was left as it was. "
        f"Start Rapport with --db {shown_url(args.to)} (or RAPPORT_DB) on each desktop.")
    return 0


def set_name(args: argparse.Namespace) -> int:
    import dataclasses

    from desktop import team_config

    try:
        team_config.save(dataclasses.replace(team_config.load(), name=args.name.strip()))
    except team_config.TeamConfigError as exc:
        raise CommandError(str(exc)) from exc
    shown = args.name.strip() or "the database role's name"
    say(f"On this desktop you are {shown} in the team (kept here, not in the shared database).")
    return 0


def keep_password(args: argparse.Namespace) -> int:
    import getpass

    from desktop import secrets

    prompt = "Password of the team database (hidden): "
    value = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.readline().rstrip("\r\n")
    if not value:
        raise CommandError("no password typed: nothing was kept")
    try:
        secrets.set_team_password(args.url, value)
    except secrets.SecretStoreUnavailable as exc:
        raise CommandError(str(exc)) from exc
    say("The password is in the system keyring; Rapport reads it from there when it connects.")
    return 0
