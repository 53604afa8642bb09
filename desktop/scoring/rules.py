"""The word-level engine behind `desktop.scoring`: VADER's valence rules, re-run on tokens with spans.

VADER's `polarity_scores` gives one number and no positions, rebuilds lower-cased word lists for
every sentiment word (quadratic on long texts) and walks the text char by char for emoji. This
module applies the same per-word rules (lexicon, boosters, 3-word negation, "no", ALL CAPS, idioms,
"least", "but") once per token, keeps each token's character span, and adds Rapport's lexicon
(resources/lexicon/freelance.tsv): word overrides and phrase rules that consume their words.

Two general fixes on top of VADER: "like" after a perception verb ("looks like plastic") or opening
a sentence before a determiner ("Like the last developer, he...") carries no sentiment, and "pretty" before another word is a booster ("pretty bad"), not praise.
"""
from __future__ import annotations

import math
import re
import re._constants as _c
import re._parser as _parser
import string
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import accumulate, compress, repeat
from operator import add, is_not
from typing import NamedTuple

from vaderSentiment import vaderSentiment as vader

LEXICON_FILE = "freelance.tsv"

_B_INCR = vader.B_INCR
_C_INCR = vader.C_INCR
_N_SCALAR = vader.N_SCALAR
_NEGATIONS = frozenset(vader.NEGATE)
_PUNCT = string.punctuation
_PERCEPTION = frozenset(
    "look looks looked looking feel feels felt feeling seem seems seemed sound sounds sounded "
    "taste tastes tasted smell smells smelled smelt nothing something anything".split()
)
_DETERMINERS = frozenset("the a an my our his her their your every most many all any some so".split())
_SO_THIS = ("so", "this")
_SENTENCE_END = frozenset(".!?;")
_CLOSERS = "\"')]}’”»"
_RAW_TOKEN = re.compile(r"\S+")
_SPACES = re.compile(r"(\s+)")  # split keeping the gaps: words and gaps alternate, so spans are running sums
# The end of a raw token that ends a sentence: . ! ? ; optionally followed by closing quotes/brackets.
_ENDS_SENTENCE = re.compile(r"[.!?;][" + re.escape(_CLOSERS) + r"]*(?!\S)")
# Negative words in a sentence that talks about someone else (an earlier freelancer, agency or team,
# or the thing a product replaced) count a quarter: "our previous developer vanished", "the last agency",
# "the guy before her", "after two agencies let us down", "unlike", "my old phone".
_PEOPLE = (
    r"(?:freelancers?|developers?|devs?|designers?|writers?|copywriters?|agenc(?:y|ies)|contractors?|vendors?|"
    r"teams?|compan(?:y|ies)|firms?|studios?|shops?|coders?|programmers?|engineers?|consultants?|providers?|"
    r"builders?|photographers?|illustrators?|editors?|translators?|marketers?|assistants?|webmasters?|"
    r"people|person|persons|guys?|girls?|gals?|man|woman|ones?|hires?|sellers?|owners?|outfits?|partners?)"
)
_ELSEWHERE = re.compile(
    r"\b(?:previous|prior(?! to\b)|former|ex|last|past|other|earlier|old|original)[\s-]+(?:[\w']+\s+)?"
    + _PEOPLE
    + r"\b|\b(?:experiences?|attempts?) (?:with|before)\b|\b(?:previous|prior|former|earlier|past) (?:experiences?|attempts?)\b"
    r"|\b(?:my|our) (?:old|previous|former|last) [\w'-]+|\bunlike\b"
    r"|\b" + _PEOPLE + r" (?:(?:we|i) (?:had|used|hired|tried) )?before (?:him|her|them|you|that|this)\b"
    r"|\b(?:two|three|four|five|several|multiple|many|a few|a couple of) (?:other )?"
    r"(?:freelancers|developers|devs|designers|writers|agencies|contractors|vendors|teams|companies|firms|studios|"
    r"coders|programmers|consultants|people)\b"
)
# A sentence without one of these words (or "ex-"/"ex ") cannot match _ELSEWHERE: a set look-up
# on its words spares most sentences the regex.
_ELSEWHERE_WORDS = frozenset(
    "previous prior former ex last past other earlier old original unlike before experience experiences "
    "attempt attempts two three four five several multiple many few couple".split()
)
# A sentence after one about someone else that tells of taking over their work: its negative words
# describe what was taken over ("Sam picked up the half-finished code"), so they count a quarter too.
_TAKEOVER = re.compile(
    r"\b(?:took|taken|take|takes|taking) over\b|\b(?:picked|pick|picks|picking) up\b|\binherit\w*|"
    r"\bstep(?:ped|s)? in\b|\b(?:rescued|salvaged|saved|untangled|rebuilt|redid|cleaned up|sorted out|came in|"
    r"turned (?:it|things|\w+) around)\b|\bleft off\b|\bleft (?:us|me|behind)\b"
)
# A yes/no question ("Was he responsive? Any delays?") asks about a problem, it does not report one:
# its negative words do not count. Rhetorical questions ("Why did it take three months?",
# "How is it still not finished?", "Did he even test it?", "Is it still broken?") keep their weight.
_YES_NO_START = frozenset(
    "was were is are am did does do has have had any anyone anybody can could would should will "
    "wasn't weren't isn't aren't didn't doesn't don't hasn't haven't".split()
)
_MINOR_WORDS = frozenset("only minor small slight slightly tiny little bit hiccup hiccups understandable deal".split())
_HOW_WAS = frozenset(("was", "were"))
_RHETORICAL = frozenset(("even", "seriously", "honestly", "really", "still"))
YES_NO_FACTOR = 0.0

