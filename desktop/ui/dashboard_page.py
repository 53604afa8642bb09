"""The dashboard: is my reputation getting better or worse, where does bad feedback come from, do I answer it.

The figures are aggregated in SQL (desktop.store.dashboard) in a background job with its own connection, so a
poll bringing mentions never blocks the window; bursts of new mentions are coalesced into one refresh.

Signals:
    refreshed(): the page shows fresh figures (built in the background, shown on the GUI thread).
    report_written(str): the PDF report was written to this path (in the background).
"""
from __future__ import annotations

import logging
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCharts import (QAbstractBarSeries, QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView,
                              QHorizontalBarSeries, QLineSeries, QValueAxis)
from PySide6.QtCore import QEvent, QMargins, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QCursor, QPainter, QShowEvent
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QStackedWidget,
                               QToolTip, QVBoxLayout, QWidget)

from desktop.records.dashboard import Dashboard, build
from desktop.shell.jobs import Job, JobPool
from desktop.store import connect
from desktop.store import dashboard
from desktop.store.clock import Clock, utc_now
from desktop.store.dashboard import Query, Trends
from desktop.store.db import location
from desktop.ui.widgets import placeholder_label, plain_label, ui_settings

log = logging.getLogger(__name__)

RANGES = (("Last 30 days", 30), ("Last 90 days", 90), ("Last year", 365), ("All time", None))
_JOB = "dashboard"
_REPORT = "report"
COALESCE_MS = 400  # a poll storing 200 mentions refreshes once, not 200 times
NEGATIVE = QColor("#d64545")
SCORE = QColor("#2f7ed8")
NEUTRAL_BAR = QColor("#7a8ca3")

EMPTY_STORE = ("No feedback yet, so nothing to chart.\n\n"
               "Add a source (Sources) or enter feedback (File > Add feedback…), and the trends appear here.")
EMPTY_RANGE = "No feedback in this range.\n\nPick a longer range above, or add a source or enter feedback."


def week_label(start: date) -> str:
    return f"{start.day} {start:%b}"


def count_axis(top: float) -> QValueAxis:
    """A 0..top axis of whole numbers with round ticks (no "0, 0, 1, 1, 2" from fractional ticks)."""
    axis = QValueAxis()
    top = max(1, int(top))
    if top <= 8:
        axis.setRange(0, top)
        axis.setTickCount(top + 1)
    else:
        axis.setRange(0, top)
        axis.applyNiceNumbers()
    axis.setLabelFormat("%d")
    return axis


def week_name(start: date) -> str:
    return f"Week of {start.day} {start:%b %Y}"


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


def duration(hours: float | None) -> str:
    if hours is None:
        return "–"
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


