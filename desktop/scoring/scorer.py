"""`score()`: a text cut into sentences, each read with VADER's word rules and Rapport's phrase and
sentence rules, then combined (one serious sentence is not averaged away) and blended with its stars.

The rules in words, with examples, are in docs/scoring.md ("How a text is read").
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from collections.abc import Sequence
from itertools import compress
from typing import NamedTuple

from desktop.scoring.context import asks_openly, context_factor, dampen
from desktop.scoring.hindsight import LATE_WORDS, REVERSALS, expecting, found_late, lived_without, reversed_expectation
from desktop.scoring.irony import DELIGHT, IRONY, consoles, delight_in, ironic_clauses, praise_turned, thanks_unasked
from desktop.scoring.language import detect_language, source_language
from desktop.scoring.measures import measure_moved
from desktop.scoring.mock import WARNINGS, mock_warning
from desktop.scoring.learning import Learned
from desktop.scoring.lexicon import Lexicon, lexicon
from desktop.scoring.model import Reading, chunk_words, shipped
from desktop.scoring.phrases import PhraseHit, find_phrases, negated_before, phrase_weight
from desktop.scoring.rating import blend, rating_only, stars_of
from desktop.scoring.replies import OPENERS, is_reply, reply_weight
from desktop.scoring.records import NEUTRAL, Reason, Score, label_for
from desktop.scoring.solved import PIVOTS, RESOLVED, SOLVED_PRAISE, overcome_in_clause, resolves, solved_problems
from desktop.scoring.tokens import Tokens, WordFacts, tokenize
from desktop.scoring.words import clause_start, normalize, punctuation_boost, token_valences

_NONE: dict = {}  # no phrase hits (read only)
SERIOUS_SENTENCE = -0.45  # one sentence this negative makes the whole text at least as negative
LANGUAGE_SAMPLE_WORDS = 80
_ASKING = frozenset(("why", "how", "who", "what"))  # words that open a rhetorical complaint question
# A text that may tell a measure moved from one number to another (measures.py).
_FROM_TO = re.compile(r"\bfrom [$\u00a3\u20ac]?[0-9][^!?]{0,24}? to [$\u00a3\u20ac]?[0-9]")
_RESTRICTING = frozenset((("less", "so"),))  # "..., less so." ("not so much" is checked with its "not")
_TURNS = frozenset(("but", "however", "unfortunately", "sadly", "though", "yet", "regrettably"))
# What comes right before a quote that names someone fondly rather than mocks them.
_NAMING = re.compile(r"(?:\b(?:my|our|your|his|her|their)|\b(?:call(?:s|ed)?|dubbed|nicknamed|named|aka|known as|officially) (?:\w+ )?(?:him|her|them|it|us|me|our|my)?) ?$")
ARC_FACTOR = 0.25  # what the negative words of a trouble the service overcame count
SITUATION_FACTOR = 0.1  # the same for the trouble someone was called to, told before they enter or fix it
_ARC_PRAISE = 3.0  # how much praise must follow a text's last negative sentence to make it such a story
_ARC_STORY_PRAISE = 1.5  # the same when the text tells of its past ("for years", "used to")
# A closing sentence that gives the verdict ("Overall brilliant.", "All in all, worth it.", "Still a happy client."): when it praises,
# the cons listed before it are weighed, not alarming: they count VERDICT_FACTOR and none is the serious one.
# Round eighteen: "Everything else ... was perfect." after a con is such a verdict too ("If I'm being picky, the music was a bit
# loud. Everything else was perfect.").
_VERDICT = re.compile(r"(?:overall|all in all|all things considered|on balance|in short|in summary|to sum up|bottom line|verdict|net result|still|"
                      r"everything else|the rest|otherwise)\b")
VERDICT_FACTOR = 0.5
# A sentence opening with "now", with no complaint in it, after a trouble told with no praise before it, tells the change
# from that trouble: an improvement, praise of its own, and the trouble is the story's past ("My English isn't perfect
# and I was afraid clients would not trust me. Now I have 87 reviews."; "I used to complain about the fees... Now I
# just see it as my marketing budget."). After praise it is a decline ("It used to be a good place to find work. Now
# it's pay to play"), and after a neutral past nothing can be told ("They used to answer tickets in hours. Now a week
# is considered fast." complains, "Our site used to take eight seconds to load. Now it is under two." praises).
IMPROVED = 1.5
_HAPPY_MARGIN = 2.0  # a story's happy end may tell of nerves, with praise at least this many times their weight
_PAST_STORY = re.compile(
    r"\b(?:used to|had been|(?:i|we)'d (?:been|had|spent|tried|failed|lived|seen|lost|given|turned|accepted|basically|"
    r"nearly|almost)|for (?:\w+ )?(?:years|months)|struggl\w+|(?:nearly|almost) (?:gave|quit|went|pulled)|"
    r"(?:was|were) (?:stuck|desperate|drowning|ready to)|spent (?:\w+ )?(?:months|years)|"
    r"was about to|were about to|at first|the first time|background|"
    # round eighteen: a near miss of giving up ("I nearly deleted my profile", "almost didn't sign up"), the first
    # weeks told apart ("First two months: no orders"), a thing replaced told first ("The old video was terrible")
    r"(?:nearly|almost) (?:\w+ed|didn't|did not|left|quit|gave|went|pulled|threw|sold|took)|"
    # a fear told before ("Thought the smear test would be awful.", "I assumed they'd cancel")
    r"(?:thought|assumed|expected|feared|worried|was sure|was convinced) (?:[\w']+ ){0,5}?(?:would|was going to|were going to)|"
    r"(?:thought|assumed|expected|feared|worried|was sure|was convinced) (?:i|we|they|he|she|it)'d|"
    r"(?:^|[.!?] )first (?:\w+ )?(?:weeks|months|years)|(?:^|[.!?] )(?:the|my|our) (?:old|previous|last) \w+ (?:was|were|had|used)"
    r")\b"
)
# A capital letter inside a sentence (not the pronoun "I"): some word may be a name (see _without_names).
_MID_CAPS = re.compile(r"[a-z0-9,] +[A-Z](?![\s'\u2019])")
# Praise on a condition the reader must put up with is a warning: the sentence's praise turns.
_ON_CONDITION = re.compile(
    r"\b(?:(?:if|as long as|provided|providing) you (?:don't|do not) mind|if you (?:enjoy|like|love) (?:\w+ )?(?:chasing|"
    r"waiting|wasting|paying|losing|redoing|fixing|excuses|delays|headaches|being ignored|explaining|repeating|rewriting))\b"
)
# Who a story names (see _help_after_trouble).
_THIRD_PERSON = frozenset("he she they him her them his their he's she's they're he'd she'd they'd he'll she'll they'll".split())
_YOU = frozenset("you your you're you've you'd yours".split())
_FIRST_PERSON = frozenset("i we my our me us i'd i'm i've we'd we're we've i'll we'll".split())
_CLOSING_WORDS = 6  # a closing that brings the provider in is told in at least this many words
_TOLD_AT_LENGTH = 6  # words a sentence of the opening has on average when it tells an event, not a verdict
# An expectation (what was quoted, promised, asked or paid for) and, after it, what came: with nothing praised
# in the text, the gap between them is the complaint (_unmet).
_EXPECTING = frozenset("quote quoted promised asked paid ordered booked agreed advertised supposed expected told".split())
_EXPECTATION = re.compile(
    r"(?<!n't )(?<!not )(?<!never )\b(?:the quote (?:said|was)|quoted|(?:was|were|been) promised|promised|asked (?:for|them|him|her)|"
    r"paid (?:for|extra)|ordered|booked|agreed (?:on|to)|advertised|(?:was|were) supposed to|(?:was|were) told)\b"
)
_OUTCOME = re.compile(
    r"\b(?:got|get|gets|received|receive|left with|came|comes|arrived|delivered|sent|turned up|showed up|there (?:have|has|had) been|"
    r"there (?:was|were)|ever since|instead|ended up|was up|have spoken|has been|have been)\b"
)
UNMET = -1.0
# What would, could or should have been is not what was (_wished).
_MODALS = frozenset(("would", "could", "should", "it'd", "that'd", "might"))
_MODALS_VE = frozenset(("would've", "could've", "should've", "might've"))
_REQUESTING = frozenset(("would", "i'd", "we'd"))
_WISH_WORDS = frozenset(("been", "appreciate"))
SCARE = -0.5  # what praise inside scare quotes weighs, times its own weight
DOUBT = -1.2  # what a quoted label after an article weighs (a "certified" manager, the "SEO audit")
_LABELLED = re.compile(r"\b(?:a|an|the|this|that|these|those) $")
# A short quote (up to ~30 characters) opened after a blank and closed before a blank or punctuation.
_SCARE_QUOTE = re.compile(r"(?:(?<=\s)|^)([\"\u201c']|\u2018)[^\s\"\u201c\u201d'\u2018\u2019][^\"\u201c\u201d\u2018\u2019\n]{0,30}?[\"\u201d'\u2019](?![\w'])")
# An HTML tag ("<b>", "</p>", '<a href="...">'): scored as blanks of the same length, so "<b>awful</b>"
# reads "awful" and spans still index the text as given. "<3" is no tag (it is VADER's heart).
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")


# An open yes/no question about someone ("How was he with deadlines?", "Was she responsive?") asks before a complaint
# or praise: set aside like one holding a sentiment word, though it holds none (round sixteen: the layer read
# "deadlines" and raised an alert on "How was he with deadlines? Any issues?"). Not "Is anyone answering the phone?",
# "Is it normal to wait 45 minutes?": rhetorical, they complain.
_ASKING_OF = frozenset(("how", "was", "were", "is", "are", "did", "does", "do", "has", "have", "will", "would", "can", "could"))
_SOMEONE = frozenset(("he", "she", "they", "you"))


def _asks_of_someone(lows: list[str]) -> bool:
    """Is the sentence (its lower-case words, ending with '?') an open yes/no question about someone?"""
    k = 1 if lows[0] != "how" else 2
    return len(lows) > k and lows[k] in _SOMEONE and (lows[0] != "how" or lows[1] in ("was", "were", "is", "are")) and (
        asks_openly(lows, ""))


def _asked_of_someone(lower: str, lows: list[str], starts: list[int], ends: list[int], breaks: list[int]) -> list[tuple[int, int]]:
    """The spans of a text's open yes/no questions about someone, when it is a text of questions only (several)."""
    if len(breaks) < 2 or lower.count("?") < len(breaks) or lower.rstrip()[-1:] != "?":
        return []
    out = []
    first = 0
    for last in breaks:
        if lows[first] in _ASKING_OF and _asks_of_someone(lows[first : last + 1]):
            out.append((starts[first], ends[last]))
        first = last + 1
    return out


