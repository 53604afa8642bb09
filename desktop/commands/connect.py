"""`rapport connect`: connect a source to your account on its site once (Upwork: sign in in the browser, and
Rapport keeps the sign-in in the system keyring and renews it by itself)."""
from __future__ import annotations

import argparse
import webbrowser

from desktop.commands.common import CommandError, store


def register(sub: argparse._SubParsersAction) -> None:
    connect = sub.add_parser("connect", help="connect a source to your account on its site (Upwork, with your API key)")
    connect.add_argument("source", type=int, help="the source's id (rapport sources list)")
    connect.add_argument("--wait", type=int, default=300, help="seconds to wait for the browser (default 300)")
    connect.add_argument("--redirect", default=None,
                         help="the callback address registered with your API key, if not the default "
                              "http://127.0.0.1:8765/upwork/callback")
    connect.set_defaults(func=connect_source)


def connect_source(args: argparse.Namespace) -> int:
    import scrapers
    from desktop import secrets
    from desktop.polling.request import read_credentials
    from desktop.store import sources
    from desktop.store.clock import utc_now
    from scrapers.base import ScrapeError
    from scrapers.http import PoliteSession

    with store(args) as conn:
        row = sources.get(conn, args.source)
    cls = scrapers.load_all().get(row.kind)
    connect = getattr(cls, "connect", None)
    if cls is None or connect is None:
        raise CommandError(f"{row.kind} sources have no account to connect")

    def open_browser(url: str) -> None:
        print(f"Opening your browser to allow Rapport to read your feedback; if it does not open, visit:\n{url}",
              flush=True)
        webbrowser.open(url)

    options = {"redirect_uri": args.redirect} if args.redirect else {}
    try:
        with PoliteSession() as session:
            kept = connect(session, row.url, read_credentials(cls, row.id), open_browser, utc_now(),
                           timeout=args.wait, **options)
        for name, value in kept.items():
            secrets.set_secret(row.id, value, name)
    except ScrapeError as exc:
        raise CommandError(f"not connected: {exc}") from None
    except secrets.SecretStoreUnavailable as exc:
        raise CommandError(f"not connected: {exc}") from None
    print(f"source {row.id} connected; the sign-in is kept in the system keyring")
    return 0