# Words that turn a clause: a negation or booster before one does not reach the words after it.
CLAUSE_TURNS = frozenset(("but", "however", "although", "though", "yet"))
_DOUBTING = frozenset(("hesitate", "hesitating", "hesitation", "think", "thinking"))
# Negative words in a sentence that calls itself minor count half.
_MINOR = re.compile(
    r"\b(?:(?:the|my|our|one) only|only (?:minor|small|issue|downside|complaint|thing|problem|con|negative)|"
    r"minor|small|slight(?:ly)?|tiny|a (?:little|bit)|nitpick\w*|hiccups?|understandable|"
    r"(?:no|not a) big deal)\b"
)


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


class PhraseHit(NamedTuple):
    first: int  # index of the first token it covers
    last: int  # index of the last token it covers (inclusive)
    start: int
    end: int
    weight: float


class PhraseGroup(NamedTuple):
    """The phrase rules that can start with one key, in file order."""

    any_rule: re.Pattern[str]  # all of them as one alternation: a single C-level try says whether one matches
    rules: tuple[tuple[re.Pattern[str], float], ...]


@dataclass(frozen=True)
class Lexicon:
    """Everything the engine looks up, built once: VADER's word lexicon with Rapport's overrides."""

    words: dict[str, float]
    # first _KEY chars -> the rules that can match there (shorter keys' rules merged into longer keys they prefix)
    phrases_by_key: dict[str, PhraseGroup]
    short_key_sizes: tuple[int, ...]  # key lengths below _KEY in use (rules whose start is that short)
    emojis: dict[str, str]
    triggers: frozenset[str]  # words that can carry valence on their own: a sentence without one (or a phrase) is 0


def _read_entries() -> list[tuple[str, float]]:
    """(term, weight) pairs from the lexicon file; '#' lines are comments."""
    text = (resources.files("resources") / "lexicon" / LEXICON_FILE).read_text(encoding="utf-8")
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, weight = line.split("\t")[:2]
        entries.append((term.strip(), float(weight)))
    return entries


_PLAIN_WORD = re.compile(r"[\w'/-]+")


_KEY = 2  # phrase rules are looked up by the first two characters at a word start


_MAX_DEPTH = 40  # guards against patterns whose repeats can match nothing ("(?:a?)+")


