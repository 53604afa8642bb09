"""Checks on a draft: each returns findings with spans into the text, so the editor can highlight them in place.

Patterns are data (`BLAME_PATTERNS`, `REMOVAL_PATTERNS`, ...): adding a phrase is adding a row, and the tests walk
the same rows.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from desktop import scoring

BLAME = "blame"
CONDESCENSION = "condescension"
NON_APOLOGY = "non-apology"
CONFIDENTIAL = "confidential"
REMOVAL = "removal"
LENGTH = "length"
TONE = "tone"

KIND_LABELS = {
    BLAME: "Blames the client",
    CONDESCENSION: "Condescending",
    NON_APOLOGY: "Not an apology",
    CONFIDENTIAL: "Confidential in public",
    REMOVAL: "Asks to change the review",
    LENGTH: "Too long for the site",
    TONE: "Tone",
}


@dataclass(frozen=True)
class Finding:
    """`text[start:end]` is the problem; `why` says why it hurts and `suggestion` a kinder way to say it."""

    kind: str
    start: int
    end: int
    text: str
    why: str
    suggestion: str


@dataclass(frozen=True)
class Pattern:
    kind: str
    regex: re.Pattern[str]
    why: str
    suggestion: str


_A = "['\u2019]"  # straight or typographic apostrophe


def _p(kind: str, regex: str, why: str, suggestion: str) -> Pattern:
    return Pattern(kind, re.compile(regex, re.IGNORECASE), why, suggestion)


_POINTS = "It points the finger at the client; readers side with the reviewer when a reply blames them."

BLAME_PATTERNS: tuple[Pattern, ...] = (
    _p(BLAME, r"\byou\s+(?:have\s+|had\s+)?failed\s+to\b", _POINTS,
       "Say what did not happen without a culprit, or own your part: \u201cI did not get \u2026\u201d."),
    _p(BLAME, rf"\byou\s+(?:didn{_A}t|did\s+not|never)\s+(?:even\s+)?bother(?:ed)?\s+to\b",
       "It accuses the client of not caring.",
       "Leave it out, or own the gap: \u201cI should have followed up sooner.\u201d"),
    _p(BLAME, rf"\b(?:(?:it\s+(?:is|was)|it{_A}s|that\s+(?:is|was)|that{_A}s)\s+)?(?:all\s+)?your\s+(?:own\s+)?fault\b",
       _POINTS, "Describe what happened, and what you could have done differently."),
    _p(BLAME, rf"\byou(?:{_A}re|\s+are|\s+were)\s+(?:the\s+one\s+)?to\s+blame\b", _POINTS,
       "Describe what happened, and what you could have done differently."),
    _p(BLAME, rf"\byou\s+(?:never|didn{_A}t|did\s+not)\s+(?:explain(?:ed)?|tell|told|say|said|mention(?:ed)?|"
              r"specif(?:y|ied)|clarif(?:y|ied)|send|sent|give|gave|provide(?:d)?|share(?:d)?|repl(?:y|ied)|"
              r"respond(?:ed)?|answer(?:ed)?)\b(?:\s+me)?",
       "It makes the client responsible for your brief; they hired you to ask the right questions.",
       "Own the question you did not ask: \u201cI did not check the requirements with you closely enough.\u201d"),
    _p(BLAME, rf"\byou\s+(?:should|could|ought\s+to)(?:\s+have|{_A}ve)\b",
       "Telling the client what they should have done reads as a lecture.",
       "Say what would have helped, from your side: \u201cI should have asked \u2026\u201d."),
    _p(BLAME, rf"\b(?:(?:it\s+(?:is|was)|it{_A}s|that\s+(?:is|was)|that{_A}s)\s+)?not\s+my\s+fault\b|"
              rf"\bit\s+(?:wasn|isn){_A}t\s+my\s+fault\b|\bthrough\s+no\s+fault\s+of\s+(?:my|our)\s+own\b|"
              rf"\bI(?:{_A}m|\s+am)\s+not\s+(?:the\s+one\s+)?to\s+blame\b",
       "Denying fault in public sounds defensive and invites an argument.",
       "Explain the facts calmly and let readers judge; own the part that was yours."),
    _p(BLAME, r"\b(?:if\s+(?:only\s+)?you\s+had|had\s+you)\s+(?:only\s+|just\s+)?(?:told|sent|explained|given|"
              r"answered|replied|responded|said|read|listened|followed|provided|paid)\b",
       "A condition on the client's behaviour shifts the blame to them.",
       "Say what you will do differently: \u201cNext time I will confirm \u2026 in writing.\u201d"),
    _p(BLAME, r"\byou\s+(?:kept|keep)\s+changing\b|\byou\s+changed\s+(?:the|your)\s+(?:mind|requirements|scope|"
              r"brief|specs?|plans?)\b",
       "It blames the client for the scope; managing changes was part of your job.",
       "Own the process: \u201cI did not re-plan the deadline when the scope grew.\u201d"),
    _p(BLAME, r"\byou\s+(?:were|are|was)\s+(?:very\s+|so\s+|really\s+|extremely\s+|quite\s+)?(?:unclear|vague|"
              r"unresponsive|impossible|difficult|rude|unreasonable|confused|wrong)\b",
       "It judges the client in public.", "Describe the situation, not the person."),
    _p(BLAME, r"\byour\s+(?:own\s+)?(?:mistake|problem|misunderstanding|responsibility)\b", _POINTS,
       "Describe what went wrong without naming whose it was."),
)

CONDESCENSION_PATTERNS: tuple[Pattern, ...] = (
    _p(CONDESCENSION, r"\bas\s+I\s+(?:have\s+)?(?:already\s+|clearly\s+|previously\s+)?(?:told|said|explained|"
                      r"mentioned|stated|wrote|pointed\s+out)(?:\s+(?:to\s+)?you)?(?:\s+(?:before|earlier|already|"
                      r"several\s+times|many\s+times|repeatedly))?\b",
       "It implies the client was not listening.", "Leave it out and restate the point plainly, once."),
    _p(CONDESCENSION, r"\bas\s+(?:(?:already|previously|clearly)\s+)?(?:mentioned|stated|explained|discussed)"
                      r"(?:\s+(?:before|earlier|previously|above))?\b",
       "It implies the client should have known already.", "Leave it out and restate the point plainly."),
    _p(CONDESCENSION, r"\blike\s+I\s+(?:already\s+)?(?:said|told\s+you)\b|\bI\s+(?:already|clearly)\s+(?:told|"
                      r"explained\s+to)\s+you\b",
       "It implies the client was not listening.", "Leave it out and restate the point plainly, once."),
    _p(CONDESCENSION, r"\bobviously\b|\bclearly\s+you\b|\byou\s+(?:clearly|obviously)\b",
       "What is obvious to you was not to the client; the word makes them feel foolish.",
       "Leave the word out."),
    _p(CONDESCENSION, rf"\byou\s+(?:don{_A}t|do\s+not|didn{_A}t|did\s+not)\s+(?:seem\s+to\s+)?understand\b",
       "It talks down to the client; they do not need the technical side.",
       "Explain the outcome in plain words, without judging what they understood."),
    _p(CONDESCENSION, r"\b(?:any|every)\s+(?:competent|reasonable|sensible|normal)\s+(?:person|client|customer)\b|"
                      r"\bas\s+(?:anyone|everyone)\s+(?:knows|would\s+know)\b|\bwith\s+all\s+(?:due\s+)?respect\b",
       "It talks down to the client.", "Leave it out."),
)

NON_APOLOGY_PATTERNS: tuple[Pattern, ...] = (
    _p(NON_APOLOGY, rf"\b(?:I{_A}m|I\s+am|we{_A}re|we\s+are)\s+sorry\s+(?:that\s+)?you\s+(?:feel|felt|think|thought|"
                    r"see|saw|perceived?|are\s+upset|were\s+upset|are\s+unhappy|were\s+unhappy)\b|\bsorry\s+if\s+you\b",
       "It apologises for the client's feelings, not for what you did: readers see through it.",
       "Apologise for your part: \u201cI am sorry I missed the deadline.\u201d"),
)

REMOVAL_PATTERNS: tuple[Pattern, ...] = (
    _p(REMOVAL, r"\b(?:remove|delete|take\s+down|withdraw|retract|edit|change|update|revise|amend|modify|reconsider|"
                r"removing|deleting|taking\s+down|withdrawing|retracting|editing|changing|updating|revising|"
                r"amending|reconsidering)\s+(?:your|the|this|that)\s+(?:\w+\s+)?(?:review|feedback|rating|comment|"
                r"stars?)\b",
       "Asking a client to remove or change a review looks like pressure, and review sites forbid it.",
       "Leave it out: answer the review, and let a good fix speak for itself."),
    _p(REMOVAL, r"\btake\s+(?:it|this)\s+down\b|\b(?:raise|increase|improve|bump\s+up|bump)\s+(?:your|the|my)\s+"
                r"(?:\w+\s+)?(?:rating|stars?|score)\b|\bin\s+(?:exchange|return)\s+for\s+(?:a\s+|an\s+|your\s+)?"
                r"(?:\w+\s+)?(?:review|rating|feedback)\b",
       "Asking for a better rating, or trading an offer for one, breaks review sites' rules.",
       "Make the offer without conditions."),
)

_AMOUNT = r"\d{1,3}(?:[,.'\u00a0 ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_MONEY = re.compile(
    rf"(?:[$\u20ac\u00a3\u00a5\u20b9]|\b(?:US\$|USD|EUR|GBP|CHF|CAD|AUD)\s?)\s?(?:{_AMOUNT})(?:\s?[kK]\b)?"
    rf"|\b(?:{_AMOUNT})(?:\s?[kK])?\s?(?:[$\u20ac\u00a3]|(?:USD|EUR|GBP|CHF|CAD|AUD|dollars?|euros?|pounds?|"
    r"bucks)\b)", re.IGNORECASE)
_BARE_AMOUNT = re.compile(rf"(?<![\w.,])(?:{_AMOUNT})(?![\w]|[.,]\d)")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\w.+-])(?:\+|00)?\(?\d[\d ().\-/]{6,}\d(?![\w-])")
_DATE_LIKE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class SiteLimit:
    key: str
    label: str
    limit: int | None
    source: str


# Reply limits per site. Only the first three are documented; the rest are conservative assumptions (no public
# documentation found), chosen low so a reply that fits here fits there. Email has no practical limit.
SITE_LIMITS: dict[str, SiteLimit] = {s.key: s for s in (
    SiteLimit("google", "Google Business Profile", 4096,
              "Google Business Profile API: review replies up to 4,096 characters"),
    SiteLimit("reddit", "Reddit", 10000, "Reddit: comments up to 10,000 characters"),
    SiteLimit("discourse", "Discourse forum", 32000,
              "Discourse: default site setting max_post_length = 32000 (a forum can lower it)"),
    SiteLimit("trustpilot", "Trustpilot", 1500, "conservative assumption (no published reply limit found)"),
    SiteLimit("upwork", "Upwork", 1500, "conservative assumption (no published reply limit found)"),
    SiteLimit("fiverr", "Fiverr", 1500, "conservative assumption (no published reply limit found)"),
    SiteLimit("freelancer", "Freelancer", 1500, "conservative assumption (no published reply limit found)"),
    SiteLimit("peopleperhour", "PeoplePerHour", 1500, "conservative assumption (no published reply limit found)"),
    SiteLimit("guru", "Guru", 1500, "conservative assumption (no published reply limit found)"),
    SiteLimit("hackernews", "Hacker News", 1500, "conservative assumption (no published limit found)"),
    SiteLimit("other", "Other site", 1500, "conservative assumption for an unknown site"),
)}
EMAIL_LIMIT = SiteLimit("email", "Private email", None, "no practical limit")


def site_limit(site: str, *, public: bool = True) -> SiteLimit:
    if not public:
        return EMAIL_LIMIT
    return SITE_LIMITS.get((site or "").strip().lower(), SITE_LIMITS["other"])


def _run(patterns: Iterable[Pattern], text: str) -> list[Finding]:
    found = []
    for pattern in patterns:
        for m in pattern.regex.finditer(text):
            found.append(Finding(pattern.kind, m.start(), m.end(), m.group(), pattern.why, pattern.suggestion))
    return found


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """One finding per spot: where two overlap, the longer (then earlier-listed) one wins."""
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and f.start < kept[-1].end and f.kind == kept[-1].kind:
            continue
        kept.append(f)
    return kept


def check_blame(text: str) -> list[Finding]:
    """Blaming, condescending and non-apologising phrases."""
    return _without_overlaps(_run((*BLAME_PATTERNS, *CONDESCENSION_PATTERNS, *NON_APOLOGY_PATTERNS), text))


def check_removal(text: str) -> list[Finding]:
    """Any request to remove, change or improve the review."""
    return _without_overlaps(_run(REMOVAL_PATTERNS, text))


def _values(figure: str) -> set[float]:
    """What a written number may mean: "4,800", "4.800" and "4 800" can each be four thousand eight hundred."""
    digits = re.sub(r"[^\d.,]", "", figure)
    out = set()
    for thousands, decimal in ((",", "."), (".", ","), ("", "")):
        candidate = digits.replace(thousands, "") if thousands else digits
        candidate = candidate.replace(decimal, ".") if decimal else candidate
        try:
            out.add(float(candidate))
        except ValueError:
            pass
    return out


def check_confidential(text: str, other_clients: Iterable[str] = (), budget: float | None = None) -> list[Finding]:
    """Details that should not go into a public reply: amounts, emails, phone numbers, other clients' names,
    and a bare figure equal to the project's budget ("4,800" without a currency is still the budget)."""
    found: list[Finding] = []
    money = [(m.start(), m.end()) for m in _MONEY.finditer(text)]
    for start, end in money:
        found.append(Finding(CONFIDENTIAL, start, end, text[start:end],
                             "An amount of money: what you agreed with a client stays between you.",
                             "Leave the figure out, or say \u201cthe agreed budget\u201d."))
    if budget is not None:
        for m in _BARE_AMOUNT.finditer(text):
            if any(s <= m.start() < e for s, e in money) or budget not in _values(m.group()):
                continue
            found.append(Finding(CONFIDENTIAL, m.start(), m.end(), m.group(),
                                 "This is the project's budget: what you agreed with a client stays between you.",
                                 "Leave the figure out, or say \u201cthe agreed budget\u201d."))
    emails = [(m.start(), m.end()) for m in _EMAIL.finditer(text)]
    for start, end in emails:
        found.append(Finding(CONFIDENTIAL, start, end, text[start:end],
                             "An email address in a public reply invites spam and exposes someone's contact.",
                             "Leave it out; offer to continue \u201cby message\u201d."))
    for m in _PHONE.finditer(text):
        candidate = m.group()
        digits = sum(ch.isdigit() for ch in candidate)
        if not 8 <= digits <= 15 or "\n" in candidate or _DATE_LIKE.fullmatch(candidate.strip("()")):
            continue
        groups = re.findall(r"\d+", candidate)
        if all(_YEAR.fullmatch(g) for g in groups):
            continue
        if any(s <= m.start() < e for s, e in emails):
            continue
        found.append(Finding(CONFIDENTIAL, m.start(), m.end(), candidate,
                             "A phone number in a public reply exposes someone's private contact.",
                             "Leave it out; offer \u201ca call\u201d without the number."))
    for name in sorted({n.strip() for n in other_clients if n and len(n.strip()) >= 2}, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
            found.append(Finding(CONFIDENTIAL, m.start(), m.end(), m.group(),
                                 "Another client's name: they did not agree to be mentioned in public.",
                                 "Leave the name out, or say \u201canother client\u201d."))
    return _without_overlaps(found)


def check_length(text: str, limit: SiteLimit) -> list[Finding]:
    """The part that does not fit the site's limit, as one finding spanning the overflow."""
    if limit.limit is None or len(text) <= limit.limit:
        return []
    return [Finding(LENGTH, limit.limit, len(text), text[limit.limit:],
                    f"{limit.label} takes replies of up to {limit.limit} characters ({limit.source}); this draft has "
                    f"{len(text)}.", "Shorten it: keep the apology, the key fact and one offer.")]


_SHOUT = re.compile(r"\b[A-Z]{4,}\b")
_EXCLAIM = re.compile(r"[!?]{2,}")
# Acronyms a freelancer may well write; not shouting.
_ACRONYMS = frozenset({"HTML", "JSON", "HTTP", "HTTPS", "UTF8", "WEBP", "JPEG", "ASAP", "WORDPRESS", "NOTE"})


def check_tone(text: str, *, sentiment: bool = True) -> list[Finding]:
    """Shouting (capitals, repeated punctuation), and the words that pull a draft that reads negative down.

    `sentiment` is for a whole draft only: one step on its own (say, what went wrong) is meant to read sombre.
    """
    found = [Finding(TONE, m.start(), m.end(), m.group(), "Capitals read as shouting.", "Write it in lower case.")
             for m in _SHOUT.finditer(text) if m.group() not in _ACRONYMS]
    found += [Finding(TONE, m.start(), m.end(), m.group(), "Repeated punctuation reads as agitated.",
                      "Use one full stop.") for m in _EXCLAIM.finditer(text)]
    result = calm(text) if sentiment else scoring.NEUTRAL
    if not reads_calm(result):
        worst = sorted((r for r in result.reasons if r.weight < 0), key=lambda r: r.weight)[:3]
        found += [Finding(TONE, r.start, r.end, r.text,
                          f"The draft reads upset (score {result.compound:+.2f}, apology words aside); this word "
                          "pulls it down.",
                          "Balance it: thank the client, say what you will do.") for r in worst]
    return sorted(found, key=lambda f: (f.start, f.end))


def check(text: str, *, public: bool = True, other_clients: Iterable[str] = (), site: str = "",
          whole: bool = True, budget: float | None = None) -> list[Finding]:
    """Every check that applies: confidentiality only for a public reply; the site limit and overall sentiment
    only for a `whole` draft (not one step of it)."""
    findings = check_blame(text) + check_removal(text) + check_tone(text, sentiment=whole)
    if public:
        findings += check_confidential(text, other_clients, budget)
    if whole:
        findings += check_length(text, site_limit(site, public=public))
    return sorted(findings, key=lambda f: (f.start, f.end, f.kind))


# An apology has to name what went wrong, so VADER reads a good one as negative ("sorry", "late", "let you down").
# Calm is judged with that vocabulary set aside: what remains negative is hostility ("unfair", "ridiculous", "rude").
APOLOGY_WORDS = frozenset("""
sorry apologise apologize apologies apology regret regrets unfortunately mistake mistakes miss missed late
fail failed failure let down frustrating frustrated frustration disappoint disappointed disappointing
disappointment lose lost losing problem problems bug bugs broke broken wrong fault delay delayed underestimated
poor bad badly hard difficult issue issues pain worse damage damaged cost worried trouble refund refunds
""".split())
CALM_AT = -0.3


# "I did not test", "we missed": the writer owning a failure, which is what step 1 asks for, not anger.
_OWNED = re.compile(r"\b(?:I|we)(?:'ve|'d|'m)?(?:\s+\w+){0,2}\s*$", re.IGNORECASE)


def calm(text: str) -> scoring.Score:
    """The draft's sentiment with what an apology needs set aside (masked, so spans stay put): apology
    words, and failures the writer owns in the first person. Read by the rules alone: the learned layer
    was trained on reviews to raise alerts, and a draft's tone is explained word by word."""
    result = scoring.score(text, layer=False)
    masked = list(text)
    for r in result.reasons:
        owned = r.end > r.start and _OWNED.search(text[max(0, r.start - 24):r.start])
        if owned or any(word in APOLOGY_WORDS for word in r.text.lower().split()):
            masked[r.start:r.end] = " " * (r.end - r.start)
    return scoring.score("".join(masked), layer=False)


def reads_calm(result: scoring.Score) -> bool:
    return result.compound > CALM_AT


