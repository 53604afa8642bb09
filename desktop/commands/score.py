"""`rapport score`: sentiment of texts from the arguments or stdin, one JSON line each. Never opens the store."""
from __future__ import annotations

import argparse
import sys

from desktop.commands.common import print_json, rating_arg


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("score", help="score texts for sentiment (JSON lines)",
                            description="Score each TEXT, or each line of stdin when no TEXT is given.")
    parser.add_argument("texts", nargs="*", metavar="TEXT")
    parser.add_argument("--rating", type=rating_arg, help="star rating (1-5) that goes with the text")
    parser.add_argument("--language", help="language code when known (e.g. en, de)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from desktop.scoring import score

    texts = args.texts if args.texts else (line.rstrip("\r\n") for line in sys.stdin)
    for text in texts:
        result = score(text, args.rating, args.language)
        print_json({"text": text, **result.to_json()})
    return 0
