"""A poll that used a Reddit app's credentials leaves them nowhere but the keyring: not in the URLs Reddit
receives, the store file, the log or an export (each is read back and searched)."""
from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from desktop import secrets
from desktop.io.exporting import export_mentions
from desktop.polling import poll_once
from desktop.store import sources
from scrapers.reddit_auth import TOKENS
from tests.helpers.fault_server import Reply
from tests.helpers.memory_keyring import MemoryKeyring, installed_memory_keyring
from tests.scrapers.pages import PAGES

CLIENT_ID = "p-jq7Xk2cRv9Lm1w"
CLIENT_SECRET = "s3cr3t-Qm9fT2xZbW91c2U"
TOKEN = "eyJhbGciOiJSUzI1NiJ9.tok-Vq8mZr"


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    yield from installed_memory_keyring()


def test_credentials_stay_in_the_keyring(conn, db_path, tmp_path, fault_server, session, clock, memory_keyring,
                                         caplog):
    TOKENS._tokens.clear()
    caplog.set_level(logging.DEBUG)
    fault_server.route("/api/v1/access_token", Reply(200, f'{{"access_token": "{TOKEN}", "token_type": "bearer", '
                                                          '"expires_in": 86400, "scope": "*"}',
                                                     content_type="application/json"))
    fault_server.route("/r/forhire/search", Reply(200, (PAGES / "reddit" / "oauth-search-sam-rivera.response")
                                                  .read_bytes(), content_type="application/json"))
    row = sources.add(conn, "reddit", fault_server.url("/r/forhire"), config={"terms": ["Sam Rivera"]})
    secrets.set_secret(row.id, CLIENT_ID, "client_id")
    secrets.set_secret(row.id, CLIENT_SECRET, "client_secret")

    result = poll_once(row, session, conn, clock)
    TOKENS._tokens.clear()

    assert result.ok and result.new == 2  # the app was used: the API answered, not the feed
    assert any(r.headers.get("authorization") == f"bearer {TOKEN}" for r in fault_server.requests)
    export = tmp_path / "feedback.json"
    export_mentions(conn, export, fmt="json")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    places = {
        "URLs": " ".join(r.path for r in fault_server.requests).encode(),
        "store": b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*")),
        "log": caplog.text.encode(),
        "export": export.read_bytes(),
    }
    for secret in (CLIENT_ID, CLIENT_SECRET, TOKEN):
        for place, content in places.items():
            assert secret.encode() not in content, f"{secret[:6]}… found in the {place}"
    assert memory_keyring.secrets[("Rapport", f"source-{row.id}/client_secret")] == CLIENT_SECRET


def test_without_a_keyring_the_source_reads_the_feed_and_says_nothing_of_secrets(conn, fault_server, session,
                                                                                 clock):
    fault_server.route("/search.rss", Reply(200, (PAGES / "reddit" / "search-sam-rivera.atom").read_bytes(),
                                            content_type="application/atom+xml"))
    row = sources.add(conn, "reddit", fault_server.url("/"), config={"terms": ["Sam Rivera"]})
    result = poll_once(row, session, conn, clock)  # the suite's keyring is the fail backend
    assert result.ok and result.new == 2
    assert [r.method for r in fault_server.requests] == ["GET"]
