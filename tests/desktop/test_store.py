"""The store opens safely: fresh, upgraded, too new, or not a database at all."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.store import StoreError, connect, transaction
from desktop.store import clients, migrations, projects
from desktop.store import settings as settings_store


def test_fresh_store_is_at_latest_schema_with_pragmas(db_path: Path) -> None:
    conn = connect(db_path)
    try:
        assert migrations.version(conn) == migrations.LATEST
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        kinds = [r[0] for r in conn.execute("SELECT kind FROM sources ORDER BY id")]
        assert kinds == ["manual", "import"]
    finally:
        conn.close()


def test_upgrade_from_previous_version_keeps_data(db_path: Path) -> None:
    raw = sqlite3.connect(db_path, isolation_level=None)
    migrations.migrate(raw, target=migrations.LATEST - 1)
    raw.execute("INSERT INTO clients (name) VALUES ('Northwind Analytics')")
    raw.execute("INSERT INTO mentions (source, dedupe_key, text, fetched_at, compound, label)"
                " VALUES (1, 'h:1', 'Late delivery and no updates', '2026-01-02T00:00:00+00:00', -0.5, 'negative')")
    raw.close()

    conn = connect(db_path)
    try:
        assert migrations.version(conn) == migrations.LATEST
        assert clients.find_by_name(conn, "northwind analytics") is not None
        if migrations.has_fts5(conn):
            hits = conn.execute("SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH 'late'").fetchall()
            assert [h[0] for h in hits] == [1]
    finally:
        conn.close()


def test_refuses_a_database_from_a_newer_version(db_path: Path) -> None:
    connect(db_path).close()
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    raw.close()
    with pytest.raises(StoreError, match="newer Rapport"):
        connect(db_path)
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST + 1  # left untouched
    raw.close()


def test_a_file_that_is_not_a_database_gets_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "notes.sqlite3"
    junk.write_bytes(b"These are my notes, not a database.\n" * 200)
    with pytest.raises(StoreError, match="not a Rapport database"):
        connect(junk)
    assert junk.read_bytes().startswith(b"These are my notes")


@pytest.mark.both_backends
def test_transaction_rolls_back_on_error(conn: sqlite3.Connection) -> None:
    with pytest.raises(RuntimeError):
        with transaction(conn):
            clients.add(conn, "Bluebird Studio")
            raise RuntimeError("crash mid-way")
    assert clients.find_by_name(conn, "Bluebird Studio") is None


@pytest.mark.both_backends
def test_nested_transaction_rolls_back_only_the_inner_part(conn: sqlite3.Connection) -> None:
    with transaction(conn):
        clients.add(conn, "Outer Co")
        with pytest.raises(StoreError):
            clients.add(conn, "outer co")  # duplicate name, case-insensitively
    assert clients.find_by_name(conn, "Outer Co") is not None


@pytest.mark.both_backends
def test_deleting_a_client_keeps_its_feedback_unlinked(conn: sqlite3.Connection) -> None:
    from desktop.records.ingest import MANUAL_SOURCE_ID, Manual, ingest
    from scrapers.base import Mention

    client = clients.add(conn, "Harbor Coffee")
    projects.add(conn, client.id, "Loyalty app")
    [result] = ingest(conn, MANUAL_SOURCE_ID, [Mention("Good work overall")], manual=Manual(client="Harbor Coffee"))
    assert clients.linked_counts(conn, client.id) == (1, 1)
    clients.delete(conn, client.id)
    row = conn.execute("SELECT client, project FROM mentions WHERE id = ?", (result.mention_id,)).fetchone()
    assert tuple(row) == (None, None)


@pytest.mark.both_backends
def test_project_dates_are_checked(conn: sqlite3.Connection) -> None:
    client = clients.add(conn, "Lumen Labs")
    with pytest.raises(StoreError, match="due date is before"):
        projects.add(conn, client.id, "Site", started=projects.parse_date("2026-05-01"),
                     due=projects.parse_date("2026-04-01"))
    with pytest.raises(StoreError, match="YYYY-MM-DD"):
        projects.parse_date("next tuesday")


def test_settings_default_and_persist(db_path: Path) -> None:
    conn = connect(db_path)
    assert settings_store.get(conn, "alert_star_threshold") == 2
    settings_store.put(conn, alert_star_threshold=3, quiet_hours_start="22:00")
    conn.close()
    conn = connect(db_path)
    assert settings_store.get(conn, "alert_star_threshold") == 3
    assert settings_store.all_settings(conn)["quiet_hours_start"] == "22:00"
    conn.close()


@pytest.mark.both_backends
def test_keyset_windows_walk_every_order_exactly_like_one_query(conn: sqlite3.Connection) -> None:
    """Seeking past the last row gives the same rows, in the same order, as one query, for every sort key,
    both directions, with ties and NULLs (no client, no rating) straddling window edges."""
    from desktop.records.ingest import MANUAL_SOURCE_ID, Manual, ingest
    from desktop.store import mentions
    from scrapers.base import Mention

    client = clients.add(conn, "Oakridge Dental")
    texts = ["Great work", "Missed the deadline", "Fine", "Great work", "Slow replies", "Lovely design"]
    for i in range(23):
        mention = Mention(text=f"{texts[i % len(texts)]} {i // 6}", author=f"author {i % 4}",
                          rating=(None if i % 3 == 0 else float(1 + i % 5)))
        ingest(conn, MANUAL_SOURCE_ID, [mention], manual=Manual(client=client.name if i % 2 else None))
    for sort in mentions.SORT_COLUMNS:
        for descending in (True, False):
            whole = [m.id for m in mentions.query(conn, sort=sort, descending=descending, limit=0)]
            walked, after = [], None
            while True:
                page, after = mentions.window(conn, sort=sort, descending=descending, limit=4, after=after)
                walked.extend(m.id for m in page)
                if len(page) < 4:
                    break
            assert walked == whole and len(whole) == 23, (sort, descending)
