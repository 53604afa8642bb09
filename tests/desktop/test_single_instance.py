"""A second launch on the same store wakes the first instead of running twice."""
from __future__ import annotations

from pathlib import Path

from desktop.shell.single_instance import SingleInstance
from tests.helpers.fixtures import PATIENCE_MS


def test_second_instance_is_refused_and_wakes_the_first(qtbot, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    first = SingleInstance(db, tmp_path / "locks")
    assert first.acquire()
    try:
        second = SingleInstance(db, tmp_path / "locks")
        with qtbot.waitSignal(first.wake_requested, timeout=PATIENCE_MS):
            assert not second.acquire()
    finally:
        first.release()
    third = SingleInstance(db, tmp_path / "locks")
    assert third.acquire()  # released locks are free again
    third.release()


def test_other_stores_run_side_by_side(tmp_path: Path) -> None:
    a = SingleInstance(tmp_path / "a.sqlite3", tmp_path / "locks")
    b = SingleInstance(tmp_path / "b.sqlite3", tmp_path / "locks")
    try:
        assert a.acquire() and b.acquire()
    finally:
        a.release()
        b.release()


def test_the_lock_is_named_as_earlier_versions_name_it(tmp_path: Path) -> None:
    """The key is SHA-256 of the store's path (made by Qt now, not hashlib): an older Rapport still running on the
    store holds the same lock, so the two never run side by side."""
    import getpass
    import hashlib

    from desktop.shell.single_instance import instance_key

    for store in (tmp_path / "rapport.sqlite3", "postgresql://alex@db.example/rapport"):
        name = store if isinstance(store, str) else str(store.resolve())
        assert instance_key(store) == f"rapport-{getpass.getuser()}-{hashlib.sha256(name.encode()).hexdigest()[:16]}"


def test_rapport_listens_for_second_launches_once_asked(qtbot, tmp_path: Path) -> None:
    """`rapport` takes the lock before its window and listens once the window has painted (QtNetwork is not what
    the first paint shows): a launch before that is refused all the same, one after wakes it."""
    db = tmp_path / "r.sqlite3"
    first = SingleInstance(db, tmp_path / "locks")
    assert first.acquire(listen=False)
    try:
        woken: list[bool] = []
        first.wake_requested.connect(lambda: woken.append(True))
        assert not SingleInstance(db, tmp_path / "locks").acquire()  # refused, nobody to wake yet
        assert woken == [] and first._server is None
        first.listen()
        with qtbot.waitSignal(first.wake_requested, timeout=PATIENCE_MS):
            assert not SingleInstance(db, tmp_path / "locks").acquire()
    finally:
        first.release()
