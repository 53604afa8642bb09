"""`rapport feedback` and `rapport alerts`: feedback entered by hand, and what raised an alert."""
from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from desktop.commands.common import (CommandError, checked_arg, limit_arg, print_json, print_row, rating_arg,
                                     store)
from desktop.records import validation
from desktop.text import one_line

if TYPE_CHECKING:
    from desktop.store.mentions import StoredMention


def when_given(text: str) -> datetime:
    """When feedback was given: a date or date-time, naive values taken as local time, not in the future."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise validation.Invalid(f"the date must be written YYYY-MM-DD or YYYY-MM-DDTHH:MM, not {text.strip()!r}"
                                 ) from None
    try:
        moment = moment if moment.tzinfo else moment.astimezone()
        moment.astimezone(timezone.utc)  # what the store keeps
    except (OverflowError, ValueError):  # year 1 or 9999 at the edge of the calendar, in a far time zone
        if moment.year > 1:
            raise validation.Invalid(f"--date is in the future ({text.strip()}); give when it actually happened"
                                     ) from None
        raise validation.Invalid(f"the date {text.strip()!r} is out of range") from None
    return validation.not_in_future(moment, "--date")


def register(sub: argparse._SubParsersAction) -> None:
    feedback = sub.add_parser("feedback", help="add or list feedback").add_subparsers(dest="action", required=True)
    add = feedback.add_parser("add", help="add feedback that arrived by email, phone or elsewhere")
    add.add_argument("--text", required=True)
    add.add_argument("--rating", type=rating_arg, help="stars, 1-5")
    add.add_argument("--site", default="", help="where it was posted (e.g. upwork, email)")
    add.add_argument("--date", type=checked_arg(when_given), help="when it was given (YYYY-MM-DD)")
    add.add_argument("--author", default="")
    add.add_argument("--title", default="")
    add.add_argument("--url", type=checked_arg(validation.web_address), help="the review's address")
    add.add_argument("--client", help="client name or id")
    add.add_argument("--project", help="project title or id")
    add.set_defaults(func=add_feedback)
    lst = feedback.add_parser("list", help="list feedback, newest first")
    lst.add_argument("--label", choices=("positive", "neutral", "negative"))
    how_many = lst.add_mutually_exclusive_group()
    how_many.add_argument("--limit", type=limit_arg, default=100, help="at most this many (0: all; default 100)")
    how_many.add_argument("--all", action="store_const", const=0, dest="limit", help="every stored mention")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=list_feedback)

    alerts = sub.add_parser("alerts", help="list alerts").add_subparsers(dest="action", required=True)
    alst = alerts.add_parser("list", help="alerts, newest first")
    alst.add_argument("--limit", type=limit_arg, default=100)
    alst.add_argument("--json", action="store_true")
    alst.set_defaults(func=list_alerts)


def add_feedback(args: argparse.Namespace) -> int:
    from desktop.records.ingest import MANUAL_SOURCE_ID, Manual, ingest
    from scrapers.base import Mention

    if not args.text.strip():
        raise CommandError("--text is empty: there is no feedback to add")
    mention = Mention(text=args.text.strip(), author=args.author.strip(), url=args.url or "", posted_at=args.date,
                      rating=args.rating, title=args.title.strip())
    if (why := mention.problem()) is not None:  # e.g. bytes the terminal's encoding cannot read
        raise CommandError(f"this feedback cannot be stored: {why}")
    with store(args) as conn:
        [result] = ingest(conn, MANUAL_SOURCE_ID, [mention],
                          manual=Manual(site=args.site.strip().lower(), client=args.client, project=args.project))
    if not result.new:
        print(f"feedback {result.mention_id} was already stored; nothing added")
        return 0
    alert = f", alert {result.alert_id} raised" if result.alert_id else ""
    print(f"feedback {result.mention_id}: {result.label}{alert}")
    return 0


LIST_PAGE = 1000


def _listed(conn: sqlite3.Connection, label: str | None, limit: int) -> Iterator[StoredMention]:
    """Mentions newest first, a page at a time (keyset), so `--all` on 100,000 never holds them all."""
    from desktop.store import mentions

    left, after = limit or None, None
    while left is None or left > 0:
        size = LIST_PAGE if left is None else min(LIST_PAGE, left)
        page, after = mentions.window(conn, mentions.Filter(label=label), limit=size, after=after)
        yield from page
        if len(page) < size:
            return
        if left is not None:
            left -= len(page)


def list_feedback(args: argparse.Namespace) -> int:
    with store(args) as conn:
        for m in _listed(conn, args.label, args.limit):
            _print_mention(m, args.json)
    return 0


def _print_mention(m: StoredMention, as_json: bool) -> None:
    """One line: what the list shows (the reasons are never decoded: it does not print them)."""
    if as_json:
        print_json({"id": m.id, "when": m.when.isoformat(), "source": m.source_name, "site": m.site,
                    "author": m.author, "rating": m.rating, "compound": m.compound, "label": m.label,
                    "client": m.client_name, "project": m.project_title, "title": m.title, "text": m.text,
                    "url": m.url, "alerted": m.alerted})
    else:
        rating = f"{m.rating:g}/5" if m.rating is not None else "-"
        print_row(m.id, f"{m.when:%Y-%m-%d}", m.label, rating, m.client_name or "", one_line(m.first_line))


def list_alerts(args: argparse.Namespace) -> int:
    from desktop.store import alerts

    with store(args) as conn:
        rows = alerts.recent(conn, args.limit)
    for row in rows:
        first = one_line(row["title"] or row["text"])
        rating = f"{row['rating']:g}/5" if row["rating"] is not None else "-"
        if args.json:
            print_json({"id": row["id"], "time": row["raised_at"], "mention": row["mention"], "label": row["label"],
                        "rating": row["rating"], "text": first})
        else:
            print_row(row["id"], row["raised_at"], row["label"], rating, first)
    return 0
