"""scrapers/upwork.py and scrapers/oauth.py: without a key a plain "blocked" in words; with one, the OAuth 2.0
authorization-code flow through a local redirect, tokens kept and renewed, and GraphQL, against a local server."""
from __future__ import annotations

import json
import socket
import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from desktop.polling import poll_once
from desktop.store import sources
from scrapers.base import Blocked, LoginRequired
from scrapers.oauth import Tokens
from scrapers.upwork import NO_KEY, TOKENS, UpworkProfile, connect_account
from scrapers.poll import PollRequest
from tests.helpers.fault_server import Reply
from tests.scrapers.pages import PAGES, cases, check_page

DIR = PAGES / "upwork"
PROFILE = "/freelancers/~01a7c3e9d5b2f46180"
USER = json.dumps({"data": {"user": {"id": "1491805627343286272", "nid": "noorhaddad", "name": "Noor Haddad"}}})


def json_reply(body: bytes | str, status: int = 200) -> Reply:
    return Reply(status, body, content_type="application/json")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(("page", "expected"), cases("upwork"))
def test_recorded_answer(page, expected):
    check_page("upwork", page, expected)


def test_without_a_key_it_is_blocked_in_words_and_asks_nothing(conn, fault_server, session, clock):
    row = sources.add(conn, "upwork", fault_server.url(PROFILE), interval_s=3600)
    result = poll_once(row, session, conn, clock)
    assert result.state == "blocked" and result.error == NO_KEY
    assert fault_server.requests == []  # Upwork's pages are not even asked for


def test_a_saved_profile_page_is_not_read():
    with pytest.raises(Blocked, match="connect your Upwork API key, or import your reviews"):
        UpworkProfile().parse("<html><body><h1>Noor Haddad</h1></body></html>", "https://www.upwork.com" + PROFILE)


def test_connect_signs_in_through_the_local_redirect(fault_server, session, clock):
    fault_server.route("/api/v3/oauth2/token", json_reply(json.dumps(
        {"access_token": "oat_first", "refresh_token": "ort_first", "token_type": "Bearer", "expires_in": 86400})))
    redirect = f"http://127.0.0.1:{free_port()}/upwork/callback"
    opened: list[str] = []

    def browser(url: str) -> None:  # the user allows Rapport; Upwork sends the browser back with a code
        opened.append(url)
        state = parse_qs(urlsplit(url).query)["state"][0]
        threading.Thread(target=requests.get, args=(f"{redirect}?code=c0de-from-upwork&state={state}",),
                         kwargs={"timeout": 5}, daemon=True).start()

    kept = connect_account(session, fault_server.url(PROFILE), {"client_id": "key-123", "client_secret": "s3cret"},
                           browser, clock(), timeout=10, redirect_uri=redirect)
    query = parse_qs(urlsplit(opened[0]).query)
    assert urlsplit(opened[0]).path == "/ab/account-security/oauth2/authorize"
    assert query["response_type"] == ["code"] and query["client_id"] == ["key-123"]
    assert query["redirect_uri"] == [redirect]
    form = parse_qs(fault_server.hits("/api/v3/oauth2/token")[0].body.decode())
    assert form["grant_type"] == ["authorization_code"] and form["code"] == ["c0de-from-upwork"]
    tokens = Tokens.from_json(kept[TOKENS])
    assert tokens.access_token == "oat_first" and tokens.expires_at == clock() + timedelta(days=1)


def test_a_forged_redirect_is_refused(session, clock, fault_server):
    redirect = f"http://127.0.0.1:{free_port()}/upwork/callback"

    def browser(url: str) -> None:
        threading.Thread(target=requests.get, args=(f"{redirect}?code=stolen&state=not-ours",),
                         kwargs={"timeout": 5}, daemon=True).start()

    with pytest.raises(LoginRequired, match="did not give access"):
        connect_account(session, fault_server.url(PROFILE), {"client_id": "k", "client_secret": "s"}, browser,
                        clock(), timeout=10, redirect_uri=redirect)
    assert fault_server.hits("/api/v3/oauth2/token") == []


