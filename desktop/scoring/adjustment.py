"""A store's adjustment of the learned layer: small weight deltas fitted to its corrections and star ratings.

Learned words (learning.py) flip only the exact words the user corrected; feedback in a niche (horror game art,
pest control, debt collection, roast comedy) keeps using new words of the same kind ("freaky", "nightmare fuel",
"shudder-inducing"). So the store also fits deltas to the layer's negative-side logit (model.py) over features
that texts share: the word families of the words that drove the rules negative (Empath's categories: "horror",
"fear", "kill"...), the rules' own reading (the layer's dense features), and the text's words by their stem
("hunted", "hunting"; function words left out). A prior keeps every delta near zero, and a sample of general
feedback (resources/scoring/anchors.json) is fitted too, weakly, at the layer's own reading: so ten corrections
move what they agree on and not what every complaint has. Each delta is named in a reason when it moves a label,
listed in Feedback > What Rapport learned, and can be forgotten there. The settings were chosen leaving one of
four teach sets out in turn (docs/scoring.md, "Learning from you").
"""
from __future__ import annotations

import json
import threading
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from operator import mul

import Stemmer

from desktop.scoring.evidence import open_share
from desktop.scoring.model import DENSE, _UNSAID, Reading, _sigmoid, features_of, model_text, words_of

WORD, FAMILY, READING = "word:", "family:", "reading:"
# What the store's corrected praise is about: the stems of its content words (not sentiment words, not words common in
# general feedback), kept with the deltas at 0 (they move nothing; learning.Learned.strays reads them).
TOPIC = "topic:"
COMMON_IN = 4  # a stem in this many of the anchors' texts (general feedback) is common: "hour", "week", "see"
# How hard each kind is pulled back to zero (an L2 prior per delta): families generalise, so they move most easily.
# Chosen with ANCHOR_WEIGHT and model.POSITIVE_GAIN leaving one teach set out in turn (docs/scoring.md, "Learning from you").
PRIOR = {WORD: 3.0, FAMILY: 0.3, READING: 3.0}
STEPS = 300  # gradient steps (each scaled by its kind's prior: the fit converges in about this many)
RATE = 0.1
KEEP = 0.01  # a delta smaller than this is dropped (it moves nothing)
AGREE = 2  # a feature gets a delta only when at least this many examples hold it (one text teaches no word)
# What general feedback counts in all, in corrections (one counts 1), shared among its texts at the layer's own reading.
# A total, not a vote per text: at 0.05 a text (round eleven's choice, on 372 anchors: 18.6 corrections' worth) every
# text added to training added an anchor, so the same ten corrections were outweighed more each round (653 anchors,
# 32.65, in round seventeen; 765, 38.25, with its held-back sets trained on): ten pest corrections fixed 2 unseen texts
# on round seventeen's layer with its anchors, 0 with the anchors of the larger data (docs/scoring.md, round eighteen).
ANCHOR_WEIGHT = 32.65
# Readings every text has in some form (its length, its number of sentences...): a delta on them would shift the
# whole store, not what its corrections have in common.
_EVERYWHERE = frozenset(("=words <9", "=words 9-20", "=words 21-60", "=words >60", "=1 sentence", "=2-3 sentences",
                         "=4+ sentences", "=no sentiment", "=question", "=questions", "=exclaim"))
EXPLAIN_TOP = 3
# Categories too broad to be a family of a niche's words.
_BROAD = frozenset(("negative_emotion", "positive_emotion"))
ANCHORS_FILE = "anchors.json"

_STEMMERS = threading.local()  # a PyStemmer stemmer is not thread-safe: one per thread (fits run in the background)
_STEM_OF: dict[str, str] = {}
_STEMS_MAX = 100_000  # distinct words whose stem is remembered


def stem(word: str) -> str:
    """Snowball's English stem ("hunted", "hunting" -> "hunt"), remembered."""
    found = _STEM_OF.get(word)
    if found is None:
        stemmer = getattr(_STEMMERS, "english", None)
        if stemmer is None:
            stemmer = _STEMMERS.english = Stemmer.Stemmer("english")
        found = stemmer.stemWord(word)
        if len(_STEM_OF) < _STEMS_MAX:
            _STEM_OF[word] = found
    return found


