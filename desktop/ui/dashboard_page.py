"""The dashboard: is my reputation getting better or worse, where does bad feedback come from, do I answer it.

The figures are aggregated in SQL (desktop.store.dashboard) in a background job with its own connection, so a
poll bringing mentions never blocks the window; bursts of new mentions are coalesced into one refresh.

Every chart and figure follows the range (last 30/90 days, year, all, or custom days in UTC) and the source and
client pickers. Clicking a bar, a point or a headline figure opens the inbox on exactly the mentions it counts
(desktop.records.dashboard says which, as an inbox filter).

Signals:
    refreshed(): the page shows fresh figures (built in the background, shown on the GUI thread).
    report_written(str): the PDF report was written to this path (in the background).
    inbox_requested(object): open the inbox on this `mentions.Filter` (a bar, point or figure was clicked).
"""
from __future__ import annotations

import logging
import sqlite3
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from PySide6.QtCharts import (QAbstractAxis, QAbstractBarSeries, QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView,
                              QHorizontalBarSeries, QLineSeries, QValueAxis)
from PySide6.QtCore import QDate, QEvent, QMargins, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QCursor, QKeyEvent, QMouseEvent, QPainter, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (QComboBox, QDateEdit, QFileDialog, QFrame, QGridLayout, QHBoxLayout, QLabel,
                               QPushButton, QScrollArea, QStackedWidget, QToolTip, QVBoxLayout, QWidget)

from desktop.records.dashboard import Dashboard, build, in_range, in_share, in_week
from desktop.shell.jobs import Job, JobPool
from desktop.store import connect
from desktop.store import dashboard
from desktop.store.clock import Clock, utc_now
from desktop.store.dashboard import Query, Trends
from desktop.store.db import location
from desktop.shell.reader import StoreReader
from desktop.ui.pickers import read_filter_choices, refill_filter_combos
from desktop.ui.widgets import placeholder_label, plain_label, ui_settings

log = logging.getLogger(__name__)

CUSTOM = -1  # the range picker's "Custom…": the two day pickers say the range
RANGES = (("Last 30 days", 30), ("Last 90 days", 90), ("Last year", 365), ("All time", None), ("Custom…", CUSTOM))
CLICK = "Click to see them in the inbox."
RATING_TITLE = "Average rating by week"
TOP_BARS = 5  # sources or clients a breakdown shows: more and Qt Charts cuts every name to "…"
_JOB = "dashboard"
_REPORT = "report"
WIDE = 1000  # the page's width (px) from which the charts take three columns
COALESCE_MS = 400  # a poll storing 200 mentions refreshes once, not 200 times
NEGATIVE = QColor("#d64545")
SCORE = QColor("#2f7ed8")
NEUTRAL_BAR = QColor("#7a8ca3")
RATING = QColor("#e0a526")  # star gold

EMPTY_STORE = ("No feedback yet, so nothing to chart.\n\n"
               "Add a source (Sources) or enter feedback (File > Add feedback…), and the trends appear here.")
EMPTY_RANGE = ("No feedback in this range or for these filters.\n\n"
               "Pick a longer range or another source or client above, or add a source or enter feedback.")


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


def week_axis(weeks: list[dashboard.Week], *, short: bool = False) -> QAbstractAxis:
    """The weeks as categories; with too many to label each (they would be cut to "…"), an unlabelled axis of
    their positions that names the span instead. Not a category axis with its labels hidden: that still lays out a
    text item per week, most of a long range's repaint (50 ms for four years of weeks)."""
    if len(weeks) <= (8 if short else 16):
        axis = QBarCategoryAxis()
        axis.append([week_label(w.start) for w in weeks])
        axis.setGridLineVisible(False)  # a line a week is a fence, not a guide
        return axis
    positions = QValueAxis()
    positions.setRange(-0.5, len(weeks) - 0.5)  # bar i and point i sit at i, as on a category axis
    positions.setLabelsVisible(False)
    positions.setGridLineVisible(False)
    positions.setTickCount(2)
    first, last = weeks[0].start, weeks[-1].start
    positions.setTitleText(f"{week_label(first)} {first.year} to {week_label(last)} {last.year}" if short else
                           f"{len(weeks)} weeks with feedback, {week_label(first)} {first.year} to"
                           f" {week_label(last)} {last.year}")
    return positions


def week_name(start: date) -> str:
    return f"Week of {start.day} {start:%b %Y}"


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


