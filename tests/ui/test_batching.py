"""Batching what arrives in bursts (shell/batching.py): one hand-over a batch, at a pause or at the latest."""
from __future__ import annotations

from desktop.shell.batching import Batcher


def test_a_batch_goes_at_the_first_pause_with_everything_before_it(qtbot) -> None:
    handed: list[list[int]] = []
    batcher: Batcher[int] = Batcher(handed.append, 60_000, quiet_ms=10)
    batcher.add([1, 2])
    batcher.add([3])  # no event loop ran between: the same burst
    assert batcher.pending and handed == []
    qtbot.waitUntil(lambda: bool(handed))  # long before the 60 s latest: the pause sent it
    assert handed == [[1, 2, 3]] and not batcher.pending
    batcher.add([4])
    qtbot.waitUntil(lambda: len(handed) == 2)
    assert handed[1] == [4]


def test_a_batch_that_never_pauses_goes_at_the_latest(qtbot) -> None:
    handed: list[list[int]] = []
    batcher: Batcher[int] = Batcher(handed.append, 10, quiet_ms=60_000)
    batcher.add([1])
    qtbot.waitUntil(lambda: bool(handed))
    assert handed == [[1]] and not batcher.pending
    batcher.add([2])
    batcher.cancel()
    qtbot.wait(30)
    assert handed == [[1]] and not batcher.pending
