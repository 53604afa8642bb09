"""The report's charts, painted with QPainter into images (QtGui only: `rapport report` runs without widgets, and
Qt Charts needs them). The same figures as the dashboard's charts, each with its numbers written on it, since
paper has no tooltips.

Images are drawn at twice the size they take on the page (1280 px wide for 640), so they stay sharp in print.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from desktop.store.dashboard import Share, Week

NEGATIVE = QColor("#d64545")
SCORE = QColor("#2f7ed8")
RATING = QColor("#e0a526")
MENTIONS = QColor("#7a8ca3")
INK = QColor("#333333")
RULE = QColor("#bbbbbb")
WIDTH = 1280
FONT_PX = 20
MOST_BARS = 12  # a breakdown shows its biggest this many; the report says how many more


class Canvas:
    """A white image and a painter on it, with the report's font; `done()` ends the painting."""

    def __init__(self, height: int, width: int = WIDTH) -> None:
        self.image = QImage(width, height, QImage.Format.Format_RGB32)
        self.image.fill(QColor("white"))
        self.painter = QPainter(self.image)
        self.painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.painter.font())
        font.setPixelSize(FONT_PX)
        self.painter.setFont(font)

    def text(self, rect: QRectF, flags: Qt.AlignmentFlag, words: str, colour: QColor = INK) -> None:
        self.painter.setPen(colour)
        self.painter.drawText(rect, flags, words)

    def done(self) -> QImage:
        self.painter.end()
        return self.image


def _day(start: date) -> str:
    return f"{start.day} {start:%b %Y}"


def _week_span(canvas: Canvas, plot: QRectF, weeks: Sequence[Week]) -> None:
    if weeks:
        below = plot.bottom() + 8
        canvas.text(QRectF(plot.left(), below, 400, 28), Qt.AlignmentFlag.AlignLeft, f"week of {_day(weeks[0].start)}")
        canvas.text(QRectF(plot.right() - 400, below, 400, 28), Qt.AlignmentFlag.AlignRight,
                    f"week of {_day(weeks[-1].start)}")


def _scale_label(canvas: Canvas, x: float, y: float, words: str, *, left: bool) -> None:
    rect = QRectF(x - 75, y - 14, 70, 28) if left else QRectF(x + 5, y - 14, 70, 28)
    align = Qt.AlignmentFlag.AlignRight if left else Qt.AlignmentFlag.AlignLeft
    canvas.text(rect, align | Qt.AlignmentFlag.AlignVCenter, words)


def weekly_chart(weeks: Sequence[Week], height: int = 420) -> QImage:
    """Negatives a week as red bars (right scale), the week's mean score as a blue line (left scale, -1 to +1)."""
    canvas = Canvas(height)
    p = canvas.painter
    plot = QRectF(80, 20, WIDTH - 160, height - 70)
    p.setPen(QPen(RULE, 1))
    p.drawRect(plot)
    middle = plot.center().y()
    p.drawLine(QPointF(plot.left(), middle), QPointF(plot.right(), middle))  # score 0
    top = max([w.negatives for w in weeks] + [1])
    step = plot.width() / max(len(weeks), 1)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(NEGATIVE)
    for i, week in enumerate(weeks):
        bar = plot.height() * week.negatives / top
        p.drawRect(QRectF(plot.left() + i * step + step * 0.2, plot.bottom() - bar, step * 0.6, bar))
    _line(p, [QPointF(plot.left() + (i + 0.5) * step, middle - w.mean_score * plot.height() / 2)
              for i, w in enumerate(weeks)], SCORE)
    for y, words in ((plot.top(), "+1"), (middle, "0"), (plot.bottom(), "-1")):
        _scale_label(canvas, plot.left(), y, words, left=True)
    _scale_label(canvas, plot.right(), plot.top(), str(top), left=False)
    _scale_label(canvas, plot.right(), plot.bottom(), "0", left=False)
    _week_span(canvas, plot, weeks)
    return canvas.done()


def rating_chart(weeks: Sequence[Week], height: int = 320) -> QImage:
    """The week's average star rating (1 to 5) as a gold line; weeks without a rating have no point."""
    canvas = Canvas(height)
    p = canvas.painter
    plot = QRectF(80, 20, WIDTH - 160, height - 70)
    p.setPen(QPen(RULE, 1))
    for stars in range(1, 6):
        y = plot.bottom() - (stars - 1) / 4 * plot.height()
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        _scale_label(canvas, plot.left(), y, f"{stars} ★", left=True)
    step = plot.width() / max(len(weeks), 1)
    _line(p, [QPointF(plot.left() + (i + 0.5) * step, plot.bottom() - (w.mean_rating - 1) / 4 * plot.height())
              for i, w in enumerate(weeks) if w.mean_rating is not None], RATING)
    _week_span(canvas, plot, weeks)
    return canvas.done()


def _line(p: QPainter, points: list[QPointF], colour: QColor) -> None:
    p.setPen(QPen(colour, 3))
    for a, b in zip(points, points[1:]):
        p.drawLine(a, b)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    for point in points:
        p.drawEllipse(point, 4, 4)


def stars_chart(ratings: dict[int, int], height: int = 260) -> QImage:
    """Mentions by star rating, a bar a star with its count above it."""
    canvas = Canvas(height)
    p = canvas.painter
    plot = QRectF(40, 40, WIDTH - 80, height - 90)
    top = max(list(ratings.values()) + [1])
    step = plot.width() / 5
    for i, (stars, count) in enumerate(sorted(ratings.items())):
        bar = plot.height() * count / top
        left = plot.left() + i * step + step * 0.25
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(SCORE)
        p.drawRect(QRectF(left, plot.bottom() - bar, step * 0.5, bar))
        canvas.text(QRectF(left - 20, plot.bottom() - bar - 32, step * 0.5 + 40, 28), Qt.AlignmentFlag.AlignCenter,
                    str(count))
        canvas.text(QRectF(left - 20, plot.bottom() + 8, step * 0.5 + 40, 28), Qt.AlignmentFlag.AlignCenter,
                    f"{stars} ★")
    p.setPen(QPen(RULE, 1))
    p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
    return canvas.done()


def shares_chart(shares: Sequence[Share]) -> QImage:
    """A row per source or client, biggest first: a grey bar of its mentions with a red bar of its negatives
    over it, and both numbers at the end."""
    rows = list(shares[:MOST_BARS])
    row_height = 44
    canvas = Canvas(max(len(rows), 1) * row_height + 20)
    p = canvas.painter
    names_width, numbers_width = 360, 240
    plot_left, plot_width = names_width + 20, WIDTH - names_width - 20 - numbers_width
    top = max([s.mentions for s in rows] + [1])
    for i, share in enumerate(rows):
        y = 10 + i * row_height
        canvas.text(QRectF(0, y, names_width, row_height), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    p.fontMetrics().elidedText(share.name, Qt.TextElideMode.ElideRight, names_width))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(MENTIONS)
        p.drawRect(QRectF(plot_left, y + 8, plot_width * share.mentions / top, row_height - 16))
        p.setBrush(NEGATIVE)
        p.drawRect(QRectF(plot_left, y + 8, plot_width * share.negatives / top, row_height - 16))
        canvas.text(QRectF(plot_left + plot_width * share.mentions / top + 10, y, numbers_width + 40, row_height),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    f"{share.mentions} ({share.negatives} negative)")
    return canvas.done()
