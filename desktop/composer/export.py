"""Exporting a draft: plain text, Markdown or a real RFC 5322 .eml, never silently over an existing file.

Clipboard export is the wizard's (it needs a QGuiApplication); everything else lives here so the CLI and the
UI write identical files.
"""
from __future__ import annotations

import contextlib
import email.policy
import logging
import os
import re
import sqlite3
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from desktop.composer import render
from desktop.store import drafts
from desktop.store import clients as client_store
from desktop.store import mentions as mention_store
from desktop.store import projects as project_store
from desktop.store.clock import Clock, utc_now
from desktop.store.db import StoreError

log = logging.getLogger(__name__)

FORMATS = ("txt", "md", "eml")


class ExportError(Exception):
    """The draft cannot be exported as asked; the message is for the user."""


class TargetExists(ExportError):
    """The file is already there: the UI asks, the CLI needs --force."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists (use --force to overwrite)")
        self.path = path


@dataclass(frozen=True)
class Subject:
    """What a draft answers: the mention, its project and client, and the names of every other client."""

    mention: Any | None
    project: project_store.Project | None
    client: client_store.Client | None
    other_clients: tuple[str, ...] = ()


def subject_for(conn: sqlite3.Connection, mention_id: int | None, project_id: int | None = None) -> Subject:
    mention = mention_store.get(conn, mention_id) if mention_id is not None else None
    project_id = project_id if project_id is not None else getattr(mention, "project", None)
    project = None
    if project_id is not None:
        with contextlib.suppress(StoreError):
            project = project_store.get(conn, project_id)
    client_id = project.client if project else getattr(mention, "client", None)
    client = None
    if client_id is not None:
        with contextlib.suppress(StoreError):
            client = client_store.get(conn, client_id)
    others = tuple(name for cid, name in client_store.names(conn) if cid != client_id)
    return Subject(mention, project, client, others)


_UNSAFE = re.compile(r"[^\w-]+")


def file_name(client: str | None, day: date, draft_id: int, ext: str) -> str:
    """`<client>-<YYYY-MM-DD>-draft<ID>.<ext>`, the client part reduced to letters, digits and dashes."""
    slug = _UNSAFE.sub("-", unicodedata.normalize("NFKC", client or "")).strip("-_")[:60].strip("-_")
    return f"{slug or 'client'}-{day.isoformat()}-draft{draft_id}.{ext}"


def header_text(value: str) -> str:
    """Text made safe for one header line: every control, line or paragraph separator (CR, LF, NEL, U+2028...)
    becomes a space, so a project title or name can never forge a header or make the mail library refuse it."""
    return " ".join("".join(" " if unicodedata.category(ch) in _BREAKING else ch for ch in value).split())


_BREAKING = {"Cc", "Zl", "Zp", "Cs"}


def build_eml(body: str, *, subject: str, to_name: str = "", to_addr: str = "", sender: str = "",
              when: datetime | None = None) -> EmailMessage:
    """A UTF-8 RFC 5322 message, addressed to the client when their email is known, opened as a draft to send.

    Header text is sanitised, never refused, so one odd project title cannot stop `drafts export --all`; a client
    email that is not an address leaves the To header out (the mail program asks), while a sender address, which
    the user gives for every draft at once, is refused with a clear error.
    """
    msg = EmailMessage(policy=email.policy.default)
    sender = header_text(sender)
    if sender:
        try:
            msg["From"] = Address(addr_spec=sender)
        except (ValueError, IndexError) as exc:
            raise ExportError(f"{sender!r} is not a usable sender email address ({exc})") from exc
    to_addr = header_text(to_addr)
    if to_addr:
        try:
            msg["To"] = Address(display_name=header_text(to_name), addr_spec=to_addr)
        except (ValueError, IndexError) as exc:
            log.warning("left the To header out: %r is not a usable email address (%s)", to_addr, exc)
    msg["Subject"] = header_text(subject)
    msg["Date"] = format_datetime(when or utc_now())
    msg["Message-ID"] = make_msgid(domain="rapport.invalid")  # never the machine's host name
    msg["X-Unsent"] = "1"  # mail clients open it as a draft, so the user's own From and signature apply
    msg.set_content(body, charset="utf-8")
    return msg


def content(conn: sqlite3.Connection, draft: drafts.Draft, fmt: str, *, sender: str = "",
            config_dir: Path | None = None, clock: Clock = utc_now) -> bytes:
    """The bytes of `draft`'s latest version as `fmt`."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    version = draft.latest
    if version is None:
        raise ExportError(f"draft {draft.id} has no saved text yet")
    subject = subject_for(conn, draft.mention, draft.project)
    if fmt == "txt":
        return version.body.encode("utf-8")
    if fmt == "md":
        return render.render(version.answers, fmt="md", mention=subject.mention, project=subject.project,
                             client=subject.client, config_dir=config_dir).encode("utf-8")
    # Exactly what the composer's last page showed (the reply or the email, as the user chose), never another
    # template's text.
    body = version.body
    title = subject.project.title if subject.project else ""
    msg = build_eml(body, subject=f"About {title}" if title else "About your review",
                    to_name=subject.client.name if subject.client else "",
                    to_addr=(subject.client.email or "") if subject.client else "", sender=sender, when=clock())
    # RFC 5322 lines end in CRLF.
    return msg.as_bytes(policy=email.policy.SMTP)


def target(draft: drafts.Draft, fmt: str, out_dir: Path) -> Path:
    day = (draft.latest.created_at if draft.latest else draft.created_at).astimezone().date()
    return Path(out_dir) / file_name(draft.client_name or draft.author, day, draft.id, fmt)


def write(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Write all of `data` or nothing; an existing file is replaced only with `force`."""
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path} is a directory")
    if not force and path.exists():
        raise TargetExists(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".rapport-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the file appeared meanwhile: no race with another writer
            except FileExistsError:
                raise TargetExists(path) from None
            except OSError:
                if path.exists():
                    raise TargetExists(path) from None
                os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return path


def export(conn: sqlite3.Connection, draft_id: int, fmt: str, *, out_dir: Path | None = None,
           path: Path | None = None, force: bool = False, sender: str = "", config_dir: Path | None = None,
           clock: Clock = utc_now) -> Path:
    """Export a draft's latest version into `out_dir` (named from client and date) or to `path`; record it."""
    draft = drafts.get(conn, draft_id)
    if path is None:
        if out_dir is None:
            raise ExportError("say where to export: a directory or a file")
        path = target(draft, fmt, out_dir)
    data = content(conn, draft, fmt, sender=sender, config_dir=config_dir, clock=clock)
    try:
        written = write(path, data, force=force)
    except TargetExists:
        raise
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    assert draft.latest is not None
    drafts.mark_exported(conn, draft.id, draft.latest.n, written, clock())
    return written
