"""Drafts as numbered versions in the store, reopened per mention, and the inbox's draft/answered status."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from desktop.store import drafts
from desktop.composer.answers import Answers
from desktop.store.db import StoreError
from tests.composer.helpers import seed

# Every store test here runs on SQLite and on a real PostgreSQL server.
pytestmark = pytest.mark.both_backends

T0 = datetime(2025, 4, 3, 10, 0, tzinfo=timezone.utc)


def test_versions_are_numbered_and_unchanged_saves_add_nothing(conn: sqlite3.Connection) -> None:
    mention = seed(conn)
    draft = drafts.create(conn, mention, 1, clock=lambda: T0)
    a1 = Answers(texts={"own": "I missed the deadline."}, site="upwork")
    v1 = drafts.save(conn, draft, a1, "body 1", clock=lambda: T0)
    assert drafts.save(conn, draft, a1, "body 1").n == 1
    v2 = drafts.save(conn, draft, a1.with_text("next", "A call?"), "body 2", clock=lambda: T0 + timedelta(hours=1))
    assert (v1.n, v2.n) == (1, 2)
    assert [v.body for v in drafts.versions(conn, draft)] == ["body 1", "body 2"]
    latest = drafts.latest(conn, draft)
    assert latest is not None and latest.answers == a1.with_text("next", "A call?")
    assert latest.created_at == T0 + timedelta(hours=1)


def test_a_draft_is_reopened_for_its_mention(conn: sqlite3.Connection) -> None:
    mention = seed(conn)
    assert drafts.for_mention(conn, mention) is None
    draft = drafts.create(conn, mention, 1)
    drafts.save(conn, draft, Answers(texts={"own": "x"}), "x")
    found = drafts.for_mention(conn, mention)
    assert found is not None and found.id == draft and found.versions == 1
    assert (found.client_name, found.project_title, found.author) == ("Dana Whitfield", "Shop checkout rebuild",
                                                                      "dana_w")


def test_status_for_tells_draft_from_answered(conn: sqlite3.Connection) -> None:
    mention = seed(conn)
    other = seed_other(conn)
    assert drafts.status_for(conn, [mention, other]) == {}
    draft = drafts.create(conn, mention, None)
    v = drafts.save(conn, draft, Answers(), "b")
    assert drafts.status_for(conn, [mention, other, 999]) == {mention: drafts.DRAFT}
    drafts.mark_exported(conn, draft, v.n, "clipboard", T0)
    assert drafts.status_for(conn, [mention]) == {mention: drafts.DRAFT}  # exported is not posted
    drafts.mark_posted(conn, draft, T0)
    assert drafts.status_for(conn, [mention]) == {mention: drafts.POSTED}
    assert drafts.get(conn, draft).status == drafts.POSTED
    drafts.mark_posted(conn, draft, None)  # taken back
    assert drafts.get(conn, draft).status == drafts.DRAFT


def test_a_draft_never_saved_is_no_draft(conn: sqlite3.Connection) -> None:
    mention = seed(conn)
    drafts.create(conn, mention, None)
    assert drafts.status_for(conn, [mention]) == {}


def seed_other(conn: sqlite3.Connection) -> int:
    from desktop.records.ingest import MANUAL_SOURCE_ID, ingest
    from scrapers.base import Mention

    return ingest(conn, MANUAL_SOURCE_ID, [Mention(text="Great work, on time.")])[0].mention_id


def test_saving_to_a_missing_draft_is_refused(conn: sqlite3.Connection) -> None:
    with pytest.raises(StoreError):
        drafts.save(conn, 42, Answers(), "x")


def test_answers_survive_json_and_bad_json_is_empty() -> None:
    a = Answers(texts={"own": "Zo\u00eb \u2014 \u20ac"}, choices={"own": ("deadline",)}, kind="email", site="upwork",
                signature="Sam")
    assert Answers.from_json(a.to_json()) == a
    assert Answers.from_json("not json") == Answers() == Answers.from_json('["list"]')
