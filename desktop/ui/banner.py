"""The in-app alert banner: where notifications go when the desktop has no system tray.

It lives in the status bar, whose height is kept for it from the start: an alert arriving never moves
the page under the user's pointer, and never covers a button on it.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from desktop.shell.notify import Notice
from desktop.text import one_line
from desktop.ui.widgets import plain_label


class AlertBanner(QFrame):
    """One line in the status bar: the last notice as plain text (cut to fit, whole in the tooltip),
    with Open and Dismiss.

    Signals:
        open_clicked(object): the user wants to see what the Notice is about.
    """

    open_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self.setStyleSheet("QFrame#alertBanner { background: #fdecea; border: 1px solid #e8a29a; border-radius: 4px; }"
                           "QFrame#alertBanner QLabel { color: #7a1d14; }")
        self.notice: Notice | None = None
        self.title_label: QLabel = plain_label()
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.body_label: QLabel = plain_label()
        # The body gives way (cut with an ellipsis) so the banner never widens the window.
        self.body_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.open_button = QPushButton("Open")
        self.open_button.clicked.connect(self.on_open_clicked)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 1, 4, 1)
        row.addWidget(self.title_label)
        row.addSpacing(6)
        row.addWidget(self.body_label, 1)
        row.addWidget(self.open_button)
        row.addWidget(self.dismiss_button)
        self.hide()

    def show_notice(self, notice: Notice) -> None:
        self.notice = notice
        self.title_label.setText(notice.title)
        self.setToolTip(f"{notice.title}\n{notice.body}")
        self._fit_body()
        self.show()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_body()

    def _fit_body(self) -> None:
        if self.notice is None:
            return
        self.body_label.setText(self.body_label.fontMetrics().elidedText(
            one_line(self.notice.body, 400), Qt.TextElideMode.ElideRight, max(40, self.body_label.width())))

    @Slot()
    def on_open_clicked(self) -> None:
        if self.notice is not None:
            self.open_clicked.emit(self.notice)
        self.hide()
