"""The README's team screenshot: two Rapport windows on ONE PostgreSQL database, side by side on one virtual screen;
Alex assigns an alert to Sam in the left window (Ctrl+Shift+A, types "Sam") and the right one, Sam's, shows it
after the notification. `python scripts/team_screenshot.py docs/team-two-windows.png`

Needs Xvfb, openbox, xdotool and ImageMagick's `import` (apt-get install xvfb openbox xdotool imagemagick) and the
PostgreSQL server binaries the tests use; the server is a throwaway one (tests/helpers/postgres.py), run as the
`postgres` user when started as root. Each window is a real `rapport` process with its own RAPPORT_HOME, whose
Settings > Team (team.json) names the database and the person.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.postgres import started_server  # noqa: E402

DISPLAY = ":57"
SCREEN = (2560, 1080)
WINDOW = (1275, 1040)
REVIEWS = [  # author, stars, site, days ago, text
    ("Priya Nair", 5, "upwork", 9, "Sam rebuilt our booking widget in two weeks. Clear updates, clean code, would "
                                   "hire again."),
    ("Jonas Weber", 4, "trustpilot", 8, "Good work on the landing page, a couple of small fixes needed after launch."),
    ("Tom Becker", 2, "trustpilot", 6, "The checkout worked in the end, but we waited three weeks for answers to "
                                       "simple questions."),
    ("Lena Fischer", 5, "email", 5, "Thank you for the quick turnaround on the newsletter template!"),
    ("Marta Silva", 3, "upwork", 3, "Decent result. Communication could have been better."),
    ("Dana Whitfield", 1, "upwork", 1, "Missed the deadline twice and stopped answering messages. We had to hire "
                                       "someone else to finish the shop."),
]


def seed(url: str) -> None:
    from desktop.records.ingest import MANUAL_SOURCE_ID, Manual, ingest
    from desktop.store import clients, connect
    from scrapers.base import Mention

    conn = connect(url)
    try:
        clients.add(conn, "Oakridge Dental", handles=[("upwork", "Priya Nair")])
        clients.add(conn, "Northwind Bakery", handles=[("trustpilot", "Tom Becker")])
        now = datetime.now(timezone.utc)
        for author, stars, site, days, text in REVIEWS:
            mention = Mention(text=text, author=author, rating=stars, posted_at=now - timedelta(days=days, hours=2))
            ingest(conn, MANUAL_SOURCE_ID, [mention], site=site, manual=Manual(site=site))
    finally:
        conn.close()


def assigned(url: str) -> str | None:
    """Whom the newest alerted feedback is assigned to, as the store has it."""
    from desktop.store import connect, mentions

    conn = connect(url, migrate=False)
    try:
        newest = mentions.query(conn, mentions.Filter(alerted=True), limit=1)
        return newest[0].assigned_to if newest else None
    finally:
        conn.close()


def main(out: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="rapport-team-shot-"))
    os.environ["RAPPORT_HOME"] = str(work / "seed")
    server = started_server()
    procs: list[subprocess.Popen] = []
    env = dict(os.environ, DISPLAY=DISPLAY, QT_QPA_PLATFORM="xcb")
    env.pop("RAPPORT_DB", None)

    def xdo(*args: str) -> str:
        return subprocess.run(["xdotool", *args], env=env, check=True, capture_output=True, text=True).stdout

    def windows() -> list[str]:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "Rapport"], env=env,
                               capture_output=True, text=True)
        return found.stdout.split()

    def start(name: str, left: int) -> str:
        home = work / name
        (home / "config").mkdir(parents=True)
        (home / "config" / "team.json").write_text(json.dumps({"url": url, "name": name, "allow_insecure": False}))
        before = set(windows())
        with open(work / f"{name}.log", "w") as log:
            procs.append(subprocess.Popen([str(ROOT / ".venv/bin/rapport")], env=dict(env, RAPPORT_HOME=str(home)),
                                          cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
        for _ in range(120):
            new = [w for w in windows() if w not in before]
            if new:
                break
            time.sleep(0.5)
        else:
            raise SystemExit(f"{name}'s window did not appear: see {work / (name + '.log')}")
        xdo("windowsize", new[0], str(WINDOW[0]), str(WINDOW[1]))
        xdo("windowmove", new[0], str(left), "0")
        return new[0]

    try:
        with server.admin() as admin:
            admin.execute("CREATE DATABASE rapport TEMPLATE rapport_template")
        url = server.url("rapport")
        seed(url)
        # No key auto-repeat: on a loaded machine a key can stay "down" long enough to repeat.
        procs.append(subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten",
                                       "tcp", "-ardelay", "30000"], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
        time.sleep(1.5)
        procs.append(subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(1)
        alex = start("Alex", 0)
        time.sleep(4)  # Alex's desktop takes the team's poller lock first
        start("Sam", WINDOW[0] + 10)
        time.sleep(6)
        # Alex: the newest review is selected; Assign to… (Ctrl+Shift+A), replace the suggested name with Sam. A key
        # can be lost on a loaded machine: the store says whether it took, and a miss is typed again.
        for _attempt in range(3):
            xdo("windowactivate", "--sync", alex)
            time.sleep(1)
            xdo("key", "ctrl+shift+a")
            time.sleep(2)
            xdo("key", "End")
            for _ in range(12):
                xdo("key", "BackSpace")
            xdo("type", "--delay", "250", "Sam")
            xdo("key", "Return")
            time.sleep(2)
            if assigned(url) == "Sam":
                break
        time.sleep(20)  # the notification reaches Sam's window, and its status bar's next refresh
        subprocess.run(["import", "-window", "root", str(out)], env=env, check=True)
        print(f"saved {out}")
    finally:
        for proc in reversed(procs):
            proc.terminate()
        time.sleep(1)
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
        server.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/team-two-windows.png").absolute())
