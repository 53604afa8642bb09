"""Polling: fetch a source, parse it, ingest what is new, and record how it went. The runner has no Qt.

The runner is imported on first use, not with the package: it pulls in requests and the parsers, which
the GUI does not need before its first paint (the scheduler imports this package).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.polling.runner import PollResult, poll_all, poll_once

__all__ = ["PollResult", "poll_all", "poll_once"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from desktop.polling import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
