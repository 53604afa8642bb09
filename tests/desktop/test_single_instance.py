"""A second launch on the same store wakes the first instead of running twice."""
from __future__ import annotations

from pathlib import Path

from desktop.shell.single_instance import SingleInstance


def test_second_instance_is_refused_and_wakes_the_first(qtbot, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    first = SingleInstance(db, tmp_path / "locks")
    assert first.acquire()
    try:
        second = SingleInstance(db, tmp_path / "locks")
        with qtbot.waitSignal(first.wake_requested, timeout=3000):
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
