"""Rapport's lexicon: VADER's word lexicon with resources/lexicon/freelance.tsv's words and phrase rules.

Phrase rules are indexed by the first word they can start with (read from the rule's own text), so
a word that starts no rule costs one dict look-up.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from vaderSentiment import vaderSentiment as vader

try:  # the regular expression parser: its syntax tree says how a phrase rule's matches begin
    from re import _constants as _sre_constants, _parser as _sre_parser  # type: ignore[attr-defined]
except ImportError:  # Python < 3.11
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parser  # type: ignore[no-redef]
_REPEATS = tuple(getattr(_sre_constants, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                 if hasattr(_sre_constants, name))

LEXICON_FILE = "freelance.tsv"
_PLAIN_WORD = re.compile(r"[\w'/-]+")
_META = set("()[]{}?*+|.^$\\ ")
_DIGIT = "0-9"  # index key of rules that start with any number ("[0-9]+ weeks")
_DIGIT_CLASS = re.compile(r"\[(?:[0-9]-[0-9])+\]|\\d")
_QUANTIFIER = re.compile(r"[?*+]\??|\{(\d*),?(\d*)\}\??")
_CACHE_WORDS = 50_000  # distinct words whose rule group is remembered


class PhraseGroup(NamedTuple):
    """The phrase rules that can start with one word, in file order."""

    any_rule: re.Pattern[str]  # all of them as one alternation: a single C-level try says whether one matches
    rules: tuple[tuple[re.Pattern[str], float], ...]
    # For the word the group was looked up by: (n, the first n characters of every match of its rules there), n
    # reaching past the word and a blank; None when not known. Where the text goes on otherwise, one set look-up says
    # no rule matches without running the regular expression engine (most tries of "the", "was", "i" find nothing,
    # and the engine's walk through a long alternation misses the memory caches more than anything else a text does).
    starts: tuple[int, frozenset[str]] | None = None
    beginnings: tuple[str, ...] | None = None  # how every match of every rule begins (match_starts()), when known


Rule = tuple[int, str, float]  # file order, pattern, weight


class PhraseIndex(dict[str, "PhraseGroup | None"]):
    """word -> the phrase rules that can start at it (None: none), filled on first look-up of each word.

    A rule whose first word is written out ("never again") is keyed by that word; one whose first word
    goes on in regex ("deadlines?", "copy[ -]?paste") by its literal prefix; one starting with a
    number by any word starting with a digit.
    """

    def __init__(self, whole: dict[str, list[Rule]], prefixes: dict[str, list[Rule]], digits: list[Rule]) -> None:
        super().__init__()
        self._whole = whole
        self._prefixes = prefixes
        self._any_prefix = tuple(prefixes)  # one C-level startswith says whether any prefix rule can apply
        self._digits = digits

    def __missing__(self, word: str) -> PhraseGroup | None:
        rules = list(self._whole.get(word, ()))
        bare = word.rstrip("!\"#$%&()*+,.:;<=>?@[\\]^_`{|}~")
        if bare != word:
            rules.extend(self._whole.get(bare, ()))
        if word.startswith(self._any_prefix):  # most words start no prefix rule
            for prefix, more in self._prefixes.items():
                if word.startswith(prefix):
                    rules.extend(more)
        if word[:1].isdigit():
            rules.extend(self._digits)
        group = _phrase_group(tuple(sorted(set(rules)))) if rules else None
        if group is not None:
            group = group._replace(starts=_word_starts(word, group.beginnings))
        if len(self) < _CACHE_WORDS:
            self[word] = group
        return group

    def rules(self) -> Iterable[Rule]:
        """Every rule once (for tests and tools)."""
        seen = {r for rules in (*self._whole.values(), *self._prefixes.values(), self._digits) for r in rules}
        return sorted(seen)


@dataclass(frozen=True)
class Lexicon:
    """Everything the engine looks up, built once: VADER's word lexicon with Rapport's overrides."""

    words: dict[str, float]
    phrases: PhraseIndex
    emojis: dict[str, str]
    triggers: frozenset[str]  # words that can carry valence on their own: a sentence without one (or a phrase) is 0

    def with_words(self, learned: dict[str, float]) -> Lexicon:
        """A copy whose word valences are replaced by `learned` ones (phrase rules shared)."""
        words = {**self.words, **learned}
        return Lexicon(words, self.phrases, self.emojis, self.triggers | frozenset(learned))


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


def _structure(pattern: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth after it) of the pattern's own syntax from `start`: escapes and
    character classes are skipped whole."""
    depth = 0
    i = start
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(pattern, i)
            continue
        depth += (ch == "(") - (ch == ")")
        yield i, ch, depth
        i += 1


