"""The in-app alert banner: where notifications go when the desktop has no system tray.

It floats over the bottom-right corner of its parent rather than taking a place in a layout: appearing
must not push the page down under the user's pointer.
"""
from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.shell.notify import Notice
from desktop.ui.widgets import plain_label


WIDTH = 460
MARGIN = 12


class AlertBanner(QFrame):
    """A dismissible card over the window's bottom-right corner, showing the last notice as plain text.

    Signals:
        open_clicked(object): the user wants to see what the Notice is about.
    """

    open_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self.setStyleSheet("QFrame#alertBanner { background: #fdecea; border: 1px solid #e8a29a; border-radius: 6px; }"
                           "QFrame#alertBanner QLabel { color: #7a1d14; }")
        self.notice: Notice | None = None
        self.title_label: QLabel = plain_label()
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.body_label: QLabel = plain_label()
        self.body_label.setWordWrap(True)
        self.open_button = QPushButton("Open")
        self.open_button.clicked.connect(self.on_open_clicked)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.clicked.connect(self.hide)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.dismiss_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        column.addWidget(self.title_label)
        column.addWidget(self.body_label)
        column.addLayout(buttons)
        self.hide()

    def show_notice(self, notice: Notice) -> None:
        self.notice = notice
        self.title_label.setText(notice.title)
        self.body_label.setText(notice.body)
        self.show()
        self.place()
        self.raise_()

    def place(self) -> None:
        """Sit in the parent's bottom-right corner, as wide as fits (at most WIDTH), as tall as the text needs."""
        parent = self.parentWidget()
        if parent is None:
            return
        width = max(200, min(WIDTH, parent.width() - 2 * MARGIN))
        height = self.heightForWidth(width) if self.hasHeightForWidth() else self.sizeHint().height()
        height = max(height, self.minimumSizeHint().height())
        self.setGeometry(parent.width() - width - MARGIN, parent.height() - height - MARGIN, width, height)

    @Slot()
    def on_open_clicked(self) -> None:
        if self.notice is not None:
            self.open_clicked.emit(self.notice)
        self.hide()