def score(
    text: str, rating: float | None = None, language: str | None = None, learned: Learned | None = None, layer: bool = True
) -> Score:
    """Score `text` (plus an optional 1-5 star `rating` and its language, when the source says it),
    with a store's `learned` word valences when given. `layer=False`: the rules alone, without the learned
    layer (model.py), for text that is no review (the tone of a reply draft, judged word by word)."""
    stars = None if rating is None else stars_of(rating)
    if not text or not text.strip():
        return NEUTRAL if stars is None else rating_only(stars, ())
    lang = None if language is None else source_language(language)
    lex = lexicon()
    if lang in (None, "en"):
        lower, tokens = _prepared(text, lex)
        if lang is None:
            lang = detect_language(text, tokens.lows[:LANGUAGE_SAMPLE_WORDS])
    if lang != "en":
        note = (Reason(f"language not scored: {lang}", 0, 0, 0.0),)
        return Score(0.0, "neutral", note) if stars is None else rating_only(stars, note)
    model = shipped() if layer else None
    # A store's learned words read as it learned them, unless the layer reads a complaint in the text's other words
    # ("absolutely punishing fees ... hid it in the small print"): the niche's words in their usual sense.
    # Nor in a text off the store's niche: about nothing its corrected praise was about, with a complaint word it
    # does not excuse ("A brutal 40% price hike with no new features." after a tattoo studio's "brutal").
    if learned and learned.words and not learned.by_form.keys().isdisjoint(tokens.lows) and (
            model is None or not (model.beyond_niche(lower) or learned.strays(lower))):
        lex = learned.lexicon
    compound, own, reasons, sums, aside = _score_english(text, lower, tokens, lex)
    notes = _learned_notes(reasons, learned) if learned and learned.words and lex is learned.lexicon else ()
    # The layer reads a text holding a store's learned words with them (the rules' reading it sees has their learned
    # valences): they move its reading, they do not replace it, so it still keeps a complaint it reads as one.
    if model is not None:
        adjustment = learned.adjustment if learned else None
        verdict = model.judge(Reading(lower, len(tokens.breaks), compound, own, reasons, sums, aside, tokens.chunks),
                              adjustment, learned.by_form if learned and learned.words else ())
        if verdict.moved and not (stars is not None and stars >= 4.0 and verdict.compound < compound):
            # (4-5 stars say what the layer guesses from the words: a learned alert against them would only drag the
            # blend toward an alert the stars overrule anyway: "Clean, well-structured code..." with 5 stars, +0.09)
            compound = own = verdict.compound
            reasons += (verdict.note or verdict.adjusted,)
        elif verdict.adjusted:  # the store's adjustment kept the rules' label
            reasons += (verdict.adjusted,)
    reasons += notes
    if stars is None:
        return Score(compound, label_for(compound), reasons)
    return blend(compound, own, reasons, stars)


