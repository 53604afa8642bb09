"""RSS and Atom feeds, Google Alerts included: what the web says about you, delivered as a feed."""
from __future__ import annotations

import calendar
import logging
import re
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote, urlsplit

from scrapers import simple_feed
from scrapers.base import Mention, Mentions, ParseError, Source, collect
from scrapers.feed_reading import as_bytes, parsed_date, read_feed
from scrapers.text import plain

log = logging.getLogger(__name__)

__all__ = ["Feed", "unwrap_google_link"]


def unwrap_google_link(link: str) -> str:
    """Google Alerts links go through `https://www.google.com/url?...&url=REAL`: return REAL."""
    if "/url" not in link:
        return link  # the redirect's path is /url (most links are not Google's)
    if link.startswith(_GOOGLE_REDIRECTS) and "#" not in link and "\t" not in link and "\n" not in link \
            and "\r" not in link:
        # what urlsplit gives as its query: it removes only tab and line breaks (and strips what comes before the
        # scheme), so three scans, not isprintable()'s look-up of every character (a tenth of a Google Alert)
        start = link.index("?") + 1
        if "%" not in link and "+" not in link:  # its url= as written, found in place (Google Alerts' own links)
            target = _url_as_written(link, start)
            if target and _is_web_address(target):
                return target
        query = link[start:]
    else:
        parts = urlsplit(link)
        host = (parts.hostname or "").lower()
        if parts.path != "/url" or not (host == "google.com" or host.startswith(("www.google.", "google."))):
            return link
        query = parts.query
    for key in ("url", "q"):  # q looked for only when url gives no web address (Google Alerts' links have one)
        target = _first_values(query, (key,)).get(key, "")
        if _is_web_address(target):
            return target
    return link


# Google Alerts' own redirect, as its feeds write it (others, and anything odd, are split by urlsplit).
_GOOGLE_REDIRECTS = ("https://www.google.com/url?", "http://www.google.com/url?")


def _url_as_written(link: str, start: int) -> str:
    """`_first_values(link[start:], ("url",)).get("url", "")` for a query without escapes, when its first url=
    has a value (else ""; the caller then reads the query the long way): found in the link, without copying the
    query out and looking through it again."""
    if link.startswith("url=", start):
        begin = start + 4
    else:
        begin = link.find("&url=", start)
        if begin < 0:
            return ""
        begin += 5
    end = link.find("&", begin)
    return link[begin:] if end < 0 else link[begin:end]


def _is_web_address(target: str) -> bool:
    """`urlsplit(target).scheme in ("http", "https")`; an address that begins so, without the brackets
    urlsplit checks (and raises for when unbalanced), is one without splitting it."""
    if target.startswith(("https://", "http://")) and "[" not in target and "]" not in target:
        return True
    return urlsplit(target).scheme in ("http", "https")


def _first_values(query: str, names: tuple[str, ...]) -> dict[str, str]:
    """`{name: parse_qs(query)[name][0]}` for the given names only: parse_qs decodes every field of a Google
    link (its tracking ones too), a third of reading a Google Alert's entry."""
    if "%" not in query and "+" not in query:  # names and values as written (Google Alerts' own links)
        return _first_values_as_written(query, names)
    found: dict[str, str] = {}
    for field in query.split("&"):
        name, equals, value = field.partition("=")
        if not equals or not value:
            continue  # parse_qs drops fields without a value
        if "%" in name or "+" in name:
            name = unquote(name.replace("+", " "))
        if name in names and name not in found:
            found[name] = unquote(value.replace("+", " "))
    return found


def _first_values_as_written(query: str, names: tuple[str, ...]) -> dict[str, str]:
    """_first_values for a query without escapes: each name's first non-empty value found with str.find, not a
    loop over every field in Python (most of reading a Google link, with its tracking fields)."""
    found: dict[str, str] = {}
    fields = "&" + query
    for name in names:
        marker = "&" + name + "="
        start = fields.find(marker)
        while start >= 0:
            begin = start + len(marker)
            end = fields.find("&", begin)
            value = fields[begin:] if end < 0 else fields[begin:end]
            if value:
                found[name] = value
                break
            start = fields.find(marker, begin)
    return found


