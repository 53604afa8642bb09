"""Freelancer.com profiles through Freelancer.com's public JSON API: the reviews a freelancer received and their
reputation summary. Three calls: the username to an id, the reviews page by page (offset), the reputation.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

from scrapers.base import (FetchError, LayoutChanged, Mention, Mentions, ParseError, Source, collect, is_local_host,
                           site_url_problem)
from scrapers.forum import load_json
from scrapers.http import FetchResult, PoliteSession
from scrapers.poll import PollOutcome, PollRequest
from scrapers.text import normalise_rating, plain

__all__ = ["FreelancerProfile", "username_of", "parse_user_id", "parse_reviews", "parse_reputation",
           "reputation_summary", "FULL_REFRESH"]

SITE = "https://www.freelancer.com"
# Freelancer.com's API terms: data kept from the API is refreshed at least every 24 hours.
FULL_REFRESH = timedelta(hours=24)
PAGE_SIZE = 100
MAX_PAGES = 30  # 3,000 reviews a refresh; a profile with more is read newest first up to there
_PROFILE_PATH = re.compile(r"^/u/(?P<name>[A-Za-z0-9_.-]{1,60})/?$")


def username_of(url: str) -> str:
    """The username in a profile URL (`https://www.freelancer.com/u/<username>`)."""
    match = _PROFILE_PATH.match(urlsplit(url.strip()).path or "")
    if not match:
        raise FetchError("not a Freelancer.com profile address: it looks like https://www.freelancer.com/u/username",
                         url=url)
    return match.group("name")


def _api_origin(url: str) -> str:
    """Where the API answers: Freelancer.com itself, or the local copy a profile URL on this machine points to."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if is_local_host(parts.hostname or "") else SITE


def _result(data: Any, url: str, what: str) -> dict[str, Any]:
    """The `result` of the API's `{"status": "success", "result": {...}}` envelope, or the API's own error."""
    if not isinstance(data, dict):
        raise LayoutChanged(f"expected Freelancer.com's API envelope around {what}, got something else", url=url)
    if data.get("status") == "error":
        message = plain(data.get("message") or "no message")
        code = plain(data.get("error_code") or "")
        raise FetchError(f"Freelancer.com's API refused: {message}" + (f" ({code})" if code else ""), url=url)
    result = data.get("result")
    if data.get("status") != "success" or not isinstance(result, dict):
        raise LayoutChanged(f"Freelancer.com's API answer has no `result` for {what}: its format changed", url=url)
    return result


def parse_user_id(body: bytes | str, url: str, username: str) -> int:
    """The id of `username` from a users lookup (`/api/users/0.1/users/?usernames[]=`)."""
    users = _result(load_json(body, url, "a Freelancer.com users lookup"), url, "the users lookup").get("users")
    if not isinstance(users, dict):
        raise LayoutChanged("Freelancer.com's users lookup has no `users`: its format changed", url=url)
    for user in users.values():
        if isinstance(user, dict) and str(user.get("username", "")).lower() == username.lower():
            if isinstance(user.get("id"), int):
                return user["id"]
    raise FetchError(f"Freelancer.com has no user named {username!r}; check the profile address", url=url)


def _moment(value: Any) -> datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return datetime.fromtimestamp(value, tz=timezone.utc)
    return None


def _review_mention(review: dict[str, Any], users: Mapping[str, Any], projects: Mapping[str, Any],
                    profile_url: str) -> Mention | None:
    if review.get("status") not in (None, "complete") or not review.get("id"):
        return None  # pending (not yet public) or withdrawn reviews are not shown on the profile either
    reviewer = users.get(str(review.get("from_user_id")))
    author = ""
    if isinstance(reviewer, dict):
        author = plain(reviewer.get("display_name") or reviewer.get("public_name") or reviewer.get("username") or "")
    context = review.get("review_context") if isinstance(review.get("review_context"), dict) else {}
    project = projects.get(str(context.get("context_id")))
    title = plain((project or {}).get("title") if isinstance(project, dict) else None) or plain(
        context.get("context_name") or "")
    seo = (project or {}).get("seo_url") if isinstance(project, dict) else None
    seo = seo or context.get("seo_url")
    link = f"{SITE}/projects/{seo}" if isinstance(seo, str) and seo else profile_url
    rating = review.get("rating")
    return Mention(text=plain(review.get("description") or ""), author=author, url=link,
                   external_id=f"review-{review['id']}", posted_at=_moment(review.get("time_submitted")),
                   rating=normalise_rating(rating) if rating else None, title=title)


