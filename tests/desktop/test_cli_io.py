"""`rapport import` and `rapport export`: the summary line, problems by row, exit codes, nothing changed on error."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.store import connect

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(db: Path) -> list[tuple[object, ...]]:
    conn = connect(db)
    try:
        return [tuple(r) for r in conn.execute("SELECT id, source, dedupe_key, text, rating FROM mentions ORDER BY id")] \
            + [tuple(r) for r in conn.execute("SELECT id, mention FROM alerts ORDER BY id")]
    finally:
        conn.close()


def test_import_prints_counts_then_each_problem(capsys, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    code, out, err = run(capsys, db, "import", str(FIXTURES / "upwork-copied.csv"), "--site", "upwork")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["6 added, 0 already stored, 2 alerts; 1 rows skipped", "row 7: no feedback text"]
    code, out, _ = run(capsys, db, "import", str(FIXTURES / "upwork-copied.csv"), "--site", "upwork")
    assert code == 0 and out.splitlines()[0] == "0 added, 6 already stored, 0 alerts; 1 rows skipped"
    code, out, _ = run(capsys, db, "feedback", "list", "--json")
    items = [json.loads(line) for line in out.splitlines()]
    assert len(items) == 6 and {i["site"] for i in items} == {"upwork"}
    assert {i["source"] for i in items} == {"Imported from a file"}


def test_dry_run_changes_nothing(capsys, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    sheet = tmp_path / "more.csv"
    sheet.write_text("text,rating,date\nNever delivered and ignored my messages,1,2024-09-01\nPerfect,5,2024-09-02\n")
    assert run(capsys, db, "feedback", "add", "--text", "Typed by hand")[0] == 0
    before = snapshot(db)
    code, out, _ = run(capsys, db, "import", str(sheet), "--dry-run")
    assert code == 0 and out.splitlines()[0] == "dry run, nothing stored: 2 added, 0 already stored, 1 alerts; " \
                                                "0 rows skipped"
    assert snapshot(db) == before
    fresh = tmp_path / "never-created.sqlite3"
    code, out, _ = run(capsys, fresh, "import", str(sheet), "--dry-run")
    assert code == 0 and "2 added" in out and not fresh.exists()


def test_exit_non_zero_only_when_nothing_could_be_read(capsys, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    partly = tmp_path / "partly.csv"
    partly.write_text("text,rating\nGood,5\nBad rating,12\n")
    code, out, _ = run(capsys, db, "import", str(partly))
    assert code == 0 and "row 3: rating 12 is not on 1 to 5 stars" in out
    nothing = tmp_path / "nothing.csv"
    nothing.write_text("text,rating\n,5\nStill bad,0\n")
    code, out, err = run(capsys, db, "import", str(nothing))
    assert code == 1 and out.splitlines() == ["row 2: no feedback text", "row 3: rating 0 is not on 1 to 5 stars"]
    assert err == f"rapport: nothing could be read from {nothing}: every row has a problem\n"
    code, out, err = run(capsys, db, "import", str(tmp_path / "missing.csv"))
    assert code == 2 and out == "" and err.count("\n") == 1 and "no such file" in err


def test_ambiguous_dates_need_dayfirst_or_monthfirst(capsys, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    sheet = tmp_path / "dates.csv"
    sheet.write_text("date,feedback\n03/04/2024,Quick turnaround\n11/12/2024,Second job just as good\n")
    code, out, err = run(capsys, db, "import", str(sheet))
    assert code == 2 and "03/04/2024" in err and "--dayfirst or --monthfirst" in err and err.count("\n") == 1
    assert not db.exists() or snapshot(db) == []
    code, out, _ = run(capsys, db, "import", str(sheet), "--monthfirst")
    assert code == 0 and out.startswith("2 added")
    code, out, _ = run(capsys, db, "feedback", "list", "--json")
    assert sorted(json.loads(line)["when"][:10] for line in out.splitlines()) == ["2024-03-04", "2024-11-12"]
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "import", str(sheet), "--dayfirst", "--monthfirst"])
    assert exc.value.code == 2
    capsys.readouterr()


def test_export_writes_and_refuses_to_overwrite_without_force(capsys, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    run(capsys, db, "import", str(FIXTURES / "upwork-copied.csv"))
    out_file = tmp_path / "feedback.csv"
    code, out, _ = run(capsys, db, "export", "--format", "csv", "--out", str(out_file))
    assert code == 0 and out == f"6 mentions written to {out_file}\n"
    written = out_file.read_bytes()
    code, _, err = run(capsys, db, "export", "--format", "csv", "--out", str(out_file), "--label", "negative")
    assert code == 2 and "already exists: use --force" in err and out_file.read_bytes() == written
    code, out, _ = run(capsys, db, "export", "--format", "json", "--out", str(out_file), "--label", "negative",
                       "--force")
    assert code == 0 and out.startswith("2 mentions")
    lines = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert {line["label"] for line in lines} == {"negative"}
    missing_db = tmp_path / "not-made.sqlite3"
    code, _, err = run(capsys, missing_db, "export", "--out", str(out_file))
    assert code == 2 and not missing_db.exists()  # refused before the store was opened


def test_export_then_import_through_the_command(capsys, tmp_path: Path) -> None:
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    run(capsys, first, "import", str(FIXTURES / "upwork-copied.csv"), "--site", "upwork")
    out_file = tmp_path / "all.jsonl"
    assert run(capsys, first, "export", "--out", str(out_file))[0] == 0  # format from the extension
    code, out, _ = run(capsys, second, "import", str(out_file))
    assert code == 0 and out.splitlines() == ["6 added, 0 already stored, 2 alerts; 0 rows skipped"]


def test_the_installed_command_runs_import(tmp_path: Path) -> None:
    """Once through a real process, as users and scripts run it."""
    env = dict(os.environ, RAPPORT_DB=str(tmp_path / "r.sqlite3"))
    done = subprocess.run([sys.executable, "-m", "desktop", "import", str(FIXTURES / "upwork-copied.csv"),
                           "--dry-run"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("dry run, nothing stored: 6 added")


@pytest.mark.parametrize(("name", "content"), [
    ("bom.csv", b"\xff\xfe"),
    ("rating.json", b'[{"text":"ok","rating":' + b"9" * 400 + b"}]"),
    ("id.json", b'[{"text":"ok","id":' + b"9" * 4401 + b"}]"),
    ("deep.json", b"[" * 5000),
    ("surrogate.json", b'[{"text":"ok \\ud800"}]'),
    ("date.csv", b"text,date\nok,9999-12-31T23:00:00-05:00\n"),
])
def test_hostile_files_give_one_clear_line_never_a_traceback(capsys, tmp_path: Path, name: str,
                                                             content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(capsys, tmp_path / "r.sqlite3", "import", str(path))
    assert code != 0 and err.startswith("rapport: ") and err.count("\n") == 1 and "Traceback" not in out + err
    assert len(out.splitlines()) <= 1 and len(err) < 200  # the skipped row, quoted short
