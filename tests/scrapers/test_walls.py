"""scrapers/walls.py: recorded wall pages are Blocked or LoginRequired for every kind, whatever the status code;
ordinary pages of protected sites (which carry the same vendors' sensor scripts) are not walls."""
from __future__ import annotations

import pytest

import scrapers
from desktop.polling import poll_once
from desktop.store import sources
from scrapers import walls
from scrapers.base import Blocked, LoginRequired
from tests.helpers.fault_server import CLOUDFLARE_CHALLENGE, Reply
from tests.scrapers.pages import PAGES, cases, page_files

KINDS = sorted(scrapers.load_all())
WALLS = cases("walls")


@pytest.mark.parametrize(("page", "expected"), WALLS)
def test_each_wall_page_is_recognised_with_who_put_it_there(page, expected):
    wall = walls.detect(page.read_bytes())
    assert wall is not None and wall.who == expected["who"]
    error = wall.error(expected["url"])
    assert type(error).__name__ == expected["error"]
    assert "import your reviews" in str(error)  # the way out, in words


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("page", "expected"), WALLS)
def test_every_kind_reports_the_wall_not_no_reviews(kind, page, expected):
    source_cls = scrapers.get(kind)
    with pytest.raises((Blocked, LoginRequired)) as caught:
        source_cls().parse(page.read_bytes(), expected["url"])
    assert type(caught.value).__name__ == expected["error"]
    assert caught.value.url == expected["url"]


@pytest.mark.parametrize("kind", KINDS)
def test_recorded_content_pages_are_not_walls(kind):
    # Every kind's own recorded pages, Fiverr's (with PerimeterX's sensor) and a page behind Cloudflare's
    # JavaScript-detection beacon included, read as content.
    for page in page_files(kind) if (PAGES / kind).is_dir() else []:
        expected = (page.with_suffix(".json")).read_text(encoding="utf-8")
        if '"Blocked"' in expected or '"LoginRequired"' in expected:
            continue
        assert walls.detect(page.read_bytes()) is None, page.name


def test_weak_markers_alone_do_not_make_a_wall():
    page = ("<html><head><title>Reviews</title></head><body>" + "<p>Lovely work on our rebrand.</p>" * 60
            + "<script>window._pxAppId = 'PXK3bezZfO';</script>"
            "<script src='/cdn-cgi/challenge-platform/scripts/jsd/main.js'></script></body></html>")
    assert walls.detect(page) is None
    thin = "<html><head><title>fiverr.com</title></head><body><script>window._pxAppId = 'PXK3bezZfO';</script></body></html>"
    assert walls.detect(thin).who == "PerimeterX"


def test_json_and_feeds_quoting_wall_words_are_data():
    assert walls.detect('{"description": "<title>Just a moment...</title> is what I saw"}') is None


def test_a_sign_in_address_is_login_required():
    with pytest.raises(LoginRequired):
        scrapers.get("jsonld")().parse("<html><body><p>Welcome</p></body></html>",
                                       "https://www.peopleperhour.com/site/login?returnUrl=%2Ffreelancer")


def test_jsonld_on_a_200_cloudflare_page_is_blocked_not_layout_changed(conn, fault_server, session, clock):
    url = fault_server.route("/kind-words/", Reply(200, CLOUDFLARE_CHALLENGE))
    row = sources.add(conn, "jsonld", url, interval_s=3600)
    result = poll_once(row, session, conn, clock)
    assert result.state == "blocked" and "Cloudflare" in result.error and "import" in result.error
    assert sources.get(conn, row.id).state == "blocked"


@pytest.mark.parametrize("kind", ["jsonld", "trustpilot"])
def test_a_redirect_to_sign_in_is_login_required(conn, fault_server, session, clock, kind):
    fault_server.route("/site/login", Reply.page("walls", "login-form.html"))
    url = fault_server.route("/review/harbourline.studio", Reply.redirect("/site/login?returnUrl=%2Freview"))
    row = sources.add(conn, kind, url, interval_s=3600)
    assert poll_once(row, session, conn, clock).state == "login required"


def test_a_sign_in_page_served_in_place_is_login_required(conn, fault_server, session, clock):
    url = fault_server.route("/kind-words/", Reply.page("walls", "login-form.html"))
    row = sources.add(conn, "jsonld", url, interval_s=3600)
    result = poll_once(row, session, conn, clock)
    assert result.state == "login required" and "sign-in" in result.error


@pytest.mark.parametrize("marker", [
    b"window._CF_chl_opt = {}", b"/cdn-cgi/challenge-platform/h/b/orchestrate/x", b"<TITLE>  Just a moment...</title>",
    b"<title>Attention Required! | CloudFlare </title>", b'<div id="cf-error-details">x Sorry, you have been BLOCKED',
    b"<div id = 'PX-captcha'>", b"https://Captcha.px-cdn.net/x", b"window._pxCaptcha", b"ct.Captcha-Delivery.com",
    b"<title>Access Denied</title><p>Reference&#32;&#35;18.x"])
def test_each_strong_marker_is_found_through_its_cheap_prefilter(marker: bytes) -> None:
    """detect() looks for a literal first and runs a marker's regex only when it is there: any case or spacing
    the regex accepts must still be found."""
    from scrapers import walls

    page = b"<html><head></head><body>" + b"<p>plenty of ordinary text</p>" * 200 + marker + b"</body></html>"
    matching = [i for i, (_who, _what, pattern) in enumerate(walls._STRONG) if pattern.search(page)]
    assert matching, "the sample must match a strong pattern"
    assert all(any(n in page.lower() for n in walls._STRONG_NEEDLES[i]) for i in matching)
    assert walls.detect(page) is not None
