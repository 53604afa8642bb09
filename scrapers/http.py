"""Polite HTTP in one place: timeouts and a total deadline, bounded retries, conditional GET, robots.txt,
a size cap, an honest user agent, and every failure as a typed ScrapeError carrying url and status.

Pacing and Retry-After belong to the scheduler: this module never sleeps on a site's request to slow down
(urllib3 #1338: an hour-long Retry-After slept out inside a worker). It turns 429/503 into RateLimited.
"""
from __future__ import annotations

import http.client
import importlib.metadata
import json
import logging
import re
import socket
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from urllib3.util.retry import Retry

from scrapers.addresses import Resolver, addresses_of, is_local, kind_of, resolve
from scrapers.base import Blocked, FetchError, LoginRequired, ParseError, RateLimited, RedirectRefused
from scrapers.deadline import Deadline, WatchedAdapter
from scrapers.guard import forbid_gui_thread
from scrapers.redact import credentials_problem
from scrapers.robots import RobotsCache, RobotsRules
from scrapers.text import decode
from scrapers.walls import LOGIN_PATH as _LOGIN_PATH, is_challenge

log = logging.getLogger(__name__)

__all__ = ["APP_VERSION", "USER_AGENT", "FetchResult", "PoliteSession", "parse_retry_after", "check_url"]



def _version() -> str:
    try:
        return importlib.metadata.version("rapport")
    except importlib.metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


APP_VERSION = _version()
USER_AGENT = f"Rapport/{APP_VERSION} (+reputation monitor for freelancers)"
MAX_BYTES = 5_000_000
# When a site says "slow down" without saying for how long.
DEFAULT_RETRY_AFTER = timedelta(minutes=15)
# "Retry now" (or a date already past) is not a plan: wait at least this long.
MIN_RETRY_AFTER = timedelta(minutes=1)
# A Retry-After further out than this is more likely a mistake than a plan; the scheduler re-asks then.
MAX_RETRY_AFTER = timedelta(hours=24)
ROBOTS_MAX_BYTES = 500_000

_DELTA_SECONDS = re.compile(r"[0-9]+", re.ASCII)
_REDIRECTS = {301, 302, 303, 307, 308}


