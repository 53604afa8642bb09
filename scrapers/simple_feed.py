"""Plainly well-formed RSS 2.0 and Atom 1.0 feeds read straight from lxml's tree, giving what feedparser gives.

feedparser runs Python code for every element and sanitises every HTML field with a pure-Python parser: 95%
of a feed's parse, 50-60 times lxml's tree of the same bytes. Most feeds Rapport reads (Google Alerts, blog
comment feeds) are small, well-formed and made of a handful of elements, so they are read here, doing what
feedparser does to each field that Rapport keeps (its whitespace strip, its URL joining, its repairs of
mis-decoded text and of `&name;` in links), with the text then made plain by `scrapers.text.plain` as ever.

Anything else goes to feedparser: `read` returns None for a feed that is not well-formed, has a DTD, an
element, attribute, date or link it does not know, xml:base or xml:lang, or an HTML field whose sanitising
could change its plain text (any tag but simple inline and block ones, a stray `<`, `>` or `&`).
"""
from __future__ import annotations

import functools
import html
import re
import urllib.parse
from datetime import datetime, timedelta, timezone
from html.entities import html5, name2codepoint
from typing import NamedTuple

from lxml import etree

from scrapers.text import plain, simple_markup_text
# The quick markup reader's own pieces, for the one pass over an HTML field (`_html_text`).
from scrapers.text import _BR, _TAG, _TAG_KIND, _tidy

__all__ = ["Entry", "read"]

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
_DC_LANGUAGE = "{http://purl.org/dc/elements/1.1/}language"
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
# What an RSS item or Atom entry may hold: what Rapport reads, and what feedparser keeps only elsewhere.
_RSS_ITEM = frozenset(("title", "link", "description", "pubDate", "guid", _CONTENT, _CREATOR, "category", "comments",
                       "{http://wellformedweb.org/CommentAPI/}commentRss",
                       "{http://purl.org/rss/1.0/modules/slash/}comments"))
_ATOM_ENTRY = frozenset(_ATOM + n for n in ("id", "title", "link", "published", "updated", "content", "summary",
                                            "author", "category"))
_ATOM_ENTRY_READ = _ATOM_ENTRY - {_ATOM + "link", _ATOM + "category"}  # each at most once (_children)
# Kept by _children whatever it is asked for: categories, the only elements that may repeat, and an Atom link.
_REPEATABLE = frozenset(("category", _ATOM + "category"))
_ANY_ENTRY = _REPEATABLE | {_ATOM + "link"}
_ATOM_LINK_ATTRIBUTES = frozenset(("href", "rel", "type"))
# Each Atom name an entry is read by, made once: a name made at each look-up (`_ATOM + "id"`) is a new string,
# hashed again by every dict it is looked up in (a tenth of reading an entry).
_ATOM_FEED, _ATOM_ENTRY_TAG, _ATOM_LINK, _ATOM_ID, _ATOM_TITLE, _ATOM_SUMMARY, _ATOM_CONTENT, _ATOM_AUTHOR, \
    _ATOM_PUBLISHED, _ATOM_UPDATED, _ATOM_NAME, _ATOM_URI = (_ATOM + n for n in (
        "feed", "entry", "link", "id", "title", "summary", "content", "author", "published", "updated", "name", "uri"))
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=False, recover=False)
_DECLARATION = re.compile(rb"""\s*(<\?xml[^>]*\?>)?\s*<""")
_UTF8 = re.compile(rb"""encoding\s*=\s*["']utf-?8["']""", re.IGNORECASE)
_RFC822 = re.compile(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                     r"(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}|GMT|UT|UTC)")
_MONTHS = {name: number for number, name in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                                                       "Oct", "Nov", "Dec"), start=1)}
_W3C = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})")
_SAFE_LINK = re.compile(r"https?://[^/\s][^\s<>\"']*")
# An absolute http(s) address that urlsplit and urlunsplit give back as it is (see _written_back), in printable
# ASCII without a space or a quote: most links and ids, checked in one pass.
_NOT_LINK = "\\x00-\\x20\\x7f-\\U0010ffff<>\"'"
_PLAIN_HTTP = re.compile(rf"https?://[^/?#\[\]{_NOT_LINK}]+(?:/[^?#;{_NOT_LINK}]*)?(?:\?[^#{_NOT_LINK}]+)?(?:#[^{_NOT_LINK}]+)?")
# The same for text already known to be ASCII, in classes of the characters allowed (printable ASCII less a space,
# quotes and <>, less each part's own delimiters): a class of ASCII characters only is one bitmap test a character
# for the regex engine, where one reaching U+10FFFF is a walk over its ranges, and a negated one with ranges a walk
# too (positive classes: 8k instructions on a Google link against 12k negated, 16k to U+10FFFF).


