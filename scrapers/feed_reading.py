"""Reading an RSS or Atom document with feedparser, safely: the one place every feed-shaped kind parses one.

feedparser is forgiving of broken feeds but has sharp edges of its own: it opens a str that looks like a URL or
a file name, decodes an already-decoded str a second time, and fails on the whole feed for one character
reference to a surrogate (`&#xD800;`). Each kind that reads a feed (plain feeds, Reddit's search feed) goes
through `read_feed`, so a hostile document is either read or a ParseError, never a traceback.
"""
from __future__ import annotations

import io
import re
from typing import Any

import feedparser

from scrapers.base import ParseError

__all__ = ["as_bytes", "parsed_date", "read_feed"]

_XML_DECL_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""")
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,16})|([0-9]{1,16}));")


def _no_impossible_char_refs(body: bytes) -> bytes:
    """A character reference to a surrogate or past U+10FFFF (`&#xD800;`) made U+FFFD: feedparser fails on the
    whole feed for one, when it is one entry's text that is broken."""
    if b"&#" not in body:
        return body

    def fixed(match: re.Match[bytes]) -> bytes:
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        return b"&#xFFFD;" if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else match.group(0)

    return _CHAR_REF.sub(fixed, body)


def as_bytes(body: bytes | str) -> bytes:
    """The document as bytes. An already decoded str says utf-8 in its declaration, or feedparser would decode
    it a second time; a lone surrogate cannot be encoded and becomes "?" rather than failing the whole feed."""
    if isinstance(body, bytes):
        return body
    return _XML_DECL_ENCODING.sub(r'\1"utf-8"', body, count=1).encode("utf-8", errors="replace")


def read_feed(body: bytes | str, url: str, *, resolve_ids: bool = True) -> Any:
    """feedparser's result for this document, or ParseError when feedparser itself fails on it.

    With `resolve_ids`, relative links and ids are made absolute against `url` (a plain feed's entries); Reddit's
    ids (`t3_1h7kq2x`) are names, not addresses, and stay as they are."""
    try:
        # A stream, never a str or bytes: feedparser opens a str that looks like a URL, and tries any str or
        # bytes as a file name first. Parsing must never touch the network or the disk.
        # No resolve_relative_uris: it rewrites links inside content markup, which plain() drops anyway.
        return feedparser.parse(io.BytesIO(_no_impossible_char_refs(as_bytes(body))), sanitize_html=True,
                                resolve_relative_uris=False,
                                # The HTTP layer has checked the answer; say XML so the document's own
                                # declaration decides the encoding (RFC 7303), as it should for feeds.
                                response_headers={"content-type": "application/xml",
                                                  **({"content-location": url} if url and resolve_ids else {})})
    except Exception as exc:  # noqa: BLE001 - feedparser fails on some hostile documents (an encoding
        # declaration holding a NUL or invalid UTF-8): that feed cannot be read, which is a ParseError.
        raise ParseError(f"not a readable RSS or Atom feed ({exc.__class__.__name__}: {exc})", url=url) from exc


def parsed_date(entry: Any, *keys: str) -> Any:
    """The first parsed date (a UTC time tuple) a feedparser entry holds under `keys`, or None.

    Read as a plain dict: FeedParserDict answers a missing `updated_parsed` with `published_parsed` and a
    DeprecationWarning (feedparser issue 310), which could only give back the empty `published_parsed` already
    read before it."""
    for key in keys:
        value = dict.get(entry, key)
        if value:
            return value
    return None
