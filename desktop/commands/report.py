"""`rapport report`: the dashboard's figures for a range as a PDF, headless (Qt's offscreen platform)."""
from __future__ import annotations

import argparse
import os
import sqlite3
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from desktop.commands.common import CommandError, id_arg, store


def date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"a date is YYYY-MM-DD, such as 2026-01-31; {text!r} is not one") from None


def register(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("report", help="a PDF report: headline figures and outcomes, the dashboard's "
                                        "charts, the worst unanswered negatives")
    cmd.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help="the PDF to write")
    cmd.add_argument("--since", type=date_arg, metavar="DATE", help="from this day on (UTC); default: everything")
    cmd.add_argument("--until", type=date_arg, metavar="DATE", help="up to and including this day (UTC)")
    cmd.add_argument("--source", type=id_arg("--source"), metavar="ID",
                     help="only this source's feedback (ids: rapport sources list)")
    cmd.add_argument("--client", metavar="NAME", help="only the feedback linked to this client")
    cmd.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    cmd.set_defaults(func=write_report)


def _start_of(day: date | None, *, days: int = 0) -> datetime | None:
    return None if day is None else datetime.combine(day + timedelta(days=days), time(), timezone.utc)


def write_report(args: argparse.Namespace) -> int:
    from desktop.store.dashboard import Query

    out: Path = args.out
    if out.is_dir():
        raise CommandError(f"{out} is a folder: give the PDF's file name")
    if out.exists() and not args.force:
        raise CommandError(f"{out} already exists: use --force to overwrite it")
    if not out.parent.is_dir():
        raise CommandError(f"the folder {out.parent} does not exist")
    if args.since and args.until and args.until < args.since:
        raise CommandError("--until is before --since")
    since, until = _start_of(args.since), _start_of(args.until, days=1)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed: QtGui only, no widgets
    from PySide6.QtGui import QGuiApplication

    from desktop import report
    from desktop.records.dashboard import build
    from desktop.store.clock import utc_now

    app = QGuiApplication.instance() or QGuiApplication(["rapport"])  # noqa: F841 - fonts need an application
    now = utc_now()
    with store(args) as conn:
        source_id, client_id, scope = _filters(conn, args)
        board = build(conn, Query(since=since, until=until, source=source_id, client=client_id), now)
    try:
        report.write_pdf(board, out, now, scope=scope)
    except OSError as exc:
        raise CommandError(f"could not write the report: {exc}") from exc
    print(f"wrote {out}: {board.trends.headline.mentions} mentions, {report.range_words(board, now)}"
          + (f", {scope}" if scope else ""))
    return 0


def _filters(conn: sqlite3.Connection, args: argparse.Namespace) -> tuple[int | None, int | None, str]:
    """The --source and --client asked for: their ids, and in words for the report's header."""
    from desktop.store import clients, sources

    source_id = client_id = None
    words = []
    if args.source is not None:
        found = next((s for s in sources.all_sources(conn) if s.id == args.source), None)
        if found is None:
            raise CommandError(f"no source with id {args.source} (see rapport sources list)")
        source_id = found.id
        words.append(f"Source: {found.name}")
    if args.client is not None:
        client = clients.find_by_name(conn, args.client)
        if client is None:
            raise CommandError(f"no client named {args.client!r} (see rapport clients list)")
        client_id = client.id
        words.append(f"Client: {client.name}")
    return source_id, client_id, " · ".join(words)
