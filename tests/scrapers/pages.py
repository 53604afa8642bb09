"""Recorded pages beside their expected JSON, as pytest cases with ids from the file names."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


def page_files(kind: str) -> list[Path]:
    return sorted(p for p in (PAGES / kind).iterdir() if p.suffix not in (".json", ".md"))


def cases(kind: str) -> list[object]:
    return [pytest.param(page, json.loads(page.with_suffix(".json").read_text(encoding="utf-8")), id=page.name)
            for page in page_files(kind)]


def check_page(kind: str, page: Path, expected: dict) -> None:
    """Parse a recorded page exactly as the poller would and compare with its expected JSON."""
    import scrapers
    from scrapers.base import ScrapeError
    from scrapers.text import decode

    kind_cls = scrapers.load_all()[kind]
    options = expected.get("options", {})  # what a kind is made with (a css source's selectors)

    def source_cls():  # noqa: ANN202 - a reader made as the kind's sources make it
        return kind_cls(**options)

    source_cls.takes_bytes = kind_cls.takes_bytes  # type: ignore[attr-defined]
    body = page.read_bytes()
    if "error" in expected:
        with pytest.raises(ScrapeError) as caught:
            source_cls().parse(body if source_cls.takes_bytes else decode(body), expected["url"])
        assert type(caught.value).__name__ == expected["error"]
        assert caught.value.url == expected["url"]
        return
    mentions = source_cls().parse(body if source_cls.takes_bytes else decode(body), expected["url"])
    assert [m.to_json() for m in mentions] == expected["mentions"]
    # Raw bytes work too (the `parse` command and tests hand them over).
    assert [m.to_json() for m in source_cls().parse(body, expected["url"])] == expected["mentions"]
