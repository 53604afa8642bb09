"""Hacker News stories and comments that mention you, through the Algolia search API, newest first."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from scrapers.base import LayoutChanged, Mention, collect
from scrapers.forum import ForumSource, keep_matching, load_json
from scrapers.http import PoliteSession
from scrapers.poll import PollOutcome, PollRequest
from scrapers.text import plain


__all__ = ["HackerNews", "hn_text"]

ITEM_URL = "https://news.ycombinator.com/item?id="
HITS_PER_PAGE = 100
# Pages per term and poll when much is new; the rest waits for the next poll (the checkpoint stays behind it).
MAX_PAGES = 5
_PARAGRAPH = re.compile(r"<p\b[^>]*>", re.IGNORECASE)


def hn_text(markup: str | None) -> str:
    """HN's comment HTML as plain text: `<p>` starts a paragraph (HN never closes them), so paragraphs are
    split there and joined by a blank line; entities such as `&#x27;` and `&#x2F;` are decoded, links kept
    as their text."""
    if not markup:
        return ""
    paragraphs = (plain(part) for part in _PARAGRAPH.split(markup))
    return "\n\n".join(p for p in paragraphs if p)


def _moment(hit: dict[str, Any]) -> datetime | None:
    stamp = hit.get("created_at_i")
    if isinstance(stamp, (int, float)) and not isinstance(stamp, bool) and 0 < stamp < 253402300799:
        return datetime.fromtimestamp(stamp, tz=timezone.utc)
    return None


class HackerNews(ForumSource):
    """Stories and comments that mention you on Hacker News.

    **Search terms:** your name, brand, handles or site (`Sam Rivera`, `rivera.dev`). Each is searched on
    Hacker News and kept only when it appears as a whole word or exact phrase, in any case; exclude terms
    drop a hit. Without terms of its own, the source uses your names from Settings.

    **URL:** leave the default (`https://hn.algolia.com/api/v1/search_by_date`).

    **Reads:** each matching story or comment: its text (paragraphs kept), author, time, the story it
    belongs to, and a link to it on news.ycombinator.com.

    **Limits:** the first check reads the newest 100 hits per term; later checks ask only for what is
    newer than the newest seen, up to 500 per term and check.
    """

    kind = "hackernews"
    display_name = "Hacker News (search)"
    default_url = "https://hn.algolia.com/api/v1/search_by_date"

    def poll(self, session: PoliteSession, request: PollRequest) -> PollOutcome:
        since = _int(request.checkpoint.get("created_at_i"))
        newest = since
        found: dict[str, tuple[Mention, tuple[str, ...]]] = {}
        unreadable: list[str] = []
        read: set[str] = set()  # every hit already read, usable or not
        for term in request.terms.include:
            upper: int | None = None
            for _page in range(MAX_PAGES):
                if request.cancelled():
                    return PollOutcome([], checkpoint=None)
                fetched = self.call(session, request, self.search_url(request.url, term, since, upper))
                hits = self._hits(load_json(fetched.text, fetched.url, "Hacker News search results"), fetched.url)
                # One unreadable hit never sinks the search: it is skipped with a note, as on every kind (and
                # noted once, though every term's search may answer with it).
                page = collect([h for h in hits if _hit_id(h) not in read], self._mention, url=fetched.url)
                read.update(_hit_id(h) for h in hits)
                unreadable.extend(page.unreadable)
                by_id = {_hit_id(h): h for h in hits if isinstance(h, dict)}
                fresh = 0
                for mention in page:
                    if mention.external_id in found:
                        continue
                    fresh += 1
                    hit = by_id.get(mention.external_id or "", {})
                    found[mention.external_id or ""] = (mention, _extra(hit))
                    newest = max(newest, _int(hit.get("created_at_i")))
                moments = [_int(h.get("created_at_i")) for h in hits if isinstance(h, dict)]
                # A short page is the last; on a first check one page is enough (no backfill of years).
                if len(hits) < HITS_PER_PAGE or not since or not fresh or not any(moments):
                    break
                upper = min(m for m in moments if m)
        return PollOutcome(keep_matching(found.values(), request.terms, unreadable),
                           checkpoint={"created_at_i": newest}, not_before=self.not_before)

    @staticmethod
    def search_url(base: str, term: str, since: int, upper: int | None = None) -> str:
        """The search for one term, stories and comments, newer than `since` (and, when paging back,
        not newer than `upper`): the cursor is a numeric filter, never a deep page number."""
        filters = [f"created_at_i>{since}"] if since else []
        if upper is not None:
            filters.append(f"created_at_i<={upper}")
        query = {"query": term, "tags": "(story,comment)", "hitsPerPage": str(HITS_PER_PAGE)}
        if filters:
            query["numericFilters"] = ",".join(filters)
        parts = urlsplit(base)
        return urlunsplit((parts.scheme, parts.netloc, parts.path or "/api/v1/search_by_date", urlencode(query), ""))

    def parse(self, body: bytes | str, url: str) -> list[Mention]:
        """Every hit of a saved search response (no terms applied)."""
        hits = self._hits(load_json(body, url, "Hacker News search results"), url)
        return collect(hits, self._mention, url=url)

    @staticmethod
    def _hits(data: Any, url: str) -> list[Any]:
        hits = data.get("hits") if isinstance(data, dict) else None
        if not isinstance(hits, list):
            raise LayoutChanged("the answer has no `hits` list: not an Algolia Hacker News search response",
                                url=url)
        return hits

    @staticmethod
    def _mention(hit: Any) -> Mention | None:
        if not isinstance(hit, dict) or not hit.get("objectID"):
            return None
        item_id = str(hit["objectID"])
        is_comment = hit.get("comment_text") is not None
        title = plain(hit.get("story_title") if is_comment else hit.get("title") or hit.get("story_title"))
        text = hn_text(hit.get("comment_text") if is_comment else hit.get("story_text"))
        if not text:
            text = title  # a link story: its title is all it says
        if not text:
            return None
        return Mention(text=text, author=plain(hit.get("author")), url=ITEM_URL + item_id,
                       external_id=item_id, posted_at=_moment(hit), title=title)


def _int(value: Any) -> int:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else 0


def _hit_id(hit: Any) -> str:
    return str(hit.get("objectID")) if isinstance(hit, dict) else ""


def _extra(hit: dict[str, Any]) -> tuple[str, ...]:
    """What else a hit may mention you in: the link of a story (your site)."""
    return tuple(str(hit[k]) for k in ("url", "story_url") if isinstance(hit.get(k), str))
