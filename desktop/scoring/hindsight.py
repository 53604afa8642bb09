"""Praise told in hindsight (round eighteen): a regret of not finding the service sooner, and a fear proved wrong.

"My only regret is not hiring him sooner.", "Why did nobody tell me about this garage years ago?": the regret is
for the time spent without the service, so it praises. Told so when the sentence regrets or wishes (a regret word,
"wish", "should have", "why didn't", "why did nobody"), names coming to the service (hire, find, book, join, call,
try, switch, discover, "tell me about") and says it came late ("sooner", "earlier", "years ago"), and holds no
other complaint word. Not "My only regret is hiring him at all" (nothing late), nor "I regret not leaving sooner"
(leaving is no coming to), nor "I wish I'd found someone else sooner" (someone else).

"I expected another fee-grabbing marketplace full of bots. I was wrong.", "Expected the worst ... Got the
opposite": being wrong about an expectation turns it, so it praises after an expectation of the bad (or of
nothing said), and complains after one of the good ("I thought they'd be reliable. I was wrong.").
"""
from __future__ import annotations

import re

SOONER = 1.5  # what a regret of finding the service late weighs: praise
REVERSED = 1.5  # what "I was wrong" / "the opposite" weighs after an expectation, in the sense the expectation turns

_LATE = frozenset(("sooner", "earlier"))
LATE_WORDS = _LATE | {"ago"}  # a sentence holding none of these regrets nothing late (the scorer's gate for found_late)
REVERSALS = frozenset(("wrong", "opposite"))  # a sentence holding neither reverses no expectation
_AGO = frozenset(("years", "months", "ages", "decades"))
_REGRETTING = frozenset(("regret", "regrets", "regretting", "wish", "wished", "wishing", "should", "should've", "shoulda",
                         "kicking"))
_WHY_NOT = frozenset(("didn't", "hadn't", "haven't", "nobody", "no-one", "noone", "wasn't"))
# Verbs of coming to a service (any form): what was regretted is that it came late.
_COMING = frozenset("""
hire hires hired hiring find finds found finding book booked booking join joined joining call called calling
try tried trying switch switched switching discover discovered discovering use used using contact contacted
contacting sign signed signing meet met meeting come came coming start started starting visit visited visiting
choose chose choosing pick picked picking
""".split())
# Verbs of learning of it come to it only with what was learned of ("tell me about this garage", "heard of them"), not
# "I wish they'd told me sooner" (a notice that came late).
_LEARNING = frozenset("tell told telling know knew known hear heard".split())
_OF = frozenset(("about", "of"))
_SOMEONE_ELSE = frozenset(("else", "another", "other", "different", "elsewhere"))
_WRITER = frozenset("i we my our i'd we'd i've we've i'm we're nobody".split())
_OTHERS = frozenset("they he she you it they'd he'd she'd you'd they've he's she's they're".split())
# Words of the regret frame itself, whose negative valence the rule takes over.
_FRAME = frozenset(("regret", "regrets", "regretting", "only", "nobody", "no-one", "noone", "not", "didn't", "hadn't",
                    "haven't", "wasn't", "never"))


def found_late(lows: list[str], valences: list[float]) -> list[float] | None:
    """The sentence's valences when it regrets finding the service late (the regret read as praise, SOONER on the
    word that says late), or None when it does not."""
    late = next((k for k, low in enumerate(lows) if low in _LATE or (low == "ago" and k and lows[k - 1] in _AGO)), -1)
    if late < 0 or (_REGRETTING.isdisjoint(lows) and not (lows[0] == "why" and not _WHY_NOT.isdisjoint(lows[:4]))):
        return None
    verb = next((k for k in range(late - 1, -1, -1) if lows[k] in _COMING or (
        lows[k] in _LEARNING and not _OF.isdisjoint(lows[k + 1 : k + 3]))), -1)
    if verb < 0 or not _SOMEONE_ELSE.isdisjoint(lows) or not _the_writers(lows, verb):
        return None
    if any(v < 0 and lows[k] not in _FRAME for k, v in enumerate(valences)):
        return None  # another complaint in it: "I wish they'd warned me about the fees sooner"
    out = [0.0 if v < 0 else v for v in valences]
    out[late] = max(out[late], SOONER)
    return out