def _chars(op: object, av: object) -> set[str] | None:
    """The characters one LITERAL or IN item matches; None when it cannot be listed (\\w, negated sets)."""
    if op is _c.LITERAL:
        return {chr(av)}  # type: ignore[arg-type]
    out = set()
    for sub_op, sub_av in av:  # type: ignore[attr-defined]
        if sub_op is _c.LITERAL:
            out.add(chr(sub_av))
        elif sub_op is _c.RANGE:
            out.update(chr(c) for c in range(sub_av[0], sub_av[1] + 1))
        else:
            return None
    return out


def _starts(items: list, need: int, depth: int = 0) -> set[str]:
    """The strings of `need` characters a match of the parsed regex `items` can start with.

    A string is shorter where the pattern cannot tell what comes next (the pattern ends, or a class
    such as \\w): a shorter key is looked up too, so shorter is always safe, only less selective.
    A repeat is unrolled one copy at a time, "x+" as "x" then "x*", so "[0-9]+ r" starts "1 " or "15"
    (not only "1 ": a number can have more than one digit).
    """
    if need <= 0 or not items or depth > _MAX_DEPTH:
        return {""}
    op, av = items[0]
    rest = items[1:]
    if op is _c.LITERAL or op is _c.IN:
        chars = _chars(op, av)
        if chars is None:
            return {""}
        tails = _starts(rest, need - 1, depth + 1)
        return {ch + tail for ch in chars for tail in tails}
    if op is _c.SUBPATTERN:
        return _starts(list(av[-1]) + rest, need, depth + 1)  # type: ignore[index]
    if op is _c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:  # type: ignore[index]
            out |= _starts(list(branch) + rest, need, depth + 1)
        return out
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
        low, high, sub = av  # type: ignore[misc]
        if high == 0:
            return _starts(rest, need, depth + 1)
        again = [] if high == 1 else [(op, (max(low - 1, 0), high if high == _c.MAXREPEAT else high - 1, sub))]
        out = _starts(list(sub) + again + rest, need, depth + 1)
        return out if low >= 1 else out | _starts(rest, need, depth + 1)
    return {""}  # anything else (\\b, ., lookarounds): cannot tell


def _prefixes(items: list) -> set[str] | None:
    """The first _KEY characters a parsed regex can match (shorter where it cannot be told); None if nothing."""
    found = _starts(list(items), _KEY)
    return None if "" in found else found


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Rapport's lexicon (cached): a private copy of VADER's dict, never VADER's global state."""
    analyzer = vader.SentimentIntensityAnalyzer()
    words = dict(analyzer.lexicon)
    words.pop("pretty", None)  # handled as a booster or as praise by position, see token_valences
    by_key: dict[str, list[tuple[int, str, float]]] = {}
    for order, (term, weight) in enumerate(_read_entries()):
        if _PLAIN_WORD.fullmatch(term):
            words[term] = weight
            continue
        keys = _prefixes(list(_parser.parse(term)))
        if keys is None:
            raise ValueError(f"phrase rule must start with a literal character: {term!r}")
        for key in keys:
            by_key.setdefault(key, []).append((order, term, weight))
    short = tuple(sorted({len(key) for key in by_key if len(key) < _KEY}, reverse=True))
    for key, rules in by_key.items():  # a full-length key also gets the rules of the short keys it starts with
        if len(key) == _KEY:
            rules.extend(r for size in short for r in by_key.get(key[:size], ()))
    groups = {key: _phrase_group(rules) for key, rules in by_key.items()}
    return Lexicon(words, groups, short, analyzer.emojis, frozenset(words) | {"pretty"})


def _phrase_group(rules: list[tuple[int, str, float]]) -> PhraseGroup:
    """Compile one key's rules (file order, duplicates dropped), plus their alternation as a quick filter."""
    ordered = sorted(set(rules))
    patterns = [f"(?:{term})(?![\\w'])" for _, term, _ in ordered]
    compiled = tuple((re.compile(p), weight) for p, (_, _, weight) in zip(patterns, ordered))
    any_rule = compiled[0][0] if len(compiled) == 1 else re.compile("|".join(patterns))
    return PhraseGroup(any_rule, compiled)


