"""The PDF report a freelancer hands a client or a partner: headline figures and what answering achieved, the
dashboard's charts (sentiment and average rating by week, stars, by source, by client) and the worst negatives
still unanswered, for one range.

Rendered with QtGui only (QTextDocument into a QPdfWriter, the charts painted into QImages by
desktop.report_charts), so it runs under a QGuiApplication on the offscreen platform: `rapport report` needs no
display and no widgets.
"""
from __future__ import annotations

import html
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from desktop import report_charts
from desktop.records.dashboard import Dashboard
from desktop.store.dashboard import Share

EXCERPT = 280  # characters of a review's text in the table of unanswered negatives


def _day(moment: datetime | None) -> str:
    return "the beginning" if moment is None else f"{moment.day} {moment:%b %Y}"


def _esc(text: object) -> str:
    return html.escape(str(text))


def range_words(board: Dashboard, now: datetime) -> str:
    until = board.query.until or now
    last = until - timedelta(seconds=1)
    return f"{_day(board.query.since)} to {_day(last)}"


def _url(name: str) -> QUrl:
    return QUrl(f"rapport://{name}.png")


def charts(board: Dashboard) -> dict[str, QImage]:
    """Every chart the report shows, by name (its image resource is rapport://NAME.png)."""
    trends = board.trends
    found = {"weekly": report_charts.weekly_chart(trends.weeks), "stars": report_charts.stars_chart(trends.ratings),
             "sources": report_charts.shares_chart(trends.by_source),
             "clients": report_charts.shares_chart(trends.by_client)}
    if any(w.mean_rating is not None for w in trends.weeks):
        found["rating"] = report_charts.rating_chart(trends.weeks)
    return found


def _chart(name: str, shown: dict[str, QImage] | None) -> str:
    if shown is None or name not in shown:
        return ""
    image = shown[name]
    return f"<p><img src='{_url(name).toString()}' width='640' height='{image.height() // 2}'></p>"


def _shares(title: str, name: str, shares: list[Share], shown: dict[str, QImage] | None) -> str:
    more = len(shares) - report_charts.MOST_BARS
    note = f"<p>The {report_charts.MOST_BARS} biggest; {more} more not shown.</p>" if more > 0 else ""
    return f"<h3>{_esc(title)}</h3>{_chart(name, shown)}{note}"


def to_html(board: Dashboard, now: datetime, *, shown: dict[str, QImage] | None = None, scope: str = "") -> str:
    """The report as the (Qt rich text subset of) HTML that QTextDocument lays out. Every stored text is escaped.
    `shown`: the charts (from `charts`); `scope`: the filters in words ("Source: Trustpilot"), if any."""
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
        f"<p>{_esc(range_words(board, now))}{' · ' + _esc(scope) if scope else ''} · made by Rapport on"
        f" {_esc(_day(now))} · weeks are Monday to Sunday in UTC</p>",
        "<h2>At a glance</h2>",
        _table(("", ""), rows),
    ]
    if board.trends.empty:
        parts.append("<p>No feedback in this range. Add a source or enter feedback in Rapport, or choose a longer"
                     " range.</p>")
        return "".join(parts)
    parts += ["<h2>Sentiment by week</h2>",
              "<p>Red bars: negative mentions that week (right scale). Blue line: the week's mean score, -1 to +1"
              " (left scale).</p>", _chart("weekly", shown)]
    if shown is None or "rating" in shown:
        parts += ["<h2>Average rating by week</h2>", _chart("rating", shown)]
    parts += ["<h2>Stars</h2>", _chart("stars", shown),
              # A page of its own: the trends fill the first page, and a heading is never left at its foot.
              "<h2 style='page-break-before: always'>Where feedback comes from</h2>",
              "<p>Grey: mentions; red: the negative ones among them.</p>",
              _shares("By source", "sources", board.trends.by_source, shown),
              _table(("Source", "Mentions", "Negative"),
                     [(s.name, s.mentions, s.negatives) for s in board.trends.by_source]),
              _shares("By client", "clients", board.trends.by_client, shown)]
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


def write_pdf(board: Dashboard, path: Path, now: datetime, *, scope: str = "") -> None:
    """Write the report to `path` (A4). Needs a QGuiApplication (fonts); raises OSError when it cannot write."""
    writer = QPdfWriter(str(path))
    writer.setTitle("Reputation report")
    writer.setCreator("Rapport")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setResolution(96)  # lay the document out at screen scale: the page then holds a 640 px wide chart
    document = QTextDocument()
    document.setDefaultStyleSheet("h1 { font-size: 20pt; } h2 { font-size: 14pt; } td, th { font-size: 9pt; }")
    shown = charts(board) if not board.trends.empty else {}
    for name, image in shown.items():
        document.addResource(QTextDocument.ResourceType.ImageResource, _url(name), image)
    document.setHtml(to_html(board, now, shown=shown, scope=scope))
    document.setPageSize(QSizeF(writer.width(), writer.height()))
    painter_ok = path.parent.is_dir()
    if not painter_ok:
        raise OSError(f"the folder {path.parent} does not exist")
    document.print_(writer)
    del writer  # flushes and closes the file
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(f"could not write {path}")
