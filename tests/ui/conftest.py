"""UI fixtures: feedback put in through the real ingest path, and windows closed at teardown."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone

import pytest

from desktop.records.ingest import MANUAL_SOURCE_ID, IngestResult, Manual, ingest
from scrapers.base import Mention
from tests.helpers.settle import settle

BASE = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def add(conn: sqlite3.Connection) -> Callable[..., IngestResult]:
    """Store one mention as a user or a poll would: `add("text", rating=1, days=3, site="upwork")`."""
    counter = iter(range(1_000_000))

    def _add(text: str, *, author: str = "", rating: float | None = None, days: int | None = None,
             site: str = "upwork", source: int = MANUAL_SOURCE_ID, client: str | None = None,
             project: str | None = None, url: str = "", title: str = "") -> IngestResult:
        n = next(counter)
        posted = BASE + timedelta(days=days if days is not None else n)
        mention = Mention(text=text, author=author, rating=rating, posted_at=posted, url=url, title=title)
        manual = Manual(site=site, client=client, project=project) if source == MANUAL_SOURCE_ID else None
        [result] = ingest(conn, source, [mention], site=site, manual=manual)
        return result

    return _add


@pytest.fixture
def window(qtbot, conn: sqlite3.Connection) -> Iterator[object]:
    from desktop.ui.main_window import MainWindow

    win = MainWindow(conn)
    qtbot.addWidget(win)
    settle(qtbot, win)
    yield win
    win.close()