def _strip(raw: str, start: int) -> tuple[str, int]:
    """VADER's punctuation strip (kept when it would leave <= 2 chars, e.g. emoticons)."""
    stripped = raw.strip(_PUNCT)
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
    breaks = {bisect_right(starts, m.start()) - 1 for m in _ENDS_SENTENCE.finditer(text)}
    breaks.update(newline_gaps)
    breaks.add(len(raws) - 1)
    words = list(map(str.strip, raws, repeat(_PUNCT)))
    # str.strip returns the very same object when there is nothing to strip: only those words need a look.
    for i in compress(range(len(raws)), map(is_not, words, raws)):
        raw, stripped = raws[i], words[i]
        if len(stripped) <= 2:
            words[i] = raw  # VADER keeps short punctuation-heavy tokens whole (emoticons such as ":)")
        else:
            starts[i] += raw.find(stripped)
    ends = list(map(add, starts, map(len, words)))
    return Tokens(words, list(map(str.lower, words)), starts, ends, sorted(breaks))


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
        if last in _SENTENCE_END or (last in _CLOSERS and raw.rstrip(_CLOSERS)[-1:] in _SENTENCE_END):
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
            if word.strip(_PUNCT):
                _add_word(out, word, lower[s : s + len(word)], s, s + len(word))
            run_start = None
        if desc is not None:
            pos = start + offset
            for part in desc.split():
                _add_word(out, part, part.lower(), pos, pos + 1)


def _phrase_group_at(lower: str, pos: int, lex: Lexicon) -> PhraseGroup | None:
    """The phrase rules worth trying at `pos`, found by the text's first characters there."""
    group = lex.phrases_by_key.get(lower[pos : pos + _KEY])
    if group is None:
        for size in lex.short_key_sizes:
            group = lex.phrases_by_key.get(lower[pos : pos + size])
            if group is not None:
                break
    return group


def find_phrases(lower: str, starts: list[int], lex: Lexicon) -> list[PhraseHit]:
    """Phrase-rule matches tried at each word start (first rule in file order wins, no overlaps).

    Most words start no rule (one dict look-up); where some could, their alternation is tried once
    and the rules one by one only when it matches, to learn which rule (and weight) it was.
    """
    hits: list[PhraseHit] = []
    by_key = lex.phrases_by_key
    if lex.short_key_sizes:
        groups = [_phrase_group_at(lower, pos, lex) for pos in starts]
    else:
        groups = [by_key.get(lower[pos : pos + _KEY]) for pos in starts]
    free = 0  # words before this one are inside a phrase already found
    for i in compress(range(len(starts)), groups):
        if i < free:
            continue
        pos = starts[i]
        group = groups[i]
        if group.any_rule.match(lower, pos) is None:
            continue
        for rule, weight in group.rules:
            m = rule.match(lower, pos)
            if m is not None:
                break
        else:  # unreachable: the alternation matched, so one of its rules does
            continue
        end = m.end()
        last = bisect_left(starts, end, i + 1) - 1  # the last word starting inside the match
        hits.append(PhraseHit(i, last, pos, end, weight))
        free = last + 1
    return hits


def _negated_word(low: str) -> bool:
    return low in _NEGATIONS or "n't" in low


def _booster(word: str, low: str, valence: float, cap_diff: bool) -> float:
    """VADER's scalar_inc_dec, plus "pretty" as a booster."""
    scalar = vader.BOOSTER_DICT.get(low, _B_INCR if low == "pretty" else 0.0)
    if scalar == 0.0:
        return 0.0
    if valence < 0:
        scalar = -scalar
    if cap_diff and word.isupper():
        scalar += _C_INCR if valence > 0 else -_C_INCR
    return scalar


