"""Praise tagged onto a complaint is irony: "Nobody at support has replied, fantastic, just fantastic.", and
so is praise whose object complains: "Love how a buyer can leave one star after accepting the delivery."

The closing clauses of a sentence (after commas) that hold only praise words and fillers ("fantastic",
"just fantastic"), after clauses that clearly complain, count IRONY times their weight: they turn. A
sentence with a turn or a thanks ("slow, great value though", "late, thank you anyway") has no such tag.
A whole short sentence of praise after a complaint ("... still waiting in May. Great.") is left to the
serious-sentence rule: on the development sets, turning it hurt more long happy reviews than it helped.
An opening clause of praise alone before a clearly complaining rest turns the same way ("Brilliant, the line goes to
voicemail.").
"""
from __future__ import annotations

from collections.abc import Mapping

IRONY = -0.5  # like praise in scare quotes
CLEAR_COMPLAINT = -1.5  # what the complaint before the tag must add up to
_NOT_A_TAG = frozenset("otherwise though anyway overall but still thanks thank although however apart except".split())
_FILLERS = frozenset("just so really simply truly absolutely totally very oh what a an and".split())


def ironic_clauses(lows: list[str], valences: list[float], commas: list[int], lex: Mapping[str, float]) -> list[float] | None:
    """The sentence's valences with its closing praise-only clauses turned, when an earlier clause complains."""
    if not commas or not _NOT_A_TAG.isdisjoint(lows):
        return None
    stop = len(lows)
    cut = stop
    for comma in reversed(commas):
        clause = range(comma + 1, stop)
        if not clause or not all(_praise_or_filler(lows[k], lex) for k in clause) or max(valences[k] for k in clause) <= 0:
            break
        cut = comma + 1
        stop = comma + 1
    if cut == len(lows):
        return _ironic_opening(lows, valences, commas[0], lex)
    if sum(valences[:cut]) > CLEAR_COMPLAINT:
        return None
    return [v * IRONY if k >= cut and v > 0 else v for k, v in enumerate(valences)]


def _ironic_opening(lows: list[str], valences: list[float], comma: int, lex: Mapping[str, float]) -> list[float] | None:
    """An opening clause of praise alone before a clear complaint turns too ("Brilliant, the "24/7 emergency line"
    goes to voicemail.", "Fantastic, my payout is "processing" for the third week."): round sixteen."""
    opening = range(0, comma + 1)
    if not all(_praise_or_filler(lows[k], lex) for k in opening) or max(valences[k] for k in opening) <= 0:
        return None
    if sum(valences[comma + 1 :]) > CLEAR_COMPLAINT:
        return None
    return [v * IRONY if k <= comma and v > 0 else v for k, v in enumerate(valences)]


def _praise_or_filler(low: str, lex: Mapping[str, float]) -> bool:
    return low in _FILLERS or lex.get(low, 0.0) > 0


# A sentence opening with delight whose object (a how/that/when/to clause) complains is irony (delight_in).
DELIGHT = frozenset("love loved lovely great nice fantastic brilliant wonderful amazing glad".split())
_COMPLEMENT = frozenset(("how", "that", "when", "to", "being", "paying", "waiting"))
_BEFORE_COMPLEMENT = frozenset(("it", "the", "way", "just", "so", "really", "absolutely"))


def delight_in(lows: list[str], valences: list[float]) -> list[float]:
    """The sentence's valences with its praise turned when it opens with delight (DELIGHT) in a how/that/when/to
    clause that clearly complains ("Love how a buyer can leave one star after accepting the delivery")."""
    k = 1
    while k < len(lows) and lows[k] in _BEFORE_COMPLEMENT:
        k += 1
    if k >= len(lows) or lows[k] not in _COMPLEMENT or sum(v for v in valences[k:] if v < 0) > CLEAR_COMPLAINT:
        return valences
    return praise_turned(valences)


def praise_turned(valences: list[float]) -> list[float]:
    """A sentence's valences with its praise read as irony (IRONY), its complaints as they are."""
    return [v * IRONY if v > 0 else v for v in valences]


def consoles(lows: list[str]) -> bool:
    """Does the sentence open with "At least", a consolation for the little there was to praise ("At least the invoice
    was formatted nicely.", "At least he was polite while missing every deadline.")?"""
    return len(lows) > 2 and lows[0] == "at" and lows[1] == "least"


def thanks_unasked(lows: list[str]) -> bool:
    """Does the sentence end thanking for a question nobody asked, sarcasm ("The termites are doing great, thanks for
    asking.", "Still waiting, it's going brilliantly, thank you for asking.")? Not a reply to one ("Great question,
    thanks for asking!")."""
    return len(lows) > 3 and lows[-1] == "asking" and lows[-2] == "for" and (
        lows[-3] == "thanks" or lows[-3:-5:-1] == ["you", "thank"]) and "question" not in lows
