"""What every source shares: the Mention record, the Source base that registers kinds, and typed scrape errors."""
from __future__ import annotations

import dataclasses
import functools
import inspect
import ipaddress
import logging
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar
from urllib.parse import urlsplit

from scrapers.poll import Credential, PollOutcome, PollRequest
from scrapers.redact import redact

if TYPE_CHECKING:
    from scrapers.http import FetchResult, PoliteSession

log = logging.getLogger(__name__)


@dataclass(frozen=True, init=False)
class Mention:
    """One piece of feedback as a source found it: plain text, timezone-aware time, rating on 1-5."""

    text: str
    author: str = ""
    url: str = ""
    external_id: str | None = None
    posted_at: datetime | None = None
    rating: float | None = None
    title: str = ""
    language: str | None = None
    # The search term that made a forum source keep this (empty for review sources, which keep everything).
    matched: str = ""
    # The business's public answer, where the site shows one under the review (Trustpilot's `reply`).
    reply: str = ""
    reply_at: datetime | None = None

    def __init__(self, text: str, author: str = "", url: str = "", external_id: str | None = None,
                 posted_at: datetime | None = None, rating: float | None = None, title: str = "",
                 language: str | None = None, matched: str = "", reply: str = "",
                 reply_at: datetime | None = None) -> None:
        """The fields above, in their order and with their defaults (a test holds the two lists equal). Written
        out because a frozen dataclass's own __init__ sets each field through object.__setattr__, a fifth of
        what reading a review into a Mention costs; one update of the instance's dict does the same."""
        for moment in (posted_at, reply_at):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("Mention.posted_at and reply_at must be timezone-aware")
        if rating is not None and not 1 <= rating <= 5:
            raise ValueError(f"Mention.rating must be on 1-5, got {rating}")
        if isinstance(url, str) and url:
            url = redact(url)  # a review link's token is not the user's to keep
        self.__dict__.update(text=text, author=author, url=url, external_id=external_id, posted_at=posted_at,
                             rating=rating, title=title, language=language, matched=matched, reply=reply,
                             reply_at=reply_at)

    def problem(self) -> str | None:
        """Why this mention cannot be stored, in words, or None. Checked per item at the parse boundary, so
        one unusable review (a date that overflows in UTC, a lone surrogate) is skipped and its page kept."""
        if not self._texts_encode():
            why = self._text_problem()
            if why is not None:
                return why
        for moment in (self.posted_at, self.reply_at):
            if moment is None or moment.tzinfo is timezone.utc:
                continue  # (astimezone gives a UTC moment back as it is: nothing to overflow)
            try:
                moment.astimezone(timezone.utc)
            except (OverflowError, ValueError):
                return f"its date {moment.isoformat()} is out of range"
        if self.rating is not None and not math.isfinite(self.rating):
            return f"its rating {self.rating} is not a number"
        return None

    def _texts_encode(self) -> bool:
        """Every text field is a str (or an optional one None) that encodes as UTF-8: all of them joined and
        checked at once, as each field's own check costs more than the check itself (`_text_problem` then
        says which field it is)."""
        external_id, language = self.external_id, self.language
        try:
            joined = "".join((self.text, self.author, self.url, "" if external_id is None else external_id,
                              self.title, "" if language is None else language, self.reply))
        except TypeError:
            return False  # a field that is not text
        if joined.isascii():
            return True
        try:
            joined.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True

    def _text_problem(self) -> str | None:
        for name in ("text", "author", "url", "external_id", "title", "language", "reply"):
            value = getattr(self, name)
            if value is None:
                continue
            if not isinstance(value, str):
                return f"its {name.replace('_', ' ')} is not text"
            if value.isascii():
                continue  # encodes, and checking costs a fraction of encoding
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return f"its {name.replace('_', ' ')} is not valid Unicode (a lone surrogate)"
        return None

    def to_json(self) -> dict[str, object]:
        data = dataclasses.asdict(self)
        data["posted_at"] = self.posted_at.isoformat() if self.posted_at else None
        data["reply_at"] = self.reply_at.isoformat() if self.reply_at else None
        if not self.matched:
            del data["matched"]  # only search-term sources say what matched
        if not self.reply:
            del data["reply"], data["reply_at"]  # only sites that show the business's answer carry one
        return data


