"""One wall detector for every kind: bot checks, captchas, sign-in pages and refusals, recognised from the page's
own markers whatever its status code, so a wall is never stored as a review nor read as "no reviews".

Markers come in two strengths. Strong ones only ever appear on a challenge or block page (Cloudflare's
`_cf_chl_opt`, PerimeterX's `px-captcha` element, DataDome's captcha-delivery.com script). Weak ones also
appear on ordinary pages of protected sites (Cloudflare's JavaScript-detection beacon under
`/cdn-cgi/challenge-platform/`, PerimeterX's `_pxAppId` sensor, a sign-in box in a sidebar), so they count only
on a thin page: one with little visible text. Where each marker was seen: tests/fixtures/pages/PROVENANCE.md.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapers.base import Blocked, LoginRequired, ScrapeError

__all__ = ["Wall", "detect", "check", "is_challenge", "LOGIN_PATH"]

# Paths sites send signed-out visitors to (a redirect there, or a page served from there, is a login wall).
LOGIN_PATH = re.compile(
    r"/(log-?in|sign-?in|signin|login\.php|users/sign_in|account/login|accounts/login|auth/login|sso|session/new"
    r"|users/connect|ab/account-security/login)(/|$|\?|\.)", re.IGNORECASE)

_SCAN = 300_000  # challenge pages are small; markers sit near the top of anything bigger
_THIN = 1500  # visible characters: interstitials and sign-in pages say a sentence or two

_F = re.IGNORECASE | re.DOTALL
# (who, what the user sees, pattern): strong markers, a wall wherever they appear.
_STRONG: tuple[tuple[str, str, re.Pattern[bytes]], ...] = (
    ("Cloudflare", "bot check", re.compile(rb"_cf_chl_opt|/cdn-cgi/challenge-platform/\S*(orchestrate|chl_page)", _F)),
    ("Cloudflare", "bot check", re.compile(rb"<title>\s*Just a moment\.\.\.\s*</title>", _F)),
    ("Cloudflare", "block page", re.compile(rb"<title>\s*Attention Required! \| Cloudflare\s*</title>", _F)),
    ("Cloudflare", "block page", re.compile(rb"cf-error-details.{0,4000}Sorry, you have been blocked", _F)),
    ("PerimeterX", "bot check", re.compile(rb"""id\s*=\s*["']px-captcha["']|captcha\.px-cdn\.net|_pxCaptcha""", _F)),
    ("DataDome", "bot check", re.compile(rb"captcha-delivery\.com", _F)),
    ("Akamai", "refusal", re.compile(rb"<title>\s*Access Denied\s*</title>.{0,2000}Reference(\s|&#32;)*(#|&#35;)", _F)),
)
# Text each strong pattern cannot match without (lower case), in the same order. Case-insensitive regexes over
# 300 KB cost milliseconds each; looking for these first in one lower-cased copy costs a fraction of one.
_STRONG_NEEDLES: tuple[tuple[bytes, ...], ...] = (
    (b"_cf_chl_opt", b"/cdn-cgi/challenge-platform/"),
    (b"just a moment...",),
    (b"attention required! | cloudflare",),
    (b"cf-error-details",),
    (b"px-captcha", b"captcha.px-cdn.net", b"_pxcaptcha"),
    (b"captcha-delivery.com",),
    (b"access denied",),
)
# Weak markers: a wall only on a thin page.
_WEAK: tuple[tuple[str, str, re.Pattern[bytes]], ...] = (
    ("Cloudflare", "bot check", re.compile(rb"/cdn-cgi/challenge-platform/|cf-turnstile|challenges\.cloudflare\.com", _F)),
    ("PerimeterX", "bot check", re.compile(rb"_pxAppId|Press\s*(&amp;|&)\s*Hold|client\.perimeterx\.net", _F)),
    ("DataDome", "bot check", re.compile(rb"js\.datadome\.co|datadome", _F)),
    ("the site", "captcha", re.compile(rb"g-recaptcha|h-captcha|hcaptcha\.com|recaptcha/api\.js"
                                       rb"|verify (that )?you are (a )?human|are you a robot|unusual traffic", _F)),
    ("the site", "refusal", re.compile(rb"<title>[^<]*(access denied|forbidden|403)[^<]*</title>"
                                       rb"|you don't have permission to access", _F)),
)
_PASSWORD_FIELD = re.compile(rb"""<input[^>]+type\s*=\s*["']?password""", _F)
_LOGIN_TITLE = re.compile(rb"<title>[^<]*\b(log ?in|sign ?in|anmelden|connexion|iniciar sesi)", _F)
_INVISIBLE = re.compile(rb"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", _F)
_TAGS = re.compile(rb"<[^>]*>")
_EMBEDDED_DATA = re.compile(rb"""<script[^>]+type\s*=\s*["']?application/(ld\+)?json""", _F)
_SPACE = re.compile(rb"\s+")


