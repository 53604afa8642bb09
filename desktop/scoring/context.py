"""Sentence rules: how much a sentence's negative words count, by what the sentence is about.

About someone else (an earlier freelancer, "my old phone") or taking over their work: a quarter.
A yes/no question ("Any delays?"): nothing, and an open one ("Was he responsive?") asks, so its praise counts
nothing too. A sentence that calls itself minor: half.
"""
from __future__ import annotations

import re

# Negative words in a sentence that talks about someone else (an earlier freelancer, agency or team,
# or the thing a product replaced) count a quarter: "our previous developer vanished", "the last agency",
# "the guy before her", "after two agencies let us down", "unlike", "my old phone".
_PEOPLE = (
    r"(?:freelancers?|developers?|devs?|designers?|writers?|copywriters?|agenc(?:y|ies)|contractors?|vendors?|"
    r"teams?|compan(?:y|ies)|firms?|studios?|shops?|coders?|programmers?|engineers?|consultants?|providers?|"
    r"builders?|photographers?|illustrators?|editors?|translators?|marketers?|assistants?|webmasters?|"
    r"people|person|persons|guys?|girls?|gals?|man|woman|ones?|hires?|sellers?|owners?|outfits?|partners?|"
    r"garages?|salons?|clinics?|dentists?|vets?|plumbers?|electricians?|mechanics?|doctors?|surgery|practices?|"
    r"landlords?|agents?|banks?|printers?|tutors?|instructors?|cleaners?|bookkeepers?|accountants?|solicitors?|"
    r"lawyers?|attorneys?|trainers?|coaches|coach|therapists?|movers?|schools?|gyms?|advisers?|advisors?|"
    r"hairdressers?|barbers?|drivers?|teachers?|nurser(?:y|ies)|places?|services?)"
)
_ELSEWHERE = re.compile(
    r"\b(?:(?:at|from|with|by|to|in|than) another|previous|prior(?! to\b)|former|ex|last|past|other|earlier|old|original)[\s-]+(?:[\w']+\s+)?"
    + _PEOPLE
    + r"\b|\b(?:experiences?|attempts?) (?:with|before)\b|\b(?:previous|prior|former|earlier|past) (?:experiences?|attempts?)\b"
    r"|\b(?:my|our) (?:old|previous|former|last|usual|regular) [\w'-]+|\bunlike\b"
    r"|\b" + _PEOPLE + r" (?:(?:we|i) (?:had|used|hired|tried) )?before (?:him|her|them|you|that|this)\b"
    r"|\bfirst [\w']*\s*" + _PEOPLE + r" (?:we|i) (?:hired|tried|called|used|had|booked|went to)\b"
    # round sixteen: "elsewhere" (not "go elsewhere", "look elsewhere": a warning to the reader), where the writer comes from ("Coming from a translation agency that charged triple",
    # "switched from another platform"), a trouble had with an indefinite someone ("After a nightmare with a freelancer
    # who copied templates", "after months with an agency"), several of them judged on the way ("two awful agencies")
    r"|\b(?!(?:go|goes|going|went|gone|look|looks|looking|looked|shop|shopping|take|taking|took|try|trying|tried|move|moving|"
    r"moved|head|heading|off|business|money|custom)\b)[\w']+ (?:elsewhere|somewhere else)\b"
    r"|\b(?:coming|came|switching|switched|moving|moved) (?:over )?from (?:a|an|my|our|another|two|three|several|other)\b"
    r"|\bafter (?:[\w'-]+ ){0,4}with (?:a|an|another|two|three|several|some) (?:[\w'-]+ )?" + _PEOPLE + r"\b"
    r"|\b(?:two|three|four|five|several|multiple|many|a few|a couple of) (?:other |different |[a-z]+ )?"
    r"(?:freelancers|developers|devs|designers|writers|agencies|contractors|vendors|teams|companies|firms|studios|"
    r"coders|programmers|consultants|people|lawyers|trainers|coaches|therapists|movers|schools|gyms|garages|"
    r"salons|clinics|dentists|plumbers|electricians|mechanics|cleaners|tutors|photographers|builders)\b"
)
# Hearsay of complaints (round eighteen): what others complain of or what the writer read of it before is not the
# writer's complaint ("Everyone moans about the fees.", "Read all the horror stories on here before joining"): a
# quarter, like a sentence about someone else. Not a warning given to the writer ("Everyone warned me"): it agrees.
_HEARSAY = re.compile(
    r"\b(?:everyone|everybody|people|others|folks|some people|many people|lots of people|a lot of people|reviewers) "
    r"(?:\w+ )?(?:moans?|moaning|complains?|complaining|complained|whinges?|whinging|grumbles?|grumbling|gripes?)\b"
    r"|\b(?:read|reading|heard|hearing|seen|saw|seeing) (?:\w+ ){0,3}?(?:horror stories|bad reviews|negative reviews|"
    r"terrible reviews|awful reviews|mixed reviews|complaints|scare stories)\b"
)
_HEARSAY_WORDS = frozenset("everyone everybody people others folks reviewers read reading heard hearing seen saw seeing".split())
# A sentence without one of these words (or "ex-"/"ex ") cannot match _ELSEWHERE: a set look-up
# on its words spares most sentences the regex.
_ELSEWHERE_WORDS = frozenset(
    "previous prior former ex last past other another earlier old original unlike before experience experiences usual regular "
    "attempt attempts two three four five several multiple many few couple first elsewhere else coming came switching switched "
    "moving moved after".split()
)
# A sentence after one about someone else that tells of taking over their work: its negative words
# describe what was taken over ("Sam picked up the half-finished code"), so they count a quarter too.
_TAKEOVER = re.compile(
    r"\b(?:took|taken|take|takes|taking) over\b|\b(?:picked|pick|picks|picking) up\b|\binherit\w*|"
    r"\bstep(?:ped|s)? in\b|\b(?:rescued|salvaged|saved|untangled|rebuilt|redid|cleaned up|sorted out|came in|"
    r"turned (?:it|things|\w+) around)\b|\bleft off\b|\bleft (?:us|me|behind)\b"
)
# A yes/no question ("Was he responsive? Any delays?") asks about a problem, it does not report one:
# its negative words do not count. Rhetorical questions ("Why did it take three months?",
# "How is it still not finished?", "Did he even test it?", "Is it still broken?") keep their weight.
_YES_NO_START = frozenset(
    "was were is are am did does do has have had any anyone anybody can could would should will "
    "wasn't weren't isn't aren't didn't doesn't don't hasn't haven't".split()
)
_MINOR_WORDS = frozenset("only minor small slight slightly tiny little bit hiccup hiccups understandable deal worst picky fussy".split())
_HOW_WAS = frozenset(("was", "were"))
_RHETORICAL = frozenset(("even", "seriously", "honestly", "really", "still"))
YES_NO_FACTOR = 0.0
# Negative words in a sentence that calls itself minor count half.
_MINOR = re.compile(
    r"\b(?:(?:the|my|our|one) only|only (?:minor|small|issue|downside|complaint|thing|problem|con|negative|gripe|quibble|niggle|criticism)|"
    r"(?:the )?worst (?:thing|part|bit) (?:i|we|you) (?:can|could) (?:say|think of|find)|"
    r"minor|small|slight(?:ly)?|tiny|a (?:little|bit)|nitpick\w*|hiccups?|understandable|"
    r"(?:if (?:i'm|i am|i was|we're|we are) (?:being )?(?:really |very )?(?:picky|fussy))|"  # round eighteen
    r"(?:no|not a) big deal)\b"
)