def rules_reading(text: str) -> Reading:
    """What the rules alone make of an English `text` (no stars, no learned layer): what the model learns from."""
    lower, tokens = _prepared(text, lexicon())
    return Reading(lower, len(tokens.breaks), *_score_english(text, lower, tokens, lexicon()))


def _prepared(text: str, lex: Lexicon) -> tuple[str, Tokens]:
    """The text lower-cased (tags blanked) and its words."""
    plain = _without_tags(text) if "<" in text else text
    lower = _lowered(plain)
    return lower, tokenize(plain, lower, lex.emojis, _word_facts())


@lru_cache(maxsize=1)
def _word_facts() -> WordFacts:
    """What the shipped lexicon says of a word (phrase rules starting at it, a valence, can it move a score),
    remembered by the tokenizer with each token: one look-up a token instead of one per table. The learned
    layer's words of each token are remembered with it too (Reading.chunks), so it need not read them again."""
    lex = lexicon()
    return WordFacts(lambda low: (lex.phrases[low], low in lex.words, low in lex.triggers), chunk_words)


def _without_tags(text: str) -> str:
    """`text` with HTML tags blanked out (same length, so spans carry over)."""
    return _TAG.sub(lambda m: " " * len(m.group()), text)



def _lowered(text: str) -> str:
    """Lower-case text with the same length (so spans carry over); curly apostrophes made straight."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lower.replace("\u2019", "'")


def _learned_notes(reasons: tuple[Reason, ...], learned: Learned) -> tuple[Reason, ...]:
    """A reason (no span) for each learned word that moved this score, weighing what learning changed."""
    notes = {}
    for reason in reasons:
        word = learned.by_form.get(reason.text.lower())
        if word is not None and reason.weight:
            change = reason.weight * (1.0 - word.base / word.valence)
            notes[word.word] = Reason(word.describe(), 0, 0, round(notes.get(word.word, (0, 0, 0, 0.0))[3] + change, 3))
    return tuple(notes.values())


def _score_english(
    text: str, lower: str, tokens: Tokens, lex: Lexicon
) -> tuple[float, float, tuple[Reason, ...], list[float], list[tuple[int, int]]]:
    """Compound, compound without the sentences about someone else, reasons, sentence by sentence; and for
    the learned layer each sentence's sum of valences (empty when no word has a valence) and the spans of
    the sentences set aside (about someone else, or a yes/no question about a possible problem)."""
    words, lows, starts, ends, breaks, groups, valued, triggers, _ = tokens
    if lex is not lexicon():  # a store's learned words: the tokens carry what the shipped lexicon says
        valued = tuple(map(lex.words.__contains__, lows))
        triggers = tuple(map(lex.triggers.__contains__, lows))
    hits = find_phrases(lower, starts, lows, lex, groups)  # phrase rules are the same in every lexicon
    quotes = " '" in lower or '"' in lower or "\u201c" in lower or "\u2018" in lower
    quoted, doubted = _scare_quoted(lower, starts) if quotes else (None, ())
    hindsight = "sooner" in lower or "earlier" in lower or " ago" in lower
    without = "without" in lower and "how " in lower  # "How did I live without a cleaner for so long?" (hindsight.py)
    reversing = "wrong" in lower or "opposite" in lower
    moving = " from " in lower and _FROM_TO.search(lower) is not None  # a measure from one number to another (measures.py)
    if not hits and not doubted and True not in triggers and not hindsight and not reversing and not moving and not without:
        gap = _unmet(lower, text) if not _EXPECTING.isdisjoint(lows) else None
        if gap:
            compound = _compound(gap.weight, text)
            return compound, compound, (gap,), [], []
        asked = _asked_of_someone(lower, lows, starts, ends, breaks) if "?" in lower else []
        return 0.0, 0.0, (), [], asked  # no word or phrase with a valence: VADER's sum is 0 (the common case for chit-chat)
    cap_diff = _cap_differential(words)
    several = len(breaks) > 1
    # Which sentence rules can apply at all (one C-level look each, so most texts skip them).
    names = _MID_CAPS.search(text) is not None
    resolving = not RESOLVED.isdisjoint(lows)
    # a text of questions only (each sentence ends on one): "How was he with deadlines? Any issues?"
    asking_only = several and lower.count("?") >= len(breaks) and lower.rstrip()[-1:] == "?"
    conditional = "mind" in lower or "if you " in lower
    wishing = "been" in lower or "appreciate" in lower
    restricted = "less so" in lower or "that's" in lower or "so much" in lower
    conceding = not PIVOTS.isdisjoint(lows)
    warned = not WARNINGS.isdisjoint(lows)
    reversed_ = False  # a sentence said an expectation of the bad was wrong: the text tells a story (hindsight.py)
    previous = 0  # the first word of the sentence before
    total = 0.0
    others_total = 0.0  # what the sentences about someone else add
    worst = 1.0  # the most negative sentence not about someone else
    reasons: list[Reason] = []
    sums: list[float] = []  # each sentence's sum of valences, as read (before the story rules)
    aside: list[tuple[int, int]] = []  # the spans of the sentences set aside
    told: list[_Told] = []  # each sentence that moved the score
    improved = False  # a sentence opening with "now" told the change from a trouble before it
    turns: list[int] = []  # the first word of each sentence that tells of a trouble really solved ("fixed", "sorted")
    first = 0
    h = 0
    read_before = 0.0  # the sentence before's sum as read, before a question's words were set aside (replies.py)
    for last in breaks:
        stop = last + 1
        h_stop = h
        while h_stop < len(hits) and hits[h_stop].first <= last:
            h_stop += 1
        sentence_hits = hits[h:h_stop]
        h = h_stop
        sentence_lows = lows[first:stop]
        about_others = False
        sentence_sum = 0.0
        doubts = [d - first for d in doubted if first <= d <= last] if doubted else ()
        if several and resolving and not RESOLVED.isdisjoint(sentence_lows) and resolves(
            sentence_lows, _commas(lower, ends, first, last) if lower.find(",", starts[first], ends[last]) != -1 else []
        ):
            turns.append(first)
        sentence_valued = valued[first:stop] if several else valued
        # "For years I was embarrassed to smile in photos. Now I can't stop.": a sentence opening with "now" after
        # a trouble told with no praise tells the change from it (see IMPROVED)
        improving = first and sentence_lows[0] == "now" and total < 0 and not any(r.weight > 0 for r in reasons) and (
            not _praised_before(reasons, lex.words))
        late = hindsight and not LATE_WORDS.isdisjoint(sentence_lows)
        reversal = reversing and not REVERSALS.isdisjoint(sentence_lows)
        moved = moving and "from" in sentence_lows
        lived = without and sentence_lows[0] == "how" and "without" in sentence_lows
        # "Wouldn't hesitate to recommend. Not for a second.": a reply weighs as the sentence before (replies.py)
        reply = reply_weight(lows[previous:first], sums[-1], read_before, "?" in lower[ends[first - 1] - 1 : starts[first]]) if (
            first and sentence_lows[0] in OPENERS and is_reply(sentence_lows)) else 0.0
        read = 0.0
        if reply or improving or late or reversal or moved or lived or sentence_hits or doubts or True in (triggers[first:stop] if several else triggers):
            # (else every valence is 0)
            commas = _commas(lower, ends, first, last) if lower.find(",", starts[first], ends[last]) != -1 else []
            valences = _sentence_valences(
                words[first:stop], sentence_lows, first, last, sentence_hits, lex, cap_diff, commas, sentence_valued
            )
            if names:
                valences = _without_names(valences, words, first, stop, text, starts, sentence_hits)
            if quoted and quoted[0] <= last and quoted[-1] >= first:
                valences = [v * SCARE if v > 0 and first + k in quoted else v for k, v in enumerate(valences)]
            for k in doubts:  # a quoted label with no valence of its own ("SEO audit"): praise in it is irony already
                if not any(valences[k : _quote_end(quoted, first + k) - first]):
                    valences[k] = DOUBT
            if resolving and not RESOLVED.isdisjoint(sentence_lows):
                phrase_starts = {hit.first - first for hit in sentence_hits}
                valences = solved_problems(sentence_lows, valences, commas, phrase_starts) or valences
            if conceding and min(valences) < 0 and not PIVOTS.isdisjoint(sentence_lows):  # "Brutal deadline, ... and she delivered"
                valences = overcome_in_clause(sentence_lows, valences, commas, {hit.first - first for hit in sentence_hits}) or valences
            if commas and min(valences) < 0:
                valences = ironic_clauses(sentence_lows, valences, commas, lex.words) or valences
            if wishing and not _WISH_WORDS.isdisjoint(sentence_lows):
                valences = _wished(sentence_lows, valences)
            if moved:  # "Cart abandonment down from 78% to 52%"
                valences = measure_moved(sentence_lows, valences) or valences
            if warned and min(valences) < 0 and not WARNINGS.isdisjoint(sentence_lows[:3]):
                valences = mock_warning(sentence_lows, valences) or valences  # "Be warned, your neighbours will be jealous"
            if lived:  # "How did I live without a cleaner for so long?!"
                valences = lived_without(lower[starts[first] : ends[last]], sentence_lows, valences) or valences
            if late:  # "My only regret is not hiring him sooner."
                valences = found_late(sentence_lows, valences) or valences
            if reversal:  # "I expected another fee-grabbing marketplace. I was wrong."
                turned = reversed_expectation(
                    lower[starts[first] : ends[last]], sentence_lows, valences, _expectation(sentence_lows, valences, lows[previous:first], sums))
                if turned is not None:
                    reversed_ = reversed_ or max(turned) > max(valences)
                    valences = turned
            if sentence_lows[0] in DELIGHT and len(sentence_lows) > 3 and valences[0] > 0:
                valences = delight_in(sentence_lows, valences)  # "Love how a buyer can leave one star ..."
            if (conditional and _ON_CONDITION.search(lower, starts[first], ends[last])) or consoles(sentence_lows) or (
                thanks_unasked(sentence_lows)
            ):  # "great value if you don't mind redoing it", "At least the invoice ...", "..., thanks for asking."
                valences = praise_turned(valences)
            if first and (sentence_lows[0] in _TURNS or (restricted and _restricts(sentence_lows))) and total:
                # "Nice design. But the code was broken.": VADER's "but" across a full stop
                total *= 0.5
                others_total *= 0.5
                reasons[:] = [r._replace(weight=round(r.weight * 0.5, 3)) for r in reasons]
                valences = [v * 1.5 for v in valences]
                if told:  # what came before is halved for the serious-sentence rule and the story too
                    told[:] = [_halved(t, text, starts) for t in told]
                    worst = min(t.compound for t in told)
            end = starts[stop] if stop < len(starts) else len(text)
            question = "?" in lower[ends[last] - 1 : end]
            if reply:  # its words (VADER's "not") weigh nothing: it weighs as what it repeats or answers
                valences = [reply] + [0.0] * (len(valences) - 1)
            read = sum(valences)
            if min(valences) < 0:
                if question and sentence_hits and _admiring(sentence_hits[0].first - first, sentence_lows, valences):
                    valences[0] = 0.0
                factor, about_others = context_factor(
                    lower[starts[first] : ends[last]], sentence_lows, question, lower, starts[first],
                )
                valences = dampen(valences, factor)
                if about_others or not factor:
                    aside.append((starts[first], ends[last]))
                    if not factor and asks_openly(sentence_lows, lows[stop] if stop < len(lows) else ""):
                        valences = [0.0] * len(valences)
            elif question and asks_openly(sentence_lows, lows[stop] if stop < len(lows) else ""):
                valences = [0.0] * len(valences)  # "Was he responsive?" asks, it does not praise
                aside.append((starts[first], ends[last]))
            if improving and not question and min(valences) >= 0:
                valences[0] = IMPROVED
                improved = True
            sentence_sum = sum(valences)
            if sentence_sum:
                total += sentence_sum
                own_worst = 1.0
                if about_others:
                    others_total += sentence_sum
                elif several:  # the serious-sentence rule needs each sentence's own compound
                    own_worst = _compound(sentence_sum, text[starts[first] : end])
                    worst = min(worst, own_worst)
                if several:  # only a text of several sentences can tell a story (below)
                    told.append(_Told(sentence_sum, sum(v for v in valences if v < 0), len(reasons), about_others, own_worst, first, end))
                _add_reasons(reasons, text, starts, ends, first, valences, sentence_hits)
        elif asking_only and sentence_lows[0] in _ASKING_OF and _asks_of_someone(sentence_lows):
            aside.append((starts[first], ends[last]))  # "How was he with deadlines?": it asks, with no word to set aside
        sums.append(sentence_sum)
        read_before = read
        previous = first
        first = stop
    first_of_last = breaks[-2] + 1 if several else 0
    if several and told and min(t.total for t in told) < 0:  # else no story to tell
        story = improved or reversed_ or _PAST_STORY.search(lower) is not None
        arc = _overcome(told, story) if told[-1].total > 0 else 0
        if arc:
            total, others_total, worst = _retell(told[:arc], told[arc:], total, others_total, reasons)
        elif story:
            arc = _happy_ending(told)
            if arc:
                total, others_total, worst = _retell(told, [], total, others_total, reasons)
        if not arc:
            arc = (turns and _solved_turn(told, turns)) or _help_after_trouble(told, breaks, words, lows)
            if arc:
                total, others_total, worst = _retell(told[:arc], told[arc:], total, others_total, reasons, SITUATION_FACTOR)
                fix = _unpraised_fix(turns, told[arc - 1].first, breaks, lows, reasons, starts) if turns else None
                if fix is not None:  # "The repair shop recovered every file overnight.": the fix carries the praise
                    total += SOLVED_PRAISE
                    reasons.append(Reason(text[starts[fix] : ends[fix]], starts[fix], ends[fix], SOLVED_PRAISE))
                    reasons.sort(key=lambda r: r.start)
        if not arc and told[-1].total > 0 and _VERDICT.match(lower, starts[first_of_last]) and (
            reasons[told[-1].first_reason].start >= starts[first_of_last]  # the verdict is what told[-1] says
        ):
            total, others_total, worst = _retell(told[:-1], told[-1:], total, others_total, reasons, VERDICT_FACTOR)
    if total <= 0 and not _EXPECTING.isdisjoint(lows) and not any(r.weight > 0 for r in reasons):
        gap = _unmet(lower, text)
        if gap:
            total += gap.weight
            reasons.append(gap)
            reasons.sort(key=lambda r: r.start)
    compound = _compound(total, text) if total else 0.0
    if several and worst <= SERIOUS_SENTENCE and worst < compound:
        compound = worst
    if not others_total:
        return compound, compound, tuple(reasons), sums, aside
    own = total - others_total
    own_compound = _compound(own, text) if own else 0.0
    if several and worst <= SERIOUS_SENTENCE and worst < own_compound:
        own_compound = worst
    return compound, own_compound, tuple(reasons), sums, aside


def _expectation(lows: list[str], valences: list[float], before: list[str], sums: list[float]) -> float | None:
    """What an expectation told before a sentence's reversal weighs (hindsight.reversed_expectation): its clause
    before the reversal, else the sentence before; None when neither tells an expectation."""
    at = next((k for k, low in enumerate(lows) if low in REVERSALS), 0)
    at = next((k for k in range(at) if lows[k] in _TURNS), at)  # "Didn't expect much, but wow, I was wrong."
    if expecting(lows[:at]):
        return sum(valences[:at])
    if before and expecting(before):
        return sums[-1]
    return None


def _praised_before(reasons: list[Reason], words: dict[str, float]) -> bool:
    """Did a complaint told so far read praise of the past ("used to be brilliant", "was great until": a phrase holding
    a praise word)? Then a "now" after it is a decline, not an improvement."""
    return any(r.weight < 0 and " " in r.text and any(words.get(w, 0.0) > 0 for w in r.text.lower().split()) for r in reasons)


class _Told(NamedTuple):
    """One sentence's part in the score."""

    total: float
    negative: float  # what its negative words add
    first_reason: int  # its reasons start at this index of the text's reasons
    about_others: bool
    compound: float  # its own compound (1.0 when it cannot be the serious sentence)
    first: int  # the index of its first word
    end: int  # where its text ends (with the blanks after it)


