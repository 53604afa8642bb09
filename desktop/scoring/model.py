"""The learned layer over the rules: two small logistic regressions (negative or not, positive or not) over
what the rules read (their compound, each sentence's sum, how many serious sentences and where the worst one
sits, ...) and the text's words and word pairs, trained on the labelled sets in tests/data.

Rules fit the texts they were written for and miss the next set's new phrasings; a linear model over the rules'
own reading plus words generalises better (leave-one-set-out figures: docs/scoring.md). Its weights ship in
resources/scoring/model.json (made by `./dev train`, desktop/scoring/training.py); prediction is a sparse dot
product, so scoring needs nothing beyond the standard library. When the model moves a label, a reason says so
and names what moved it most. A store's learned words (learning.py) still apply on top: the rules read them, and
the model leaves out its own word weights for them.
"""
from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from itertools import chain, compress, islice
from operator import attrgetter, itemgetter, mul
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from desktop.scoring.lexicon import lexicon
from desktop.scoring.records import NEGATIVE_AT, POSITIVE_AT, Reason, label_for
from desktop.scoring.words import normalize

if TYPE_CHECKING:
    from desktop.scoring.adjustment import Adjustment

K = TypeVar("K")
V = TypeVar("V")
MODEL_FILE = "model.json"
SERIOUS = -0.45  # a sentence this negative (VADER compound) is a serious one (as in scorer.SERIOUS_SENTENCE)
_WORD = re.compile(r"[a-z0-9_]+(?:'[a-z]+)?")
PRAISING = " _praise_ "  # what a praising phrase rule's match reads as
# What "like" reads as where the rules read it as the verb (a reason of its own: "I really like the design", "we don't
# like"): a comparison ("nothing like the mockups", "a project like that") carries nothing and keeps the word. One word
# for both taught the layer that "like the" and "i really" complain (0.47 and 0.45 toward an alert, round fifteen), so
# "I really like the design." alerted.
LIKING = " _liking_ "
_DIGITS = re.compile(r"[0-9]+")
_NEGATIONS = frozenset("not no never nothing nobody none nowhere without neither nor cannot".split())
# How much a store's shift (adjustment.py) lifts the positive side as it lowers the negative one (and the other way):
# the shipped positive side reads a niche's praise ("lethal", "savage") as far from praise as the negative side reads
# it as complaint, and a correction says only "not negative". Chosen with the adjustment's settings (its PRIOR).
POSITIVE_GAIN = 3.0
# A store's excuse of complaint words (a learned word read as praise, its adjustment's pull toward "not negative") does
# not reach a text whose other words (its complaint words left out) push this layer's negative logit this far: the
# complaint is about something general feedback complains of (fees, an app, a dispute, a launch), not the niche's
# praise in its words ("punishing" from a bootcamp's clients). Chosen on the five teach sets: 0.6-0.7 change 3 of
# teach_fitness's 60 controls, not 7, and keep every set's unseen gains (0.5 loses one of debt's, 0.85 lets a 4th through).
NICHE_LOGIT = 0.65
NICHE_WORD = 0.5  # what one word or pair adds at most: one word ("another" weighs 1.15) makes no context (0.4 reads the same)
OVERRULE = -1.0  # a store's shift (adjustment.py) this far toward "not negative" may drop an alert kept for its last sentence
EXPLAIN_TOP = 3  # how many of what moved a label the reason names
# The chance of "negative" from which an alert on a text of several sentences ending on its serious one is kept
# (below training.THRESHOLD; chosen with it on the pooled held-out predictions: kept always, it kept more happy
# texts than complaints).
STORY_END_KEPT_FROM = 0.25
# An alert the rules raised over several sentences is kept from a chance of 0.5 + this (not training.THRESHOLD): the
# rules' reading of a longer text is a sum of sentences, one of which may tell a trouble the rest of the story praises
# ("The buyer protection fee annoyed me at first, then it saved me $600"), so the layer must lean toward the alert.
# Round sixteen, on the pooled held-out predictions (docs/scoring.md).
SEVERAL_SENTENCES_KEEP_MARGIN = 0.025
# How much surer than its raise margin the model must be to alert on a text of questions only that the rules read as
# nothing ("How was he with deadlines? Any issues?" asks before it complains): round ten's margin for every text.
ASKING_RAISE_MARGIN = 0.15
_PHRASE_TOKENS = {PRAISING.strip(): "a praising phrase", LIKING.strip(): "'like'"}
# Words that weigh like any other but say nothing to the user as a reason, nor teach a store anything (its
# adjustment, adjustment.py, learns no delta on them): English function words. Not the negations, "still" or "again":
# they carry complaints ("still not here", "never again").
_UNSAID = frozenset("""
two three four five six seven eight nine ten
a an the and or but so if then than as because while though although whether
to of in on at for with by from about into onto over under up down out off through after before during until since
upon within without between against toward towards across along around near above below behind beyond
is was are were be been being am do does did doing done have has had having will would shall should can could may
might must get gets got getting go goes going went gone
it its it's this that these those there here what which who whom whose when where why how
i i'm i've i'd i'll me my mine myself we we're we've we'd we'll us our ours ourselves you you're you've you'd
you'll your yours yourself he he's him his himself she she's her hers herself they they're they've they'd they'll
them their theirs themselves one ones
all any both each every either few more most other others some such own same only just very too also even
really quite much many lot lots
""".split())

