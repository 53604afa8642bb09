"""QApplication start-up: wires store, bus, scheduler, notifier, tray (or banner) and window.

One instance per store (a second launch raises the first window). With a tray, closing the window
keeps Rapport watching in the tray; without one, alerts show in an in-app banner and closing quits.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import itertools
import logging
import os
import signal
import socket
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import paths
from desktop.shell.events import EventBus
from desktop.shell.first_paint import FirstPaint
from desktop.shell.notify import Notice, Notifier, info_for
from desktop.shell.background import finish_background
from desktop.shell.reader import StoreReader, hold_until_painted, release_held
from desktop.shell.writer import StoreWriter, delete_now, unheard_failures
from desktop.shell.store_switch import OldStore, StoreOpener
from desktop.shell.team_updates import TeamUpdates
from desktop.polling.scheduler import Scheduler
from desktop.store import StoreError
from desktop.store import alerts as alert_store
from desktop.store import settings as settings_store
from desktop.store.clock import Clock, utc_now
from desktop.store.db import Target, close_quietly, is_team
from desktop.store.mentions import Filter
from desktop.ui.main_window import PAGE_SETTINGS, PAGE_SOURCES, MainWindow
from desktop.ui.poll_status import PollStatus
from desktop.ui.settings_page import SettingsPage
from desktop.ui.sources_page import SourcesPage
from desktop.ui.store_writes import say_not_written
from desktop.ui.team_status import TeamStatus
from desktop.ui.tray import Tray
from scrapers.guard import mark_gui_thread

log = logging.getLogger(__name__)


def read_startup_alerts(conn: Any) -> list[Any]:
    """What the start-up summary says of each alert unseen at start-up (one query, however many wait), made in the
    reader's thread: after weeks away there are tens of thousands, too many to go through on the GUI thread."""
    return [info_for(m) for m in alert_store.unseen_mentions(conn, alert_store.last_id(conn))]

GIL_SWITCH_S = 0.001

RELEASE_HELD_MS = 60_000
# Quit lets a running poll stop cleanly for this long; the process ends within a second regardless.
QUIT_WAIT_MS = 700
TRAY_HINT_KEY = "tray_hint_shown"