def _ascii_class(excluded: str) -> str:
    allowed = (chr(c) for c in range(0x21, 0x7f) if chr(c) not in excluded + "<>\"'")
    return "[" + "".join(re.escape(c) for c in allowed) + "]"


_PLAIN_ASCII_HTTP = re.compile(rf"https?://{_ascii_class('/?#[]')}+(?:/{_ascii_class('?#;')}*)?"
                               rf"(?:\?{_ascii_class('#')}+)?(?:#{_ascii_class('')}+)?")
# An & that does not start a complete entity, and the names of the named ones (feedparser knows name2codepoint's)
_BARE_AMPERSAND = re.compile(r"&(?!#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]*;)")
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_KNOWN_ENTITIES = frozenset(name2codepoint)
_CLOSE_OR_ENTITY = re.compile(r"</(\w+)>|&#?\w+;")  # feedparser's test for text that may be HTML
_TAG_NAME = re.compile(r"</?(\w+)")
# Each & and what it starts, for _html's entity check in one scan: "" where it starts no complete entity, "#..."
# for a numeric one, "name;" for a named one (then known to feedparser only if in _KNOWN_ENTITY_NAMES).
_AMPERSAND = re.compile(r"&(#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]*;|)")
_C1 = re.compile("[\x80-\x9f]")
_CONTINUATION = re.compile("[\x80-\xbf]")  # what a UTF-8 continuation byte reads as in Latin-1
_URI_FIXER = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")  # as urllib.parse.urlsplit finds one
# Where an xml:base, xml:lang or lang attribute, a comment or a processing instruction could be; libxml2 refuses
# any prefix but `xml` for the XML namespace, and without a DTD there are no entity references in the tree.
_NAMED_REFERENCE = re.compile("&([A-Za-z0-9_]+);")
_LANG_ATTRIBUTE = re.compile(rb"lang\s*=")
# The tags feedparser's sanitiser keeps (the others lose their tag but keep their text, or lose both).
_KEPT_TAGS = frozenset(("a", "abbr", "b", "big", "blockquote", "br", "cite", "code", "del", "div", "em", "font", "h1",
                        "h2", "h3", "h4", "h5", "h6", "i", "ins", "li", "ol", "p", "q", "s", "section", "small", "span",
                        "strike", "strong", "sub", "sup", "tr", "tt", "u", "ul"))
_KNOWN_ENTITY_NAMES = frozenset(name + ";" for name in name2codepoint)
# What each of those stands for, as html.unescape reads it (html5's table: `&lang;` is not name2codepoint's), and
# the numeric ones met, up to a bound (a page could write the same character many ways).
_ENTITY_TEXT = {name: html5[name] for name in _KNOWN_ENTITY_NAMES}
_ENTITY_TEXTS_KEPT = len(_ENTITY_TEXT) + 1024
# The tags both the quick markup reader (`scrapers.text`) and feedparser's sanitiser keep, as the reader looks them
# up (lower or upper case), with what each leaves in the text.
_KEPT_TAG_KIND = {name: kind for name, kind in _TAG_KIND.items() if name.lower() in _KEPT_TAGS}


class _Unsure(Exception):
    """This feed is feedparser's to read."""


class Entry(NamedTuple):
    """What Rapport reads of an entry (`scrapers.feeds`), as it reads it from feedparser's: the link and id as
    feedparser gives them, the title and the text (of the content, else of the summary) made plain, the author's
    name, the date. A tuple made in one call, not feedparser's dict of dicts read back field by field (a tenth of
    making a Google Alert's mention)."""

    link: str
    id: str | None
    title: str
    text: str
    author: str
    moment: datetime | None