class DashboardPage(QWidget):
    """Trend charts and headline figures for a date range; every chart follows the range picker."""

    refreshed = Signal()
    report_written = Signal(str)

    def __init__(self, conn: sqlite3.Connection, parent: QWidget | None = None, *, clock: Clock = utc_now) -> None:
        super().__init__(parent)
        self._conn = conn
        self._clock = clock
        self.jobs = JobPool(self)
        self.jobs.finished.connect(self.on_job_finished)
        self.jobs.failed.connect(self.on_job_failed)
        self._stale = True  # the figures shown may be out of date: refresh when next seen
        self._again = False  # a refresh was asked for while one was running
        self.trends: Trends | None = None
        self.board: Dashboard | None = None
        self.query = Query()
        self._coalesce = QTimer(self, singleShot=True, interval=COALESCE_MS)
        self._coalesce.timeout.connect(self.refresh)

        self.range_picker = QComboBox()
        for name, days in RANGES:
            self.range_picker.addItem(name, days)
        self.range_picker.setCurrentIndex(2)
        self.range_picker.currentIndexChanged.connect(self.on_range_picker_changed)
        self.export_button = QPushButton("Export report…")
        self.export_button.clicked.connect(self.on_export_button_clicked)
        self.status = plain_label()
        self.status.setStyleSheet("color: palette(dark);")
        top = QHBoxLayout()
        top.addWidget(plain_label("Range:"))
        top.addWidget(self.range_picker)
        top.addWidget(self.status, 1)
        top.addWidget(self.export_button)

        self.figures: dict[str, QLabel] = {}
        figures_row = QHBoxLayout()
        for key, caption in (("mentions", "mentions"), ("negative", "negative"), ("rating", "average rating"),
                             ("unanswered", "unanswered negatives"), ("answer_time", "median time to answer"),
                             ("recovered", "answered negatives recovered")):
            figures_row.addWidget(self._figure(key, caption))

        self.sentiment_chart = self._chart("Sentiment by week (UTC weeks): mean score and negatives")
        self.ratings_chart = self._chart("Star ratings")
        self.sources_chart = self._chart("By source")
        self.clients_chart = self._chart("By client")
        charts = QGridLayout()
        charts.addWidget(self._view(self.sentiment_chart), 0, 0, 1, 3)
        charts.addWidget(self._view(self.ratings_chart), 1, 0)
        charts.addWidget(self._view(self.sources_chart), 1, 1)
        charts.addWidget(self._view(self.clients_chart), 1, 2)
        charts.setRowStretch(0, 3)
        charts.setRowStretch(1, 2)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(figures_row)
        column.addLayout(charts, 1)

        self.empty_label = placeholder_label(EMPTY_STORE)
        self.stack = QStackedWidget()
        self.stack.addWidget(content)
        self.stack.addWidget(self.empty_label)
        page = QVBoxLayout(self)
        page.addLayout(top)
        page.addWidget(self.stack, 1)
        self.apply_palette()

    # -- building ------------------------------------------------------------------------------
    def _figure(self, key: str, caption: str) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(frame)
        value = plain_label("–")
        value.setStyleSheet("font-size: 18pt; font-weight: 600;")
        value.setObjectName(f"figure_{key}")
        box.addWidget(value)
        box.addWidget(plain_label(caption, wrap=True))  # wraps so six fit the narrowest window (900 px)
        self.figures[key] = value
        return frame

    def _chart(self, title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(0, 0, 0, 0))
        chart.setBackgroundRoundness(0)
        return chart

    def _view(self, chart: QChart) -> QChartView:
        view = QChartView(chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumSize(150, 140)
        return view

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()
            if self.board is not None:
                self.show_dashboard(self.board)  # a theme resets series colours: set ours again

    def apply_palette(self) -> None:
        """Charts follow the window's palette (light or dark) rather than Qt Charts' own white theme. Set before
        the series: a theme recolours the series a chart holds."""
        dark = self.palette().window().color().lightness() < 128
        for chart in self.charts():
            chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
            chart.setBackgroundBrush(self.palette().base())
            chart.setTitleBrush(self.palette().text())
            chart.legend().setLabelColor(self.palette().text().color())

    def charts(self) -> tuple[QChart, ...]:
        return self.sentiment_chart, self.ratings_chart, self.sources_chart, self.clients_chart

    # -- the range and refreshing ----------------------------------------------------------------
    def current_query(self) -> Query:
        days = self.range_picker.currentData()
        return Query(since=self._clock() - timedelta(days=days) if days else None)

    def set_range(self, days: int | None) -> None:
        self.range_picker.setCurrentIndex(self.range_picker.findData(days))

    @Slot(int)
    def on_range_picker_changed(self, _index: int) -> None:
        self.refresh()

    @Slot()
    @Slot(int)
    @Slot(object)
    def on_store_changed(self, *_args: object) -> None:
        """New mentions, a poll's end, answered reviews: refresh soon if shown, else when next shown."""
        self._stale = True
        if self.isVisible():
            self._coalesce.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Aggregate in a pool thread with its own connection; one run at a time, one more if asked meanwhile."""
        self._stale = False
        if _JOB in self.jobs.running:
            self._again = True
            return
        query = self.current_query()
        path = location(self._conn)
        self.status.setText("Updating…")
        now = self._clock()
        if path is None:  # an in-memory store has no file for a worker (tests of other screens): it is small
            self.show_dashboard(build(self._conn, query, now))
            return

        def work(_job: Job) -> Dashboard:
            conn = connect(path, migrate=False)
            try:
                return build(conn, query, now)
            finally:
                conn.close()

        self.jobs.start(_JOB, work, what="building the dashboard")

    @Slot()
    def on_export_button_clicked(self) -> None:
        start = str(Path(ui_settings().value("report/folder", str(Path.home()))) / "reputation-report.pdf")
        path, _filter = QFileDialog.getSaveFileName(self, "Export report", start, "PDF (*.pdf)")
        if path:
            ui_settings().setValue("report/folder", str(Path(path).parent))
            self.export_report(Path(path))

    def export_report(self, path: Path) -> None:
        """Write the shown range's report as a PDF in a pool thread (its own connection; QtGui paints off the GUI
        thread); `report_written` or a message in the status line says how it went."""
        if _REPORT in self.jobs.running:
            return
        db = location(self._conn)
        query, now = self.current_query(), self._clock()
        self.status.setText("Writing the report…")

        def work(_job: Job) -> str:
            from desktop import report

            conn = connect(db, migrate=False) if db is not None else self._conn
            try:
                report.write_pdf(build(conn, query, now), path, now)
            finally:
                if db is not None:
                    conn.close()
            return str(path)

        self.jobs.start(_REPORT, work, what="writing the report")

    @Slot(object, object)
    def on_job_finished(self, key: object, result: object) -> None:
        if key == _REPORT:
            self.status.setText(f"Report written to {result}")
            self.report_written.emit(result)
            return
        assert isinstance(result, Dashboard)
        if self._again:
            self._again = False
            self.refresh()  # the range changed or mentions came meanwhile: this result is already old
            return
        self.show_dashboard(result)

    @Slot(object, object)
    def on_job_failed(self, key: object, error: object) -> None:
        if key == _REPORT:
            self.status.setText(f"Could not write the report: {error}")
            return
        self._again = False
        self.status.setText(f"Could not build the dashboard: {error}")

    def shutdown(self) -> None:
        self._coalesce.stop()
        self.jobs.shutdown()

    # -- showing ---------------------------------------------------------------------------------
    def show_dashboard(self, board: Dashboard) -> None:
        self.board, self.query, self.trends = board, board.query, board.trends
        trends = board.trends
        self.status.setText("")
        if trends.empty:
            self.empty_label.setText(EMPTY_RANGE if trends.any_stored else EMPTY_STORE)
            self.stack.setCurrentWidget(self.empty_label)
            self.refreshed.emit()
            return
        self.stack.setCurrentIndex(0)
        head = trends.headline
        self.figures["mentions"].setText(str(head.mentions))
        self.figures["negative"].setText(percent(head.share_negative))
        self.figures["rating"].setText("–" if head.mean_rating is None else f"{head.mean_rating:.1f} ★")
        self.figures["unanswered"].setText(str(head.unanswered_negatives))
        self.figures["answer_time"].setText(duration(board.outcomes.median_hours_to_answer))
        self.figures["recovered"].setText(percent(board.recovery_rate))
        self._show_sentiment(trends)
        self._show_ratings(trends)
        self._show_shares(self.sources_chart, trends.by_source)
        self._show_shares(self.clients_chart, trends.by_client)
        self.refreshed.emit()

    def _show_sentiment(self, trends: Trends) -> None:
        chart = self.sentiment_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        weeks = trends.weeks
        negatives = QBarSet("Negative mentions")
        negatives.setColor(NEGATIVE)
        negatives.append([float(w.negatives) for w in weeks])
        negatives.hovered.connect(lambda on, i: self._tip(on, self.week_bar_tip(i)))
        bars = QBarSeries()
        bars.append(negatives)
        line = QLineSeries()
        line.setName("Mean score")
        line.setColor(SCORE)
        line.setPointsVisible(True)
        for i, week in enumerate(weeks):
            line.append(float(i), week.mean_score)
        line.hovered.connect(lambda point, on: self._tip(on, self.week_point_tip(round(point.x()))))
        chart.addSeries(bars)
        chart.addSeries(line)
        x = QBarCategoryAxis()
        x.append([week_label(w.start) for w in weeks])
        if len(weeks) > 16:  # a label a week would be cut to "…": name the span instead; tooltips name each week
            x.setLabelsVisible(False)
            x.setTitleText(f"{len(weeks)} weeks with feedback, {week_label(weeks[0].start)} {weeks[0].start.year}"
                           f" to {week_label(weeks[-1].start)} {weeks[-1].start.year} (hover for each week)")
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        counts = count_axis(max([w.negatives for w in weeks] + [1]))
        counts.setTitleText("negatives")
        chart.addAxis(counts, Qt.AlignmentFlag.AlignRight)
        score_axis = QValueAxis()
        score_axis.setRange(-1, 1)
        score_axis.setTitleText("mean score")
        chart.addAxis(score_axis, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(x)
        bars.attachAxis(counts)
        line.attachAxis(x)
        line.attachAxis(score_axis)

    def _show_ratings(self, trends: Trends) -> None:
        stars = QBarSet("Mentions")
        stars.setColor(SCORE)
        stars.append([float(n) for n in trends.ratings.values()])
        stars.hovered.connect(lambda on, i: self._tip(on, self.rating_tip(i)))
        self._bars(self.ratings_chart, QBarSeries(), [stars], [f"{n} ★" for n in trends.ratings])
        self.ratings_chart.legend().hide()

    def _show_shares(self, chart: QChart, shares: list[dashboard.Share]) -> None:
        everything = QBarSet("Mentions")
        everything.setColor(NEUTRAL_BAR)
        negative = QBarSet("Negative")
        negative.setColor(NEGATIVE)
        for bar_set in (everything, negative):
            bar_set.hovered.connect(lambda on, i, c=chart: self._tip(on, self.share_tip(c, i)))
        # Sideways, so names have room; the biggest on top (a horizontal axis lists from the bottom).
        everything.append([float(s.mentions) for s in reversed(shares)])
        negative.append([float(s.negatives) for s in reversed(shares)])
        self._bars(chart, QHorizontalBarSeries(), [everything, negative], [_short(s.name) for s in reversed(shares)])

    def _bars(self, chart: QChart, series: QAbstractBarSeries, sets: list[QBarSet], categories: list[str]) -> None:
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        for bar_set in sets:
            series.append(bar_set)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append(_unique(categories))
        counts = count_axis(max([max(s.at(i) for i in range(s.count())) for s in sets if s.count()] + [1.0]))
        sideways = isinstance(series, QHorizontalBarSeries)
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft if sideways else Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom if sideways else Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        series.attachAxis(counts)

    # -- tooltips: exact values ------------------------------------------------------------------
    def week_bar_tip(self, i: int) -> str:
        week = self.trends.weeks[i] if self.trends and 0 <= i < len(self.trends.weeks) else None
        return "" if week is None else f"{week_name(week.start)}: {week.negatives} negative of {week.mentions} mentions"

    def week_point_tip(self, i: int) -> str:
        week = self.trends.weeks[i] if self.trends and 0 <= i < len(self.trends.weeks) else None
        if week is None:
            return ""
        rating = f", average rating {week.mean_rating:.2f} ★" if week.mean_rating is not None else ""
        return f"{week_name(week.start)}: mean score {week.mean_score:+.2f} over {week.mentions} mentions{rating}"

    def rating_tip(self, i: int) -> str:
        if self.trends is None or not 0 <= i < 5:
            return ""
        count = self.trends.ratings[i + 1]
        return f"{i + 1} ★: {count} mention{'s' * (count != 1)}"

    def share_tip(self, chart: QChart, i: int) -> str:
        if self.trends is None:
            return ""
        shares = self.trends.by_source if chart is self.sources_chart else self.trends.by_client
        if not 0 <= i < len(shares):
            return ""
        share = shares[len(shares) - 1 - i]  # the bars run bottom-up
        return f"{share.name}: {share.mentions} mentions, {share.negatives} negative"

    def _tip(self, on: bool, text: str) -> None:
        if on and text:
            QToolTip.showText(QCursor.pos(), text, self)
        else:
            QToolTip.hideText()


def _short(name: str, limit: int = 18) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _unique(names: list[str]) -> list[str]:
    """A category axis needs distinct names: two sources both called "Trustpilot" get a number."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out

