"""The main window: a sidebar of pages (Inbox, Clients & projects, Sources, Settings, Dashboard) and a status bar.

Signals:
    mention_added(int): a mention was stored from this window (typed in by hand or imported).
    hidden_to_tray(): the window was closed while a tray icon keeps Rapport running.
    alerts_raised(object): mention ids that raised alerts here (typed in, imported): the app tells the user.
    alerts_changed(): alerts may have been seen here (read, linked, answered): the tray recounts.
"""
from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QListWidget, QListWidgetItem, QMainWindow,
                               QStackedWidget, QWidget)

from typing import TYPE_CHECKING

from desktop.store import alerts as alert_store
from desktop.store.db import location
from desktop.store.mentions import Filter
from desktop.ui import help_dialogs
from desktop.ui.banner import AlertBanner
from desktop.ui.inbox import InboxPage
from desktop.ui.records import RecordsPage
from desktop.ui.widgets import placeholder_label, plain_label, ui_settings

if TYPE_CHECKING:  # the dialogs (and the composer, jinja2, ingest) load when first opened, not at start-up
    from desktop.ui.dashboard_page import DashboardPage
    from desktop.io.storing import ImportResult
    from desktop.records.ingest import IngestResult

log = logging.getLogger(__name__)

PAGE_INBOX, PAGE_RECORDS, PAGE_SOURCES, PAGE_SETTINGS, PAGE_DASHBOARD = range(5)
PAGE_NAMES = ("Inbox", "Clients & projects", "Sources", "Settings", "Dashboard")
# The window must fit half a 1920 px screen (and a 1366x768 laptop): no page may ask for more than this.
FITS = (880, 560)
# An import adding more new feedback than this reloads the inbox rather than placing each row.
IMPORT_ROWS_ONE_BY_ONE = 500


