"""Export: sanitised names, .eml parsed back, line breaks in headers folded, no silent overwrite, and the `rapport drafts` CLI."""
from __future__ import annotations

import email
import email.policy
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.cli import main
from desktop.composer import export, render
from desktop.store import drafts
from desktop.composer.answers import Answers
from tests.composer.helpers import seed

T0 = datetime(2025, 4, 3, 10, 0, tzinfo=timezone.utc)
ANSWERS = Answers(texts={"own": "Je suis d\u00e9sol\u00e9e \u2014 I missed the deadline.",
                         "next": "I will fix it at no cost."}, site="upwork", signature="Zo\u00eb")


def _draft(conn: sqlite3.Connection, **seed_args: object) -> int:
    mention = seed(conn, **seed_args)  # type: ignore[arg-type]
    s = export.subject_for(conn, mention)
    draft = drafts.create(conn, mention, s.project.id if s.project else None, clock=lambda: T0)
    body = render.render(ANSWERS, mention=s.mention, project=s.project, client=s.client)
    drafts.save(conn, draft, ANSWERS, body, clock=lambda: T0)
    return draft


@pytest.mark.parametrize(("client", "expected"), [
    ("Dana Whitfield", "Dana-Whitfield"),
    ("../../etc/passwd", "etc-passwd"),
    ("A/B\\C:D*E?F\"G<H>I|J", "A-B-C-D-E-F-G-H-I-J"),
    ("Zo\u00eb M\u00fcller", "Zo\u00eb-M\u00fcller"),
    ("", "client"),
    ("...", "client"),
    (None, "client"),
])
def test_file_names_are_sanitised(client: str | None, expected: str) -> None:
    assert export.file_name(client, date(2025, 4, 3), 7, "md") == f"{expected}-2025-04-03-draft7.md"


@given(st.text(max_size=100))
def test_any_client_name_gives_one_plain_file_name(client: str) -> None:
    name = export.file_name(client, date(2025, 4, 3), 1, "txt")
    assert "/" not in name and "\\" not in name and "\x00" not in name and not name.startswith(".")
    assert Path(name).name == name and name.endswith("-2025-04-03-draft1.txt") and len(name) < 100


def test_eml_is_a_real_message_that_parses_back(conn: sqlite3.Connection, tmp_path: Path) -> None:
    draft = _draft(conn)
    path = export.export(conn, draft, "eml", out_dir=tmp_path, sender="sam@okafor.dev", clock=lambda: T0)
    assert path.name == "Dana-Whitfield-2025-04-03-draft1.eml"
    raw = path.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["To"] == "Dana Whitfield <dana@whitfield-studio.co.uk>"
    assert msg["From"] == "sam@okafor.dev"
    assert msg["Subject"] == "About Shop checkout rebuild"
    assert msg["Date"] == "Thu, 03 Apr 2025 10:00:00 +0000" and msg["Message-ID"]
    assert msg.get_content_type() == "text/plain" and msg.get_content_charset() == "utf-8"
    body = msg.get_content()
    # Exactly the text the composer previewed and saved: the public reply here, greeting and all.
    assert body.replace("\r\n", "\n") == drafts.get(conn, draft).latest.body
    assert body.startswith("Hi dana_w,")
    assert "Je suis d\u00e9sol\u00e9e \u2014 I missed the deadline." in body and "Zo\u00eb" in body


@pytest.mark.parametrize("fmt", ["txt", "eml"])
def test_every_format_carries_the_previewed_text(conn: sqlite3.Connection, fmt: str) -> None:
    draft = _draft(conn)
    previewed = drafts.get(conn, draft).latest.body
    data = export.content(conn, drafts.get(conn, draft), fmt)
    text = (email.message_from_bytes(data, policy=email.policy.default).get_content() if fmt == "eml"
            else data.decode("utf-8"))
    assert text.replace("\r\n", "\n") == previewed


def test_eml_without_a_client_email_has_no_to(conn: sqlite3.Connection) -> None:
    draft = _draft(conn, email=None, with_project=False)
    data = export.content(conn, drafts.get(conn, draft), "eml")
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert msg["To"] is None and msg["Subject"] == "About your review"


HEADERS = {"To", "From", "Subject", "Date", "Message-ID", "X-Unsent", "Content-Type", "Content-Transfer-Encoding",
           "MIME-Version"}


@pytest.mark.parametrize("field", ["subject", "to_name", "to_addr"])
@pytest.mark.parametrize("bad", ["x\r\nBcc: victim@example.org", "x\nBcc: a@b.c", "x\rY", "x\u2028Bcc: a@b.c",
                                 "x\u2029Y", "x\x85Bcc: a@b.c", "x\x0bY\x0cZ\x1cW", "x\x00Y"])
def test_line_breaks_in_headers_are_folded_never_forged(field: str, bad: str) -> None:
    args = {"subject": "About it", "to_name": "Dana", "to_addr": "dana@example.org", "sender": ""}
    args[field] = bad
    raw = export.build_eml("body", **args).as_bytes(policy=email.policy.SMTP)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert set(msg.keys()) <= HEADERS and msg["Bcc"] is None
    assert all(not any(ch in str(v) for ch in "\r\n\u2028\u2029\x85\x00") for v in msg.values())


