"""`rapport drafts`: list saved reply drafts and export them as text, Markdown or email files."""
from __future__ import annotations

import argparse
from pathlib import Path

from desktop.commands.common import CommandError, id_arg, print_json, print_row, say, store
from desktop.text import one_line

FORMATS = ("txt", "md", "eml")


def register(sub: argparse._SubParsersAction) -> None:
    drafts = sub.add_parser("drafts", help="list or export reply drafts").add_subparsers(dest="action", required=True)
    lst = drafts.add_parser("list", help="drafts, newest first")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=list_drafts)
    exp = drafts.add_parser("export", help="write drafts to files named <client>-<date>-draft<ID>.<ext>")
    which = exp.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", type=id_arg("the draft id"), help="the draft to export")
    which.add_argument("--all", action="store_true", help="export every draft")
    exp.add_argument("--format", choices=FORMATS, default="txt", help="txt (default), md or eml")
    exp.add_argument("--out", required=True, type=Path, metavar="DIR", help="directory to write into")
    exp.add_argument("--force", action="store_true", help="overwrite files that already exist")
    exp.add_argument("--from", dest="sender", default="", metavar="EMAIL",
                     help="sender address for .eml (default: left for your mail program to fill in)")
    exp.set_defaults(func=export_drafts)


def list_drafts(args: argparse.Namespace) -> int:
    from desktop.store import drafts

    with store(args) as conn:
        rows = drafts.all_drafts(conn)
    for d in rows:
        latest = d.latest
        first = one_line(latest.body, 60) if latest else ""
        updated = (latest.created_at if latest else d.created_at).isoformat()
        if args.json:
            print_json({"id": d.id, "mention": d.mention, "project": d.project, "client": d.client_name,
                        "versions": d.versions, "status": d.status, "kind": latest.answers.kind if latest else None,
                        "updated": updated, "exported_to": latest.export_path if latest else None,
                        "text": latest.body if latest else ""})
        else:
            print_row(d.id, updated, d.status, f"v{d.versions}", d.client_name or d.author or "", first)
    return 0


def export_drafts(args: argparse.Namespace) -> int:
    from desktop.composer import export
    from desktop.store import drafts
    from desktop.store import settings

    if args.out.exists() and not args.out.is_dir():
        raise CommandError(f"--out {args.out} is a file, not a directory")
    with store(args) as conn:
        chosen = drafts.all_drafts(conn) if args.all else [drafts.get(conn, args.id)]
        chosen = [d for d in chosen if d.latest is not None or not args.all]
        if not chosen:
            raise CommandError("there are no saved drafts to export")
        # Refuse before writing anything, so a clash never leaves half the drafts exported.
        targets = [export.target(d, args.format, args.out) for d in chosen]
        clashes = [str(t) for t in targets if t.exists()]
        if clashes and not args.force:
            raise CommandError(f"{clashes[0]} already exists"
                               + (f" (and {len(clashes) - 1} more)" if len(clashes) > 1 else "")
                               + ": use --force to overwrite")
        sender = args.sender or settings.get(conn, "composer_from") or ""
        for d in chosen:  # every draft must render before the first file is written
            try:
                export.content(conn, d, args.format, sender=sender)
            except export.ExportError as exc:
                raise CommandError(f"draft {d.id}: {exc}") from exc
        for d, path in zip(chosen, targets):
            try:
                written = export.export(conn, d.id, args.format, path=path, force=args.force, sender=sender)
            except export.ExportError as exc:
                raise CommandError(str(exc)) from exc
            say(str(written))
            if d.url.startswith(("http://", "https://")):
                say(f"  paste it under the review: {d.url}")
    return 0