def _negation(valence: float, lows: list[str], k: int, i: int) -> float:
    """VADER's _negation_check for the word k+1 places before i (k in 0..2)."""
    if k == 0:
        return valence * _N_SCALAR if _negated_word(lows[i - 1]) else valence
    if k == 1:
        if lows[i - 2] == "never" and lows[i - 1] in _SO_THIS:
            return valence * 1.25
        if lows[i - 2] == "without" and lows[i - 1] == "doubt":
            return valence
        return valence * _N_SCALAR if _negated_word(lows[i - 2]) else valence
    if (lows[i - 3] == "never" and lows[i - 2] in _SO_THIS) or lows[i - 1] in _SO_THIS:
        return valence * 1.25
    if lows[i - 3] == "without" and (lows[i - 2] == "doubt" or lows[i - 1] == "doubt"):
        return valence
    return valence * _N_SCALAR if _negated_word(lows[i - 3]) else valence


def _idioms(valence: float, lows: list[str], i: int) -> float:
    """VADER's _special_idioms_check (only reached when i >= 3)."""
    special = vader.SPECIAL_CASES
    w3, w2, w1, w0 = lows[i - 3], lows[i - 2], lows[i - 1], lows[i]
    for seq in (f"{w1} {w0}", f"{w2} {w1} {w0}", f"{w2} {w1}", f"{w3} {w2} {w1}", f"{w3} {w2}"):
        if seq in special:
            valence = special[seq]
            break
    n = len(lows)
    if n - 1 > i and f"{w0} {lows[i + 1]}" in special:
        valence = special[f"{w0} {lows[i + 1]}"]
    if n - 1 > i + 1 and f"{w0} {lows[i + 1]} {lows[i + 2]}" in special:
        valence = special[f"{w0} {lows[i + 1]} {lows[i + 2]}"]
    boosters = vader.BOOSTER_DICT
    for seq in (f"{w3} {w2} {w1}", f"{w3} {w2}", f"{w2} {w1}"):
        if seq in boosters:
            valence += boosters[seq]
    return valence


def _word_valence(words: list[str], lows: list[str], i: int, lex: dict[str, float], cap_diff: bool) -> float:
    """VADER's sentiment_valence for the lexicon word at i (lows is one sentence)."""
    low = lows[i]
    valence = base = lex[low]
    n = len(lows)
    if low == "no" and i != n - 1 and lows[i + 1] in lex:
        valence = 0.0
    if (i > 0 and lows[i - 1] == "no") or (i > 1 and lows[i - 2] == "no") or (
        i > 2 and lows[i - 3] == "no" and lows[i - 1] in ("or", "nor")
    ):
        valence = base * _N_SCALAR
    if cap_diff and words[i].isupper():
        valence += _C_INCR if valence > 0 else -_C_INCR
    for k in range(3):
        j = i - k - 1
        if j < 0 or lows[j] in CLAUSE_TURNS:
            break  # negation and boosters do not reach across "but" ("not cheap, but great")
        if lows[j] in lex:
            continue
        s = _booster(words[j], lows[j], valence, cap_diff)
        if s:
            valence += s * (1.0, 0.95, 0.9)[k]
        valence = _negation(valence, lows, k, i)
        if k == 2:
            valence = _idioms(valence, lows, i)
    if i > 0 and lows[i - 1] == "least" and "least" not in lex:
        if i == 1 or lows[i - 2] not in ("at", "very"):
            valence *= _N_SCALAR
    return valence


def token_valences(
    words: list[str], lows: list[str], lex: dict[str, float], cap_diff: bool, phrases: dict[int, float], consumed: set[int]
) -> list[float]:
    """Valence per word of one sentence, VADER's rules plus phrase weights (placed at the phrase's first word).

    Only lexicon words (and a final "pretty") can carry a valence, so only they are visited.
    """
    boosters = vader.BOOSTER_DICT
    n = len(lows)
    out = [0.0] * n
    for i, weight in phrases.items():
        out[i] = weight
    for i in compress(range(n), map(lex.__contains__, lows)):
        if i in consumed:
            continue
        low = lows[i]
        if low in boosters or (low == "kind" and i < n - 1 and lows[i + 1] == "of") or low == "pretty":
            continue
        if low == "like" and (lows[i - 1] in _PERCEPTION if i > 0 else n > 1 and lows[1] in _DETERMINERS):
            continue  # "looks like plastic", "Like the last developer, he ...": a comparison, not praise
        out[i] = _word_valence(words, lows, i, lex, cap_diff)
    if lows[-1] == "pretty" and n - 1 not in consumed and lows[-1] not in boosters:
        out[-1] = 2.2  # "pretty" before another word is a booster ("pretty bad"); last, it is praise
    if "but" in lows:
        b = lows.index("but")
        out = [v * 0.5 if k < b else v * 1.5 if k > b else v for k, v in enumerate(out)]
    return out


