"""Small shared readers: markup to plain text, bytes to text with a sane charset, loose dates and ratings."""
from __future__ import annotations

import codecs
import functools
import html
import math
import re
from html.entities import html5 as html5_entities
from datetime import date, datetime, time, timezone

from bs4 import BeautifulSoup

__all__ = ["plain", "plain_text", "simple_markup_text", "decode", "parse_iso_datetime", "normalise_rating", "reads_as_utf8",
           "sniff_charset"]

_BLOCK_TAGS = ("p", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section")
_SPACE_LIKE = ("\t", "\f", "\v", "\u00a0", "\u200b")  # made spaces, then every run of spaces one space
_ASCII_SPACE_LIKE = ("\t", "\f", "\v")  # those ASCII text can hold
_MANY_NEWLINES = re.compile(r"\n{3,}")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")


def plain(value: object) -> str:
    """Untrusted markup or text as plain text: tags dropped, entities decoded, whitespace tidied.

    Paragraph and line breaks survive as newlines, because review text is read, not just matched.
    """
    if value is None or value == "":
        return ""
    text = str(value)
    if "<" in text and ">" in text:
        simple = simple_markup_text(text)
        text = simple if simple is not None else _soup_text(text)
    elif "&" in text:
        text = html.unescape(text)
    return _tidy(text)


def _tidy(text: str) -> str:
    # Each run of spaces, tabs, nbsp and zero-width spaces as one space, never across a line break (the lines are
    # only stripped below). str.replace, not a regex: most fields have none of these but single spaces, and a regex
    # rewrites every single space between words. ASCII text (most) is not searched for the other two.
    for char in (_SPACE_LIKE if not text.isascii() else _ASCII_SPACE_LIKE):
        if char in text:
            text = text.replace(char, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    if "\n" not in text and "\r" not in text:  # one line (most fields)
        return text.strip()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    joined = "\n".join([line.strip() for line in lines])
    return (_MANY_NEWLINES.sub("\n\n", joined) if "\n\n\n" in joined else joined).strip()


def plain_text(value: object) -> str:
    """A text value from a site's JSON as plain text; a list, object, number or null there is no text."""
    return plain(value) if isinstance(value, str) else ""


def _soup_text(text: str) -> str:
    soup = BeautifulSoup(text, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(_BLOCK_TAGS):
        block.insert_before("\n")
        block.insert_after("\n")
    return soup.get_text()  # entities decoded once, by the parser


# Tags whose only effect on the text is a line break (blocks, br) or nothing (inline formatting).
_INLINE_TAGS = frozenset(("b", "i", "em", "strong", "u", "a", "span", "small", "code", "s", "mark", "sup", "sub",
                          "font", "abbr", "cite", "q", "del", "ins", "big", "tt", "strike", "nobr"))
_TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9]*)((?:[^<>"']|"[^"]*"|'[^']*')*)>""")
# Each known tag as written (lower or upper case; others are lower-cased first): its lower-case name and what it
# leaves in the text. br is told apart by identity.
_BR = ("br", "\n")
_TAG_KIND = {**{name: (name, "\n") for name in _BLOCK_TAGS}, **{name: (name, "") for name in _INLINE_TAGS}, "br": _BR}
_TAG_KIND.update({name.upper(): kind for name, kind in list(_TAG_KIND.items())})
# What each complete entity stands for, by what stands between its & and its ';': html5's named ones, and numeric
# ones as html.unescape reads them, added as they are met (a bounded number: a page could write the same character
# many ways).
_ENTITY_VALUE = {name[:-1]: value for name, value in html5_entities.items() if name.endswith(";")}
_ENTITY_VALUES_KEPT = len(_ENTITY_VALUE) + 1024
_DIGITS, _HEX_DIGITS = "0123456789", "0123456789abcdefABCDEF"


@functools.lru_cache(maxsize=256)  # a feed's reader checks a field with it just before plain() reads it
def simple_markup_text(text: str) -> str | None:
    """The text of short, simple markup (a Google Alerts `<b>`, a `<p>` or `<br>`) without a parser.

    BeautifulSoup costs a couple of milliseconds per field, most of it setting up. This gives the same
    text for markup made only of well-formed inline, block and br tags and complete entities, and None for
    anything else (comments, scripts, a stray `<` or `&`), which then goes to BeautifulSoup.

    The tags are split off in one call (`re.split`: the text between them, then each tag's three groups) and the
    entities replaced in one pass over the &s: a third of the work of a loop of matches and `html.unescape`'s call
    per entity (tests/scrapers/test_text.py holds the two equal).
    """
    pieces = _TAG.split(text)
    if len(pieces) == 1:
        joined = text
    else:
        open_tags: list[str] = []  # properly nested or not at all: a parser's repairs are its own
        breaks: list[str] = []
        for i in range(1, len(pieces), 4):
            closing, name, attributes = pieces[i], pieces[i + 1], pieces[i + 2]
            kind = _TAG_KIND.get(name)
            if kind is None:
                kind = _TAG_KIND.get(name.lower())
                if kind is None:
                    return None
            if kind is _BR:
                if closing:
                    return None
            else:
                if attributes and (attributes.rstrip().endswith("/") or (closing and attributes.strip())):
                    return None  # <p/>: HTML has no self-closing blocks; the parser's reading is its own
                if not closing:
                    open_tags.append(kind[0])
                elif not open_tags or open_tags.pop() != kind[0]:
                    return None
            breaks.append(kind[1])
        if open_tags:
            return None
        texts = pieces[::4]
        if "\n" in breaks:
            parts = [""] * (len(texts) + len(breaks))
            parts[::2] = texts
            parts[1::2] = breaks
            joined = "".join(parts)
        else:  # inline tags only (a Google Alerts <b>)
            joined = "".join(texts)
    if "<" in joined or ">" in joined:
        return None
    return _unescaped(joined) if "&" in joined else joined


def _unescaped(text: str) -> str | None:
    """html.unescape(text) when each & in it starts a complete entity, numeric or html5's named; else None (a bare
    &, an entity without its ';' or an unknown one: the parser's rules, not ours). One pass from left to right, as
    html's: what each & starts is looked up whole and what follows it kept as it is (no regex: a scan and a
    replace per entity cost twice this)."""
    pieces = text.split("&")
    parts = [pieces[0]]
    for i in range(1, len(pieces)):
        piece = pieces[i]
        end = piece.find(";")
        if end <= 0:
            return None
        name = piece[:end]
        value = _ENTITY_VALUE.get(name)
        if value is None:
            value = _number_value(name)
            if value is None:
                return None
        parts.append(value)
        parts.append(piece[end + 1:])
    return "".join(parts)


def _number_value(name: str) -> str | None:
    """What html.unescape reads `&name;` as when name is a number (`#39`, `#x2019`): cp1252's for 128-159, U+FFFD
    for a surrogate; None when it is not one."""
    if name[:1] != "#":
        return None
    digits = name[1:]
    if digits[:1] in ("x", "X"):
        if len(digits) < 2 or digits[1:].strip(_HEX_DIGITS):
            return None
    elif not digits or digits.strip(_DIGITS):
        return None
    value = html.unescape("&" + name + ";")
    if len(_ENTITY_VALUE) < _ENTITY_VALUES_KEPT:
        _ENTITY_VALUE[name] = value
    return value


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    return _codec_named(name) if len(name) <= 64 else _codec_named.__wrapped__(name)


@functools.lru_cache(maxsize=256)  # a page declares one of a few dozen names, and codecs.lookup normalises it anew
def _codec_named(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def sniff_charset(body: bytes) -> str | None:
    """The encoding a document declares about itself: a BOM, an XML declaration or a <meta charset>."""
    if body.startswith(_BOMS):  # one call for the three (most pages have none)
        for bom, name in zip(_BOMS, ("utf-8", "utf-16", "utf-16")):
            if body.startswith(bom):
                return name
    # the first 4096 bytes searched in place, not copied out
    match = _XML_ENCODING.search(body, 0, 4096) or _META_CHARSET.search(body, 0, 4096)
    return _codec(match.group(1).decode("ascii")) if match else None


_SINGLE_BYTE_LATIN = {"latin-1", "iso8859-1", "cp1252", "ascii", "iso8859-15"}


def decode(body: bytes, declared: str | None = None) -> str:
    """Bytes to text the way a careful browser would, never failing.

    Order: a BOM, the declared charset (HTTP header), the document's own declaration, UTF-8, then a guess.
    A page declared as Latin-1 (often only the server's default) that is valid multi-byte UTF-8 is read as
    UTF-8: such byte runs practically never occur in real Latin-1 text.
    """
    if not body:
        return ""
    if body.startswith(codecs.BOM_UTF8):
        return body[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    candidates = [c for c in (_codec(declared), sniff_charset(body)) if c]
    for name in candidates:
        if name in _SINGLE_BYTE_LATIN and _is_multibyte_utf8(body):
            return body.decode("utf-8")
        try:
            return body.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if len(body) >= 512:  # Enough text for a statistical guess to beat the common Western default.
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(body[:65536]).best()
            if best is not None and best.encoding:
                return body.decode(best.encoding, errors="replace")
        except Exception:  # noqa: BLE001 - a guessing aid only; the replacement decode below always works
            pass
    return body.decode("cp1252", errors="replace")


def reads_as_utf8(body: bytes) -> bool:
    """Whether `decode(body)` is `body.decode("utf-8")`, known without making the text: no BOM, a declaration
    of UTF-8, of a Latin charset (which `decode` overrides for valid multi-byte UTF-8, and which reads ASCII
    alike) or none, and valid UTF-8. A parser can then hand the bytes to lxml as UTF-8, which reads them
    faster than the str made of them (that it would convert back to UTF-8 first)."""
    if not body or body.startswith(_BOMS):
        return False
    declared = sniff_charset(body)
    if declared is not None and declared != "utf-8" and declared not in _SINGLE_BYTE_LATIN:
        return False
    if body.isascii():
        return True
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_multibyte_utf8(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def parse_iso_datetime(value: object) -> datetime | None:
    """An ISO 8601 date or date-time, as sites publish it in their data, as an aware datetime (UTC when the
    source gives no zone); None when it is not one. (Import reads the looser dates people type:
    `desktop.io.dates.parse_spreadsheet_date`.)"""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0), tzinfo=timezone.utc)
    else:
        text = str(value).strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    if moment.tzinfo:
        return moment
    # UTC: combine() rather than replace(tzinfo=), which parses its nine keywords at thrice the cost
    return datetime.combine(moment.date(), moment.time(), timezone.utc)


def _number(value: object) -> float | None:
    """A finite number from a number or numeric text; None for anything else (a 400-digit integer included)."""
    if value.__class__ is str and len(value) <= 64:  # most ratings: a number in text ("4", "4.5")
        try:
            number = float(value.strip().replace(",", "."))
        except (ValueError, OverflowError):
            return None
        return number if math.isfinite(number) else None
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)):
            number = float(value)
        elif isinstance(value, str) and len(value) <= 64:
            number = float(value.strip().replace(",", "."))
        else:
            return None
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def normalise_rating(value: object, best: object = None, worst: object = None) -> float | None:
    """A rating on any scale (schema.org values often arrive as strings) mapped onto 1-5.

    `best` defaults to 5 and `worst` to 1, as schema.org says. Values outside the scale are clamped,
    because a site's own bestRating is sometimes wrong by one but the intent is plain.
    """
    if value.__class__ is str and len(value) <= 16 and (best is None or best.__class__ is str and len(best) <= 16) \
            and (worst is None or worst.__class__ is str and len(worst) <= 16):
        return _rating_of_texts(value, best, worst)
    return _scaled_rating(value, best, worst)


@functools.lru_cache(maxsize=512)
def _rating_of_texts(value: str, best: str | None, worst: str | None) -> float | None:
    """normalise_rating of short texts, kept: a site writes its ratings from a handful of values ("5", "4.5",
    "10" of "10"), and reading three numbers from text and scaling them cost a quarter of reading a JSON-LD
    review."""
    return _scaled_rating(value, best, worst)


def _scaled_rating(value: object, best: object, worst: object) -> float | None:
    number = _number(value)
    if number is None:
        return None
    high = _number(best) if best is not None else 5.0
    low = _number(worst) if worst is not None else 1.0
    if high is None or low is None or high <= low:
        return None
    scaled = 1 + 4 * (number - low) / (high - low)
    return round(min(5.0, max(1.0, scaled)), 2)
