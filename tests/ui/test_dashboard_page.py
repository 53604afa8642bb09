"""The dashboard page on a seeded store: its charts hold the seeded figures and follow the range picker."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

import pytest
from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QChart, QHorizontalBarSeries, QLineSeries
from PySide6.QtCore import QDate, QModelIndex, QPointF, Qt

from desktop.ui.dashboard_page import CUSTOM, EMPTY_RANGE, EMPTY_STORE, DashboardPage
from tests.helpers.trend_data import seed
from tests.helpers.settle import settle

NOW = datetime(2026, 12, 20, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def page(qtbot, conn: sqlite3.Connection) -> Iterator[DashboardPage]:
    widget = DashboardPage(conn, clock=lambda: NOW)
    settle(qtbot, widget)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def shown(qtbot, page: DashboardPage) -> None:
    """Show the page and wait for its background build to land."""
    with qtbot.waitSignal(page.refreshed):
        page.show()


    settle(qtbot, page)
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
    settle(qtbot, page)
    assert page.figures["mentions"].text() == "2"
    assert page.figures["negative"].text() == "100%"
    assert categories(page.sentiment_chart) == ["16 Nov", "23 Nov"]
    assert bar_values(page.sentiment_chart) == [[1, 1]]
    assert bar_values(page.ratings_chart) == [[0, 1, 0, 1, 0]]
    assert bar_values(page.sources_chart) == [[2], [2]]
    with qtbot.waitSignal(page.refreshed):
        page.set_range(None)
    settle(qtbot, page)
    assert page.figures["mentions"].text() == "6"


def test_new_mentions_refresh_the_shown_page(qtbot, conn: sqlite3.Connection, page: DashboardPage) -> None:
    seeded = seed(conn)
    shown(qtbot, page)
    conn.execute("INSERT INTO mentions (source, dedupe_key, text, posted_at, fetched_at, compound, label)"
                 " VALUES (?, 'new', 'Late again', '2026-12-19T10:00:00+00:00', '2026-12-19T10:00:00+00:00',"
                 " -0.5, 'negative')", (seeded.sources["feed"],))
    builds = []
    page.reader.jobs.finished.connect(lambda key, _result: builds.append(key[0]))
    with qtbot.waitSignal(page.refreshed):
        for n in range(50):  # a poll's burst: one refresh
            page.on_store_changed(n)
    settle(qtbot, page)
    assert builds.count("dashboard") == 1 and not page._coalesce.isActive() and not page.reading()  # no other
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
    settle(qtbot, page)
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
        settle(qtbot, window)
    settle(qtbot, window)
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
    settle(qtbot, page)
    assert written.args == [str(out)]
    assert out.read_bytes().startswith(b"%PDF-")
    assert page.status.text() == f"Report written to {out}"


def test_source_and_client_pickers_narrow_every_chart(qtbot, conn: sqlite3.Connection, page: DashboardPage) -> None:
    seeded = seed(conn)
    shown(qtbot, page)
    page.set_range(None)
    qtbot.waitUntil(lambda: page.figures["mentions"].text() == "6" and not page.jobs.running)
    assert [page.source_picker.itemText(i) for i in range(page.source_picker.count())][-2:] == [
        "Trustpilot", "Google Alerts"]
    with qtbot.waitSignal(page.refreshed):
        page.source_picker.setCurrentIndex(page.source_picker.findData(seeded.sources["tp"]))
        settle(qtbot, page)
    settle(qtbot, page)
    assert [page.figures[k].text() for k in ("mentions", "negative", "unanswered")] == ["4", "75%", "2"]
    assert bar_values(page.sentiment_chart) == [[0, 1, 1, 1]]
    assert bar_values(page.ratings_chart) == [[1, 1, 0, 1, 1]]
    assert categories(page.sources_chart) == ["Trustpilot"]
    with qtbot.waitSignal(page.refreshed):
        page.client_picker.setCurrentIndex(page.client_picker.findData(seeded.clients["oak"]))
        settle(qtbot, page)
    settle(qtbot, page)
    assert page.figures["mentions"].text() == "3"  # Trustpilot and Oakridge Dental
    assert categories(page.clients_chart) == ["Oakridge Dental"]
    assert page.figures["answer_time"].text() == "–"  # neither of Oakridge's negatives is answered
    assert page.scope_words() == "Source: Trustpilot · Client: Oakridge Dental"  # the report's header says so


def test_a_custom_range_counts_whole_utc_days(qtbot, conn: sqlite3.Connection, page: DashboardPage) -> None:
    seed(conn)
    shown(qtbot, page)
    assert page.from_edit.isHidden()
    with qtbot.waitSignal(page.refreshed):
        page.range_picker.setCurrentIndex(page.range_picker.findData(CUSTOM))
        settle(qtbot, page)
    settle(qtbot, page)
    assert page.from_edit.isVisibleTo(page) and page.to_edit.isVisibleTo(page)
    qtbot.waitUntil(lambda: not page.jobs.running)
    with qtbot.waitSignal(page.refreshed):
        page.set_custom_range(date(2026, 11, 9), date(2026, 11, 15))  # the week of 9 Nov, Sunday included
    settle(qtbot, page)
    qtbot.waitUntil(lambda: not page.jobs.running and page.query.since == datetime(2026, 11, 9, tzinfo=timezone.utc))
    assert page.query.until == datetime(2026, 11, 16, tzinfo=timezone.utc)
    assert page.figures["mentions"].text() == "3"
    assert categories(page.sentiment_chart) == ["9 Nov"]
    page.from_edit.setDate(QDate(2026, 11, 20))  # past the last day: the last day follows
    assert page.to_edit.date() == QDate(2026, 11, 20)


def test_the_rating_chart_holds_each_weeks_average(qtbot, conn: sqlite3.Connection, page: DashboardPage) -> None:
    seed(conn)
    shown(qtbot, page)
    [line] = page.rating_trend_chart.series()
    assert [(p.x(), p.y()) for p in line.points()] == [(0, 5.0), (1, 1.5), (2, 1.5), (3, 4.0)]
    assert page.week_rating_tip(1) == "Week of 9 Nov 2026: average rating 1.50 ★ over 2 rated"
    assert page.rating_trend_chart.title() == "Average rating by week"


def test_feedback_without_stars_says_so_on_the_rating_chart(qtbot, conn: sqlite3.Connection,
                                                           page: DashboardPage) -> None:
    seed(conn)
    conn.execute("UPDATE mentions SET rating = NULL")
    shown(qtbot, page)
    [line] = page.rating_trend_chart.series()
    assert line.count() == 0
    assert page.rating_trend_chart.title() == "Average rating by week: none of this feedback has stars"


def click_bar(qtbot, page: DashboardPage, chart: QChart, index: int, value: float, bar_set: int = 0) -> None:
    """A real mouse click in the middle of a bar (a horizontal series: `value` runs sideways)."""
    [series] = [s for s in chart.series() if isinstance(s, QAbstractBarSeries)]
    sets = len(series.barSets())
    offset = (bar_set - (sets - 1) / 2) * series.barWidth() / sets
    sideways = isinstance(series, QHorizontalBarSeries)
    point = QPointF(value / 2, index + offset) if sideways else QPointF(index + offset, value / 2)
    view = page.views[chart]
    at = view.mapFromScene(chart.mapToScene(chart.mapToPosition(point, series)))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)


@pytest.fixture
def board(qtbot, conn: sqlite3.Connection, window):
    """The window on the dashboard, all time, built; returns (window, seeded)."""
    from desktop.ui.main_window import PAGE_DASHBOARD

    seeded = seed(conn)
    window.dashboard._clock = lambda: NOW
    window.resize(1280, 800)
    window.show()
    with qtbot.waitSignal(window.dashboard.refreshed):
        window.sidebar.setCurrentRow(PAGE_DASHBOARD)
        settle(qtbot, window)
    settle(qtbot, window)
    window.dashboard.set_range(None)
    qtbot.waitUntil(lambda: window.dashboard.figures["mentions"].text() == "6" and not window.dashboard.jobs.running)
    yield window, seeded
    window.dashboard.shutdown()


def inbox_ids(qtbot, window) -> set[int]:
    from desktop.ui.main_window import PAGE_INBOX

    assert window.sidebar.currentRow() == PAGE_INBOX
    model = window.inbox.model
    settle(qtbot, window)
    qtbot.waitUntil(lambda: not model.canFetchMore(QModelIndex()))
    return {model.mention_at(row).id for row in range(model.rowCount())}


def test_clicking_a_weeks_negatives_opens_exactly_those(qtbot, board) -> None:
    window, seeded = board
    click_bar(qtbot, window.dashboard, window.dashboard.sentiment_chart, 1, 2)  # week of 9 Nov: 2 negatives
    assert inbox_ids(qtbot, window) == {seeded.mentions[1], seeded.mentions[2]}
    assert window.inbox.label_combo.currentData() == "negative"
    assert window.inbox.scope_row.isVisible()
    assert window.inbox.scope_label.text() == "From the dashboard, only: 9 Nov 2026 to 15 Nov 2026"
    window.inbox.label_combo.setCurrentIndex(0)  # the bar's own filters widen within the week
    settle(qtbot, window)
    assert inbox_ids(qtbot, window) == set(seeded.mentions[1:4])
    qtbot.mouseClick(window.inbox.scope_clear, Qt.MouseButton.LeftButton)
    assert inbox_ids(qtbot, window) == set(seeded.mentions)
    assert not window.inbox.scope_row.isVisible()


def test_clicking_a_star_a_client_or_a_figure_opens_those(qtbot, board) -> None:
    window, seeded = board
    page = window.dashboard
    click_bar(qtbot, page, page.ratings_chart, 1, 2)  # 2 stars: the 2.0 and the 1.5
    assert inbox_ids(qtbot, window) == {seeded.mentions[2], seeded.mentions[4]}
    assert window.inbox.scope_label.text().endswith("2 ★")
    window.sidebar.setCurrentRow(window.pages.indexOf(page))
    settle(qtbot, window)
    no_client = categories(page.clients_chart).index("No client")
    click_bar(qtbot, page, page.clients_chart, no_client, 2, bar_set=1)  # its negatives
    assert inbox_ids(qtbot, window) == {seeded.mentions[2], seeded.mentions[4]}
    assert window.inbox.scope_label.text().endswith("no client")
    window.sidebar.setCurrentRow(window.pages.indexOf(page))
    settle(qtbot, window)
    qtbot.mouseClick(page.tiles["unanswered"], Qt.MouseButton.LeftButton)
    assert inbox_ids(qtbot, window) == {seeded.mentions[1], seeded.mentions[5]}
    window.sidebar.setCurrentRow(window.pages.indexOf(page))
    settle(qtbot, window)
    qtbot.mouseClick(page.tiles["rating"], Qt.MouseButton.LeftButton)  # the mentions it averages: those rated
    assert inbox_ids(qtbot, window) == {seeded.mentions[i] for i in (0, 1, 2, 4, 5)}
    assert window.inbox.scope_label.text().endswith("with a star rating")
    window.sidebar.setCurrentRow(window.pages.indexOf(page))
    settle(qtbot, window)
    qtbot.mouseClick(page.tiles["answer_time"], Qt.MouseButton.LeftButton)  # a time counts no mentions
    assert window.sidebar.currentRow() == window.pages.indexOf(page)
    qtbot.keyClick(page.tiles["negative"], Qt.Key.Key_Space)  # from the keyboard too
    assert inbox_ids(qtbot, window) == {seeded.mentions[i] for i in (1, 2, 4, 5)}


def test_a_breakdown_shows_the_biggest_five_and_clicks_stay_exact(qtbot, conn: sqlite3.Connection, board) -> None:
    from desktop.store import clients as client_store

    window, seeded = board
    page = window.dashboard
    for n in range(6):  # six more clients, one mention each, all older than the seeded ones
        client = client_store.add(conn, f"Client {n}").id
        conn.execute("INSERT INTO mentions (source, dedupe_key, text, fetched_at, compound, label, client)"
                     " VALUES (?, ?, 'Fine', '2026-10-01T10:00:00+00:00', 0.1, 'neutral', ?)",
                     (seeded.sources["tp"], f"more{n}", client))
    with qtbot.waitSignal(page.refreshed):
        page.refresh()
        settle(qtbot, page)
    settle(qtbot, page)
    assert page.clients_chart.title() == "By client: the biggest 5 of 9 (red: negative)"
    assert len(categories(page.clients_chart)) == 5
    assert categories(page.clients_chart)[-1] == "Oakridge Dental"  # the biggest on top
    click_bar(qtbot, page, page.clients_chart, 4, 3)  # Oakridge Dental's mentions
    assert inbox_ids(qtbot, window) == {seeded.mentions[0], seeded.mentions[1], seeded.mentions[5]}


def test_a_long_range_names_its_span_and_its_bars_stay_exact(qtbot, conn: sqlite3.Connection, board) -> None:
    """Twenty weeks more than the axis can label: it names the span, and a click on the last bar still opens its
    week's negatives."""
    from PySide6.QtCharts import QValueAxis

    window, seeded = board
    page = window.dashboard
    for week in range(20):  # a negative each Wednesday from June, before the seeded weeks
        conn.execute("INSERT INTO mentions (source, dedupe_key, text, posted_at, fetched_at, compound, label)"
                     " VALUES (?, ?, 'Late again', ?, ?, -0.5, 'negative')",
                     (seeded.sources["tp"], f"june{week}", *[f"{date(2026, 6, 3) + timedelta(weeks=week)}T10:00:00+00:00"] * 2))
    with qtbot.waitSignal(page.refreshed):
        page.refresh()
    [axis] = [a for a in page.sentiment_chart.axes(Qt.Orientation.Horizontal)]
    assert isinstance(axis, QValueAxis) and not axis.labelsVisible()
    assert axis.titleText() == "24 weeks with feedback, 1 Jun 2026 to 23 Nov 2026"
    assert (axis.min(), axis.max()) == (-0.5, 23.5)
    click_bar(qtbot, page, page.sentiment_chart, 21, 2)  # the week of 9 Nov (after 20 and 2 Nov): its 2 negatives
    assert inbox_ids(qtbot, window) == {seeded.mentions[1], seeded.mentions[2]}


def test_rebuilds_keep_one_connection_in_their_thread(qtbot, conn: sqlite3.Connection, monkeypatch) -> None:
    """Each rebuild reads through the reader's kept connection (a warm cache), opened once, off the GUI thread;
    shutting the page down closes it."""
    import threading

    from desktop.shell import worker_connection

    seed(conn)
    opened: list[int] = []
    real_connect = worker_connection.connect

    def recording_connect(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        kept = real_connect(*args, **kwargs)
        opened.append(threading.get_ident())
        recorded.append(kept)
        return kept

    recorded: list[sqlite3.Connection] = []
    monkeypatch.setattr(worker_connection, "connect", recording_connect)
    page = DashboardPage(conn, clock=lambda: NOW)
    qtbot.addWidget(page)
    for days in (30, None, 365):
        with qtbot.waitSignal(page.refreshed):
            page.set_range(days)
    assert page.figures["mentions"].text() == "6"
    assert len(opened) == 1 and opened[0] != threading.get_ident()
    page.shutdown()
    with pytest.raises(sqlite3.ProgrammingError):  # closed
        recorded[0].execute("SELECT 1")