def negated_before(lows: list[str], i: int) -> bool:
    """A negation among the (up to) 3 words before index i of one sentence."""
    for j in range(i - 1, max(0, i - 3) - 1, -1):
        low = lows[j]
        if low in CLAUSE_TURNS or low in _DOUBTING:
            return False  # "Not cheap, but worth every penny": the negation stays in its clause;
            # "won't hesitate to hire again": it denies the hesitation, not the hiring
        if _negated_word(low):
            return True
    return False


def phrase_weight(weight: float, negated: bool) -> float:
    """A phrase's weight, flipped when negated: lost praise is a complaint, a denied complaint mild praise."""
    if not negated:
        return weight
    return -1.2 * weight if weight > 0 else -0.6 * weight


def punctuation_boost(chunk: str) -> float:
    """VADER's emphasis from '!' and '?' in a piece of text."""
    ep = min(chunk.count("!"), 4) * 0.292
    qm = chunk.count("?")
    if qm > 1:
        ep += qm * 0.18 if qm <= 3 else 0.96
    return ep


def normalize(total: float) -> float:
    """VADER's squashing of a valence sum into -1..1."""
    return max(-1.0, min(1.0, total / math.sqrt(total * total + 15)))


def is_yes_no_question(lows: list[str]) -> bool:
    """Does the sentence (its lower-case words; the caller knows it ends with '?') ask a yes/no question?"""
    head = lows[0]
    if head == "how":
        return len(lows) > 1 and lows[1] in _HOW_WAS
    return head in _YES_NO_START and _RHETORICAL.isdisjoint(lows)


def context_factor(
    sentence_lower: str, lows: list[str], question: bool, text_lower: str = "", start: int = 0
) -> tuple[float, bool]:
    """How much a sentence's negative words count, and whether the sentence is about someone else.

    About someone else (or taking over from someone else named earlier: in `text_lower` before `start`):
    a quarter. A yes/no question (`question`: the sentence ends with '?'): nothing. A sentence that
    calls itself minor: half.
    """
    if _about_others(sentence_lower, lows) or (
        start and _TAKEOVER.search(sentence_lower) and _ELSEWHERE.search(text_lower, 0, start)
    ):
        return 0.25, True
    if question and is_yes_no_question(lows):
        return YES_NO_FACTOR, False
    if (not _MINOR_WORDS.isdisjoint(lows) or "nitpick" in sentence_lower) and _MINOR.search(sentence_lower):
        return 0.5, False
    return 1.0, False


def _about_others(sentence_lower: str, lows: list[str]) -> bool:
    if _ELSEWHERE_WORDS.isdisjoint(lows) and "ex-" not in sentence_lower and "ex " not in sentence_lower:
        return False
    return _ELSEWHERE.search(sentence_lower) is not None


def dampen(valences: list[float], factor: float) -> list[float]:
    """Scale the negative valences of a sentence by `factor`."""
    if factor == 1.0:
        return valences
    return [v * factor if v < 0 else v for v in valences]


def dampen_for_context(sentence_lower: str, valences: list[float]) -> list[float]:
    """Scale down the negative words of one sentence (lower-case, with its end punctuation) by its context."""
    lows = [w.strip(_PUNCT) for w in sentence_lower.split()] or [""]
    question = sentence_lower.rstrip().rstrip(_CLOSERS).endswith("?")
    return dampen(valences, context_factor(sentence_lower, lows, question)[0])
