"""Problems the service solved: "sorted a broken boiler", "20 years of grime gone", "back pain much improved".

In a clause where a resolution verb (fixed, sorted, gone, improved...) really happened, the negative words
name the trouble that was solved, which is praise, not a complaint: they count SOLVED_FACTOR, and the verb
carries the praise instead (so the reasons show both). The trouble is what comes before the verb in its
clause (back to a "but"/"however"/"until") or the object right after it (up to a comma, "and" or "but").
A verb that is negated or only hoped for ("never fixed", "supposed to be sorted", "could be improved",
"said it was fixed") solves nothing. Phrase rules (complaints about how it went: "had to chase them",
"took 3 months", "stopped working") keep their weight; a praising one ("fixed it") solves like its verb.
"""
from __future__ import annotations

from desktop.scoring.words import negated_word

SOLVED_FACTOR = 0.25
SOLVED_PRAISE = 1.2  # what a resolution verb without a valence of its own weighs when it solved something
RESOLVED = frozenset(
    "fixed sorted solved resolved repaired cured cleared removed gone improved rescued restored rebuilt "
    "refunded replaced recovered unblocked saved helped stopped disappeared vanished eased "
    "killed squashed eliminated exterminated patched debugged unlocked credited waived reordered redone redid corrected "
    "reinstated reimbursed compensated".split()
)
# Verbs that solve only what they act on ("killed every bug"), not what comes before them ("the delays killed our launch").
_ON_OBJECT = frozenset("killed squashed eliminated exterminated patched debugged".split())
# Words before the verb that make it unreal: hoped for, claimed or conditional.
_UNREAL = frozenset(
    "to supposedly apparently allegedly supposed meant promised promise promises claimed claims claim said "
    "says told should would could might must if needs need needed hope hoping hoped wish".split()
)
_OBJECT_STOPS = frozenset(("and", "but", "however", "though", "although", "yet", "until", "then"))
_CLAUSE_TURNS = frozenset(("but", "however", "though", "although", "yet", "until", "except", "unfortunately"))
# "gone" solves only when the trouble is gone, not "gone wrong / quiet / downhill / up".
_GONE_NEXT = frozenset("in after within since now completely forever for overnight and at by thanks too".split())
_OBJECT_WORDS = 5
# A verb of the trouble ending that opens its clause has the clause before as its subject: "Back pain that had lasted
# eight months, gone after six sessions.", "Leak under the sink, fixed in ten minutes." Not a verb of compensation
# ("Awful service, refunded after a fight": the refund does not unsay the service).
_ELLIPTIC = frozenset("gone fixed sorted solved resolved cured cleared repaired vanished disappeared eased".split())
# "The old X is gone / was replaced": a change for the better told as what went, with no trouble word ("Our volunteers
# can now sign up for shifts online. The old paper rota is gone."). Only "the old" ("my old reviews are gone" is a loss).
_RETIRED = frozenset(("gone", "replaced"))
_NOTHING = frozenset(("nothing", "none", "no", "zero"))  # "refunded nothing": no resolution


def solved_problems(lows: list[str], valences: list[float], commas: list[int], phrase_starts: set[int]) -> list[float] | None:
    """The sentence's valences with the solved troubles damped, or None when it solves nothing."""
    out: list[float] | None = None
    n = len(lows)
    for r in range(n):
        if lows[r] not in RESOLVED or (r in phrase_starts and valences[r] <= 0) or not _real(lows, r, commas):
            continue  # a complaint phrase that starts with the verb ("stopped working") solves nothing
        troubles = [*(() if lows[r] in _ON_OBJECT else _before(lows, r, commas)), *_after(lows, r, commas)]
        if r and (r - 1) in commas and lows[r] in _ELLIPTIC:  # the clause before is its subject
            troubles += range(_before(lows, r - 1, commas).start, r)
        troubles = [k for k in troubles if valences[k] < 0 and k not in phrase_starts]
        if not troubles:
            if lows[r] in _RETIRED and valences[r] == 0.0 and _the_old_before(lows, r, commas):
                if out is None:
                    out = list(valences)
                out[r] = SOLVED_PRAISE  # "The old paper rota is gone.": what was replaced, gone
            continue
        if out is None:
            out = list(valences)
        for k in troubles:
            out[k] = valences[k] * SOLVED_FACTOR
        if out[r] <= 0.0:  # "the angry emails have stopped": VADER's -0.9 for "stopped" is the trouble ending
            out[r] = SOLVED_PRAISE
    return _fixed_in_a_later_clause(lows, valences, out, phrase_starts, commas)