@given(st.text(max_size=200), st.text(max_size=80))
def test_any_title_and_name_give_a_message_that_parses_back(title: str, name: str) -> None:
    raw = export.build_eml("body", subject=f"About {title}", to_name=name, to_addr="dana@example.org") \
        .as_bytes(policy=email.policy.SMTP)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert set(msg.keys()) <= HEADERS and msg["Subject"] == export.header_text(f"About {title}")


def test_a_sender_that_is_not_an_address_is_refused() -> None:
    with pytest.raises(export.ExportError, match="sender"):
        export.build_eml("body", subject="About it", sender="x\nBcc: a@b.c")


def test_a_client_email_that_is_not_an_address_leaves_to_out(conn: sqlite3.Connection) -> None:
    draft = _draft(conn)
    conn.execute("UPDATE clients SET name = 'Dana\r\nBcc: x@y.z', email = 'dana at whitfield\u2028studio' WHERE id = 1")
    msg = email.message_from_bytes(export.content(conn, drafts.get(conn, draft), "eml"),
                                   policy=email.policy.default)
    assert msg["To"] is None and msg["Bcc"] is None and msg["Subject"] == "About Shop checkout rebuild"


def test_odd_line_separators_in_a_project_title_do_not_stop_export_all(
        db_path: Path, conn: sqlite3.Connection, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _draft(conn)
    conn.execute("UPDATE projects SET title = 'Shop\u2028checkout\x85rebuild\r\nBcc: x@y.z' WHERE id = 1")
    out = tmp_path / "out"
    assert main(["--db", str(db_path), "drafts", "export", "--all", "--format", "eml", "--out", str(out)]) == 0
    [path] = out.iterdir()
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == "About Shop checkout rebuild Bcc: x@y.z" and msg["Bcc"] is None


def test_no_silent_overwrite(conn: sqlite3.Connection, tmp_path: Path) -> None:
    draft = _draft(conn)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = export.target(drafts.get(conn, draft), "txt", tmp_path)
    target.write_text("precious")
    with pytest.raises(export.TargetExists) as info:
        export.export(conn, draft, "txt", out_dir=tmp_path)
    assert info.value.path == target and target.read_text() == "precious"
    assert drafts.status_for(conn, [1]) == {1: drafts.DRAFT}
    written = export.export(conn, draft, "txt", out_dir=tmp_path, force=True, clock=lambda: T0)
    assert written == target and target.read_text(encoding="utf-8").startswith("Hi dana_w,")
    latest = drafts.latest(conn, draft)
    assert latest is not None and latest.export_path == str(target) and latest.exported_at == T0
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left behind


def test_markdown_export_is_escaped(conn: sqlite3.Connection, tmp_path: Path) -> None:
    draft = _draft(conn, text="Worst dev ever [see](http://x.example) <b>avoid</b>")
    text = export.export(conn, draft, "md", out_dir=tmp_path).read_text(encoding="utf-8")
    assert "> Worst dev ever \\[see\\](http://x.example) \\<b\\>avoid\\</b\\>" in text


def test_a_draft_without_versions_cannot_be_exported(conn: sqlite3.Connection, tmp_path: Path) -> None:
    draft = drafts.create(conn, seed(conn), None)
    with pytest.raises(export.ExportError, match="no saved text"):
        export.export(conn, draft, "txt", out_dir=tmp_path)


# --- the CLI ---------------------------------------------------------------------------------------------------

def test_cli_lists_and_exports_drafts(db_path: Path, conn: sqlite3.Connection, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    draft = _draft(conn)
    out_dir = tmp_path / "out"
    assert main(["--db", str(db_path), "drafts", "list"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"{draft}\t") and "\tdraft\tv1\tDana Whitfield\tHi dana_w," in line
    assert main(["--db", str(db_path), "drafts", "export", str(draft), "--format", "md", "--out", str(out_dir)]) == 0
    printed = capsys.readouterr().out
    assert "Dana-Whitfield-2025-04-03-draft1.md" in printed and "https://www.upwork.com/" in printed
    assert (out_dir / "Dana-Whitfield-2025-04-03-draft1.md").read_text(encoding="utf-8").startswith("# Reply to")
    assert main(["--db", str(db_path), "drafts", "list", "--json"]) == 0
    listed = capsys.readouterr().out
    assert '"status": "draft"' in listed and '"exported_to": "' in listed  # exported, not yet marked posted


def test_cli_refuses_to_overwrite_without_force(db_path: Path, conn: sqlite3.Connection, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    _draft(conn)
    tmp_path = tmp_path / "out"
    args = ["--db", str(db_path), "drafts", "export", "--all", "--format", "txt", "--out", str(tmp_path)]
    assert main(args) == 0
    [path] = tmp_path.iterdir()
    path.write_text("mine")
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("rapport: ") and "--force" in err and err.count("\n") == 1
    assert path.read_text() == "mine"
    assert main([*args, "--force"]) == 0
    assert path.read_text(encoding="utf-8").startswith("Hi dana_w,")


def test_cli_errors_are_one_line(db_path: Path, conn: sqlite3.Connection, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db_path), "drafts", "export", "9", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "rapport: no draft with id 9\n"
    assert main(["--db", str(db_path), "drafts", "export", "--all", "--out", str(tmp_path)]) == 2
    assert "no saved drafts" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--db", str(db_path), "drafts", "export", "--out", str(tmp_path)])  # neither ID nor --all