class MainWindow(QMainWindow):
    """What a freelancer opens to see what clients are saying and act on it."""

    mention_added = Signal(int)
    hidden_to_tray = Signal()
    alerts_raised = Signal(object)
    alerts_changed = Signal()

    def __init__(self, conn: sqlite3.Connection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self.setWindowTitle("Rapport")
        self.inbox = InboxPage(conn)
        self.records = RecordsPage(conn)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.inbox)
        self.pages.addWidget(self.records)
        # Sources and Settings need the scheduler and the bus: the app puts them in (set_page).
        self.pages.addWidget(placeholder_label("Sources appear here once polling has started.", padding=48))
        self.pages.addWidget(placeholder_label("Settings appear here once polling has started.", padding=48))
        # The dashboard is made when first shown (`dashboard`): QtCharts and its page are not what the first
        # paint shows, and cost the start-up ~0.1 s.
        self._dashboard: DashboardPage | None = None
        self.pages.addWidget(placeholder_label("", padding=48))

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        for name in PAGE_NAMES:
            QListWidgetItem(name, self.sidebar)
        self.sidebar.setFixedWidth(160)
        self.sidebar.setIconSize(QSize(16, 16))
        self.sidebar.setStyleSheet("QListWidget#sidebar { border: none; background: palette(window); }"
                                   "QListWidget#sidebar::item { padding: 8px 10px; }")
        self.sidebar.currentRowChanged.connect(self.on_sidebar_row_changed)
        content = QWidget()
        row = QHBoxLayout(content)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.sidebar)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(content)
        # With a tray, closing the window keeps Rapport running there; the app controller decides.
        self.hide_on_close = False
        # Set when the app quits: Qt 6 closes every window first, and a close turned into a hide would cancel it.
        self.quitting = False

        # Where alerts show when the desktop has no tray: in the status bar, kept tall enough for it from the
        # start, so its arrival never moves (or covers) what the user is about to click.
        self.banner = AlertBanner()
        self.statusBar().addPermanentWidget(self.banner, 1)
        self.statusBar().setMinimumHeight(self.banner.sizeHint().height() + 4)
        self.summary_label = plain_label()
        self.statusBar().addPermanentWidget(self.summary_label)
        self.inbox.summary_changed.connect(self.summary_label.setText)
        self.inbox.add_feedback_requested.connect(self.on_add_feedback_triggered)
        self.inbox.compose_requested.connect(self.open_composer)
        self.records.records_changed.connect(self.on_records_changed)
        self.records.mention_activated.connect(self.show_mention)
        self.mention_added.connect(self.inbox.on_mention_added)
        self.inbox.mention_changed.connect(self.alerts_changed)
        # The dashboard rebuilds (in the background, coalesced) when what it counts may have changed.
        self.mention_added.connect(self.on_dashboard_data_changed)
        self.alerts_changed.connect(self.on_dashboard_data_changed)
        self.records.records_changed.connect(self.on_dashboard_data_changed)

        self._build_menus()
        self.inbox.set_compose_available(True)
        self.sidebar.setCurrentRow(PAGE_INBOX)
        self.inbox.emit_summary()
        self.resize(1280, 800)
        self._restore_state()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.add_feedback_action = QAction("&Add feedback…", self)
        self.add_feedback_action.setShortcut(QKeySequence.StandardKey.New)
        self.add_feedback_action.triggered.connect(self.on_add_feedback_triggered)
        file_menu.addAction(self.add_feedback_action)
        self.import_action = QAction("&Import feedback…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.on_import_triggered)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))  # the standard key is empty on some desktops
        self.quit_action.triggered.connect(self.on_quit_triggered)
        file_menu.addAction(self.quit_action)

        feedback_menu = self.menuBar().addMenu("F&eedback")
        for action in self.inbox.inbox_actions():
            feedback_menu.addAction(action)
            # Menu actions are window-wide; the page's own copies would make the shortcuts ambiguous.
            self.inbox.removeAction(action)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

        view_menu = self.menuBar().addMenu("&View")
        for n, name in enumerate(PAGE_NAMES):
            action = QAction(name.replace("&", "&&"), self)  # "Clients & projects", not a mnemonic
            action.setShortcut(QKeySequence(f"Ctrl+{n + 1}"))
            action.triggered.connect(lambda _checked=False, row=n: self.sidebar.setCurrentRow(row))
            view_menu.addAction(action)

        help_menu = self.menuBar().addMenu("&Help")
        for text, slot in (("&User guide", self.on_guide_triggered),
                           ("&Keyboard shortcuts", self.on_shortcuts_triggered),
                           ("&About Rapport", self.on_about_triggered)):
            action = QAction(text, self)
            action.triggered.connect(slot)
            help_menu.addAction(action)
        help_menu.actions()[0].setShortcut(QKeySequence.StandardKey.HelpContents)

    # -- state ---------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        settings = ui_settings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = settings.value("inbox/splitter")
        if splitter is not None:
            self.inbox.splitter.restoreState(splitter)

    def save_state(self) -> None:
        settings = ui_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("inbox/splitter", self.inbox.splitter.saveState())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the window leaves the page as surely as switching pages does: unsaved settings ask first.
        # Quitting (File > Quit, the tray, a signal) never waits on a question: quit means quit.
        confirm = getattr(self.pages.currentWidget(), "confirm_leave", None)
        if not self.quitting and self.isVisible() and confirm is not None and not confirm():
            event.ignore()  # "Stay here": the window stays open with the edits
            return
        self.save_state()
        if self.hide_on_close and not self.quitting:
            event.ignore()
            self.hide()
            self.hidden_to_tray.emit()
            return
        super().closeEvent(event)

    @Slot()
    def on_quit_triggered(self) -> None:
        """File > Quit (Ctrl+Q): quit for real, tray or not."""
        self.quitting = True
        QApplication.quit()

    # -- help ----------------------------------------------------------------------------------
    @Slot()
    def on_guide_triggered(self) -> None:
        help_dialogs.open_guide(self)

    @Slot()
    def on_shortcuts_triggered(self) -> None:
        dialog = help_dialogs.ShortcutsDialog(self.findChildren(QAction), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot()
    def on_about_triggered(self) -> None:
        help_dialogs.show_about(self, location(self._conn))

    def set_page(self, index: int, page: QWidget) -> None:
        """Put a screen in a sidebar slot (the app fills Sources and Settings once it has a scheduler)."""
        old = self.pages.widget(index)
        self.pages.insertWidget(index, page)
        self.pages.removeWidget(old)
        old.deleteLater()
        self.pages.setCurrentIndex(self.sidebar.currentRow())

    @property
    def dashboard(self) -> DashboardPage:
        """The Dashboard page, made on first use (its sidebar row chosen, or asked for here)."""
        if self._dashboard is None:
            from desktop.ui.dashboard_page import DashboardPage

            self._dashboard = DashboardPage(self._conn)
            self._dashboard.inbox_requested.connect(self.show_inbox)  # a clicked bar: exactly those mentions
            self.set_page(PAGE_DASHBOARD, self._dashboard)
        return self._dashboard

    @Slot()
    @Slot(int)
    @Slot(object)
    def on_dashboard_data_changed(self, *_args: object) -> None:
        """What the dashboard counts may have changed: it refreshes if it was made (one made later reads fresh)."""
        if self._dashboard is not None:
            self._dashboard.on_store_changed()

    def shutdown_dashboard(self) -> None:
        """Stop the dashboard's reads and report (the store is going away), if it was made."""
        if self._dashboard is not None:
            self._dashboard.shutdown()

    def reading(self) -> bool:
        """Whether a page still waits for the store's answer to something it asked (tests, benchmarks)."""
        pages = [self.pages.widget(i) for i in range(self.pages.count())]
        return any(getattr(page, "reading", lambda: False)() for page in pages)

    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    # -- navigation ----------------------------------------------------------------------------
    @Slot(int)
    def on_sidebar_row_changed(self, row: int) -> None:
        leaving = self.pages.currentWidget()
        confirm = getattr(leaving, "confirm_leave", None)
        if row != self.pages.currentIndex() and confirm is not None:
            with QSignalBlocker(self.sidebar):  # while asking, the sidebar still says where we are
                self.sidebar.setCurrentRow(self.pages.currentIndex())
            if not confirm():
                return  # stay: the page keeps its edits
            with QSignalBlocker(self.sidebar):
                self.sidebar.setCurrentRow(row)
        if row == PAGE_DASHBOARD:
            self.dashboard  # noqa: B018 - made on first visit
        self.pages.setCurrentIndex(row)
        on_inbox = row == PAGE_INBOX
        for action in self.inbox.inbox_actions():
            action.setEnabled(on_inbox)
        if on_inbox:
            self.inbox.view.setFocus()
        elif row == PAGE_RECORDS:
            # Feedback may have arrived or been linked since: show the record as it is now.
            self.records.reload(select=self.records.selected())

    @Slot(int)
    def show_mention(self, mention_id: int, then: Callable[[bool], None] | None = None) -> None:
        """Bring a mention up in the inbox (from a notification or a record page); clears filters if they hide it.
        The rows up to it are read in the background; `then(found)` once it is selected (or known gone)."""
        self.sidebar.setCurrentRow(PAGE_INBOX)

        def done(found: bool) -> None:
            if not found:
                self.statusBar().showMessage("That feedback is no longer in the store.", 5000)
            if then is not None:
                then(found)

        def first_try(found: bool) -> None:
            if found:
                done(True)
                return
            self.inbox.apply_filter(Filter())
            self.inbox.select_mention(mention_id, done)

        self.inbox.select_mention(mention_id, first_try)

    def show_inbox(self, flt: Filter = Filter()) -> None:
        """Open the inbox on a filter (e.g. unread alerts, from the tray)."""
        self.sidebar.setCurrentRow(PAGE_INBOX)
        self.inbox.apply_filter(flt)

    # -- actions -------------------------------------------------------------------------------
    @Slot()
    def on_add_feedback_triggered(self) -> None:
        from desktop.ui.feedback_dialog import FeedbackDialog

        dialog = FeedbackDialog(self._conn, self)
        dialog.saved.connect(self.on_feedback_saved)
        dialog.exec()
        dialog.deleteLater()  # with its reader's and writer's connections

    @Slot(object)
    def on_feedback_saved(self, result: IngestResult) -> None:
        self.mention_added.emit(result.mention_id)
        if result.alert_id:
            self.alerts_raised.emit([result.mention_id])
        self.show_mention(result.mention_id)
        alert = " — alert raised" if result.alert_id else ""
        self.statusBar().showMessage(f"Feedback added ({result.label}){alert}.", 8000)

    @Slot()
    def on_import_triggered(self) -> None:
        from desktop.ui.import_dialog import ImportDialog

        dialog = ImportDialog(self._conn, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(self.on_feedback_imported)
        self.import_dialog = dialog
        dialog.open()  # window-modal without a nested event loop, like the composer
        dialog.choose_file()

    @Slot(object)
    def on_feedback_imported(self, result: ImportResult) -> None:
        if len(result.mention_ids) <= IMPORT_ROWS_ONE_BY_ONE:
            for mention_id in result.mention_ids:
                self.mention_added.emit(mention_id)
        else:  # placing thousands of rows one at a time would freeze the window; the first page is enough
            self.inbox.model.refresh()
            self.inbox.emit_summary()
        if result.alerts:
            ids = list(result.mention_ids)
            self.inbox.reader.read(("alerted", id(result)), lambda conn: alert_store.alerted_among(conn, ids),
                                   self.alerts_raised.emit)
        self.statusBar().showMessage(f"Import: {result.summary()}.", 10000)

    @Slot()
    def on_records_changed(self) -> None:
        self.inbox.reload_choices()
        self.inbox.model.refresh()  # names and links shown in the rows may have changed
        self.inbox.emit_summary()

    @Slot(int)
    def open_composer(self, mention_id: int) -> None:
        """Open the guided response composer for a mention (from the inbox, a notification or the banner)."""
        from desktop.ui.composer_dialog import read_opening

        self.inbox.reader.read(("composer", mention_id), lambda conn: read_opening(conn, mention_id),
                               lambda opening: self._show_composer(mention_id, opening))

    def _show_composer(self, mention_id: int, opening: object) -> None:
        from desktop.ui.composer_dialog import ComposerDialog

        dialog = ComposerDialog(self._conn, mention_id, self, opening=opening)  # type: ignore[arg-type]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self.inbox.model.update_mention(mention_id))
        dialog.posted.connect(self.on_composer_posted)
        self.composer = dialog
        dialog.open()  # window-modal without a nested event loop: polls and alerts keep flowing

    @Slot(int)
    def on_composer_posted(self, mention_id: int) -> None:
        self.inbox.model.update_mention(mention_id)
        self.alerts_changed.emit()
        self.statusBar().showMessage("Marked as posted: the review is answered.", 8000)
