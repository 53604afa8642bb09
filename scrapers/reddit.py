"""Reddit posts and comments that mention you: the search's Atom feed by default, the Listing JSON of the
OAuth API when the user has an approved Reddit app."""
from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode, urlsplit

from scrapers.base import (Blocked, LayoutChanged, LoginRequired, Mention, Mentions, ParseError, RateLimited, collect,
                           is_local_host)
from scrapers.feed_reading import parsed_date, read_feed
from scrapers.forum import ForumSource, keep_matching, load_json
from scrapers.http import APP_VERSION, FetchResult, PoliteSession
from scrapers.poll import Credential, PollOutcome, PollRequest
from scrapers.reddit_auth import TOKENS
from scrapers.terms import Terms
from scrapers.text import plain

log = logging.getLogger(__name__)

__all__ = ["Reddit", "search_query"]

WEB = "https://www.reddit.com"
API = "https://oauth.reddit.com"
TOKEN_PATH = "/api/v1/access_token"
LIMIT = 100
# How long to leave Reddit alone when an answer looks throttled (an empty listing right after a full one).
THROTTLE_PAUSE = timedelta(minutes=10)
_SUBREDDIT = re.compile(r"^/r/([A-Za-z0-9_]{2,21})(/|$)")
_FOOTER = re.compile(r"\s*submitted by\s+/u/\S+.*$", re.DOTALL)
ATOM_ACCEPT = "application/atom+xml,application/xml;q=0.9,*/*;q=0.5"


def search_query(terms: Terms) -> str:
    """Reddit's search for any of the terms, each as a phrase: `"Sam Rivera" OR "rivera.dev"`."""
    return " OR ".join(f'"{t}"' for t in terms.include)


def _subreddit(url: str) -> str | None:
    match = _SUBREDDIT.match(urlsplit(url).path)
    return match.group(1) if match else None


