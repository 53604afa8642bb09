"""The scheduler and its workers: real QThreadPool, real runner, real fault server, injected clock."""
from __future__ import annotations

import os
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from desktop.shell.events import EventBus
from desktop.polling import poll_once
from desktop.polling.scheduler import STARTS_PER_PASS, Scheduler, host_of
from desktop.store import sources
from scrapers import base
from scrapers.guard import OnGuiThread
from tests.helpers.failing_parsers import FailingTrustpilot
from tests.helpers.fault_server import Reply
from tests.helpers.fixtures import PATIENCE_MS, T0, FakeClock, fast_session, roomy_session
PAGE = ("trustpilot", "northlightstudio-page1.html")
FEED = ("feeds", "google-alerts-northlight.xml")


@pytest.fixture
def scheduler(conn, db_path, bus, clock, gui_thread) -> Iterator[Scheduler]:
    sched = Scheduler(conn, db_path, bus, clock=clock, session_factory=lambda: roomy_session(clock),
                      tick_ms=3_600_000, host_gap_s=10)
    yield sched
    sched.shutdown()
    assert sched.pool.activeThreadCount() == 0


def add(conn, url: str, kind: str = "trustpilot") -> sources.SourceRow:
    return sources.add(conn, kind, url, interval_s=3600)


def record(bus: EventBus) -> list[tuple]:
    events: list[tuple] = []
    bus.poll_started.connect(lambda n: events.append(("started", n)))
    bus.poll_progress.connect(lambda d, t: events.append(("progress", d, t)))
    bus.source_polled.connect(lambda r: events.append(("polled", r.source_id, r.state)))
    bus.mention_added.connect(lambda m: events.append(("mention", m)))
    bus.alert_raised.connect(lambda a, m: events.append(("alert", a, m)))
    bus.poll_finished.connect(lambda rs: events.append(("finished", len(rs))))
    return events


def test_a_round_reports_in_order_and_a_failing_source_does_not_stop_the_others(
        qtbot, conn, bus, scheduler, fault_server) -> None:
    # Two hosts (127.0.0.1 and localhost) so both polls may run at once.
    good = add(conn, fault_server.route("/review/northlightstudio.co.uk", Reply.page(*PAGE)))
    bad_url = fault_server.route("/broken", Reply(500, "Internal Server Error")).replace("127.0.0.1", "localhost")
    bad = add(conn, bad_url)
    assert host_of(good.url) != host_of(bad.url)
    events = record(bus)
    with qtbot.waitSignal(bus.poll_finished, timeout=PATIENCE_MS) as finished:
        scheduler.start()
    assert events[0] == ("started", 2)
    assert events[-1] == ("finished", 2)
    polled = {e[1]: e[2] for e in events if e[0] == "polled"}
    assert polled == {good.id: "ok", bad.id: "failing"}
    mentions = [e[1] for e in events if e[0] == "mention"]
    assert len(mentions) == 5
    assert {e[2] for e in events if e[0] == "alert"} <= set(mentions) and any(e[0] == "alert" for e in events)
    progress = [e for e in events if e[0] == "progress"]
    assert progress[-1] == ("progress", 2, 2)
    assert sources.get(conn, bad.id).state == "failing" and sources.get(conn, good.id).state == "ok"
    assert len(finished.args[0]) == 2


def test_one_host_is_paced_and_retry_after_is_honoured(qtbot, conn, bus, scheduler, fault_server, clock) -> None:
    limited = add(conn, fault_server.route("/limited", Reply(429, "slow down", headers={"Retry-After": "120"})))
    second = add(conn, fault_server.route("/feed", Reply.page(*FEED, content_type="application/atom+xml")), "feeds")
    polled: list[int] = []
    bus.source_polled.connect(lambda r: polled.append(r.source_id))
    with qtbot.waitSignal(bus.source_polled, timeout=PATIENCE_MS):
        scheduler.poll_now([limited.id, second.id])
    assert polled == [limited.id]
    assert scheduler.queued == (second.id,)  # same host: waits, no worker sleeps
    stored = sources.get(conn, limited.id)
    assert stored.state == "rate limited" and stored.retry_at == T0.replace(minute=32)

    clock.advance(seconds=60)  # past the pacing gap, but not past Retry-After
    scheduler.pump()
    assert scheduler.queued == (second.id,) and not scheduler.in_flight
    clock.advance(seconds=61)
    with qtbot.waitSignal(bus.poll_finished, timeout=PATIENCE_MS):
        scheduler.pump()
    assert polled == [limited.id, second.id]
    assert limited.id not in [s.id for s in sources.due(conn, clock())]  # its own Retry-After still holds


