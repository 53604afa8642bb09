"""Rendering drafts: missing project fields, Markdown escaping of hostile text, user template overrides."""
from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.composer import render
from desktop.composer.answers import Answers
from desktop.composer.export import subject_for
from desktop.store.projects import Project
from tests.composer.helpers import seed

FULL = Answers(texts={"own": "I missed the deadline.", "acknowledge": "I understand how frustrating this was.",
                      "explain": "It broke at testing.", "next": "I will fix it at no cost."}, signature="Sam")
HOSTILE = ("[click here](javascript:alert(1)) ![x](http://evil.example/p.png) <script>alert(1)</script> "
           "<img src=x onerror=alert(1)> **bold** _it_ `code` &lt; | a | b |\n# Heading\n1. item\n- item\n"
           "> quote\n===\n~~~\n\\[escaped\\]")


@pytest.mark.parametrize("kind", ["reply", "email"])
@pytest.mark.parametrize("fmt", ["txt", "md"])
@pytest.mark.parametrize("project", [None, Project(id=1, client=1, title="Site", status="")],
                         ids=["no-project", "empty-project"])
def test_missing_fields_render_without_none_or_gaps(kind: str, fmt: str, project: Project | None) -> None:
    for answers in (Answers(kind=kind), FULL):
        out = render.render(answers, kind=kind, fmt=fmt, project=project, mention=None, client=None)
        assert "None" not in out and "Undefined" not in out
        assert "\n\n\n" not in out
        assert out.strip()


def test_a_seeded_failed_project_renders_its_facts(conn: sqlite3.Connection) -> None:
    s = subject_for(conn, seed(conn))
    timeline = render.facts_sentence(render.facts_from(s.project))
    assert timeline == ("We started the Shop checkout rebuild project on 3 March 2025, with delivery due on "
                        "17 March 2025. I delivered on 28 March 2025, 11 days late.")
    out = render.render(FULL.with_text("explain", timeline), mention=s.mention, project=s.project, client=s.client)
    assert out.startswith("Hi dana_w,") and timeline in out and "2400" not in out
    email = render.render(FULL, kind="email", mention=s.mention, project=s.project, client=s.client)
    assert email.startswith("Dear Dana Whitfield,") and "Shop checkout rebuild" in email


@pytest.mark.parametrize(("facts", "expected"), [
    (render.Facts(), ""),
    (render.Facts(due=date(2025, 3, 17)), "Delivery of the project was due on 17 March 2025."),
    (render.Facts(title="X", started=date(2025, 3, 3)), "We started the X project on 3 March 2025."),
    (render.Facts(delivered=date(2025, 3, 18), due=date(2025, 3, 17)),
     "Delivery of the project was due on 17 March 2025. I delivered on 18 March 2025, 1 day late."),
    (render.Facts(status="cancelled"), "The project is now cancelled."),
])
def test_facts_sentence_uses_only_what_is_known(facts: render.Facts, expected: str) -> None:
    assert render.facts_sentence(facts) == expected


def _live_markup(md: str) -> list[str]:
    """Markdown constructs an escaped text must not contain: unescaped link/image/HTML/emphasis openers."""
    unescaped = re.compile(r"(?<!\\)(?:\\\\)*([\[\]<>`*_|~&])")
    return [m.group(1) for m in unescaped.finditer(md)]


def test_markdown_escapes_hostile_review_and_user_text(conn: sqlite3.Connection) -> None:
    s = subject_for(conn, seed(conn, text=HOSTILE))
    answers = FULL.with_text("own", HOSTILE)
    out = render.render(answers, fmt="md", mention=s.mention, project=s.project, client=s.client)
    # The template's own Markdown (heading, bold labels, the quote) stays; every value is escaped.
    body = out.split("**My reply:**", 1)[1]
    quote = "\n".join(line[2:] for line in out.splitlines() if line.startswith("> "))
    assert _live_markup(body) == [] and _live_markup(quote) == []
    for live in (r"(?<!\\)<script", r"(?<!\\)\]\(javascript:", r"(?<!\\)!\[x"):
        assert re.search(live, out) is None, live
    assert render.md_unescape(quote) == HOSTILE  # every line of the review kept, as text
    assert out.startswith("# Reply to dana\\_w on Upwork\n")
    for line in body.splitlines():
        assert not re.match(r"\s*(?:[-+#=>]|\d+[.)])", line), line  # no list, heading or quote from user text


@given(st.text(max_size=200))
def test_md_escape_round_trips_and_leaves_no_live_markup(text: str) -> None:
    escaped = render.md_escape(text)
    assert render.md_unescape(escaped) == text
    assert _live_markup(escaped) == []


def test_text_output_is_not_escaped() -> None:
    out = render.render(FULL.with_text("own", "I'm sorry <3 & [sic]"))
    assert "I'm sorry <3 & [sic]" in out


def test_a_user_template_in_the_config_dir_wins(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "reply.txt.j2").write_text("Custom: {{ own }} / {{ project.budget }}|\n")
    assert render.render(FULL, config_dir=tmp_path) == "Custom: I missed the deadline. / |\n"
    # The Markdown template includes the user's text template, still escaped.
    md = render.render(FULL.with_text("own", "*x*"), fmt="md", config_dir=tmp_path)
    assert "Custom: \\*x\\* / |" in md


def test_a_broken_user_template_falls_back_to_the_built_in(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "reply.txt.j2").write_text("{% if %}broken")
    assert render.render(FULL, config_dir=tmp_path).startswith("Hello,")


def test_the_user_config_dir_is_the_default(isolated_dirs: Path) -> None:
    folder = isolated_dirs / "config" / "templates"
    folder.mkdir(parents=True)
    (folder / "email.txt.j2").write_text("Mine\n")
    assert render.render(FULL, kind="email") == "Mine\n"