def _unmet(lower: str, text: str) -> Reason | None:
    """An expectation told, then what came instead, in a text that praises nothing: "I asked for a trim and
    left with four inches gone.", "The quote said three days. The scaffolding was up for five weeks.", "Was
    promised a dedicated account manager. Have spoken to five different people." (not in a question). The
    reason spans the expectation."""
    m = _EXPECTATION.search(lower)
    if m is None or "?" in lower or not _OUTCOME.search(lower, m.end()):
        return None
    return Reason(text[m.start() : m.end()], m.start(), m.end(), UNMET)


def _wished(lows: list[str], valences: list[float]) -> list[float]:
    """The sentence's valences with what was only wished for turned (IRONY): praise that would, could or
    should have been was missing ("would have been nice to get an update", "could have been better"), and
    so is what a request asks for ("I'd appreciate a call back"); a trouble that would have been but for
    someone did not happen ("I would have been lost without her")."""
    out = valences
    but_for = "without" in lows or ("if" in lows and "not" in lows and "for" in lows)
    for i, v in enumerate(valences):
        if not v or (v < 0 and not but_for):
            continue
        if _counterfactual(lows, i) or (v > 0 and lows[i] == "appreciate" and i and lows[i - 1] in _REQUESTING):
            if out is valences:
                out = list(valences)
            out[i] = v * IRONY
    return out


