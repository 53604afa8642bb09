"""Sentiment of one piece of feedback, with the words that drove it, so the UI can show why.

`score(text, rating=None, language=None)` is VADER (its lexicon and word rules) made to hear how
clients complain, see `desktop.scoring.rules` and resources/lexicon/freelance.tsv:

* Lexicon: freelance words VADER lacks ("ghosted", "unresponsive", "buggy", "late"), domain words
  neutralised ("freelancer" is +1.1 in VADER), and phrase rules with their own negation handling
  ("would not hire again", "never delivered", "had to hire someone else", "asked for a refund").
* Sentences: a text is cut into sentences (. ! ? ; and line breaks) and each is scored on its own,
  so VADER's "but" and negation never reach across a full stop. The text's compound is VADER's sum
  over all sentences, except that one *serious* sentence (compound <= -0.45) sets the compound to
  that sentence's when it is lower: one serious complaint is not averaged away. A long positive
  review with a small gripe stays positive because a gripe is rarely that strong on its own, and
  the negative words of a sentence that calls itself minor ("the only small issue", "a bit slow")
  count half, those of a sentence about someone else ("our previous developer ghosted us", "the last
  agency", "the guy before her"), or of a later one about taking over their work ("Sam picked up the
  half-finished code"), a quarter; a sentence about someone else is never the serious one. The
  negative words of a yes/no question ("Was he responsive? Any delays?") do not count: it asks about
  a problem, it reports none. Rhetorical questions ("Why did it take three months...?", "Did he even
  test it?", "Why does every change cost another 200?", "What exactly did I pay for?") keep their
  weight, unless the question also praises ("How come she's always so calm?"): then the complaint
  phrase that opens it counts 0, it admires. HTML tags are read as blanks ("<b>awful</b>" reads "awful").
* Turns and irony: a sentence that opens with a turn ("But", "However", "Unfortunately", ...) halves
  what came before it and weighs 1.5x, as VADER's "but" does inside a sentence; a negation never reaches
  across a turn ("Not cheap, but worth every penny"). Praise in short quotes ("they 'optimised' it")
  counts -0.5x: scare quotes are irony.
* Star rating (1-5): 1-2 stars is negative whatever the words (compound at most -0.2 / -0.4).
  3 stars caps the label at neutral (lukewarm praise is not praise) but the text can still alert.
  4-5 stars blends 60% text with 40% rating, *unless* the text is angry (compound <= -0.5, also
  without its sentences about someone else): then the text wins, the score stays negative and a "worth a look" reason says the stars contradict it,
  because a 5-star rating on an angry text is more often a mis-click or sarcasm than praise.
* Language: VADER reads English only. The source's language tag is used when given ("en-US" is
  English); otherwise `desktop.scoring.language.detect_language` guesses from function words. Other
  languages are not scored: the text stays neutral (or follows its rating alone) with a reason.
* Reasons: every word or phrase that moved the score, with `text == input[start:end]` and its
  signed weight. Reasons that are not spans (language, rating) have start == end == 0, and their text
  says what they are ("language not scored: de", "rating 2/5"): `input[start:end] == text` holds for
  span reasons only (the UI highlights only start < end). The language reason weighs 0; the rating
  reason weighs the stars' pull when the rating drove the label (-0.8/-0.4 for 1/2 stars, +0.4/+0.8
  for 4/5), 0 when it did not (3 stars, or 4-5 stars overruled by an angry text).
"""
from __future__ import annotations

import math
from bisect import bisect_left
import re
from itertools import compress
from dataclasses import dataclass, field
from typing import NamedTuple

from desktop.scoring.language import detect_language, source_language
from desktop.scoring.rules import (
    Lexicon,
    PhraseHit,
    Tokens,
    context_factor,
    dampen,
    find_phrases,
    lexicon,
    negated_before,
    normalize,
    phrase_weight,
    punctuation_boost,
    token_valences,
    tokenize,
)

POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05
LABELS = ("positive", "neutral", "negative")
SERIOUS_SENTENCE = -0.45  # (was -0.5) one sentence this negative makes the whole text at least as negative
ANGRY_TEXT = -0.5  # text this negative is not rescued by a 4-5 star rating
LANGUAGE_SAMPLE_WORDS = 80
_ASKING = frozenset(("why", "how", "who", "what"))  # words that open a rhetorical complaint question
_TURNS = frozenset(("but", "however", "unfortunately", "sadly", "though", "yet", "regrettably"))
SCARE = -0.5  # what praise inside scare quotes weighs, times its own weight
# A short quote (up to ~30 characters) opened after a blank and closed before a blank or punctuation.
_SCARE_QUOTE = re.compile(r"(?:(?<=\s)|^)([\"\u201c']|\u2018)[^\s\"\u201c\u201d'\u2018\u2019][^\"\u201c\u201d\u2018\u2019\n]{0,30}?[\"\u201d'\u2019](?![\w'])")
TEXT_SHARE = 0.6  # weight of the text (vs the stars) when both are given and they do not conflict
# An HTML tag ("<b>", "</p>", '<a href="...">'): scored as blanks of the same length, so "<b>awful</b>"
# reads "awful" and spans still index the text as given. "<3" is no tag (it is VADER's heart).
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")


