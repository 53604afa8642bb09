"""The running app's wiring: tray slots, the banner fallback, and the offline demo's alert flow."""
from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QStyle

from desktop.shell.app import RapportApp
from desktop.commands.demo import prepare
from desktop.shell import reader
from desktop.shell.notify import AlertInfo, Notice
from desktop.shell.writer import UnheardFailures
from desktop.store import alerts, connect
from desktop.store.clock import utc_now
from desktop.ui.tray import notification_text
from scrapers.guard import clear_gui_thread
from tests.helpers.fixtures import PATIENCE_MS, roomy_session
from tests.helpers.qt_garbage import delete_now
from tests.helpers.settle import settle
HOSTILE = '<img src=x onerror="alert(1)"> <b>bold</b>'


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple]:
    db = tmp_path / "demo.sqlite3"
    site, server, ids = prepare(db)
    conn = connect(db)
    yield conn, db, site, ids
    conn.close()
    server.stop()


def make_app(qtbot, conn, db, *, use_tray: bool) -> RapportApp:
    # Test-sized timeouts and no pacing: the demo server is local.
    app = RapportApp(conn, db, use_tray=use_tray, scheduler_options={
        "session_factory": lambda: roomy_session(utc_now), "tick_ms": 3_600_000, "host_gap_s": 0})
    qtbot.addWidget(app.window)
    if app.tray is not None:
        app.tray.place_retries = 2  # offscreen has no tray host to place the icon: do not wait for one
    return app


def start_app(qtbot, demo, started, *, use_tray: bool) -> RapportApp:
    """make_app on the demo store, started, and shut down at the test's end."""
    conn, db, _site, _ids = demo
    app = make_app(qtbot, conn, db, use_tray=use_tray)
    settle(qtbot, app)
    started.append(app)
    app.start()
    settle(qtbot, app)
    return app


@pytest.fixture
def started(qtbot) -> Iterator[list[RapportApp]]:
    apps: list[RapportApp] = []
    yield apps
    for app in apps:
        app.shutdown()
        assert app.scheduler.pool.activeThreadCount() == 0
        delete_now(app)
    clear_gui_thread()


def test_demo_review_raises_one_alert_and_the_banner_opens_it_in_the_composer(qtbot, demo, started) -> None:
    conn, db, site, ids = demo
    app = start_app(qtbot, demo, started, use_tray=False)
    settle(qtbot, app)
    assert not app.window.banner.isVisible()  # the seeded alerts were already seen
    site.publish_late_review()
    with qtbot.waitSignal(app.bus.poll_finished, timeout=PATIENCE_MS):
        app.scheduler.poll_now([ids["trustpilot"]])
    settle(qtbot, app)
    banner = app.window.banner
    assert banner.isVisible()
    assert banner.title_label.text() == "Negative review on Trustpilot"
    assert "Maya Chen" in banner.body_label.text()
    notice = banner.notice
    assert notice is not None and notice.mention_id is not None
    banner.open_button.click()
    settle(qtbot, app)  # the composer opens once what it shows is read
    assert app.window.composer.isVisible() and app.window.composer.mention_id == notice.mention_id
    assert alerts.for_mention(conn, notice.mention_id).seen_at is not None
    app.window.composer.reject()


def test_a_second_poll_of_the_unchanged_demo_raises_nothing(qtbot, demo, started) -> None:
    conn, db, site, ids = demo
    app = start_app(qtbot, demo, started, use_tray=False)
    settle(qtbot, app)
    with qtbot.waitSignal(app.bus.poll_finished, timeout=PATIENCE_MS) as finished:
        app.scheduler.poll_now()
    settle(qtbot, app)
    assert all(r.ok and r.new == 0 for r in finished.args[0])
    assert not app.window.banner.isVisible()


def test_tray_message_click_opens_that_mention_and_summary_opens_unread_negatives(qtbot, demo, started) -> None:
    conn, db, site, ids = demo
    app = start_app(qtbot, demo, started, use_tray=True)
    settle(qtbot, app)
    assert app.tray is not None and app.window.hide_on_close
    mention_id = conn.execute("SELECT mention FROM alerts ORDER BY id LIMIT 1").fetchone()[0]
    app.tray.show_notice(Notice("Negative review", "text", (mention_id,)))
    qtbot.waitUntil(lambda: not app.tray.waiting, timeout=PATIENCE_MS)
    app.tray.icon.messageClicked.emit()
    settle(qtbot, app)
    assert app.window.composer.mention_id == mention_id
    app.window.composer.reject()

    app.tray.show_notice(Notice("2 new negative reviews", "", (1, 2)))
    qtbot.waitUntil(lambda: not app.tray.waiting, timeout=PATIENCE_MS)
    app.tray.icon.messageClicked.emit()
    flt = app.window.inbox.current_filter()
    assert flt.unread and flt.alerted


