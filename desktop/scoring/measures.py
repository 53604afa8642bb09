"""A measure told moving from one number to another (round eighteen): praise or complaint by the way it went.

"Cart abandonment down from 78% to 52%", "Cost per click dropped from $3.80 to $1.10": a measure of something unwanted
(a cost, a fee, a wait, a rate of failure) that fell praises, one that rose complains ("Fees went up from 10% to 20%");
a measure of something wanted (sales, sign-ups, conversion, leads) the other way round. VADER reads the measure's words
("abandonment" -2.4) or nothing. Told so when the sentence says "from N to M" with two numbers in the same unit and
names the measure in the few words before "from"; the words between the measure and the numbers ("dropped", "down")
then weigh nothing, and the measure carries MOVED, praise or complaint.
"""
from __future__ import annotations

import re

MOVED = 1.5
_NUMBER = re.compile(r"[$\u00a3\u20ac]?(\d+(?:[.,]\d+)?)(?:%|k)?[.!?,;:]*")
# What is better low, and what is better high (a few words before "from").
_UNWANTED = frozenset("""
cost costs cpc cpa cpm price prices bill bills fee fees commission rent premium premiums spend abandonment bounce churn
backlog error errors bug bugs complaint complaints downtime latency wait waits return returns refund refunds chargeback
chargebacks pain debt interest overdraft absence absences turnover
""".split())
_WANTED = frozenset("""
sales revenue conversion conversions signups sign-ups lead leads traffic orders bookings clicks views followers subscribers
income profit profits grades grade enquiries inquiries customers clients users visitors impressions savings
""".split())
_MEASURE_BEFORE = 6  # how far before "from" the measure may be named
_UNIT_WORDS = 2  # words a number's unit may take before "to"


def _number(low: str) -> float | None:
    m = _NUMBER.fullmatch(low)
    return None if m is None else float(m.group(1).replace(",", ""))


def measure_moved(lows: list[str], valences: list[float]) -> list[float] | None:
    """The sentence's valences when it tells a measure moving "from N to M" (MOVED on the measure, + when it went the
    wanted way, - when not; the words of the move weigh nothing), or None."""
    for k, low in enumerate(lows):
        if low != "from" or k + 3 >= len(lows):
            continue
        before = _number(lows[k + 1])
        if before is None:
            continue
        to = next((j for j in range(k + 2, min(len(lows), k + 3 + _UNIT_WORDS)) if lows[j] == "to"), -1)
        if to < 0 or to + 1 >= len(lows):
            continue
        after = _number(lows[to + 1])
        unit, unit_after = lows[k + 2 : to], lows[to + 2 : to + 2 + len(lows[k + 2 : to])]
        if after is None or after == before or unit != unit_after:
            continue  # "from 2 days to 2 hours": another unit, no direction
        measure = next((j for j in range(k - 1, max(-1, k - 1 - _MEASURE_BEFORE), -1)
                        if (lows[j] in _UNWANTED or lows[j] in _WANTED) and not (j and lows[j - 1] == "per")), -1)
        # ("cost per lead": the measure is the cost, not the leads)
        if measure < 0:
            continue
        wanted = (lows[measure] in _WANTED) == (after > before)
        out = list(valences)
        for j in range(measure, to + 2):
            out[j] = 0.0
        out[measure] = MOVED if wanted else -MOVED
        return out
    return None