def _counterfactual(lows: list[str], i: int) -> bool:
    """Is the word at i what would, could or should have been (said in the four words before it)?"""
    before = lows[max(0, i - 4) : i]
    return any(
        (w in _MODALS and before[j + 1 : j + 3] == ["have", "been"]) or (w in _MODALS_VE and before[j + 1 : j + 2] == ["been"])
        for j, w in enumerate(before)
    )


def _halved(told: _Told, text: str, starts: list[int]) -> _Told:
    """A sentence before a turn ("... But the cut is the best I've had in years."): it counts half."""
    total = told.total * 0.5
    compound = _compound(total, text[starts[told.first] : told.end]) if told.compound < 1.0 else 1.0
    return told._replace(total=total, negative=told.negative * 0.5, compound=compound)


def _solved_turn(told: list[_Told], turns: list[int]) -> int:
    """Where a story of a trouble that was solved turns: the index in `told` of the first sentence from the
    earliest resolution on ("Ravi sorted our profile, fixed the site"), when no word complains from there
    and something praises (0: none). "Emergency call-out on a Sunday for a leak. Fixed within the hour,
    fair price.": the trouble told before the fix is what was fixed."""
    for turn in turns:
        k = next((k for k, t in enumerate(told) if t.first >= turn), len(told))
        after = told[k:]
        if 0 < k and after and sum(t.total for t in told[:k]) < 0 and not any(t.negative for t in after) and sum(t.total for t in after) > 0:
            return k
    return 0