class Reason(NamedTuple):
    """A span of the text that moved the score: `text[start:end]`, and how much (negative pulls down)."""

    text: str
    start: int
    end: int
    weight: float


@dataclass(frozen=True)
class Score:
    compound: float
    label: str
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, object]:
        return {
            "compound": round(self.compound, 4),
            "label": self.label,
            "reasons": [r._asdict() for r in self.reasons],
        }


NEUTRAL = Score(0.0, "neutral", ())


def label_for(compound: float) -> str:
    if compound >= POSITIVE_AT:
        return "positive"
    if compound <= NEGATIVE_AT:
        return "negative"
    return "neutral"


def score(text: str, rating: float | None = None, language: str | None = None) -> Score:
    """Score `text` (plus an optional 1-5 star `rating` and its language, when the source says it)."""
    stars = _stars(rating)
    if not text or not text.strip():
        return NEUTRAL if stars is None else _rating_only(stars, ())
    lang = source_language(language)
    if lang in (None, "en"):
        read = _without_tags(text) if "<" in text else text
        lower = _lowered(read)
        tokens = tokenize(read, lower, lexicon().emojis)
        if lang is None:
            lang = detect_language(text, tokens.lows[:LANGUAGE_SAMPLE_WORDS])
    if lang != "en":
        note = (Reason(f"language not scored: {lang}", 0, 0, 0.0),)
        return Score(0.0, "neutral", note) if stars is None else _rating_only(stars, note)
    compound, own, reasons = _score_english(text, lower, tokens)
    if stars is None:
        return Score(compound, label_for(compound), reasons)
    return _blend(compound, own, reasons, stars)


def _without_tags(text: str) -> str:
    """`text` with HTML tags blanked out (same length, so spans carry over)."""
    return _TAG.sub(lambda m: " " * len(m.group()), text)


def _stars(rating: float | None) -> float | None:
    """The rating clamped to 1..5, or None when absent or not a number."""
    if rating is None:
        return None
    try:
        value = float(rating)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value) or value <= 0:
        return None
    return min(5.0, max(1.0, value))


def _star_valence(stars: float) -> float:
    """1 star -0.8 ... 3 stars 0 ... 5 stars +0.8."""
    return (stars - 3.0) * 0.4


def _rating_reason(stars: float, weight: float, note: str = "") -> Reason:
    """The rating as a reason: no span (start == end == 0); its weight is the stars' pull (-0.8..+0.8),
    0 when the rating did not move the label (3 stars, or 4-5 stars the text overrules)."""
    return Reason(f"rating {stars:g}/5{note}", 0, 0, round(weight, 3))


def _rating_only(stars: float, reasons: tuple[Reason, ...]) -> Score:
    """No scorable text: the stars decide alone."""
    compound = _star_valence(stars)
    return Score(compound, label_for(compound), reasons + (_rating_reason(stars, compound),))


def _blend(text_compound: float, own_compound: float, reasons: tuple[Reason, ...], stars: float) -> Score:
    """Combine text and stars (rules in the module docstring).

    `own_compound` is the text's compound without the sentences about someone else: a 5-star review
    that tells how bad the previous developer was is not an angry text contradicting its stars.
    """
    star = _star_valence(stars)
    blended = TEXT_SHARE * text_compound + (1.0 - TEXT_SHARE) * star
    note = ""
    weight = star
    if stars <= 2.0:
        compound = min(blended, star / 2.0)
    elif stars < 4.0:
        compound = min(blended, POSITIVE_AT - 0.01)
    elif text_compound <= ANGRY_TEXT and own_compound <= ANGRY_TEXT:
        compound = text_compound
        note = ": the text reads negative, worth a look"
        weight = 0.0
    else:
        compound = blended
    return Score(compound, label_for(compound), reasons + (_rating_reason(stars, weight, note),))