def duration(hours: float | None) -> str:
    if hours is None:
        return "–"
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


class FigureTile(QFrame):
    """One headline figure: a big value over its caption; clickable when it counts mentions the inbox can show."""

    clicked = Signal(str)

    def __init__(self, key: str, caption: str, *, clickable: bool) -> None:
        super().__init__()
        self.key = key
        self.clickable = clickable
        self.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(self)
        self.value = plain_label("–")
        self.value.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.value.setObjectName(f"figure_{key}")
        box.addWidget(self.value)
        box.addWidget(plain_label(caption, wrap=True))  # wraps so six fit the narrowest window (900 px)
        if clickable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab to it, Enter or Space opens the inbox
            counted = "the mentions with a star rating" if key == "rating" else "them"
            self.setToolTip(f"The {caption} of this range. Click to see {counted} in the inbox.")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.clickable and event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit(self.key)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if self.clickable and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.key)
            return
        super().keyPressEvent(event)


class DashboardPage(QWidget):
    """Trend charts and headline figures for a date range; every chart follows the range picker."""

    refreshed = Signal()
    report_written = Signal(str)
    inbox_requested = Signal(object)

    def __init__(self, conn: sqlite3.Connection, parent: QWidget | None = None, *, clock: Clock = utc_now) -> None:
        super().__init__(parent)
        self._conn = conn
        self._clock = clock
        self.jobs = JobPool(self)  # the report: a long job, with a connection of its own
        self.jobs.finished.connect(self.on_job_finished)
        self.jobs.failed.connect(self.on_job_failed)
        # The figures and the pickers' names, read off the GUI thread on the reader's kept connection (a warm
        # cache: 40 ms of an all-time build at 100,000 mentions); a rebuild asked while one runs replaces it.
        self.reader = StoreReader(conn, self)
        self.reader.failed.connect(self.on_read_failed)
        self._stale = True  # the figures shown may be out of date: refresh when next seen
        self.trends: Trends | None = None
        self.board: Dashboard | None = None
        self.query = Query()
        self._coalesce = QTimer(self, singleShot=True, interval=COALESCE_MS)
        self._coalesce.timeout.connect(self.refresh)

        self.range_picker = QComboBox()
        for name, days in RANGES:
            self.range_picker.addItem(name, days)
        self.range_picker.setCurrentIndex(2)
        self.range_picker.setToolTip("Which days every chart and figure counts (days in UTC)")
        self.range_picker.currentIndexChanged.connect(self.on_range_picker_changed)
        today = self._clock().date()
        self.from_edit = self._day_edit(today - timedelta(days=89), "First day counted (UTC)")
        self.to_edit = self._day_edit(today, "Last day counted, included (UTC)")
        self.to_edit.setMinimumDate(self.from_edit.date())
        self.from_edit.dateChanged.connect(self.on_custom_days_changed)
        self.to_edit.dateChanged.connect(self.on_custom_days_changed)
        self.source_picker = QComboBox()
        self.client_picker = QComboBox()
        for picker, what in ((self.source_picker, "source"), (self.client_picker, "client")):
            picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            picker.setMinimumContentsLength(10)
            picker.setToolTip(f"Count only the feedback of one {what}")
            picker.currentIndexChanged.connect(self.on_filter_picker_changed)
        self.reload_choices()
        self.export_button = QPushButton("Export report…")
        self.export_button.setToolTip("A PDF of this range and these filters: figures, charts, worst unanswered")
        self.export_button.clicked.connect(self.on_export_button_clicked)
        self.status = plain_label()
        self.status.setStyleSheet("color: palette(dark);")
        top = QHBoxLayout()
        for widget in (self.range_picker, self.from_edit, self.to_edit, self.source_picker, self.client_picker):
            top.addWidget(widget)
        top.addWidget(self.status, 1)
        top.addWidget(self.export_button)
        self._show_custom_days()

        self.figures: dict[str, QLabel] = {}
        self.tiles: dict[str, FigureTile] = {}
        figures_row = QHBoxLayout()
        for key, caption, clickable in (
                ("mentions", "mentions", True), ("negative", "negative", True), ("rating", "average rating", True),
                ("unanswered", "unanswered negatives", True), ("answer_time", "median time to answer", False),
                ("recovered", "answered negatives recovered", False)):
            tile = FigureTile(key, caption, clickable=clickable)
            tile.clicked.connect(self.on_tile_clicked)
            self.tiles[key], self.figures[key] = tile, tile.value
            figures_row.addWidget(tile)

        self.sentiment_chart = self._chart("Sentiment by week (UTC weeks): mean score and negatives")
        self.rating_trend_chart = self._chart(RATING_TITLE)
        self.ratings_chart = self._chart("Star ratings")
        # No legend on the breakdowns: the title says the colours, and the bars keep the room for their names.
        self.sources_chart = self._chart("By source")
        self.clients_chart = self._chart("By client")
        self.views = {chart: self._view(chart) for chart in self.charts()}
        self.chart_grid = QGridLayout()
        self._charts_wide: bool | None = None
        self._arrange_charts(wide=True)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(figures_row)
        column.addLayout(self.chart_grid, 1)
        # Charts keep a readable height; a short window scrolls rather than squashing their labels to "…".
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(content)

        self.empty_label = placeholder_label(EMPTY_STORE)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.scroll)
        self.stack.addWidget(self.empty_label)
        page = QVBoxLayout(self)
        page.addLayout(top)
        page.addWidget(self.stack, 1)
        self.apply_palette()

    # -- building ------------------------------------------------------------------------------
    def _day_edit(self, day: date, tip: str) -> QDateEdit:
        edit = QDateEdit(QDate(day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setToolTip(tip)
        return edit

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
        view.setMinimumSize(200, 230)
        return view

    def _arrange_charts(self, *, wide: bool) -> None:
        """Wide: the weekly sentiment and rating side by side over the three breakdowns. Narrow (a 900 px
        window): two columns, the weekly sentiment across both, so every chart keeps room for its labels."""
        if wide == self._charts_wide:
            return
        self._charts_wide = wide
        grid = self.chart_grid
        for view in self.views.values():
            grid.removeWidget(view)
        v = self.views
        if wide:
            places = ((self.sentiment_chart, 0, 0, 1, 2), (self.rating_trend_chart, 0, 2, 1, 1),
                      (self.ratings_chart, 1, 0, 1, 1), (self.sources_chart, 1, 1, 1, 1),
                      (self.clients_chart, 1, 2, 1, 1))
        else:
            places = ((self.sentiment_chart, 0, 0, 1, 2), (self.rating_trend_chart, 1, 0, 1, 1),
                      (self.ratings_chart, 1, 1, 1, 1), (self.sources_chart, 2, 0, 1, 1),
                      (self.clients_chart, 2, 1, 1, 1))
        for chart, row, col, rows, cols in places:
            grid.addWidget(v[chart], row, col, rows, cols)
        for col in range(3):
            grid.setColumnStretch(col, 1 if wide or col < 2 else 0)
        for row in range(3):
            grid.setRowStretch(row, (3, 2, 0)[row] if wide else (3, 2, 2)[row])

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        self._arrange_charts(wide=event.size().width() >= WIDE)
        super().resizeEvent(event)

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
        return self.sentiment_chart, self.rating_trend_chart, self.ratings_chart, self.sources_chart, self.clients_chart

    # -- the range and refreshing ----------------------------------------------------------------
    def current_query(self) -> Query:
        days = self.range_picker.currentData()
        source, client = self.source_picker.currentData(), self.client_picker.currentData()
        if days == CUSTOM:  # whole UTC days, the last one included
            first, last = self.from_edit.date().toPython(), self.to_edit.date().toPython()
            return Query(since=_midnight(first), until=_midnight(last + timedelta(days=1)), source=source,
                         client=client)
        return Query(since=self._clock() - timedelta(days=days) if days else None, source=source, client=client)

    def set_range(self, days: int | None) -> None:
        self.range_picker.setCurrentIndex(self.range_picker.findData(days))

    def set_custom_range(self, first: date, last: date) -> None:
        """Count the days from `first` to `last`, both included (UTC)."""
        for edit in (self.from_edit, self.to_edit):
            edit.blockSignals(True)
        self.from_edit.setDate(QDate(first))
        self.to_edit.setMinimumDate(QDate(first))
        self.to_edit.setDate(QDate(last))
        for edit in (self.from_edit, self.to_edit):
            edit.blockSignals(False)
        if self.range_picker.currentData() == CUSTOM:
            self.refresh()
        else:
            self.set_range(CUSTOM)

    def set_filters(self, *, source: int | None = None, client: int | None = None) -> None:
        for picker, wanted in ((self.source_picker, source), (self.client_picker, client)):
            picker.blockSignals(True)
            picker.setCurrentIndex(max(0, picker.findData(wanted)))
            picker.blockSignals(False)
        self.refresh()

    def reload_choices(self) -> None:
        """Refill the source and client pickers (a few rows, read in the background), keeping what was picked."""
        self.reader.read("choices", read_filter_choices,
                         lambda choices: refill_filter_combos(choices, self.source_picker, self.client_picker))

    def reading(self) -> bool:
        """Whether the page still waits for the store (figures, the pickers' names or a report)."""
        return bool(self.jobs.running) or self.reader.busy

    def _show_custom_days(self) -> None:
        custom = self.range_picker.currentData() == CUSTOM
        self.from_edit.setVisible(custom)
        self.to_edit.setVisible(custom)

    @Slot(int)
    def on_range_picker_changed(self, _index: int) -> None:
        self._show_custom_days()
        self.refresh()

    @Slot(QDate)
    def on_custom_days_changed(self, _day: QDate) -> None:
        self.to_edit.setMinimumDate(self.from_edit.date())  # the last day is never before the first
        self.refresh()

    @Slot(int)
    def on_filter_picker_changed(self, _index: int) -> None:
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
        """Aggregate in the reader's thread; a refresh asked while one runs is the one shown (the older is dropped)."""
        self._stale = False
        self.reload_choices()  # a source or client may have come or gone
        query = self.current_query()
        self.status.setText("Updating…")
        now = self._clock()
        # The page lists no reviews (worst=0): the report does.
        self.reader.read(_JOB, lambda conn: build(conn, query, now, worst=0), self.show_dashboard)

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
        query, now, scope = self.current_query(), self._clock(), self.scope_words()
        self.status.setText("Writing the report…")

        def work(_job: Job) -> str:
            from desktop import report

            conn = connect(db, migrate=False) if db is not None else self._conn
            try:
                report.write_pdf(build(conn, query, now), path, now, scope=scope)
            finally:
                if db is not None:
                    conn.close()
            return str(path)

        self.jobs.start(_REPORT, work, what="writing the report")

    def scope_words(self) -> str:
        """The source and client picked, in words for the report ("" for all of them)."""
        return " · ".join(f"{what}: {picker.currentText()}" for what, picker in
                          (("Source", self.source_picker), ("Client", self.client_picker))
                          if picker.currentData() is not None)

    @Slot(object, object)
    def on_job_finished(self, _key: object, result: object) -> None:
        self.status.setText(f"Report written to {result}")
        self.report_written.emit(result)

    @Slot(object, object)
    def on_job_failed(self, _key: object, error: object) -> None:
        self.status.setText(f"Could not write the report: {error}")

    @Slot(object, object)
    def on_read_failed(self, key: object, error: object) -> None:
        if key == _JOB:
            self.status.setText(f"Could not build the dashboard: {error}")

    def shutdown(self) -> None:
        self._coalesce.stop()
        self.reader.shutdown()
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
        self._show_rating_trend(trends)
        self._show_ratings(trends)
        self._show_shares(self.sources_chart, "By source", trends.by_source)
        self._show_shares(self.clients_chart, "By client", trends.by_client)
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
        negatives.clicked.connect(lambda i: self.open_week(i, negative=True))
        bars = QBarSeries()
        bars.append(negatives)
        line = QLineSeries()
        line.setName("Mean score")
        line.setColor(SCORE)
        line.setPointsVisible(True)
        for i, week in enumerate(weeks):
            line.append(float(i), week.mean_score)
        line.hovered.connect(lambda point, on: self._tip(on, self.week_point_tip(round(point.x()))))
        line.clicked.connect(lambda point: self.open_week(round(point.x())))
        chart.addSeries(bars)
        chart.addSeries(line)
        x = week_axis(weeks)
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

    def _show_rating_trend(self, trends: Trends) -> None:
        """The week's average star rating, over the same weeks as the sentiment chart (weeks without a rating have
        no point)."""
        chart = self.rating_trend_chart
        rated = any(w.mean_rating is not None for w in trends.weeks)
        chart.setTitle(RATING_TITLE if rated else f"{RATING_TITLE}: none of this feedback has stars")
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        line = QLineSeries()
        line.setName("Average rating")
        line.setColor(RATING)
        line.setPointsVisible(True)
        for i, week in enumerate(trends.weeks):
            if week.mean_rating is not None:
                line.append(float(i), week.mean_rating)
        line.hovered.connect(lambda point, on: self._tip(on, self.week_rating_tip(round(point.x()))))
        line.clicked.connect(lambda point: self.open_week(round(point.x())))
        chart.addSeries(line)
        x = week_axis(trends.weeks, short=True)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        y = QValueAxis()
        y.setRange(1, 5)
        y.setTickCount(5)
        y.setLabelFormat("%d")
        y.setTitleText("stars")
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        line.attachAxis(x)
        line.attachAxis(y)
        chart.legend().hide()

    def _show_ratings(self, trends: Trends) -> None:
        stars = QBarSet("Mentions")
        stars.setColor(SCORE)
        stars.append([float(n) for n in trends.ratings.values()])
        stars.hovered.connect(lambda on, i: self._tip(on, self.rating_tip(i)))
        stars.clicked.connect(lambda i: self.open_filter(in_range(self.query, stars=i + 1)))
        self._bars(self.ratings_chart, QBarSeries(), [stars], [f"{n} ★" for n in trends.ratings])
        self.ratings_chart.legend().hide()

    def _show_shares(self, chart: QChart, title: str, shares: list[dashboard.Share]) -> None:
        """The biggest TOP_BARS (a bar's name needs a line of its own); the report lists more."""
        top = f": the biggest {TOP_BARS} of {len(shares)}" if len(shares) > TOP_BARS else ""
        chart.setTitle(f"{title}{top} (red: negative)")
        shares = shares[:TOP_BARS]
        everything = QBarSet("Mentions")
        everything.setColor(NEUTRAL_BAR)
        negative = QBarSet("Negative")
        negative.setColor(NEGATIVE)
        for bar_set in (everything, negative):
            bar_set.hovered.connect(lambda on, i, c=chart: self._tip(on, self.share_tip(c, i)))
            bar_set.clicked.connect(lambda i, c=chart, n=bar_set is negative: self.open_share(c, i, negative=n))
        # Sideways, so names have room; the biggest on top (a horizontal axis lists from the bottom).
        everything.append([float(s.mentions) for s in reversed(shares)])
        negative.append([float(s.negatives) for s in reversed(shares)])
        self._bars(chart, QHorizontalBarSeries(), [everything, negative], [_short(s.name) for s in reversed(shares)])
        chart.legend().hide()

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

    # -- clicking: the inbox on exactly what was clicked -----------------------------------------------
    def open_filter(self, flt: object) -> None:
        self.inbox_requested.emit(flt)

    def open_week(self, i: int, *, negative: bool = False) -> None:
        """A week's bar (its negatives) or point (all its mentions)."""
        if self.trends is not None and 0 <= i < len(self.trends.weeks):
            narrower = {"label": "negative"} if negative else {}
            self.open_filter(in_week(self.query, self.trends.weeks[i].start, **narrower))

    def open_share(self, chart: QChart, i: int, *, negative: bool = False) -> None:
        shares = self._shares(chart)
        if 0 <= i < len(shares):
            kind = "source" if chart is self.sources_chart else "client"
            self.open_filter(in_share(self.query, kind, shares[len(shares) - 1 - i], negative=negative))

    @Slot(str)
    def on_tile_clicked(self, key: str) -> None:
        narrower = {"negative": {"label": "negative"}, "rating": {"rated": True},  # the mentions it averages
                    "unanswered": {"unanswered": True}}.get(key, {})
        self.open_filter(in_range(self.query, **narrower))

    def _shares(self, chart: QChart) -> list[dashboard.Share]:
        if self.trends is None:
            return []
        return (self.trends.by_source if chart is self.sources_chart else self.trends.by_client)[:TOP_BARS]

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

    def week_rating_tip(self, i: int) -> str:
        week = self.trends.weeks[i] if self.trends and 0 <= i < len(self.trends.weeks) else None
        if week is None or week.mean_rating is None:
            return ""
        return f"{week_name(week.start)}: average rating {week.mean_rating:.2f} ★ over {week.rated} rated"

    def share_tip(self, chart: QChart, i: int) -> str:
        shares = self._shares(chart)
        if not 0 <= i < len(shares):
            return ""
        share = shares[len(shares) - 1 - i]  # the bars run bottom-up
        return f"{share.name}: {share.mentions} mentions, {share.negatives} negative"

    def _tip(self, on: bool, text: str) -> None:
        if on and text:
            QToolTip.showText(QCursor.pos(), f"{text}\n{CLICK}", self)
        else:
            QToolTip.hideText()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), timezone.utc)


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