def says_something(word: str) -> bool:
    """A word a store may learn on: letters, not a function word ("so", "every", "the")."""
    return len(word) > 1 and word.isalpha() and word not in _UNSAID


def stems(words: Iterable[str]) -> dict[str, str]:
    """The stems of the words that say something, each once, in the text's order -> its first form."""
    out: dict[str, str] = {}
    for w in words:
        if says_something(w):
            out.setdefault(stem(w), w)
    return out


@dataclass(frozen=True)
class Adjustment:
    """Deltas (feature name -> weight added to the layer's negative-side logit; the positive side gets the opposite)."""

    deltas: Mapping[str, float]

    def __bool__(self) -> bool:
        return bool(self.deltas)

    @cached_property
    def _by_kind(self) -> tuple[list[tuple[int, float, str]], dict[str, tuple[float, str]], dict[str, float]]:
        """The deltas split by kind, so a text looks up only what has one: (reading index, delta, feature), word
        stem -> (delta, feature), family -> delta."""
        get = self.deltas.get
        reading = [(i, d, READING + name) for i, name in enumerate(DENSE) if (d := get(READING + name))]
        words = {stem(k[len(WORD):]): (d, k) for k, d in self.deltas.items() if k.startswith(WORD) and shown(k)}
        families = {k[len(FAMILY):]: d for k, d in self.deltas.items() if k.startswith(FAMILY)}
        return reading, words, families

    @cached_property
    def _niche(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """The store's topics (stems), the families it excuses and the word stems it excuses (negative deltas)."""
        topics = frozenset(k[len(TOPIC):] for k in self.deltas if k.startswith(TOPIC))
        excused = frozenset(k[len(FAMILY):] for k, d in self.deltas.items() if k.startswith(FAMILY) and d < 0)
        stems_ = frozenset(stem(k[len(WORD):]) for k, d in self.deltas.items() if k.startswith(WORD) and d < 0)
        return topics, excused, stems_

    def strays(self, words: list[str], learned: Collection[str] = ()) -> bool:
        """Is a text off this store's niche: none of its content words is one its corrected praise used, and it holds
        a complaint word the store does not excuse (no learned word in `learned`, no word or family with a delta
        toward "not negative")? A store's excuse of its niche's words does not reach it ("A brutal 40% price hike with
        no new features." after a tattoo studio's clients taught "brutal" as praise). A store that kept no topics
        (learned before round fifteen) is never off its niche."""
        topics, excused, excused_stems = self._niche
        if not topics:
            return False
        valence = lexicon_words()
        if not content_stems(words, valence).isdisjoint(topics):
            return False
        of = stem_families()
        for w in words:
            if valence.get(w, 0.0) < 0 and w not in learned:
                s = stem(w)
                if s not in excused_stems and excused.isdisjoint(of.get(s, ())):
                    return True
        return False

    @cached_property
    def _seen(self) -> tuple[set[str], dict[str, tuple[str, tuple[float, str]]]]:
        """The words read so far, and those of them with a delta -> (their stem, (delta, feature)): a text's words
        are looked up as sets, and only its new words are stemmed."""
        return set(), {}

    def pulls(self, reading: Reading, dense: list[float], words: list[str]) -> list[tuple[float, str]]:
        """Each delta's share of the shift for this text, as (delta times value, feature): what features() reads,
        for the features that have a delta, in its order."""
        at, by_stem, by_family = self._by_kind
        out = [(d * dense[i], name) for i, d, name in at if dense[i]]
        if by_stem:
            seen, hitting = self._seen
            distinct = set(words)
            for w in distinct - seen:
                if says_something(w) and (pull := by_stem.get(s := stem(w))):
                    hitting[w] = (s, pull)
                if len(seen) < _STEMS_MAX:
                    seen.add(w)
            present = distinct & hitting.keys()
            if present:
                stems_in: set[str] = set()
                for w in sorted(present, key=words.index) if len(present) > 1 else present:
                    s, pull = hitting[w]
                    if s not in stems_in:
                        stems_in.add(s)
                        out.append(pull)
        if by_family:
            out += [(by_family[f] * v, FAMILY + f) for f, v in _negative_families(reading).items() if f in by_family]
        return out


def _negative_families(reading: Reading) -> dict[str, float]:
    """The families of the words that pulled the rules negative: each counts their weights, capped, as a share of 4,
    each weight times how open its word is to reading otherwise (evidence.open_share): a family learned from a
    niche's words ("horrifying", "gruesome") reaches little of a generic complaint word of it ("broken", "awful")."""
    of = stem_families()
    held: dict[str, float] = {}
    for text, _, _, weight in reading.reasons:
        if weight < 0:
            word = text.lower()
            found = of.get(stem(word), ())
            if found:
                share = abs(weight) * open_share(word) / 4
                for family in found:
                    held[family] = min(held.get(family, 0.0) + share, 1.0)
    return held


def features(reading: Reading, dense: list[float], words: Iterable[str]) -> tuple[dict[str, float], dict[str, str]]:
    """What an adjustment reads in a text (and its stems -> their first form): the layer's reading of the rules,
    its words' stems, and the families of the words that pulled the rules negative."""
    out = {READING + name: value for name, value in zip(DENSE, dense) if value and name not in _EVERYWHERE}
    found = stems(words)
    out.update((WORD + s, 1.0) for s in found)
    out.update((FAMILY + f, v) for f, v in _negative_families(reading).items())
    return out, found


def describe(feature: str) -> str:
    """How a reason or the learned list names a feature ("horror words", "'wall'", "the rules' score")."""
    if feature.startswith(FAMILY):
        return feature[len(FAMILY):].replace("_", " ") + " words"
    if feature.startswith(READING):
        return DENSE.get(feature[len(READING):], feature[len(READING):])
    return f"'{feature.removeprefix(WORD)}'"


def shown(feature: str) -> bool:
    """Whether a delta means anything to the user: not one on a function word ("so", "every"; a store may hold
    such a delta from before they were left out: it moves nothing now), nor a topic (it moves nothing)."""
    if feature.startswith(TOPIC):
        return False
    return not feature.startswith(WORD) or says_something(feature[len(WORD):])


def strongest(deltas: Mapping[str, float], n: int) -> list[tuple[str, float]]:
    """The `n` deltas that move the most, of those shown: what Feedback > What Rapport learned lists."""
    return sorted(((f, d) for f, d in deltas.items() if shown(f)), key=lambda fd: -abs(fd[1]))[:n]


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


_Row = tuple[float, list[tuple[str, float]], float, float]  # the layer's logit, features, verdict (1: negative), vote


def fit(examples: Iterable[Labelled], forgotten: Iterable[str] = ()) -> Adjustment:
    """Deltas that make the layer agree with the examples, each pulled toward zero by its kind's prior, with the
    anchors (general feedback at the layer's own reading) fitted too, weakly.

    Gradient descent on the weighted log-loss with the layer's own logit as a fixed offset, pure Python (a store
    has tens of corrections and a few hundred star ratings: about a second off the GUI thread). A word's delta is
    named by its commonest form in the examples, and found by its stem."""
    from desktop.scoring.model import shipped

    if shipped() is None:
        return Adjustment({})
    skip = {_stemmed(k) for k in forgotten}
    rows: list[_Row] = []
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for example in examples:
        offset, phi, found = _read(example.text)
        for s, w in found.items():
            forms[s][w] += 1
        rows.append((offset, [(k, v) for k, v in phi.items() if k not in skip], 1.0 if example.negative else 0.0, example.vote))
    held = Counter(k for _, phi, _, _ in rows for k, _ in phi)
    rows = [(offset, [(k, v) for k, v in phi if held[k] >= AGREE], target, vote) for offset, phi, target, vote in rows]
    prior = {k: PRIOR[_kind(k)] for _, phi, _, _ in rows for k, _ in phi}
    if not prior:
        return Adjustment({})
    general = anchors()
    vote = anchor_vote(len(general))
    for offset, phi, target in general if vote else ():
        kept = [(k, v) for k, v in phi.items() if k in prior]
        if kept:
            rows.append((offset, kept, target, vote))
    names = list(prior)
    at = {k: i for i, k in enumerate(names)}
    pulled = [prior[k] for k in names]
    table = [(offset, [at[k] for k, _ in phi], [v for _, v in phi], target, vote) for offset, phi, target, vote in rows]
    delta = [0.0] * len(names)
    for _ in range(STEPS):
        grad = list(map(mul, pulled, delta))
        get = delta.__getitem__
        for offset, index, values, target, vote in table:
            g = vote * (_sigmoid(offset + sum(map(mul, map(get, index), values))) - target)
            for i, v in zip(index, values):
                grad[i] += g * v
        delta = [d - RATE * g / p for d, g, p in zip(delta, grad, pulled)]
    deltas = dict(zip(names, delta))
    return Adjustment({_named_by_form(k, forms): round(d, 4) for k, d in sorted(deltas.items()) if abs(d) >= KEEP})


def anchor_vote(anchors: int) -> float:
    """What one text of general feedback counts in a fit: ANCHOR_WEIGHT shared among the `anchors`, so that training
    on more texts (more anchors) does not make a store's corrections count for less."""
    return ANCHOR_WEIGHT / anchors if anchors else 0.0


def _read(text: str) -> tuple[float, dict[str, float], dict[str, str]]:
    """The layer's negative-side logit for a text, what an adjustment reads in it, and its stems."""
    from desktop.scoring.model import shipped
    from desktop.scoring.scorer import rules_reading

    reading = rules_reading(text)
    dense, found = features_of(reading)
    offset = shipped().negative.logit(dense, found)  # type: ignore[union-attr]
    phi, own = features(reading, dense, words_of(model_text(reading)))
    return offset, phi, own


def _stemmed(feature: str) -> str:
    """A feature as fit() names it before naming words by their form: a word by its stem."""
    return WORD + stem(feature[len(WORD):]) if feature.startswith(WORD) else feature


def _named_by_form(feature: str, forms: Mapping[str, Counter[str]]) -> str:
    if not feature.startswith(WORD):
        return feature
    return WORD + forms[feature[len(WORD):]].most_common(1)[0][0]


def _kind(feature: str) -> str:
    return feature[: feature.index(":") + 1]


@lru_cache(maxsize=1)
def anchors() -> list[tuple[float, dict[str, float], float]]:
    """General feedback (resources/scoring/anchors.json, a sample of the layer's training texts) as fit() reads it,
    each with the layer's own verdict: read once, on the first fit."""
    from desktop.scoring.scorer import score

    path = resources.files("resources").joinpath("scoring", ANCHORS_FILE)
    if not path.is_file():
        return []
    out = []
    for text in json.loads(path.read_text(encoding="utf-8"))["texts"]:
        offset, phi, _ = _read(text)
        out.append((offset, phi, 1.0 if score(text).label == "negative" else 0.0))
    return out


def topics(texts: Iterable[str]) -> dict[str, float]:
    """The topics of a store's corrected praise, as entries of its deltas (at 0): the stems of their content words."""
    common = _common_stems()
    words = lexicon_words()
    return {TOPIC + s: 0.0 for text in texts for s in content_stems(words_of(text.lower()), words, common)}


def content_stems(words: Iterable[str], valence: Mapping[str, float], common: frozenset[str] | None = None) -> set[str]:
    """The stems of the words that say what a text is about: no sentiment word, nothing common in general feedback."""
    common = _common_stems() if common is None else common
    return {s for w in words if says_something(w) and not valence.get(w) and (s := stem(w)) not in common}


def lexicon_words() -> Mapping[str, float]:
    from desktop.scoring.lexicon import lexicon

    return lexicon().words


@lru_cache(maxsize=1)
def _common_stems() -> frozenset[str]:
    """The stems in COMMON_IN or more of the anchors' texts (general feedback): a topic shared through them says
    nothing of a niche."""
    path = resources.files("resources").joinpath("scoring", ANCHORS_FILE)
    if not path.is_file():
        return frozenset()
    counts: Counter[str] = Counter()
    for text in json.loads(path.read_text(encoding="utf-8"))["texts"]:
        counts.update({stem(w) for w in words_of(text.lower()) if says_something(w)})
    return frozenset(s for s, n in counts.items() if n >= COMMON_IN)


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


@lru_cache(maxsize=1)
def stem_families() -> Mapping[str, tuple[str, ...]]:
    """Each stem -> the Empath categories of its words ("slaughtered" finds "slaughter"'s)."""
    of: dict[str, set[str]] = defaultdict(set)
    for word, categories in families().items():
        of[stem(word)].update(categories)
    return {s: tuple(sorted(c)) for s, c in of.items()}
