"""The inbox's sort arrow points the way the order goes: down while the newest are first, up once the Date header
is clicked and the oldest are first (Qt's own styles draw it the other way round: see desktop/ui/sort_arrow.py)."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QStyle, QStyleOptionHeader

from desktop.ui.inbox_model import COL_DATE, ID_ROLE
from tests.helpers.settle import settle
from tests.ui.test_inbox_page import make_page


def _arrow_area(page) -> QImage:  # noqa: ANN001
    """Where the header's style puts the Date section's sort arrow, as the header draws it now."""
    header = page.view.horizontalHeader()
    option = QStyleOptionHeader()
    option.initFrom(header)
    option.state |= QStyle.StateFlag.State_Horizontal  # as the header paints its sections
    option.rect = QRect(header.sectionViewportPosition(COL_DATE), 0, header.sectionSize(COL_DATE), header.height())
    option.section = COL_DATE
    option.sortIndicator = QStyleOptionHeader.SortIndicator.SortUp
    area = header.style().subElementRect(QStyle.SubElement.SE_HeaderArrow, option, header)
    return header.grab().toImage().copy(area)


def arrow_direction(page) -> str:  # noqa: ANN001
    """"up" or "down": in the arrow's area, the rows that differ from the header drawn without the indicator are
    the arrow; a triangle pointing down is widest at its top."""
    header = page.view.horizontalHeader()
    with_arrow = _arrow_area(page)
    header.setSortIndicatorShown(False)
    without = _arrow_area(page)
    header.setSortIndicatorShown(True)
    widths = []
    for y in range(with_arrow.height()):
        width = sum(1 for x in range(with_arrow.width()) if with_arrow.pixel(x, y) != without.pixel(x, y))
        if width:
            widths.append(width)
    assert len(widths) >= 3, "no arrow drawn"
    assert widths[0] != widths[-1], widths
    return "down" if widths[0] > widths[-1] else "up"


def dates(page) -> list[str]:  # noqa: ANN001
    return [page.model.mention_at(row).posted_at.isoformat() for row in range(page.model.rowCount())]


def test_newest_first_points_down_and_oldest_first_points_up(qtbot, conn, add) -> None:
    for days in (3, 1, 2):
        add(f"Review posted on day {days}", days=days)
    page = make_page(qtbot, conn)
    page.resize(1000, 500)
    settle(qtbot, page)
    header = page.view.horizontalHeader()
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert dates(page) == sorted(dates(page), reverse=True)  # newest first
    assert arrow_direction(page) == "down"

    centre = QPoint(header.sectionViewportPosition(COL_DATE) + header.sectionSize(COL_DATE) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    settle(qtbot, page)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert page.model.index(0, 0).data(ID_ROLE) is not None
    assert dates(page) == sorted(dates(page))  # oldest first
    assert arrow_direction(page) == "up"
