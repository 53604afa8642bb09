"""The PDF report a freelancer hands a client or a partner: headline figures, a weekly chart, where feedback
comes from, the worst negatives still unanswered and what answering achieved, for one range.

Rendered with QtGui only (QTextDocument into a QPdfWriter, the chart painted into a QImage), so it runs under a
QGuiApplication on the offscreen platform: `rapport report` needs no display and no widgets.
"""
from __future__ import annotations

import html
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen, QTextDocument)

from desktop.records.dashboard import Dashboard
from desktop.store.dashboard import Week

CHART_URL = QUrl("rapport://weekly-chart.png")
EXCERPT = 280  # characters of a review's text in the table of unanswered negatives


def _day(moment: datetime | None) -> str:
    return "the beginning" if moment is None else f"{moment.day} {moment:%b %Y}"


def _esc(text: object) -> str:
    return html.escape(str(text))


def range_words(board: Dashboard, now: datetime) -> str:
    until = board.query.until or now
    last = until - timedelta(seconds=1)
    return f"{_day(board.query.since)} to {_day(last)}"


def to_html(board: Dashboard, now: datetime, *, chart: bool = True) -> str:
    """The report as the (Qt rich text subset of) HTML that QTextDocument lays out. Every stored text is escaped."""
    head, out = board.trends.headline, board.outcomes
    share = "–" if head.share_negative is None else f"{head.share_negative:.0%}"
    rating = "–" if head.mean_rating is None else f"{head.mean_rating:.1f} of 5 ({head.rated} rated)"
    median = "–" if out.median_hours_to_answer is None else f"{out.median_hours_to_answer:g} hours"
    recovery = "–" if board.recovery_rate is None else f"{board.recovery_rate:.0%} ({out.recovered} of {out.answered})"
    rows = [("Mentions", head.mentions), ("Negative", f"{share} ({head.negatives})"), ("Average rating", rating),
            ("Negatives still unanswered", head.unanswered_negatives), ("Median time to answer", median),
            ("Answered negatives that recovered", recovery), ("Removed after the reply", out.removed),
            ("Clients won back", out.won_back), ("Unchanged 30 days after the reply", out.unchanged)]
    parts = [
        "<h1>Reputation report</h1>",
        f"<p>{_esc(range_words(board, now))} · made by Rapport on {_esc(_day(now))} · weeks are Monday to Sunday"
        " in UTC</p>",
        "<h2>At a glance</h2>",
        _table(("", ""), rows),
    ]
    if board.trends.empty:
        parts.append("<p>No feedback in this range. Add a source or enter feedback in Rapport, or choose a longer"
                     " range.</p>")
        return "".join(parts)
    if chart and board.trends.weeks:
        parts += ["<h2>Sentiment by week</h2>",
                  "<p>Bars: negative mentions that week. Line: the week's mean score (-1 to +1).</p>",
                  f"<p><img src='{CHART_URL.toString()}' width='640'></p>"]
    parts += ["<h2>Where feedback comes from</h2>",
              _table(("Source", "Mentions", "Negative"),
                     [(s.name, s.mentions, s.negatives) for s in board.trends.by_source]),
              "<h2>Stars</h2>",
              _table(("Stars", "Mentions"), [(f"{n} ★", c) for n, c in board.trends.ratings.items()])]
    parts.append("<h2>Worst negatives still unanswered</h2>")
    if board.trends.unanswered:
        parts.append(_table(("Date", "Source", "Author", "Stars", "Score", "What they wrote"), [
            (u.when[:10], u.source, u.author, "–" if u.rating is None else f"{u.rating:g}", f"{u.compound:+.2f}",
             u.text if len(u.text) <= EXCERPT else u.text[:EXCERPT - 1] + "…") for u in board.trends.unanswered]))
    else:
        parts.append("<p>None: every negative that raised an alert in this range has a reply.</p>")
    return "".join(parts)


def _table(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    cells = "".join(f"<th align='left'>{_esc(h)}</th>" for h in header) if any(header) else ""
    body = "".join("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (f"<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
            f"{'<tr>' + cells + '</tr>' if cells else ''}{body}</table>")


def weekly_chart(weeks: list[Week], size: tuple[int, int] = (1280, 480)) -> QImage:
    """The weekly chart as an image: negatives as red bars (left scale), the mean score as a blue line."""
    width, height = size
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    plot = QRectF(60, 20, width - 120, height - 60)
    painter.setPen(QPen(QColor("#999999"), 1))
    painter.drawRect(plot)
    middle = plot.top() + plot.height() / 2
    painter.drawLine(QPointF(plot.left(), middle), QPointF(plot.right(), middle))  # score 0
    top = max([w.negatives for w in weeks] + [1])
    step = plot.width() / max(len(weeks), 1)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#d64545"))
    for i, week in enumerate(weeks):
        bar = plot.height() * week.negatives / top
        painter.drawRect(QRectF(plot.left() + i * step + step * 0.2, plot.bottom() - bar, step * 0.6, bar))
    painter.setPen(QPen(QColor("#2f7ed8"), 3))
    points = [QPointF(plot.left() + (i + 0.5) * step, middle - w.mean_score * plot.height() / 2)
              for i, w in enumerate(weeks)]
    for a, b in zip(points, points[1:]):
        painter.drawLine(a, b)
    painter.setPen(QColor("#333333"))
    font = painter.font()
    font.setPixelSize(18)
    painter.setFont(font)
    painter.drawText(QRectF(0, plot.top() - 10, 55, 20), Qt.AlignmentFlag.AlignRight, "+1")
    painter.drawText(QRectF(0, middle - 10, 55, 20), Qt.AlignmentFlag.AlignRight, "0")
    painter.drawText(QRectF(0, plot.bottom() - 10, 55, 20), Qt.AlignmentFlag.AlignRight, "-1")
    painter.drawText(QRectF(plot.right() + 5, plot.top() - 10, 55, 20), Qt.AlignmentFlag.AlignLeft, str(top))
    painter.drawText(QRectF(plot.right() + 5, plot.bottom() - 10, 55, 20), Qt.AlignmentFlag.AlignLeft, "0")
    if weeks:
        first, last = weeks[0].start, weeks[-1].start
        painter.drawText(QRectF(plot.left(), plot.bottom() + 8, 300, 24), Qt.AlignmentFlag.AlignLeft,
                         f"week of {first.day} {first:%b %Y}")
        painter.drawText(QRectF(plot.right() - 300, plot.bottom() + 8, 300, 24), Qt.AlignmentFlag.AlignRight,
                         f"week of {last.day} {last:%b %Y}")
    painter.end()
    return image


def write_pdf(board: Dashboard, path: Path, now: datetime) -> None:
    """Write the report to `path` (A4). Needs a QGuiApplication (fonts); raises OSError when it cannot write."""
    writer = QPdfWriter(str(path))
    writer.setTitle("Reputation report")
    writer.setCreator("Rapport")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setResolution(96)  # lay the document out at screen scale: the page then holds a 640 px wide chart
    document = QTextDocument()
    document.setDefaultStyleSheet("h1 { font-size: 20pt; } h2 { font-size: 14pt; } td, th { font-size: 9pt; }")
    document.addResource(QTextDocument.ResourceType.ImageResource, CHART_URL, weekly_chart(board.trends.weeks))
    document.setHtml(to_html(board, now))
    document.setPageSize(QSizeF(writer.width(), writer.height()))
    painter_ok = path.parent.is_dir()
    if not painter_ok:
        raise OSError(f"the folder {path.parent} does not exist")
    document.print_(writer)
    del writer  # flushes and closes the file
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(f"could not write {path}")