_new_entry = Entry._make


def read(body: bytes, url: str) -> tuple[list[Entry], str | None] | None:
    """(entries, the feed's language) of a plainly well-formed feed, or None: feedparser's to read."""
    head = _DECLARATION.match(body)
    declaration = head.group(1) if head is not None else None
    if head is None or (declaration and b'encoding="utf-8"' not in declaration and not _UTF8.search(declaration)) \
            or b"<!" in body[:head.end()]:
        return None  # another encoding, a BOM, a DOCTYPE or a comment first: feedparser's rules
    # A DOCTYPE or ENTITY: feedparser's rules. "!" first: a one-byte search runs at memory speed, and most
    # feeds without CDATA have no "!" at all.
    if b"!" in body and (b"<!DOCTYPE" in body or b"<!ENTITY" in body):
        return None
    try:
        root = etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    try:
        if _may_have_base_or_lang(body):
            _no_base_or_lang(root)  # walks every element: two-thirds of what building the tree took
        else:  # then only a comment or processing instruction could be there: lxml finds those in C
            for _ in root.iter(etree.Comment, etree.ProcessingInstruction):
                raise _Unsure  # where it sits matters to feedparser
        if root.tag == "rss" and root.get("version") == "2.0":
            return _rss(root, url)
        if root.tag == _ATOM_FEED:
            return _atom(root, url), None
    except _Unsure:
        return None
    return None


def _rss(root: etree._Element, url: str) -> tuple[list[Entry], str | None]:
    # iterchildren(tag), what lxml's find/findall/iterfind of a plain tag come down to, without their path
    # parsing in Python (ElementPath: a tenth of reading a two-item feed)
    channels = list(root.iterchildren("channel"))
    if len(channels) != 1 or next(root.iterchildren("item"), None) is not None:
        raise _Unsure
    channel = channels[0]
    if next(channel.iterchildren(_DC_LANGUAGE), None) is not None:
        raise _Unsure  # sets the language of the content after it, not of the feed
    language_elements = list(channel.iterchildren("language"))
    if len(language_elements) > 1:
        raise _Unsure
    language = _leaf(language_elements[0]) if language_elements else ""
    entries = []
    for item in channel.iterchildren("item"):
        fields = _children(item, _RSS_ITEM)
        if "link" not in fields:
            raise _Unsure  # a permalink guid stands in for it: feedparser's rules
        link = _rss_link(_leaf(fields["link"]), url)
        entry_id = None
        guid = fields.get("guid")
        if guid is not None:
            keys = guid.keys()  # names are unique: anything but isPermaLink is a second name or another first one
            if len(keys) > 1 or (keys and keys[0] != "isPermaLink"):
                raise _Unsure
            value = _leaf(guid)
            entry_id = _join(url, value) if guid.get("isPermaLink", "true") == "true" else value
        title = ""
        if "title" in fields:
            title = _leaf(fields["title"])
            # feedparser reads an RSS title as HTML when it has a close tag or an entity (and known tags only)
            title = _html_text(title) if _CLOSE_OR_ENTITY.search(title) else plain(title)
        text = _leaf(fields[_CONTENT]) if _CONTENT in fields else ""
        if text:
            text = _html_text(text)
        elif "description" in fields:  # a description is read only where there is no content
            text = _html_text(_leaf(fields["description"]))
        author = _person(_leaf(fields[_CREATOR])) if _CREATOR in fields else ""
        moment = _rfc822(_leaf(fields["pubDate"])) if "pubDate" in fields else None
        entries.append(_new_entry((link, entry_id, title, text, author, moment)))
    if not entries:
        raise _Unsure
    return entries, language or None