def test_clicking_the_still_watching_hint_opens_no_review(qtbot, demo, started) -> None:
    conn, db, site, ids = demo
    app = start_app(qtbot, demo, started, use_tray=True)
    settle(qtbot, app)
    mention_id = conn.execute("SELECT mention FROM alerts ORDER BY id LIMIT 1").fetchone()[0]
    app.tray.show_notice(Notice("Negative review", "text", (mention_id,)))  # an old message, then the hint
    qtbot.waitUntil(lambda: not app.tray.waiting, timeout=PATIENCE_MS)
    app.window.close()
    settle(qtbot, app)  # the hint is shown once the store says it never was
    qtbot.waitUntil(lambda: not app.tray.waiting, timeout=PATIENCE_MS)
    app.tray.icon.messageClicked.emit()
    assert getattr(app.window, "composer", None) is None
    assert app.window.isVisible()


def test_quit_ends_the_app_even_with_a_tray(qtbot, demo, started) -> None:
    conn, db, site, ids = demo
    app = start_app(qtbot, demo, started, use_tray=True)
    settle(qtbot, app)
    app.window.quitting = True  # what File > Quit and the tray's Quit set before QApplication.quit()
    with qtbot.assertNotEmitted(app.window.hidden_to_tray):
        assert app.window.close()  # the close Qt 6 sends on quit goes through, so the quit is not cancelled
    assert not app.window.isVisible()


def test_the_tray_badge_follows_the_store_on_every_path(qtbot, demo, started) -> None:
    from desktop.records.ingest import IngestResult, Manual, ingest
    from desktop.store.sources import MANUAL_SOURCE_ID
    from scrapers.base import Mention

    conn, db, site, ids = demo
    app = make_app(qtbot, conn, db, use_tray=True)
    settle(qtbot, app)
    started.append(app)
    app.tray.place_retries = 0
    app.start()
    settle(qtbot, app)
    assert app.tray.unseen == 0
    shown: list[Notice] = []
    app.tray.show_notice = shown.append  # what the tray would show, recorded
    # Typed in by hand: one alert, one message, the badge.
    [result] = ingest(conn, MANUAL_SOURCE_ID, [Mention(text="Never delivered and stopped answering. Avoid.",
                                                        rating=1)], manual=Manual(site="email"))
    assert result.alert_id is not None
    app.window.on_feedback_saved(IngestResult(result.mention_id, True, result.alert_id, "negative"))
    settle(qtbot, app)
    assert app.tray.unseen == 1 and [n.mention_id for n in shown] == [result.mention_id]
    # Read in the inbox: the badge goes.
    app.window.show_mention(result.mention_id)
    settle(qtbot, app)
    app.window.inbox.on_read_triggered()
    settle(qtbot, app)
    assert app.tray.unseen == 0
    assert "all quiet" in app.tray.icon.toolTip()


def test_tray_menu_is_rebuilt_with_the_current_pause_state(qtbot, demo, started) -> None:
    conn, db, site, ids = demo
    app = start_app(qtbot, demo, started, use_tray=True)
    settle(qtbot, app)
    texts = [a.text() for a in app.tray.menu.actions() if a.text()]
    assert texts == ["Open Rapport", "Poll now", "Pause polling", "Quit"]
    app.tray.pause_toggled.emit(True)
    assert app.scheduler.paused
    app.tray.on_menu_about_to_show()
    assert "Resume polling" in [a.text() for a in app.tray.menu.actions()]


def test_closing_with_a_tray_hides_and_hints_once(qtbot, demo, started) -> None:
    conn, db, site, ids = demo
    app = start_app(qtbot, demo, started, use_tray=True)
    settle(qtbot, app)
    hints: list[str] = []
    app.tray.show_hint = lambda title, text: hints.append(title)  # record instead of a desktop popup
    app.window.close()
    assert not app.window.isVisible()
    app.window.show()
    app.window.close()
    settle(qtbot, app)
    assert hints == ["Rapport is still watching"]


def test_unseen_alerts_at_startup_become_one_summary_in_the_banner(qtbot, demo, started) -> None:
    from desktop.records.ingest import MANUAL_SOURCE_ID, ingest
    from scrapers.base import Mention

    conn, db, site, ids = demo
    ingest(conn, MANUAL_SOURCE_ID, [Mention("Two weeks late and the invoice was wrong.", rating=1),
                                    Mention("Stopped answering my emails after the deposit.", rating=2)])
    conn.execute("UPDATE alerts SET seen_at = NULL")
    count = conn.execute("SELECT count(*) FROM alerts").fetchone()[0]
    assert count >= 2
    app = make_app(qtbot, conn, db, use_tray=False)
    settle(qtbot, app)
    started.append(app)
    app.start()
    assert not app.window.banner.isVisible()  # the window paints first; the summary follows
    qtbot.waitUntil(lambda: app.window.banner.title_label.text() == f"{count} unseen negative reviews")