class ScrapeError(Exception):
    """A source could not be read. Carries the url and HTTP status (if any) for the source's state."""

    state: ClassVar[str] = "failing"

    def __init__(self, message: str, *, url: str = "", status: int | None = None) -> None:
        # What a site or a redirect put in an address may carry a token: never into a state, a log or a terminal.
        super().__init__(redact(message))
        self.url = redact(url)
        self.status = status

    def __reduce__(self) -> tuple[Any, ...]:
        # A parser's error crosses back from a worker process (desktop/polling/worker_process.py). Plain
        # exception pickling calls `cls(*args)`, which loses url and status and fails for RateLimited's retry_at.
        return (_rebuilt_error, (type(self), self.args, self.__dict__))


def _rebuilt_error(cls: type[ScrapeError], args: tuple[Any, ...], state: dict[str, Any]) -> ScrapeError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class FetchError(ScrapeError):
    """Network trouble, a server error, a bad URL or a page too large."""


class RedirectRefused(FetchError):
    """A public page redirected into this machine or its network (loopback, link-local, private addresses)."""


class Blocked(ScrapeError):
    """The site answered with a bot check or refused us (robots.txt, 403)."""

    state = "blocked"


class LoginRequired(ScrapeError):
    """The page needs a signed-in user."""

    state = "login required"


class RateLimited(ScrapeError):
    """The site asked us to slow down; `retry_at` (aware datetime) is when the scheduler may try again."""

    state = "rate limited"

    def __init__(self, message: str, *, retry_at: datetime, url: str = "", status: int | None = None) -> None:
        super().__init__(message, url=url, status=status)
        self.retry_at = retry_at


class ParseError(ScrapeError):
    """The body could not be read as the format the source expects."""


class LayoutChanged(ScrapeError):
    """The page parsed but no longer has the structure the source reads: the site changed its markup."""

    state = "layout changed"


class Mentions(list[Mention]):
    """What a page gave: its usable mentions, plus why each unusable item was skipped (`unreadable`).

    `complete` says the page held every review the site has for this source (a one-page list, or every
    page read), so a stored review missing from it was removed from the site. A partial read (the newest
    N, one page of several) leaves it False and never makes a review look removed.
    """

    def __init__(self, mentions: Iterable[Mention] = (), unreadable: Iterable[str] = (), *,
                 complete: bool = False) -> None:
        super().__init__(mentions)
        self.unreadable: list[str] = list(unreadable)
        self.complete = complete

    @property
    def whole_list(self) -> bool:
        """Every review of the site's list was read and understood: only then can absence mean removal."""
        return self.complete and not self.unreadable

    @property
    def total(self) -> int:
        return len(self) + len(self.unreadable)

    def note(self, items: str = "reviews") -> str | None:
        """ "1 of 20 reviews could not be read: <the first reason>", or None when every item was read."""
        if not self.unreadable:
            return None
        more = f" (and {len(self.unreadable) - 1} more)" if len(self.unreadable) > 1 else ""
        return f"{len(self.unreadable)} of {self.total} {items} could not be read: {self.unreadable[0]}{more}"


Item = TypeVar("Item")
# What a malformed item raises while being read: each is that item's problem, never its page's.
ITEM_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError, RecursionError)


def collect(items: Iterable[Item], build: Callable[[Item], Mention | None], *, url: str = "") -> Mentions:
    """Build a Mention from each raw item (None: not a mention, e.g. an empty entry); an item that cannot be
    read, or gives a mention that cannot be stored, is skipped with its reason and the rest is kept."""
    found = Mentions()
    unstorable: list[str] = []  # noted after the unreadable items, as checked() would note them
    for item in items:
        try:
            mention = build(item)
        except ITEM_ERRORS as exc:
            found.unreadable.append(_reason(exc))
            log.info("skipped an item on %s: %s", url, _reason(exc))
            continue
        if mention is None:
            continue
        why = why_unstorable(mention)  # checked()'s test, made here rather than over a second list built from this one
        if why is None:
            found.append(mention)
        else:
            unstorable.append(why)
            log.info("skipped an item on %s: %s", url, why)
    found.unreadable.extend(unstorable)
    return found


def why_unstorable(mention: Any) -> str | None:
    """Why the store cannot take what a parser gave (None: it can): a Mention's own problem, or not a Mention."""
    return mention.problem() if isinstance(mention, Mention) else f"the parser gave {type(mention).__name__}"


