"""scrapers/http.py against a real local server that misbehaves on cue. Each case ends in a typed error."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrapers.base import Blocked, FetchError, LoginRequired, ParseError, RateLimited
from scrapers.http import USER_AGENT, check_url, parse_retry_after
from tests.helpers.fault_server import CLOUDFLARE_CHALLENGE, DATADOME_CHALLENGE, LOGIN_PAGE, MODES, FaultServer, Reply
from tests.helpers.fixtures import T0, roomy_session

PAGE = "<!doctype html><title>Northlight Studio</title><p>Reviews 47</p>"
# tight_session's limits: no single read waits longer than 0.2 s, no request lasts longer than 1 s. A fault that would
# hold a worker for seconds must end in an error at those bounds; no test here times itself. Fetches that must succeed
# use the roomy session fixture, so a loaded machine is not mistaken for a fault.


# A long header, as big sites send, so a client that hangs up mid-headers leaves most of them unsent.
CSP = {"Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.trustpilot.net "
       "https://widget.trustpilot.com https://www.googletagmanager.com; style-src 'self' 'unsafe-inline' "
       "https://cdn.trustpilot.net; img-src 'self' data: https://*.trustpilot.net https://user-images.trustpilot.com; "
       "connect-src 'self' https://*.trustpilot.com https://*.datadome.co; frame-ancestors 'none'"}


@pytest.fixture(params=MODES)
def any_server(request):
    """The fault server in each way a response can end: kept alive, HTTP/1.0, Connection: close (+/- length)."""
    with FaultServer(request.param) as server:
        yield server


def test_ok_with_validators_and_honest_user_agent(fault_server, session):
    url = fault_server.route("/review/northlightstudio.co.uk",
                             Reply(200, PAGE, headers={"ETag": '"tp-7f3a"', "Last-Modified": "Thu, 13 Mar 2025 08:00:00 GMT"}))
    result = session.fetch(url, check_robots=False)
    assert (result.status, result.not_modified, result.etag) == (200, False, '"tp-7f3a"')
    assert result.last_modified == "Thu, 13 Mar 2025 08:00:00 GMT"
    assert "Reviews 47" in result.text
    [request] = fault_server.hits("/review/northlightstudio.co.uk")
    assert request.headers["user-agent"] == USER_AGENT and USER_AGENT.startswith("Rapport/")


def test_304_is_not_modified_not_an_error(fault_server, session):
    url = fault_server.route("/feed", Reply(304, headers={"ETag": '"v2"'}))
    result = session.fetch(url, etag='"v1"', last_modified="Thu, 13 Mar 2025 08:00:00 GMT", check_robots=False)
    assert result.not_modified and result.body == b"" and result.etag == '"v2"'
    [request] = fault_server.hits("/feed")
    assert request.headers["if-none-match"] == '"v1"'
    assert request.headers["if-modified-since"] == "Thu, 13 Mar 2025 08:00:00 GMT"


@pytest.mark.parametrize(("status", "header", "expected"), [
    (429, "120", T0 + timedelta(seconds=120)),
    (429, "Fri, 14 Mar 2025 10:00:00 GMT", datetime(2025, 3, 14, 10, 0, tzinfo=timezone.utc)),
    (503, "3600", T0 + timedelta(hours=1)),
    (429, None, T0 + timedelta(minutes=15)),          # no Retry-After: a default pause, not a hammering
    (429, "soon-ish", T0 + timedelta(minutes=15)),    # unreadable: the same
])
def test_rate_limited_carries_retry_at_and_never_sleeps(fault_server, session, status, header, expected):
    headers = {"Retry-After": header} if header else {}
    url = fault_server.route("/slow-down", Reply(status, "<h1>Too many requests</h1>", headers=headers))
    with pytest.raises(RateLimited) as caught:
        session.fetch(url, check_robots=False)
    assert caught.value.retry_at == expected
    assert (caught.value.status, caught.value.url, caught.value.state) == (status, url, "rate limited")
    assert len(fault_server.hits("/slow-down")) == 1  # not retried inside the worker


def test_500_then_200_is_retried(fault_server, session):
    url = fault_server.route("/flaky", Reply(500, "oops"), Reply(200, PAGE))
    assert session.fetch(url, check_robots=False).status == 200
    assert len(fault_server.hits("/flaky")) == 2


def test_500_for_good_is_a_fetch_error_with_status(fault_server, session):
    url = fault_server.route("/down", Reply(502, "bad gateway"))
    with pytest.raises(FetchError) as caught:
        session.fetch(url, check_robots=False)
    assert caught.value.status == 502 and caught.value.state == "failing"
    assert len(fault_server.hits("/down")) == 3  # first try + 2 retries


@pytest.mark.parametrize(("reply", "words"), [
    (Reply(200, PAGE, delay=5), "timed out"),                               # stalls before the headers
    (Reply(200, PAGE, stall=5), "timed out"),                               # stalls after the headers
    (Reply(200, b"x" * 4000, drip=(20, 0.01)), "took longer"),              # each read quick, the whole slow
    (Reply(200, b"x" * 50_000, reset_after=1000), "connection broken"),     # reset mid-body
    (Reply(200, b"x" * 50_000, truncate_to=1000), "cut short"),            # fewer bytes than announced
    (Reply(200, b"x" * 6_000_000), "too large"),                            # declared oversize
    (Reply(200, b"x" * 6_000_000, gzip=True), "too large"),                 # small on the wire, big decoded
    (Reply(404, "<h1>Not found</h1>"), "not found"),
])
def test_faults_end_in_fetch_error(fault_server, tight_session, reply, words):
    url = fault_server.route("/fault", reply)
    with pytest.raises(FetchError) as caught:
        tight_session.fetch(url, check_robots=False)
    assert words in str(caught.value)
    assert caught.value.url == url


def test_headers_dripped_end_at_the_deadline(any_server, tight_session):
    """Each byte of the status line and headers comes well within the read timeout; the whole never does."""
    url = any_server.route("/drip-head", Reply(200, PAGE, headers=CSP, header_drip=0.01))  # about 6 s of headers
    with pytest.raises(FetchError, match=r"took longer than 1 s") as caught:
        tight_session.fetch(url, check_robots=False)
    assert caught.value.url == url
    [request] = any_server.hits("/drip-head")
    assert request.sent < request.size // 2  # we hung up in the middle of the headers


def test_body_dripped_ends_at_the_deadline(any_server, tight_session):
    url = any_server.route("/drip-body", Reply(200, b"x" * 4000, drip=(20, 0.01)))  # about 2 s of body
    with pytest.raises(FetchError, match=r"took longer than 1 s"):
        tight_session.fetch(url, check_robots=False)
    [request] = any_server.hits("/drip-body")
    assert request.sent < request.size  # we hung up before the end


@pytest.mark.parametrize("post", ["post_form", "post_json"])
def test_posts_dripped_end_at_the_deadline_even_without_a_length(tight_session, post):
    """A body that ends when the connection does is cut by the deadline, not taken as complete."""
    with FaultServer("close-no-length") as server:
        url = server.route("/oauth/token", Reply(200, '{"access_token": "' + "a" * 400 + '"}',
                                                 content_type="application/json", drip=(20, 0.05)))
        with pytest.raises(FetchError, match="took longer than 1 s"):
            getattr(tight_session, post)(url, {"grant_type": "client_credentials"})


def test_deadline_covers_robots_txt_too(any_server, tight_session):
    any_server.route("/robots.txt", Reply(200, "User-agent: *\nAllow: /\n", content_type="text/plain",
                                          headers=CSP, header_drip=0.01))
    any_server.route("/reviews", Reply(200, PAGE))
    with pytest.raises(FetchError, match="took longer"):
        tight_session.fetch(any_server.url("/reviews"))
    assert any_server.hits("/reviews") == []
    [request] = any_server.hits("/robots.txt")
    assert request.sent < request.size // 2


def test_keep_alive_connection_is_reused_after_a_deadline_elsewhere(fault_server, tight_session):
    """A deadline that fired is disarmed when its fetch ends: the next fetch on the session is untouched."""
    fault_server.route("/slow", Reply(200, PAGE, headers=CSP, header_drip=0.01))
    fault_server.route("/fine", Reply(200, PAGE))
    with pytest.raises(FetchError):
        tight_session.fetch(fault_server.url("/slow"), check_robots=False)
    for _ in range(3):
        assert tight_session.fetch(fault_server.url("/fine"), check_robots=False).text == PAGE


def test_drip_within_the_deadline_is_fine(fault_server, tight_session):
    """The small bounds end a slow whole, not a slow start: 40 ms of drip is far within 1 s."""
    url = fault_server.route("/drip", Reply(200, b"x" * 200, drip=(50, 0.01)))
    assert tight_session.fetch(url, check_robots=False).body == b"x" * 200


def test_gzip_body_is_decoded(fault_server, session):
    url = fault_server.route("/gz", Reply(200, PAGE, gzip=True))
    assert session.fetch(url, check_robots=False).text == PAGE


@pytest.mark.parametrize(("body", "content_type", "text"), [
    ("Café Lumière".encode(), "text/html; charset=iso-8859-1", "Café Lumière"),  # header says Latin-1, UTF-8 body
    ("Café Lumière".encode("latin-1"), "text/html; charset=utf-8", "Café Lumière"),
    ("Café Lumière".encode(), "text/html; charset=klingon", "Café Lumière"),
    ("<meta charset='windows-1252'>Caf\xe9".encode("latin-1"), "text/html", "<meta charset='windows-1252'>Café"),
])
def test_wrong_declared_charset_is_read_sanely(fault_server, session, body, content_type, text):
    url = fault_server.route("/charset", Reply(200, body, content_type=content_type))
    assert session.fetch(url, check_robots=False).text == text


def test_redirect_loop(fault_server, session):
    fault_server.route("/a", Reply.redirect("/b"))
    url = fault_server.route("/b", Reply.redirect("/a"))
    with pytest.raises(FetchError, match="redirects"):
        session.fetch(url, check_robots=False)
    assert len(fault_server.requests) == 6  # max_redirects + 1, then stop


def test_redirect_to_file_scheme_refused(fault_server, session):
    url = fault_server.route("/go", Reply.redirect("file:///etc/passwd"))
    with pytest.raises(FetchError, match="non-http"):
        session.fetch(url, check_robots=False)


def test_redirect_followed(fault_server, session):
    fault_server.route("/review/northlight", Reply.redirect("/review/northlightstudio.co.uk", 301))
    fault_server.route("/review/northlightstudio.co.uk", Reply(200, PAGE))
    result = session.fetch(fault_server.url("/review/northlight"), check_robots=False)
    assert result.url == fault_server.url("/review/northlightstudio.co.uk")


def test_redirect_to_login_page_is_login_required(fault_server, session):
    url = fault_server.route("/review/private", Reply.redirect("/users/connect?redirect=%2Freview%2Fprivate"))
    fault_server.route("/users/connect", Reply(200, LOGIN_PAGE))
    with pytest.raises(LoginRequired) as caught:
        session.fetch(url, check_robots=False)
    assert caught.value.state == "login required"


def test_401_is_login_required(fault_server, session):
    url = fault_server.route("/account/reviews", Reply(401, LOGIN_PAGE, headers={"WWW-Authenticate": 'Bearer realm="api"'}))
    with pytest.raises(LoginRequired) as caught:
        session.fetch(url, check_robots=False)
    assert caught.value.status == 401


@pytest.mark.parametrize(("status", "page", "headers"), [
    (403, CLOUDFLARE_CHALLENGE, {"cf-mitigated": "challenge"}),
    (503, CLOUDFLARE_CHALLENGE, {}),          # a challenge is not a rate limit, even on 503
    (403, DATADOME_CHALLENGE, {}),
    (403, "<h1>Forbidden</h1>", {}),
])
def test_bot_checks_and_refusals_are_blocked(fault_server, session, status, page, headers):
    url = fault_server.route("/review/northlightstudio.co.uk", Reply(status, page, headers=headers))
    with pytest.raises(Blocked) as caught:
        session.fetch(url, check_robots=False)
    assert caught.value.status == status and caught.value.state == "blocked"


def test_html_where_json_expected_is_a_parse_error(fault_server, session):
    url = fault_server.route("/api/reviews", Reply(200, LOGIN_PAGE))
    result = session.fetch(url, accept="application/json", check_robots=False)
    with pytest.raises(ParseError, match="expected JSON, got a text/html page") as caught:
        result.json()
    assert caught.value.url == url


def test_robots_txt_honoured_and_cached(fault_server, session):
    fault_server.route("/robots.txt", Reply(200, "User-agent: *\nDisallow: /private/\n", content_type="text/plain"))
    fault_server.route("/reviews", Reply(200, PAGE))
    assert session.fetch(fault_server.url("/reviews")).status == 200
    with pytest.raises(Blocked, match="robots.txt"):
        session.fetch(fault_server.url("/private/reviews"))
    assert len(fault_server.hits("/robots.txt")) == 1


def test_robots_txt_missing_allows_and_unreachable_refuses(fault_server, clock):
    fault_server.route("/reviews", Reply(200, PAGE))
    with roomy_session(clock, retries=0) as polite:
        assert polite.fetch(fault_server.url("/reviews")).status == 200  # robots.txt 404: no rules
    fault_server.route("/robots.txt", Reply(500, "down"))
    with roomy_session(clock, retries=0) as polite:
        with pytest.raises(FetchError, match="robots.txt"):
            polite.fetch(fault_server.url("/reviews"))


def test_connection_refused(session):
    with pytest.raises(FetchError, match="could not connect"):
        session.fetch("http://127.0.0.1:9/", check_robots=False)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://files.example/x", "javascript:alert(1)", "https:///x", "northlight"])
def test_only_http_urls(session, url):
    with pytest.raises(FetchError):
        session.fetch(url)
    with pytest.raises(FetchError):
        check_url(url)


@pytest.mark.parametrize(("value", "expected"), [
    ("120", T0 + timedelta(seconds=120)),
    ("0", T0 + timedelta(minutes=1)),                                     # "now" is not a plan: a minimum pause
    ("99999999", T0 + timedelta(hours=24)),                               # capped
    ("99999999999999999999", T0 + timedelta(hours=24)),                   # too big for a timedelta: capped
    ("9" * 5000, T0 + timedelta(hours=24)),                               # too long for int(): capped
    ("Fri, 31 Dec 9999 23:59:59 GMT", T0 + timedelta(hours=24)),
    ("Fri, 31 Dec 9999 23:59:59 -1200", T0 + timedelta(hours=24)),        # past datetime.max in UTC
    ("Mon, 01 Jan 0001 00:00:00 +1400", T0 + timedelta(minutes=1)),       # before datetime.min in UTC
    ("Mon, 01 Jan 2024 00:00:00 GMT", T0 + timedelta(minutes=1)),         # in the past: the minimum
    ("Fri, 14 Mar 2025 10:00:00 GMT", datetime(2025, 3, 14, 10, 0, tzinfo=timezone.utc)),
    ("\u0663\u0660", None),                                                 # Arabic-Indic digits: not delta-seconds
    ("\u00b2", None),                                                      # a superscript two
    ("-5", None), ("1e9", None), ("12.5", None), ("", None), ("soon-ish", None), ("Wed, 32 Foo 2020", None),
])
def test_retry_after_odd_values_are_capped_or_unreadable(value, expected):
    assert parse_retry_after(value, T0) == expected


@given(st.text(max_size=60) | st.from_regex(r"\A[0-9]{1,40}\Z") | st.datetimes(timezones=st.timezones()).map(
    lambda moment: moment.strftime("%a, %d %b %Y %H:%M:%S %z")))
def test_retry_after_is_never_a_traceback_and_always_sane(value):
    moment = parse_retry_after(value, T0)
    assert moment is None or T0 + timedelta(minutes=1) <= moment <= T0 + timedelta(hours=24)


@pytest.mark.parametrize("header", ["99999999999999999999", "\u0663\u0660", "Fri, 31 Dec 9999 23:59:59 -1200",
                                    "Mon, 01 Jan 0001 00:00:00 +1400"])
def test_odd_retry_after_from_a_server_is_rate_limited(fault_server, session, header):
    url = fault_server.route("/slow-down", Reply(429, "<h1>Too many requests</h1>", headers={"Retry-After": header}))
    with pytest.raises(RateLimited) as caught:
        session.fetch(url, check_robots=False)
    assert T0 + timedelta(minutes=1) <= caught.value.retry_at <= T0 + timedelta(hours=24)


def test_the_fault_server_is_quiet_when_the_client_hangs_up(fault_server, capfd) -> None:
    """A client that resets or closes a connection the server still reads or writes (a fetch cancelled or timed out)
    is the client's side of a test: the server prints no traceback into the stderr tests read for Rapport's own
    output. Its own failures it still prints."""
    for hang_up in (ConnectionResetError(104, "Connection reset by peer"), BrokenPipeError(32, "Broken pipe")):
        try:
            raise hang_up
        except ConnectionError:
            fault_server._server.handle_error(None, ("127.0.0.1", 40000))
    assert "Traceback" not in capfd.readouterr().err
    try:
        raise ValueError("a bug in a scripted reply")
    except ValueError:
        fault_server._server.handle_error(None, ("127.0.0.1", 40000))
    assert "ValueError: a bug in a scripted reply" in capfd.readouterr().err