# What the rules read, as the model sees it; the description is how a reason names it.
DENSE = {
    "=rules": "the rules' score",
    "=rules negative": "the rules' negative reading",
    "=rules positive": "the rules' positive reading",
    "=praise": "its praise words",
    "=complaint": "its complaint words",
    "=complaint words": "how many complaint words it has",
    "=praise words": "how many praise words it has",
    "=worst sentence": "its most negative sentence",
    "=best sentence": "its most positive sentence",
    "=mean sentence": "its sentences on average",
    "=serious sentences": "its serious sentences",
    "=worst position": "where its most negative sentence sits",
    "=praise after worst": "the praise after its most negative sentence",
    "=ends praising": "its praising end",
    "=negations": "its negations",
    "=no sentiment": "having no sentiment word",
    "=about others": "its complaint about someone else",
    "=told of others": "its complaint about someone else",
    "=praise phrases": "its praising phrases",
    "=complaint phrases": "its complaining phrases",
    "=last sentence": "its last sentence",
    "=first sentence": "its first sentence",
    "=questions": "its questions",
    "=ends serious": "its serious last sentence",
    "=asks": "its yes/no question about a possible problem",
    "=question": "its question",
    "=exclaim": "its exclamation",
    "=words <9": "its length",
    "=words 9-20": "its length",
    "=words 21-60": "its length",
    "=words >60": "its length",
    "=1 sentence": "its number of sentences",
    "=2-3 sentences": "its number of sentences",
    "=4+ sentences": "its number of sentences",
}


class Reading(NamedTuple):
    """What the rules made of an English text, before stars and the learned layer."""

    lower: str  # the text lower-cased (scorer._lowered)
    sentences: int
    compound: float
    own: float  # the compound without the sentences about someone else (a previous developer)
    reasons: tuple[Reason, ...]
    sums: list[float]  # each sentence's sum of valences (empty when no word has a valence)
    aside: list[tuple[int, int]]  # spans of sentences the rules set aside (about someone else, yes/no questions)
    chunks: tuple[tuple[str, ...], ...] = ()  # chunk_words() of each blank-separated chunk of `lower` (empty: unknown)


def words_of(lower: str) -> list[str]:
    """The words the model reads: letters and digits (numbers all read "0"), with a clitic ("don't").

    Read per blank-separated chunk and remembered (feedback repeats its chunks: one look-up each, not a regex
    pass over the text); the same words as one pass over the text, since none holds a blank."""
    chunks = lower.split()
    try:
        return list(chain.from_iterable(map(_CHUNK_WORDS.__getitem__, chunks)))
    except KeyError:  # a chunk not seen before
        return list(chain.from_iterable(map(chunk_words, chunks)))


