"""Words with their character spans and sentence ends, as VADER splits them (so reasons can point at text)."""
from __future__ import annotations

import re
import string
import sys
from itertools import accumulate, compress
from collections.abc import Callable
from operator import add
from typing import Any, NamedTuple

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
    # What the caller's WordFacts say of each word (a lexicon's: see desktop/scoring/scorer.py), remembered with
    # its token so that a text costs one look-up a token instead of one in each table:
    groups: tuple[Any, ...] = ()  # the phrase rules that can start at the word (None: none)
    valued: tuple[bool, ...] = ()  # the word has a valence of its own
    triggers: tuple[bool, ...] = ()  # the word can move a score (a sentence with none, and no phrase, is 0)
    # What the caller's WordFacts read in each whole lower-cased token (the learned layer's words: see
    # desktop/scoring/model.py), remembered with it too; ASCII text only (empty: not read).
    chunks: tuple[Any, ...] = ()


class WordFacts:
    """What a caller knows of each lower-case word: `describe(low)` gives (group, valued, trigger), as Tokens
    holds them, and `read_chunk(token.lower())` what it reads in the whole token (Tokens.chunks). Worked out
    once per distinct token and remembered (`seen`) with how the token reads."""

    def __init__(
        self, describe: Callable[[str], tuple[Any, bool, bool]], read_chunk: Callable[[str], Any] = lambda chunk: None
    ) -> None:
        self.describe = describe
        self.read_chunk = read_chunk
        self.seen: dict[str, _TokenInfo] = {}


NO_FACTS = WordFacts(lambda low: (None, False, False))



def _strip(raw: str, start: int) -> tuple[str, int]:
    """VADER's punctuation strip (kept when it would leave <= 2 chars, e.g. emoticons)."""
    stripped = raw.strip(PUNCT)
    if len(stripped) <= 2:
        return raw, start
    return stripped, start + raw.find(stripped)


def tokenize(text: str, lower: str, emojis: dict[str, str], facts: WordFacts = NO_FACTS) -> Tokens:
    """Words with spans, where sentences (or newline-separated lines) end, and what `facts` says of each word.

    `lower` is `text` lower-cased with the same length. ASCII text (nearly all feedback) takes a path
    made of one look-up a token and C-level passes (split, zip, running sums); other text goes word by
    word for emoji.
    """
    if text.isascii():
        return _tokenize_ascii(text, facts)
    return _tokenize_any(text, lower, emojis, facts)


# What a whitespace-separated ASCII token reads as, remembered per token (feedback repeats its words: a
# token is worked out once, then costs one dict look-up): (word, lower-case word, where the word starts in
# the token, where it ends, whether the token ends a sentence, then the WordFacts of the word and of the token).
_TokenInfo = tuple[str, str, int, int, bool, Any, bool, bool, Any]
_SEEN_MAX = 50_000  # distinct tokens remembered (~300 bytes each: 15 MB at most); later ones are worked out each time


def _token_info(raw: str, facts: WordFacts) -> _TokenInfo:
    """VADER's punctuation strip of one token (kept whole when it would leave <= 2 chars, e.g. emoticons),
    whether it ends a sentence (. ! ? ; last, before any closing quotes or brackets), and the word's facts."""
    word, offset = _strip(raw, 0)
    last = raw[-1]
    ends_sentence = last in _TAIL_CHARS and (last not in CLOSERS or raw.rstrip(CLOSERS)[-1:] in _SENTENCE_END)
    # Interned (and one object when the word is lower-case already): the tables' keys are interned too, so the many
    # set and dict look-ups of a text's words compare pointers, and a remembered token keeps fewer objects to fetch.
    low = sys.intern(word.lower())
    word = low if word == low else sys.intern(word)
    info = (word, low, offset, offset + len(word), ends_sentence, *facts.describe(low), facts.read_chunk(raw.lower()))
    if len(facts.seen) < _SEEN_MAX:
        facts.seen[raw] = info
    return info


def _tokenize_ascii(text: str, facts: WordFacts = NO_FACTS) -> Tokens:
    """tokenize() for ASCII text, where no word holds emoji and lower-casing is per word: one look-up per
    token of what it reads as (_token_info), then C-level passes (split, zip, running sums)."""
    raws = text.split()
    if not raws:
        return Tokens([], [], [], [], [])
    infos = list(map(facts.seen.get, raws))
    if None in infos:
        infos = [info or _token_info(raw, facts) for info, raw in zip(infos, raws)]
    words, lows, offsets, word_ends, ends_sentence, groups, valued, triggers, chunks = zip(*infos)
    if " ".join(raws) == text:  # single spaces only (most feedback): a token starts one past the previous end
        starts = list(accumulate(map((1).__add__, map(len, raws)), initial=0))
        del starts[-1]
        newline_gaps: list[int] = []
    else:
        starts, newline_gaps = _spaced_starts(text, len(raws))
    last = len(raws) - 1
    breaks = list(compress(range(last), ends_sentence))  # the last word always ends one
    if newline_gaps:
        breaks = sorted({*breaks, *newline_gaps} - {last})
    breaks.append(last)
    ends = list(map(add, starts, word_ends))
    if any(offsets):  # a token with punctuation before its word ('"great', "(late")
        starts = list(map(add, starts, offsets))
    return Tokens(list(words), list(lows), starts, ends, breaks, groups, valued, triggers, chunks)


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


def _tokenize_any(text: str, lower: str, emojis: dict[str, str], facts: WordFacts = NO_FACTS) -> Tokens:
    """tokenize() for any text: word by word, emoji split into VADER's description words."""
    toks = Tokens([], [], [], [], [])
    words, lows, starts, ends, breaks = toks[:5]
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
    if not words:
        return toks
    groups, valued, triggers = zip(*map(facts.describe, lows))
    return toks._replace(groups=groups, valued=valued, triggers=triggers)


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

