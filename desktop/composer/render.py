"""Drafts rendered through jinja2 templates: the user's override in the config dir first, the packaged one next.

Text output is not escaped (it is pasted into a site's plain text box). Markdown output escapes every value a
template prints, the review's and the user's text alike, so a hostile review cannot become a live link, image or
HTML in the exported file; templates mark their own markup by writing it literally.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2

from desktop import paths
from desktop.composer.answers import Answers
from desktop.composer.checks import site_limit
from desktop.composer.steps import STEPS

log = logging.getLogger(__name__)

FORMATS = ("txt", "md")
TEMPLATE_KINDS = ("reply", "email")

# Characters that make Markdown anywhere in a line, and those that do only at a line start. CommonMark allows a
# backslash before any ASCII punctuation, so md_unescape() can undo exactly what md_escape() did.
_MD_ANYWHERE = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^([ \t]*)([-+#=])", re.MULTILINE)
_MD_ORDERED = re.compile(r"^([ \t]*\d+)([.)])", re.MULTILINE)


class MdSafe(str):
    """Markdown a filter already escaped: the finaliser passes it through unchanged."""


def md_escape(text: object) -> str:
    """`text` as Markdown that renders as exactly that text: no links, images, HTML, emphasis or list markers."""
    if text is None:
        return ""
    if isinstance(text, MdSafe):
        return str(text)
    out = _MD_ANYWHERE.sub(r"\\\1", str(text))
    out = _MD_LINE_START.sub(r"\1\\\2", out)  # a list item, heading or setext underline
    return _MD_ORDERED.sub(r"\1\\\2", out)  # "1." at a line start would be an ordered list


def md_unescape(text: str) -> str:
    """The inverse of md_escape (for tests and for reading an exported file back)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def _md_quote(text: object) -> MdSafe:
    """A block quote of escaped text, every line prefixed so a blank line cannot end the quote early."""
    lines = md_escape(text).splitlines() or [""]
    return MdSafe("\n".join(f"> {line}".rstrip() for line in lines))


def _text_finalize(value: Any) -> Any:
    return "" if value is None else value


def _md_finalize(value: Any) -> Any:
    return md_escape(value)


def _human_date(value: Any) -> str:
    if isinstance(value, datetime):
        value = value.astimezone().date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return "" if value is None else str(value)


