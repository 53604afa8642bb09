"""Learning from the user: word valences adjusted for one store, from its corrections and star ratings.

A correction ("Not negative" / "Negative") votes for flipping the words that drove the wrong label;
a star-rated review is a weaker vote of the same kind. A word flips once its votes reach LEARN_AT
and clearly outweigh the texts where it read right, here and in general feedback (evidence.py), so one odd
review teaches nothing, a word the user keeps correcting ("creepy" in horror art feedback) reads the other way
from then on, and generic complaint vocabulary ("wrong", "awful") takes several corrections. What was learned is a
small table of words, shown to the user and undone word by word. The learned layer reads a text with them (scorer.py),
so a learned word moves the layer's reading instead of replacing it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from desktop.scoring.adjustment import Adjustment, Labelled, fit, topics
from desktop.scoring.model import words_of
from desktop.scoring.evidence import LEARN_AT, general_vote, word_evidence
from desktop.scoring.lexicon import Lexicon, lexicon

CORRECTION_VOTE = 1.0
STAR_VOTE = 0.34  # three star-rated reviews count as much as one correction
OUTWEIGH = 1.5  # ...and this many times the votes of the texts where the word read right
STEM = 6  # a learned word carries over to lexicon words sharing its first STEM letters ("terrifying", "terrified")
LEARNED_SIZE = 2.0  # a flipped word's valence (VADER's "good" is 1.9)


@dataclass(frozen=True)
class Example:
    """A text with the verdict the user gave it (or its stars imply): an alert or not."""

    text: str
    negative: bool
    vote: float = CORRECTION_VOTE


@dataclass(frozen=True)
class LearnedWord:
    word: str
    valence: float  # what it weighs for this store
    base: float  # what it weighs in the shipped lexicon
    votes: float

    def describe(self) -> str:
        way = "positive" if self.valence > 0 else "negative"
        return f"learned from your corrections: '{self.word}' reads {way} for you"


@dataclass(frozen=True)
class Learned:
    """One store's learned words and its adjustment of the learned layer; `score(..., learned=...)` reads with them."""

    words: Mapping[str, LearnedWord] = field(default_factory=dict)
    adjustment: Adjustment = field(default_factory=lambda: Adjustment({}))

    @cached_property
    def lexicon(self) -> Lexicon:
        if not self.words:
            return lexicon()
        words = lexicon().words
        return lexicon().with_words({form: w.valence for w in self.words.values() for form in _forms(w.word, words)})

    @cached_property
    def by_form(self) -> dict[str, LearnedWord]:
        """Each lexicon form of a learned word ("terrified" for "terrifying") -> what was learned."""
        words = lexicon().words
        return {form: w for w in self.words.values() for form in _forms(w.word, words)}

    def __bool__(self) -> bool:
        return bool(self.words) or bool(self.adjustment)

    def strays(self, lower: str) -> bool:
        """Is a text off this store's niche (adjustment.Adjustment.strays), its learned words excused?"""
        return self.adjustment.strays(words_of(lower), self.by_form)


NOTHING = Learned()


def learn(examples: Iterable[Example], forgotten: Iterable[str] = ()) -> Learned:
    """The words to flip, from texts with verdicts (the scorer's own reasons say which words drove it), and the
    adjustment of the learned layer fitted to the same verdicts (adjustment.py). `forgotten`: words and adjustment
    features the user un-taught."""
    examples = list(examples)
    skip = set(forgotten)
    adjustment = fit((Labelled(e.text, e.negative, e.vote) for e in examples), skip)
    if adjustment or any(not e.negative for e in examples):
        # what the corrected praise is about (star ratings say less): a store's excuse stays with it (Learned.strays)
        about = topics(e.text for e in examples if not e.negative and e.vote >= CORRECTION_VOTE)
        adjustment = Adjustment({**adjustment.deltas, **{k: d for k, d in about.items() if k not in skip}})
    return Learned(_flipped(examples, skip), adjustment)


def _flipped(examples: list[Example], skip: set[str]) -> dict[str, LearnedWord]:
    """The words whose votes reach LEARN_AT and outweigh the texts where they read right: this store's, and general
    feedback's at evidence.general_vote() a text (where it misled counts for the flip)."""
    from desktop.scoring.scorer import score

    words = lexicon().words
    for_flip: dict[str, float] = defaultdict(float)
    against: dict[str, float] = defaultdict(float)
    general = _evidence_by_stem()
    seen: dict[str, str] = {}  # stem -> the first word of it that was corrected
    for example in examples:
        result = score(example.text)
        wrong = (result.label == "negative") != example.negative
        culprits: dict[str, float] = defaultdict(float)
        for reason in result.reasons:
            word = reason.text.lower()
            if word not in words or word in skip or not reason.weight:
                continue
            if (reason.weight < 0) != example.negative:  # it pulled the wrong way
                culprits[word] += abs(reason.weight)
            else:
                against[_stem(word)] += example.vote
        if wrong and culprits:  # each culprit's share of the blame
            blame = sum(culprits.values())
            for word, weight in culprits.items():
                for_flip[_stem(word)] += example.vote * weight / blame
                seen.setdefault(_stem(word), word)
    learned = {}
    vote = general_vote()
    for stem, votes in for_flip.items():
        word = seen[stem]
        agreed, misled = general.get(stem, (0, 0))
        if (votes >= LEARN_AT and word not in skip
                and votes + vote * misled >= OUTWEIGH * (against.get(stem, 0.0) + vote * agreed)):
            base = words[word]
            learned[word] = LearnedWord(word, LEARNED_SIZE if base < 0 else -LEARNED_SIZE, base, round(votes, 2))
    return learned


@lru_cache(maxsize=1)
def _evidence_by_stem() -> Mapping[str, tuple[int, int]]:
    """evidence.word_evidence() summed by _stem, as votes are ("terrifying", "terrified")."""
    out: dict[str, tuple[int, int]] = {}
    for word, (agreed, misled) in word_evidence().items():
        had = out.get(_stem(word), (0, 0))
        out[_stem(word)] = (had[0] + agreed, had[1] + misled)
    return out


def _stem(word: str) -> str:
    return word[:STEM] if len(word) >= STEM else word


def _forms(word: str, words: Mapping[str, float]) -> list[str]:
    """`word` and the lexicon's other forms of it with a valence of the same sign ("terrifying", "terrified")."""
    if len(word) < STEM:
        return [word]
    return [w for w in _by_stem(words).get(word[:STEM], ()) if (words[w] < 0) == (words[word] < 0)] or [word]


_STEMS: dict[int, dict[str, list[str]]] = {}


def _by_stem(words: Mapping[str, float]) -> dict[str, list[str]]:
    """Lexicon words by their first STEM letters (built once per lexicon)."""
    stems = _STEMS.get(id(words))
    if stems is None:
        stems = defaultdict(list)
        for w in words:
            if len(w) >= STEM and w.isalpha():
                stems[w[:STEM]].append(w)
        _STEMS.clear()
        _STEMS[id(words)] = stems
    return stems
