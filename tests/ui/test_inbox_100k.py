"""100,000 mentions: opening and filtering the inbox issue a few bounded queries (timing lives in bench/)."""
from __future__ import annotations

import re

import pytest

from bench.case_inbox import fill
from desktop.store.mentions import Filter
from desktop.ui.inbox import InboxPage
from desktop.ui.inbox_model import WINDOW
from tests.helpers.settle import settle

# A statement that reads mention rows (not an aggregate): it must be windowed or a lookup by id.
_ROWS = re.compile(r"SELECT\s+m\.\*", re.IGNORECASE)


def _on_mentions(statements: list[str]) -> list[str]:
    # Client and source lists cost a query per record (a handful), not per mention: count mention queries.
    # Lines starting "--" are FTS5's own statements inside one MATCH, not queries the UI issued.
    return [sql for sql in statements if "mentions" in sql and not sql.lstrip().startswith("--")]


def _check_bounded(statements: list[str]) -> None:
    for sql in statements:
        if _ROWS.search(sql):
            assert "LIMIT" in sql or re.search(r"WHERE m\.id = \?", sql), sql


@pytest.mark.slow
def test_opening_and_filtering_100k_is_bounded(qtbot, conn):
    fill(conn, 100_000)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        page = InboxPage(conn)
        settle(qtbot, page)
        qtbot.addWidget(page)
        page.show()
        qtbot.waitExposed(page)
        opened = list(statements)
        assert page.model.rowCount() <= 2 * WINDOW  # the view may ask for one more window to fill itself
        assert len(_on_mentions(opened)) <= 8, _on_mentions(opened)
        _check_bounded(opened)

        for change in (lambda: page.label_combo.setCurrentIndex(page.label_combo.findData("negative")),
                       lambda: page.unread_check.setChecked(True),
                       lambda: (page.search_edit.setText("refund rude"), page.on_filters_changed()),
                       lambda: page.client_combo.setCurrentIndex(3)):
            statements.clear()
            change()
            assert page.model.rowCount() <= WINDOW
            assert len(_on_mentions(statements)) <= 6, _on_mentions(statements)
            print(f"filter {page.model.filter}: {len(_on_mentions(statements))} mention statements, "
                  f"{page.model.rowCount()} rows loaded")
            _check_bounded(statements)
        assert page.model.filter != Filter()

        statements.clear()
        page.apply_filter(Filter())
        page.view.scrollToBottom()
        page.model.fetchMore()
        assert page.model.rowCount() <= 3 * WINDOW
        _check_bounded(statements)
        settle(qtbot, page)  # no read still running in the page's threads when the test (or the process) ends
        print(f"\nopen: {len(_on_mentions(opened))} mention statements: {[' '.join(q.split())[:90] for q in _on_mentions(opened)]}")
    finally:
        conn.set_trace_callback(None)