def _unpraised_fix(
    turns: list[int], trouble: int, breaks: list[int], lows: list[str], reasons: list[Reason], starts: list[int]
) -> int | None:
    """The index of the first word of a real resolution told after the trouble (whose last sentence starts
    at word `trouble`) that weighs nothing yet, or None: like solved.py's verbs, it carries the praise."""
    weighed = {r.start for r in reasons}
    for turn in turns:
        if turn <= trouble:
            continue
        for j in range(turn, breaks[bisect_left(breaks, turn)] + 1):
            if lows[j] in RESOLVED and starts[j] not in weighed:
                return j
    return None


def _help_after_trouble(told: list[_Told], breaks: list[int], words: list[str], lows: list[str]) -> int:
    """Where the provider enters a story that opened with the writer's trouble: the index in `told` of the
    first sentence after the last one with a negative word (0: no such story).

    "Boiler died on the coldest night of the year, two kids under five. Engineer was with us before
    midnight. Can't thank them enough.": the trouble is the situation someone was called to, not what they
    did. Told so when every negative word comes before the closing sentences, and
    - the opening names no one who could be blamed (no he/she/they) and no one is addressed or warned
      ("you": a letter to the provider, a warning to the reader), and tells of the writer (I, we, my, our)
      or of an event at some length (not a verdict like "Rude and unprofessional.");
    - the closing is told at some length (6+ words, not a tag like "Great." or "Thanks, Priya") and brings
      someone in: a name inside a sentence, he/she/they, or a resolution ("cleared it").
    """
    k = max((k for k, t in enumerate(told) if t.negative < 0), default=-1)
    if k < 0:
        return 0
    end = breaks[bisect_left(breaks, told[k].first)]  # the last word of the trouble
    if len(lows) - 1 - end < _CLOSING_WORDS or sum(t.total for t in told[: k + 1]) >= 0:
        return 0
    opening, closing = lows[: end + 1], lows[end + 1 :]
    if not _THIRD_PERSON.isdisjoint(opening) or not _YOU.isdisjoint(lows):
        return 0
    sentences = bisect_right(breaks, end)
    if _FIRST_PERSON.isdisjoint(opening) and len(opening) < _TOLD_AT_LENGTH * sentences:
        return 0
    openers = {b + 1 for b in breaks}
    named = any(
        words[j][:1].isupper() and j not in openers and not words[j].isupper() and words[j][:2] != "I'"
        for j in range(end + 1, len(words) - 2)  # not a signature ("Thanks, Priya")
    )
    if named or not _THIRD_PERSON.isdisjoint(closing) or not RESOLVED.isdisjoint(closing):
        return k + 1
    return 0


