"""scrapers/fiverr.py on recorded seller and gig pages, its PerimeterX wall, and its URL check."""
from __future__ import annotations

import pytest

from desktop.polling import poll_once
from desktop.store import sources
from scrapers.base import Blocked
from scrapers.fiverr import FiverrProfile
from tests.helpers.fault_server import Reply
from tests.scrapers.pages import PAGES, cases, check_page


@pytest.mark.parametrize(("page", "expected"), cases("fiverr"))
def test_recorded_page(page, expected):
    check_page("fiverr", page, expected)


def test_page_json_ld_is_not_read():
    # Fiverr's JSON-LD describes Fiverr itself ("Fiverr freelance services marketplace"), not the seller.
    mentions = FiverrProfile().parse((PAGES / "fiverr" / "seller-rasmusvoll.html").read_bytes(),
                                     "https://www.fiverr.com/rasmusvoll")
    assert mentions and all("Fiverr" not in (m.author + m.text) for m in mentions)


def test_press_and_hold_page_is_blocked_pointing_to_import():
    with pytest.raises(Blocked) as caught:
        FiverrProfile().parse((PAGES / "walls" / "perimeterx-press-hold.html").read_bytes(),
                              "https://www.fiverr.com/rasmusvoll")
    assert "PerimeterX" in str(caught.value) and "import your reviews" in str(caught.value)


def test_a_403_press_and_hold_answer_leaves_the_source_blocked(conn, fault_server, session, clock):
    url = fault_server.route("/rasmusvoll", Reply.page("walls", "perimeterx-press-hold.html", status=403))
    row = sources.add(conn, "fiverr", url, interval_s=3600)
    result = poll_once(row, session, conn, clock)
    assert result.state == "blocked" and result.new == 0
    assert conn.execute("SELECT count(*) FROM mentions WHERE source = ?", (row.id,)).fetchone()[0] == 0


@pytest.mark.parametrize(("url", "problem"), [
    ("https://www.fiverr.com/rasmusvoll", None),
    ("https://www.fiverr.com/rasmusvoll/create-a-smooth-logo-animation-intro", None),
    ("http://127.0.0.1:8123/rasmusvoll", None),
    ("https://www.fiverr.com/categories/video-animation", "not a Fiverr seller"),
    ("https://fiverr.com.example.net/rasmusvoll", "fiverr.com"),
])
def test_url_check(url, problem):
    found = FiverrProfile.check_url(url)
    assert (found is None) if problem is None else (problem in found)