def test_graphql_with_a_renewed_token(fault_server, session, clock):
    fault_server.route("/api/v3/oauth2/token", json_reply(json.dumps(
        {"access_token": "oat_second", "token_type": "Bearer", "expires_in": 3600})))
    fault_server.route("/graphql", json_reply(USER), json_reply((DIR / "work-history.response").read_bytes()))
    expired = Tokens("oat_first", "ort_first", clock() - timedelta(minutes=1))
    request = PollRequest(url=fault_server.url(PROFILE), now=clock(),
                          credentials={"client_id": "key-123", "client_secret": "s3cret", TOKENS: expired.to_json()})
    reader = UpworkProfile()
    outcome = reader.poll(session, request)
    assert [m.external_id for m in outcome.mentions] == ["contract-41815410", "contract-41522987"]
    assert outcome.checkpoint == {"person_id": "1491805627343286272"}
    refreshed = parse_qs(fault_server.hits("/api/v3/oauth2/token")[0].body.decode())
    assert refreshed["grant_type"] == ["refresh_token"] and refreshed["refresh_token"] == ["ort_first"]
    renewed = Tokens.from_json(reader.renewed[TOKENS])
    assert renewed.access_token == "oat_second" and renewed.refresh_token == "ort_first"  # the old refresh kept
    calls = fault_server.hits("/graphql")
    assert all(c.method == "POST" and c.headers["authorization"] == "Bearer oat_second" for c in calls)
    sent = json.loads(calls[1].body)
    assert "talentWorkHistory" in sent["query"]
    assert sent["variables"] == {"filter": {"personId": "1491805627343286272"}}


def test_an_authorization_failure_asks_to_connect_again(fault_server, session, clock):
    fault_server.route("/graphql", json_reply((DIR / "authorization-failed.response").read_bytes()))
    tokens = Tokens("oat", "ort", clock() + timedelta(hours=5))
    request = PollRequest(url=fault_server.url(PROFILE), now=clock(), checkpoint={"person_id": "1491805627343286272"},
                          credentials={"client_id": "k", "client_secret": "s", TOKENS: tokens.to_json()})
    with pytest.raises(LoginRequired, match="connect your Upwork account again"):
        UpworkProfile().poll(session, request)


def test_the_runner_keeps_a_renewed_sign_in_in_the_keyring(conn, fault_server, session, clock):
    from desktop import secrets
    from tests.helpers.memory_keyring import installed_memory_keyring

    fault_server.route("/api/v3/oauth2/token", json_reply(json.dumps(
        {"access_token": "oat_second", "refresh_token": "ort_second", "expires_in": 3600})))
    fault_server.route("/graphql", json_reply(USER), json_reply((DIR / "work-history.response").read_bytes()))
    for _keyring in installed_memory_keyring():
        row = sources.add(conn, "upwork", fault_server.url(PROFILE), interval_s=3600)
        secrets.set_secret(row.id, "key-123", "client_id")
        secrets.set_secret(row.id, "s3cret", "client_secret")
        secrets.set_secret(row.id, Tokens("oat_first", "ort_first", clock() - timedelta(hours=1)).to_json(), TOKENS)
        result = poll_once(row, session, conn, clock)
        assert result.ok and result.new == 2
        kept = Tokens.from_json(secrets.get_secret(row.id, TOKENS))
        assert (kept.access_token, kept.refresh_token) == ("oat_second", "ort_second")
        kept_in_store = conn.execute("SELECT checkpoint_json || config_json FROM sources WHERE id = ?", (row.id,))
        assert "oat_" not in kept_in_store.fetchone()[0]  # the sign-in is in the keyring only


@pytest.mark.parametrize("errors", ['{"": null}', "10", '"denied"', "[1]", '[{"message": 7}]'])
def test_a_malformed_graphql_errors_field_is_an_error_in_words_not_a_crash(errors):
    """Found by the 10,000-case fuzz run: `"errors": {...}` or a number raised KeyError/TypeError. GraphQL says a
    list of objects with a message; anything else there is still the API refusing, said as such."""
    from scrapers.base import FetchError
    from scrapers.upwork import parse_work_history

    body = '{"errors": %s, "data": {"talentWorkHistory": null}}' % errors
    with pytest.raises(FetchError, match="Upwork's API answered with an error: unknown error"):
        parse_work_history(body, "https://api.upwork.com/graphql")