_CHUNK_WORDS: dict[str, tuple[str, ...]] = {}
_CHUNKS_MAX = 50_000  # distinct chunks remembered (~200 bytes each); later ones are read each time


def chunk_words(chunk: str) -> tuple[str, ...]:
    """One chunk's words, interned: the weight tables' keys are too, so a look-up compares pointers."""
    words = _CHUNK_WORDS.get(chunk)
    if words is not None:
        return words
    words = tuple(map(sys.intern, _WORD.findall(_DIGITS.sub("0", chunk))))
    if len(_CHUNK_WORDS) < _CHUNKS_MAX:
        _CHUNK_WORDS[chunk] = words
    return words


def model_text(reading: Reading) -> str:
    """The text as the model reads its words: a praising phrase rule's match as one token ("Would not think
    twice" is praise, whatever "not" and "twice" say elsewhere), and the sentences the rules set aside left out.
    (Complaining phrases keep their words: read as one token, they were trusted more than they generalise.)"""
    lower = reading.lower
    cuts = [(r.start, r.end, PRAISING if " " in r.text else LIKING) for r in reading.reasons
            if r.end > r.start and ((" " in r.text and r.weight > 0) or (r.end - r.start == 4 and lower[r.start:r.end] == "like"))]
    if reading.aside:
        cuts += [(start, end, " ") for start, end in reading.aside]
    if not cuts:
        return lower
    out = []
    at = 0
    for start, end, token in sorted(cuts, key=lambda c: (c[0], -c[1])):
        if start < at:
            continue  # inside a sentence set aside
        out += (lower[at:start], token)
        at = end
    out.append(lower[at:])
    return "".join(out)


def ends(text: str) -> list[str]:
    """The words of the first and the last sentence of a text of several, marked ("^our", "$legend"), each once:
    a story opens on its situation and ends on its verdict, so the same word weighs differently there ("Sales up,
    stress down." closing a story of a broken shop)."""
    t = text.rstrip(" \n\t.!?;:)\"'")
    cut = max(t.rfind("."), t.rfind("!"), t.rfind("?"), t.rfind("\n"))
    if cut < 0:
        return []
    first = min((i for i in (t.find("."), t.find("!"), t.find("?"), t.find("\n")) if i >= 0), default=cut)
    return list(dict.fromkeys(["^" + w for w in words_of(t[:first])] + ["$" + w for w in words_of(t[cut + 1 :])]))


def features_of(reading: Reading) -> tuple[list[float], list[str]]:
    """What the model reads in a text: the rules' reading (DENSE's order), and its words, word pairs and the
    words of its first and last sentence."""
    text = model_text(reading)
    words = words_of(text)
    return dense(reading, words), grams(words) + ends(text)


def grams(words: list[str]) -> list[str]:
    """Words and word pairs, each once, in the text's order (words first): the order their weights are added
    and ties are named in, so a text scores the same in every process (a set's order follows string hashing,
    which Python randomises per process)."""
    return list(dict.fromkeys([*words, *[a + " " + b for a, b in zip(words, words[1:])]]))