def _atom(root: etree._Element, url: str) -> list[Entry]:
    entries = []
    for node in root.iterchildren(_ATOM_ENTRY_TAG):
        fields = _children(node, _ATOM_ENTRY_READ)
        link = fields.get(_ATOM_LINK)  # _children let through one at most
        if link is None or len(link) or link.text:
            raise _Unsure
        href = ""
        for name, value in link.items():  # one call for its attributes (Google's: href alone)
            if name == "href":
                href = value
            elif name == "rel":
                if value != "alternate":
                    raise _Unsure
            elif name != "type" or value != "text/html":
                raise _Unsure  # another attribute, or another type
        href = _link(url, href)
        entry_id = _join(url, _leaf(element)) if (element := fields.get(_ATOM_ID)) is not None else None
        title = _atom_plain_text(element) if (element := fields.get(_ATOM_TITLE)) is not None else ""
        # The text of the content, else of the summary (as Rapport reads it); a summary not read is checked all
        # the same.
        summary = fields.get(_ATOM_SUMMARY)
        text, is_html = _atom_value(element) if (element := fields.get(_ATOM_CONTENT)) is not None else ("", False)
        if text:
            text = _html_text(text) if is_html else plain(text)
            if summary is not None:
                _atom_text(summary)  # checked, not read
        elif summary is not None:
            text = _atom_plain_text(summary)
        author = _atom_author(element) if (element := fields.get(_ATOM_AUTHOR)) is not None else ""
        # Rapport reads `updated` only when there is no `published` (scrapers.feeds), and feedparser would read
        # the same `published`: an `updated` it is not asked for is not checked either.
        if (element := fields.get(_ATOM_PUBLISHED)) is not None:
            moment = _w3c(_leaf(element))
        elif (element := fields.get(_ATOM_UPDATED)) is not None:
            moment = _w3c(_leaf(element))
        else:
            moment = None
        entries.append(_new_entry((href, entry_id, title, text, author, moment)))
    if not entries:
        raise _Unsure
    return entries


def _may_have_base_or_lang(body: bytes) -> bool:
    """False when no element can have an xml:base, xml:lang or lang attribute: libxml2 refuses any prefix but
    `xml` for the XML namespace, and without a DTD the tree has no entity references. (True may be a false
    alarm, e.g. such text inside CDATA.)"""
    return b"xml:" in body or (b"lang" in body and _LANG_ATTRIBUTE.search(body) is not None)  # `in`: no regex scan


def _no_base_or_lang(root: etree._Element) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            raise _Unsure  # a comment or processing instruction: where it sits matters to feedparser
        for name in element.attrib:
            if name.startswith(_XML_NS) or name == "lang":
                raise _Unsure  # xml:base, xml:lang or lang: what they change is feedparser's to work out


def _children(parent: etree._Element, allowed: frozenset[str]) -> dict[str, etree._Element]:
    """The entry's known elements by tag, each at most once; anything else is feedparser's."""
    found: dict[str, etree._Element] = {}
    for child in parent:
        tag = child.tag
        if tag in found:
            if tag not in _REPEATABLE:
                raise _Unsure
        elif tag not in allowed and tag not in _ANY_ENTRY:
            raise _Unsure
        found[tag] = child
    return found


def _leaf(element: etree._Element, *, repair: bool = True) -> str:
    """The text of an element that holds text only, as feedparser keeps it (it repairs the text of the elements
    it reads as text, not of an Atom author's name)."""
    if len(element):
        raise _Unsure  # markup inside (xhtml, or unescaped HTML): feedparser's rules
    text = (element.text or "").strip()
    return _repaired(text) if repair and not text.isascii() else text  # ASCII: nothing to repair


def _repaired(text: str) -> str:
    """feedparser's repair of UTF-8 read as Latin-1 (and, since it then maps C1 controls to cp1252, no C1 here)."""
    if text.isascii():
        return text  # both are no-ops
    if _CONTINUATION.search(text) is None:
        # UTF-8 read as Latin-1 always holds one (and so does a C1 control): nothing to repair, without the
        # encode and decode failing (an exception costs more than a tenth of reading the entry)
        return text
    try:
        text = text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    if _C1.search(text):
        raise _Unsure
    return text