def test_pause_stops_automatic_polls_and_resume_starts_due_ones(qtbot, conn, bus, scheduler, fault_server) -> None:
    add(conn, fault_server.route("/review/northlightstudio.co.uk", Reply.page(*PAGE)))
    with qtbot.waitSignal(scheduler.paused_changed, timeout=PATIENCE_MS):
        scheduler.pause()
    with qtbot.assertNotEmitted(bus.poll_started, wait=100):
        scheduler.on_timer_timeout()
        assert not scheduler.reading()  # paused: not even asked
    assert scheduler.in_flight == () and scheduler.queued == ()
    with qtbot.waitSignal(bus.poll_finished, timeout=PATIENCE_MS):
        scheduler.resume()
    assert not scheduler.paused


def test_cancel_drops_the_queue_and_ends_the_round(qtbot, conn, bus, scheduler, fault_server) -> None:
    rows = [add(conn, fault_server.route(f"/page{i}", Reply.page(*PAGE))) for i in range(3)]
    with qtbot.waitSignal(bus.poll_finished, timeout=PATIENCE_MS) as finished:
        scheduler.poll_now([r.id for r in rows])
        qtbot.waitUntil(lambda: not scheduler.reading(), timeout=PATIENCE_MS)  # the sources are read off the GUI thread
        assert len(scheduler.queued) == 2  # one host: one at a time
        scheduler.cancel()
        assert scheduler.queued == ()
    assert len(finished.args[0]) == 1
    assert conn.execute("SELECT count(DISTINCT source) FROM mentions").fetchone()[0] <= 1


def test_polling_on_the_gui_thread_is_refused(conn, gui_thread, fault_server) -> None:
    row = add(conn, fault_server.route("/review/northlightstudio.co.uk", Reply.page(*PAGE)))
    clock = FakeClock()
    session = fast_session(clock)
    try:
        with pytest.raises(OnGuiThread):
            poll_once(row, session, conn, clock)
        with pytest.raises(OnGuiThread):
            session.fetch(row.url)
    finally:
        session.close()
    assert fault_server.hits("/review/northlightstudio.co.uk") == []


def test_the_gap_between_requests_to_one_host_is_the_users_setting(
        qtbot, conn, db_path, bus, clock, gui_thread, fault_server) -> None:
    from desktop.store import settings

    settings.put(conn, host_gap_s=3)
    sched = Scheduler(conn, db_path, bus, clock=clock, session_factory=lambda: roomy_session(clock),
                      tick_ms=3_600_000)
    try:
        qtbot.waitUntil(lambda: not sched.reading(), timeout=PATIENCE_MS)  # the setting, read off the GUI thread
        assert sched.host_gap_s == 3
        first = add(conn, fault_server.route("/a", Reply.page(*FEED, content_type="application/atom+xml")), "feeds")
        second = add(conn, fault_server.route("/b", Reply.page(*FEED, content_type="application/atom+xml")), "feeds")
        with qtbot.waitSignal(bus.source_polled, timeout=PATIENCE_MS):
            sched.poll_now([first.id, second.id])
        assert sched.queued == (second.id,)  # same host: waits out the 3 s gap
        clock.advance(seconds=2)
        sched.pump()
        assert sched.queued == (second.id,)
        clock.advance(seconds=1.5)
        with qtbot.waitSignal(bus.poll_finished, timeout=PATIENCE_MS):
            sched.pump()
        sched.set_host_gap(30)
        assert sched.host_gap_s == 30
    finally:
        sched.shutdown()


def test_polls_reuse_sessions_connections_and_robots_txt(qtbot, conn, bus, scheduler, fault_server, clock) -> None:
    """A second poll neither re-reads robots.txt nor opens a new connection: the session is kept."""
    fault_server.route("/robots.txt", Reply(200, "User-agent: *\nDisallow: /admin/\n", content_type="text/plain"))
    row = add(conn, fault_server.route("/review/northlightstudio.co.uk", Reply.page(*PAGE)))
    for _ in range(3):
        with qtbot.waitSignal(bus.poll_finished, timeout=PATIENCE_MS):
            scheduler.poll_now([row.id])
        clock.advance(seconds=60)  # past the host's pacing gap
    pages = fault_server.hits("/review/northlightstudio.co.uk")
    assert len(pages) == 3 and len(fault_server.hits("/robots.txt")) == 1
    assert len({request.client for request in fault_server.requests}) == 1  # one kept-alive connection
    assert scheduler.sessions.made == 1