_AT = {name: i for i, name in enumerate(DENSE)}
_NAMES = tuple(DENSE)
_FEATURES = len(DENSE)
_SIDES = (attrgetter("real"), attrgetter("imag"))  # one side's part of a complex weight (Model._by_word)
_RULES = _AT["=rules"]
_RULES_NEGATIVE = _AT["=rules negative"]
_RULES_POSITIVE = _AT["=rules positive"]
_PRAISE = _AT["=praise"]
_COMPLAINT = _AT["=complaint"]
_COMPLAINT_WORDS = _AT["=complaint words"]
_PRAISE_WORDS = _AT["=praise words"]
_WORST = _AT["=worst sentence"]
_BEST = _AT["=best sentence"]
_MEAN = _AT["=mean sentence"]
_SERIOUS_SENTENCES = _AT["=serious sentences"]
_WORST_AT = _AT["=worst position"]
_PRAISE_AFTER = _AT["=praise after worst"]
_ENDS_PRAISING = _AT["=ends praising"]
_NEGATION_COUNT = _AT["=negations"]
_NO_SENTIMENT = _AT["=no sentiment"]
_ABOUT_OTHERS = _AT["=about others"]
_TOLD_OF_OTHERS = _AT["=told of others"]
_PRAISE_PHRASES = _AT["=praise phrases"]
_COMPLAINT_PHRASES = _AT["=complaint phrases"]
_LAST = _AT["=last sentence"]
_FIRST = _AT["=first sentence"]
_QUESTIONS = _AT["=questions"]
_ENDS_SERIOUS = _AT["=ends serious"]
_ASKS = _AT["=asks"]
_QUESTION = _AT["=question"]
_EXCLAIM = _AT["=exclaim"]
_LENGTH = (_AT["=words <9"], _AT["=words 9-20"], _AT["=words 21-60"], _AT["=words >60"])
_SENTENCES = (_AT["=1 sentence"], _AT["=2-3 sentences"], _AT["=4+ sentences"])
ONE_SENTENCE = _SENTENCES[0]


def dense(reading: Reading, words: list[str]) -> list[float]:
    """The rules' reading as features (all about -1..1), in DENSE's order."""
    out = reading_features(reading)
    _add_word_counts(out, words, reading.lower)
    return out


def _add_word_counts(out: list[float], words: list[str], lower: str) -> None:
    """The two features of dense() read from the model's words: negations and length."""
    out[_NEGATION_COUNT] = min(sum(map(_NEGATIONS.__contains__, words)) + lower.count("n't"), 4) / 4
    n = len(words)
    out[_LENGTH[0 if n < 9 else 1 if n <= 20 else 2 if n <= 60 else 3]] = 1.0


def reading_features(reading: Reading) -> list[float]:
    """dense() but for its word counts: all that the rules' reading says, so judge() can see whether the words
    could change anything before it reads them."""
    compound, reasons, sums, lower = reading.compound, reading.reasons, reading.sums, reading.lower
    out = [0.0] * _FEATURES
    out[_RULES] = compound
    sentences = reading.sentences
    out[_SENTENCES[0 if sentences <= 1 else 1 if sentences <= 3 else 2]] = 1.0
    if compound <= NEGATIVE_AT:
        out[_RULES_NEGATIVE] = 1.0
    elif compound >= POSITIVE_AT:
        out[_RULES_POSITIVE] = 1.0
    if not reasons:
        out[_NO_SENTIMENT] = 1.0
    else:  # one pass over the reasons (sums added in their order, as sum() would)
        known = lexicon().words  # a reason on a word the lexicon lacks is a rule's reading ("Ordered ..." not delivered)
        praise = complaint = 0.0
        praising = complaining = phrases = praising_phrases = 0
        for text, start, end, weight in reasons:
            if weight > 0:
                praise += weight
                praising += 1
            elif weight < 0:
                complaint += weight
                complaining += 1
            if end > start and (" " in text or text.lower() not in known):
                phrases += 1
                praising_phrases += weight > 0
        if praising:
            out[_PRAISE] = min(praise, 8.0) / 4
            out[_PRAISE_WORDS] = min(praising, 6) / 3
        if complaining:
            out[_COMPLAINT] = max(complaint, -8.0) / 4
            out[_COMPLAINT_WORDS] = min(complaining, 6) / 3
        if phrases:
            out[_PRAISE_PHRASES] = min(praising_phrases, 3) / 3
            out[_COMPLAINT_PHRASES] = min(phrases - praising_phrases, 3) / 3
    if reading.own != compound:
        out[_ABOUT_OTHERS] = reading.own - compound
        out[_TOLD_OF_OTHERS] = 1.0
    if "?" in lower:
        out[_QUESTION] = 1.0
        if sentences > 1:
            out[_QUESTIONS] = min(lower.count("?") / sentences, 1.0)
        if any(lower.startswith("?", end) for _, end in reading.aside):
            out[_ASKS] = 1.0
    if "!" in lower:
        out[_EXCLAIM] = 1.0
    if any(sums):
        each = list(map(normalize, sums))
        worst = min(each)
        out[_WORST] = worst
        out[_BEST] = max(each)
        out[_MEAN] = sum(each) / len(each)
        serious = sum(map(SERIOUS.__ge__, each))
        if serious:
            out[_SERIOUS_SENTENCES] = min(serious, 3) / 3
        if len(each) > 1:
            at = each.index(worst)
            if worst < 0:
                out[_WORST_AT] = at / (len(each) - 1)
                after = each[at + 1 :]
                if after:
                    out[_PRAISE_AFTER] = sum(c > 0 for c in after) / len(after)
            last = each[-1]
            if last >= POSITIVE_AT:
                out[_ENDS_PRAISING] = 1.0
            out[_LAST] = last
            if last <= SERIOUS:
                out[_ENDS_SERIOUS] = 1.0
            out[_FIRST] = each[0]
    return out



