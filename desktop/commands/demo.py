"""`rapport demo`: the app on a temporary store and a local server playing real sites, no internet needed."""
from __future__ import annotations

import argparse
import shutil
import signal
import tempfile
from pathlib import Path

from desktop.commands.common import number_arg

# About 20 s: long enough to look around the inbox first, short enough to see the alert within a minute.
DEFAULT_DELAY_S = 20.0
# How long after the user marks a reply posted the client raises the review (and how often that is checked).
UPDATE_AFTER_S = 15.0
WATCH_EVERY_MS = 3000


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="try Rapport on demo data, offline",
                            description="Open Rapport on a temporary store watching a local demo server. "
                                        "After --demo-delay seconds a client posts a 1-star review, and you "
                                        "see it arrive: poll, alert, notification, reply.")
    parser.add_argument("--demo-delay", type=number_arg("--demo-delay", 0), default=DEFAULT_DELAY_S,
                        metavar="SECONDS", help=f"when the new negative review appears (default {DEFAULT_DELAY_S:g})")
    parser.set_defaults(func=run)


def prepare(db_path: Path):  # noqa: ANN201 - returns (site, server, source ids)
    """Start the demo server and fill a fresh store from it, as a first poll would, with a year of history."""
    from desktop.shell.demo import DemoServer, DemoSite, seed
    from desktop.shell.demo_history import seed_history
    from desktop.polling import poll_all
    from desktop.store import alerts, connect
    from desktop.store import sources as source_store
    from desktop.store.clock import utc_now
    from scrapers.http import PoliteSession

    site = DemoSite()
    server = DemoServer(site).start()
    conn = connect(db_path)
    session = PoliteSession()
    try:
        ids = seed(conn, server.origin)
        seed_history(conn, utc_now())  # a year behind it, so the dashboard has trends on a first run
        poll_all(source_store.configured(conn), session, conn)
        alerts.mark_all_seen(conn, utc_now())  # old news: the demo is about the review still to come
    finally:
        session.close()
        conn.close()
    return site, server, ids


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer

    from desktop.shell.app import run_app

    delay = getattr(args, "demo_delay", DEFAULT_DELAY_S)
    # Until the app takes signals over, SIGTERM ends the demo like Ctrl+C: the temporary store still goes.
    signal.signal(signal.SIGTERM, _interrupt)
    with tempfile.TemporaryDirectory(prefix="rapport-demo-") as tmp:
        db_path = Path(tmp) / "demo.sqlite3"
        site, server, ids = prepare(db_path)

        def on_started(rapport) -> None:  # noqa: ANN001 - the RapportApp
            from desktop.shell.demo import posted_reply

            watch = QTimer(rapport.window)
            watch.setInterval(WATCH_EVERY_MS)

            def new_review() -> None:
                site.publish_late_review()
                rapport.scheduler.poll_now([ids["trustpilot"]])
                watch.start()

            def client_edits_up(reply: tuple) -> None:  # noqa: ANN001 - (text, posted at)
                site.publish_update(*reply)
                rapport.scheduler.poll_now([ids["trustpilot"]])

            def on_watch_timeout() -> None:
                # Answered? Then, a little later, the client raises the review: the inbox shows it recovered.
                reply = posted_reply(rapport.conn, ids["trustpilot"], site)
                if reply is not None:
                    watch.stop()
                    QTimer.singleShot(int(UPDATE_AFTER_S * 1000), lambda: client_edits_up(reply))

            watch.timeout.connect(on_watch_timeout)

            rapport.window.setWindowTitle("Rapport (demo)")
            rapport.window.statusBar().showMessage(
                f"Demo: a client is about to post a review on Trustpilot (in about {delay:g} s)…", int(delay * 1000))
            QTimer.singleShot(int(delay * 1000), new_review)

        def on_exit() -> None:  # the app ends the process at once: the temporary store goes first
            server.stop()
            shutil.rmtree(tmp, ignore_errors=True)

        try:
            return run_app(args, db_path=db_path, on_started=on_started, on_exit=on_exit)
        finally:
            server.stop()