def _split_top(pattern: str) -> list[str]:
    """`pattern` split at its top-level '|' (not inside groups or classes)."""
    cuts = [i for i, ch, depth in _structure(pattern) if ch == "|" and depth == 0]
    return [pattern[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(pattern)])]


def _class_end(pattern: str, i: int) -> int:
    """Index just past the character class opening at i."""
    j = i + 1
    if pattern[j : j + 1] == "^":
        j += 1
    if pattern[j : j + 1] == "]":
        j += 1
    while pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _group_end(pattern: str, i: int) -> int:
    """Index just past the group opening at i."""
    return next(j for j, ch, depth in _structure(pattern, i) if ch == ")" and depth == 0) + 1


def first_words(pattern: str) -> set[tuple[str, bool]]:
    """How a match of `pattern` can begin: (literal start of its first word, whether that is the whole word).

    The digit key stands for "any number". Raises ValueError when a way to begin has no literal start.
    """
    out: set[tuple[str, bool]] = set()
    for alternative in _split_top(pattern):
        out |= _heads(alternative, "")
    return out


def _heads(rest: str, literal: str) -> set[tuple[str, bool]]:
    """first_words() for one alternative `rest`, `literal` being what was read before it."""
    if not rest or rest[0] == " ":
        if not literal:
            raise ValueError("a rule cannot start with a blank or be empty")
        return {(literal, True)}
    digit = _DIGIT_CLASS.match(rest)
    if digit and not literal:
        return {(_DIGIT, False)}
    ch = rest[0]
    if ch == "(":
        end = _group_end(rest, 0)
        body = rest[1 : end - 1]
        if body.startswith(("?=", "?!", "?<")):
            if literal:
                return {(literal, False)}
            raise ValueError("a rule cannot start with a look-around")
        body = body.removeprefix("?:")
        quant = _QUANTIFIER.match(rest, end)
        after = rest[quant.end() :] if quant else rest[end:]
        optional = bool(quant) and (quant.group().startswith(("?", "*")) or quant.group(1) in ("", "0"))
        repeated = bool(quant) and not quant.group().startswith("?")
        tail = "\x00" if repeated else after  # after a repeat the word may go on with another copy
        out: set[tuple[str, bool]] = set()
        for alternative in _split_top(body):
            out |= _heads(alternative + tail, literal)
        if optional:
            out |= _heads(after, literal)
        return out
    if ch in _META or ch == "\x00":
        if literal:
            return {(literal, False)}
        raise ValueError("a rule must start with a literal word")
    if ch == "\\" and rest[1:2].isalnum():  # \w, \b, \d...: a class, not a literal
        if literal:
            return {(literal, False)}
        raise ValueError("a rule must start with a literal word")
    size = 2 if ch == "\\" else 1
    char = rest[size - 1]
    quant = _QUANTIFIER.match(rest, size)
    if quant:  # "deadlines?": the literal word ends before the repeated character
        kept = literal + char if quant.group()[:1] == "+" or quant.group(1) not in ("", "0", None) else literal
        if not kept:
            raise ValueError("a rule must start with a literal word")
        return {(kept, False)}
    return _heads(rest[size:], literal + char)


