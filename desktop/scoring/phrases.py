"""Phrase rules found in a text: where each matches, which words it consumes, and how negation flips it."""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from itertools import compress
from typing import NamedTuple

from desktop.scoring.lexicon import Lexicon, PhraseGroup
from desktop.scoring.words import CLAUSE_TURNS, negated_word

_DOUBTING = frozenset(("hesitate", "hesitating", "hesitation", "think", "thinking"))


class PhraseHit(NamedTuple):
    first: int  # index of the first token it covers
    last: int  # index of the last token it covers (inclusive)
    start: int
    end: int
    weight: float


def find_phrases(
    lower: str, starts: list[int], lows: list[str], lex: Lexicon, groups: Sequence[PhraseGroup | None] | None = None,
) -> list[PhraseHit]:
    """Phrase-rule matches tried at each word start (first rule in file order wins, no overlaps).

    Most words start no rule (one dict look-up, or none: `groups` when the tokens carry each word's already);
    where some could, their alternation is tried once and the rules one by one only when it matches, to learn
    which rule (and weight) it was.
    """
    hits: list[PhraseHit] = []
    if groups is None:
        groups = list(map(lex.phrases.__getitem__, lows))
    free = 0  # words before this one are inside a phrase already found
    for i in compress(range(len(starts)), groups):
        if i < free:
            continue
        pos = starts[i]
        group = groups[i]
        gate = group.starts
        if (gate is not None and lower[pos : pos + gate[0]] not in gate[1]) or group.any_rule.match(lower, pos) is None:
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


def negated_before(lows: list[str], i: int, floor: int = 0) -> bool:
    """A negation among the (up to) 3 words before index i of one sentence, from `floor` (its clause) on."""
    for j in range(i - 1, max(floor, i - 3) - 1, -1):
        low = lows[j]
        if low in CLAUSE_TURNS or low in _DOUBTING:
            return False  # "Not cheap, but worth every penny": the negation stays in its clause;
            # "won't hesitate to hire again": it denies the hesitation, not the hiring
        if negated_word(low):
            return True
    return False


def phrase_weight(weight: float, negated: bool) -> float:
    """A phrase's weight, flipped when negated: lost praise is a complaint, a denied complaint mild praise."""
    if not negated:
        return weight
    return -1.2 * weight if weight > 0 else -0.6 * weight