def test_notification_text_shows_markup_literally(qtbot) -> None:
    from desktop.ui.banner import AlertBanner

    banner = AlertBanner()
    qtbot.addWidget(banner)
    banner.resize(900, banner.sizeHint().height())
    banner.show_notice(Notice("Negative review", HOSTILE, (1,)))
    qtbot.waitUntil(lambda: banner.body_label.width() > 400)
    assert banner.body_label.text() == HOSTILE
    assert banner.body_label.textFormat().name == "PlainText"
    # A notification server reading markup gets it escaped; Qt's own balloon shows text as it is.
    assert notification_text(HOSTILE, markup=True) == '&lt;img src=x onerror="alert(1)"&gt; &lt;b&gt;bold&lt;/b&gt;'
    assert notification_text(HOSTILE, markup=False) == HOSTILE
    assert AlertInfo(1, "", "", HOSTILE).first_line == HOSTILE


def test_demo_client_raises_the_answered_review_and_the_inbox_shows_it_recovered(qtbot, demo, started) -> None:
    from desktop.store import drafts
    from desktop.composer.answers import Answers
    from desktop.shell.demo import posted_reply
    from desktop.ui.inbox_model import COL_REPLY, COL_TEXT, ID_ROLE

    conn, db, site, ids = demo
    app = make_app(qtbot, conn, db, use_tray=False)
    settle(qtbot, app)
    started.append(app)
    app.start()
    settle(qtbot, app)
    site.publish_late_review()
    with qtbot.waitSignal(app.bus.poll_finished, timeout=PATIENCE_MS) as finished:
        app.scheduler.poll_now([ids["trustpilot"]])
    settle(qtbot, app)
    [(_alert, mention_id)] = [pair for r in finished.args[0] for pair in r.alerted]
    assert posted_reply(conn, ids["trustpilot"], site) is None  # not answered yet: the client waits
    reply = "Maya, I am sorry: I moved the launch twice and told you too late. I will fix the import at no cost."
    draft = drafts.create(conn, mention_id, None)
    drafts.save(conn, draft, Answers(), reply)
    drafts.mark_posted(conn, draft, utc_now())
    text, posted_at = posted_reply(conn, ids["trustpilot"], site)
    assert text == reply
    site.publish_update(text, posted_at)
    with qtbot.waitSignal(app.bus.poll_finished, timeout=PATIENCE_MS) as finished:
        app.scheduler.poll_now([ids["trustpilot"]])
    settle(qtbot, app)
    assert [pair for r in finished.args[0] for pair in r.alerted] == []  # raised, not lowered: no alert
    inbox = app.window.inbox
    inbox.model.refresh()
    settle(qtbot, inbox)
    rows = {inbox.model.index(r, 0).data(ID_ROLE): r for r in range(inbox.model.rowCount())}
    row = rows[mention_id]
    assert inbox.model.index(row, COL_REPLY).data() == "Recovered"
    assert inbox.model.index(row, COL_TEXT).data().startswith("[edited] Update: Sam made it right")


def test_the_window_fits_half_a_screen_without_cutting_controls_off(qtbot, demo, started) -> None:
    from desktop.ui.main_window import FITS

    conn, db, site, ids = demo
    app = start_app(qtbot, demo, started, use_tray=False)
    settle(qtbot, app)
    window = app.window
    for row in range(window.sidebar.count()):
        window.sidebar.setCurrentRow(row)
        settle(qtbot, window)
        hint = window.minimumSizeHint()
        assert hint.width() <= FITS[0] and hint.height() <= FITS[1], (row, hint)
    window.sidebar.setCurrentRow(0)
    settle(qtbot, window)
    window.resize(900, 600)
    qtbot.waitUntil(lambda: window.inbox.width() < 800)
    inbox = window.inbox
    for widget in (inbox.search_edit, *inbox._filter_widgets(), inbox.add_button):
        right = widget.mapTo(inbox, widget.rect().topRight()).x()
        assert widget.isVisible() and right <= inbox.width(), widget


def test_the_alert_banner_moves_nothing_on_the_page(qtbot, demo, started) -> None:
    conn, db, site, ids = demo
    app = start_app(qtbot, demo, started, use_tray=False)
    settle(qtbot, app)
    window = app.window
    window.resize(900, 600)
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.inbox.width() < 800)
    for _ in range(3):  # let the narrow layout (filters on their own row) settle first
        QApplication.processEvents()
    before = (window.pages.geometry(), window.inbox.view.geometry(), window.inbox.detail.geometry())
    window.banner.show_notice(Notice("Negative review on Trustpilot", "★☆☆☆☆ Maya Chen: “Missed the launch”", (1,)))
    qtbot.waitUntil(lambda: window.banner.isVisible())
    QApplication.processEvents()
    assert (window.pages.geometry(), window.inbox.view.geometry(), window.inbox.detail.geometry()) == before