def build_index(entries: list[tuple[int, str, float]]) -> PhraseIndex:
    whole: dict[str, list[Rule]] = {}
    prefixes: dict[str, list[Rule]] = {}
    digits: list[Rule] = []
    for rule in entries:
        try:
            heads = first_words(rule[1])
        except (ValueError, IndexError) as e:
            raise ValueError(f"phrase rule must start with a literal word: {rule[1]!r} ({e})") from None
        for word, complete in heads:
            if word == _DIGIT:
                digits.append(rule)
            else:
                (whole if complete else prefixes).setdefault(word, []).append(rule)
    return PhraseIndex(whole, prefixes, digits)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Rapport's lexicon (cached): a private copy of VADER's dict, never VADER's global state."""
    analyzer = vader.SentimentIntensityAnalyzer()
    words = dict(analyzer.lexicon)
    words.pop("pretty", None)  # handled as a booster or as praise by position, see words.token_valences
    for number in [w for w in words if w.isdigit()]:  # VADER's slang codes ("182", "143") are invoice numbers here
        del words[number]
    words.update(_free_of(words))
    phrases: list[Rule] = []
    for order, (term, weight) in enumerate(_read_entries()):
        if _PLAIN_WORD.fullmatch(term):
            words[term] = weight
        else:
            phrases.append((order, term, weight))
    words.update(_superlatives(words))
    emojis = dict(analyzer.emojis)
    for ch, name in analyzer.emojis.items():
        if name in REACTION_EMOJI:  # read as itself, a word of praise (see REACTION_EMOJI)
            emojis[ch] = ch
            words[ch] = REACTION_EMOJI[name]
    # ("gone", "replaced": "The old paper rota is gone" praises with no valence of its own, solved.py)
    return Lexicon(words, build_index(phrases), emojis, frozenset(words) | {"pretty", "gone", "replaced"})


# VADER reads an emoji by the words of its name, as if the writer had written them: but an emoji is the writer's
# reaction, not an event told, and where its name is a slang word of praise the name's literal sense is never meant
# ("🔥" is not a fire: VADER's "fire" weighs -1.4). Such an emoji reads as the slang's praise (words.SLANG_PRAISE,
# what "fire" weighs where it describes a thing: "our new website is fire"), its own token.
REACTION_EMOJI = {"fire": 2.0}


# A superlative of a praise word VADER has only in its plain form ("the cleanest", "the smoothest", "kindest",
# "freshest": VADER has "best", "greatest", few others) praises as the word does, a little more. Only praise: the
# superlatives of complaint words in the labelled sets ("scariest", "hardest", "strangest") are praise ("the scariest
# ride I've ever loved"), and a niche's corrections learn the plain word ("scary") for a store.
SUPERLATIVE = 1.2
_NOT_SUPERLATIVES = frozenset(("late",))  # "latest" is the newest, not the most late


def _superlatives(words: dict[str, float]) -> dict[str, float]:
    """The superlatives of the words that praise (valence >= 1.0) not in the lexicon already; built into the lexicon,
    so reading one costs one look-up like any other."""
    out = {}
    for w, v in words.items():
        if v < 1.0 or not w.isalpha() or w in _NOT_SUPERLATIVES or len(w) < 3:
            continue
        if w[-1] == "e":
            form = w + "st"  # nicest, rudest
        elif w[-1] == "y" and w[-2] not in "aeiou":
            form = w[:-1] + "iest"  # friendliest, dirtiest
        elif len(w) <= 4 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou":
            form = w + w[-1] + "est"  # saddest, hottest
        else:
            form = w + "est"  # cleanest, smoothest
        if form not in words:
            out[form] = round(v * SUPERLATIVE, 3)
    return out


FREE_OF = 0.8  # "pain-free" weighs this much of what "pain" weighs, the other way


