"""`rapport import` and `rapport export`: feedback from a CSV or JSON file (for sites that block scrapers), and out."""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.commands.common import CommandError, say, store, store_target

if TYPE_CHECKING:  # the io modules load only when a subcommand runs, to keep CLI start-up light
    from desktop.io import ImportResult


def register(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser(
        "import", help="import feedback from a CSV or JSON file",
        description="Import feedback copied into a spreadsheet (CSV, any delimiter) or a JSON file. Columns are "
                    "found by name: text/review/comment/feedback (required), rating/stars/score, "
                    "date/posted/created, author/client/name/reviewer, title/headline/project, url/link, id, "
                    "site/platform, language. Rows with problems are listed and skipped; the rest are stored. "
                    "Importing the same file again adds nothing.")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--site", help="where the feedback was posted (e.g. upwork), for rows without a site column")
    order = imp.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True, default=None,
                       help="dates like 03/04/2024 are day/month/year (3 April)")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="dates like 03/04/2024 are month/day/year (March 4)")
    imp.add_argument("--dry-run", action="store_true", help="say what would be imported; store nothing")
    imp.set_defaults(func=import_feedback)

    exp = sub.add_parser("export", help="export feedback as CSV or JSON lines (the columns import reads)")
    exp.add_argument("--format", choices=("csv", "json"), help="csv or json (JSON lines); default: from --out's "
                                                                "extension, else csv")
    exp.add_argument("--out", required=True, type=Path, metavar="FILE", help="the file to write")
    exp.add_argument("--label", choices=("positive", "neutral", "negative"), help="only feedback with this label")
    exp.add_argument("--alerted", action="store_true", help="only feedback that raised an alert")
    exp.add_argument("--search", default="", help="only feedback with these words")
    exp.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    exp.set_defaults(func=export_feedback)


def import_feedback(args: argparse.Namespace) -> int:
    from desktop.io import ImportFailed, import_preview, read_file
    from desktop.store import connect

    try:
        preview = read_file(args.file, site=args.site, dayfirst=args.dayfirst)
    except ImportFailed as exc:
        raise CommandError(str(exc)) from exc
    if preview.needs_date_order:
        raise CommandError(f"{preview.date_question}: use --dayfirst or --monthfirst")
    if not preview.rows:
        for problem in preview.problems:
            say(str(problem))
        why = "every row has a problem" if preview.problems else "it has no feedback rows"
        raise CommandError(f"nothing could be read from {args.file}: {why}", exit_code=1)
    if args.dry_run:
        # A dry run imports into the store inside a transaction that is rolled back, so its counts are exact.
        # With no store yet, a throwaway one answers the same question without creating the user's.
        target = store_target(args)
        if isinstance(target, Path) and not target.exists():
            with tempfile.TemporaryDirectory() as tmp:
                conn = connect(Path(tmp) / "dry-run.sqlite3")
                try:
                    result = import_preview(conn, preview, dry_run=True)
                finally:
                    conn.close()
            return _report(result)
    with store(args) as conn:
        try:
            result = import_preview(conn, preview, dry_run=args.dry_run)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
    return _report(result)


def _report(result: ImportResult) -> int:
    summary = result.summary()
    print(f"dry run, nothing stored: {summary}" if result.dry_run else summary)
    for note in result.notes:
        say(f"note: {note}")
    for problem in result.problems:
        say(str(problem))
    return 0


def export_feedback(args: argparse.Namespace) -> int:
    from desktop.io.exporting import ExportFailed, export_mentions
    from desktop.store.mentions import Filter

    fmt = args.format or ("json" if args.out.suffix.lower() in (".json", ".jsonl", ".ndjson") else "csv")
    # Checked before the store is opened: a refused export changes nothing, not even a new empty store.
    if args.out.exists() and not args.force and not args.out.is_dir():
        raise CommandError(f"{args.out} already exists: use --force to overwrite it")
    flt = Filter(label=args.label, alerted=args.alerted, search=args.search)
    with store(args) as conn:
        try:
            count = export_mentions(conn, args.out, fmt=fmt, flt=flt, force=args.force)
        except ExportFailed as exc:
            raise CommandError(str(exc)) from exc
    print(f"{count} mention{'s' if count != 1 else ''} written to {args.out}")
    return 0