def _origin(url: str, real: str) -> str:
    """Reddit's own host, or the local one serving copies of its answers (tests, the demo)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if is_local_host(parts.hostname or "") else real


def _moment(value: Any) -> datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 253402300799:
        return datetime.fromtimestamp(value, tz=timezone.utc)
    return None


class Reddit(ForumSource):
    """Posts (and, with an app key, comments) that mention you on Reddit.

    **Search terms:** your name, brand, handles or site. Reddit is searched for any of them, and a hit is
    kept only when one appears as a whole word or exact phrase, in any case; exclude terms drop it. Without
    terms of its own, the source uses your names from Settings.

    **URL:** `https://www.reddit.com` searches all of Reddit; a subreddit's address
    (`https://www.reddit.com/r/forhire`) searches only there.

    **Reads:** Reddit's search feed (no account needed): title, text, author, time and link of each new post.
    With an approved Reddit app (its client id and secret, kept in the system keyring) it reads Reddit's API
    instead, which also finds comments and asks only for what is newer than the last check.

    **Limits:** Reddit allows about 10 requests a minute without an app and 100 with one. When Reddit
    answers with nothing right after a full answer, it may be throttling: the source says so and waits.
    """

    kind = "reddit"
    display_name = "Reddit (search)"
    default_url = WEB
    credentials = (
        Credential("client_id", "Reddit app client id", secret=False,
                   help="From an approved app at reddit.com/prefs/apps (type: script or web app)"),
        Credential("client_secret", "Reddit app secret"),
        Credential("username", "Your Reddit username", secret=False,
                   help="Reddit asks apps to name their developer in the User-Agent"),
    )

    @classmethod
    def check_url(cls, url: str) -> str | None:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        if not (host == "reddit.com" or host.endswith(".reddit.com") or is_local_host(host)):
            return "A Reddit source reads reddit.com: https://www.reddit.com, or a subreddit like " \
                   "https://www.reddit.com/r/forhire"
        return None

    @staticmethod
    def user_agent(request: PollRequest) -> str:
        """Reddit's rule: `<platform>:<app id>:<version> (by /u/<name>)`."""
        name = request.credential("username").removeprefix("/u/").removeprefix("u/")
        by = f"(by /u/{name})" if name else "(Rapport reputation monitor for freelancers)"
        return f"desktop:rapport:{APP_VERSION} {by}"

    def poll(self, session: PoliteSession, request: PollRequest) -> PollOutcome:
        if request.credential("client_id") and request.credential("client_secret"):
            return self._poll_api(session, request)
        return self._poll_feed(session, request)

    # -- the search feed (no app) ------------------------------------------------------------------------
    def feed_url(self, url: str, terms: Terms) -> str:
        sub = _subreddit(url)
        query = {"q": search_query(terms), "sort": "new", "limit": str(LIMIT)}
        if sub:
            query["restrict_sr"] = "1"
        return f"{_origin(url, WEB)}{f'/r/{sub}' if sub else ''}/search.rss?{urlencode(query)}"

    def _poll_feed(self, session: PoliteSession, request: PollRequest) -> PollOutcome:
        fetched = self._call(session, request, self.feed_url(request.url, request.terms), accept=ATOM_ACCEPT,
                             anonymous=True)
        found = self.parse_atom(fetched.body, fetched.url)
        last = int(request.checkpoint.get("feed_count") or 0) if request.checkpoint.get("mode") == "feed" else 0
        self._suspect_throttling(found, last > 0, request, fetched)
        checkpoint = {"mode": "feed", "feed_count": len(found)}
        return PollOutcome(keep_matching(((m, ()) for m in found), request.terms, found.unreadable), checkpoint=checkpoint,
                           not_before=self.not_before)

    # -- the API (an approved app) -----------------------------------------------------------------------
    def api_url(self, url: str, terms: Terms, before: str | None) -> str:
        sub = _subreddit(url)
        query = {"q": search_query(terms), "sort": "new", "limit": str(LIMIT), "raw_json": "1"}
        if sub:
            query["restrict_sr"] = "1"
        if before:
            query["before"] = before  # only what is newer than the newest seen
        return f"{_origin(url, API)}{f'/r/{sub}' if sub else ''}/search?{urlencode(query)}"

    def _poll_api(self, session: PoliteSession, request: PollRequest) -> PollOutcome:
        token_url = _origin(request.url, WEB) + TOKEN_PATH
        client_id, secret = request.credential("client_id"), request.credential("client_secret")
        api = request.checkpoint.get("mode") == "api"
        before = request.checkpoint.get("before") if api else None
        url = self.api_url(request.url, request.terms, before if isinstance(before, str) else None)
        agent = self.user_agent(request)
        for attempt in (0, 1):
            token = TOKENS.token(session, token_url, client_id, secret, agent, request.now, fresh=attempt > 0)
            try:
                fetched = self._call(session, request, url, {"Authorization": f"bearer {token}",
                                                               "User-Agent": agent})
                break
            except LoginRequired as exc:
                if exc.status != 401 or attempt:
                    raise
                TOKENS.forget(token_url, client_id)  # expired or revoked early: one new token, one more try
        found = self.parse_listing(load_json(fetched.text, fetched.url, "a Reddit listing"), fetched.url)
        last = int(request.checkpoint.get("api_count") or 0) if api else 0
        self._suspect_throttling(found, last >= LIMIT, request, fetched)
        newest = found[0].external_id if found else before  # a listing sorted by new: the first is the newest
        checkpoint = {"mode": "api", "api_count": len(found), **({"before": newest} if newest else {})}
        return PollOutcome(keep_matching(((m, ()) for m in found), request.terms, found.unreadable), checkpoint=checkpoint,
                           not_before=self.not_before)

    # -- shared ------------------------------------------------------------------------------------------
    def _call(self, session: PoliteSession, request: PollRequest, url: str,
              headers: dict[str, str] | None = None, *, accept: str = "application/json",
              anonymous: bool = False) -> FetchResult:
        try:
            return self.call(session, request, url, headers or {"User-Agent": self.user_agent(request)},
                             accept=accept)
        except Blocked as exc:
            if exc.status != 403:
                raise
            if anonymous:
                raise Blocked("Reddit refused to answer without an app (403). Add an approved Reddit app's client "
                              "id and secret to this source, or check the address is reddit.com or a subreddit",
                              url=exc.url, status=403) from None
            raise Blocked("Reddit refused the app (403): check Reddit approved it for reading, and that the "
                          "subreddit is public", url=exc.url, status=403) from None

    def _suspect_throttling(self, found: list[Mention], was_full: bool, request: PollRequest,
                            fetched: FetchResult) -> None:
        """Reddit may answer a throttled client with an empty 200 rather than a 429: an empty answer right after
        a full one is treated as that, not as "nothing new"."""
        if found or not was_full:
            return
        retry_at = self.not_before or request.now + THROTTLE_PAUSE
        raise RateLimited("Reddit may be throttling: an empty answer right after a full one; next try after "
                          f"{retry_at.isoformat(timespec='seconds')}", retry_at=retry_at, url=fetched.url,
                          status=fetched.status)

    def parse(self, body: bytes | str, url: str) -> list[Mention]:
        """A saved answer: Listing JSON (the API, or a `.json` page) or the Atom feed. No terms applied."""
        head = (body[:200].decode("utf-8", "replace") if isinstance(body, bytes) else body[:200]).lstrip("\ufeff \n\r\t")
        if head.startswith(("{", "[")):
            return self.parse_listing(load_json(body, url, "a Reddit listing"), url)
        return self.parse_atom(body, url)

    @staticmethod
    def parse_listing(data: Any, url: str) -> Mentions:
        """`{"kind": "Listing", "data": {"children": [{"kind": "t3"|"t1", "data": {...}}]}}`, newest first."""
        listing = data[0] if isinstance(data, list) and data else data  # a post page is [post, comments]
        inner = listing.get("data") if isinstance(listing, dict) and listing.get("kind") == "Listing" else None
        children = inner.get("children") if isinstance(inner, dict) else None
        if not isinstance(children, list):
            raise LayoutChanged("not a Reddit Listing (no data.children)", url=url)
        return collect(children, _listing_mention, url=url)

    @staticmethod
    def parse_atom(body: bytes | str, url: str) -> Mentions:
        parsed = read_feed(body, url, resolve_ids=False)
        entries = parsed.get("entries") or []
        if not parsed.get("version") and not entries:
            raise ParseError("expected Reddit's Atom feed, got something else", url=url)
        return collect(entries, _atom_mention, url=url)


