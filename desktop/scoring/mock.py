"""Praise told as a mock warning (round eighteen): "Warning: once you work with Sam, every other VA will disappoint
you.", "Be warned, your neighbours will be jealous of your lawn.", "Careful, their sourdough is addictive and your
jeans won't thank you."

A sentence that opens with a warning ("Warning", "Be warned", "Careful", "Beware", "Only downside") and tells what will
happen to the reader once they have had the service, where that is being spoilt by it (every other one, anyone else,
never another one, jealous, addictive, spoilt, lazy, steal), warns of nothing: its complaint words weigh nothing and
the warning praises (MOCK). A real warning names no such thing ("Warning: they take your deposit and vanish.", "Be
careful, the parking is a nightmare.", "Beware: once you pay, you will never hear from them again.").
"""
from __future__ import annotations

MOCK = 1.5
WARNINGS = frozenset(("warning", "warned", "careful", "beware", "caution", "downside"))
_WARNING_REACH = 3  # the warning opens the sentence: among its first words
_SPOILT = frozenset("jealous envious addictive addicted hooked spoiled spoilt lazy steal".split())
_ANY = frozenset(("every", "any", "anyone", "anybody", "anywhere", "someone", "somebody"))
_DENYING = frozenset(("never", "won't", "wouldn't", "not"))
_TO_COME = frozenset(("will", "you'll", "won't", "they'll", "once", "may", "might", "going", "would", "you'd"))


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
