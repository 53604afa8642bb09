"""Upwork: the feedback clients left on your contracts, through Upwork's GraphQL API with your own API key.
Upwork's profile pages sit behind Cloudflare challenges even for people at home; the API, with the account
owner's OAuth 2.0 consent, is the only legitimate way in, and without a key the source says so plainly.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from scrapers.base import (Blocked, FetchError, LayoutChanged, LoginRequired, Mention, Mentions, Source, collect,
                           is_local_host, site_url_problem)
from scrapers.forum import load_json
from scrapers.http import PoliteSession
from scrapers.oauth import OAuthApp, RedirectCatcher, Tokens, exchange_code, new_state, refresh_tokens
from scrapers.poll import Credential, PollOutcome, PollRequest
from scrapers.text import normalise_rating, parse_iso_datetime, plain

__all__ = ["UpworkProfile", "NO_KEY", "WORK_HISTORY_QUERY", "parse_work_history", "parse_person_id", "upwork_app",
           "connect_account"]

NO_KEY = "Upwork blocks automated reading: connect your Upwork API key, or import your reviews"
SITE = "https://www.upwork.com"
API = "https://api.upwork.com"
AUTHORIZE_PATH = "/ab/account-security/oauth2/authorize"
TOKEN_PATH = "/api/v3/oauth2/token"
GRAPHQL_PATH = "/graphql"
# The callback address to register with the API key: Rapport listens there, on this machine only, while connecting.
REDIRECT_URI = "http://127.0.0.1:8765/upwork/callback"
TOKENS = "tokens"

PERSON_QUERY = "query RapportUser { user { id nid name } }"
WORK_HISTORY_QUERY = """query RapportFeedback($filter: TalentWorkHistoryFilterInput) {
  talentWorkHistory(filter: $filter) {
    workHistoryList {
      contract { id title startDate endDate status }
      feedback { feedbackToFreelancer { comment score feedbackSuppressed isPublic commentPublic } }
    }
    totalCount
  }
}"""
_PROFILE_PATH = re.compile(r"^/freelancers/(~[0-9a-f]{10,24}|[A-Za-z0-9_-]{2,60})/?$")


def upwork_app(profile_url: str, client_id: str, client_secret: str, redirect_uri: str = REDIRECT_URI) -> OAuthApp:
    """The user's API key with Upwork's endpoints (or, for a profile URL on this machine, the local copy's)."""
    parts = urlsplit(profile_url)
    local = f"{parts.scheme}://{parts.netloc}" if is_local_host(parts.hostname or "") else ""
    return OAuthApp(client_id=client_id, client_secret=client_secret,
                    authorize_url=(local or SITE) + AUTHORIZE_PATH, token_url=(local or SITE) + TOKEN_PATH,
                    redirect_uri=redirect_uri)


def _graphql_url(profile_url: str) -> str:
    parts = urlsplit(profile_url)
    local = f"{parts.scheme}://{parts.netloc}" if is_local_host(parts.hostname or "") else ""
    return (local or API) + GRAPHQL_PATH


def _data(body: bytes | str, url: str) -> dict[str, Any]:
    """GraphQL's `data`, or its first error in words (an authorization failure is a sign-in problem)."""
    answer = load_json(body, url, "an Upwork GraphQL answer")
    errors = answer.get("errors") if isinstance(answer, dict) else None
    if errors:
        # GraphQL says a list of objects with a `message`; a hostile or broken answer may hold anything there.
        first = errors[0] if isinstance(errors, list) and isinstance(errors[0], dict) else {}
        message = first.get("message")
        message = (plain(message) if isinstance(message, str) else "") or "unknown error"
        if "authoriz" in message.lower() or "authentic" in message.lower():
            raise LoginRequired(f"Upwork refused the API call ({message}): check the key's permissions, or "
                                "connect your Upwork account again", url=url)
        raise FetchError(f"Upwork's API answered with an error: {message}", url=url)
    data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, dict):
        raise LayoutChanged("Upwork's API answer has no `data`: its format changed", url=url)
    return data


