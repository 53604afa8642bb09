"""scrapers/peopleperhour.py and scrapers/guru.py on recorded profiles: schema.org reviews where the page has
them, else the site's own review blocks; neither is a changed layout, never "no reviews"."""
from __future__ import annotations

import pytest

from scrapers.guru import GuruProfile
from scrapers.peopleperhour import PeoplePerHourProfile
from scrapers.selectors import ReviewSelectors, loose_date, rating_in, read_items
from tests.scrapers.pages import PAGES, cases, check_page


@pytest.mark.parametrize(("page", "expected"), cases("peopleperhour"))
def test_recorded_peopleperhour_page(page, expected):
    check_page("peopleperhour", page, expected)


@pytest.mark.parametrize(("page", "expected"), cases("guru"))
def test_recorded_guru_page(page, expected):
    check_page("guru", page, expected)


def test_schema_markup_wins_over_the_sites_own_blocks():
    # The JSON-LD profile also shows one review in its own markup: read once, from the markup search engines get.
    mentions = PeoplePerHourProfile().parse((PAGES / "peopleperhour" / "profile-jsonld.html").read_bytes(),
                                            "https://www.peopleperhour.com/freelancer/technology-programming/x")
    assert [m.author for m in mentions] == ["Hannah Whitaker", "Luca Romano"]


@pytest.mark.parametrize(("cls", "url", "ok"), [
    (PeoplePerHourProfile, "https://www.peopleperhour.com/freelancer/design/marta-kowalczyk-brand-zxqvmnw", True),
    (PeoplePerHourProfile, "https://www.peopleperhour.com/freelance-jobs/design", False),
    (PeoplePerHourProfile, "https://www.guru.com/freelancers/lindqvist-data-studio", False),
    (GuruProfile, "https://www.guru.com/freelancers/lindqvist-data-studio", True),
    (GuruProfile, "http://127.0.0.1:8000/freelancers/lindqvist-data-studio", True),
    (GuruProfile, "https://www.guru.com/d/jobs/", False),
])
def test_url_checks(cls, url, ok):
    assert (cls.check_url(url) is None) == ok


@pytest.mark.parametrize(("values", "stars"), [
    (["5 out of 5 stars"], 5.0), (["3.0 out of 5"], 3.0), (["9/10"], 4.6), (["width: 40%"], 2.6), (["4.5"], 4.5),
    (["no rating"], None), (["12 reviews"], None),
])
def test_ratings_read_from_markup(values, stars):
    assert rating_in(values) == stars


@pytest.mark.parametrize(("text", "iso"), [
    ("2026-11-12", "2026-11-12T00:00:00+00:00"), ("Nov 4, 2026", "2026-11-04T12:00:00+00:00"),
    ("12 Nov 2026", "2026-11-12T12:00:00+00:00"), ("Posted 28 October 2026", "2026-10-28T12:00:00+00:00"),
    ("03/04/2026", None), ("2 weeks ago", None),
])
def test_dates_read_from_markup(text, iso):
    moment = loose_date(text)
    assert (moment.isoformat() if moment else None) == iso


def test_items_without_an_id_get_a_stable_one():
    page = "<ul><li class='r'><b>Ana</b><p>Great logo.</p></li><li class='r'><b>Ben</b><p>Late.</p></li></ul>"
    selectors = ReviewSelectors(item="li.r", text="p", author="b")
    first, count = read_items(page, "https://ana.example/", selectors)
    again, _ = read_items(page, "https://ana.example/", selectors)
    assert count == 2 and [m.external_id for m in first] == [m.external_id for m in again]
    assert len({m.external_id for m in first}) == 2
