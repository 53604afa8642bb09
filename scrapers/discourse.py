"""Posts that mention you on any Discourse forum: its search, newest first, then each new hit in full."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from scrapers.base import Blocked, LayoutChanged, LoginRequired, Mention, collect
from scrapers.forum import ForumSource, keep_matching, load_json
from scrapers.http import FetchResult, PoliteSession
from scrapers.poll import Credential, PollOutcome, PollRequest
from scrapers.text import parse_iso_datetime, plain


__all__ = ["Discourse"]

# Full posts fetched per check at most; the rest waits for the next check (the checkpoint stays behind them).
MAX_POSTS = 25
# Search pages read per term and check at most. `after:` is by day, so a check re-reads from the day before
# the newest post it kept: on a busy forum that window can hold more than the first page of results, and
# posts past it would never be seen again. The pages are read until they reach a post already seen.
MAX_SEARCH_PAGES = 5


def _base(url: str) -> str:
    """The forum's address without a trailing slash (a forum may live under a path: /forum)."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


class Discourse(ForumSource):
    """Posts that mention you on a Discourse forum.

    **Search terms:** your name, brand, handles or site. Each is searched on the forum, newest first, and a
    post is kept only when one appears in it as a whole word or exact phrase, in any case; exclude terms drop
    it. Without terms of its own, the source uses your names from Settings.

    **URL:** the forum's address, e.g. `https://forum.example.org`.

    **Reads:** each new post in full (the search shows only a snippet): its text, author, time, topic title
    and link. Later checks ask only for posts since the newest one seen.

    **Limits:** forums limit anonymous searches; Rapport waits when asked to. For a private forum, add an API
    key and the username it acts as (from the forum's admin); the key is kept in the system keyring.
    """

    kind = "discourse"
    display_name = "Discourse forum (search)"
    credentials = (
        Credential("api_key", "API key (private forums)"),
        Credential("api_username", "API username", secret=False, help="The user the API key acts as"),
    )

    def _headers(self, request: PollRequest) -> dict[str, str]:
        key, user = request.credential("api_key"), request.credential("api_username")
        return {"Api-Key": key, "Api-Username": user} if key and user else {}

    def search_url(self, base: str, term: str, after: str | None, page: int = 1) -> str:
        query = f'"{term}" order:latest' + (f" after:{after}" if after else "")
        params = {"q": query, **({"page": str(page)} if page > 1 else {})}
        return f"{_base(base)}/search.json?{urlencode(params, quote_via=quote)}"

    def poll(self, session: PoliteSession, request: PollRequest) -> PollOutcome:
        seen = _int(request.checkpoint.get("post_id"))
        after = request.checkpoint.get("after") if isinstance(request.checkpoint.get("after"), str) else None
        headers = self._headers(request)
        hits: dict[int, tuple[dict[str, Any], str]] = {}  # new post id -> (search post, topic title)
        for term in request.terms.include:
            for page in range(1, MAX_SEARCH_PAGES + 1):
                if request.cancelled():
                    return PollOutcome([])
                fetched = self._call(session, request, self.search_url(request.url, term, after, page), headers)
                data = load_json(fetched.text, fetched.url, "Discourse search results")
                posts, topics = _search_parts(data, fetched.url)
                for post in posts:
                    post_id = _int(post.get("id"))
                    if post_id > seen and post_id not in hits:
                        hits[post_id] = (post, plain(topics.get(_int(post.get("topic_id")), {}).get("title") or ""))
                # Newest first: a page that reaches a post seen before (every day's overlap is then covered),
                # the last page, or a first check (no backfill of years) ends this term's search.
                ids = [_int(p.get("id")) for p in posts]
                if not seen or not ids or min(ids) <= seen or not _more_pages(data):
                    break
        found: list[tuple[Mention, tuple[str, ...]]] = []
        unreadable: list[str] = []
        newest, newest_day = seen, after
        for post_id in sorted(hits)[:MAX_POSTS]:  # oldest first, so a capped check leaves the newest for later
            if request.cancelled():
                return PollOutcome([])
            fetched = self._call(session, request, f"{_base(request.url)}/posts/{post_id}.json", headers)
            full = load_json(fetched.text, fetched.url, "a Discourse post")
            # One unreadable post is skipped with the same note as on every kind; the others are kept.
            post = collect([full if isinstance(full, dict) else {}],
                           lambda p: _post_mention(p, request.url, hits[post_id][1]), url=fetched.url)
            unreadable.extend(post.unreadable)
            for mention in post:
                found.append((mention, ()))
                if mention.posted_at is not None:
                    # Day granularity: search from the day before the newest, never miss a post across midnight.
                    day = (mention.posted_at - timedelta(days=1)).date().isoformat()
                    newest_day = max(newest_day or day, day)
            newest = post_id
        checkpoint = {"post_id": newest, **({"after": newest_day} if newest_day else {})}
        return PollOutcome(keep_matching(found, request.terms, unreadable), checkpoint=checkpoint,
                           not_before=self.not_before)

    def _call(self, session: PoliteSession, request: PollRequest, url: str, headers: dict[str, str]) -> FetchResult:
        try:
            return self.call(session, request, url, headers)
        except (Blocked, LoginRequired) as exc:
            if exc.status not in (401, 403):
                raise
            if headers:
                raise LoginRequired(f"the forum refused the API key ({exc.status}): check the key and its username, "
                                    "and that the key may read posts", url=exc.url, status=exc.status) from None
            raise LoginRequired(f"the forum needs a signed-in user ({exc.status}): add an API key and the username "
                                "it acts as to this source", url=exc.url, status=exc.status) from None

    def parse(self, body: bytes | str, url: str) -> list[Mention]:
        """A saved answer: search results (snippets), a topic (its posts in full) or one post. No terms applied."""
        data = load_json(body, url, "a Discourse answer")
        if isinstance(data, dict) and isinstance(data.get("post_stream"), dict):
            title = plain(data.get("title") or "")
            posts = data["post_stream"].get("posts")
            if not isinstance(posts, list):
                raise LayoutChanged("a Discourse topic without post_stream.posts", url=url)
            return collect(posts, lambda p: _post_mention(p, url, title), url=url)
        if isinstance(data, dict) and "cooked" in data and "id" in data:
            return collect([data], lambda p: _post_mention(p, url, ""), url=url)
        posts, topics = _search_parts(data, url)
        return collect(posts, lambda p: _search_mention(p, url, topics.get(_int(p.get("topic_id"))) or {}), url=url)