def _fixed_in_a_later_clause(lows: list[str], valences: list[float], out: list[float] | None, phrase_starts: set[int],
                             commas: list[int]) -> list[float] | None:
    """A problem quickly fixed, in one sentence: "They overcharged me by accident, noticed before I did, and refunded
    the difference the same day." When the sentence's last real resolution has no complaint after it and something
    in the sentence praises besides it, the troubles in the clauses before it (not a complaint phrase, and not before a
    "but" turn) are the problem it fixed ("The work was terrible, so they refunded me." praises nothing: it stays)."""
    now = valences if out is None else out
    n = len(lows)
    last = max((r for r, low in enumerate(lows) if low in RESOLVED and now[r] >= 0 and r not in phrase_starts
                and (r + 1 == n or lows[r + 1] not in _NOTHING) and _real(lows, r, commas)), default=-1)
    if last < 0 or any(v < 0 for v in now[last + 1 :]) or not any(v > 0 for k, v in enumerate(valences) if k != last):
        return out
    start = max((k + 1 for k in range(last) if lows[k] in _CLAUSE_TURNS), default=0)
    for k in range(start, last):
        if now[k] < 0 and now[k] == valences[k] and k not in phrase_starts:
            if out is None:
                out = now = list(valences)
            out[k] = valences[k] * SOLVED_FACTOR
    if out is not None and out[last] <= 0.0:
        out[last] = SOLVED_PRAISE
    return out


def resolves(lows: list[str], commas: list[int]) -> bool:
    """Does the sentence tell of a resolution that really happened ("Fixed within the hour", not "never fixed")?"""
    return any(low in RESOLVED and _real(lows, r, commas) for r, low in enumerate(lows))


def _real(lows: list[str], r: int, commas: list[int]) -> bool:
    """Did the resolution at r happen (not negated, not hoped for or claimed)?"""
    if lows[r] == "gone" and not (r == len(lows) - 1 or r in commas or lows[r + 1] in _GONE_NEXT):
        return False
    for j in range(r - 1, max(-1, r - 5), -1):
        if j in commas:
            break
        low = lows[j]
        if low in _UNREAL or negated_word(low) or low == "still":
            return False
    return True


def _before(lows: list[str], r: int, commas: list[int]) -> range:
    """The words of r's clause before it: back to a turn ("but", "until"), not across a comma."""
    start = r
    while start > 0 and (start - 1) not in commas and lows[start - 1] not in _CLAUSE_TURNS:
        start -= 1
    return range(start, r)


def _after(lows: list[str], r: int, commas: list[int]) -> range:
    """The object right after r: up to a comma, "and"/"but" or _OBJECT_WORDS words."""
    if r in commas:
        return range(0)
    stop = r + 1
    while stop < len(lows) and stop - r <= _OBJECT_WORDS and lows[stop] not in _OBJECT_STOPS:
        if stop in commas:
            stop += 1
            break
        stop += 1
    return range(r + 1, stop)


def _the_old_before(lows: list[str], r: int, commas: list[int]) -> bool:
    """Is the subject of the resolution at r "the old ..." (its clause opens on it, a few words before)?"""
    clause = _before(lows, r, commas)
    return any(lows[k] == "old" and k > 0 and lows[k - 1] == "the" for k in clause if k - clause.start <= 2)


# Round eighteen: a trouble overcome inside one sentence, with no resolution verb: "Brutal deadline, 48 hours for a full
# pitch deck, and she delivered a polished one with time to spare.", "Flu swept through half their staff, and yet the
# nursery ran beautifully." The trouble is the situation the service came through; what came through is praised.
_CONCEDING = frozenset(("yet", "somehow", "nevertheless", "nonetheless", "regardless", "still"))
_NOT_CONCEDING = frozenset(("to", "again", "another", "more", "waiting", "no", "not", "nothing", "haven't", "hasn't",
                            "hadn't", "isn't", "wasn't", "doesn't", "didn't", "can't", "won't"))
_CAME_THROUGH = frozenset("delivered nailed managed handled pulled finished completed kept hit met made".split())
_DOERS = frozenset(("he", "she", "they", "we", "it", "everyone", "everything", "the", "his", "her", "their"))
PIVOTS = _CONCEDING | _CAME_THROUGH


def overcome_in_clause(lows: list[str], valences: list[float], commas: list[int], phrase_starts: set[int]) -> list[float] | None:
    """The sentence's valences with the troubles before a pivot damped (SOLVED_FACTOR), or None: a pivot opens a later
    clause (after "and" or a comma) with a concession ("and yet", ", somehow", "and still") or someone coming through
    ("and she delivered"), nothing from it on complains and something after it praises. Not "and yet to hear back",
    "and still waiting", "and he delivered it late" (a complaint after), "Slow, and somehow dearer" (nothing praised),
    nor a trouble after a "but" (VADER's rule weighs that)."""
    n = len(lows)
    for p in range(n - 2, 0, -1):
        low = lows[p]
        if low not in PIVOTS or any(v < 0 for v in valences[p:]) or not any(v > 0 for v in valences[p + 1 :]):
            continue
        opener = p - 1 if low in _CONCEDING else p - 2
        if opener < 0 or not (lows[opener] == "and" or opener in commas or (opener + 1 == p and (p - 1) in commas)):
            continue
        if low in _CONCEDING and lows[p + 1] in _NOT_CONCEDING:
            continue
        if low in _CAME_THROUGH and lows[p - 1] not in _DOERS:
            continue
        start = max((k + 1 for k in range(p) if lows[k] in _CLAUSE_TURNS and lows[k] != "yet"), default=0)
        troubles = [k for k in range(start, p) if valences[k] < 0 and k not in phrase_starts]
        if not troubles:
            return None
        out = list(valences)
        for k in troubles:
            out[k] = valences[k] * SOLVED_FACTOR
        return out
    return None
