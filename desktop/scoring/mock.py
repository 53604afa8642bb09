"""Praise told as a mock warning (round eighteen): "Warning: once you work with Sam, every other VA will disappoint
you.", "Be warned, your neighbours will be jealous of your lawn.", "Careful, their sourdough is addictive and your
jeans won't thank you."

A sentence that opens with a warning ("Warning", "Be warned", "Careful", "Beware", "Only downside") and tells what will
happen to the reader once they have had the service, where that is being spoilt by it (every other one, anyone else,
never another one, jealous, addictive, spoilt, lazy, steal), warns of nothing: its complaint words weigh nothing and
the warning praises (MOCK). A real warning names no such thing ("Warning: they take your deposit and vanish.", "Be
careful, the parking is a nightmare.", "Beware: once you pay, you will never hear from them again.").

Praise told as a mock gripe (round nineteen): "The only problem with hiring Sam is that now I have no excuse not to
publish my book.", "My only gripe with the e-reader is that I now stay up too late reading.", "Only complaint: I now
have too many clients." A sentence that names its one complaint ("only problem", "one gripe", "worst thing") and
tells as that complaint what the writer now has too much of or has lost the excuse for (now, the writer, and
"too", "excuse", "want" or being spoilt) complains of nothing: its complaint words weigh nothing and the gripe
praises (MOCK). A real gripe tells a trouble ("The only problem is that now it leaks again.", "Only complaint: now I
have to pay for parking.").
"""
from __future__ import annotations

MOCK = 1.5
WARNINGS = frozenset(("warning", "warned", "careful", "beware", "caution", "downside"))
_WARNING_REACH = 3  # the warning opens the sentence: among its first words
_SPOILT = frozenset("jealous envious addictive addicted hooked spoiled spoilt lazy steal".split())
_ANY = frozenset(("every", "any", "anyone", "anybody", "anywhere", "someone", "somebody"))
_DENYING = frozenset(("never", "won't", "wouldn't", "not"))
_TO_COME = frozenset(("will", "you'll", "won't", "they'll", "once", "may", "might", "going", "would", "you'd"))
GRIPES = frozenset("problem problems complaint complaints gripe gripes issue issues niggle niggles criticism "
                   "drawback drawbacks downside downsides thing part".split())
_SOLE = frozenset(("only", "one", "biggest", "main", "worst"))  # "only problem", "one gripe", "worst thing"
_GRIPE_REACH = 4  # the gripe is named among the sentence's first words
_WRITER = frozenset(("i", "we", "i'm", "we're", "i've", "we've", "i'll", "we'll", "me", "us", "my", "our"))
_EXCESS = frozenset(("too", "excuse", "excuses", "want", "wants")) | _SPOILT


def mock_warning(lows: list[str], valences: list[float]) -> list[float] | None:
    """The sentence's valences when it is a mock warning (its complaint words zeroed, MOCK on the warning), or None."""
    at = next((k for k, low in enumerate(lows[:_WARNING_REACH]) if low in WARNINGS), -1)
    if at < 0 or min(valences) >= 0:
        return None
    rest = lows[at + 1 :]
    if _TO_COME.isdisjoint(rest) or not _spoilt(rest):
        return None
    out = [0.0 if v < 0 else v for v in valences]
    out[at] = max(out[at], MOCK)
    return out


def _spoilt(rest: list[str]) -> bool:
    """Does what the warning tells (its words after the warning) say the reader will be spoilt by the service?"""
    if not _SPOILT.isdisjoint(rest):
        return True
    for j in range(1, len(rest)):
        if rest[j] in ("other", "else") and rest[j - 1] in _ANY:
            return True  # "every other VA", "anyone else"
        if rest[j] == "another" and "once" in rest and not _DENYING.isdisjoint(rest[max(0, j - 3) : j]):
            return True  # "once you've had a haircut from her you'll never trust another barber"
    return False


def mock_gripe(lows: list[str], valences: list[float]) -> list[float] | None:
    """The sentence's valences when it is a mock gripe (its complaint words zeroed, MOCK on the gripe), or None."""
    at = next((k for k, low in enumerate(lows[:_GRIPE_REACH]) if low in GRIPES and k and (
        lows[k - 1] in _SOLE or (k > 1 and lows[k - 2] == "only"))), -1)  # "only real problem"
    if at < 0 or (lows[at] in ("thing", "part") and lows[at - 1] != "worst"):  # "the only thing": no gripe named
        return None
    rest = lows[at + 1 :]
    if "now" not in rest or _WRITER.isdisjoint(rest) or _EXCESS.isdisjoint(rest):
        return None
    out = [0.0 if v < 0 else v for v in valences]
    out[at] = max(out[at], MOCK)
    return out