def _html(value: str) -> str:
    """An HTML field, as long as sanitising it could not change its plain text: simple known tags, complete
    entities feedparser's sanitiser writes back as they were."""
    if "<" in value or ">" in value:
        if simple_markup_text(value) is None:
            raise _Unsure
        names = _TAG_NAME.findall(value)
        if not _KEPT_TAGS.issuperset(names) and not _KEPT_TAGS.issuperset(map(str.lower, names)):
            raise _Unsure
    # each & starts a complete entity feedparser knows: two scans in C, not a loop over the matches
    if "&" in value and (_BARE_AMPERSAND.search(value) or not _KNOWN_ENTITIES.issuperset(_NAMED_ENTITY.findall(value))):
        raise _Unsure
    return value


def _html_text(value: str) -> str:
    """`plain(_html(value))` in one pass: the tags split off once, both feedparser's and the quick reader's checks
    made on them as they are met, the entities checked in one scan and replaced, the whitespace tidied (where
    _html's check and plain() each read the markup, a third of reading a Google Alert). A tag with an attribute
    that starts with a word character, or holds a `<` or `&`, is read the long way (_html's own scans see those).
    tests/scrapers/test_simple_feed.py holds the two equal."""
    if "<" not in value and ">" not in value:
        if "&" not in value:
            return _tidy(value)
        return _tidy(_entities_replaced(value, _checked_entities(value)))
    pieces = _TAG.split(value)
    count = len(pieces)
    if count == 1:
        raise _Unsure  # a `<` or `>` outside a tag
    open_tags: list[str] = []  # properly nested or not at all: a parser's repairs are its own
    breaks: list[str] = []
    for i in range(1, count, 4):
        closing, name, attributes = pieces[i], pieces[i + 1], pieces[i + 2]
        kind = _KEPT_TAG_KIND.get(name)
        if kind is None:
            kind = _KEPT_TAG_KIND.get(name.lower())
            if kind is None:
                raise _Unsure  # a tag the quick reader or the sanitiser does not keep as it is
        if attributes:
            first = attributes[0]
            if first.isalnum() or first == "_" or "<" in attributes or "&" in attributes:
                return plain(_html(value))  # its name (as _html reads it) goes on, or markup or & inside it
            if kind is not _BR and (attributes.rstrip().endswith("/") or (closing and attributes.strip())):
                raise _Unsure  # <p/> (HTML has no self-closing blocks), or </p class=x>
        if kind is _BR:
            if closing:
                raise _Unsure
        elif not closing:
            open_tags.append(kind[0])
        elif not open_tags or open_tags.pop() != kind[0]:
            raise _Unsure
        breaks.append(kind[1])
    if open_tags:
        raise _Unsure
    texts = pieces[::4]
    if "\n" in breaks:
        parts = [""] * (len(texts) + len(breaks))
        parts[::2] = texts
        parts[1::2] = breaks
        joined = "".join(parts)
    else:  # inline tags only (a Google Alerts <b>)
        joined = "".join(texts)
    if "<" in joined or ">" in joined:
        raise _Unsure
    if "&" in joined:
        # checked in the markup as written (an entity a tag splits is no entity), replaced in the text
        joined = _entities_replaced(joined, _checked_entities(value))
    return _tidy(joined)


def _checked_entities(value: str) -> list[str]:
    """_html's check of a value's &s, each starting a complete entity, numeric or one feedparser knows: what
    they start (`quot;`, `#39;`)."""
    found = _AMPERSAND.findall(value)
    if not _KNOWN_ENTITY_NAMES.issuperset(found):
        for name in found:
            if name[:1] != "#" and name not in _KNOWN_ENTITY_NAMES:
                raise _Unsure
    return found


def _entities_replaced(text: str, names: list[str]) -> str:
    """html.unescape(text) for a text whose every & starts one of these complete entities: each kind replaced
    at once (str.replace), where html.unescape calls Python for each. What one gives cannot make another (the
    values hold no `&`), but for the entities that give an `&`: one kind of those is replaced last; two kinds
    (`&#38;amp;`) are html.unescape's."""
    last = None
    for name in set(names):
        value = _ENTITY_TEXT.get(name)
        if value is None:  # a numeric one, as html.unescape reads it (kept for the next, up to a bound)
            value = html.unescape("&" + name)
            if len(_ENTITY_TEXT) < _ENTITY_TEXTS_KEPT:
                _ENTITY_TEXT[name] = value
        if "&" in value:
            if last is not None:
                return html.unescape(text)
            last = name, value
            continue
        text = text.replace("&" + name, value)
    return text.replace("&" + last[0], last[1]) if last is not None else text