def _overcome(told: list[_Told], story: bool) -> int:
    """Where a story of an overcome struggle turns: the index of the first sentence of its happy end
    (0: the text is no such story).

    "I struggled with interviews for years ... then she helped me land the job. Got the offer!": a past
    trouble the service solved is part of the praise, not a complaint. The happy end is the longest run
    of closing sentences, after a negative start, that praises in at least two sentences (one upbeat
    line after a complaint, "Great.", is more often sarcasm), and strongly unless the start tells of
    the past (`story`: "for years", "used to", "I'd been").
    """
    need = _ARC_STORY_PRAISE if story else _ARC_PRAISE
    for k in range(len(told) - 1, 0, -1):
        end = told[k:]
        if sum(t.total for t in told[:k]) < 0 < end[0].total and min(t.total for t in end) > 0:
            if sum(t.total for t in end) >= need and (len(end) >= 2 or story) and sum(t.total > 0 for t in end) >= (1 if story else 2):
                return k
    return 0


def _happy_ending(told: list[_Told]) -> int:
    """Where a story of the past (`_PAST_STORY`) turns into a mostly happy end that still tells of a
    feeling or two ("... I passed. I panicked at midnight and she stayed calm."): the first sentence of
    the longest closing run that opens with praise and whose praise outweighs its negative words
    _HAPPY_MARGIN times (0: none). All the story's negative words are then its past or its nerves."""
    for k in range(1, len(told)):
        end = told[k:]
        praise = sum(t.total - t.negative for t in end)
        if end[0].total > 0 and sum(t.total for t in told[:k]) < 0 and sum(t.total for t in end) >= _ARC_STORY_PRAISE:
            if praise >= -_HAPPY_MARGIN * sum(t.negative for t in end):
                return k
    return 0