@dataclass(frozen=True)
class Side:
    """One logistic regression: its bias, the weights of the rules' reading (in DENSE's order) and of words."""

    bias: float
    dense: tuple[float, ...]
    words: Mapping[str, float]

    def logit(self, features: list[float], found: Iterable[str]) -> float:
        return self.bias + sum(map(mul, self.dense, features)) + sum(filter(None, map(self.words.get, found)))

    @classmethod
    def from_weights(cls, bias: float, weights: Mapping[str, float]) -> Side:
        """From one weight per feature name (DENSE's names and words, as model.json holds them)."""
        return cls(bias, tuple(weights.get(name, 0.0) for name in DENSE), {k: v for k, v in weights.items() if k not in DENSE})

    def weights(self) -> dict[str, float]:
        return {**{name: w for name, w in zip(DENSE, self.dense) if w}, **self.words}


class Verdict(NamedTuple):
    compound: float
    moved: bool  # the model changed the rules' label
    note: Reason | None
    adjusted: Reason | None = None  # what the store's adjustment (adjustment.py) changed, when it changed the label


@dataclass(frozen=True)
class Model:
    negative: Side
    positive: Side
    threshold: float  # the chance of "negative" from which the model keeps an alert the rules raised
    raise_margin: Mapping[str, float]  # how much surer it must be to alert where the rules read "positive"/"neutral"
    positive_margin: float  # how sure past 0.5 of "positive" it must be where the rules did not read praise
    one_sentence_margin: float  # taken off `threshold` for an alert the rules raised on one sentence (what they were written for)
    examples: int  # how many labelled texts it learned from

    @cached_property
    def _words(self) -> dict[str, tuple[float, float]]:
        """Each word's and pair's weight on both sides."""
        neg, pos = self.negative.words, self.positive.words
        return {w: (neg.get(w, 0.0), pos.get(w, 0.0)) for w in neg.keys() | pos.keys()}

    @cached_property
    def _by_word(self) -> tuple[dict[str, complex], dict[tuple[str, str], complex]]:
        """`_words` split into single words (and marked ones, "^our") and pairs (keyed by their two words), interned
        like words_of's words so that a look-up compares pointers, and a text's pairs are looked up without making
        their strings. Each weight is one complex number, negative side + positive side * 1j: one small object a
        weight (not a tuple of two floats), and one sum gives both sides' totals."""
        singles: dict[str, complex] = {}
        pairs: dict[tuple[str, str], complex] = {}
        for gram, (negative, positive) in self._words.items():
            if " " in gram:
                first, second = gram.split(" ")
                pairs[sys.intern(first), sys.intern(second)] = complex(negative, positive)
            else:
                singles[sys.intern(gram)] = complex(negative, positive)
        return singles, pairs

    def _weigh(self, words: list[str], marked: list[str]) -> complex:
        """What the text's known words and pairs, each once, and its `marked` words add to the negative side's logit
        (real part) and the positive side's (imaginary part), summed in grams()'s order (words, pairs, marked)."""
        singles, pairs = self._by_word
        following: Iterable[tuple[str, str]] = zip(words, islice(words, 1, None))
        distinct: Iterable[str] = words
        if len(set(words)) < len(words):  # a repeated word (and maybe pair) counts once
            distinct, following = dict.fromkeys(words), dict.fromkeys(following)
        total = sum(filter(None, map(pairs.get, following)), sum(filter(None, map(singles.get, distinct)), 0j))
        return sum(filter(None, map(singles.get, marked)), total) if marked else total

    def _pulls(self, side: int, sign: float, features: list[float], words: list[str], marked: list[str]) -> list[tuple[float, str]]:
        """Each known feature's share of one side's logit (0: negative, 1: positive) that pulls the `sign` way, as
        (weight times value, name), in grams()'s order then DENSE's. A pair's name is made only when the pair pulls."""
        singles, pairs = self._by_word
        part = _SIDES[side]
        out = [(w, g) for g, both in _known(singles, dict.fromkeys(words)) if (w := part(both)) * sign > 0]
        out += [(w, f"{a} {b}") for (a, b), both in _known(pairs, dict.fromkeys(zip(words, words[1:]))) if (w := part(both)) * sign > 0]
        out += [(w, g) for g, both in _known(singles, marked) if (w := part(both)) * sign > 0]
        dense = (self.negative if side == 0 else self.positive).dense
        out += [(p, _NAMES[i]) for i in compress(range(_FEATURES), features) if (p := dense[i] * features[i]) * sign > 0]
        return out

    def decide(self, features: list[float], found: Iterable[str], said: str) -> tuple[str, float]:
        """The label, and the chance behind it, given the rules' own label `said`.

        The model's job is the alert. It raises one where the rules read praise or nothing only when it is
        surer (`raise_margin`), keeps one the rules raised from `threshold` on, and drops one whose story
        ends on its serious sentence only when it is sure the text is happy (below `STORY_END_KEPT_FROM`: "fade
        so clean ... absolute steal"; a trouble is forgiven only when the story does not end on it). It does not
        raise on a text that asks a yes/no question about a possible problem. A text that is no alert is
        positive when the rules read praise, else when the model is `positive_margin` sure of it. An alert the
        rules raised on one sentence (what they were written for) takes `one_sentence_margin` more to drop.
        """
        return self._decide(features, sum((complex(*both) for both in filter(None, map(self._words.get, found))), 0j), said)

    def _decide(self, features: list[float], weight: complex, said: str, shift: float = 0.0) -> tuple[str, float]:
        """decide(), given what the text's known words and pairs add to each side's logit (_weigh), and a store's
        `shift` (adjustment.py) added to the negative side's logit and POSITIVE_GAIN times it taken from the positive side's."""
        one = features[ONE_SENTENCE]
        p_negative = _sigmoid(self.negative.bias + sum(map(mul, self.negative.dense, features)) + weight.real + shift)
        if said == "negative":
            if p_negative >= (self.threshold - self.one_sentence_margin if one else 0.5 + SEVERAL_SENTENCES_KEEP_MARGIN) or (
                _ends_on_its_trouble(features) and shift > OVERRULE and (one or p_negative >= STORY_END_KEPT_FROM)
            ):
                return "negative", p_negative
        elif p_negative >= self.threshold + _raise_margin(self.raise_margin[said], said, features) and not features[_ASKS]:
            return "negative", p_negative
        if said == "positive":
            return "positive", 1.0 - p_negative
        p_positive = _sigmoid(self.positive.bias + sum(map(mul, self.positive.dense, features)) + weight.imag - shift * POSITIVE_GAIN)
        return ("positive" if p_positive >= 0.5 + self.positive_margin else "neutral"), p_positive

    def beyond_niche(self, lower: str, words: list[str] | None = None) -> bool:
        """Does this layer read a complaint in a text's words other than its complaint words: a store's excuse of
        its niche's words ("punishing", "torture words" in a bootcamp's praise) does not reach it ("absolutely
        punishing fees: they took 20% and hid it in the small print", "a painfully slow app that crashes")."""
        valence = lexicon().words
        other = [w for w in (words_of(lower) if words is None else words) if valence.get(w, 0.0) >= 0]
        singles, pairs = self._by_word
        weights = [*filter(None, map(singles.get, dict.fromkeys(other))),
                   *filter(None, map(pairs.get, dict.fromkeys(zip(other, islice(other, 1, None)))))]
        return sum(min(w.real, NICHE_WORD) for w in weights) >= NICHE_LOGIT

    def judge(self, reading: Reading, adjustment: Adjustment | None = None, learned: Collection[str] = ()) -> Verdict:
        """The label the model gives (as a compound in that label's band); the rules' compound when it
        agrees with them. With a store's `adjustment`, its deltas shift the model, and a reason of its own says
        what moved when that changed the label."""
        rules = reading.compound
        said = label_for(rules)
        features = reading_features(reading)
        settled = _words_cannot_move(said, features)
        if settled and (not adjustment or said == "positive"):  # (no shift raises an alert on a yes/no question either)
            return Verdict(rules, False, None)
        text = model_text(reading)
        # The tokenizer read each chunk's words already (ASCII text), unless the model reads a text cut otherwise.
        words = list(chain.from_iterable(reading.chunks)) if text is reading.lower and reading.chunks else words_of(text)
        _add_word_counts(features, words, reading.lower)
        marked = ends(text)
        pulls: list[tuple[float, str]] = []
        shift = 0.0
        if adjustment:
            pulls = adjustment.pulls(reading, features, words)
            shift = _store_shift(pulls, features)
            if settled and shift > OVERRULE:
                return Verdict(rules, False, None)  # neither the words nor this store's shift can move the label
        weight = self._weigh(words, marked)
        label, p = self._decide(features, weight, said)
        adjusted = self._adjusted(pulls, shift, features, weight, said, label) if shift else None
        if adjusted is not None and shift < 0 and adjusted[1] != label and (
                self.beyond_niche(text, words) or adjustment.strays(words, learned)):  # type: ignore[union-attr]
            adjusted = None  # a complaint the layer reads in the text's other words, or a text off the store's niche:
            # the store's excuse is a niche's
        if adjusted is not None:
            adjusted, label, p = adjusted
        if label == said:
            return Verdict(rules, False, None, adjusted)
        if label == "negative":
            compound = -(0.05 + 0.9 * (p - self.threshold) / (1.0 - self.threshold))
        else:
            compound = 0.05 + 0.9 * (p - 0.5) / 0.5 if label == "positive" else 0.0
        if label == "neutral":  # an alert the rules raised, dropped: what pulled it off
            side, sign, way = 0, -1.0, "away from negative"
        else:
            side, sign, way = (0 if label == "negative" else 1), 1.0, label
        if adjusted is not None:  # the store's adjustment made the move: its reason carries the weight
            return Verdict(compound, True, None, adjusted._replace(weight=round(compound - rules, 3)))
        named = _strongest(self._pulls(side, sign, features, words, marked), sign)
        text = f"learned from {self.examples:,} labelled reviews: {named} pushed it {way}" if named else (
            f"learned from {self.examples:,} labelled reviews: read {label}")
        return Verdict(compound, True, Reason(text, 0, 0, round(compound - rules, 3)))

    def _adjusted(self, pulls: list[tuple[float, str]], shift: float, features: list[float], weight: complex,
                  said: str, label: str) -> tuple[Reason | None, str, float]:
        """The label with a store's `shift` (adjustment.py), and a reason naming what moved it (its `pulls`) when it
        differs from `label`."""
        moved, p = self._decide(features, weight, said, shift)
        if moved == label:
            return None, moved, p
        from desktop.scoring.adjustment import named

        way = "less" if shift < 0 else "more"
        return Reason(f"learned from your corrections: {named(pulls, -1.0 if shift < 0 else 1.0)} read {way} negative for you",
                      0, 0, 0.0), moved, p


