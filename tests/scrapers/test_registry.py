"""Every registered kind documents itself and is tested on at least one recorded page."""
from __future__ import annotations

import pytest

import scrapers
from tests.scrapers.pages import PAGES, page_files

KINDS = sorted(scrapers.load_all())


def test_first_kinds_registered():
    assert {"jsonld", "trustpilot", "feeds"} <= set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_kind_has_user_documentation(kind):
    doc = scrapers.get(kind).__doc__ or ""
    assert "URL" in doc and "Reads" in doc and "Limits" in doc, f"{kind}: docstring must say URL, Reads, Limits"


@pytest.mark.parametrize("kind", KINDS)
def test_kind_has_a_recorded_page_with_expected_json(kind):
    pages = page_files(kind) if (PAGES / kind).is_dir() else []
    assert pages, f"no recorded page in tests/fixtures/pages/{kind}/"
    for page in pages:
        assert page.with_suffix(".json").is_file(), f"{page.name} has no expected JSON beside it"


@pytest.mark.parametrize("kind", KINDS)
def test_recorded_pages_listed_in_provenance(kind):
    provenance = (PAGES / "PROVENANCE.md").read_text(encoding="utf-8")
    for page in page_files(kind):
        assert f"{kind}/{page.name}" in provenance


@pytest.mark.parametrize("kind", KINDS)
def test_kind_has_a_users_name_and_accepts_its_own_example(kind):
    cls = scrapers.get(kind)
    assert cls.display_name and cls.display_name != kind
    assert "__" not in cls.help_markdown()  # the help speaks to users, not about the parser's internals


def test_trustpilot_checks_the_url_shape():
    check = scrapers.get("trustpilot").check_url
    assert check("https://www.trustpilot.com/review/northlightstudio.co.uk") is None
    assert check("https://de.trustpilot.com/review/example.com?page=3") is None
    assert check("http://127.0.0.1:8123/review/northlightstudio.co.uk") is None  # the demo's local copy
    assert "trustpilot.com" in check("https://example.com/reviews")
    assert "not a Trustpilot company page" in check("https://www.trustpilot.com/categories/web_design")
    assert check("https://trustpilot.com.evil.example/review/x") is not None