def test_the_demo_serves_each_listed_reviews_own_page(demo) -> None:
    """The demo's Trustpilot copy keeps its review links on this machine, and each review's own page answers
    (a review no longer listed would answer 404, as Trustpilot's do)."""
    import requests

    conn, _db, site, _ids = demo
    listed = conn.execute("SELECT url FROM mentions WHERE url LIKE '%/reviews/%'").fetchall()
    assert listed and all(url.startswith("http://127.0.0.1:") for (url,) in listed)
    assert requests.get(listed[0][0], timeout=5).status_code == 200
    assert requests.get(listed[0][0].rsplit("/", 1)[0] + "/not-a-review", timeout=5).status_code == 404


# Qt's own threads, one per process, kept for its life: D-Bus (the tray) and the global thread pool's (painting
# uses it; idle ones end on their own). The app's own pools are checked by their objects.
QT_PROCESS_THREADS = {"QDBusConnection", "Thread (pooled)"}


def _os_threads() -> list[str]:
    """The process's threads by name, Qt's own left out."""
    names = []
    for tid in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{tid}/comm") as f:
            names.append(f.read().strip())
    return sorted(n for n in names if n not in QT_PROCESS_THREADS)


def _live_qobjects() -> dict[int, QObject]:
    """Every QObject Python holds whose C++ side still exists."""
    live = {}
    for obj in gc.get_objects():
        if isinstance(obj, QObject):
            try:
                obj.objectName()
            except RuntimeError:  # deleted
                continue
            live[id(obj)] = obj
    return live


def test_tear_down_leaves_no_thread_job_process_or_qt_object_of_the_app(qtbot, demo) -> None:
    """A process that goes on after the app (the benchmarks run one case after another) must not keep any of it:
    what Python's garbage collector frees later, it frees on whatever thread runs then, and deleting the app's
    QObjects there crashed the benchmarks once (SIGSEGV) entering the case after the GUI-stall case."""
    conn, db, site, ids = demo
    gc.unfreeze()  # what earlier tests' apps froze at their first paint (gc.get_objects does not list it)
    gc.collect()
    threads, qobjects = _os_threads(), set(_live_qobjects())  # the OS's list: Python's threads and Qt's
    app = RapportApp(conn, db, use_tray=True, scheduler_options={
        "session_factory": lambda: roomy_session(utc_now), "tick_ms": 3_600_000, "host_gap_s": 0})
    app.start()
    settle(qtbot, app)
    frozen = gc.get_freeze_count()
    assert frozen > 0  # start-up's objects, out of the collector's full passes since the first paint
    site.publish_late_review()
    with qtbot.waitSignal(app.bus.poll_finished, timeout=PATIENCE_MS):  # a poll: its threads, a worker process, sessions
        app.scheduler.poll_now([ids["trustpilot"]])
    settle(qtbot, app)
    workers = app.scheduler.workers.pids()
    assert workers and app.scheduler.pool.activeThreadCount() == 0
    assert gc.get_freeze_count() > frozen  # and what the first poll loaded
    assert len(_os_threads()) > len(threads)  # the readers' and writers' threads are running

    app.tear_down()
    clear_gui_thread()
    assert gc.get_freeze_count() == 0  # thawed, so the collection below would find any cycle of the app's

    with pytest.raises(RuntimeError):  # the app and its window are deleted, not left for the collector
        app.objectName()
    gc.collect()  # anything of the app left in reference cycles would be freed (and deleted) here
    left = {type(obj).__name__ for key, obj in _live_qobjects().items()  # but the process's own: the style,
            if key not in qobjects and not isinstance(obj, (QStyle, UnheardFailures))}  # where lost writes go
    assert left == set()  # no thread pool (so none of its threads), job, reader, timer or widget of the app
    assert _os_threads() == threads
    for pid in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not [lane for key, lane in reader._lanes.items() if key[0] == id(conn)]


def test_a_write_that_failed_after_its_dialog_closed_is_said_in_the_window(qtbot, demo, started) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop.shell.writer import unheard_failures
    from desktop.store import StoreError
    from desktop.ui.store_writes import FAILED_NAME

    app = start_app(qtbot, demo, started, use_tray=False)
    unheard_failures().failed.emit("save the client", StoreError("the team database refused this to your role"))
    box = app.window.findChild(QMessageBox, FAILED_NAME)
    assert box is not None and box.windowTitle() == "Could not save the client"
    assert "refused this to your role" in box.text()
    box.close()
