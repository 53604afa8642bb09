"""`rapport outcomes`: whether answering negative reviews worked, per source and overall."""
from __future__ import annotations

import argparse
from datetime import date, datetime, time, timezone

from desktop.commands.common import print_json, store


def since_arg(text: str) -> datetime:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"--since takes a date as YYYY-MM-DD, such as 2026-01-31; "
                                         f"{text!r} is not one") from None
    return datetime.combine(day, time(), timezone.utc)


def register(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("outcomes", help="negative reviews answered, how fast, and what came of it")
    cmd.add_argument("--since", type=since_arg, metavar="DATE", help="only alerts raised on or after DATE")
    cmd.add_argument("--json", action="store_true", help="one JSON object: overall and per source")
    cmd.set_defaults(func=show_outcomes)


def _row(name: str, f) -> str:  # noqa: ANN001 - a records.outcomes.Figures
    median = "-" if f.median_hours_to_answer is None else f"{f.median_hours_to_answer:g} h"
    return (f"{name}\t{f.negatives} negative\t{f.answered} answered\tmedian {median} to answer\t"
            f"{f.recovered} recovered\t{f.removed} removed\t{f.won_back} won back\t{f.unchanged} unchanged")


def show_outcomes(args: argparse.Namespace) -> int:
    from desktop.records import outcomes
    from desktop.store.clock import utc_now

    from desktop.store.dashboard import Query

    now = utc_now()
    with store(args) as conn:
        alerted = Query(since=args.since)
        overall, per_source = outcomes.figures(conn, alerted, now), outcomes.by_source(conn, alerted, now)
    if args.json:
        print_json({"overall": overall.to_json(), "sources": {k: v.to_json() for k, v in per_source.items()}})
        return 0
    for name, figures in per_source.items():
        print(_row(name, figures))
    print(_row("all sources", overall))
    if overall.offers_in_recovered:
        offers = ", ".join(f"{name} ({n})" for name, n in overall.offers_in_recovered.items())
        print(f"offers in the replies that recovered: {offers}")
    return 0