@dataclass(frozen=True)
class Wall:
    """A page that stands in for the one asked for: who put it there, what it is and the marker that said so."""

    who: str
    what: str  # "bot check", "block page", "captcha", "refusal", "sign-in page"
    marker: str

    def error(self, url: str = "", status: int | None = None) -> ScrapeError:
        """The typed error a source raises for this wall, with the way out in words."""
        if self.what == "sign-in page":
            return LoginRequired("the site answered with its sign-in page instead of the public page; Rapport "
                                 "reads public pages only: import your reviews instead", url=url, status=status)
        who = "the site" if self.who == "the site" else f"the site's {self.who}"
        return Blocked(f"{who} answered with a {self.what} ({self.marker}) instead of the page; Rapport does not "
                       "get past bot checks: import your reviews instead, or try again later", url=url, status=status)


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8", errors="replace") if isinstance(body, str) else body


def _visible_length(head: bytes) -> int:
    text = _TAGS.sub(b" ", _INVISIBLE.sub(b" ", head))
    return len(_SPACE.sub(b" ", text).strip())


def _thin(head: bytes) -> bool:
    """Little visible text and no embedded data (JSON-LD, a framework's JSON props): nothing a source reads."""
    if _EMBEDDED_DATA.search(head):
        return False
    return _visible_length(head) < _THIN


def _is_data(head: bytes) -> bool:
    """JSON or an XML feed: a wall is an HTML page, and data may quote any words in its values."""
    start = head[:512].lstrip()  # not a copy of the whole page only to look at its first 200 bytes
    if len(start) < 200 and len(head) > 512:
        start = head.lstrip()
    start = start[:200].lower()
    return start.startswith((b"{", b"[", b"<?xml", b"<rss", b"<feed"))


def detect(body: bytes | str, url: str = "") -> Wall | None:
    """The wall this page is, or None when it looks like the site's own content."""
    if url and (path := _sign_in_path(url)) is not None:
        return Wall("the site", "sign-in page", f"address {path}")
    head = _as_bytes(body)[:_SCAN]
    if _is_data(head):
        return None
    lowered = head.lower()
    captcha = b"captcha" in lowered  # one scan for the four markers that hold the word
    for (who, what, pattern), needles in zip(_STRONG, _STRONG_NEEDLES):
        for needle in needles:  # a loop, not any(): a generator per marker cost more than the searches
            if (captcha or b"captcha" not in needle) and needle in lowered:
                if match := pattern.search(head):
                    return Wall(who, what, _marker(match))
                break
    if not _thin(head):
        return None
    if _PASSWORD_FIELD.search(head) or (_LOGIN_TITLE.search(head) and b"<form" in head.lower()):
        return Wall("the site", "sign-in page", "a password form")
    for who, what, pattern in _WEAK:
        if match := pattern.search(head):
            return Wall(who, what, _marker(match))
    return None


@functools.lru_cache(maxsize=512)  # a source's page comes from the same address at every poll
def _sign_in_path(url: str) -> str | None:
    """The path of an address sites send signed-out visitors to, else None (splitting the address and the
    pattern cost as much as the rest of looking at a small feed)."""
    path = urlsplit(url).path
    return path if LOGIN_PATH.search(path or "/") else None


def _marker(match: re.Match[bytes]) -> str:
    text = " ".join(match.group(0).decode("utf-8", "replace").split())
    return f"“{text[:60]}”"


def check(body: bytes | str, url: str = "", status: int | None = None) -> None:
    """Raise the wall's typed error (Blocked or LoginRequired) if the page is one; return quietly otherwise."""
    wall = detect(body, url)
    if wall is not None:
        raise wall.error(url, status)


def is_challenge(body: bytes | str) -> bool:
    """True if a page is a bot check, captcha or block page (not a sign-in page)."""
    wall = detect(body)
    return wall is not None and wall.what != "sign-in page"