def checked(mentions: Iterable[Any], *, url: str = "") -> Mentions:
    """Keep the usable mentions; anything else (an unstorable mention, a stray non-Mention) is noted."""
    result = Mentions(unreadable=getattr(mentions, "unreadable", ()), complete=getattr(mentions, "complete", False))
    for mention in mentions:
        why = why_unstorable(mention)
        if why is None:
            result.append(mention)
        else:
            result.unreadable.append(why)
            log.info("skipped an item on %s: %s", url, why)
    return result


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    text = str(exc)
    if isinstance(exc, OverflowError):
        return f"a number in it is too large ({text})" if text else "a number in it is too large"
    return f"{text[:200]} ({exc.__class__.__name__})" if text else exc.__class__.__name__


def is_local_host(host: str) -> bool:
    """Whether `host` is this machine (localhost, 127.0.0.0/8, ::1): where copies of real pages are served."""
    host = host.lower().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def site_url_problem(url: str, *, domain: str, path: re.Pattern[str], site: str, page: str,
                     example: str) -> str | None:
    """Why `url` is not a `page` on `domain` (or a subdomain), in the user's words; None when it is one.

    A local address serves a copy of the page (the offline demo, a saved page): only its path is checked.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if not (host == domain or host.endswith("." + domain) or is_local_host(host)):
        return f"A {site} source reads a page on {domain}, e.g. {example}"
    if not path.match(parts.path or ""):
        return f"That is not a {page}: its address looks like {example}"
    return None


_REGISTRY: dict[str, type[Source]] = {}


def _walls_first(parse: Callable[[Source, bytes | str, str], list[Mention]]) -> Callable[..., list[Mention]]:
    """Every kind's parse looks for a wall first (scrapers/walls.py): a bot check, captcha, sign-in or refusal
    page is Blocked or LoginRequired, never "no reviews" or "layout changed", whatever the kind reads."""
    if getattr(parse, "_checks_walls", False):
        return parse

    @functools.wraps(parse)
    def parse_unless_walled(self: Source, body: bytes | str, url: str) -> list[Mention]:
        from scrapers import walls  # here, not at the top: walls imports this module's error types

        walls.check(body, url)
        return parse(self, body, url)

    parse_unless_walled._checks_walls = True  # type: ignore[attr-defined]
    return parse_unless_walled


class Source:
    """A kind of place feedback lives. Subclasses set `kind` and are registered by it.

    A subclass's docstring is the user's documentation, in Markdown: the URL pattern, what it reads, its
    limits (the Sources screen renders it; `rapport sources kinds` prints it). It speaks to users, so it
    names no internals; those go in comments.
    """

    kind: ClassVar[str] = ""
    # The kind's name as users see it ("Trustpilot company page"); `kind` stays the code name in the store and CLI.
    display_name: ClassVar[str] = ""
    # Page scrapers honour robots.txt; API and feed sources (meant for programs) do not need to.
    respects_robots: ClassVar[bool] = True
    accept: ClassVar[str] = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
    # Most parsers read text decoded by the HTTP layer; XML feeds read bytes, as they carry their own encoding.
    takes_bytes: ClassVar[bool] = False
    # A source that needs a secret (an API token, say) names it here; the Sources screen then asks for it
    # and keeps it in the system keyring, never in the store.
    secret_label: ClassVar[str | None] = None
    # The site numbers its reviews once for the whole site (not per page or per feed): two sources reading the
    # same review, say a company page and its page 2, store and alert it once. Off where ids are only local
    # ("#review-1" in JSON-LD, "1" as an RSS guid) and two sites could share one.
    review_ids_site_wide: ClassVar[bool] = False
    # Kinds that need several credentials (an app id and its secret) list them instead; all go to the keyring.
    credentials: ClassVar[tuple[Credential, ...]] = ()
    # Kinds that search (forums) take search terms and keep only what matches them.
    uses_terms: ClassVar[bool] = False
    # The address to use when the user gives none (an API endpoint); "" means the user must give one.
    default_url: ClassVar[str] = ""
    # The longest a kind may go between checks (a site's terms may ask for fresh data); None: no limit.
    max_interval_s: ClassVar[int | None] = None
    # Kinds read with selectors the user gives (css) take them when made: `cls(selectors=...)`.
    takes_selectors: ClassVar[bool] = False
    # What the kind's items are called in a note such as "1 of 20 reviews could not be read".
    items_called: ClassVar[str] = "reviews"
    # Each review has its own page on the site (Trustpilot's /reviews/<id>), which answers 404 or 410 once the
    # review is taken down: when a check reads only part of the list, a few stored reviews missing from it
    # are looked up there (scrapers/removals.py).
    review_pages: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind:
            if cls.kind in _REGISTRY and _REGISTRY[cls.kind] is not cls:
                raise TypeError(f"source kind {cls.kind!r} registered twice")
            _REGISTRY[cls.kind] = cls
        if "parse" in cls.__dict__:
            cls.parse = _walls_first(cls.__dict__["parse"])  # type: ignore[method-assign]

    @classmethod
    def title(cls) -> str:
        """What a user calls this kind: its display name, else its code name."""
        return cls.display_name or cls.kind

    @classmethod
    def help_markdown(cls) -> str:
        """The kind's user documentation (its docstring) as Markdown, indentation removed."""
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def check_url(cls, url: str) -> str | None:
        """Why `url` is not the shape of page this kind reads, in the user's words; None when it fits.

        Only the shape (host, path): whether the page is there is for a test fetch. The base accepts any
        http(s) address; kinds that read one site's pages override it.
        """
        return None

    @classmethod
    def credential_fields(cls) -> tuple[Credential, ...]:
        """What this kind keeps in the keyring: its `credentials`, or its one `secret_label` secret."""
        if cls.credentials:
            return cls.credentials
        return (Credential("", cls.secret_label),) if cls.secret_label else ()

    def poll(self, session: PoliteSession, request: PollRequest) -> PollOutcome:
        """One poll: every request this kind needs, its mentions, and what to keep for the next poll.

        The base reads one page with the stored validators. Kinds that search, page or fetch several things
        (forums, marketplaces) override this and return an updated `checkpoint`.
        """
        fetched = self.fetch(session, request.url, cursor=request.cursor, etag=request.etag,
                             last_modified=request.last_modified)
        if fetched.not_modified:
            return PollOutcome([], etag=fetched.etag, last_modified=fetched.last_modified, not_modified=True)
        return PollOutcome(request.parse(self, self.page_of(fetched), fetched.url), etag=fetched.etag,
                           last_modified=fetched.last_modified)

    def parse(self, body: bytes | str, url: str) -> list[Mention]:
        """Read mentions from a fetched body. Pure: no network, no clock."""
        raise NotImplementedError

    def fetch_url(self, url: str, cursor: str | None = None) -> str:
        """The URL to request for a configured source URL (sources with an API rewrite it)."""
        return url

    def fetch(self, session: PoliteSession, url: str, *, cursor: str | None = None, etag: str | None = None,
              last_modified: str | None = None) -> FetchResult:
        """Request this source's page the way its kind asks: its Accept header, robots.txt for page scrapers."""
        return session.fetch(self.fetch_url(url, cursor), etag=etag, last_modified=last_modified,
                             accept=self.accept, check_robots=self.respects_robots)

    def page_of(self, fetched: FetchResult) -> bytes | str:
        """What `parse` reads of a fetched page: bytes for kinds that decode themselves (feeds), else the text."""
        return fetched.body if self.takes_bytes else fetched.text

    def parse_fetched(self, fetched: FetchResult) -> Mentions:
        """Parse a fetched page here, in this thread."""
        return self.parse_page(self.page_of(fetched), fetched.url)

    def parse_page(self, body: bytes | str, url: str) -> Mentions:
        """`parse` with its contract enforced for every kind: usable mentions (each unusable item skipped and
        noted) or a typed ScrapeError. Whatever else a parser raises on hostile input becomes a ParseError."""
        try:
            return checked(self.parse(body, url), url=url)
        except ScrapeError:
            raise
        except Exception as exc:  # noqa: BLE001 - the contract: any parser failure is a typed error
            log.info("the %s parser failed on %s", self.kind, url, exc_info=True)  # the traceback: log file only
            raise ParseError(f"the page could not be read: {_reason(exc)}", url=url) from exc


def registry() -> dict[str, type[Source]]:
    return dict(_REGISTRY)


def get(kind: str) -> type[Source]:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise KeyError(f"unknown source kind {kind!r}; known: {', '.join(sorted(_REGISTRY))}") from None
