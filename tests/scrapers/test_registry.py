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