def parse_reviews(body: bytes | str, url: str, profile_url: str = "") -> tuple[Mentions, int]:
    """The public reviews on one page of `/api/projects/0.1/reviews/`, and how many the page held (to page on)."""
    result = _result(load_json(body, url, "Freelancer.com reviews"), url, "the reviews")
    reviews = result.get("reviews")
    if not isinstance(reviews, list):
        other = _other_answer(result)
        if other:
            raise ParseError(f"this is Freelancer.com's {other}, not its reviews answer "
                             "(/api/projects/0.1/reviews/)", url=url)
        raise LayoutChanged("Freelancer.com's reviews answer has no `reviews` list: its format changed", url=url)
    users = result.get("users") if isinstance(result.get("users"), dict) else {}
    projects = result.get("projects") if isinstance(result.get("projects"), dict) else {}

    def build(review: Any) -> Mention | None:
        if not isinstance(review, dict):
            return None
        mention = _review_mention(review, users, projects, profile_url or url)
        return mention if mention is not None and (mention.text or mention.rating is not None) else None

    return collect(reviews, build, url=url), len(reviews)


def _other_answer(result: dict[str, Any]) -> str:
    """Which other API answer a saved response is (a users lookup, a reputation), or "" if none."""
    if "users" in result:
        return "users lookup"
    if any(isinstance(v, dict) and "entire_history" in v for v in result.values()):
        return "reputation answer"
    return ""