class RapportApp(QObject):
    """Everything the running app is made of, connected once."""

    store_switched = Signal(object)  # the target the window now runs on (Settings > Team, applied live)
    first_painted = Signal()  # the window has painted (or was started in the tray): what waited for it may run
    store_switch_failed = Signal(object, str)  # the target that could not be opened, and why
    old_store_closed = Signal()  # what ran on the store the window left has ended, its connection closed
    _old_store_ended = Signal(object)  # from the thread that waited for it (queued to the GUI thread)

    def __init__(self, conn: sqlite3.Connection, db_path: Path, *, clock: Clock = utc_now,
                 use_tray: bool | None = None, scheduler_options: dict[str, Any] | None = None,
                 follows_team_setting: bool = False, claim: Callable[[Target], str | None] | None = None,
                 paint_first: bool = False, parent: QObject | None = None) -> None:
        """`follows_team_setting`: the store came from Settings > Team or the default (not --db or RAPPORT_DB),
        so saving another team address there switches this window to it. `claim(target)` takes this desktop's
        one-Rapport-per-store lock for a store switched to (None when taken, else why not). `paint_first`: hold
        the reads of what the first paint does not show until it has happened (`rapport` itself)."""
        super().__init__(parent)
        if paint_first:
            hold_until_painted()
        self.clock = clock
        self._scheduler_options = scheduler_options or {}
        self.follows_team_setting = follows_team_setting
        self._claim = claim
        self.notifier = Notifier(clock=clock)
        self.tray: Tray | None = None
        self.opener = StoreOpener(self)
        self.opener.opened.connect(self.on_store_opened)
        self.opener.failed.connect(self.on_store_open_failed)
        self._letting_go: list[OldStore] = []  # stores the window left whose last work still runs
        self._old_store_ended.connect(self._on_old_store_ended)
        # A write whose dialog was closed before it landed (the dialog did not wait for it) still says its failure.
        unheard_failures().failed.connect(self.on_unheard_write_failed)
        self._hears_unheard = True
        self._frozen_after_poll = False
        self._assemble(conn, db_path)
        if use_tray if use_tray is not None else Tray.available():
            # Kept across store switches: it asks for the scheduler and window of the moment.
            self.tray = Tray(lambda: self.scheduler.paused, self)
            self.tray.open_requested.connect(lambda: self.window.bring_to_front())
            self.tray.poll_now_requested.connect(lambda: self.scheduler.poll_now())
            self.tray.pause_toggled.connect(self.on_tray_pause_toggled)
            self.tray.quit_requested.connect(self.quit)
            self.tray.message_clicked.connect(self.on_tray_message_clicked)
            self._close_to_tray()
        self.stopped_cleanly = True
        self._first_paint: FirstPaint | None = None
        self._reads = itertools.count(1)
        self._hint_shown = False
        self._release_timer = QTimer(self, interval=RELEASE_HELD_MS)
        self._release_timer.timeout.connect(self.on_release_timer_timeout)

    def _assemble(self, conn: sqlite3.Connection, db_path: Target) -> None:
        """Everything that runs on one store: its bus, scheduler, team listener and window, connected."""
        self.conn = conn
        self.db_path = db_path
        self.bus = EventBus(self)
        self.scheduler = Scheduler(conn, db_path, self.bus, clock=self.clock, parent=self, **self._scheduler_options)
        self.team_updates = TeamUpdates(db_path, self.bus, self)  # teammates' new records (team mode only)
        # The app's own reads (settings, alerts for the tray): in order, off the GUI thread.
        self.reader = StoreReader(conn, self)
        self.writer = StoreWriter(conn, self)  # the app's own writes (an alert seen from a notification, the hint)
        self.reader.read("settings", settings_store.all_settings, self.notifier.configure)
        self.window = MainWindow(conn)
        self._install_pages()
        if self.tray is not None:
            self._close_to_tray()
        self.window.banner.open_clicked.connect(self.open_notice)

        # A poll's new mentions reach the inbox a page at a time (one query), not one by one.
        self.bus.mentions_added.connect(self.window.inbox.on_mentions_added)
        # What the window does to alerts (typed-in or imported feedback, read, linked, answered) goes through the
        # bus like a poll's results, and the tray recounts from the store on each.
        self.window.alerts_raised.connect(self.bus.alerts_raised)
        self.window.alerts_changed.connect(self.bus.alerts_changed)
        self.bus.alerts_raised.connect(self.on_alerts_raised)
        self.bus.alerts_changed.connect(self.on_alerts_changed)
        self.bus.poll_finished.connect(self.on_poll_finished)
        self.bus.source_polled.connect(self.on_source_polled)
        self.bus.mentions_added.connect(self.window.on_dashboard_data_changed)
        self.bus.poll_finished.connect(self.window.on_dashboard_data_changed)
        self.bus.settings_changed.connect(self.on_settings_changed)
        self.team_updates.assignments_changed.connect(self.on_assignments_changed)
        # A teammate's answers, drafts, alerts and assignments change the dashboard's figures (unanswered, time
        # to answer, recovered) as this desktop's own do.
        self.team_updates.changed.connect(self.window.on_dashboard_data_changed)

    @Slot(str, object)
    def on_unheard_write_failed(self, what: str, exc: BaseException) -> None:
        try:
            say_not_written(self.window, what, exc)
        except RuntimeError:  # the window went (an app being torn down without shutdown()): the log has it
            log.warning("could not %s: %s", what, exc)

    def reading(self) -> bool:
        """Whether the app or its window still waits for the store (tests, benchmarks)."""
        return self.reader.busy or self.writer.busy or self.window.reading() or self.scheduler.reading()

    def _close_to_tray(self) -> None:
        self.window.hide_on_close = True
        self.window.hidden_to_tray.connect(self.on_window_hidden_to_tray)

    def _install_pages(self) -> None:
        """The screens that need the scheduler: Sources, Settings, and poll progress in the status bar."""
        self.window.set_page(PAGE_SOURCES, SourcesPage(self.conn, self.bus, self.scheduler))
        self.settings_page = SettingsPage(self.conn, self.bus)
        self.settings_page.team.saved.connect(self.on_team_saved)
        self.window.set_page(PAGE_SETTINGS, self.settings_page)
        self.poll_status = PollStatus(self.bus, self.scheduler)
        self.window.statusBar().addPermanentWidget(self.poll_status)
        # Team mode: "Team: connected as Alex · Polling: Sam's desktop" (hidden on a single user's store).
        self.team_status = TeamStatus(self.db_path, lambda: self.scheduler.role.held)
        self.window.statusBar().addPermanentWidget(self.team_status)

    def start(self, *, minimized: bool = False) -> None:
        mark_gui_thread()
        # A thread waiting for the interpreter gets it after at most this long (CPython's default: 5 ms). A
        # repaint calls into Python a few hundred times, each possibly waiting behind a poll thread's parsing
        # or scoring: at 1 ms a table's repaint beside a busy thread took ~40 ms instead of ~60 (measured).
        sys.setswitchinterval(GIL_SWITCH_S)
        if self.tray is not None:
            self.tray.show()
        # Paint first: the alert summary and the first poll wait for the window's first paint. The summary is
        # of the alerts waiting now, not of ones a poll raises meanwhile (those get their own message): read
        # while the window paints, as the first poll starts only after it.
        self._startup_alerts: list[Any] | None = None
        self._painted = False
        self.reader.read("startup", read_startup_alerts, self._on_startup_alerts)
        self._first_paint = FirstPaint(self.window, self._after_first_paint)
        if not (minimized and self.tray is not None):
            self.window.show()
        else:
            self._first_paint.fire()

    def _on_startup_alerts(self, unseen: list[Any]) -> None:
        self._startup_alerts = unseen
        self._present_startup_alerts()

    def _present_startup_alerts(self) -> None:
        if self._painted and self._startup_alerts is not None:
            unseen, self._startup_alerts, self._painted = self._startup_alerts, None, False  # once
            self._present(self.notifier.on_startup(unseen))

    def _after_first_paint(self) -> None:
        release_held()
        # What start-up made (modules, the window, its pages) lives as long as the app: kept out of the garbage
        # collector's full passes from now on. Why: a full pass walks every object the process tracks (~55,000
        # here) with the interpreter lock held, 45-90 ms on a 2-core machine, and whichever thread set it off
        # (a poll thread, mostly), the GUI thread waited that long (the bench's BENCH_PROFILE=sched counted a
        # 55 ms event-loop stall that was 52 ms of one). Reference counting still frees these objects; only a
        # cycle among them is left uncollected until `tear_down` thaws them.
        gc.freeze()
        self._painted = True
        self._refresh_alert_state()
        self._present_startup_alerts()
        self._release_timer.start()
        self._start_store()
        self.first_painted.emit()

    def _start_store(self) -> None:
        """Polling, the team's updates and the team status, on the store the window runs on."""
        self.scheduler.start()
        self.team_updates.start()
        self.team_status.start()

    def _stop_store(self, wait_ms: int) -> bool:
        """Stop what runs on the current store (the poller lock and the listener go with it)."""
        self.window.shutdown_dashboard()
        self.team_updates.stop()
        self.team_status.shutdown()
        return self.scheduler.shutdown(wait_ms)

    # -- switching stores (Settings > Team, applied live) ------------------------------------------
    @Slot()
    def on_team_saved(self) -> None:
        """Settings > Team saved an address: connect this window to it now, unless --db or RAPPORT_DB chose the
        store (they come first, and the page says so)."""
        if not self.follows_team_setting:
            return
        try:
            target = paths.db_target(None)
        except StoreError as exc:
            self.on_store_open_failed(None, str(exc))
            return
        if str(target) == str(self.db_path):
            return
        if self.opener.open(target, create_folder=not is_team(target) and paths.is_default_db(None)):
            self.settings_page.team.show_switching(str(target))

    @Slot(object, object)
    def on_store_opened(self, target: Target, conn: Any) -> None:
        """Swap the opened store in: stop polling and listening on the old one (its poller lock is released),
        rebuild the window on the new one where the old one was, then close the old connection."""
        refused = self._claim(target) if self._claim is not None else None
        if refused:
            close_quietly(conn)
            self.on_store_open_failed(target, refused)
            return
        old = OldStore(self.conn, self.window, self.bus, self.scheduler, self.team_updates, self.team_status,
                        self.reader, self.writer)
        visible = old.window.isVisible()
        if self._first_paint is not None:  # it belongs to the old window; what it waited for starts below
            self._first_paint.cancel()
            release_held()
            self._first_paint = None
            self._release_timer.start()
        old.stop()
        old.window.save_state()  # the new window opens where this one was
        self._assemble(conn, target)
        self.window.sidebar.setCurrentRow(PAGE_SETTINGS)
        if visible:
            self.window.show()  # before the old one closes: closing the last window may quit the app
        old.window.quitting = True
        old.window.close()  # hidden; deleted once what ran on its store has ended
        self._refresh_alert_state()
        self._start_store()
        log.info("switched to the store %s", target)
        self._letting_go.append(old)
        self.settings_page.team.show_switched(letting_go=True)
        old.finish_in_background(self._old_store_ended, QUIT_WAIT_MS)  # emitted from its thread: queued to this one
        self.store_switched.emit(target)

    @Slot(object)
    def _on_old_store_ended(self, old: OldStore) -> None:
        """What ran on a store the window left has ended: its parts and connection go now, on the GUI thread."""
        if old not in self._letting_go:
            return  # shut down meanwhile: done there
        self._letting_go.remove(old)
        self.stopped_cleanly = old.stopped_cleanly
        old.delete()
        if not self._letting_go:
            self.settings_page.team.show_switched()
        self.old_store_closed.emit()

    @Slot(object, str)
    def on_store_open_failed(self, target: Target | None, message: str) -> None:
        """Nothing changes: the window keeps its store, and Settings > Team says why."""
        log.warning("stayed on %s: could not switch to %s: %s", self.db_path, target, message)
        self.settings_page.team.show_switch_failed(message)
        self.store_switch_failed.emit(target, message)

    @Slot()
    def quit(self) -> None:
        """Quit for real (tray menu, File > Quit): the window's close must not turn into a hide."""
        self.window.quitting = True
        QApplication.quit()

    def shutdown(self, wait_ms: int = -1) -> None:
        """Stop polling (waiting up to `wait_ms` for a running poll to stop; -1 waits for it) and leave the tray."""
        if self._first_paint is not None:
            self._first_paint.cancel()
        self._release_timer.stop()
        release_held()  # reads held for a first paint that will not come
        if self._hears_unheard:
            self._hears_unheard = False
            unheard_failures().failed.disconnect(self.on_unheard_write_failed)
        self.opener.shutdown()
        self.reader.shutdown()
        self.writer.shutdown()
        finish_background()  # a store the window left, still letting go: quitting waits for it as for its own
        for old in self._letting_go:
            old.delete()
        self._letting_go.clear()
        self.stopped_cleanly = self._stop_store(wait_ms)
        if not self.stopped_cleanly:
            log.warning("a check was still running %d ms after quitting; not waiting for it", wait_ms)
        if self.tray is not None:
            self.tray.hide()

    def tear_down(self) -> None:
        """Shut down, then delete the window and the app's Qt objects now, on the GUI thread, and collect what they
        leave (a process that goes on after the app: tests, the benchmarks; `rapport` itself just exits).

        Why: the app is held in reference cycles that pass through Qt (a status-bar widget's callback holds the app,
        the window holds the widget), which Python's cyclic garbage collector frees only when it next runs, on
        whatever thread allocates then: a later window's reading thread would delete the app's QObjects (timers,
        thread pools, jobs' signal objects) from there, and a QObject deleted outside its own thread can crash the
        process (the benchmarks' SIGSEGV entering the case after the GUI-stall case). Not from one of its slots."""
        self.shutdown()
        window = self.window
        window.quitting = True
        window.close()
        # The window (its pages' readers leave their lanes: the last one ends the lane's thread) and the app (the
        # scheduler, readers, writers, bus and tray with it), now; then the pages' writers' writes and connections.
        delete_now(window, self)
        self.__dict__.clear()  # the parts' Python sides, so the collection below frees every cycle they are in
        gc.unfreeze()  # what the first paint froze (see _after_first_paint) is collected again
        gc.collect()  # what the cycles held (jobs' signal objects among them) is freed here, on this thread

    # -- alerts ------------------------------------------------------------------------------------
    @Slot(object)
    def on_source_polled(self, _result: object) -> None:
        """The first poll has loaded what polling needs (requests, the runner, sessions): as long-lived as start-up's
        objects, so out of the collector's full passes too (see _after_first_paint), before the round goes on. Once:
        what later polls leave in cycles stays collectable."""
        if not self._frozen_after_poll:
            self._frozen_after_poll = True
            gc.freeze()

    @Slot(object)
    def on_poll_finished(self, results: list) -> None:
        self.on_alerts_raised([m for r in results for _alert, m in getattr(r, "alerted", ())])

    @Slot(object)
    def on_alerts_raised(self, mention_ids: list[int]) -> None:
        ids = list(mention_ids)

        def present(found: list[Any]) -> None:
            self._present(self.notifier.on_alerts([info_for(m) for m in found]))

        # One query, not one per alert; in the background, answered in the order raised.
        self.reader.read(("raised", next(self._reads)), lambda conn: alert_store.alerted_mentions(conn, ids), present)
        self._refresh_alert_state()

    @Slot(object)
    def on_assignments_changed(self, mention_ids: list[int]) -> None:
        """A teammate (re)assigned these alerts: their rows, the reading pane and "Assigned to me" follow."""
        self.window.inbox.refresh_mentions(mention_ids)

    @Slot()
    def on_alerts_changed(self) -> None:
        self._refresh_alert_state()

    @Slot()
    def on_release_timer_timeout(self) -> None:
        self._present(self.notifier.release_due())

    def _present(self, notice: Notice | None) -> None:
        if notice is None:
            return
        if self.tray is not None:
            self.tray.show_notice(notice)
        else:
            self.window.banner.show_notice(notice)

    def _refresh_alert_state(self) -> None:
        """The badge and tooltip from the store, never from a count kept here."""
        if self.tray is not None:
            self.reader.read("badge", alert_store.unseen_count, self.tray.set_alert_state)

    @Slot(object)
    def on_tray_message_clicked(self, notice: Notice | None) -> None:
        """A message opens what it was about; a hint (about Rapport itself) just shows the window."""
        if notice is None:
            self.window.bring_to_front()
        else:
            self.open_notice(notice)

    @Slot(object)
    def open_notice(self, notice: Notice) -> None:
        """A single review opens in the composer; a summary opens the inbox on unread negatives."""
        self.window.bring_to_front()
        if notice.mention_id is not None:
            self.window.show_mention(notice.mention_id)
            mention_id, at = notice.mention_id, self.clock()
            # Busy behind a check, or a lost team database: the alert is marked seen when it is read.
            self.writer.write(lambda conn: alert_store.mark_seen(conn, [mention_id], at),
                              what=f"mark the alert on mention {mention_id} seen",
                              done=lambda _: self._refresh_alert_state())
            self.window.open_composer(notice.mention_id)
        else:
            self.window.show_inbox(Filter(unread=True, alerted=True))

    # -- tray and settings ---------------------------------------------------------------------------
    @Slot(bool)
    def on_tray_pause_toggled(self, pause: bool) -> None:
        if pause:
            self.scheduler.pause()
        else:
            self.scheduler.resume()

    @Slot()
    def on_window_hidden_to_tray(self) -> None:
        """Say once that closing the window keeps Rapport watching."""
        if self.tray is None or self._hint_shown:
            return
        self._hint_shown = True
        self.reader.read("hint", lambda conn: settings_store.get(conn, TRAY_HINT_KEY), self._hint_once)

    def _hint_once(self, shown_before: object) -> None:
        if shown_before or self.tray is None:
            return
        self.tray.show_hint("Rapport is still watching",
                            "Rapport keeps checking your reviews from the tray. Use Quit in its menu to stop it.")
        self.writer.write(lambda conn: settings_store.put(conn, **{TRAY_HINT_KEY: True}), what="note the tray hint")

    @Slot()
    def on_settings_changed(self) -> None:
        self.reader.read("settings", settings_store.all_settings, self._apply_settings)

    def _apply_settings(self, values: dict[str, Any]) -> None:
        self.notifier.configure(values)
        self.scheduler.set_host_gap(float(values["host_gap_s"]))