class _PackagedLoader(jinja2.BaseLoader):
    """Templates inside the installed `resources` package, read through importlib.resources."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, None, Any]:
        node = paths.resource("templates", *template.split("/"))
        if not node.is_file():
            raise jinja2.TemplateNotFound(template)
        return node.read_text(encoding="utf-8"), None, lambda: True


def environment(fmt: str = "txt", config_dir: Path | None = None, *, overrides: bool = True) -> jinja2.Environment:
    """The jinja2 environment for `fmt`; `config_dir` (default: the user's) holds overrides in templates/."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    loaders: list[jinja2.BaseLoader] = [_PackagedLoader()]
    if overrides:
        user_dir = (config_dir if config_dir is not None else paths.config_dir()) / "templates"
        loaders.insert(0, jinja2.FileSystemLoader(str(user_dir)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,
        # A missing field prints nothing (never "None", never a crash in a user's template).
        undefined=jinja2.ChainableUndefined,
        finalize=_md_finalize if fmt == "md" else _text_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = _human_date
    env.filters["quote"] = _md_quote if fmt == "md" else (lambda t: "" if t is None else str(t))
    return env


@dataclass(frozen=True)
class Facts:
    """The project record as a template sees it: every field present, empty when unknown."""

    title: str = ""
    started: date | None = None
    due: date | None = None
    delivered: date | None = None
    budget: float | None = None
    status: str = ""
    notes: str = ""

    @property
    def days_late(self) -> int | None:
        if self.due and self.delivered and self.delivered > self.due:
            return (self.delivered - self.due).days
        return None


def facts_from(project: Any | None) -> Facts:
    if project is None:
        return Facts()
    return Facts(title=project.title or "", started=project.started, due=project.due, delivered=project.delivered,
                 budget=project.budget, status=project.status or "", notes=project.notes or "")


def facts_sentence(facts: Facts) -> str:
    """The timeline from the project record in one or two plain sentences, without amounts; "" when unknown."""
    parts = []
    what = f"the {facts.title} project" if facts.title else "the project"
    if facts.started and facts.due:
        parts.append(f"We started {what} on {_human_date(facts.started)}, with delivery due on "
                     f"{_human_date(facts.due)}.")
    elif facts.started:
        parts.append(f"We started {what} on {_human_date(facts.started)}.")
    elif facts.due:
        parts.append(f"Delivery of {what} was due on {_human_date(facts.due)}.")
    if facts.delivered:
        late = facts.days_late
        tail = f", {late} day{'s' if late != 1 else ''} late" if late else ""
        parts.append(f"I delivered on {_human_date(facts.delivered)}{tail}.")
    elif facts.status in ("cancelled", "disputed", "on hold", "late"):
        parts.append(f"The project is now {facts.status}.")
    return " ".join(parts)


def _paragraphs(text: str) -> str:
    """The user's text tidied: no trailing spaces, at most one blank line in a row."""
    lines = [line.rstrip() for line in (text or "").strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def context(answers: Answers, *, mention: Any | None = None, project: Any | None = None,
            client: Any | None = None, kind: str | None = None) -> dict[str, Any]:
    """What the templates see. Every key exists; unknown values are "" or None (printed as nothing)."""
    kind = kind or answers.kind
    facts = facts_from(project)
    reviewer = (getattr(mention, "author", "") or "").strip()
    client_name = (getattr(client, "name", "") or "").strip()
    limit = site_limit(answers.site or getattr(mention, "site", "") or "", public=kind != "email")
    return {
        "kind": kind,
        "sections": {s.key: _paragraphs(answers.text(s.key)) for s in STEPS},
        "own": _paragraphs(answers.text("own")),
        "acknowledge": _paragraphs(answers.text("acknowledge")),
        "explain": _paragraphs(answers.text("explain")),
        "next": _paragraphs(answers.text("next")),
        "signature": _paragraphs(answers.signature),
        "reviewer": reviewer,
        "greeting_name": (client_name if kind == "email" else reviewer) or "",
        "client": {"name": client_name, "email": (getattr(client, "email", "") or "")},
        "project": facts,
        "review": {
            "text": (getattr(mention, "text", "") or ""),
            "title": (getattr(mention, "title", "") or ""),
            "author": reviewer,
            "site": (getattr(mention, "site", "") or ""),
            "url": (getattr(mention, "url", "") or ""),
            "rating": getattr(mention, "rating", None),
            "when": getattr(mention, "posted_at", None) or getattr(mention, "fetched_at", None),
        },
        "site": limit.label if (answers.site or getattr(mention, "site", "")) else "",
    }


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def render(answers: Answers, *, fmt: str = "txt", kind: str | None = None, mention: Any | None = None,
           project: Any | None = None, client: Any | None = None, config_dir: Path | None = None) -> str:
    """The draft as `fmt` ("txt" or "md") from the `kind` template ("reply" or "email"; default: the answers')."""
    kind = kind or answers.kind
    if kind not in TEMPLATE_KINDS:
        raise ValueError(f"unknown template kind {kind!r}")
    ctx = context(answers, mention=mention, project=project, client=client, kind=kind)
    name = f"{kind}.{fmt}.j2"
    env = environment(fmt, config_dir)
    try:
        return _tidy(env.get_template(name).render(ctx))
    except jinja2.TemplateError as exc:
        # A broken user override must not block the answer: fall back to the packaged template.
        log.warning("template %s failed (%s); using the built-in one", name, exc)
        fallback = environment(fmt, overrides=False)
        return _tidy(fallback.get_template(name).render(ctx))
