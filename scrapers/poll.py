"""What one poll of a source is given and what it gives back, for kinds that need more than one request.

Most kinds read one page: `Source.poll` fetches it and parses it. Forum and marketplace kinds search, page
and follow up (search, then each new post; a token, then the API), and keep a checkpoint between polls (the
newest item seen) so the next poll asks only for newer items. The runner stays the same for all of them: it
hands over a PollRequest and stores what the PollOutcome says, in one transaction with the mentions.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scrapers.terms import Terms

__all__ = ["Credential", "PollRequest", "PollOutcome", "parse_here"]


@dataclass(frozen=True)
class Credential:
    """One thing a kind asks the user for and keeps in the system keyring (never the store, URL or log).

    `name` keys it in the keyring ("" is the kind's single secret); `secret` ones are typed as a password.
    `asked` False: not typed by the user but kept by Rapport itself (an OAuth sign-in, after connecting).
    """

    name: str
    label: str
    secret: bool = True
    help: str = ""
    asked: bool = True


def _never() -> bool:
    return False


def parse_here(source: Any, body: bytes | str, url: str) -> Any:
    """Parse a fetched page in this thread: `source.parse_page(body, url)`. The app hands polls a parser that
    runs in a worker process instead (desktop/polling/worker_process.py); the CLI and tests keep this one."""
    return source.parse_page(body, url)


@dataclass(frozen=True)
class PollRequest:
    """Everything a poll of one source may use. Credentials are in memory for this poll only."""

    url: str
    now: datetime
    checkpoint: Mapping[str, Any] = field(default_factory=dict)  # what this kind kept after its last poll
    config: Mapping[str, Any] = field(default_factory=dict)  # the user's settings for this source
    terms: Terms = field(default_factory=Terms)
    credentials: Mapping[str, str] = field(default_factory=dict, repr=False)
    cursor: str | None = None  # the newest posted_at seen (kept for every kind by the runner)
    etag: str | None = None
    last_modified: str | None = None
    cancelled: Callable[[], bool] = field(default=_never, repr=False, compare=False)
    # How a fetched page becomes mentions: (source, body, url) -> Mentions, or a typed ScrapeError.
    parse: Callable[[Any, bytes | str, str], Any] = field(default=parse_here, repr=False, compare=False)

    def credential(self, name: str) -> str:
        return (self.credentials.get(name) or "").strip()


@dataclass(frozen=True)
class PollOutcome:
    """What a poll found. `checkpoint` None keeps the stored one; `not_before` (a site's rate-limit window)
    holds the next poll of this source back, though this one succeeded."""

    mentions: list[Any]
    checkpoint: Mapping[str, Any] | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    not_before: datetime | None = None