def is_yes_no_question(lows: list[str]) -> bool:
    """Does the sentence (its lower-case words; the caller knows it ends with '?') ask a yes/no question?"""
    head = lows[0]
    if head == "how":
        return len(lows) > 1 and lows[1] in _HOW_WAS
    return head in _YES_NO_START and _RHETORICAL.isdisjoint(lows)


# A yes/no question asks about a possible good as much as about a possible problem ("Was he responsive? Any
# delays?"): its praise counts nothing either. Unless the writer asks it of their own experience ("Would I hire
# him again?", "Was it worth it? Absolutely.": answered at once) or negates it ("Isn't she amazing?"): praise.
_ASKED_OF_ONESELF = frozenset("would did do does was were am have had will".split())
ONESELF = frozenset(("i", "we"))  # the writer as a question's subject ("Would I hire him again?"; replies.py too)
_ANSWERS = frozenset("yes yep yeah yup absolutely definitely totally certainly 100 course".split())


def asks_openly(lows: list[str], answer: str) -> bool:
    """Is the sentence (its lower-case words; the caller knows it ends with '?') an open yes/no question, whose
    praise counts nothing? `answer` is the word after it ("" at the end)."""
    head = lows[0]
    if head.endswith("n't") or answer in _ANSWERS or not is_yes_no_question(lows):
        return False
    return not (head in _ASKED_OF_ONESELF and len(lows) > 1 and lows[1] in ONESELF)


def context_factor(
    sentence_lower: str, lows: list[str], question: bool, text_lower: str = "", start: int = 0
) -> tuple[float, bool]:
    """How much a sentence's negative words count, and whether the sentence is about someone else.

    About someone else (or taking over from someone else named earlier: in `text_lower` before `start`):
    a quarter. A yes/no question (`question`: the sentence ends with '?'): nothing. A sentence that
    calls itself minor: half.
    """
    if _about_others(sentence_lower, lows) or (
        start and _TAKEOVER.search(sentence_lower) and _ELSEWHERE.search(text_lower, 0, start)
    ):
        return 0.25, True
    if question and is_yes_no_question(lows):
        return YES_NO_FACTOR, False
    if (not _MINOR_WORDS.isdisjoint(lows) or "nitpick" in sentence_lower) and _MINOR.search(sentence_lower):
        return 0.5, False
    return 1.0, False


def _about_others(sentence_lower: str, lows: list[str]) -> bool:
    if not _HEARSAY_WORDS.isdisjoint(lows) and _HEARSAY.search(sentence_lower):
        return True
    if _ELSEWHERE_WORDS.isdisjoint(lows) and "ex-" not in sentence_lower and "ex " not in sentence_lower:
        return False
    return _ELSEWHERE.search(sentence_lower) is not None


def dampen(valences: list[float], factor: float) -> list[float]:
    """Scale the negative valences of a sentence by `factor`."""
    if factor == 1.0:
        return valences
    return [v * factor if v < 0 else v for v in valences]

