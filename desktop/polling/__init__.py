"""Polling: fetch a source, parse it, ingest what is new, and record how it went. The runner has no Qt."""
from desktop.polling.runner import PollResult, poll_all, poll_once

__all__ = ["PollResult", "poll_all", "poll_once"]
