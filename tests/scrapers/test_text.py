"""scrapers/text.py: plain text from markup, charset choice, dates and ratings."""
from __future__ import annotations

import html
import re
from datetime import datetime, timezone

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scrapers.text import decode, normalise_rating, parse_iso_datetime, plain, reads_as_utf8


@pytest.mark.parametrize(("raw", "text"), [
    ("Fast &amp; friendly<br>would hire again", "Fast & friendly\nwould hire again"),
    ("<p>One</p><p>Two&nbsp;lines</p>", "One\n\nTwo lines"),
    ("&lt;b&gt; is for bold", "<b> is for bold"),                  # escaped markup is text, decoded once
    ("<p>&amp;lt; stays</p>", "&lt; stays"),
    ("5 stars <3", "5 stars <3"),
    (None, ""),
])
def test_plain(raw, text):
    assert plain(raw) == text


@pytest.mark.parametrize(("value", "best", "worst", "stars"), [
    ("5", "5", "1", 5.0), ("1", None, None, 1.0), (8, 10, 0, 4.2), ("4,5", None, None, 4.5),
    ("11", "10", "0", 5.0), ("n/a", None, None, None), (3, 5, 5, None), (True, None, None, None),
])
def test_normalise_rating(value, best, worst, stars):
    assert normalise_rating(value, best, worst) == stars


_RATING_TEXTS = st.one_of(st.none(), st.sampled_from(["5", "4.5", "4,5", "10", "0", "1", " 3 ", "nan", "inf", "-1", "1e400",
                                                       "", "x", "0.0", "100", "\u0663", "5" * 17]), st.text(max_size=4))


@settings(max_examples=1000)
@given(st.one_of(_RATING_TEXTS, st.integers(-2, 12), st.floats(allow_nan=True)), _RATING_TEXTS, _RATING_TEXTS)
def test_a_rating_of_short_texts_is_kept_and_read_alike(value, best, worst):
    """normalise_rating keeps what it made of short texts (scrapers.text._rating_of_texts): asked twice, it gives
    what reading them anew gives."""
    from scrapers import text

    expected = text._scaled_rating(value, best, worst)
    for _ in range(2):
        stars = normalise_rating(value, best, worst)
        assert stars == expected or (stars is None and expected is None)


@given(st.floats(0, 10), st.integers(1, 10))
def test_rating_always_on_one_to_five(value, best):
    stars = normalise_rating(value, best + 0, 0)
    assert stars is not None and 1 <= stars <= 5


def test_dates_are_aware():
    assert parse_iso_datetime("2025-03-12T16:42:08.000Z") == datetime(2025, 3, 12, 16, 42, 8, tzinfo=timezone.utc)
    assert parse_iso_datetime("2025-02-18").tzinfo is not None
    assert parse_iso_datetime("last Tuesday") is None


@pytest.mark.parametrize(("body", "declared", "text"), [
    ("café".encode(), "iso-8859-1", "café"),         # server default charset, UTF-8 page
    ("café".encode("latin-1"), "utf-8", "café"),      # declared UTF-8, really Latin-1
    ("café".encode(), "x-no-such-charset", "café"),   # unknown charset name
    (b'<meta charset="windows-1252"><p>\x93ok\x94</p>', None, '<meta charset="windows-1252"><p>\u201cok\u201d</p>'),
])
def test_decode_is_sane(body, declared, text):
    assert decode(body, declared) == text


@given(st.binary(max_size=300), st.sampled_from([None, "utf-8", "latin-1", "bogus", "utf-16"]))
def test_decode_never_fails(body, declared):
    assert isinstance(decode(body, declared), str)


_DECLARATIONS = st.sampled_from([b"", b'<meta charset="utf-8">', b'<meta charset="windows-1252">', b"\xef\xbb\xbf",
                                 b'<meta charset="shift_jis">', b'<?xml version="1.0" encoding="utf-16"?>', b"\xff\xfe"])