def parse_person_id(body: bytes | str, url: str) -> str:
    user = _data(body, url).get("user")
    if not isinstance(user, dict) or not user.get("id"):
        raise LayoutChanged("Upwork's API did not say who you are (`user.id`)", url=url)
    return str(user["id"])


def parse_work_history(body: bytes | str, url: str, profile_url: str = "") -> Mentions:
    """Public client feedback from a `talentWorkHistory` answer: one mention per contract with feedback."""
    history = _data(body, url).get("talentWorkHistory")
    rows = history.get("workHistoryList") if isinstance(history, dict) else None
    if not isinstance(rows, list):
        raise LayoutChanged("Upwork's API answer has no `talentWorkHistory.workHistoryList`", url=url)
    return collect(rows, lambda row: _mention(row, profile_url or SITE), url=url)


def _mention(row: Any, profile_url: str) -> Mention | None:
    if not isinstance(row, dict):
        return None
    contract = row.get("contract") if isinstance(row.get("contract"), dict) else {}
    feedback = row.get("feedback") if isinstance(row.get("feedback"), dict) else {}
    given = feedback.get("feedbackToFreelancer") if isinstance(feedback.get("feedbackToFreelancer"), dict) else {}
    if not given or given.get("feedbackSuppressed") is True or given.get("isPublic") is False:
        return None  # no feedback yet, or feedback Upwork keeps private (it is not shown on the profile either)
    text = plain(given.get("commentPublic") or given.get("comment") or "")
    score = given.get("score")
    rating = normalise_rating(score) if isinstance(score, (int, float)) and score > 0 else None
    if not text and rating is None or not contract.get("id"):
        return None
    return Mention(text=text, url=profile_url, external_id=f"contract-{contract['id']}",
                   posted_at=parse_iso_datetime(contract.get("endDate") or contract.get("startDate")), rating=rating,
                   title=plain(contract.get("title") or ""))