def parse_reputation(body: bytes | str, url: str, user_id: int) -> dict[str, Any]:
    """The freelancer's whole-history reputation from `/api/users/0.1/reputations/`: what the profile shows."""
    result = _result(load_json(body, url, "a Freelancer.com reputation"), url, "the reputation")
    entry = result.get(str(user_id))
    history = entry.get("entire_history") if isinstance(entry, dict) else None
    if not isinstance(history, dict):
        raise LayoutChanged("Freelancer.com's reputation answer has no `entire_history`: its format changed", url=url)
    categories = history.get("category_ratings") if isinstance(history.get("category_ratings"), dict) else {}
    keep = {k: history.get(k) for k in ("overall", "reviews", "on_time", "on_budget", "completion_rate")}
    keep["hire_again"] = categories.get("hire_again")
    return {k: v for k, v in keep.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def reputation_summary(reputation: Mapping[str, Any]) -> str:
    """The reputation in one line, as the profile puts it: stars, reviews, on time, on budget, hire again."""
    parts = []
    if "overall" in reputation:
        count = int(reputation.get("reviews", 0))
        parts.append(f"{reputation['overall']:.1f}/5 from {count} review{'s' if count != 1 else ''}")
    for key, words in (("on_time", "on time"), ("on_budget", "on budget")):
        if key in reputation:
            parts.append(f"{reputation[key]:.0%} {words}")
    if "hire_again" in reputation:
        parts.append(f"would hire again {reputation['hire_again']:.1f}/5")
    return "; ".join(parts)


class FreelancerProfile(Source):
    """Your reviews on Freelancer.com, read through Freelancer.com's public API.

    **URL:** your profile, `https://www.freelancer.com/u/<username>`.

    **Reads:** every public review you received as a freelancer (projects and contests): its stars, text, the
    client's name, the project's title and the date; and your reputation as your profile shows it (stars,
    on time, on budget, would hire again), shown on the Sources screen.

    **Limits:** Freelancer.com's API terms ask that data kept from the API is refreshed at least every 24
    hours. Rapport keeps the reviews as your own feedback records (to score them, alert you and help you
    reply) and re-reads the whole review list and your reputation at least once a day; checks in between
    read only the newest reviews. This source is therefore checked at least daily. Reviews still awaiting
    the client's confirmation are not public and are not read. A review later removed from Freelancer.com
    stays in Rapport until you delete it.
    """

    # API: GET /api/users/0.1/users/?usernames[]=<name> (the id), then
    # GET /api/projects/0.1/reviews/?to_users[]=<id>&role=freelancer&review_types[]=project&review_types[]=contest
    #     &user_details=true&project_details=true&limit=100&offset=N (newest first; a short page is the last),
    # GET /api/users/0.1/reputations/?users[]=<id>&role=freelancer. Checkpoint: username, user_id, full_at
    # (the last full read), reputation and its one-line summary.
    kind = "freelancer"
    display_name = "Freelancer.com profile"
    respects_robots = False  # a public API, meant for programs
    accept = "application/json"
    max_interval_s: ClassVar[int] = int(FULL_REFRESH.total_seconds())
    page_size: ClassVar[int] = PAGE_SIZE

    @classmethod
    def check_url(cls, url: str) -> str | None:
        return site_url_problem(url, domain="freelancer.com", path=_PROFILE_PATH, site="Freelancer.com",
                                page="Freelancer.com profile", example="https://www.freelancer.com/u/username")

    def parse(self, body: bytes | str, url: str) -> list[Mention]:
        """The reviews in one saved reviews response."""
        return parse_reviews(body, url)[0]

    def poll(self, session: PoliteSession, request: PollRequest) -> PollOutcome:
        username = username_of(request.url)
        api = _api_origin(request.url)
        profile_url = f"{SITE}/u/{username}"
        checkpoint = dict(request.checkpoint)
        if checkpoint.get("username") != username or not isinstance(checkpoint.get("user_id"), int):
            lookup = self._get(session, f"{api}/api/users/0.1/users/?usernames[]={quote(username)}")
            checkpoint = {"username": username, "user_id": parse_user_id(lookup.text, lookup.url, username)}
        user_id = checkpoint["user_id"]
        full = _full_refresh_due(checkpoint.get("full_at"), request.now)
        since = request.cursor if not full else None
        mentions = Mentions()
        for page in range(MAX_PAGES):
            if request.cancelled():
                return PollOutcome([], checkpoint=None)
            fetched = self._get(session, self.reviews_url(api, user_id, page * self.page_size))
            found, held = parse_reviews(fetched.text, fetched.url, profile_url)
            mentions.extend(found)
            mentions.unreadable.extend(found.unreadable)
            if held < self.page_size or (since and _all_seen(found, since)):
                break
        reputation_page = self._get(session, f"{api}/api/users/0.1/reputations/?users[]={user_id}&role=freelancer")
        reputation = parse_reputation(reputation_page.text, reputation_page.url, user_id)
        checkpoint.update(reputation=reputation, summary=reputation_summary(reputation))
        if full:
            checkpoint["full_at"] = request.now.astimezone(timezone.utc).isoformat()
        return PollOutcome(mentions, checkpoint=checkpoint)

    def reviews_url(self, api: str, user_id: int, offset: int) -> str:
        return (f"{api}/api/projects/0.1/reviews/?to_users[]={user_id}&role=freelancer&review_types[]=project"
                f"&review_types[]=contest&user_details=true&project_details=true&limit={self.page_size}"
                f"&offset={offset}")

    def _get(self, session: PoliteSession, url: str) -> FetchResult:
        return session.fetch(url, accept=self.accept, check_robots=False)


def _full_refresh_due(full_at: Any, now: datetime) -> bool:
    try:
        last = datetime.fromisoformat(str(full_at)) if full_at else None
    except ValueError:
        last = None
    return last is None or now - last >= FULL_REFRESH


def _all_seen(found: list[Mention], since: str) -> bool:
    """Every review on the page is no newer than the newest already stored (the list runs newest first)."""
    moments = [m.posted_at.astimezone(timezone.utc).isoformat() for m in found if m.posted_at is not None]
    return not moments or max(moments) <= since