def check_url(url: str) -> str:
    """Refuse anything but an absolute http(s) URL with a host: file:, ftp:, javascript: never reach the session."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL with a host: {url!r}", url=url)
    problem = credentials_problem(url)
    if problem is not None:
        raise FetchError(problem, url=url)
    return url.strip()


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """Retry-After as an aware moment within [now + MIN_RETRY_AFTER, now + MAX_RETRY_AFTER]: ASCII
    delta-seconds or an HTTP-date (RFC 9110 10.2.3). None if unreadable, never an exception."""
    if not value:
        return None
    value = value.strip()
    earliest, latest = now + MIN_RETRY_AFTER, now + MAX_RETRY_AFTER
    if _DELTA_SECONDS.fullmatch(value):
        # Measured as text first: int() refuses 4,300+ digits and timedelta overflows long before that.
        delay = timedelta(seconds=int(value)) if len(value) <= 9 else MAX_RETRY_AFTER
        return min(max(now + delay, earliest), latest)
    try:
        moment = parsedate_to_datetime(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return min(max(moment, earliest), latest)
    except (TypeError, ValueError, IndexError, OverflowError):  # not a date, or one beyond datetime's range
        return None


@dataclass(frozen=True)
class FetchResult:
    """A response read in full (or a 304). `text` is `body` decoded with a sanely chosen charset."""

    status: int
    body: bytes
    text: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def json(self) -> Any:
        """The body as JSON, or a ParseError saying what came instead (an HTML login or error page, usually)."""
        media = self.content_type.split(";")[0].strip().lower()
        try:
            return json.loads(self.text)
        except ValueError as exc:
            what = f"a {media} page" if media else "something else"
            raise ParseError(f"expected JSON, got {what} ({exc.__class__.__name__}: {exc})",
                             url=self.url, status=self.status) from None


class PoliteSession:
    """One requests.Session per poller, with everything that makes us a good guest on someone's site.

    `timeout` is (connect, read) per socket operation; `deadline` bounds a whole request, headers and body,
    because a read timeout alone lets a server dripping a byte a second hold a worker forever.
    `clock` gives wall time (Retry-After, robots cache; UTC now by default); the deadline uses time.monotonic.
    """

    def __init__(self, *, clock: Callable[[], datetime] | None = None, timeout: tuple[float, float] = (5, 15),
                 deadline: float = 30, max_bytes: int = MAX_BYTES, retries: int = 2, backoff_factor: float = 0.5,
                 backoff_max: float = 4, max_redirects: int = 5, user_agent: str = USER_AGENT,
                 resolver: Resolver = resolve, robots: RobotsCache | None = None) -> None:
        self.clock = clock or _utc_now
        self.timeout = timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self.resolver = resolver  # where a host points, to keep redirects out of the user's machine and LAN
        # robots.txt rules; the app gives all its sessions one cache, so each site's is read once a day.
        self.robots = robots if robots is not None else RobotsCache()
        self._session = requests.Session()
        self._session.headers.update({"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"})
        # Connection errors and 502/504 (and 500) are retried with a small capped backoff. Read errors are not:
        # a slow server retried is slower still, and the scheduler polls again later. 429/503 are not retried
        # here and Retry-After is never slept on: they become RateLimited for the scheduler.
        retry = Retry(total=retries, connect=retries, read=0, status=retries, other=0, redirect=False,
                      allowed_methods=frozenset({"GET", "HEAD"}), status_forcelist=frozenset({500, 502, 504}),
                      backoff_factor=backoff_factor, backoff_max=backoff_max, raise_on_status=False,
                      respect_retry_after_header=False)
        adapter = WatchedAdapter(max_retries=retry, pool_connections=4, pool_maxsize=4)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        # Nothing but http(s) is ever fetched, whatever a redirect says.
        self._session.adapters.pop("file://", None)

    def __enter__(self) -> PoliteSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    # -- the one public call -------------------------------------------------------------------------------

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              accept: str = "*/*", check_robots: bool = True, headers: Mapping[str, str] | None = None) -> FetchResult:
        """GET `url` politely. Returns the body, or a 304 as `not_modified`; raises a ScrapeError otherwise.

        `headers` are an API's own (an Authorization, an Api-Key, its User-Agent): sent to `url`'s host only,
        dropped on a redirect to another host, never logged.
        """
        forbid_gui_thread("an HTTP request")
        url = check_url(url)
        headers = {**(headers or {}), "Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        with self._bounded(url) as deadline:
            return self._follow(url, headers, check_robots, deadline)

    def post_form(self, url: str, data: Mapping[str, str], *, auth: tuple[str, str] | None = None,
                  headers: Mapping[str, str] | None = None, accept: str = "application/json") -> FetchResult:
        """POST a form (an OAuth token request): never retried, never redirected, same errors as `fetch`."""
        forbid_gui_thread("an HTTP request")
        url = check_url(url)
        with self._bounded(url) as deadline:
            response = self._get(url, {**(headers or {}), "Accept": accept}, deadline, method="POST",
                                 data=dict(data), auth=auth)
            if response.status_code in _REDIRECTS:
                response.close()
                raise FetchError(f"the server redirected a sign-in request ({response.status_code}); "
                                 "not following it", url=url, status=response.status_code)
            return self._finish(response, url, deadline)

    def post_json(self, url: str, payload: Any, *, headers: Mapping[str, str] | None = None,
                  accept: str = "application/json") -> FetchResult:
        """POST a JSON body (a GraphQL query): never retried, never redirected, same errors as `fetch`."""
        forbid_gui_thread("an HTTP request")
        url = check_url(url)
        with self._bounded(url) as deadline:
            response = self._get(url, {**(headers or {}), "Accept": accept}, deadline, method="POST",
                                 json_body=payload)
            if response.status_code in _REDIRECTS:
                response.close()
                raise FetchError(f"the API redirected a request ({response.status_code}); not following it",
                                 url=url, status=response.status_code)
            return self._finish(response, url, deadline)

    # -- internals -----------------------------------------------------------------------------------------

    @contextmanager
    def _bounded(self, url: str) -> Iterator[Deadline]:
        """One request's Deadline; whatever broke once it fired is reported as the deadline."""
        with Deadline(self.deadline) as deadline:
            try:
                yield deadline
            except FetchError:
                if deadline.expired:  # the deadline shut the socket: that, not a broken read, is the cause
                    raise self._too_slow(url) from None
                raise
            if deadline.expired:  # a body without a length ends quietly when its socket is shut
                raise self._too_slow(url)

    def _follow(self, url: str, headers: dict[str, str], check_robots: bool, deadline: Deadline) -> FetchResult:
        """Request `url`, following redirects by hand so each hop is checked."""
        current = url
        typed_local: bool | None = None  # a URL the user gave that is local may redirect locally
        for hop in range(self.max_redirects + 1):
            if check_robots:
                self._check_robots(current, deadline)
            response = self._get(current, headers, deadline)
            if response.status_code not in _REDIRECTS:
                return self._finish(response, current, deadline)
            location = response.headers.get("Location")
            response.close()
            if not location:
                raise FetchError(f"redirect ({response.status_code}) without a Location", url=current,
                                 status=response.status_code)
            target = urljoin(current, location)
            if urlsplit(target).scheme.lower() not in ("http", "https"):
                raise FetchError(f"refused a redirect to a non-http URL: {target}", url=current,
                                 status=response.status_code)
            if _LOGIN_PATH.search(urlsplit(target).path or "/"):
                raise LoginRequired(f"the site sent us to its sign-in page ({target})", url=url,
                                    status=response.status_code)
            if typed_local is None:
                typed_local = is_local(*_host_port(url), self.resolver)
            if not typed_local:
                self._refuse_local(target, url, response.status_code)
            if urlsplit(target).netloc.lower() != urlsplit(current).netloc.lower():
                # Validators and an API's own headers (credentials) belong to the first host; don't leak them.
                for name in [n for n in headers if n != "Accept"]:
                    headers.pop(name, None)
            current = target
        raise FetchError(f"more than {self.max_redirects} redirects (a redirect loop?)", url=url)

    def _refuse_local(self, target: str, url: str, status: int) -> None:
        """A public page may not send us into this machine or its network, whatever name the target uses."""
        host, port = _host_port(target)
        for address in addresses_of(host, port, self.resolver):
            kind = kind_of(address)
            if kind is not None:
                shown = host if host == address else f"{host}, which is {address}"
                raise RedirectRefused(f"refused a redirect from a public site to a {kind} address ({shown}): "
                                      "a page on the internet may not send Rapport into this machine or its network",
                                      url=url, status=status)

    def _too_slow(self, url: str, status: int | None = None) -> FetchError:
        return FetchError(f"the server took longer than {self.deadline:g} s to send the page", url=url,
                          status=status)

    def _get(self, url: str, headers: dict[str, str], deadline: Deadline, *, method: str = "GET",
             data: dict[str, str] | None = None, auth: tuple[str, str] | None = None,
             json_body: Any = None) -> requests.Response:
        remaining = deadline.remaining()
        if remaining <= 0:
            raise self._too_slow(url)
        connect, read = self.timeout
        try:
            return self._session.request(method, url, headers=headers, data=data, auth=auth, json=json_body,
                                         stream=True,
                                         allow_redirects=False,
                                         timeout=(min(connect, remaining), min(read, remaining)))
        except requests.exceptions.RetryError as exc:
            raise FetchError(f"server kept failing ({_reason(exc)})", url=url) from None
        except (requests.exceptions.Timeout, requests.exceptions.ConnectionError) as exc:
            reason = _reason(exc)
            if reason == _NO_ANSWER:
                raise FetchError(f"timed out waiting for the server ({reason})", url=url) from None
            raise FetchError(f"could not connect ({reason})", url=url) from None
        except requests.exceptions.RequestException as exc:
            raise FetchError(f"request failed ({_reason(exc)})", url=url) from None

    def _read_body(self, response: requests.Response, url: str, deadline: Deadline,
                   max_bytes: int | None = None) -> bytes:
        """Read the decoded body in pieces, minding the size cap as it arrives (the Deadline bounds the time).

        Works whether the server keeps the connection alive, closes it after a declared length, or marks
        the end of the body by closing (HTTP/1.0, `Connection: close` without a length).
        """
        limit = self.max_bytes if max_bytes is None else max_bytes
        status = response.status_code
        declared = response.headers.get("Content-Length", "")
        encoded = response.headers.get("Content-Encoding", "identity").lower() not in ("", "identity")
        if declared.isdigit() and int(declared) > limit and not encoded:
            response.close()
            raise FetchError(f"page too large ({int(declared):,} bytes; the limit is {limit:,})",
                             url=url, status=status)
        raw = response.raw
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                if deadline.remaining() <= 0:
                    raise self._too_slow(url, status)
                chunk = raw.read1(65536, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"page too large (more than {limit:,} bytes once decoded)",
                                     url=url, status=status)
                chunks.append(chunk)
        except FetchError:
            response.close()
            raise
        except (urllib3.exceptions.ReadTimeoutError, socket.timeout, TimeoutError):
            response.close()
            if deadline.remaining() <= 0:
                raise self._too_slow(url, status) from None
            raise FetchError("timed out reading the page", url=url, status=status) from None
        except urllib3.exceptions.DecodeError as exc:
            response.close()
            raise FetchError(f"could not decompress the page ({exc})", url=url, status=status) from None
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.HTTPError, OSError) as exc:
            response.close()
            raise FetchError(f"connection broken while reading the page ({_reason(exc)})", url=url,
                             status=status) from None
        response.close()
        return b"".join(chunks)

    def _finish(self, response: requests.Response, url: str, deadline: Deadline) -> FetchResult:
        status = response.status_code
        headers = {k.lower(): v for k, v in response.headers.items()}
        etag = headers.get("etag")
        last_modified = headers.get("last-modified")
        if status == 304:
            response.close()
            return FetchResult(status, b"", "", url, etag, last_modified, True, headers.get("content-type", ""),
                               headers)
        body = self._read_body(response, url, deadline)
        if status in (429, 503):
            if status == 503 and (headers.get("cf-mitigated") == "challenge" or is_challenge(body)):
                raise Blocked("the site answered with a bot check (503 challenge page)", url=url, status=status)
            now = self.clock()
            retry_at = parse_retry_after(headers.get("retry-after"), now) or now + DEFAULT_RETRY_AFTER
            raise RateLimited(f"the site asked us to slow down ({status}); next try after "
                              f"{retry_at.isoformat(timespec='seconds')}", retry_at=retry_at, url=url, status=status)
        if status == 401:
            raise LoginRequired("the page needs a signed-in user (401)", url=url, status=status)
        if status == 403:
            if headers.get("cf-mitigated") == "challenge" or is_challenge(body):
                raise Blocked("the site answered with a bot check (403 challenge page)", url=url, status=status)
            raise Blocked("the site refused the request (403 Forbidden)", url=url, status=status)
        if status in (404, 410):
            raise FetchError(f"page not found ({status}); check the URL", url=url, status=status)
        if status >= 500:
            raise FetchError(f"server error ({status})", url=url, status=status)
        if status >= 400 or status < 200:
            raise FetchError(f"unexpected answer ({status})", url=url, status=status)
        if _LOGIN_PATH.search(urlsplit(url).path or "/"):
            raise LoginRequired(f"the page is a sign-in page ({url})", url=url, status=status)
        content_type = headers.get("content-type", "")
        return FetchResult(status, body, decode(body, _charset(content_type)), url, etag, last_modified, False,
                           content_type, headers)

    def _check_robots(self, url: str, deadline: Deadline) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        now = self.clock()
        rules = self.robots.get(origin, now)
        if rules is None:
            rules = self._read_robots(origin + "/robots.txt", deadline, now)
            self.robots.put(origin, rules)
        if not rules.allows(url):
            raise Blocked(f"the site's robots.txt asks robots not to read {parts.path or '/'}", url=url)

    def _read_robots(self, robots_url: str, deadline: Deadline, now: datetime) -> RobotsRules:
        """RFC 9309: a 4xx means no rules; a 5xx or network failure means "unreachable", so we don't crawl."""
        response = self._get(robots_url, {"Accept": "text/plain,*/*;q=0.5"}, deadline)
        status = response.status_code
        if status in _REDIRECTS:
            response.close()
            return RobotsRules(None, now)  # Followed redirects rarely matter for robots; no rules rather than loop.
        if 400 <= status < 500:
            response.close()
            return RobotsRules(None, now)
        if status >= 500 or status == 429:
            response.close()
            raise FetchError(f"could not read robots.txt ({status}); not crawling until it answers",
                             url=robots_url, status=status)
        body = self._read_body(response, robots_url, deadline, min(self.max_bytes, ROBOTS_MAX_BYTES))
        return RobotsRules.parse(decode(body, "utf-8"), now)


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # a port out of range: the request itself will say so
        port = None
    return parts.hostname or "", port or (443 if parts.scheme.lower() == "https" else 80)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([^;\"'\s]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


_NO_ANSWER = "no answer in time"


def _chain(exc: BaseException) -> list[BaseException]:
    """An exception and everything it wraps (requests and urllib3 nest them in `reason` and `args`)."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo and len(seen) < 12:
        inner = todo.pop(0)
        if inner in seen:
            continue
        seen.append(inner)
        for nxt in (getattr(inner, "reason", None), inner.__cause__, inner.__context__, *inner.args):
            if isinstance(nxt, BaseException):
                todo.append(nxt)
    return seen


def _reason(exc: BaseException) -> str:
    """A short human reason for a requests/urllib3 failure, without the noisy object reprs."""
    chain = _chain(exc)
    for inner in chain:
        if isinstance(inner, http.client.IncompleteRead):
            expected = inner.expected if inner.expected is not None else 0
            got = len(inner.partial) if isinstance(inner.partial, bytes) else inner.partial
            return f"cut short: got {got:,} bytes, {expected:,} more were announced"
    for inner in chain:
        if isinstance(inner, (ConnectionResetError, ConnectionAbortedError)):
            return "the server reset the connection"
        if isinstance(inner, ConnectionRefusedError):
            return "connection refused"
        if isinstance(inner, (urllib3.exceptions.ReadTimeoutError, socket.timeout, TimeoutError)):
            return _NO_ANSWER
        if isinstance(inner, urllib3.exceptions.NameResolutionError):
            return "the host name does not resolve"
    text = str(chain[-1] if len(chain) > 1 else exc)
    text = re.sub(r"<urllib3\.[^>]+>:?\s*", "", text)
    text = re.sub(r"HTTP(S)?ConnectionPool\([^)]*\):\s*", "", text)
    return text[:200] or exc.__class__.__name__
