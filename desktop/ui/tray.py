"""Rapport in the system tray: an icon that shows whether alerts wait, a menu, and the notifications."""
from __future__ import annotations

import html
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from desktop.shell.notify import Notice
from desktop.ui.icons import app_icon

MESSAGE_MS = 10_000
# Qt's own balloon points at the icon's place in the tray; until the tray host has placed the icon (just after
# start-up) it has none and the balloon lands in the screen's corner, so the message waits for it, this often.
PLACED_RETRY_MS = 100
PLACED_RETRIES = 30


def uses_notification_server() -> bool:
    """Whether Qt hands tray messages to the desktop's notification server over D-Bus.

    Qt does so on Linux when a StatusNotifierWatcher is registered on the session bus (KDE, GNOME with
    the AppIndicator extension, ...); otherwise it draws its own balloon, which shows plain text.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        from PySide6.QtDBus import QDBusConnection
    except ImportError:
        return False
    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return False
    reply = bus.interface().isServiceRegistered("org.kde.StatusNotifierWatcher")
    return bool(reply.value()) if reply.isValid() else False


def notification_text(text: str, *, markup: bool) -> str:
    """Notification text as the platform will show it literally.

    Notification servers with the "body-markup" capability read the body as markup: escape it there, so
    `<b>` or `<img onerror>` in a review is shown, never interpreted. Qt's own balloon is plain text.
    """
    return html.escape(text, quote=False) if markup else text


class Tray(QObject):
    """The tray icon and its menu; the app controller decides what the actions do.

    Signals:
        open_requested(): show the main window (icon clicked, or "Open").
        poll_now_requested(): poll every source now.
        pause_toggled(bool): pause (True) or resume (False) automatic polling.
        quit_requested(): quit Rapport for real.
        message_clicked(object): the user clicked the last message: the Notice it showed, or None for a hint
            (which is about Rapport itself, not a review).
    """

    open_requested = Signal()
    poll_now_requested = Signal()
    pause_toggled = Signal(bool)
    quit_requested = Signal()
    message_clicked = Signal(object)

    def __init__(self, is_paused: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._is_paused = is_paused
        self._normal = app_icon()
        self._alert = app_icon(alert=True)
        self.icon = QSystemTrayIcon(self._normal, self)
        self.menu = QMenu()  # a widget cannot be this QObject's child: deleted with it instead (on the GUI thread)
        self.destroyed.connect(self.menu.deleteLater)
        self.menu.aboutToShow.connect(self.on_menu_about_to_show)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self.on_icon_activated)
        self.icon.messageClicked.connect(self.on_message_clicked)
        self.unseen = 0
        self.shown: Notice | None = None  # what the message on screen is about; None for a hint
        self._pending: tuple[str, str, object, Notice | None] | None = None
        self._tries = 0
        self.place_retries = PLACED_RETRIES
        self._place_timer = QTimer(self, singleShot=True, interval=PLACED_RETRY_MS)
        self._place_timer.timeout.connect(self.on_place_timer_timeout)
        self.markup_messages = uses_notification_server()
        self.set_alert_state(0)
        self.on_menu_about_to_show()

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def set_alert_state(self, unseen: int) -> None:
        """Show whether negative feedback waits to be read, in the icon and its tooltip."""
        self.unseen = unseen
        self.icon.setIcon(self._alert if unseen else self._normal)
        word = "review" if unseen == 1 else "reviews"
        self.icon.setToolTip(f"Rapport: {unseen} unseen negative {word}" if unseen else "Rapport: all quiet")

    def show_notice(self, notice: Notice) -> None:
        self._show(notification_text(notice.title, markup=self.markup_messages),
                   notification_text(notice.body, markup=self.markup_messages), QIcon(self._alert), notice)

    def show_hint(self, title: str, text: str) -> None:
        self._show(title, text, QSystemTrayIcon.MessageIcon.Information, None)

    def placed(self) -> bool:
        """Whether the tray host has given the icon its place (a notification server does not need one)."""
        if self.markup_messages:
            return True
        # Before the host embeds it, the icon reports no size, or its own window's place at the screen's origin.
        place = self.icon.geometry()
        return not place.isEmpty() and (place.x(), place.y()) != (0, 0)

    def _show(self, title: str, body: str, icon: object, notice: Notice | None) -> None:
        self._pending = (title, body, icon, notice)
        self._tries = 0
        self.on_place_timer_timeout()

    @Slot()
    def on_place_timer_timeout(self) -> None:
        if self._pending is None:
            return
        if not self.placed() and self._tries < self.place_retries:
            self._tries += 1
            self._place_timer.start()
            return
        title, body, icon, notice = self._pending
        self._pending = None
        self.shown = notice
        self.icon.showMessage(title, body, icon, MESSAGE_MS)  # type: ignore[arg-type]

    @property
    def waiting(self) -> bool:
        """Whether a message waits for the icon to be placed."""
        return self._pending is not None

    @Slot()
    def on_message_clicked(self) -> None:
        self.message_clicked.emit(self.shown)

    @Slot()
    def on_menu_about_to_show(self) -> None:
        """Rebuilt on every open, so "Pause" or "Resume" always says what it will do now."""
        self.menu.clear()
        self._add("Open Rapport", self.open_requested.emit)
        self._add("Poll now", self.poll_now_requested.emit)
        paused = self._is_paused()
        self._add("Resume polling" if paused else "Pause polling", lambda: self.pause_toggled.emit(not paused))
        self.menu.addSeparator()
        self._add("Quit", self.quit_requested.emit)

    def _add(self, text: str, slot: Callable[[], None]) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(slot)
        return action

    @Slot(QSystemTrayIcon.ActivationReason)
    def on_icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()
