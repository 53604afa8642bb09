"""Two Rapports on one team database: one poller at a time (taken over when its holder dies), and word of new
records reaching the other desktop. On SQLite a Rapport is always its own poller and announces nothing."""
from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest

from desktop.store import connect, team, transaction
from tests.helpers.postgres import wait_until

ROOT = Path(__file__).resolve().parents[2]


class Ticks:
    """A monotonic clock the test moves: retries are bounded by it, not by waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_single_user_store_always_polls(db_path: Path) -> None:
    assert team.PollerLock(db_path).is_poller()
    assert team.PollerLock(db_path).is_poller()  # a second one on the same file too: nothing is shared


def test_one_poller_and_a_closed_holder_is_replaced_after_the_retry_wait(postgres_server) -> None:
    url = postgres_server.database()
    ticks = Ticks()
    first, second = team.PollerLock(url, monotonic=ticks), team.PollerLock(url, monotonic=ticks)
    try:
        assert first.is_poller()
        assert not second.is_poller()
        first.release()
        assert not second.is_poller()  # asked again only after the retry wait...
        ticks.now += team.RETRY_S
        assert second.is_poller()  # ...and then it takes over
        assert not first.is_poller()  # the first asks again only after its own wait, and finds it taken
        ticks.now += team.RETRY_S
        assert not first.is_poller()
    finally:
        first.release()
        second.release()


_HOLDER = """
import sys, time
from desktop.store import team
lock = team.PollerLock(sys.argv[1])
print("poller" if lock.is_poller() else "not poller", flush=True)
time.sleep(600)
"""


def test_a_killed_holder_process_is_taken_over(postgres_server) -> None:
    url = postgres_server.database()
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, url], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "poller"
        other = team.PollerLock(url, retry_s=0)
        try:
            assert not other.is_poller()
            holder.kill()  # no goodbye: PostgreSQL notices the dead connection and frees its session lock
            holder.wait()
            assert wait_until(other.is_poller, timeout=30)
        finally:
            other.release()
    finally:
        holder.kill()
        holder.wait()


def test_a_committed_announcement_reaches_another_desktop_and_a_rolled_back_one_does_not(postgres_server) -> None:
    url = postgres_server.database()
    listener = team.Listener(url)
    writer = connect(url)
    try:
        with pytest.raises(RuntimeError):
            with transaction(writer):
                team.announce(writer, "mentions", [99])
                raise RuntimeError("the poll failed half-way")
        with transaction(writer):
            team.announce(writer, "alerts", [7, 8])
        heard: list[dict] = []

        def listen() -> None:
            for message in listener.messages(timeout=10):
                heard.append(message)
                return

        thread = threading.Thread(target=listen)
        thread.start()
        thread.join()
        assert [(m["what"], m["ids"]) for m in heard] == [("alerts", [7, 8])]
        assert heard[0]["pid"] != listener.backend_pid
    finally:
        writer.close()
        listener.close()


def test_a_single_user_store_announces_nothing_and_has_one_implicit_person(conn) -> None:
    team.announce(conn, "mentions", [1])  # no table, no channel: nothing happens
    assert team.person(conn) == team.SINGLE_USER


def test_a_person_is_the_name_set_on_this_desktop_else_the_database_role(postgres_server, capsys) -> None:
    from desktop.cli import main

    url = postgres_server.database()
    conn = connect(url)
    try:
        assert team.person(conn) == "rapport_test"
    finally:
        conn.close()
    assert main(["team", "name", "Sam Rivera"]) == 0
    assert "Sam Rivera" in capsys.readouterr().out
    conn = connect(url)
    try:
        assert team.person(conn) == "Sam Rivera"
        assert conn.execute("SELECT count(*) FROM settings").fetchone()[0] == 0  # not in the shared store
    finally:
        conn.close()


def _negative(conn, text: str = "Missed the deadline twice and stopped answering.") -> int:
    from desktop.records.ingest import MANUAL_SOURCE_ID, ingest
    from scrapers.base import Mention

    result = ingest(conn, MANUAL_SOURCE_ID, [Mention(text=text, author="Maya Chen", rating=1)], site="email")[0]
    assert result.alert_id is not None
    return result.mention_id


def _as(url: str, name: str):  # noqa: ANN202 - a store connection for a teammate named `name`
    conn = connect(url)
    conn.person = name  # as `rapport team name` sets it on that desktop
    return conn


def test_read_state_is_per_person_in_a_team(postgres_server) -> None:
    from desktop.store import mentions

    url = postgres_server.database()
    sam, ana = _as(url, "Sam"), _as(url, "Ana")
    try:
        mention = _negative(sam)
        mentions.set_read(sam, [mention], True, datetime.now(timezone.utc))
        assert mentions.get(sam, mention).read_at is not None
        assert mentions.get(ana, mention).read_at is None
        assert mentions.count(sam, mentions.Filter(unread=True)) == 0
        assert [m.id for m in mentions.query(ana, mentions.Filter(unread=True))] == [mention]
        mentions.set_read(sam, [mention], False, datetime.now(timezone.utc))
        assert mentions.count(sam, mentions.Filter(unread=True)) == 1
    finally:
        sam.close()
        ana.close()


def test_seen_is_per_person_in_a_team_so_each_tray_counts_its_own(postgres_server) -> None:
    from desktop.store import alerts, mentions

    url = postgres_server.database()
    sam, ana = _as(url, "Sam"), _as(url, "Ana")
    now = datetime.now(timezone.utc)
    try:
        first, second = _negative(sam), _negative(sam, "Never delivered the logo and kept the deposit.")
        assert alerts.unseen_count(sam) == alerts.unseen_count(ana) == 2
        alerts.mark_seen(sam, [first], now)  # Sam opened the notification
        assert (alerts.unseen_count(sam), alerts.unseen_count(ana)) == (1, 2)
        assert [m.id for m in alerts.unseen_mentions(ana)] == [first, second]
        assert [m.id for m in alerts.unseen_mentions(sam)] == [second]
        assert alerts.for_mention(sam, first).seen_at is not None and alerts.for_mention(ana, first).seen_at is None
        mentions.set_read(ana, [second], True, now)  # reading marks it seen, for Ana only
        assert (alerts.unseen_count(sam), alerts.unseen_count(ana)) == (1, 1)
        alerts.mark_seen(sam, [first], now)  # seen twice: still one row, still seen
        assert sam.execute("SELECT count(*) FROM alerts_seen").fetchone()[0] == 2
        # A worse edit raises the alert again: new again for everyone who had seen it.
        assert alerts.raise_for_revision(sam, first, 2, now) is not None
        assert (alerts.unseen_count(sam), alerts.unseen_count(ana)) == (2, 1)
        alerts.mark_all_seen(ana, now)
        assert (alerts.unseen_count(sam), alerts.unseen_count(ana)) == (2, 0)
        assert sam.execute("SELECT count(*) FROM alerts WHERE seen_at IS NOT NULL").fetchone()[0] == 0
    finally:
        sam.close()
        ana.close()


def test_an_alert_seen_before_seen_was_per_person_stays_seen_for_everyone(postgres_server) -> None:
    from desktop.store import alerts

    url = postgres_server.database()
    sam, ana = _as(url, "Sam"), _as(url, "Ana")
    try:
        mention = _negative(sam)
        sam.execute("UPDATE alerts SET seen_at = '2026-01-05T09:00:00+00:00'")  # as the team-wide seen left it
        assert alerts.unseen_count(sam) == alerts.unseen_count(ana) == 0
        assert alerts.for_mention(ana, mention).seen_at is not None
    finally:
        sam.close()
        ana.close()


@pytest.mark.both_backends
def test_a_single_user_sees_as_before(conn, backend) -> None:
    from desktop.store import alerts

    first, second = _negative(conn), _negative(conn, "Never delivered the logo and kept the deposit.")
    alerts.mark_seen(conn, [first], datetime.now(timezone.utc))
    assert alerts.unseen_count(conn) == 1
    if backend == "sqlite":  # one person: the alert's own column, and no per-person rows
        assert conn.execute("SELECT count(*) FROM alerts WHERE seen_at IS NULL").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM alerts_seen").fetchone()[0] == 0
    alerts.mark_all_seen(conn, datetime.now(timezone.utc))
    assert alerts.unseen_count(conn) == 0 and alerts.for_mention(conn, second).seen_at is not None


@pytest.mark.both_backends
def test_a_single_user_reads_as_before_and_assignment_filters(conn, backend) -> None:
    from desktop.store import alerts, mentions

    mention = _negative(conn)
    mentions.set_read(conn, [mention], True, datetime.now(timezone.utc))
    assert mentions.get(conn, mention).read_at is not None
    assert mentions.count(conn, mentions.Filter(unread=True)) == 0
    me = "Sam"
    assert alerts.assign(conn, mention, me)
    assert mentions.get(conn, mention).assigned_to == me
    assert [m.id for m in mentions.query(conn, mentions.Filter(assigned_to=me))] == [mention]
    assert mentions.query(conn, mentions.Filter(assigned_to="Nobody Here")) == []
    assert alerts.assign(conn, mention, None) and mentions.get(conn, mention).assigned_to is None
    assert not alerts.assign(conn, 10_000, me)  # no alert, nothing assigned


def test_an_assignment_reaches_the_other_desktop_with_who_it_is_for(postgres_server) -> None:
    from desktop.store import alerts, mentions

    url = postgres_server.database()
    sam, ana = _as(url, "Sam"), _as(url, "Ana")
    listener = team.Listener(url)
    try:
        mention = _negative(sam)
        alerts.assign(sam, mention, "Ana")
        heard = [(m["what"], m["ids"]) for m in _drain(listener, 3)]
        assert heard == [("mentions", [mention]), ("alerts", [mention]), ("assignments", [mention])]
        assert [m.id for m in mentions.query(ana, mentions.Filter(assigned_to=team.person(ana)))] == [mention]
        assert alerts.teammates(ana) == ["Ana"]
    finally:
        listener.close()
        sam.close()
        ana.close()


def _drain(listener: team.Listener, n: int) -> list[dict]:
    heard: list[dict] = []
    for message in listener.messages(timeout=10):
        heard.append(message)
        if len(heard) == n:
            break
    return heard


@pytest.mark.both_backends
def test_a_stale_draft_save_is_a_conflict_that_names_who_saved(store_target, backend) -> None:
    from desktop.composer.answers import Answers
    from desktop.store import drafts

    first, second = connect(store_target), connect(store_target)
    if backend == "postgresql":
        first.person, second.person = "Sam", "Ana"
    try:
        mention = _negative(first)
        draft = drafts.create(first, mention, None)
        at = datetime(2026, 11, 30, 14, 2, tzinfo=timezone.utc)
        mine = drafts.save(first, draft, Answers(), "Sorry, Maya.", base=0, clock=lambda: at)
        assert mine.n == 1 and mine.author == team.person(first)
        # Both opened version 1; the second person saves first...
        theirs = drafts.save(second, draft, Answers(), "Sorry, Maya: we will fix it.", base=1, clock=lambda: at)
        assert theirs.n == 2
        # ...so the first person's save from version 1 is refused, and nothing of theirs is lost.
        with pytest.raises(drafts.DraftConflict) as conflict:
            drafts.save(first, draft, Answers(), "Sorry, Maya, truly.", base=1)
        who = "Ana" if backend == "postgresql" else "Someone"
        assert str(conflict.value) == (f"{who} saved a newer version of this draft at "
                                       f"{at.astimezone():%H:%M}; yours was not saved: copy your text and reopen")
        assert [v.body for v in drafts.versions(first, draft)] == ["Sorry, Maya.", "Sorry, Maya: we will fix it."]
    finally:
        first.close()
        second.close()


def test_two_desktops_poller_roles_one_polls_and_the_other_takes_over(postgres_server) -> None:
    from desktop.polling.poller_role import PollerRole

    url = postgres_server.database()
    first = PollerRole(url, check_s=0.05)
    second = PollerRole(url, check_s=0.05, lock=team.PollerLock(url, retry_s=0))
    try:
        first.start()
        assert wait_until(lambda: first.held)
        second.start()
        assert wait_until(lambda: second.checks >= 3)
        assert first.held and not second.held
        first.stop()  # quitting gives the role up
        assert wait_until(lambda: second.held)
        assert not first.held
    finally:
        first.stop()
        second.stop()


def test_giving_the_poller_role_up_talks_to_the_server_off_the_stopping_thread(postgres_server) -> None:
    """The GUI thread stops the role (on quit, or switching stores in Settings > Team): the unlock goes over the
    network, so it runs on the role's own thread, and the lock is free for another desktop at once."""
    from desktop.polling.poller_role import PollerRole

    class Recorded(team.PollerLock):
        def __init__(self, target: str) -> None:
            super().__init__(target)
            self.released_on: list[threading.Thread] = []

        def release(self) -> None:
            self.released_on.append(threading.current_thread())
            super().release()

    url = postgres_server.database()
    lock = Recorded(url)
    role = PollerRole(url, check_s=0.05, lock=lock)
    role.start()
    assert wait_until(lambda: role.held)
    role.stop()
    assert wait_until(lambda: bool(lock.released_on))
    assert lock.released_on[0] is not threading.current_thread() and not role.held
    other = team.PollerLock(url)
    try:
        assert other.is_poller()
    finally:
        other.release()


def test_a_single_user_desktop_is_the_poller_without_asking(db_path: Path) -> None:
    from desktop.polling.poller_role import PollerRole

    role = PollerRole(db_path)
    role.start()
    assert role.held and role.checks == 0
    role.stop()
    assert role.held
