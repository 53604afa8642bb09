"""The CLI contract: JSON lines, stdin, exit codes, and bad input refused with one clear line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def rapport(*args: str, db: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if db is not None:
        env["RAPPORT_DB"] = str(db)
    return subprocess.run([sys.executable, "-m", "desktop", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=60)


def test_score_args_give_one_json_object_each() -> None:
    done = rapport("score", "Excellent communication, would hire again", "Never delivered anything")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [d["text"] for d in lines] == ["Excellent communication, would hire again", "Never delivered anything"]
    assert lines[0]["label"] == "positive"
    for item in lines:
        assert set(item) == {"text", "compound", "label", "reasons"}
        for reason in item["reasons"]:
            assert item["text"][reason["start"]:reason["end"]] == reason["text"]


def test_score_stdin_keeps_one_line_per_input_line_and_never_opens_the_store(tmp_path: Path) -> None:
    db = tmp_path / "untouched.sqlite3"
    done = rapport("score", db=db, stdin="Great job\n\nAwful, buggy code\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[1] == {"text": "", "compound": 0.0, "label": "neutral", "reasons": []}
    assert lines[2]["label"] == "negative"
    assert not db.exists()


def test_clients_projects_feedback_and_alerts_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    assert rapport("clients", "add", "Oakridge Dental", "--email", "ops@oakridge.example",
                   "--handle", "upwork:oakridge_ops", db=db).returncode == 0
    assert rapport("projects", "add", "Booking widget", "--client", "Oakridge Dental", "--started", "2026-08-01",
                   "--due", "2026-09-01", "--budget", "1200", db=db).returncode == 0
    added = rapport("feedback", "add", "--text", "Missed the deadline twice and stopped answering messages.",
                    "--rating", "1", "--site", "email", "--date", "2026-09-10", "--client", "Oakridge Dental", db=db)
    assert added.returncode == 0, added.stderr
    assert "alert" in added.stdout
    listed = rapport("feedback", "list", "--json", db=db)
    [item] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert item["client"] == "Oakridge Dental" and item["project"] == "Booking widget" and item["alerted"]
    alerts = rapport("alerts", "list", db=db)
    assert alerts.returncode == 0 and "Missed the deadline" in alerts.stdout
    clients = rapport("clients", "list", db=db)
    assert "upwork:oakridge_ops" in clients.stdout


@pytest.mark.parametrize("args, message", [
    (["feedback", "add", "--text", "ok", "--client", "Nobody Inc"], "unknown client"),
    (["feedback", "add", "--text", "ok", "--rating", "6"], "rating must be from 1 to 5"),
    (["feedback", "add", "--text", "ok", "--rating", "zero"], "rating must be a number"),
    (["feedback", "add", "--text", "   "], "--text is empty"),
    (["feedback", "add", "--text", "bad \udcff byte"], "not valid Unicode"),  # a byte the locale cannot decode
    (["feedback", "add", "--text", "ok", "--date", "yesterday"], "date must be"),
    (["projects", "add", "X", "--client", "Nobody"], "unknown client"),
    (["clients", "add", "A", "--handle", "nocolon"], "SITE:NAME"),
])
def test_bad_input_exits_non_zero_with_one_clear_line_and_changes_nothing(tmp_path: Path, args, message) -> None:
    db = tmp_path / "r.sqlite3"
    rapport("clients", "add", "Existing Client", db=db)
    before = rapport("feedback", "list", "--json", db=db).stdout
    done = rapport(*args, db=db)
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert rapport("feedback", "list", "--json", db=db).stdout == before


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path: Path) -> None:
    db = tmp_path / "photo.jpg"
    db.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(4096))
    original = db.read_bytes()
    done = rapport("clients", "list", db=db)
    assert done.returncode != 0
    assert "not a Rapport database" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == original


def test_db_flag_beats_the_environment(tmp_path: Path) -> None:
    env_db, flag_db = tmp_path / "env.sqlite3", tmp_path / "flag.sqlite3"
    assert rapport("--db", str(flag_db), "clients", "add", "Flag Client", db=env_db).returncode == 0
    assert "Flag Client" in rapport("clients", "list", db=flag_db).stdout
    assert "Flag Client" not in rapport("clients", "list", db=env_db).stdout


def test_headless_commands_never_import_qt_widgets() -> None:
    code = ("import sys; from desktop.cli import main; main(['score', 'fine']); "
            "print('QtWidgets' in ' '.join(sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_feedback_list_limit_zero_and_all_list_everything_across_pages(tmp_path: Path, capsys, monkeypatch) -> None:
    from desktop import cli
    from desktop.commands import feedback
    from desktop.records.ingest import MANUAL_SOURCE_ID, ingest
    from desktop.store import connect
    from scrapers.base import Mention

    db = tmp_path / "r.sqlite3"
    conn = connect(db)
    ingest(conn, MANUAL_SOURCE_ID, [Mention(text=f"Review number {i}, fine work.", author=f"a{i}") for i in range(7)])
    conn.close()
    monkeypatch.setattr(feedback, "LIST_PAGE", 3)  # several pages, so the seek from page to page is exercised
    monkeypatch.setenv("RAPPORT_DB", str(db))

    def listed(*args: str) -> list[int]:
        assert cli.main(["feedback", "list", "--json", *args]) == 0
        return [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]

    everything = listed("--all")
    assert len(everything) == len(set(everything)) == 7
    assert listed("--limit", "0") == everything
    assert listed("--limit", "4") == everything[:4]
    assert listed() == everything  # the default 100 is more than there are
    with pytest.raises(SystemExit):
        cli.main(["feedback", "list", "--limit", "-1"])
    assert "--limit must be 0" in capsys.readouterr().err


def test_the_window_starts_without_loading_the_commands_the_scorer_or_the_network() -> None:
    """`rapport` (options only) reads its options without building every command's parser, and importing the app
    loads nothing its first paint does not need: the start-up is what the user waits for."""
    code = ("import json, sys; from desktop.cli import _window_args; "
            "args = _window_args(['--db', 'store.sqlite3', '-v']); import desktop.shell.app; "
            "print(json.dumps([args.db, args.verbose, args.command, "
            "sorted(m for m in sys.modules if m.startswith('desktop.commands.') and m != 'desktop.commands.common'"
            " or m.split('.')[0] in ('requests', 'jinja2', 'vaderSentiment', 'keyring', 'lxml', 'bs4')"
            " or m in ('desktop.records.corrections', 'desktop.scoring', 'desktop.polling.runner', 'hashlib',"
            " 'PySide6.QtNetwork'))]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == ["store.sqlite3", True, None, []]


@pytest.mark.parametrize("args", [["sources", "list"], ["--db", "x", "score", "fine"], ["--help"], ["-h"], ["--bogus"]])
def test_a_command_help_or_a_bad_option_is_read_by_the_whole_parser(args: list[str]) -> None:
    from desktop.cli import _window_args

    assert _window_args(args) is None