def _more_pages(data: Any) -> bool:
    grouped = data.get("grouped_search_result") if isinstance(data, dict) else None
    return bool(grouped.get("more_full_page_results")) if isinstance(grouped, dict) else False


def _int(value: Any) -> int:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _search_parts(data: Any, url: str) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """The search's posts and its topics by id."""
    if not isinstance(data, dict) or not isinstance(data.get("posts", []), list) or (
            "posts" not in data and "grouped_search_result" not in data):
        raise LayoutChanged("not Discourse search results (no posts or grouped_search_result)", url=url)
    posts = [p for p in data.get("posts") or [] if isinstance(p, dict)]
    topics = data.get("topics") if isinstance(data.get("topics"), list) else []
    return posts, {_int(t.get("id")): t for t in topics if isinstance(t, dict)}


def _post_url(base: str, post: dict[str, Any]) -> str:
    slug = post.get("topic_slug") or "-"
    topic, number = _int(post.get("topic_id")), _int(post.get("post_number"))
    if topic:
        return f"{_base(base)}/t/{slug}/{topic}" + (f"/{number}" if number else "")
    return f"{_base(base)}/p/{_int(post.get('id'))}"


def _author(post: dict[str, Any]) -> str:
    return plain(post.get("username") or post.get("name") or "")


def _moment(post: dict[str, Any]) -> datetime | None:
    return parse_iso_datetime(post.get("created_at"))


def _post_mention(post: dict[str, Any], base: str, title: str) -> Mention | None:
    """A full post: its cooked HTML as text (paragraphs kept), else its raw Markdown."""
    if not _int(post.get("id")):
        return None
    text = plain(post.get("cooked")) or plain(post.get("raw"))
    if not text:
        return None
    return Mention(text=text, author=_author(post), url=_post_url(base, post), external_id=str(post["id"]),
                   posted_at=_moment(post), title=title or plain(post.get("topic_title") or ""))


def _search_mention(post: dict[str, Any], base: str, topic: dict[str, Any]) -> Mention | None:
    """A search hit: only its blurb (a snippet around the match), with its topic's title and link."""
    if not _int(post.get("id")):
        return None
    text = plain(post.get("blurb"))
    if not text:
        return None
    linked = {**post, "topic_slug": post.get("topic_slug") or topic.get("slug")}
    return Mention(text=text, author=_author(post), url=_post_url(base, linked), external_id=str(post["id"]),
                   posted_at=_moment(post), title=plain(topic.get("title") or ""))
