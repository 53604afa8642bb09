"""The command line at its edges: huge numbers, far dates, bad paths, hostile text, and what reaches stderr."""
from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.records.ingest import MANUAL_SOURCE_ID, ingest
from scrapers.base import Mention
from tests.helpers.fault_server import Reply

HUGE = "99999999999999999999"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse refusals
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_clear_line(err: str) -> bool:
    return err.count("\n") == 1 and "Traceback" not in err


# -- item 14: huge numbers and far dates ---------------------------------------------------------------------

@pytest.mark.parametrize(("argv", "words"), [
    (["sources", "remove", HUGE], "from 1 to 9223372036854775807"),
    (["sources", "remove", "0"], "positive"),
    (["poll", "--once", "--source", HUGE], "from 1 to"),
    (["feedback", "list", "--limit", HUGE], "too large"),
    (["feedback", "list", "--limit", "-1"], "--limit must be 0 or more"),
    (["alerts", "list", "--limit", "ten"], "whole number"),
    (["drafts", "export", HUGE, "--out", "x"], "from 1 to"),
    (["sources", "add", "feeds", "https://northlight.example/feed", "--interval", "400000000000"],
     "between 1 minute and 30 days"),
    (["sources", "add", "feeds", "https://northlight.example/feed", "--interval", "31d"], "between 1 minute and 30 days"),
    (["sources", "add", "feeds", "https://northlight.example/feed", "--interval", "59"], "between 1 minute and 30 days"),
    (["sources", "add", "feeds", "https://northlight.example/feed", "--interval", "١٢h"], "like 30m"),
    (["feedback", "add", "--text", "Slow", "--date", "9999-12-31T23:59:59-12:00"], "in the future"),
    (["feedback", "add", "--text", "Slow", "--date", "0001-01-01T00:00:00+14:00"], "out of range"),
    (["feedback", "add", "--text", "Slow", "--date", "2099-01-01"], "in the future"),
])
def test_out_of_range_arguments_are_one_clear_line(db_path: Path, capsys, argv, words) -> None:
    code, out, err = run(capsys, "--db", str(db_path), *argv)
    assert code == 2 and out == "" and words in err and one_clear_line(err)
    assert not db_path.exists()  # refused before the store is touched


@pytest.mark.parametrize("flag", ["--client", "--project"])
def test_a_huge_number_for_a_name_or_id_is_an_unknown_name(db_path: Path, capsys, flag) -> None:
    run(capsys, "--db", str(db_path), "clients", "add", "Oakridge Dental")
    code, _, err = run(capsys, "--db", str(db_path), "feedback", "add", "--text", "Fine", flag, HUGE)
    assert code == 2 and HUGE in err and one_clear_line(err)


def test_an_absurd_interval_already_stored_is_clamped_so_polling_can_run(conn: sqlite3.Connection) -> None:
    from desktop.store import sources
    from desktop.store.clock import utc_now

    row = sources.add(conn, "feeds", "https://northlight.example/feed")
    conn.execute("UPDATE sources SET interval_s = 400000000000, last_attempt = ?, tries = 1 WHERE id = ?",
                 ("2026-01-01T00:00:00+00:00", row.id))  # what an older Rapport let in
    stored = sources.get(conn, row.id)
    assert stored.poll_interval_s == 30 * 86400
    assert sources.next_poll(stored) is not None and sources.due(conn, utc_now()) == [sources.get(conn, row.id)]


# -- item 15: --db ------------------------------------------------------------------------------------------

def test_db_in_a_missing_folder_is_refused_not_created(tmp_path: Path, capsys) -> None:
    target = tmp_path / "typo" / "rapport.sqlite3"
    code, _, err = run(capsys, "--db", str(target), "clients", "list")
    assert code == 2 and "does not exist" in err and one_clear_line(err)
    assert not (tmp_path / "typo").exists()


def test_db_under_a_file_is_one_line(tmp_path: Path, capsys) -> None:
    (tmp_path / "notes.txt").write_text("not a folder")
    code, _, err = run(capsys, "--db", str(tmp_path / "notes.txt" / "sub" / "r.sqlite3"), "feedback", "list")
    assert code == 2 and "notes.txt is a file, not a folder" in err and one_clear_line(err)


def test_the_default_store_gets_its_folder(isolated_dirs: Path, capsys) -> None:
    code, _, err = run(capsys, "clients", "list")
    assert code == 0, err
    assert (isolated_dirs / "data" / "rapport.sqlite3").exists()


# -- item 16: terminal escapes ------------------------------------------------------------------------------

HOSTILE = "Broke it\x1b]0;pwned\x07 \x1b[2J\x00 and \u202eesrever"


def test_listings_escape_control_characters(db_path: Path, capsys) -> None:
    from desktop.store import connect, sources

    conn = connect(db_path)
    ingest(conn, MANUAL_SOURCE_ID, [Mention(text=HOSTILE, author="Zo\x1b[31m", rating=1)])
    source = sources.add(conn, "feeds", "https://northlight.example/feed", label="Feed\x1b[5m")
    conn.execute("UPDATE sources SET state = 'failing', last_error = ? WHERE id = ?",
                 ("refused a redirect to a non-http URL: file:///\x1b[2J", source.id))
    conn.close()
    for argv in (["feedback", "list"], ["alerts", "list"], ["sources", "list"]):
        code, out, _ = run(capsys, "--db", str(db_path), *argv)
        assert code == 0 and out
        assert not any(ch in out for ch in "\x1b\x07\x00\u202e"), argv
        assert "\\x1b" in out, argv
    _, out, _ = run(capsys, "--db", str(db_path), "feedback", "list", "--json")
    assert json.loads(out)["text"] == HOSTILE  # JSON keeps the text exactly (escaped by JSON itself)


