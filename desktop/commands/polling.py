"""`rapport sources`, `rapport poll` and `rapport parse`: what to watch, a poll now, and a parser on a saved page."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from desktop.commands.common import CommandError, checked_arg, id_arg, print_json, print_row, say, store
from desktop.records import validation

_DURATION = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def interval(text: str) -> int:
    """A poll interval: seconds, or a number with s/m/h/d (e.g. 30m, 6h), from a minute to 30 days."""
    match = _DURATION.match(text)
    if not match or not match.group(1).isascii():
        raise validation.Invalid(f"the interval must be seconds or a number with a unit like 30m, 6h or 1d, "
                                 f"not {text.strip()!r}")
    return validation.interval(int(match.group(1)) * _UNITS[match.group(2).lower()])


def _kind(kind: str) -> type:
    import scrapers

    known = scrapers.load_all()
    if kind not in known:
        raise CommandError(f"unknown kind {kind!r}; known kinds: {', '.join(sorted(known))}")
    return known[kind]


def register(sub: argparse._SubParsersAction) -> None:
    sources = sub.add_parser("sources", help="add, list or remove the places Rapport watches")
    actions = sources.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="watch a page, feed or forum")
    add.add_argument("kind", help="the kind of source (e.g. trustpilot, feeds, hackernews, reddit, discourse)")
    add.add_argument("url", type=checked_arg(validation.web_address), nargs="?", default=None,
                     help="the page, feed or forum; optional for kinds with a fixed address (hackernews, reddit)")
    add.add_argument("--label", default="", help="a name to show instead of the URL")
    add.add_argument("--interval", type=checked_arg(interval), default=3600, help="how often to poll (default 1h)")
    add.add_argument("--terms", nargs="+", default=[], metavar="TERM",
                     help="forum kinds: names, brands, handles or sites to look for (default: your My names)")
    add.add_argument("--exclude", nargs="+", default=[], metavar="TERM", help="forum kinds: drop hits with these")
    add.add_argument("--credentials", action="store_true",
                     help="ask for the kind's credentials (an app key) and keep them in the system keyring")
    add.set_defaults(func=add_source)
    names = actions.add_parser("my-names", help="the names forum sources look for unless they have their own")
    names.add_argument("terms", nargs="*", metavar="TERM", help="set these (none: show the current ones)")
    names.add_argument("--exclude", nargs="*", default=None, metavar="TERM", help="drop hits with these")
    names.set_defaults(func=my_names)
    kinds = actions.add_parser("kinds", help="the kinds of source, with what each reads and its limits")
    kinds.set_defaults(func=list_kinds)
    lst = actions.add_parser("list", help="sources with their state and last error")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=list_sources)
    rm = actions.add_parser("remove", help="stop watching a source and drop what it found")
    rm.add_argument("id", type=id_arg("the source id"))
    rm.set_defaults(func=remove_source)

    poll = sub.add_parser("poll", help="poll sources now")
    poll.add_argument("--once", action="store_true", help="poll each source once and exit")
    poll.add_argument("--source", type=id_arg("--source"), metavar="ID", help="poll only this source")
    poll.add_argument("--json", action="store_true")
    poll.set_defaults(func=poll_sources)

    parse = sub.add_parser("parse", help="run a source's parser on a saved page (never opens the store)")
    parse.add_argument("--kind", required=True)
    parse.add_argument("--url", type=checked_arg(validation.web_address),
                       help="the page's address, for links in the output")
    parse.add_argument("--selectors", default=None, metavar="JSON",
                       help='css kind: the selectors, e.g. \'{"item": "div.review", "text": "p", "author": ".name"}\'')
    parse.add_argument("file", help="a saved page or feed, or - for stdin")
    parse.set_defaults(func=parse_file)


def list_kinds(args: argparse.Namespace) -> int:
    import scrapers

    for kind, cls in sorted(scrapers.load_all().items()):
        print(f"{kind} ({cls.title()})\n" + "\n".join(f"    {line}".rstrip() for line in cls.help_markdown().splitlines())
              + "\n")
    return 0


def add_source(args: argparse.Namespace) -> int:
    from desktop.store import sources
    from scrapers.terms import clean_terms

    cls = _kind(args.kind)
    url = args.url or cls.default_url
    if not url:
        raise CommandError(f"a {args.kind} source needs the address of the page, feed or forum to watch")
    if cls.max_interval_s and args.interval > cls.max_interval_s:
        raise CommandError(f"{args.kind} sources are checked at least every {_duration(cls.max_interval_s)} "
                           f"(the site's terms ask for fresh data): use --interval {_duration(cls.max_interval_s)} "
                           "or less")
    config: dict[str, object] = {}
    if args.terms or args.exclude:
        if not cls.uses_terms:
            raise CommandError(f"{args.kind} sources read a page as it is; --terms and --exclude are for forum kinds")
        config = {"terms": list(clean_terms(args.terms)), "exclude": list(clean_terms(args.exclude))}
    typed = _ask_credentials(cls) if args.credentials else {}
    with store(args) as conn:
        row = sources.add(conn, args.kind, url, label=args.label.strip(), interval_s=args.interval, config=config)
        if typed:
            _keep_credentials(conn, row.id, typed)
    terms = f", looking for {', '.join(config['terms'])}" if config.get("terms") else ""  # type: ignore[arg-type]
    kept = f"; {len(typed)} credential{'s' if len(typed) != 1 else ''} kept in the keyring" if typed else ""
    say(f"source {row.id} added: {row.kind} {row.url} (every {_duration(row.interval_s)}){terms}{kept}")
    return 0


def _ask_credentials(cls: type) -> dict[str, str]:
    """Each credential the kind declares, typed at a hidden prompt (or one line each from a pipe)."""
    import getpass

    fields = [c for c in cls.credential_fields() if c.asked]  # a sign-in kept after connecting is not typed
    if not fields:
        raise CommandError(f"{cls.kind} sources need no credentials")
    typed: dict[str, str] = {}
    for credential in fields:
        prompt = f"{credential.label} (Enter to skip): "
        if sys.stdin.isatty():
            value = getpass.getpass(prompt) if credential.secret else input(prompt)
        else:
            value = sys.stdin.readline().rstrip("\r\n")
        if value.strip():
            typed[credential.name] = value.strip()
    return typed


def _keep_credentials(conn: object, source_id: int, typed: dict[str, str]) -> None:
    """Into the keyring, or nowhere: without a keyring the source just added is removed again."""
    from desktop import secrets
    from desktop.store import sources

    try:
        for name, value in typed.items():
            secrets.set_secret(source_id, value, name)
    except secrets.SecretStoreUnavailable as exc:
        for name in typed:
            try:
                secrets.delete_secret(source_id, name)
            except secrets.SecretStoreUnavailable:
                pass
        sources.remove(conn, source_id)  # type: ignore[arg-type]
        raise CommandError(f"{exc} The source was not added.") from None


def my_names(args: argparse.Namespace) -> int:
    from desktop.store import settings
    from scrapers.terms import clean_terms

    with store(args) as conn:
        if args.terms or args.exclude is not None:
            changes: dict[str, object] = {}
            if args.terms:
                changes["my_names"] = list(clean_terms(args.terms))
            if args.exclude is not None:
                changes["my_names_exclude"] = list(clean_terms(args.exclude))
            settings.put(conn, **changes)
        names = settings.get(conn, "my_names") or []
        exclude = settings.get(conn, "my_names_exclude") or []
    print("my names: " + (", ".join(names) if names else "(none yet)"))
    if exclude:
        print("excluding: " + ", ".join(exclude))
    return 0


def _duration(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def list_sources(args: argparse.Namespace) -> int:
    from desktop.store import sources

    with store(args) as conn:
        rows = sources.configured(conn)
    for row in rows:
        last_ok = row.last_ok.isoformat(timespec="minutes") if row.last_ok else "never"
        if args.json:
            print_json({"id": row.id, "kind": row.kind, "url": row.url, "label": row.label,
                        "interval_s": row.interval_s, "enabled": row.enabled, "state": row.state,
                        "last_ok": row.last_ok.isoformat() if row.last_ok else None, "last_error": row.last_error,
                        "tries": row.tries, "retry_at": row.retry_at.isoformat() if row.retry_at else None,
                        "terms": list(row.config.get("terms") or []),
                        "exclude": list(row.config.get("exclude") or [])})
        else:
            error = (row.last_error,) if row.last_error else ()
            print_row(row.id, row.kind, row.state, last_ok, row.name, *error)
    if not rows and not args.json:
        print("no sources yet; add one with: rapport sources add KIND URL", file=sys.stderr)
    return 0


def remove_source(args: argparse.Namespace) -> int:
    from desktop.store import sources

    with store(args) as conn:
        sources.remove(conn, args.id)
    print(f"source {args.id} removed")
    return 0


def poll_sources(args: argparse.Namespace) -> int:
    from desktop.polling import poll_once
    from desktop.store import sources
    from scrapers.http import PoliteSession

    if not args.once:
        raise CommandError("the app polls continuously; from the command line use: rapport poll --once")
    with store(args) as conn:
        if args.source is not None:
            row = sources.get(conn, args.source)
            if row.built_in:
                raise CommandError(f"source {row.id} ({row.kind}) is built in and has nothing to poll")
            rows = [row]
        else:
            rows = [r for r in sources.configured(conn) if r.enabled]
        if not rows:
            raise CommandError("no sources to poll; add one with: rapport sources add KIND URL")
        results = []
        with PoliteSession() as session:
            for row in rows:
                result = poll_once(row, session, conn)
                results.append(result)
                if args.json:
                    print_json({"source": row.id, "kind": row.kind, "state": result.state, "new": result.new,
                                "alerts": list(result.alert_ids), "not_modified": result.not_modified,
                                "error": result.error, "tries": result.tries,
                                "retry_at": result.retry_at.isoformat() if result.retry_at else None})
                else:
                    print_row(row.id, row.kind, row.name, result.summary())
                    sys.stdout.flush()
    failed = [r for r in results if not r.ok]
    if failed and len(failed) == len(results):
        states = ", ".join(sorted({r.state for r in failed}))
        raise CommandError(f"all {len(results)} source{'s' if len(results) != 1 else ''} failed ({states})", 1)
    return 0


def _selectors(text: str | None) -> dict[str, str] | None:
    """--selectors as a JSON object of CSS selectors, or a clear error."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise CommandError(f"--selectors is not JSON ({exc})") from None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise CommandError('--selectors must be a JSON object of selectors, e.g. {"item": "div.review"}')
    return value


def parse_file(args: argparse.Namespace) -> int:
    from scrapers.base import ScrapeError
    from scrapers.text import decode

    source_cls = _kind(args.kind)
    name = "stdin" if args.file == "-" else args.file
    try:
        body = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {name}: {exc.strerror or exc}") from None
    if not body.strip():
        raise CommandError(f"{name} is empty")
    reader = source_cls(selectors=_selectors(args.selectors)) if source_cls.takes_selectors else source_cls()
    try:
        mentions = reader.parse_page(body if source_cls.takes_bytes else decode(body), args.url or "")
    except ScrapeError as exc:
        raise CommandError(f"{name}: not a readable {args.kind} page: {exc}", 1) from None
    if not mentions:
        raise CommandError(f"{name}: no reviews or mentions found for kind {args.kind!r} "
                           "(a page of another kind, or one without reviews)", 1)
    for mention in mentions:
        print_json(mention.to_json())
    if mentions.unreadable:
        print(f"{name}: {mentions.note(source_cls.items_called)}", file=sys.stderr)
    return 0
