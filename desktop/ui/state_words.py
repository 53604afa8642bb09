"""A source's state in words a freelancer understands, with what to do about it where there is something."""
from __future__ import annotations

from datetime import datetime

__all__ = ["state_words", "local_time"]


def local_time(moment: datetime) -> str:
    """HH:MM on the user's clock."""
    return moment.astimezone().strftime("%H:%M")


def state_words(state: str, last_error: str | None, retry_at: datetime | None = None) -> str:
    """The full sentence for a state; `last_error` is the typed error's message, `retry_at` a site's Retry-After."""
    error = " ".join((last_error or "").split())
    if state == "ok":
        return f"Working, but {error}" if error else "Working"
    if state == "not modified":
        return "Working: nothing new since the last check"
    if state == "new":
        return "Not checked yet"
    if state == "blocked":
        return "Blocked by the site's bot check: use import instead"
    if state == "login required":
        return "The page needs you to be signed in: Rapport reads public pages only, so use import instead"
    if state == "rate limited":
        when = f"at {local_time(retry_at)}" if retry_at else "later"
        return f"The site asked us to slow down: will try again {when}"
    if state == "layout changed":
        return "The page no longer looks as Rapport expects: the site may have changed"
    if state == "failing":
        return f"Failing: {error}" if error else "Failing"
    return f"Unknown state ({state})" + (f": {error}" if error else "")