def _the_writers(lows: list[str], verb: int) -> bool:
    """Is the coming at `verb` the writer's (the nearest person before it is I, we, my, or "nobody" told me), not
    someone else's ("They should have called me sooner")?"""
    for k in range(verb - 1, -1, -1):
        if lows[k] in _WRITER:
            return True
        if lows[k] in _OTHERS:
            return False
    return False


# "I was wrong", "we were so wrong", "proved me wrong", "how wrong I was": a confession of a wrong expectation.
_CONFESSED = re.compile(
    r"\b(?:(?:i|we) (?:was|were) (?:so |very |totally |completely |utterly |dead |quite )?wrong|(?:proved|proven) (?:me|us) wrong|"
    r"how wrong (?:i|we) (?:was|were))\b"
)
_OPPOSITE = re.compile(r"\b(?:got|was|were|is|found|received|experienced) (?:the |quite the )?(?:complete |exact |total |very )?opposite\b")
# Words that tell an expectation, a fear or an assumption.
_EXPECTING = frozenset("""
expected expect expecting thought assumed assume feared fear worried afraid scared sure convinced figured imagined
anticipated predicted braced nervous sceptical skeptical dreading dreaded suspected hoped hoping hope
""".split())


# A fear confessed wrong in one breath: "I was wrong to doubt the price", "we were wrong to worry".
_WRONG_TO_FEAR = re.compile(
    r"\bwrong to (?:doubt|worry|hesitate|fear|panic|be (?:sceptical|skeptical|nervous|worried|afraid|scared|wary))\b")
# Life before the service told as hard to imagine: "How did I live without a cleaner for so long?!"
LIVED_WITHOUT = re.compile(
    r"\bhow (?:did|have|had) (?:i|we) (?:ever )?(?:live|lived|cope|coped|manage|managed|survive|survived|get by|got by) without "
    r"(?:a|an|this|these|them|him|her|you|their|such)\b")  # (not "How do I cope without hot water for a week?")


def lived_without(lower: str, lows: list[str], valences: list[float]) -> list[float] | None:
    """The sentence's valences when it wonders how the writer lived without the service ("How did I live without a
    cleaner for so long?!"): a find praised, SOONER on "without"; None when it does not, or complains besides."""
    if LIVED_WITHOUT.search(lower) is None or any(v < 0 for v in valences):
        return None
    out = list(valences)
    out[lows.index("without")] = SOONER
    return out


def expecting(lows: list[str]) -> bool:
    """Does a sentence (or clause) tell an expectation, a fear or an assumption?"""
    return not _EXPECTING.isdisjoint(lows)


def reversed_expectation(lower: str, lows: list[str], valences: list[float], expectation: float | None) -> list[float] | None:
    """The sentence's valences when it says the expectation before it was wrong ("I was wrong", "Got the opposite"):
    its reversal weighs REVERSED against the expectation's sense (`expectation`: the sum of the expectation told
    before, in the sentence before or this one's clause before the confession; None when none was told).
    None when the sentence says no such thing."""
    if expectation is None:
        if _WRONG_TO_FEAR.search(lower) is None:
            return None
        expectation = -REVERSED  # "I was wrong to doubt the price.": the fear is told with its reversal
    m = _CONFESSED.search(lower) or _OPPOSITE.search(lower)
    if m is None:
        return None
    at = next((k for k, low in enumerate(lows) if low in REVERSALS), -1)
    if at < 0:
        return None
    out = list(valences)
    # ("wrong" after a "but" weighs VADER's 1.5 times); the expectation's own weight is taken back with it: a hope of
    # the good proved wrong complains by as much as it praised, a fear proved wrong praises by as much as it feared
    weight = (abs(valences[at]) or REVERSED) + abs(expectation)
    out[at] = -weight if expectation > 0 else weight
    return out
