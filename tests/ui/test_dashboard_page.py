"""The dashboard page on a seeded store: its charts hold the seeded figures and follow the range picker."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QChart, QLineSeries

from desktop.ui.dashboard_page import EMPTY_RANGE, EMPTY_STORE, DashboardPage
from tests.helpers.trend_data import seed

NOW = datetime(2026, 12, 20, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def page(qtbot, conn: sqlite3.Connection) -> Iterator[DashboardPage]:
    widget = DashboardPage(conn, clock=lambda: NOW)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def shown(qtbot, page: DashboardPage) -> None:
    """Show the page and wait for its background build to land."""
    with qtbot.waitSignal(page.refreshed):
        page.show()


def bar_values(chart: QChart) -> list[list[float]]:
    [series] = [s for s in chart.series() if isinstance(s, QAbstractBarSeries)]
    return [[bar_set.at(i) for i in range(bar_set.count())] for bar_set in series.barSets()]


def categories(chart: QChart) -> list[str]:
    [axis] = [a for a in chart.axes() if isinstance(a, QBarCategoryAxis)]
    return axis.categories()


def test_charts_hold_the_seeded_figures(qtbot, conn: sqlite3.Connection, page: DashboardPage) -> None:
    seed(conn)
    shown(qtbot, page)  # "Last year": everything seeded
    assert page.stack.currentIndex() == 0
    assert [page.figures[k].text() for k in ("mentions", "negative", "rating", "unanswered", "answer_time",
                                             "recovered")] == ["6", "67%", "2.7 ★", "2", "9.5 h", "0%"]
    assert categories(page.sentiment_chart) == ["2 Nov", "9 Nov", "16 Nov", "23 Nov"]
    assert bar_values(page.sentiment_chart) == [[0, 2, 1, 1]]
    [line] = [s for s in page.sentiment_chart.series() if isinstance(s, QLineSeries)]
    assert [p.y() for p in line.points()] == pytest.approx([0.5, -0.3, -0.8, -0.2])
    assert bar_values(page.ratings_chart) == [[1, 2, 0, 1, 1]]
    assert categories(page.sources_chart) == ["Google Alerts", "Trustpilot"]  # bottom-up: the biggest on top
    assert bar_values(page.sources_chart) == [[2, 4], [1, 3]]
    assert sorted(categories(page.clients_chart)) == ["Larkspur Bakery", "No client", "Oakridge Dental"]


def test_tooltips_give_exact_values(qtbot, conn: sqlite3.Connection, page: DashboardPage) -> None:
    seed(conn)
    shown(qtbot, page)
    assert page.week_bar_tip(1) == "Week of 9 Nov 2026: 2 negative of 3 mentions"
    assert page.week_point_tip(1) == "Week of 9 Nov 2026: mean score -0.30 over 3 mentions, average rating 1.50 ★"
    assert page.rating_tip(1) == "2 ★: 2 mentions"
    assert page.share_tip(page.sources_chart, 1) == "Trustpilot: 4 mentions, 3 negative"
    assert page.week_bar_tip(9) == ""


def test_every_chart_follows_the_range(qtbot, conn: sqlite3.Connection, page: DashboardPage) -> None:
    seed(conn)
    shown(qtbot, page)
    with qtbot.waitSignal(page.refreshed):
        page.set_range(30)  # since 20 Nov 12:00: the 20 Nov 18:00 review and the 25 Nov one
    assert page.figures["mentions"].text() == "2"
    assert page.figures["negative"].text() == "100%"
    assert categories(page.sentiment_chart) == ["16 Nov", "23 Nov"]
    assert bar_values(page.sentiment_chart) == [[1, 1]]
    assert bar_values(page.ratings_chart) == [[0, 1, 0, 1, 0]]
    assert bar_values(page.sources_chart) == [[2], [2]]
    with qtbot.waitSignal(page.refreshed):
        page.set_range(None)
    assert page.figures["mentions"].text() == "6"


def test_new_mentions_refresh_the_shown_page(qtbot, conn: sqlite3.Connection, page: DashboardPage) -> None:
    seeded = seed(conn)
    shown(qtbot, page)
    conn.execute("INSERT INTO mentions (source, dedupe_key, text, posted_at, fetched_at, compound, label)"
                 " VALUES (?, 'new', 'Late again', '2026-12-19T10:00:00+00:00', '2026-12-19T10:00:00+00:00',"
                 " -0.5, 'negative')", (seeded.sources["feed"],))
    with qtbot.waitSignal(page.refreshed):
        for n in range(50):  # a poll's burst: one refresh
            page.on_store_changed(n)
    assert page.figures["mentions"].text() == "7"
    assert categories(page.sentiment_chart)[-1] == "14 Dec"


def test_empty_store_says_what_to_do(qtbot, page: DashboardPage) -> None:
    shown(qtbot, page)
    assert page.stack.currentWidget() is page.empty_label
    assert page.empty_label.text() == EMPTY_STORE
    assert "Add a source" in EMPTY_STORE and "enter feedback" in EMPTY_STORE


def test_empty_range_says_pick_another(qtbot, conn: sqlite3.Connection) -> None:
    seed(conn)
    page = DashboardPage(conn, clock=lambda: datetime(2027, 9, 1, tzinfo=timezone.utc))
    qtbot.addWidget(page)
    try:
        page.show()
        page.set_range(30)  # asked while the first build runs: built again after it
        qtbot.waitUntil(lambda: page.stack.currentWidget() is page.empty_label)
        assert page.empty_label.text() == EMPTY_RANGE
    finally:
        page.shutdown()


def test_the_window_has_a_dashboard_that_refreshes_on_new_feedback(qtbot, conn: sqlite3.Connection, window) -> None:
    from desktop.ui.main_window import PAGE_DASHBOARD

    seeded = seed(conn)
    window.show()
    with qtbot.waitSignal(window.dashboard.refreshed):
        window.sidebar.setCurrentRow(PAGE_DASHBOARD)
    window.dashboard.set_range(None)
    qtbot.waitUntil(lambda: window.dashboard.figures["mentions"].text() == "6" and not window.dashboard.jobs.running)
    conn.execute("INSERT INTO mentions (source, dedupe_key, text, fetched_at, compound, label)"
                 " VALUES (?, 'late', 'Slow replies', '2026-12-01T10:00:00+00:00', -0.5, 'negative')",
                 (seeded.sources["tp"],))
    new_id = conn.execute("SELECT max(id) FROM mentions").fetchone()[0]
    window.mention_added.emit(new_id)
    qtbot.waitUntil(lambda: window.dashboard.figures["mentions"].text() == "7")
    window.dashboard.shutdown()


def test_export_report_writes_the_pdf_in_the_background(qtbot, conn: sqlite3.Connection, page: DashboardPage,
                                                        tmp_path) -> None:
    seed(conn)
    shown(qtbot, page)
    out = tmp_path / "report.pdf"
    with qtbot.waitSignal(page.report_written) as written:
        page.export_report(out)
    assert written.args == [str(out)]
    assert out.read_bytes().startswith(b"%PDF-")
    assert page.status.text() == f"Report written to {out}"
