"""The in-app alert banner: where notifications go when the desktop has no system tray."""
from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.shell.notify import Notice
from desktop.ui.widgets import plain_label


class AlertBanner(QFrame):
    """A dismissible strip at the top of the window, showing the last notice as plain text.

    Signals:
        open_clicked(object): the user wants to see what the Notice is about.
    """

    open_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self.setStyleSheet("QFrame#alertBanner { background: #fdecea; border-bottom: 1px solid #f5c2bd; }"
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
        texts = QVBoxLayout()
        texts.addWidget(self.title_label)
        texts.addWidget(self.body_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.addLayout(texts, 1)
        row.addWidget(self.open_button)
        row.addWidget(self.dismiss_button)
        self.hide()

    def show_notice(self, notice: Notice) -> None:
        self.notice = notice
        self.title_label.setText(notice.title)
        self.body_label.setText(notice.body)
        self.show()

    @Slot()
    def on_open_clicked(self) -> None:
        if self.notice is not None:
            self.open_clicked.emit(self.notice)
        self.hide()
