"""What a team shares beyond the records: one poller at a time, word of new records, and who is who.

On SQLite (one person) every answer is the single-user one: this Rapport always polls, nothing is announced,
and the person is implicit. On PostgreSQL:
- the poller holds a session advisory lock on a connection of its own; PostgreSQL releases it when that
  connection dies (a crashed or unplugged desktop), and the others try again at most every 30 s;
- a commit that adds mentions, alerts, assignments or drafts sends NOTIFY on the `rapport` channel, which
  every other desktop's `Listener` hears;
- read and seen are per person (the `reads` and `alerts_seen` tables), so each teammate's tray counts what
  they have not seen;
- a person is the name set on this desktop (Settings > Team or `rapport team name`, kept in the local
  config's team.json, not in the shared store), else the database role (`current_user`).
"""
from __future__ import annotations

import json
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from desktop.store import dialect
from desktop.store.db import Target, connect, is_team

log = logging.getLogger(__name__)

CHANNEL = "rapport"
POLLER_LOCK = 0x52617070_6F727432  # "Rapport2": held by the team's one poller
RETRY_S = 30.0  # a desktop that is not the poller asks again this often: a dead holder is replaced within a minute
_MAX_PAYLOAD = 7000  # PostgreSQL's NOTIFY payload limit is 8000 bytes
SINGLE_USER = ""  # the implicit person of a SQLite store
# Names this process in its announcements, so its own listener can leave out what it said itself (its workers
# write on other connections, so the sending backend's pid does not tell).
ORIGIN = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"


def announce(conn: Any, what: str, ids: list[int] | tuple[int, ...] = ()) -> None:
    """Tell the team's other desktops that `what` ("mentions", "alerts", "assignments", "drafts") changed.

    Sent when the surrounding transaction commits (never for a rolled-back one); nothing on SQLite, nor for
    no ids."""
    if dialect.of(conn) is not dialect.POSTGRES or not ids:
        return
    payload = json.dumps({"what": what, "ids": list(ids), "origin": ORIGIN})
    if len(payload) > _MAX_PAYLOAD:  # too many to list: the others reload what they show
        payload = json.dumps({"what": what, "ids": [], "origin": ORIGIN})
    conn.execute("SELECT pg_notify(?, ?)", (CHANNEL, payload))


def shared(conn: Any) -> bool:
    """Whether several people use this store (a team database) rather than one (a SQLite file)."""
    return dialect.of(conn) is dialect.POSTGRES


def local_name() -> str:
    """The name this desktop's person goes by in the team (desktop.team_config; "" if unset or unreadable)."""
    from desktop import team_config

    try:
        return team_config.load().name
    except team_config.TeamConfigError:
        return ""


def person(conn: Any) -> str:
    """Who is using this desktop: the name set on it, else the database role; "" on a single-user store.
    Asked once per connection."""
    if not shared(conn):
        return SINGLE_USER
    if conn.person is None:
        conn.person = local_name() or conn.execute("SELECT current_user").fetchone()[0]
    return conn.person


def read_time(conn: Any) -> tuple[str, list[object]]:
    """SQL for when this person read mention `m` (NULL: unread), and its parameters. One person on SQLite:
    the mention's own read_at, as always; in a team, this person's row in `reads`."""
    if not shared(conn):
        return "m.read_at", []
    return "(SELECT r.read_at FROM reads r WHERE r.person = ? AND r.mention = m.id)", [person(conn)]


def unread(conn: Any) -> tuple[str, list[object]]:
    """A condition: this person has not read mention `m`, and its parameters. NOT EXISTS rather than
    `read_time(...) IS NULL` in a team: PostgreSQL plans it as an anti-join and estimates it, where the
    correlated subquery's guess (0.5% of rows) made it collect and join every match before sorting."""
    if not shared(conn):
        return "m.read_at IS NULL", []
    return "NOT EXISTS (SELECT 1 FROM reads r WHERE r.person = ? AND r.mention = m.id)", [person(conn)]


