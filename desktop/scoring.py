"""Sentiment of one piece of feedback, with the words that drove it, so the UI can show why.

`score(text, rating=None, language=None)` is VADER (its lexicon and word rules) made to hear how
clients complain, see `desktop.scoring_rules` and resources/lexicon/freelance.tsv:

* Lexicon: freelance words VADER lacks ("ghosted", "unresponsive", "buggy", "late"), domain words
  neutralised ("freelancer" is +1.1 in VADER), and phrase rules with their own negation handling
  ("would not hire again", "never delivered", "had to hire someone else", "asked for a refund").
* Sentences: a text is cut into sentences (. ! ? ; and line breaks) and each is scored on its own,
  so VADER's "but" and negation never reach across a full stop. The text's compound is VADER's sum
  over all sentences, except that one *serious* sentence (compound <= -0.5) sets the compound to
  that sentence's when it is lower: one serious complaint is not averaged away. A long positive
  review with a small gripe stays positive because a gripe is rarely that strong on its own, and
  the negative words of a sentence that calls itself minor ("the only small issue", "a bit slow")
  count half, those of a sentence about someone else ("my previous developer ghosted me") a quarter.
* Star rating (1-5): 1-2 stars is negative whatever the words (compound at most -0.2 / -0.4).
  3 stars caps the label at neutral (lukewarm praise is not praise) but the text can still alert.
  4-5 stars blends 60% text with 40% rating, *unless* the text is angry (compound <= -0.5): then the
  text wins, the score stays negative and a "worth a look" reason says the stars contradict it,
  because a 5-star rating on an angry text is more often a mis-click or sarcasm than praise.
* Language: VADER reads English only. The source's language tag is used when given ("en-US" is
  English); otherwise `desktop.scoring_lang.detect_language` guesses from function words. Other
  languages are not scored: the text stays neutral (or follows its rating alone) with a reason.
* Reasons: every word or phrase that moved the score, with `text == input[start:end]` and its
  signed weight. Reasons that are not spans (language, rating) have start == end == 0 and weight 0,
  and their text says what they are: "language not scored: de", "rating 2/5".
"""
from __future__ import annotations

import math
from itertools import compress
from dataclasses import dataclass, field
from typing import NamedTuple

from desktop.scoring_lang import detect_language, source_language
from desktop.scoring_rules import (
    Lexicon,
    PhraseHit,
    Tokens,
    dampen_for_context,
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
SERIOUS_SENTENCE = -0.5  # one sentence this negative makes the whole text at least as negative
ANGRY_TEXT = -0.5  # text this negative is not rescued by a 4-5 star rating
LANGUAGE_SAMPLE_WORDS = 80
TEXT_SHARE = 0.6  # weight of the text (vs the stars) when both are given and they do not conflict


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
        lower = _lowered(text)
        tokens = tokenize(text, lower, lexicon().emojis)
        if lang is None:
            lang = detect_language(text, tokens.lows[:LANGUAGE_SAMPLE_WORDS])
    if lang != "en":
        note = (Reason(f"language not scored: {lang}", 0, 0, 0.0),)
        return Score(0.0, "neutral", note) if stars is None else _rating_only(stars, note)
    compound, reasons = _score_english(text, lower, tokens)
    if stars is None:
        return Score(compound, label_for(compound), reasons)
    return _blend(compound, reasons, stars)


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


def _rating_reason(stars: float, note: str = "") -> Reason:
    return Reason(f"rating {stars:g}/5{note}", 0, 0, 0.0)


def _rating_only(stars: float, reasons: tuple[Reason, ...]) -> Score:
    """No scorable text: the stars decide alone."""
    compound = _star_valence(stars)
    return Score(compound, label_for(compound), reasons + (_rating_reason(stars),))


def _blend(text_compound: float, reasons: tuple[Reason, ...], stars: float) -> Score:
    """Combine text and stars (rules in the module docstring)."""
    star = _star_valence(stars)
    blended = TEXT_SHARE * text_compound + (1.0 - TEXT_SHARE) * star
    note = ""
    if stars <= 2.0:
        compound = min(blended, star / 2.0)
    elif stars < 4.0:
        compound = min(blended, POSITIVE_AT - 0.01)
    elif text_compound <= ANGRY_TEXT:
        compound = text_compound
        note = ": the text reads negative, worth a look"
    else:
        compound = blended
    return Score(compound, label_for(compound), reasons + (_rating_reason(stars, note),))


def _lowered(text: str) -> str:
    """Lower-case text with the same length (so spans carry over); curly apostrophes made straight."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lower.replace("\u2019", "'")


def _score_english(text: str, lower: str, tokens: Tokens) -> tuple[float, tuple[Reason, ...]]:
    """Compound and reasons for English text, sentence by sentence."""
    words, lows, starts, ends, breaks = tokens
    lex = lexicon()
    hits = find_phrases(lower, starts, lex)
    if not hits and lex.triggers.isdisjoint(lows):
        return 0.0, ()  # no word or phrase with a valence: VADER's sum is 0 (the common case for chit-chat)
    cap_diff = _cap_differential(words)
    several = len(breaks) > 1
    total = 0.0
    worst = 1.0
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
        if sentence_hits or not lex.triggers.isdisjoint(sentence_lows):  # else every valence is 0
            valences = _sentence_valences(words[first:stop], sentence_lows, first, last, sentence_hits, lex, cap_diff)
            if min(valences) < 0:
                valences = dampen_for_context(lower[starts[first] : ends[last]], valences)
            sentence_sum = sum(valences)
            if sentence_sum:
                total += sentence_sum
                if several:  # the serious-sentence rule needs each sentence's own compound
                    end = starts[stop] if stop < len(starts) else len(text)
                    worst = min(worst, _compound(sentence_sum, text[starts[first] : end]))
                _add_reasons(reasons, text, starts, ends, first, valences, sentence_hits)
        first = stop
    compound = _compound(total, text) if total else 0.0
    if several and worst <= SERIOUS_SENTENCE and worst < compound:
        compound = worst
    return compound, tuple(reasons)


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
