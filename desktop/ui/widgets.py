"""Small shared pieces: star text, the score badge, plain-text and error labels, safe tooltips, and what the
record tables and their models have in common."""
from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Protocol, TypeVar

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QRectF, QSettings, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QWidget

from desktop import paths, text

LABEL_COLOURS = {"positive": QColor("#2e7d32"), "neutral": QColor("#757575"), "negative": QColor("#c62828")}
# Soft backgrounds for highlighted reasons: words that pulled the score down or up.
REASON_NEGATIVE = QColor("#ffcdd2")
REASON_POSITIVE = QColor("#c8e6c9")
# Inline problems ("the budget must be a number") share one red, the negative label's.
ERROR_STYLE = "color: #c62828;"
HINT_STYLE = "color: palette(dark);"  # what to do next, not something wrong

T = TypeVar("T")


class HasId(Protocol):
    """A stored record (mention, source): models find rows by it."""

    @property
    def id(self) -> int: ...


def stars(rating: float | None) -> str:
    """A 1-5 rating as five stars for a cell; no rating is a dash."""
    return text.stars(rating, missing="–")


def score_text(compound: float) -> str:
    return f"{compound:+.2f}"


def safe_tooltip(text: str, limit: int = 600) -> str:
    """Scraped text as a tooltip: Qt reads tooltips as rich text, so escape it and force rich mode."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = False,
                selectable: bool = False) -> QLabel:
    """A QLabel that never interprets markup (a QLabel guesses rich text by default)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def error_label() -> QLabel:
    """An empty inline error line: plain text, since messages quote what the user typed."""
    label = plain_label(wrap=True)
    label.setStyleSheet(ERROR_STYLE)
    return label


def placeholder_label(text: str = "", *, padding: int = 32) -> QLabel:
    """The large, quiet, centred text shown where a list or page has nothing to show yet."""
    label = plain_label(text, wrap=True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet(f"color: palette(dark); font-size: 13pt; padding: {padding}px;")
    return label



def row_at(rows: Sequence[T], row: int) -> T | None:
    """A model's record at `row`, or None out of range (views ask about rows that are gone)."""
    return rows[row] if 0 <= row < len(rows) else None


def row_of_id(rows: Sequence[HasId], record_id: int) -> int | None:
    """The row holding the record with this id, or None when it is not loaded."""
    for row, record in enumerate(rows):
        if record.id == record_id:
            return row
    return None


def put_row(model: QAbstractTableModel, rows: list[T], row: int, record: T | None) -> None:
    """Show a re-read record in its row, or drop the row when the record is gone (None): either way the views
    hear of just that row, so selection and scroll position survive."""
    if record is None:
        model.beginRemoveRows(QModelIndex(), row, row)
        del rows[row]
        model.endRemoveRows()
        return
    rows[row] = record
    model.dataChanged.emit(model.index(row, 0), model.index(row, model.columnCount() - 1))


def set_up_row_view(view: QTableView, model: QAbstractItemModel, *,
                    selection: QAbstractItemView.SelectionMode = QAbstractItemView.SelectionMode.SingleSelection,
                    word_wrap: bool = False) -> None:
    """A table of records: whole rows select, no grid or row numbers, alternate rows shaded, so every list in
    Rapport reads and behaves alike."""
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(selection)
    view.verticalHeader().hide()
    view.setShowGrid(False)
    view.setWordWrap(word_wrap)
    view.setAlternatingRowColors(True)


def ui_settings() -> QSettings:
    """Window state lives in an INI file under Rapport's config dir, so tests (RAPPORT_HOME) never
    write to the real home."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(paths.config_dir()))
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Rapport", "Rapport")


def score_badge(text: str, label: str, row_font: QFont | None, view_font: QFont, ratio: float,
                width: int = 0) -> QPixmap:
    """A score as a rounded badge coloured by its label, as wide as the row's font (bold when unread) needs, its
    text in the view's font. `width`: a transparent pixmap that wide, the badge centred in it (a cell's icon)."""
    return QPixmap.fromImage(score_badge_image(text, label, row_font, view_font, ratio, width))


def score_badge_image(text: str, label: str, row_font: QFont | None, view_font: QFont, ratio: float,
                      width: int = 0) -> QImage:
    """score_badge's pixels as a QImage, which any thread may paint (a QPixmap only the GUI thread): new rows'
    badges are drawn with their read, in the reader's thread (desktop/ui/painted_cells.py)."""
    metrics = QFontMetrics(row_font or view_font)
    badge_width, height = metrics.horizontalAdvance(text) + 12, metrics.height() + 4
    width = max(width, badge_width)
    badge = QImage(math.ceil(width * ratio), math.ceil(height * ratio), QImage.Format.Format_ARGB32_Premultiplied)
    badge.setDevicePixelRatio(ratio)
    badge.fill(Qt.GlobalColor.transparent)
    painter = QPainter(badge)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(LABEL_COLOURS.get(label, LABEL_COLOURS["neutral"]))
    rect = QRectF((width - badge_width) // 2, 0, badge_width, height)  # whole pixels: crisp edges
    painter.drawRoundedRect(rect, height / 2, height / 2)
    painter.setPen(QColor("white"))
    painter.setFont(view_font)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return badge
