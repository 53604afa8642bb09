"""`rapport team migrate`: a single user's SQLite store copied into an empty team database on a real server."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

from desktop.cli import main
from desktop.composer.answers import Answers
from desktop.records.ingest import ingest
from desktop.store import clients, connect, drafts, learning, mentions, projects, revisions, sources
from desktop.store import settings as settings_store
from desktop.store.team_copy import TABLES, user_rows
from scrapers.base import Mention
from tests.helpers.trend_data import seed

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def filled_store(path: Path) -> dict[str, int]:
    """A store with something in every table a user fills."""
    conn = connect(path)
    try:
        seeded = seed(conn)
        clients.add_handle(conn, seeded.clients["oak"], "trustpilot", "@Priya_Nair")
        projects.add(conn, seeded.clients["oak"], "Booking widget", budget=1200.0)
        settings_store.put(conn, host_gap_s=20, my_names=["Sam Rivera"])
        tp = seeded.sources["tp"]
        first = ingest(conn, tp, [Mention(text="Late twice.", author="Priya Nair", external_id="r9", rating=2)],
                       site="trustpilot", clock=lambda: T0)
        ingest(conn, tp, [Mention(text="Late twice, then fixed it.", author="Priya Nair", external_id="r9",
                                  rating=4)], site="trustpilot", clock=lambda: T0 + timedelta(days=1))
        assert revisions.history(conn, first[0].mention_id)[0].rating == 2
        draft = drafts.create(conn, first[0].mention_id, None, clock=lambda: T0)
        drafts.save(conn, draft, Answers(), "Sorry, Priya.", clock=lambda: T0)
        drafts.save(conn, draft, Answers(), "Sorry, Priya: fixed at no cost.", clock=lambda: T0)
        learning.correct(conn, seeded.mentions[0], True, T0)
        learning.replace_learned_words(conn, [learning.StoredWord("sluggish", -1.5, 0.0, 3.0)])
        learning.replace_learned_adjustment(conn, {"family:horror": -0.2, "word:eerie": -0.1})
        learning.forget_word(conn, "fine")
        mentions.set_read(conn, [seeded.mentions[0], seeded.mentions[1]], True, T0)
        return user_rows(conn)
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_store_moves_into_an_empty_team_database_whole(db_path: Path, postgres_server, capsys) -> None:
    expected = filled_store(db_path)
    # reads, alerts_seen: per-person read and seen state exist only in a team; the single user's is on the mention
    # and the alert themselves.
    assert all(expected[t] > 0 for t in TABLES if t not in ("reads", "alerts_seen")), expected
    before = digest(db_path)
    url = postgres_server.database(migrated=False)

    assert main(["--db", str(db_path), "team", "migrate", "--to", url]) == 0
    out = capsys.readouterr().out
    assert "counts verified" in out and f"mentions\t{expected['mentions']}" in out
    assert digest(db_path) == before  # the SQLite file is only read

    source, team = connect(db_path, read_only=True), connect(url)
    try:
        assert user_rows(team) == {**expected, "reads": 2}  # what the single user read, read by them here
        unread = mentions.Filter(unread=True)
        assert [m.id for m in mentions.query(team, unread, limit=0)] == \
            [m.id for m in mentions.query(source, unread, limit=0)]
        team.person = "A teammate"  # another person starts with everything unread
        assert mentions.count(team, unread) == expected["mentions"]
        team.person = None
        assert [(m.id, m.text, m.alerted) for m in mentions.query(source, limit=0)] == \
            [(m.id, m.text, m.alerted) for m in mentions.query(team, limit=0)]
        assert settings_store.get(team, "my_names") == ["Sam Rivera"]
        assert [v.body for v in drafts.versions(team, drafts.all_drafts(team)[0].id)] == \
            ["Sorry, Priya.", "Sorry, Priya: fixed at no cost."]
        # New records get ids past the copied ones.
        newest = max(s.id for s in sources.all_sources(team))
        assert sources.add(team, "feeds", "https://rivera.dev/feed.xml").id == newest + 1
    finally:
        source.close()
        team.close()


def test_a_team_database_that_holds_anything_is_refused(db_path: Path, postgres_server, capsys) -> None:
    filled_store(db_path)
    url = postgres_server.database()
    team = connect(url)
    clients.add(team, "Someone Else's Client")
    team.close()

    assert main(["--db", str(db_path), "team", "migrate", "--to", url]) == 2
    err = capsys.readouterr().err
    assert "not empty (1 clients)" in err
    team = connect(url)
    try:
        assert user_rows(team)["mentions"] == 0
    finally:
        team.close()


def test_an_address_that_is_not_a_team_database_is_refused_before_anything(db_path: Path, capsys) -> None:
    try:
        main(["--db", str(db_path), "team", "migrate", "--to", "/tmp/other.sqlite3"])
    except SystemExit as exit_:
        assert exit_.code == 2
    assert "postgresql://USER@HOST/DATABASE" in capsys.readouterr().err
    assert not db_path.exists()
