"""StoreReader's lanes: the readers of one connection share two threads and two connections, not one each."""
from __future__ import annotations

import threading

from desktop.shell.reader import StoreReader


def where_read(conn) -> tuple[int, int]:  # noqa: ANN001
    """The thread a read ran on and the connection it was given."""
    conn.execute("SELECT count(*) FROM mentions").fetchone()
    return threading.get_ident(), id(conn)


def test_readers_of_one_connection_share_a_lane_and_the_inbox_rows_have_their_own(qtbot, conn) -> None:
    pages, other_page, rows = StoreReader(conn), StoreReader(conn), StoreReader(conn, eager=True)
    answers: dict[str, tuple[int, int]] = {}
    for name, reader in (("pages", pages), ("other page", other_page), ("rows", rows)):
        reader.read(name, where_read, lambda answer, name=name: answers.__setitem__(name, answer))
    qtbot.waitUntil(lambda: len(answers) == 3)
    assert answers["pages"] == answers["other page"]  # one thread, one connection
    assert answers["rows"][0] != answers["pages"][0] and answers["rows"][1] != answers["pages"][1]
    assert threading.get_ident() not in {thread for thread, _conn in answers.values()}
    for reader in (pages, other_page, rows):
        reader.shutdown()


def test_a_lanes_connection_closes_with_its_last_reader(qtbot, conn) -> None:
    first, second = StoreReader(conn), StoreReader(conn)
    done: list[object] = []
    first.read("one", where_read, done.append)
    qtbot.waitUntil(lambda: bool(done))
    connection = first._connection
    assert connection is second._connection and connection.conn is not None
    first.shutdown()
    assert connection.conn is not None  # the second reader still reads through it
    first.read("after", where_read, done.append)  # a shut-down reader asks nothing more
    assert not first.busy
    second.read("two", where_read, done.append)
    qtbot.waitUntil(lambda: len(done) == 2)
    second.shutdown()
    assert connection.conn is None  # closed with the last reader
    third = StoreReader(conn)  # a new reader opens a new lane
    third.read("three", where_read, done.append)
    qtbot.waitUntil(lambda: len(done) == 3)
    assert third._connection is not connection
    third.shutdown()