def _listing_mention(child: Any) -> Mention | None:
    if not isinstance(child, dict) or child.get("kind") not in ("t1", "t3") or not isinstance(child.get("data"), dict):
        return None
    data = child["data"]
    name = data.get("name") or (f"{child['kind']}_{data['id']}" if data.get("id") else None)
    if not name:
        return None
    if child["kind"] == "t3":
        title, text = plain(data.get("title")), plain(data.get("selftext"))
    else:
        title, text = plain(data.get("link_title")), plain(data.get("body"))
    text = text or title
    if not text:
        return None
    permalink = data.get("permalink") if isinstance(data.get("permalink"), str) else ""
    author = str(data.get("author") or "")
    return Mention(text=text, author="" if author == "[deleted]" else author,
                   url=WEB + permalink if permalink.startswith("/") else permalink,
                   external_id=str(name), posted_at=_moment(data.get("created_utc")), title=title)


def _atom_mention(entry: Any) -> Mention | None:
    content = next((c.get("value") for c in entry.get("content") or [] if c.get("value")), entry.get("summary"))
    text = _FOOTER.sub("", plain(content or "")).strip()
    title = plain(entry.get("title") or "")
    author = plain((entry.get("author_detail") or {}).get("name") or entry.get("author") or "")
    stamp = parsed_date(entry, "published_parsed", "updated_parsed")
    moment = datetime(*stamp[:6], tzinfo=timezone.utc) if stamp else None
    link = entry.get("link") or ""
    return Mention(text=text or title, author=author.removeprefix("/u/"), url=link,
                   external_id=entry.get("id") or link or None, posted_at=moment, title=title)