def _fail_to_start(message: str) -> int:
    log.error("cannot start: %s", message)
    print(f"rapport: {message}", file=sys.stderr)
    box = QMessageBox(QMessageBox.Icon.Critical, "Rapport cannot start", message, QMessageBox.StandardButton.Ok)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
    return 2


def qt_application() -> QApplication:
    from desktop.ui.icons import app_icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Rapport")
    app.setOrganizationName("Rapport")
    app.setDesktopFileName("rapport")
    app.setWindowIcon(app_icon())
    return app  # type: ignore[return-value]


def run_app(args: argparse.Namespace, *, db_path: Path | None = None, on_started=None,  # noqa: ANN001
            on_exit=None) -> int:  # noqa: ANN001
    """Run the GUI on the store named by --db / RAPPORT_DB / the default (or `db_path`).

    Once the window has run, this ends the process itself (after `on_exit`, the caller's clean-up): it
    returns only when the app could not start.
    """
    from desktop.shell.logs import quiet_terminal_for_gui, setup_file_logging
    from desktop.shell.single_instance import SingleInstance
    from desktop.store import StoreError, connect
    from desktop.store.db import GUI_BUSY_TIMEOUT_MS

    setup_file_logging()
    quiet_terminal_for_gui()
    app = qt_application()
    try:
        db = db_path or paths.db_target(getattr(args, "db", None))
    except StoreError as exc:  # Settings > Team's saved file cannot be read
        return _fail_to_start(str(exc))
    single = SingleInstance(db, paths.data_dir() / "locks")
    if not single.acquire(listen=False):  # it listens for second launches once the window has painted
        print("rapport: Rapport is already running on this store; its window was brought to the front.")
        return 0
    create_folder = db_path is None and paths.is_default_db(getattr(args, "db", None))
    if is_team(db):  # connected in the background while a window says so (desktop/shell/team_connecting.py)
        from desktop.shell.team_connecting import Choice, connect_at_startup

        choice, conn = connect_at_startup(db)
        if choice is Choice.QUIT:
            single.release()
            return 0
        if choice is Choice.OWN_STORE:
            single.release()
            db, create_folder = paths.own_db_path(), True
            single = SingleInstance(db, paths.data_dir() / "locks")
            if not single.acquire():
                print("rapport: Rapport is already running on this desktop's own store; its window was brought to "
                      "the front.")
                return 0
    if not is_team(db):  # a local file: opened here, quicker than showing anything first
        try:
            conn = connect(db, busy_timeout_ms=GUI_BUSY_TIMEOUT_MS, create_folder=create_folder)
        except StoreError as exc:
            single.release()
            return _fail_to_start(str(exc))
    held = {"lock": single}

    def claim(target: Target) -> str | None:
        """This desktop's lock moves to a store switched to in Settings > Team (another Rapport here on it: no)."""
        lock = SingleInstance(target, paths.data_dir() / "locks")
        if not lock.acquire():
            return "another Rapport on this computer already runs on that store (its window was brought to the front)"
        held["lock"].release()
        held["lock"] = lock
        lock.wake_requested.connect(lambda: rapport.window.bring_to_front())
        return None

    explicit = getattr(args, "db", None) or os.environ.get(paths.DB_ENV)
    rapport = RapportApp(conn, db, follows_team_setting=db_path is None and not explicit, claim=claim,
                         paint_first=True)
    single.wake_requested.connect(lambda: rapport.window.bring_to_front())
    rapport.first_painted.connect(single.listen)
    app.aboutToQuit.connect(lambda: rapport.shutdown(QUIT_WAIT_MS))
    quit_on_signals(rapport)
    # Without a tray, the window is the app: closing it quits.
    app.setQuitOnLastWindowClosed(rapport.tray is None)
    rapport.start(minimized=getattr(args, "minimized", False))
    log.info("started on %s", db)
    if on_started is not None:
        on_started(rapport)
    try:
        code = app.exec()
    finally:
        rapport.conn.close()  # the store it ran on last (Settings > Team may have switched it)
        held["lock"].release()
    # End here, within a second of Quit: a fetch stuck past its wait would hold the process open (Qt waits
    # for its threads at exit), and tearing down every Qt object one by one takes longer than the user waits.
    # The store is closed (a worker's open transaction rolls back), the lock released, the log flushed.
    log.info("quit%s", "" if rapport.stopped_cleanly else " (a check was still running)")
    if on_exit is not None:
        on_exit()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def quit_on_signals(rapport: RapportApp) -> None:
    """SIGTERM and SIGINT (Ctrl+C in the terminal) quit like File > Quit, so clean-up (the demo's temporary
    store) runs. Python only sees a signal when it runs, so the C handler wakes Qt through a socket."""
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_args: None)  # the wake-up byte is what counts
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, rapport)

    def on_signal() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)
        log.info("quitting on a signal")
        rapport.quit()

    notifier.activated.connect(on_signal)
    rapport._signal_sockets = (reader, writer)  # kept open as long as the app