def mark_read(conn: Any, mention_ids: list[int], read: bool, at: str | None) -> None:
    """Record that this person read (or unread) these mentions (`at`: stored time text)."""
    if not shared(conn):
        conn.executemany("UPDATE mentions SET read_at = ? WHERE id = ?", [(at if read else None, i)
                                                                          for i in mention_ids])
        return
    who = person(conn)
    if read:
        conn.executemany("INSERT INTO reads (person, mention, read_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                         [(who, i, at) for i in mention_ids])
    else:
        conn.executemany("DELETE FROM reads WHERE person = ? AND mention = ?", [(who, i) for i in mention_ids])


def seen_time(conn: Any) -> tuple[str, list[object]]:
    """SQL for when this person saw alert `a` (NULL: not seen), and its parameters. One person on SQLite: the
    alert's own seen_at, as always; in a team, this person's row in `alerts_seen` for the alert's revision (a
    re-raised alert is new again), or the alert's seen_at from before seen was per person (seen by everyone)."""
    if not shared(conn):
        return "a.seen_at", []
    return ("coalesce(a.seen_at, (SELECT s.seen_at FROM alerts_seen s WHERE s.person = ? AND s.mention = a.mention"
            " AND s.revision >= a.revision))", [person(conn)])


def unseen(conn: Any) -> tuple[str, list[object]]:
    """A condition: this person has not seen alert `a`, and its parameters (the start-up summary's alerts; the
    tray's count is kept by the store instead, alerts.unseen_count). NOT EXISTS in a team, which PostgreSQL runs as
    one anti-join: `seen_time(...) IS NULL` probed alerts_seen once per alert."""
    if not shared(conn):
        return "a.seen_at IS NULL", []
    return ("a.seen_at IS NULL AND NOT EXISTS (SELECT 1 FROM alerts_seen s WHERE s.person = ?"
            " AND s.mention = a.mention AND s.revision >= a.revision)", [person(conn)])


# This person saw the alerts matched by the WHERE that follows: their row moves to the alert's revision. The
# alerts read are locked (FOR SHARE) until the commit, so a teammate's re-raise of one waits, or is waited for, and
# the unseen tallies (migrations._v_unseen_tallies) count the revision that was really seen.
_SEEN_BY = ("INSERT INTO alerts_seen (person, mention, revision, seen_at) SELECT ?, mention, revision, ? FROM alerts"
            " WHERE {where} FOR SHARE ON CONFLICT (person, mention) DO UPDATE SET revision = excluded.revision,"
            " seen_at = excluded.seen_at WHERE alerts_seen.revision < excluded.revision")


def mark_seen(conn: Any, mention_ids: list[int] | None, at: str) -> None:
    """Record that this person saw the alerts of these mentions (None: every alert); `at`: stored time text.
    Seen stays seen until the alert is raised again for a new revision."""
    if not shared(conn):
        if mention_ids is None:
            conn.execute("UPDATE alerts SET seen_at = ? WHERE seen_at IS NULL", (at,))
        else:
            conn.executemany("UPDATE alerts SET seen_at = coalesce(seen_at, ?) WHERE mention = ?",
                             [(at, m) for m in mention_ids])
        return
    who = person(conn)
    if mention_ids is None:
        conn.execute(_SEEN_BY.format(where="true"), (who, at))
    elif mention_ids:  # one statement, not one per mention: each statement updates this person's unseen tally
        conn.execute(_SEEN_BY.format(where="mention = ANY(?)"), (who, at, list(mention_ids)))


class PollerLock:
    """Whether this desktop is the team's poller. On SQLite it always is.

    `is_poller()` is cheap to call on every scheduler tick: a desktop that holds the lock keeps it (its own
    connection, checked alive), one that does not asks PostgreSQL again only every `retry_s`.
    """

    def __init__(self, target: Target, *, retry_s: float = RETRY_S,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._target = target
        self._retry_s = retry_s
        self._monotonic = monotonic
        self._conn: Any = None
        self._held = not is_team(target)
        self._next_try = 0.0

    @property
    def held(self) -> bool:
        return self._held

    def is_poller(self) -> bool:
        if not is_team(self._target):
            return True
        if self._held:
            if self._alive():
                return True
            log.warning("lost the connection that held the team's poller lock")
            self._drop()
        now = self._monotonic()
        if now < self._next_try:
            return False
        self._next_try = now + self._retry_s
        try:
            if self._conn is None:
                self._conn = connect(self._target, migrate=False)
            self._held = bool(self._conn.execute("SELECT pg_try_advisory_lock(?)", (POLLER_LOCK,)).fetchone()[0])
        except Exception as exc:  # noqa: BLE001 - an unreachable server means "not the poller now"; said in the log
            log.warning("could not ask for the team's poller lock: %s", exc)
            self._drop()
        if self._held:
            log.info("this desktop is now the team's poller")
        return self._held

    def _alive(self) -> bool:
        try:
            self._conn.execute("SELECT 1")
            return True
        except Exception:  # noqa: BLE001 - any failure of the lock's connection means the lock is gone
            return False

    def _drop(self) -> None:
        self._held = False
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - closing a broken connection
                pass
            self._conn = None

    def release(self) -> None:
        """Give the poller's role up (on quit), at once: the server would free it only once it noticed the
        closed connection."""
        if self._held and self._conn is not None:
            try:
                self._conn.execute("SELECT pg_advisory_unlock(?)", (POLLER_LOCK,))
            except Exception:  # noqa: BLE001 - a broken connection: its lock goes with it
                pass
        self._drop()
        self._held = not is_team(self._target)


class Listener:
    """Hears the team's announcements on a connection of its own (blocking: run it on a background thread)."""

    def __init__(self, target: Target) -> None:
        self._conn = connect(target, migrate=False)
        self._conn.execute(f"LISTEN {CHANNEL}")

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self.messages()

    def messages(self, timeout: float | None = None) -> Iterator[dict[str, Any]]:
        """Each announcement as {"what": ..., "ids": [...], "origin": sending process, "pid": sending backend};
        ends after `timeout` seconds of silence (None: when the connection is closed)."""
        for note in self._conn.raw.notifies(timeout=timeout):
            try:
                message = json.loads(note.payload)
            except ValueError:
                continue
            if isinstance(message, dict):
                message["pid"] = note.pid
                yield message

    @property
    def backend_pid(self) -> int:
        return self._conn.raw.info.backend_pid

    def close(self) -> None:
        self._conn.close()