def test_polls_parse_in_a_worker_process_which_shutdown_ends_even_mid_page(
        qtbot, conn, bus, scheduler, fault_server, clock, monkeypatch) -> None:
    monkeypatch.setitem(base._REGISTRY, "trustpilot", FailingTrustpilot)  # hangs on /review/hang... in a worker
    good = add(conn, fault_server.route("/review/northlightstudio.co.uk", Reply.page(*PAGE)))
    with qtbot.waitSignal(bus.poll_finished, timeout=PATIENCE_MS):
        scheduler.poll_now([good.id])
    assert sources.get(conn, good.id).state == "ok" and scheduler.workers.started == 1
    [worker] = scheduler.workers.pids()
    assert worker != os.getpid()

    hang = add(conn, fault_server.route("/review/hang.example", Reply.page(*PAGE)))
    clock.advance(seconds=60)  # past the host's gap
    scheduler.poll_now([hang.id])
    qtbot.waitUntil(lambda: scheduler.workers.busy == 1, timeout=PATIENCE_MS)
    assert scheduler.shutdown(wait_ms=30_000)  # Quit: the poll stops, its worker process with it
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)
    assert scheduler.workers.alive == 0 and sources.get(conn, hang.id).state == "new"


def test_a_poll_that_ends_while_the_due_list_is_read_is_not_polled_again(qtbot, conn, bus, scheduler,
                                                                          fault_server) -> None:
    """Which sources are due is read off the GUI thread; a source whose poll ended meanwhile was read as still
    due, and is not queued a second time."""
    row = add(conn, fault_server.route("/review/northlightstudio.co.uk", Reply.page(*PAGE)))
    with qtbot.waitSignal(bus.poll_finished, timeout=PATIENCE_MS):
        scheduler.poll_now([row.id])
    hits = len(fault_server.hits("/review/northlightstudio.co.uk"))
    stale = sources.due(conn, T0.replace(year=T0.year + 1))  # as the list read before the poll ended says
    assert [s.id for s in stale] == [row.id]
    scheduler._enqueue_due(stale, asked=0)  # asked before the poll ended (the first settle)
    assert scheduler.queued == () and scheduler.in_flight == ()
    assert len(fault_server.hits("/review/northlightstudio.co.uk")) == hits


def test_hosts_due_together_start_a_few_polls_per_pass_of_the_event_loop(
        qtbot, conn, db_path, bus, clock, gui_thread, monkeypatch) -> None:
    """Twenty hosts due at once: STARTS_PER_PASS polls start in one pass of the event loop and the others in the
    passes after it (a repaint or the user's input runs between, not after twenty starts), and every one runs."""
    rows = [add(conn, f"http://host{i}.example/reviews.xml", "feeds") for i in range(20)]
    assert len({host_of(r.url) for r in rows}) == 20
    per_pass: list[int] = []
    real_pump, real_start = Scheduler.pump, Scheduler._start

    def pump(self: Scheduler) -> None:
        per_pass.append(0)
        real_pump(self)

    def start(self: Scheduler, source: sources.SourceRow, host: str) -> None:
        per_pass[-1] += 1
        real_start(self, source, host)

    monkeypatch.setattr(Scheduler, "pump", pump)  # before the scheduler connects its timers to it
    monkeypatch.setattr(Scheduler, "_start", start)
    polled: list[int] = []

    def poll(source: sources.SourceRow, _session: object, _conn: object, _clock: object, **_kw: object) -> object:
        polled.append(source.id)
        return SimpleNamespace(source_id=source.id, state="ok")

    sched = Scheduler(conn, db_path, bus, clock=clock, poll=poll, session_factory=lambda: SimpleNamespace(
        close=lambda: None), tick_ms=3_600_000, host_gap_s=10)
    try:
        with qtbot.waitSignal(bus.poll_finished, timeout=PATIENCE_MS) as finished:
            sched.poll_now([r.id for r in rows])
        assert sorted(polled) == sorted(r.id for r in rows) and len(finished.args[0]) == 20
        assert sum(per_pass) == 20 and max(per_pass) == STARTS_PER_PASS
    finally:
        sched.shutdown()