def _raise_margin(margin: float, said: str, features: list[float]) -> float:
    """How much surer than `threshold` to alert where the rules read `said`: a text of questions only that they read
    as nothing asks, so it takes ASKING_RAISE_MARGIN at least."""
    if said == "neutral" and features[_QUESTION] and (features[ONE_SENTENCE] or features[_QUESTIONS] == 1.0):
        return max(margin, ASKING_RAISE_MARGIN)
    return margin


def _store_shift(pulls: list[tuple[float, str]], features: list[float]) -> float:
    """A store's shift of the negative side for a text: its deltas' pulls; it never excuses a complaint a rule beyond
    the word lexicon found (a phrase, an expectation not met)."""
    shift = sum(p for p, _ in pulls)
    return 0.0 if shift < 0 and features[_COMPLAINT_PHRASES] else shift


def _known(table: Mapping[K, V], keys: Collection[K]) -> Iterator[tuple[K, V]]:
    """The keys that `table` holds, with their values, in the keys' order (looked up and picked at C level: most
    of a text's words and pairs have no weight)."""
    found = list(map(table.get, keys))
    return zip(compress(keys, found), filter(None, found))


def _words_cannot_move(said: str, features: list[float]) -> bool:
    """Does _decide() keep the rules' label whatever the words weigh? An alert on one sentence that ends on its
    trouble is never dropped (a longer one may be, when the model is sure it is happy), and praise is never turned into an alert on a text asking a yes/no question about a possible
    problem. (Neither reads the word counts: `features` may lack them.) About a quarter of texts: they skip the
    words, the layer's dearest part."""
    if said == "negative":
        return bool(features[ONE_SENTENCE]) and _ends_on_its_trouble(features)
    return said == "positive" and bool(features[_ASKS])


