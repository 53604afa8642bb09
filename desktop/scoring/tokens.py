"""Words with their character spans and sentence ends, as VADER splits them (so reasons can point at text)."""
from __future__ import annotations

import re
import string
from itertools import accumulate, compress, repeat
from operator import add, is_not, itemgetter
from typing import NamedTuple

PUNCT = string.punctuation
_SENTENCE_END = frozenset(".!?;")
CLOSERS = "\"')]}’”»"
_TAIL_CHARS = frozenset(".!?;" + CLOSERS)
_RAW_TOKEN = re.compile(r"\S+")
_SPACES = re.compile(r"(\s+)")  # split keeping the gaps: words and gaps alternate, so spans are running sums


class Tokens(NamedTuple):
    """A text's words as VADER sees them (punctuation stripped) with their spans, as parallel lists.

    Parallel lists rather than a tuple per word: scoring mostly needs the lower-case words of a
    sentence as one list slice, and building them once is cheaper than one object per word.
    """

    words: list[str]
    lows: list[str]  # lower-case, from the lowered text (same spans)
    starts: list[int]  # non-decreasing; emoji description words share their emoji's span
    ends: list[int]
    breaks: list[int]  # indices of the last word of each sentence (or line); the last word always ends one



def _strip(raw: str, start: int) -> tuple[str, int]:
    """VADER's punctuation strip (kept when it would leave <= 2 chars, e.g. emoticons)."""
    stripped = raw.strip(PUNCT)
    if len(stripped) <= 2:
        return raw, start
    return stripped, start + raw.find(stripped)


def tokenize(text: str, lower: str, emojis: dict[str, str]) -> Tokens:
    """Words with spans, and where sentences (or newline-separated lines) end.

    `lower` is `text` lower-cased with the same length. ASCII text (nearly all feedback) takes a path
    made of C-level passes (split, running sums, map); other text goes word by word for emoji.
    """
    if text.isascii():
        return _tokenize_ascii(text)
    return _tokenize_any(text, lower, emojis)


def _tokenize_ascii(text: str) -> Tokens:
    """tokenize() for ASCII text, where no word holds emoji and lower-casing is per word."""
    raws = text.split()
    if not raws:
        return Tokens([], [], [], [], [])
    if " ".join(raws) == text:  # single spaces only (most feedback): a word starts one past the previous end
        starts = list(accumulate(map((1).__add__, map(len, raws)), initial=0))
        del starts[-1]
        newline_gaps: list[int] = []
    else:
        starts, newline_gaps = _spaced_starts(text, len(raws))
    # A word ends a sentence when it ends in . ! ? ; before any closing quotes or brackets: its last
    # character says whether to look (one C-level pass over the words).
    last = len(raws) - 1
    breaks = list(compress(range(last), map(_TAIL_CHARS.__contains__, map(itemgetter(-1), raws))))  # the last word always ends one
    if breaks:
        breaks = [i for i in breaks if raws[i][-1] not in CLOSERS or raws[i].rstrip(CLOSERS)[-1:] in _SENTENCE_END]
    if newline_gaps:
        breaks = sorted({*breaks, *newline_gaps} - {last})
    breaks.append(last)
    words = list(map(str.strip, raws, repeat(PUNCT)))
    # str.strip returns the very same object when there is nothing to strip: only those words need a look.
    for i in compress(range(len(raws)), map(is_not, words, raws)):
        raw, stripped = raws[i], words[i]
        if len(stripped) <= 2:
            words[i] = raw  # VADER keeps short punctuation-heavy tokens whole (emoticons such as ":)")
        else:
            starts[i] += raw.find(stripped)
    ends = list(map(add, starts, map(len, words)))
    return Tokens(words, list(map(str.lower, words)), starts, ends, breaks)


def _spaced_starts(text: str, n: int) -> tuple[list[int], list[int]]:
    """Where each of the n whitespace-separated words starts, and the words followed by a gap with a newline."""
    parts = _SPACES.split(text)  # word, gap, word, ..., word (an edge word is "" when text starts/ends with a gap)
    starts = list(accumulate(map(len, parts), initial=0))[: len(parts) : 2]
    gaps = parts[1::2]
    if not parts[0]:
        del starts[0], gaps[0]
    del starts[n:]
    if "\n" not in text:
        return starts, []
    return starts, list(compress(range(len(gaps)), ["\n" in gap for gap in gaps]))


def _tokenize_any(text: str, lower: str, emojis: dict[str, str]) -> Tokens:
    """tokenize() for any text: word by word, emoji split into VADER's description words."""
    toks = Tokens([], [], [], [], [])
    words, lows, starts, ends, breaks = toks
    newlines = "\n" in text
    prev_end = 0
    for m in _RAW_TOKEN.finditer(text):
        raw = m.group()
        start = m.start()
        if newlines and words and "\n" in text[prev_end:start] and (not breaks or breaks[-1] != len(words) - 1):
            breaks.append(len(words) - 1)
        prev_end = start + len(raw)
        if raw.isascii() or not any(ch in emojis for ch in raw):
            word, s = _strip(raw, start)
            _add_word(toks, word, lower[s : s + len(word)], s, s + len(word))
        else:
            _emoji_tokens(raw, start, lower, emojis, toks)
        last = raw[-1]
        if last in _SENTENCE_END or (last in CLOSERS and raw.rstrip(CLOSERS)[-1:] in _SENTENCE_END):
            if words:
                breaks.append(len(words) - 1)
    if words and (not breaks or breaks[-1] != len(words) - 1):
        breaks.append(len(words) - 1)
    return toks


def _add_word(toks: Tokens, word: str, low: str, start: int, end: int) -> None:
    toks.words.append(word)
    toks.lows.append(low)
    toks.starts.append(start)
    toks.ends.append(end)


def _emoji_tokens(raw: str, start: int, lower: str, emojis: dict[str, str], out: Tokens) -> None:
    """Split a token holding emoji: each emoji becomes VADER's description words, spanning the emoji."""
    run_start = None
    for offset, ch in enumerate(raw + " "):
        desc = emojis.get(ch)
        if desc is None and ch != " ":
            if run_start is None:
                run_start = offset
            continue
        if run_start is not None:
            piece = raw[run_start:offset]
            word, s = _strip(piece, start + run_start)
            if word.strip(PUNCT):
                _add_word(out, word, lower[s : s + len(word)], s, s + len(word))
            run_start = None
        if desc is not None:
            pos = start + offset
            for part in desc.split():
                _add_word(out, part, part.lower(), pos, pos + 1)