class UpworkProfile(Source):
    """Your client feedback on Upwork, through Upwork's API with your own API key.

    **URL:** your profile, `https://www.upwork.com/freelancers/~<your id>`.

    **Without an API key** this source shows "blocked": Upwork's pages stop automated readers with a
    bot check, so Rapport does not read them. Import your reviews from a spreadsheet instead, or connect
    your key.

    **With an API key** (apply at Upwork's developer site; register `http://127.0.0.1:8765/upwork/callback`
    as its callback address): enter the key and its secret, then connect your account once in the browser
    ("Connect your account…" when you edit the source, or `rapport connect ID`). Rapport keeps the key,
    secret and sign-in in the system keyring and renews the sign-in by itself.

    **Reads:** for each of your contracts, the feedback the client left you (stars and comment), the
    contract's title and its end date. In Upwork's API terms: `user.id`, then `talentWorkHistory` for that
    person: `contract { id title startDate endDate }` and
    `feedback.feedbackToFreelancer { score comment commentPublic isPublic feedbackSuppressed }`.

    **Limits:** only feedback Upwork shows publicly; private feedback and the client's name are not
    available through the API, and neither are your Job Success Score's inputs.
    """

    # GraphQL, POST https://api.upwork.com/graphql with "Authorization: Bearer <token>":
    #   user { id nid name } (id: the personId), then
    #   talentWorkHistory(filter: {personId}) { workHistoryList { contract { id title startDate endDate status }
    #     feedback { feedbackToFreelancer { comment score feedbackSuppressed isPublic commentPublic } } } totalCount }
    # OAuth 2.0: authorize at www.upwork.com/ab/account-security/oauth2/authorize, tokens (and refresh) at
    # www.upwork.com/api/v3/oauth2/token. Checkpoint: person_id.
    kind = "upwork"
    display_name = "Upwork profile (with your API key)"
    respects_robots = False
    accept = "application/json"
    credentials: ClassVar[tuple[Credential, ...]] = (
        Credential("client_id", "Upwork API key", secret=False, help="the key (client ID) of your Upwork API app"),
        Credential("client_secret", "Upwork API secret", help="the secret of your Upwork API app"),
        Credential(TOKENS, "Upwork sign-in", asked=False, help="kept after you connect your account"),
    )

    def __init__(self) -> None:
        # Credentials the runner keeps in the keyring after this poll (a renewed sign-in), even if the poll failed.
        self.renewed: dict[str, str] = {}

    @staticmethod
    def connect(session: PoliteSession, url: str, credentials: Mapping[str, str], open_url: Callable[[str], object],
                now: datetime, *, timeout: float = 300, redirect_uri: str = REDIRECT_URI,
                cancelled: threading.Event | None = None) -> dict[str, str]:
        """Sign in once in the browser (see `connect_account`); the credentials to keep in the keyring."""
        return connect_account(session, url, credentials, open_url, now, timeout=timeout, redirect_uri=redirect_uri,
                               cancelled=cancelled)

    @classmethod
    def check_url(cls, url: str) -> str | None:
        return site_url_problem(url, domain="upwork.com", path=_PROFILE_PATH, site="Upwork", page="Upwork profile",
                                example="https://www.upwork.com/freelancers/~01abc...")

    def parse(self, body: bytes | str, url: str) -> list[Mention]:
        """A saved `talentWorkHistory` answer; a saved Upwork page is not read (see the docstring)."""
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        if text.lstrip().startswith("{"):
            return parse_work_history(text, url)
        raise Blocked(NO_KEY, url=url)

    def poll(self, session: PoliteSession, request: PollRequest) -> PollOutcome:
        client_id, secret = request.credential("client_id"), request.credential("client_secret")
        if not client_id or not secret:
            raise Blocked(NO_KEY, url=request.url)
        tokens = Tokens.from_json(request.credential(TOKENS))
        if tokens is None:
            raise LoginRequired("your Upwork API key is kept, but your account is not connected yet: run "
                                "`rapport connect` for this source", url=request.url)
        if not tokens.usable(request.now):
            tokens = refresh_tokens(session, upwork_app(request.url, client_id, secret), tokens, request.now)
            self.renewed = {TOKENS: tokens.to_json()}
        url = _graphql_url(request.url)
        auth = {"Authorization": f"Bearer {tokens.access_token}"}
        person = str(request.checkpoint.get("person_id") or "")
        if not person:
            answer = session.post_json(url, {"query": PERSON_QUERY}, headers=auth)
            person = parse_person_id(answer.text, answer.url)
        answer = session.post_json(url, {"query": WORK_HISTORY_QUERY, "variables": {"filter": {"personId": person}}},
                                   headers=auth)
        return PollOutcome(parse_work_history(answer.text, answer.url, request.url), checkpoint={"person_id": person})


def connect_account(session: PoliteSession, profile_url: str, credentials: Mapping[str, str],
                    open_url: Callable[[str], object], now: datetime, *, timeout: float = 300,
                    redirect_uri: str = REDIRECT_URI, cancelled: threading.Event | None = None) -> dict[str, str]:
    """The one-time sign-in: the browser asks you to allow Rapport, Upwork sends it back to 127.0.0.1 with a
    code, and the code becomes tokens. Returns the credentials to keep in the keyring (the tokens)."""
    client_id, secret = credentials.get("client_id", "").strip(), credentials.get("client_secret", "").strip()
    if not client_id or not secret:
        raise LoginRequired("enter your Upwork API key and secret for this source first", url=profile_url)
    app = upwork_app(profile_url, client_id, secret, redirect_uri)
    state = new_state()
    with RedirectCatcher(app.redirect_uri, state) as catcher:
        open_url(app.authorization_url(state))
        code = catcher.wait(timeout, cancelled)
    return {TOKENS: exchange_code(session, app, code, now).to_json()}
