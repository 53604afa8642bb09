"""`rapport connect` (an Upwork source's one-time sign-in), `rapport parse --selectors`, and a kind's longest interval."""
from __future__ import annotations

import json
import socket
import threading
import webbrowser
from urllib.parse import parse_qs, urlsplit

import requests

from desktop import secrets
from desktop.cli import main
from desktop.store import sources
from desktop.store.db import connect
from scrapers.oauth import Tokens
from tests.helpers.fault_server import Reply
from tests.helpers.memory_keyring import installed_memory_keyring
from tests.scrapers.pages import PAGES


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connect_keeps_the_sign_in_in_the_keyring(db_path, fault_server, capsys, monkeypatch):
    fault_server.route("/api/v3/oauth2/token", Reply(200, json.dumps(
        {"access_token": "oat_cli", "refresh_token": "ort_cli", "expires_in": 86400}), content_type="application/json"))
    redirect = f"http://127.0.0.1:{free_port()}/upwork/callback"

    def approve(url: str) -> bool:  # the user's browser: allowed, and sent back to Rapport
        state = parse_qs(urlsplit(url).query)["state"][0]
        threading.Thread(target=requests.get, args=(f"{redirect}?code=c0de&state={state}",),
                         kwargs={"timeout": 5}, daemon=True).start()
        return True

    monkeypatch.setattr(webbrowser, "open", approve)
    for _keyring in installed_memory_keyring():
        conn = connect(db_path)
        row = sources.add(conn, "upwork", fault_server.url("/freelancers/~01a7c3e9d5b2f46180"))
        conn.close()
        secrets.set_secret(row.id, "key-123", "client_id")
        secrets.set_secret(row.id, "s3cret", "client_secret")
        code = main(["--db", str(db_path), "connect", str(row.id), "--wait", "10", "--redirect", redirect])
        out, err = capsys.readouterr()
        assert code == 0 and "connected" in out and "oat_cli" not in out + err
        assert Tokens.from_json(secrets.get_secret(row.id, "tokens")).access_token == "oat_cli"


def test_connect_without_a_key_says_what_to_do(db_path, capsys):
    for _keyring in installed_memory_keyring():
        conn = connect(db_path)
        row = sources.add(conn, "upwork", "https://www.upwork.com/freelancers/~01a7c3e9d5b2f46180")
        conn.close()
        code = main(["--db", str(db_path), "connect", str(row.id), "--wait", "1"])
        _, err = capsys.readouterr()
        assert code != 0 and "enter your Upwork API key and secret" in err


def test_kinds_without_an_account_to_connect(db_path, capsys):
    conn = connect(db_path)
    row = sources.add(conn, "fiverr", "https://www.fiverr.com/rasmusvoll")
    conn.close()
    assert main(["--db", str(db_path), "connect", str(row.id)]) != 0
    assert "no account to connect" in capsys.readouterr().err


def test_parse_a_saved_page_with_css_selectors(capsys):
    page = str(PAGES / "css" / "kind-words-page1.html")
    selectors = json.dumps({"item": "article.testimonial", "text": ".testimonial__quote",
                            "author": ".testimonial__name", "rating": ".testimonial__stars"})
    assert main(["parse", "--kind", "css", "--selectors", selectors, page]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(m["author"], m["rating"]) for m in lines] == [("Grace Whitfield", 5.0), ("Marcus Lindgren", 2.0)]
    assert main(["parse", "--kind", "css", page]) != 0
    assert "needs its selectors" in capsys.readouterr().err


def test_a_freelancer_source_is_checked_at_least_daily(db_path, capsys):
    argv = ["--db", str(db_path), "sources", "add", "freelancer", "https://www.freelancer.com/u/marenholt"]
    assert main([*argv, "--interval", "2d"]) != 0
    assert "at least every 1d" in capsys.readouterr().err
    assert main([*argv, "--interval", "1d"]) == 0
