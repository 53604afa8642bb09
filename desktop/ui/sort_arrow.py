"""A sorted column's header arrow that points the way its values go: down when the largest (the newest) come first.

Why: Qt reads its sort indicator the other way round. QHeaderView hands the style `SortDown` for an ascending
order and `SortUp` for a descending one, and Qt's own styles (Fusion, the one Rapport gets on Linux) draw those
literally, so the inbox's newest-first Date column showed an arrow pointing up: read by anyone used to a file
manager or a spreadsheet as "oldest first". The native Windows and macOS styles already turn Qt's indicator round
to their platform's reading. This proxy style draws the sort indicator as the style's own plain up or down arrow
(`PE_IndicatorArrowUp`/`Down`, which mean the same on every style): up for ascending, down for descending, as
Windows, macOS and GTK's file lists show it.
"""
from __future__ import annotations

from PySide6.QtWidgets import QApplication, QHeaderView, QProxyStyle, QStyle, QStyleOption, QStyleOptionHeader

_HEADER_ARROW = QStyle.PrimitiveElement.PE_IndicatorHeaderArrow


class SortArrowStyle(QProxyStyle):
    """The application's style, but a header's sort arrow points up for ascending and down for descending."""

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: ANN001, N802 (Qt's name)
        if element == _HEADER_ARROW and isinstance(option, QStyleOptionHeader):
            indicator = option.sortIndicator
            if indicator == QStyleOptionHeader.SortIndicator.None_:
                return
            # Qt's SortDown is an ascending order (see the module docstring).
            ascending = indicator == QStyleOptionHeader.SortIndicator.SortDown
            arrow = QStyle.PrimitiveElement.PE_IndicatorArrowUp if ascending else \
                QStyle.PrimitiveElement.PE_IndicatorArrowDown
            plain = QStyleOption(option)  # the arrow's rect, palette and state; no header fields to misread
            super().drawPrimitive(arrow, plain, painter, widget)
            return
        super().drawPrimitive(element, option, painter, widget)


def point_sort_arrows(header: QHeaderView) -> SortArrowStyle:
    """Give `header` the sort arrow above. The style is a new instance of the application's (a proxy owns its base
    style, so it must not wrap the application's own), and the header's child: deleted with it."""
    base = QApplication.style().name()
    style = SortArrowStyle(base)
    style.setParent(header)
    header.setStyle(style)
    return style
