"""A public page may not redirect us into this machine or its network; a local URL the user typed still works.

The fault server runs on 127.0.0.1, so the "public site" is reached as `localhost` with a resolver (the DNS seam)
that answers a public address for it, as a public name would resolve. Everything else is real: the redirect is
served over HTTP and the target is never requested.
"""
from __future__ import annotations

import pytest

from scrapers.addresses import is_local, kind_of, resolve
from scrapers.base import FetchError, RedirectRefused
from tests.helpers.fault_server import Reply
from tests.helpers.fixtures import roomy_session

PUBLIC = "93.184.215.14"
PAGE = "<!doctype html><title>Northlight Studio</title><p>Reviews 47</p>"


def fake_dns(host: str, port: int) -> list[str]:
    """The public internet as a resolver would give it, plus a LAN name and the real answer for everything else."""
    names = {"localhost": [PUBLIC], "reviews.example": [PUBLIC, "2606:2800:220:1:248:1893:25c8:1946"],
             "intranet.example": ["192.168.1.20"], "sneaky.example": [PUBLIC, "10.0.0.8"]}
    return names.get(host, [])


@pytest.fixture
def public_session(clock):
    with roomy_session(clock, resolver=fake_dns) as polite:
        yield polite


@pytest.mark.parametrize(("target", "kind"), [
    ("http://127.0.0.1:{port}/admin", "loopback"),
    ("http://127.8.9.10/", "loopback"),
    ("http://[::1]:{port}/", "loopback"),
    ("http://[::ffff:127.0.0.1]:{port}/", "loopback"),
    ("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "link-local"),
    ("http://[fe80::1]/", "link-local"),
    ("http://10.0.0.1/", "private"),
    ("http://192.168.1.1/cgi-bin/luci", "private"),
    ("http://172.16.5.4/", "private"),
    ("http://[fd00::1]/", "private"),
    ("http://0.0.0.0:{port}/", "unspecified"),
    ("http://[::]:{port}/", "unspecified"),
    ("http://intranet.example/wiki", "private"),             # a name that resolves into the LAN
    ("http://sneaky.example/", "private"),                   # one local address among public ones is enough
])
def test_public_page_redirecting_inward_is_refused(fault_server, public_session, target, kind):
    port = fault_server.port
    fault_server.route("/review/northlight", Reply.redirect(target.format(port=port)))
    url = f"http://localhost:{port}/review/northlight"
    with pytest.raises(RedirectRefused) as caught:
        public_session.fetch(url, check_robots=False)
    assert f"to a {kind} address" in str(caught.value) and "may not send Rapport" in str(caught.value)
    assert isinstance(caught.value, FetchError) and caught.value.url == url and caught.value.status == 302
    assert [r.path for r in fault_server.requests] == ["/review/northlight"]  # the target was never asked


def test_public_page_redirecting_to_public_is_followed(fault_server, public_session):
    port = fault_server.port
    fault_server.route("/review/northlight", Reply.redirect(f"http://localhost:{port}/review/northlightstudio.co.uk"))
    fault_server.route("/review/northlightstudio.co.uk", Reply(200, PAGE))
    result = public_session.fetch(f"http://localhost:{port}/review/northlight", check_robots=False)
    assert result.text == PAGE


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_local_url_the_user_typed_may_redirect_locally(fault_server, session, host):
    """The demo and the tests serve on 127.0.0.1: a URL that is local to begin with is the user's choice."""
    port = fault_server.port
    fault_server.route("/old", Reply.redirect(f"http://127.0.0.1:{port}/new"))
    fault_server.route("/new", Reply(200, PAGE))
    assert session.fetch(f"http://{host}:{port}/old", check_robots=False).text == PAGE


@pytest.mark.parametrize(("address", "kind"), [
    ("8.8.8.8", None), ("2606:4700:4700::1111", None), ("127.0.0.1", "loopback"), ("::1", "loopback"),
    ("169.254.169.254", "link-local"), ("10.1.2.3", "private"), ("100.64.0.1", "not public"),
    ("0.0.0.0", "unspecified"), ("::ffff:10.0.0.1", "private"), ("fe80::1%eth0", "link-local"), ("not-an-ip", None),
])
def test_address_kinds(address, kind):
    assert kind_of(address) == kind


def test_localhost_resolves_to_this_machine():
    assert resolve("localhost", 80) and is_local("localhost", 80)
    assert is_local("127.0.0.1", 80) and is_local("[::1]", 80) and not is_local("8.8.8.8", 80)