def test_poll_escapes_a_servers_redirect_target(db_path: Path, capsys, fault_server) -> None:
    url = fault_server.route("/feed", Reply.redirect("file:///etc/\x1b[2Jpasswd"))
    run(capsys, "--db", str(db_path), "sources", "add", "feeds", url)
    code, out, err = run(capsys, "--db", str(db_path), "poll", "--once")
    assert code == 1 and "\x1b" not in out + err and "\\x1b[2J" in out


# -- item 17: one validation, in words ------------------------------------------------------------------------

@pytest.mark.parametrize(("argv", "words"), [
    (["clients", "add", "Oakridge", "--email", "not an email"], "is not an email address"),
    (["clients", "add", "Oakridge", "--email", "ops@oakridge"], "is not an email address"),
    (["projects", "add", "Site", "--client", "Oakridge", "--budget", "inf"], "not infinity"),
    (["projects", "add", "Site", "--client", "Oakridge", "--budget", "nan"], "not infinity"),
    (["projects", "add", "Site", "--client", "Oakridge", "--budget", "-5"], "cannot be negative"),
    (["sources", "add", "jsonld", "https://northlight.example/our reviews"], "no spaces"),
    (["feedback", "add", "--text", "Ok", "--url", "https://northlight.example/a b"], "no spaces"),
    (["parse", "--kind", "jsonld", "--url", "northlight.example", "page.html"], "starts with http"),
    (["feedback", "add", "--text", "Ok", "--date", "yesterday"], "must be written YYYY-MM-DD"),
    (["feedback", "add", "--text", "Ok", "--rating", "nan"], "rating must be"),
    (["demo", "--demo-delay", "inf"], "must be a number"),
])
def test_bad_values_are_refused_in_words(db_path: Path, capsys, argv, words) -> None:
    code, _, err = run(capsys, "--db", str(db_path), *argv)
    assert code == 2 and words in err and one_clear_line(err)
    assert "invalid" not in err  # argparse's "invalid url_arg value" names a function, not the problem


def test_the_store_refuses_what_the_dialogs_refuse(conn: sqlite3.Connection) -> None:
    from desktop.store import StoreError, clients, projects, sources

    with pytest.raises(StoreError, match="not an email address"):
        clients.add(conn, "Oakridge", email="not an email")
    client = clients.add(conn, "Oakridge", email="ops@oakridge.example")
    with pytest.raises(StoreError, match="not infinity"):
        projects.add(conn, client.id, "Site", budget=float("inf"))
    with pytest.raises(StoreError, match="no spaces"):
        sources.add(conn, "jsonld", "https://northlight.example/our reviews")
    with pytest.raises(StoreError, match="between 1 minute and 30 days"):
        sources.add(conn, "jsonld", "https://northlight.example/", interval_s=400000000000)


# -- item 18: stderr gets one line per failure, the log file the rest -----------------------------------------

def test_a_logged_exception_is_one_line_on_stderr_and_a_traceback_in_the_log(db_path: Path, capsys,
                                                                             isolated_dirs: Path) -> None:
    assert run(capsys, "--db", str(db_path), "clients", "list")[0] == 0
    try:
        {}["missing"]
    except KeyError:
        logging.getLogger("desktop.polling.runner").exception("reading source 3 (jsonld) failed unexpectedly")
    err = capsys.readouterr().err
    assert err == "rapport: error: reading source 3 (jsonld) failed unexpectedly (KeyError: 'missing')\n"
    for handler in logging.getLogger().handlers:
        handler.flush()
    log_text = (isolated_dirs / "log" / "rapport.log").read_text(encoding="utf-8")
    assert "Traceback" in log_text and "KeyError: 'missing'" in log_text


def test_parse_keeps_library_warnings_off_the_terminal(isolated_dirs: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.scrapers.pages import PAGES

    # A real process: pytest's own warning capture would hide what a user's terminal shows.
    done = subprocess.run([sys.executable, "-W", "always", "-m", "desktop", "parse", "--kind", "jsonld",
                           str(PAGES / "feeds" / "google-alerts-northlight.xml")],
                          capture_output=True, text=True, env=dict(os.environ), timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert "XMLParsedAsHTMLWarning" not in done.stderr and one_clear_line(done.stderr)


def test_built_in_sources_do_not_count_as_configured(conn: sqlite3.Connection) -> None:
    from desktop.store import clients, sources
    from desktop.store.usage import has_user_data

    assert not has_user_data(conn)
    source = sources.add(conn, "feeds", "https://northlight.example/feed")
    assert has_user_data(conn)
    sources.remove(conn, source.id)
    clients.add(conn, "Oakridge")
    assert has_user_data(conn)
