"""A store's adjustment of the learned layer: small weight deltas fitted to its corrections and star ratings.

Learned words (learning.py) flip only the exact words the user corrected; feedback in a niche (horror game art,
pest control, debt collection, roast comedy) keeps using new words of the same kind ("freaky", "nightmare fuel",
"shudder-inducing"). So the store also fits deltas to the layer's negative-side logit (model.py) over features
that are shared between texts: the word families of the words that drove the rules negative (Empath's
categories: "horror", "fear", "kill"...), the rules' own reading (the layer's dense features), and the text's
words. A strong prior keeps every delta near zero, so a few corrections move only what they agree on; words
weigh the most to move, families the least (that is where generalising pays). Each delta is named in a reason
when it moves a label, listed in Feedback > What Rapport learned, and can be forgotten there.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

from desktop.scoring.model import DENSE, _UNSAID, Reading, _sigmoid, features_of

WORD, FAMILY, READING = "word:", "family:", "reading:"
# How hard each kind is pulled back to zero (an L2 prior per delta): families generalise, so they move most easily.
PRIOR = {WORD: 1.0, FAMILY: 0.1, READING: 3.0}
STEPS = 300  # gradient steps (each scaled by its kind's prior: the fit converges in about this many)
RATE = 0.1
KEEP = 0.01  # a delta smaller than this is dropped (it moves nothing)
AGREE = 2  # a feature gets a delta only when at least this many examples hold it (one text teaches no word)
# Readings every text has in some form (its length, its number of sentences...): a delta on them would shift the
# whole store, not what its corrections have in common.
_EVERYWHERE = frozenset(("=words <9", "=words 9-20", "=words 21-60", "=words >60", "=1 sentence", "=2-3 sentences",
                         "=4+ sentences", "=no sentiment", "=question", "=questions", "=exclaim"))
EXPLAIN_TOP = 3
# Categories too broad to be a family of a niche's words.
_BROAD = frozenset(("negative_emotion", "positive_emotion"))


@dataclass(frozen=True)
class Adjustment:
    """Deltas (feature name -> weight added to the layer's negative-side logit; the positive side gets the opposite)."""

    deltas: Mapping[str, float]

    def __bool__(self) -> bool:
        return bool(self.deltas)

    @cached_property
    def _by_kind(self) -> tuple[list[tuple[int, float, str]], dict[str, tuple[float, str]], dict[str, float]]:
        """The deltas split by kind, so a text looks up only what has one: (reading index, delta, feature),
        word -> (delta, feature), family -> delta."""
        get = self.deltas.get
        reading = [(i, d, READING + name) for i, name in enumerate(DENSE) if (d := get(READING + name))]
        words = {k[len(WORD):]: (d, k) for k, d in self.deltas.items() if k.startswith(WORD)}
        families = {k[len(FAMILY):]: d for k, d in self.deltas.items() if k.startswith(FAMILY)}
        return reading, words, families

    @cached_property
    def reads_words_only(self) -> bool:
        """Are all its word deltas on single words (as features() makes them)? Then a text's pairs and marked words
        (model.grams, model.ends) need not be made to look them up."""
        return not any(w[:1] in ("^", "$") or " " in w for w in self._by_kind[1])

    def pulls(self, reading: Reading, dense: list[float], words: Iterable[str]) -> list[tuple[float, str]]:
        """Each delta's share of the shift for this text, as (delta times value, feature): what features() reads,
        for the features that have a delta."""
        at, by_word, by_family = self._by_kind
        out = [(d * dense[i], name) for i, d, name in at if dense[i]]
        out += filter(None, map(by_word.get, words))
        if by_family:
            of = families()
            held: dict[str, float] = {}
            for text, _, _, weight in reading.reasons:
                if weight < 0:
                    for family in of.get(text.lower(), ()):
                        if family in by_family:
                            held[family] = min(held.get(family, 0.0) + abs(weight) / 4, 1.0)
            out += [(by_family[f] * value, FAMILY + f) for f, value in held.items()]
        return out


def features(reading: Reading, dense: list[float], words: Iterable[str]) -> dict[str, float]:
    """What an adjustment reads in a text: the layer's reading of the rules, its words, and the families of the
    words that pulled the rules negative (each family counts their weights, capped, as a share of 4)."""
    out = {READING + name: value for name, value in zip(DENSE, dense) if value and name not in _EVERYWHERE}
    out.update((WORD + w, 1.0) for w in words if " " not in w and w[0] not in "^$0" and w not in _UNSAID)
    of = families()
    for text, _, _, weight in reading.reasons:
        if weight < 0:
            for family in of.get(text.lower(), ()):
                out[FAMILY + family] = min(out.get(FAMILY + family, 0.0) + abs(weight) / 4, 1.0)
    return out


def describe(feature: str) -> str:
    """How a reason or the learned list names a feature ("horror words", "'wall'", "the rules' score")."""
    if feature.startswith(FAMILY):
        return feature[len(FAMILY):].replace("_", " ") + " words"
    if feature.startswith(READING):
        return DENSE.get(feature[len(READING):], feature[len(READING):])
    return f"'{feature.removeprefix(WORD)}'"


# The rules' reading features that are negative on a text the rules read as a complaint (the others are 0 or more).
_SIGNED = frozenset(("=rules", "=complaint", "=worst sentence", "=best sentence", "=mean sentence", "=first sentence",
                     "=last sentence"))


def effect(feature: str, delta: float) -> float:
    """What a delta does to a text that reads as a complaint (negative: it reads less negative), for the list of
    what was learned: a signed reading's delta works the other way round."""
    return -delta if feature.startswith(READING) and feature[len(READING):] in _SIGNED else delta


def named(pulls: list[tuple[float, str]], sign: float) -> str:
    """The features that pulled hardest the given way, as a phrase ("horror words, 'wall' and the rules' score")."""
    names = [describe(f) for p, f in sorted(pulls, key=lambda p: -abs(p[0])) if p * sign > 0][:EXPLAIN_TOP]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


@dataclass(frozen=True)
class Labelled:
    """A text with the user's verdict (an alert or not) and how much it counts (a correction 1, stars less)."""

    text: str
    negative: bool
    vote: float


def fit(examples: Iterable[Labelled], forgotten: Iterable[str] = ()) -> Adjustment:
    """Deltas that make the layer agree with the examples, each pulled toward zero by its kind's prior.

    Gradient descent on the weighted log-loss with the layer's own logit as a fixed offset, pure Python (a store
    has tens of corrections and a few hundred star ratings: well under a second off the GUI thread)."""
    from desktop.scoring.model import shipped
    from desktop.scoring.scorer import rules_reading

    model = shipped()
    if model is None:
        return Adjustment({})
    skip = set(forgotten)
    rows: list[tuple[float, list[tuple[str, float]], float, float]] = []
    for example in examples:
        reading = rules_reading(example.text)
        dense, found = features_of(reading)
        offset = model.negative.logit(dense, found)
        phi = [(k, v) for k, v in features(reading, dense, found).items() if k not in skip]
        rows.append((offset, phi, 1.0 if example.negative else 0.0, example.vote))
    held = Counter(k for _, phi, _, _ in rows for k, _ in phi)
    rows = [(offset, [(k, v) for k, v in phi if held[k] >= AGREE], target, vote) for offset, phi, target, vote in rows]
    prior = {k: PRIOR[_kind(k)] for _, phi, _, _ in rows for k, _ in phi}
    if not prior:
        return Adjustment({})
    deltas = dict.fromkeys(prior, 0.0)
    for _ in range(STEPS):
        grad = {k: p * deltas[k] for k, p in prior.items()}
        for offset, phi, target, vote in rows:
            g = vote * (_sigmoid(offset + sum(deltas[k] * v for k, v in phi)) - target)
            for k, v in phi:
                grad[k] += g * v
        for k, p in prior.items():
            deltas[k] -= RATE * grad[k] / p
    return Adjustment({k: round(d, 4) for k, d in sorted(deltas.items()) if abs(d) >= KEEP})


def _kind(feature: str) -> str:
    return feature[: feature.index(":") + 1]


@lru_cache(maxsize=1)
def families() -> Mapping[str, tuple[str, ...]]:
    """Each word -> the Empath categories it belongs to (read once from the package's data, no network)."""
    from empath import Empath

    of: dict[str, list[str]] = defaultdict(list)
    for category, words in Empath().cats.items():
        if category not in _BROAD:
            for word in set(words):
                of[word].append(category)
    return {w: tuple(sorted(c)) for w, c in of.items()}