def _atom_value(element: etree._Element) -> tuple[str, bool]:
    """An Atom text construct's text, and whether it is HTML; anything but plain text or HTML is feedparser's."""
    attributes = element.items()
    if not attributes:
        return _leaf(element), False
    if len(attributes) > 1 or attributes[0][0] != "type" or attributes[0][1] not in ("text", "html"):
        raise _Unsure
    return _leaf(element), attributes[0][1] == "html"


def _atom_plain_text(element: etree._Element) -> str:
    """plain(_atom_text(element)), each field read once."""
    value, is_html = _atom_value(element)
    return _html_text(value) if is_html else plain(value)


def _atom_text(element: etree._Element) -> str:
    kind = element.get("type", "text")
    attributes = element.keys()
    if kind not in ("text", "html") or (attributes and attributes != ["type"]):
        raise _Unsure
    value = _leaf(element)
    return _html(value) if kind == "html" else value


def _atom_author(element: etree._Element) -> str:
    if element.text and element.text.strip() or element.keys():
        raise _Unsure
    name = None
    for child in element:
        if child.tag == _ATOM_NAME and name is None:
            name = child
        elif child.tag != _ATOM_URI:
            raise _Unsure  # a second name, an email or anything else
    if name is None:
        raise _Unsure
    return _person(_leaf(name, repair=False))


def _person(name: str) -> str:
    if "@" in name or "<" in name or "&" in name or "(" in name:
        raise _Unsure  # feedparser splits names and email addresses its own way
    return name


def _rss_link(value: str, url: str) -> str:
    """feedparser's joining with the feed's address, then its repair of `&amp;` and `&name;` in a link."""
    if "&" not in value and _is_plain_http(value) and "/." not in value and _base_scheme(url) is not None:
        return value  # what the joining, the repair and the safety check below give back for it
    joined = _join(url, _safe_link(value))
    if "&" in joined:
        joined = _NAMED_REFERENCE.sub(r"&\g<1>", joined.replace("&amp;", "&"))
    return _safe_link(joined)


def _link(base: str, value: str) -> str:
    """`_join(base, _safe_link(value))`: a plain absolute http(s) address (most links) checked in one pass."""
    if _is_plain_http(value) and "/." not in value and _base_scheme(base) is not None:
        return value
    return _join(base, _safe_link(value))


def _is_plain_http(value: str) -> bool:
    """Whether `value` is an absolute http(s) address that feedparser's joining gives back unchanged (and
    _safe_link lets through, but for "/."), by one pattern: scheme, host, path, query, fragment."""
    if value.isascii():
        return _PLAIN_ASCII_HTTP.fullmatch(value) is not None
    return _PLAIN_HTTP.fullmatch(value) is not None


def _safe_link(value: str) -> str:
    if value.isascii() and value.isprintable():  # then a space is its only whitespace: str checks, not a regex
        safe = (value.startswith(("http://", "https://")) and len(value) > 7 + (value[4] == "s")
                and value[7 + (value[4] == "s")] != "/" and " " not in value and "<" not in value
                and ">" not in value and '"' not in value and "'" not in value)
    else:
        safe = _SAFE_LINK.fullmatch(value) is not None
    if not safe or "/." in value:
        raise _Unsure
    return value


def _join(base: str, uri: str) -> str:
    """feedparser's URL joining (`feedparser.urls._urljoin`): extra slashes after the scheme dropped.

    An absolute address (most links and ids) comes back from urljoin as it was, so it is given back without
    urljoin's parsing and rebuilding (a tenth of a small feed's whole parse); anything else is urljoin's."""
    if "://" not in uri:  # an id such as `tag:...`: no plain http address, and no slashes after a scheme to drop
        return _joined(base, uri)
    if _is_plain_http(uri) and _base_scheme(base) is not None:
        return uri  # what the steps below give back for it, in one pass
    fixed = _URI_FIXER.match(uri)
    if fixed and fixed.group(2):
        uri = fixed.group(1) + uri[fixed.end(2):]
    return _joined(base, uri)


