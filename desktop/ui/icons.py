"""The app's icons, loaded from the packaged PNGs in every size we ship."""
from __future__ import annotations

from PySide6.QtGui import QIcon, QPixmap

from desktop.shell.desktop_entry import ICON_SIZES
from desktop.paths import resource


def app_icon(*, alert: bool = False) -> QIcon:
    """The app icon, or its tray variant with a red badge when negative feedback waits."""
    icon = QIcon()
    stem = "rapport-alert" if alert else "rapport"
    for size in ICON_SIZES:
        pixmap = QPixmap()
        pixmap.loadFromData(resource("icons", f"{stem}-{size}.png").read_bytes(), "PNG")
        icon.addPixmap(pixmap)
    return icon