def _lowered(text: str) -> str:
    """Lower-case text with the same length (so spans carry over); curly apostrophes made straight."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lower.replace("\u2019", "'")


def _score_english(text: str, lower: str, tokens: Tokens) -> tuple[float, float, tuple[Reason, ...]]:
    """Compound, compound without the sentences about someone else, and reasons, sentence by sentence."""
    words, lows, starts, ends, breaks = tokens
    lex = lexicon()
    hits = find_phrases(lower, starts, lex)
    if not hits and lex.triggers.isdisjoint(lows):
        return 0.0, 0.0, ()  # no word or phrase with a valence: VADER's sum is 0 (the common case for chit-chat)
    cap_diff = _cap_differential(words)
    quoted = _scare_quoted(lower, starts) if (" '" in lower or '"' in lower or "\u201c" in lower or "\u2018" in lower) else None
    several = len(breaks) > 1
    total = 0.0
    others_total = 0.0  # what the sentences about someone else add
    worst = 1.0  # the most negative sentence not about someone else
    reasons: list[Reason] = []
    first = 0
    h = 0
    for last in breaks:
        stop = last + 1
        h_stop = h
        while h_stop < len(hits) and hits[h_stop].first <= last:
            h_stop += 1
        sentence_hits = hits[h:h_stop]
        h = h_stop
        sentence_lows = lows[first:stop]
        about_others = False
        if sentence_hits or not lex.triggers.isdisjoint(sentence_lows):  # else every valence is 0
            valences = _sentence_valences(words[first:stop], sentence_lows, first, last, sentence_hits, lex, cap_diff)
            if quoted and quoted[0] <= last and quoted[-1] >= first:
                valences = [v * SCARE if v > 0 and first + k in quoted else v for k, v in enumerate(valences)]
            if first and sentence_lows[0] in _TURNS and total:
                # "Nice design. But the code was broken.": VADER's "but" across a full stop
                total *= 0.5
                others_total *= 0.5
                reasons[:] = [r._replace(weight=round(r.weight * 0.5, 3)) for r in reasons]
                valences = [v * 1.5 for v in valences]
            end = starts[stop] if stop < len(starts) else len(text)
            if min(valences) < 0:
                question = "?" in lower[ends[last] - 1 : end]
                if question and sentence_hits and _admiring(sentence_hits[0].first - first, sentence_lows, valences):
                    valences[0] = 0.0
                factor, about_others = context_factor(
                    lower[starts[first] : ends[last]], sentence_lows, question, lower, starts[first],
                )
                valences = dampen(valences, factor)
            sentence_sum = sum(valences)
            if sentence_sum:
                total += sentence_sum
                if about_others:
                    others_total += sentence_sum
                elif several:  # the serious-sentence rule needs each sentence's own compound
                    worst = min(worst, _compound(sentence_sum, text[starts[first] : end]))
                _add_reasons(reasons, text, starts, ends, first, valences, sentence_hits)
        first = stop
    compound = _compound(total, text) if total else 0.0
    if several and worst <= SERIOUS_SENTENCE and worst < compound:
        compound = worst
    if not others_total:
        return compound, compound, tuple(reasons)
    own = total - others_total
    own_compound = _compound(own, text) if own else 0.0
    if several and worst <= SERIOUS_SENTENCE and worst < own_compound:
        own_compound = worst
    return compound, own_compound, tuple(reasons)


def _scare_quoted(lower: str, starts: list[int]) -> list[int]:
    """Indices of the words inside short quotes ('optimised', "expert"): praise in scare quotes is irony."""
    out: list[int] = []
    for m in _SCARE_QUOTE.finditer(lower):
        lo = bisect_left(starts, m.start())
        hi = bisect_left(starts, m.end())
        out.extend(range(lo, hi))
    return out


def _admiring(first_hit: int, lows: list[str], valences: list[float]) -> bool:
    """Does a complaint phrase open a why/how/who/what question that also praises? ("How come she's
    always so calm?", "Why does every project with her go so smoothly?"): then it admires, it does not complain."""
    return first_hit == 0 and lows[0] in _ASKING and valences[0] < 0 and max(valences) > 0


def _compound(valence_sum: float, chunk: str) -> float:
    """VADER's compound: the sum, pushed away from 0 by ! and ?, squashed into -1..1."""
    boost = punctuation_boost(chunk)
    return normalize(valence_sum + boost if valence_sum > 0 else valence_sum - boost)


def _cap_differential(words: list[str]) -> bool:
    """VADER's rule: ALL CAPS words are emphasis only when some, not all, words are in caps."""
    upper = sum(map(str.isupper, words))
    return 0 < upper < len(words)


def _sentence_valences(
    words: list[str],
    lows: list[str],
    first: int,
    last: int,
    hits: list[PhraseHit],
    lex: Lexicon,
    cap_diff: bool,
) -> list[float]:
    """Valences of one sentence's words (text words first..last), phrase rules included."""
    phrase_at: dict[int, float] = {}
    consumed: set[int] = set()
    for hit in hits:
        i = hit.first - first
        lead = lows[i]
        negated = negated_before(lows, i) and not (lead in ("never", "no", "not") or "n't" in lead)
        phrase_at[i] = phrase_weight(hit.weight, negated)
        consumed.update(range(i, min(hit.last, last) - first + 1))
    return token_valences(words, lows, lex.words, cap_diff, phrase_at, consumed)


def _add_reasons(
    out: list[Reason],
    text: str,
    starts: list[int],
    ends: list[int],
    first: int,
    valences: list[float],
    hits: list[PhraseHit],
) -> None:
    """A reason per word or phrase with a non-zero valence, spanning exactly what was matched."""
    spans = {hit.first - first: (hit.start, hit.end) for hit in hits}
    for i in compress(range(len(valences)), valences):  # the words with a non-zero valence
        start, end = spans.get(i) or (starts[first + i], ends[first + i])
        out.append(Reason(text[start:end], start, end, round(valences[i], 3)))
