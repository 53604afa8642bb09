"""VADER's per-word rules (lexicon, boosters, 3-word negation, "no", ALL CAPS, idioms, "least", "but"),
run once per token of a sentence instead of VADER's rebuilt word lists, so each valence keeps its word.

Two general fixes on top of VADER: "like" after a perception verb ("looks like plastic") or opening a
sentence before a determiner ("Like the last developer, he...") carries no sentiment, and "pretty"
before another word is a booster ("pretty bad"), not praise.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from itertools import compress

from vaderSentiment import vaderSentiment as vader

_B_INCR = vader.B_INCR
_C_INCR = vader.C_INCR
N_SCALAR = vader.N_SCALAR
_NEGATIONS = frozenset((*vader.NEGATE, "zero", "0"))  # "zero delays", "0 missed deadlines": a count of none denies
_PERCEPTION = frozenset(
    "look looks looked looking feel feels felt feeling seem seems seemed sound sounds sounded "
    "taste tastes tasted smell smells smelled smelt nothing something anything".split()
)
_DETERMINERS = frozenset("the a an my our his her their your every most many all any some so".split())
_SO_THIS = ("so", "this")
# Words that turn a clause: a negation or booster before one does not reach the words after it.
CLAUSE_TURNS = frozenset(("but", "however", "although", "though", "yet"))


def negated_word(low: str) -> bool:
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


# A negation over a comparison of degree is a superlative, not a denial: "My grades have never been better", "never
# felt safer", "It couldn't have been easier", "never seen such beautiful work" praise, "It has never been worse"
# complains (VADER denied each: "better" read -1.4). "never" before a change ("never got better", "never became
# easier") still denies: it tells what did not happen.
_COMPARATIVES = frozenset(
    "better worse happier easier cleaner stronger calmer safer friendlier prettier funnier luckier healthier livelier "
    "smoother faster quicker cheaper uglier nastier dirtier lousier trickier riskier harder".split()
)
_CHANGES = frozenset("got get gets getting became become becomes becoming grew grow turned improved".split())
_DEGREE_NEGATIONS = frozenset(("never", "couldn't", "couldnt", "can't", "cant", "cannot"))


def degree_negation(lows: list[str], j: int, i: int) -> bool:
    """Is the negation at j, before the sentiment word at i, a superlative ("never been better", "couldn't be
    easier", "never seen such beautiful work") rather than a denial?"""
    low = lows[j]
    if low not in _DEGREE_NEGATIONS and not (low == "not" and j and lows[j - 1] in ("could", "can")):
        return False
    between = lows[j + 1 : i]
    if lows[i] in _COMPARATIVES:
        return _CHANGES.isdisjoint(between)
    return low == "never" and "such" in between


def _negation(valence: float, lows: list[str], k: int, i: int) -> float:
    """VADER's _negation_check for the word k+1 places before i (k in 0..2), but for a superlative
    (degree_negation)."""
    if degree_negation(lows, i - k - 1, i):
        return valence * 1.25
    if k == 0:
        return valence * N_SCALAR if negated_word(lows[i - 1]) else valence
    if k == 1:
        if lows[i - 2] == "never" and lows[i - 1] in _SO_THIS:
            return valence * 1.25
        if lows[i - 2] == "without" and lows[i - 1] == "doubt":
            return valence
        return valence * N_SCALAR if negated_word(lows[i - 2]) else valence
    if (lows[i - 3] == "never" and lows[i - 2] in _SO_THIS) or lows[i - 1] in _SO_THIS:
        return valence * 1.25
    if lows[i - 3] == "without" and (lows[i - 2] == "doubt" or lows[i - 1] == "doubt"):
        return valence
    return valence * N_SCALAR if negated_word(lows[i - 3]) else valence


# The last words of VADER's multi-word idioms and boosters: where none of the words an idiom could end on
# is one of them, no idiom applies and none of its phrases need building.
_IDIOM_ENDS = frozenset(key.split()[-1] for key in (*vader.SPECIAL_CASES, *vader.BOOSTER_DICT) if " " in key)


def _idioms(valence: float, lows: list[str], i: int) -> float:
    """VADER's _special_idioms_check (only reached when i >= 3)."""
    special = vader.SPECIAL_CASES
    w3, w2, w1, w0 = lows[i - 3], lows[i - 2], lows[i - 1], lows[i]
    if _IDIOM_ENDS.isdisjoint(lows[i - 2 : i + 3]):
        return valence
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


def _word_valence(words: list[str], lows: list[str], i: int, lex: dict[str, float], cap_diff: bool, floor: int) -> float:
    """VADER's sentiment_valence for the lexicon word at i (lows is one sentence); the words it looks back
    at start at `floor` (after the last comma before it)."""
    low = lows[i]
    valence = base = lex[low]
    n = len(lows)
    if low == "no" and i != n - 1 and lows[i + 1] in lex:
        valence = 0.0
    if (i - 1 >= floor and lows[i - 1] == "no") or (i - 2 >= floor and lows[i - 2] == "no") or (
        i - 3 >= floor and lows[i - 3] == "no" and lows[i - 1] in ("or", "nor")
    ):
        valence = base * N_SCALAR
    if cap_diff and words[i].isupper():
        valence += _C_INCR if valence > 0 else -_C_INCR
    window = lows[max(floor, i - 3) : i]
    if not (_LOOK_BACK.isdisjoint(window) and "n't" not in " ".join(window) and _IDIOM_ENDS.isdisjoint(lows[max(0, i - 2) : i + 3])):
        valence = _look_back(words, lows, i, lex, cap_diff, floor, valence)  # else nothing around could change it
    if i - floor > 3 and not _NPI.isdisjoint(lows[max(floor, i - NPI_REACH) : i]) and npi_negated(lows, i, floor):
        valence *= N_SCALAR
    elif i - floor > 3 and lows[i - 1] in _FEEL and lows[i - 3] in _MAKE and negated_word(lows[i - 4]):
        valence *= N_SCALAR  # "never makes you feel stupid", "didn't make me feel welcome": VADER's window ends at "makes"
    elif valence < 0 and i - floor > 3 and (lows[i - 1] in _HAPPEN or lows[i - 2] in _HAPPEN or lows[i - 3] in _HAPPEN) and (
            had_happen(lows, i, floor)):
        valence *= N_SCALAR  # "Never had a payment go missing": what never happened to it
    if i - 1 >= floor and lows[i - 1] == "least" and "least" not in lex:
        if i == 1 or lows[i - 2] not in ("at", "very"):
            valence *= N_SCALAR
    return valence


# A negation of making someone feel reaches the feeling, one word past VADER's three ("The helpdesk never makes you
# feel stupid for asking" praises, "She didn't make me feel welcome" complains).
_MAKE = frozenset(("make", "makes", "made", "making"))
_FEEL = frozenset(("feel", "feels", "felt"))

# A negation of having something happen to a thing reaches what happened (round eighteen): "Never had a payment go
# missing", "I've never had a cut turn out wrong", "not once had a parcel arrive damaged" deny the trouble (VADER's
# window ends at "a payment").
_HAPPEN = frozenset("go goes went get gets got turn turns turned come comes came arrive arrives arrived end ends ended".split())
_HAVING = frozenset(("had", "have", "has"))


def had_happen(lows: list[str], i: int, floor: int = 0) -> bool:
    """Is the word at i what a negated "had X go/get/turn/arrive ..." says never happened (within its clause)?"""
    verb = next((j for j in range(i - 1, max(floor, i - 4) - 1, -1) if lows[j] in _HAPPEN), -1)
    if verb < 0:
        return False
    for h in range(verb - 2, max(floor, verb - 4) - 1, -1):  # "had a payment go", "had a single cut turn"
        if lows[h] in _HAVING:
            return h > floor and (negated_word(lows[h - 1]) or (lows[h - 1] == "once" and h - 1 > floor and lows[h - 2] == "not"))
        if lows[h] in _SCOPE_ENDS:
            return False
    return False


# Negative-polarity words carry a negation further than VADER's three words, to the sentiment word of their
# clause: "Not a single thing went wrong", "never had a single chargeback problem", "Not once did they miss
# a deadline", "I can't think of anything negative to say".
_NPI = frozenset("any anything anyone anybody single once ever".split())
_SCOPE_ENDS = frozenset("and but or because until when so then which while though although however yet except apart".split())
NPI_REACH = 12  # how many words back from the sentiment word the negation may be (clause ends stop it sooner)


def npi_negated(lows: list[str], i: int, floor: int = 0) -> bool:
    """Is the word at i in the scope of a negation 4 to NPI_REACH words back (within its clause, from
    `floor`), carried there by a negative-polarity word in between ("not a single thing went wrong")?

    VADER's own window covers the three words before i. A word that joins or ends a clause ("and", "but",
    "until") stops the scope, and an opening "don't" gives an order, it denies nothing ("Just don't click
    anything in the wrong order").
    """
    npi = False
    for j in range(i - 1, max(floor, i - NPI_REACH) - 1, -1):
        low = lows[j]
        if low in _SCOPE_ENDS:
            return False
        if low in _NPI:
            npi = True
        elif negated_word(low):
            imperative = low in ("don't", "dont") and (j == floor or lows[j - 1] in ("just", "please", "so"))
            return npi and j < i - 3 and not imperative
    return False


def _look_back(words: list[str], lows: list[str], i: int, lex: dict[str, float], cap_diff: bool, floor: int, valence: float) -> float:
    """VADER's boosters, negations and idioms in the three words before i (back to `floor`)."""
    took = False  # a negative word between took the negation: "wouldn't hesitate to recommend" praises
    for k in range(3):
        j = i - k - 1
        if j < floor or lows[j] in CLAUSE_TURNS:
            break  # negation and boosters do not reach across "but" ("not cheap, but great") or a comma
            # ("Never delivered, awful, total scam": "awful" is one more complaint, not a denied one)
        if lows[j] in lex:
            took = took or (lex[lows[j]] < 0 and valence > 0)
            continue
        s = _booster(words[j], lows[j], valence, cap_diff)
        if s:
            valence += s * (1.0, 0.95, 0.9)[k]
        if not took:
            valence = _negation(valence, lows, k, i)
        if k == 2:
            valence = _idioms(valence, lows, i)
    return valence


# Words whose presence in the three before a lexicon word can change its valence (boosters, negations and
# the words _negation checks); any word with "n't" too.
_LOOK_BACK = frozenset((*vader.BOOSTER_DICT, *_NEGATIONS, "pretty", "never", "without", "doubt", *_SO_THIS))


# Slang that praises when it describes a thing ("the fight scene was sick", "Killer copy.", "sick at
# fades") and keeps its literal sense for a person ("I was sick that night", "made me feel sick").
_SLANG = frozenset(("sick", "wicked", "killer", "insane", "dope", "fire"))
SLANG_PRAISE = 2.0
_COPULAS = frozenset(("is", "was", "are", "were", "looks", "sounds", "it's", "that's", "this's"))
_SLANG_ADVERBS = frozenset("so absolutely properly actually well proper really totally just pretty honestly".split())
_PERSONS = frozenset(
    "i we you he she they me us him her them everyone everybody kid kids son daughter baby child husband wife "
    "partner mum mom dad dog cat i'm we're you're he's she's they're".split()
)
_POSSESSIVES = frozenset(("my", "our", "his", "her", "their", "your"))
_NOT_NOUNS = frozenset("of to and with in at from for as after from".split())


def _slang_praise(words: list[str], lows: list[str], i: int, floor: int = 0, before: Sequence[float] = ()) -> bool:
    """Does the slang word at i describe a thing (praise) rather than a person or a feeling? `floor`: the first word of
    its clause; `before`: the valences of the words before it."""
    n = len(lows)
    after = lows[i + 1] if i + 1 < n else ""
    if after == "at":
        return True  # "sick at fades": skilled at
    j = i - 1
    while j >= 0 and lows[j] in _SLANG_ADVERBS:
        j -= 1
    if j < 0:  # opens the sentence: "Sick drum mix", "Killer copy" (not "Sick of waiting")
        return bool(after) and after not in _NOT_NOUNS
    if j < floor and after and after not in _NOT_NOUNS and after not in _PERSONS and after not in _POSSESSIVES and (
            SLANG_PRAISE in before and min(before) >= 0):
        return True  # round eighteen: a list of it after a comma ("Sick fade, sick chat, sick coffee")
    if lows[j] not in _COPULAS:
        return False  # "felt sick", "got sick", "made me sick"
    if lows[j] in ("it's", "that's", "this's"):
        return True
    subject = j - 1
    return subject >= 0 and lows[subject] not in _PERSONS and not (subject > 0 and words[subject][:1].isupper())


# "alone" is lonely (VADER's -1.0) only when it tells how someone is, feels or was left: after a verb of being,
# feeling or leaving, or a person ("I felt so alone", "left me alone", "we were all alone"). After a thing it
# singles that thing out ("That alone is worth five stars", "the fees alone", "this week alone") and "let alone"
# compares: neither judges.
_ALONE_STATES = frozenset(
    "am is are was were be been being i'm we're you're he's she's they're it's feel feels felt feeling left leave "
    "leaves leaving me us him her them you myself ourselves himself herself themselves yourself".split()
)
_ALONE_ADVERBS = frozenset("all so very completely totally utterly entirely really quite just".split())


def _lonely(lows: list[str], i: int) -> bool:
    """Is "alone" at i someone's state (lonely), not a thing singled out?"""
    j = i - 1
    while j >= 0 and lows[j] in _ALONE_ADVERBS:
        j -= 1
    return j >= 0 and lows[j] in _ALONE_STATES


# "joke" is VADER's praise (+1.2) when told ("cracked jokes", "a joke about"), and a verdict of worthlessness when
# something *is* one: "Support is a joke", "Absolute joke of a company", "what a joke" (denied, "no joke", it is
# serious praise: "their vetting is no joke").
JOKE_VERDICT = -1.8  # as "useless"
_JOKE_DEGREE = frozenset("total absolute complete utter bloody such sick bad cruel running".split())
_TELLING = frozenset("told tell tells telling made make makes crack cracked cracks share shared as like with".split())


def _joke_verdict(lows: list[str], i: int) -> bool:
    """Is "joke" at i what something is (a verdict), not a joke told?"""
    if i == 0:
        return False
    before = lows[i - 1]
    if before in _JOKE_DEGREE:
        return not (before == "running" or (i > 1 and lows[i - 2] in _TELLING))
    return before in ("a", "an", "no") and not (i > 1 and lows[i - 2] in _TELLING)


# A hyperbolic adverb before a quality a customer wants that VADER has no word for ("stupidly fast", "ridiculously
# quick", "crazily detailed") exaggerates that quality: praise (VADER read the adverb alone, "stupidly" -2.0). Only
# adverbs of exaggeration: "dangerously fast", "suspiciously cheap", "alarmingly quick" keep their warning.
_HYPERBOLE = frozenset(("stupidly", "ridiculously", "ludicrously", "crazily", "freakishly", "crazy", "stupid", "insane"))
_WANTED_QUALITIES = frozenset(
    "fast quick quickly speedy prompt detailed thorough accurate precise cheap affordable reliable simple smooth "
    "punctual tidy organised organized".split()
)
HYPERBOLE_PRAISE = 1.5

# "stuck" is VADER's trouble (-1.0) when someone is stuck ("we're stuck with a broken boiler", "I've been stuck with
# them for years"); kept at by someone ("I've stuck with it for three months!", "we have always stuck with them") it
# tells loyalty, no trouble (round nineteen: blind17's "I've stuck with it for three months!" read as a complaint).
_PERFECT = frozenset(("have", "has", "i've", "we've", "you've", "they've", "'ve"))
_KEEPING_ADVERBS = frozenset(("always", "just", "really", "happily", "loyally", "now", "since", "faithfully"))


def _kept_at(lows: list[str], i: int) -> bool:
    """Is "stuck" at i an active perfect with "with" ("I've stuck with it"), not a state ("been stuck with")?"""
    if i + 1 >= len(lows) or lows[i + 1] != "with":
        return False
    j = i - 1
    if j > 0 and lows[j] in _KEEPING_ADVERBS:
        j -= 1
    return j >= 0 and lows[j] in _PERFECT


# The words token_valences treats specially before VADER's rules (with negative adverbs ending in "ly").
_RULED = frozenset((*vader.BOOSTER_DICT, "kind", "pretty", "like", "late", "alone", "joke", "stuck", *_SLANG, *_HYPERBOLE))


def token_valences(
    words: list[str], lows: list[str], lex: dict[str, float], cap_diff: bool, phrases: dict[int, float],
    consumed: set[int], commas: list[int] = (),  # type: ignore[assignment]
    valued: Sequence[bool] | None = None,
) -> list[float]:
    """Valence per word of one sentence, VADER's rules plus phrase weights (placed at the phrase's first word).

    Only lexicon words (and a final "pretty") can carry a valence, so only they are visited (`valued`: which
    words are in `lex`, when the caller knows already). `commas`: the words a comma follows (ascending);
    look-backs stop there.
    """
    boosters = vader.BOOSTER_DICT
    n = len(lows)
    out = [0.0] * n
    for i, weight in phrases.items():
        out[i] = weight
    gone = _gone(lows, lex, consumed, phrases, commas) if "no" in lows else ()
    for i in compress(range(n), map(lex.__contains__, lows) if valued is None else valued):
        if i in consumed:
            continue
        low = lows[i]
        if low not in _RULED and low[-2:] != "ly":  # most words: none of the exceptions below apply
            out[i] = _word_valence(words, lows, i, lex, cap_diff, clause_start(commas, i) if commas else 0)
            if out[i] < 0 and i + 1 < n and lows[i + 1] in _GUARDS:
                out[i] = 0.0
            continue
        if low in boosters or (low == "kind" and i < n - 1 and lows[i + 1] == "of") or low == "pretty":
            continue
        if low == "like" and (_compares(lows, i) if i > 0 else n > 1 and lows[1] in _DETERMINERS):
            continue  # "looks like plastic", "a project like that", "Like the last developer, he ...": a comparison
        if low[-2:] == "ly" and i < n - 1 and lex[low] < 0 and lex.get(lows[i + 1], 0.0) > 0:
            continue  # "ridiculously good": a negative adverb before praise only intensifies it
        if low in _HYPERBOLE and i < n - 1 and lows[i + 1] in _WANTED_QUALITIES:
            out[i] = HYPERBOLE_PRAISE  # "Stupidly fast boiler repair", "ridiculously quick": praise VADER has no word for
            continue
        if low == "late" and i and lows[i - 1] in _POSSESSIVES:
            continue  # "my late mother": deceased, not a delay
        if low == "alone" and not _lonely(lows, i):
            continue  # "That alone is worth five stars": the thing singled out, not loneliness
        if low == "stuck" and _kept_at(lows, i):
            continue  # "I've stuck with it for three months!": kept at, not a trouble
        if low == "joke" and _joke_verdict(lows, i):
            # the verdict's weight, through VADER's negation and boosters ("no joke" praises)
            out[i] = _word_valence(words, lows, i, lex, cap_diff, clause_start(commas, i)) * JOKE_VERDICT / lex[low]
            continue
        if low in _SLANG and _slang_praise(words, lows, i, clause_start(commas, i) if commas else 0, out[:i]):
            out[i] = SLANG_PRAISE
            continue
        out[i] = _word_valence(words, lows, i, lex, cap_diff, clause_start(commas, i))
    for i in gone:  # "No more back pain": the trouble gone carries it, "no" is no complaint
        if lows[i] == "no":
            out[i] = 0.0
        elif out[i] < 0 and (i in phrases or not (lows[i - 1] == "no" or (i > 1 and lows[i - 2] == "no"))):
            # (VADER denied a word one or two after "no" already; a phrase it does not see)
            out[i] = -out[i] * GONE
    if "or" in lows or "nor" in lows:
        _deny_the_list(lows, lex, out)
    if lows[0] in _DENYING_SUBJECTS and "too" in lows:  # "No question was too silly for the midwife."
        _excess_denied(lows, lex, out, commas)
    if lows[-1] == "pretty" and n - 1 not in consumed and lows[-1] not in boosters:
        out[-1] = 2.2  # "pretty" before another word is a booster ("pretty bad"); last, it is praise
    if "but" in lows:
        b = lows.index("but")
        out = [v * 0.5 if k < b else v * 1.5 if k > b else v for k, v in enumerate(out)]
    return out



# An excess denied of everything asked ("No question was too silly for the midwife.", "Not one request was too much for
# the team", "Nothing was too much trouble."): the negation opens the sentence, far from "too" (past VADER's window,
# so "no" read as a complaint of its own); the sentence praises. Not a litotes of praise ("None of them were too happy",
# "No room was too clean"), nor a reply before a comma ("No, the room was too small.").
EXCESS_DENIED = 1.5
_DENYING_SUBJECTS = frozenset(("no", "nothing", "none", "not"))
_BEING = frozenset("was is were are seemed seems felt feels ever".split())
_EXCESS_REACH = 6  # "too" among the sentence's first words


def _excess_denied(lows: list[str], lex: dict[str, float], out: list[float], commas: list[int]) -> None:
    """Read a denied excess opening the sentence as praise (EXCESS_DENIED on "too", the complaint words up to the two
    after it zeroed), in place."""
    t = lows.index("too")
    if not 1 < t <= _EXCESS_REACH or t + 1 >= len(lows) or lows[t - 1] not in _BEING or (commas and commas[0] < t):
        return
    if lows[0] == "not" and lows[1] not in ("one", "a", "once"):
        return  # "Not one request", "Not a single job"; not "Not all rooms were too clean"
    if lex.get(lows[t + 1], 0.0) >= 0.5:
        return  # "No room was too clean": a litotes, faint or worse
    for k in range(t + 3 if t + 3 <= len(lows) else len(lows)):
        if out[k] < 0:
            out[k] = 0.0
    out[t] = EXCESS_DENIED


def _deny_the_list(lows: list[str], lex: dict[str, float], out: list[float]) -> None:
    """A negation over a list reaches each item joined by "or"/"nor" ("never once been late, rude or sloppy",
    "no delays, excuses or surprises"): where the list's first word was denied, its other words are too."""
    n = len(lows)
    for m, low in enumerate(lows):
        if low not in ("or", "nor") or m == 0 or m + 1 >= n:
            continue
        items = [k for k in range(max(0, m - 4), min(n, m + 2)) if k != m and lows[k] in lex and out[k]]
        if len(items) < 2:
            continue
        first = items[0]
        if out[first] * lex[lows[first]] >= 0:
            continue  # the first item was not denied
        for k in items[1:]:
            if out[k] * lex[lows[k]] > 0 and (lex[lows[k]] < 0) == (lex[lows[first]] < 0):
                out[k] *= N_SCALAR


# "like" is praise as a verb, after its subject ("I like", "we really liked", "don't like"); after anything else it
# compares ("a project like that", "exactly like it's supposed to", "feels like", "nothing like the photos").
_LIKE_SUBJECTS = frozenset(
    "i we you they he she people everyone everybody clients customers users kids who i'd we'd you'd they'd would "
    "to do does did don't didn't doesn't dont didnt i'll we'll".split()
)
_LIKE_ADVERBS = frozenset("really also just all both actually genuinely truly particularly especially definitely still "
                          "so very much always".split())


def _compares(lows: list[str], i: int) -> bool:
    """Is "like" at i (not the first word) a comparison, not the verb?"""
    j = i - 1
    while j >= 0 and lows[j] in _LIKE_ADVERBS:
        j -= 1
    return j >= 0 and (lows[j] in _PERCEPTION or lows[j] not in _LIKE_SUBJECTS)


# A trouble named as what a tool or service deals with is no complaint: "passed our plagiarism check", "the spam
# filter", "fraud protection", "pain relief", "stain removal", "damage repair".
_GUARDS = frozenset(
    "check checks checker checking scan scans scanner filter filters protection detection prevention control relief "
    "removal remover repair repairs insurance cover test tests testing proofing treatment treatments".split()
)
# "No more back pain", "no resort fee hiding at checkout", "no hidden extras": a trouble said to be absent praises
# (VADER's negation of a negative word, about +1.9 for "pain"), and the "no" that says so is no complaint of its own.
# VADER itself denies a word one or two after "no" but keeps the "no"'s -1.2 when the next word is not in its lexicon;
# a refund is the one trouble word whose absence is the complaint ("no refund").
GONE = -N_SCALAR
_GONE_REACH = 3
_WANTED = frozenset(("refund", "refunds"))


def _gone(lows: list[str], lex: dict[str, float], consumed: set[int], phrases: dict[int, float], commas: list[int]) -> tuple[int, ...]:
    """The troubles said to be absent ("no" then a negative word or complaint phrase within three words, in its
    clause), each after the "no" that says so."""
    out: list[int] = []
    n = len(lows)
    for j, low in enumerate(lows):
        if low != "no":
            continue
        for k in range(j + 1, min(n, j + 1 + _GONE_REACH)):
            if lows[k] in _SCOPE_ENDS or (k - 1) in commas:
                break
            if lows[k] in _WANTED:
                break
            if phrases.get(k, 0.0) < 0 or (k not in consumed and lex.get(lows[k], 0.0) < 0):
                out += (j, k)
                break
    return tuple(out)


def clause_start(commas: list[int], i: int) -> int:
    """The first word of i's clause: just after the last comma before it."""
    if not commas:
        return 0
    k = bisect_left(commas, i)
    return commas[k - 1] + 1 if k else 0


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