def _moment(entry: Any) -> datetime | None:
    value = parsed_date(entry, "published_parsed", "updated_parsed", "created_parsed")
    return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc) if value else None


_EMAIL_IN_AUTHOR = re.compile(r"^\S+@\S+\s*(\((?P<name>[^)]*)\))?$")


def _author(written: str) -> str:
    """The author's name, as an entry writes it; RSS 2.0 `<author>` is an email address with the name in brackets,
    if at all."""
    name = plain(written)
    if "@" not in name:
        return name  # no address to take the name from (most feeds' authors; Google Alerts' are empty)
    match = _EMAIL_IN_AUTHOR.match(name)
    return (match.group("name") or "").strip() if match else name


class Feed(Source):
    """Any RSS or Atom feed, including Google Alerts.

    URL: the feed's address, e.g. a Google Alert delivered as RSS
    (`https://www.google.com/alerts/feeds/<user>/<alert>`), a blog's comment feed, or a forum search feed.

    Reads: each entry's title, text, author, link and date. For Google Alerts, the link goes straight to the
    page that mentions you.

    Limits: only what the feed carries (often the last 20-50 entries). A feed with minor errors gives what
    could be read; a page that is not a feed at all is reported as an error, not as "nothing new".
    """

    # Google Alerts' <b> highlights are dropped and its google.com/url?...&url= redirects unwrapped.
    kind = "feeds"
    display_name = "RSS or Atom feed"
    respects_robots = False  # Feeds are published for programs to read.
    accept = "application/atom+xml,application/rss+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"
    takes_bytes = True
    items_called = "entries"

    def parse(self, body: bytes | str, url: str) -> Mentions:
        body = as_bytes(body)
        simple = simple_feed.read(body, url)
        if simple is not None:  # plainly well-formed: read from lxml's tree as feedparser would (scrapers.simple_feed)
            entries, language = simple
            return collect(entries, lambda entry: self._mention(entry, url, language), url=url)
        parsed = read_feed(body, url)
        entries = parsed.get("entries") or []
        if not parsed.get("version") and not entries:
            problem = parsed.get("bozo_exception")
            looks_html = b"<html" in body[:2048].lower() or b"<!doctype html" in body[:2048].lower()
            if looks_html:
                raise ParseError("expected an RSS or Atom feed, got an HTML page", url=url)
            raise ParseError("not an RSS or Atom feed" + (f" ({problem})" if problem else ""), url=url)
        if parsed.get("bozo") and entries:
            log.warning("feed %s is ill-formed (%s); using the %d entries that could be read",
                        url, parsed.get("bozo_exception"), len(entries))
        language = (parsed.get("feed") or {}).get("language") or None
        return collect(entries, lambda entry: self._mention(entry, url, language), url=url)

    @staticmethod
    def _mention(entry: Any, feed_url: str, language: str | None) -> Mention | None:
        """One entry; None for an entry with neither text nor title."""
        if entry.__class__ is simple_feed.Entry:  # read from lxml's tree, its texts made plain already
            link = unwrap_google_link(entry.link)
            text, title, author, entry_id, moment = entry.text, entry.title, entry.author, entry.id, entry.moment
            entry_language = None
        else:
            link = unwrap_google_link(entry.get("link") or "")
            contents = entry.get("content") or []
            entry_language = body = None
            for content in contents:  # the first language and the first text (_body), in one pass
                if not entry_language:
                    entry_language = content.get("language")
                if body is None and content.get("value"):
                    body = content["value"]
                if entry_language and body is not None:
                    break
            if body is None:
                body = entry.get("summary") or entry.get("description") or ""
            text, title, entry_id, moment = plain(body), plain(entry.get("title") or ""), entry.get("id"), _moment(entry)
            detail = entry.get("author_detail") or {}
            author = detail.get("name") or entry.get("author") or ""
        # text, author, url, external_id, posted_at, rating, title, language: by position, as a call by keyword
        # costs a dict of them on the way to __init__ (a quarter of making the Mention)
        mention = Mention(text, _author(author) if author else "", link or feed_url, entry_id or link or None, moment,
                          None, title, entry_language or language)
        return mention if mention.text or mention.title else None