def _ends_on_its_trouble(features: list[float]) -> bool:
    """Is the rules' serious sentence the text's last one (and the whole text serious)? A one-sentence text
    ends on it when it is serious, or when a rule beyond the word lexicon complained (a phrase, an expectation
    not met)."""
    if features[ONE_SENTENCE] and features[_COMPLAINT_PHRASES]:
        return True
    if features[_RULES] > SERIOUS:
        return False
    return bool(features[ONE_SENTENCE]) or (bool(features[_ENDS_SERIOUS]) and features[_WORST_AT] == 1.0)


_AT_END = {"^": " at its start", "$": " at its end"}
_PULL = itemgetter(0)


def _strongest(pulls: list[tuple[float, str]], sign: float) -> str:
    """The features that pulled hardest the given way (`pulls` all pull that way), named for a reason ("'ticket',
    'for no reason'")."""
    names: list[str] = []
    # Strongest first, ties in the pulls' order: a stable sort on the pull itself (descending when they are
    # positive) gives the order of sorting by -abs(pull), without a key function called per pull.
    for _, name in sorted(pulls, key=_PULL, reverse=sign > 0):
        bare = name.lstrip("^$")
        if bare in _UNSAID or ("_" in name and name not in _PHRASE_TOKENS):
            continue
        said = DENSE.get(name) or _PHRASE_TOKENS.get(name) or f"'{bare}'" + _AT_END.get(name[0], "")
        if said not in names:
            names.append(said)
        if len(names) == EXPLAIN_TOP:
            break
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return names[0] if names else ""


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def from_json(data: Mapping[str, object]) -> Model:
    sides = {
        name: Side.from_weights(float(data[name]["bias"]), data[name]["weights"])  # type: ignore[index]
        for name in ("negative", "positive")
    }
    return Model(
        sides["negative"], sides["positive"], float(data["threshold"]), dict(data["raise_margin"]),  # type: ignore[arg-type]
        float(data["positive_margin"]), float(data["one_sentence_margin"]), int(data["examples"]),  # type: ignore[arg-type]
    )


@lru_cache(maxsize=1)
def shipped() -> Model | None:
    """The model in resources/scoring/ (read once), or None when none is shipped."""
    path = resources.files("resources").joinpath("scoring", MODEL_FILE)
    if not path.is_file():
        return None
    return from_json(json.loads(path.read_text(encoding="utf-8")))