_BODIES = st.one_of(st.binary(max_size=200), st.text(max_size=100).map(lambda t: t.encode("utf-8")),
                    st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")))


@settings(max_examples=500)
@given(_DECLARATIONS, _BODIES)
def test_reads_as_utf8_only_when_decode_reads_utf8(declaration: bytes, rest: bytes) -> None:
    """Parsers hand such bytes to lxml as UTF-8 (scrapers/scripts.py): it must be what `decode` reads."""
    body = declaration + rest
    if reads_as_utf8(body):
        assert decode(body) == body.decode("utf-8")
    elif not declaration and rest.isascii() and rest:
        raise AssertionError("plain ASCII reads as UTF-8")


_MARKUP_PIECES = st.sampled_from([
    "<b>", "</b>", "<p>", "</p>", "<br>", "<br/>", "<div class=\"x\">", "</div>", "<a href='u?a=1&b=2'>", "</a>",
    "<li>", "</li>", "<ul>", "</ul>", "<span title=\"a>b\">", "</span>", "<B>", "</B>", "<i>", "</i>", "<p/>",
    "<script>", "</script>", "<!-- c -->", "&amp;", "&nbsp;", "&lt;", "&#39;", "&#x2019;", "&amp", "&", "<", ">",
    "1 < 2", "a", " ", "\n", "review", "Café", "\u00a0", "</br>", "<img src=x>", "<style>", "</style>", "<br />", "<b class=x/>", "</P >", "&Amp;", "&AMP;",
    "&eacute;", "&notit;", "&#X41;", "&#xD800;", "&#128;", "\r\n"])


@settings(max_examples=500)
@given(st.lists(_MARKUP_PIECES, max_size=14).map("".join))
def test_the_quick_path_for_simple_markup_gives_what_the_parser_gives(markup: str) -> None:
    """Short fields skip BeautifulSoup when their markup is simple: the text must be the same either way."""
    from scrapers import text

    quick = text.simple_markup_text(markup)
    if quick is not None:
        assert text._tidy(quick) == text._tidy(text._soup_text(markup))


_BLOCK_TAGS = ("p", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section")
_INLINE_TAGS = frozenset(("b", "i", "em", "strong", "u", "a", "span", "small", "code", "s", "mark", "sup", "sub",
                          "font", "abbr", "cite", "q", "del", "ins", "big", "tt", "strike", "nobr"))
_TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9]*)((?:[^<>"']|"[^"]*"|'[^']*')*)>""")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")


def _simple_markup_text_match_by_match(text: str) -> str | None:
    """simple_markup_text as it was written first: a loop over the tags' matches, then html.unescape."""
    from html.entities import html5

    parts: list[str] = []
    open_tags: list[str] = []
    end = 0
    for match in _TAG.finditer(text):
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if name == "br":
            if closing:
                return None
            newline = "\n"
        elif name in _BLOCK_TAGS:
            newline = "\n"
        elif name in _INLINE_TAGS:
            newline = ""
        else:
            return None
        if name != "br":
            if attributes.rstrip().endswith("/"):
                return None
            if not closing:
                open_tags.append(name)
            elif attributes.strip() or not open_tags or open_tags.pop() != name:
                return None
        parts.append(text[end:match.start()])
        parts.append(newline)
        end = match.end()
    parts.append(text[end:])
    joined = "".join(parts)
    if open_tags or "<" in joined or ">" in joined:
        return None
    if "&" in joined:
        names = _ENTITY.findall(joined)
        if "&" in _ENTITY.sub("", joined) or not all(n.startswith("&#") or n[1:] in html5 for n in names):
            return None
        joined = html.unescape(joined)
    return joined


_ENTITY_PIECES = st.sampled_from(["&amp;", "&AMP;", "&amp;amp;", "&#38;", "&#x26;", "&#38;lt;", "&lt;", "&quot;",
                                  "&#39;", "&#039;", "&#8217;", "&#X2019;", "&#128;", "&#0;", "&#xD800;", "&#1114112;",
                                  "&nbsp;", "&eacute;", "&Eacute;", "&notin;", "&notit;", "&not;", "&zz;", "&", ";",
                                  "#", "&#;", "&#x;", "&amp", "x", " ", "é", "<b>", "</b>", "<br>", "<P>", "</p>",
                                  "<Blockquote>", "</BLOCKQUOTE>", "<SPAN>", "</span>", "<nobr>", "</nobr>"])


@settings(max_examples=1000)
@example("&AMP;&notit;")  # an unknown entity after another way to write &: not read, whatever the order
@example("&#38;lt; &amp;gt; &lt;")
@given(st.lists(st.one_of(_MARKUP_PIECES, _ENTITY_PIECES, st.text(max_size=4)), max_size=16).map("".join))
def test_the_quick_path_reads_markup_as_its_first_version_did(markup: str) -> None:
    """The tags split off in one call and the entities replaced one kind at a time give what a loop of matches
    and html.unescape gave."""
    from scrapers import text

    assert text.simple_markup_text.__wrapped__(markup) == _simple_markup_text_match_by_match(markup)


def test_google_alerts_highlights_take_the_quick_path() -> None:
    from scrapers import text

    raw = "<b>Northlight</b> Studio missed the deadline &amp; went quiet"
    assert text.simple_markup_text(raw) is not None
    assert plain(raw) == "Northlight Studio missed the deadline & went quiet"


def _tidy_line_by_line(text: str) -> str:
    """What plain() did to whitespace before its quick checks: each line collapsed and stripped on its own."""
    spaces = re.compile(r"[ \t\f\v\u00a0\u200b]+")
    if "\n" not in text and "\r" not in text:
        return spaces.sub(" ", text).strip()
    lines = (spaces.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["a", "é", " ", "  ", "\t", "\f", "\v", "\u00a0", "\u200b", "\u2003", "\x1c", "\n",
                                 "\r", "\r\n", "\n\n\n", "\x85"]), max_size=20).map("".join))
def test_tidying_whitespace_at_once_is_tidying_it_line_by_line(value: str) -> None:
    from scrapers import text

    assert text._tidy(value) == _tidy_line_by_line(value)


@given(st.datetimes(), st.sampled_from(["", "T", " "]))
def test_a_date_without_a_zone_is_utc(moment: datetime, separator: str) -> None:
    text = moment.isoformat(sep=separator or "T") if separator else moment.date().isoformat()
    expected = (moment if separator else datetime.combine(moment.date(), datetime.min.time())).replace(tzinfo=timezone.utc)
    parsed = parse_iso_datetime(text)
    assert parsed == expected and parsed.tzinfo is timezone.utc