def _joined(base: str, uri: str) -> str:
    """urljoin(base, uri), skipped when it would give uri back; "" for what urljoin refuses."""
    if _kept_as_is(base, uri):
        return uri
    try:
        return urllib.parse.urljoin(base, uri)
    except ValueError:
        return ""


def _kept_as_is(base: str, uri: str) -> bool:
    """Whether urljoin(base, uri) is uri itself: an absolute address of another scheme than the base's (its
    `tag:` id), or one urlsplit and urlunsplit give back unchanged."""
    if not uri.isascii() or not uri.isprintable() or " " in uri:
        return False  # urlsplit strips and drops some characters
    if uri.startswith("tag:") and not uri.startswith("//", 4):
        # an Atom id's usual scheme (Google Alerts'), which urljoin does not join: the steps below, known
        return _base_scheme(base) is not None and "tag" not in urllib.parse.uses_relative
    scheme = _SCHEME.match(uri)
    base_scheme = _base_scheme(base)
    if scheme is None or base_scheme is None:
        return False
    name = scheme.group(1).lower()
    if not uri.startswith("//", scheme.end()):
        return name != base_scheme or name not in urllib.parse.uses_relative
    return name == scheme.group(1) and name in urllib.parse.uses_netloc and _written_back(uri, scheme.end() + 2)


def _written_back(uri: str, start: int) -> bool:
    """Whether urlsplit and urlunsplit give back what follows "scheme://" as it was: a host without IPv6
    brackets, a path without `;params` (urlparse splits those off), no empty `?` or `#` (urlunsplit drops
    those). str.find, not a regex: a link is read twice, and a regex over it cost more than the joining saved."""
    end = len(uri)
    fragment = uri.find("#", start)
    if fragment == end - 1:
        return False
    before_fragment = fragment if fragment >= 0 else end
    query = uri.find("?", start, before_fragment)
    if query >= 0 and query == before_fragment - 1:
        return False
    before_query = query if query >= 0 else before_fragment
    slash = uri.find("/", start, before_query)
    host_end = slash if slash >= 0 else before_query
    if host_end == start or uri.find("[", start, host_end) >= 0 or uri.find("]", start, host_end) >= 0:
        return False
    return uri.find(";", host_end, before_query) < 0


@functools.lru_cache(maxsize=64)
def _base_scheme(base: str) -> str | None:
    """The scheme urljoin sees in a feed's address (the same for all its entries); None if it fails on it."""
    try:
        return urllib.parse.urlparse(base).scheme
    except ValueError:
        return None


def _rfc822(value: str) -> datetime:
    """What feedparser makes of an RFC 822 date (`feedparser.datetimes.rfc822`: the date as written, less its
    zone), read from the pattern's own groups. A date feedparser's RFC 822 reader gives up on (31 February,
    23:59:60, a moment before year 1 or after 9999 in UTC) is left to feedparser, which tries its other readers."""
    match = _RFC822.fullmatch(value)
    if not match:
        raise _Unsure
    day, month, year, hour, minute, second, zone = match.groups()
    minutes = 0
    if zone[0] in "+-":
        minutes = int(zone[1:3]) * 60 + int(zone[3:5])  # -0000 is 0, as feedparser reads it
        if zone[0] == "-":
            minutes = -minutes
    try:
        stamp = datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=timezone.utc)
        return stamp - timedelta(minutes=minutes)
    except (ValueError, OverflowError):
        raise _Unsure from None


def _w3c(value: str) -> datetime:
    if not _W3C.fullmatch(value):
        raise _Unsure
    try:  # what parse_iso_datetime gives for the pattern's dates (fromisoformat reads the Z since Python 3.11)
        moment = datetime.fromisoformat(value)
    except ValueError:  # 30 February
        raise _Unsure from None
    if moment.tzinfo is timezone.utc:  # Z or +00:00: UTC already
        return moment
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:  # past year 9999 or before year 1 in UTC: feedparser's to read (that entry is skipped)
        raise _Unsure from None