def _retell(
    before: list[_Told], after: list[_Told], total: float, others_total: float, reasons: list[Reason],
    factor: float = ARC_FACTOR,
) -> tuple[float, float, float]:
    """Total, others' total and worst sentence once the negative words `before` count `factor`
    (ARC_FACTOR: an overcome trouble)."""
    for t in before:
        change = (factor - 1.0) * t.negative
        total += change
        if t.about_others:
            others_total += change
    stop = after[0].first_reason if after else len(reasons)
    reasons[:stop] = [r._replace(weight=round(r.weight * factor, 3)) if r.weight < 0 else r for r in reasons[:stop]]
    return total, others_total, min((t.compound for t in after), default=1.0)


def _without_names(
    valences: list[float], words: list[str], first: int, stop: int, text: str, starts: list[int], hits: list[PhraseHit]
) -> list[float]:
    """Valences with proper names zeroed: a capitalised word inside a sentence names someone or something
    ("thanks again Rob", "the physio at Move Well", "Joy from the front desk"), it does not judge.

    Not in a title-case line ("Great Service From Start To Finish"), nor after a label, bullet or number
    ("Pros: Great value", "1. Excellent"), nor a phrase rule's match.
    """
    named = [k for k in compress(range(1, len(valences)), valences[1:]) if words[first + k][:1].isupper()]
    if hits:
        named = [k for k in named if all(hit.first != first + k for hit in hits)]
    if not named or sum(w[:1].isupper() for w in words[first:stop]) * 2 > stop - first:
        return valences
    out = list(valences)
    for k in named:
        word = words[first + k]
        if word.isupper() or word[:2] == "I'":
            continue  # ALL CAPS is VADER's emphasis; "I'd", "I'm" are no names
        before = text[: starts[first + k]].rstrip()[-1:]
        if before.isalpha() or before == ",":
            out[k] = 0.0
    return out


def _quote_end(quoted: list[int], start: int) -> int:
    """One past the last word of the quote whose first word is `start` (`quoted` holds runs of indices)."""
    k = bisect_left(quoted, start)
    while k + 1 < len(quoted) and quoted[k + 1] == quoted[k] + 1:
        k += 1
    return quoted[k] + 1


def _scare_quoted(lower: str, starts: list[int]) -> tuple[list[int], list[int]]:
    """Indices of the words inside short quotes ('optimised', "expert"): praise in scare quotes is irony;
    and of the first word of each quote that follows an article or "this"/"that" (a "certified" manager,
    the "SEO audit"): what the thing was called, held at a distance, is doubted."""
    out: list[int] = []
    doubted: list[int] = []
    for m in _SCARE_QUOTE.finditer(lower):
        if _NAMING.search(lower, max(0, m.start() - 24), m.start()):
            continue  # my "best friend", we call him "the fixer": a nickname, said with affection
        lo = bisect_left(starts, m.start())
        hi = bisect_left(starts, m.end())
        out.extend(range(lo, hi))
        if hi > lo and _LABELLED.search(lower, max(0, m.start() - 8), m.start()):
            doubted.append(lo)
    return out, doubted


def _restricts(lows: list[str]) -> bool:
    """Does the sentence take back what came before ("The photos, less so.", "That's about it.")?"""
    if len(lows) < 2:
        return False
    tail = (lows[-2], lows[-1].rstrip(".!?;"))
    if tail in _RESTRICTING or (tail == ("so", "much") and len(lows) > 2 and lows[-3] == "not"):
        return True
    if lows[0] != "that's":
        return False
    # "That's about it.", "That's about all I can say.", "That's the nicest thing I can say."
    return (tail[1] in ("it", "all") and len(lows) <= 4) or (
        tail[1] == "say" and 4 <= len(lows) <= 8 and lows[-2] == "can" and lows[-3] in ("i", "we"))


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
    commas: list[int],
    valued: Sequence[bool],
) -> list[float]:
    """Valences of one sentence's words (text words first..last), phrase rules included (`valued`: which words
    have a valence in `lex`)."""
    if not hits:
        return token_valences(words, lows, lex.words, cap_diff, _NONE, _NONE, commas, valued)
    phrase_at: dict[int, float] = {}
    consumed: set[int] = set()
    for hit in hits:
        i = hit.first - first
        lead = lows[i]
        negated = negated_before(lows, i, clause_start(commas, i)) and not (lead in ("never", "no", "not") or "n't" in lead)
        phrase_at[i] = phrase_weight(hit.weight, negated)
        consumed.update(range(i, min(hit.last, last) - first + 1))
    return token_valences(words, lows, lex.words, cap_diff, phrase_at, consumed, commas, valued)


def _commas(lower: str, ends: list[int], first: int, last: int) -> list[int]:
    """The words of the sentence first..last (as indices within it) that a comma follows."""
    out: list[int] = []
    stop = ends[last]
    p = lower.find(",", ends[first] - 1, stop)
    while p != -1:
        word = bisect_right(ends, p, first, last + 1) - 1
        if word >= first and (not out or out[-1] != word - first):
            out.append(word - first)
        p = lower.find(",", p + 1, stop)
    return out


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
    spans = {hit.first - first: (hit.start, hit.end) for hit in hits} if hits else None
    for i in compress(range(len(valences)), valences):  # the words with a non-zero valence
        start, end = (spans and spans.get(i)) or (starts[first + i], ends[first + i])
        out.append(Reason(text[start:end], start, end, round(valences[i], 3)))