def _free_of(words: dict[str, float]) -> dict[str, float]:
    """"X-free" for every negative word X: being free of a trouble is praise ("pain-free", "stress-free",
    "worry-free"). Built into the lexicon, so reading such a word costs one look-up like any other."""
    return {f"{w}-free": round(-FREE_OF * v, 3) for w, v in words.items() if v < 0 and w.isalpha()}


@lru_cache(maxsize=None)
def _phrase_group(ordered: tuple[Rule, ...]) -> PhraseGroup:
    """Compile one set of rules (in file order), plus their alternation as a quick filter; words that
    start the same rules share one group."""
    patterns = [f"(?:{term})(?![\\w'])" for _, term, _ in ordered]
    compiled = tuple((_compiled(p), weight) for p, (_, _, weight) in zip(patterns, ordered))
    any_rule = compiled[0][0] if len(compiled) == 1 else re.compile("|".join(patterns))
    return PhraseGroup(any_rule, compiled, None, _group_starts([term for _, term, _ in ordered]))


_LONGEST_START = 24
_MAX_PATHS = 4000  # beginnings followed through a rule before giving up on it


def _group_starts(terms: list[str]) -> tuple[str, ...] | None:
    """The beginnings of every match of the rules `terms` (match_starts()); None when not known for some rule."""
    found: set[str] = set()
    for term in terms:
        starts = match_starts(term)
        if starts is None:
            return None
        found |= starts
    return tuple(sorted(found))


def _word_starts(word: str, starts: tuple[str, ...] | None) -> tuple[int, frozenset[str]] | None:
    """How the group's matches begin where the text reads `word`: (n, the first n characters of each beginning that
    agrees with the word), n as long as the shortest; None when that says nothing past the word and a blank (the
    gate would not help)."""
    if starts is None:
        return None
    fitting = [s for s in starts if s.startswith(word) or word.startswith(s)]
    if not fitting:
        return None  # (no rule can match here; left to the engine to say so)
    n = min(map(len, fitting))
    if n <= len(word) + 1:
        return None
    return n, frozenset(s[:n] for s in fitting)


def match_starts(pattern: str) -> set[str] | None:
    """Strings of which every match of `pattern` begins with one (each as long as the pattern's literal text goes,
    up to _LONGEST_START characters), read from the pattern's syntax tree; None when not known."""
    try:
        parsed = _sre_parser.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    try:
        open_, closed = _walk(list(parsed), {""})
    except _TooMany:
        return None
    return closed | open_


class _TooMany(Exception):
    pass


def _walk(items: list, open_: set[str]) -> tuple[set[str], set[str]]:
    """Follow the beginnings `open_` (literal text read so far on each way through) over a sequence of the syntax
    tree: (those still open after it, those that stop being literal inside it). A beginning stops at anything but a
    literal character, group, alternation or repeat: what follows is not known, so the beginning is all that is."""
    c = _sre_constants
    closed: set[str] = set()
    for op, av in items:
        if not open_:
            break
        if op is c.LITERAL:
            ch = chr(av)
            grown = {p + ch for p in open_}
            closed |= {p for p in grown if len(p) >= _LONGEST_START}
            open_ = {p for p in grown if len(p) < _LONGEST_START}
        elif op is c.SUBPATTERN and not av[1] & re.IGNORECASE:
            open_, more = _walk(list(av[3]), open_)
            closed |= more
        elif op is c.BRANCH:
            after: set[str] = set()
            for branch in av[1]:
                o, more = _walk(list(branch), open_)
                after |= o
                closed |= more
            open_ = after
        elif op in _REPEATS:
            low, high, body = av
            o, more = _walk(list(body), open_)
            closed |= more
            if high == 1:  # once, or at most once
                open_ = o if low else open_ | o
            else:  # once at least (what comes after a repeat is not followed), or not at all (goes on as before)
                closed |= o
                if low > 0:
                    open_ = set()
        else:
            closed |= open_
            open_ = set()
        if len(open_) + len(closed) > _MAX_PATHS:
            raise _TooMany
    return open_, closed


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
