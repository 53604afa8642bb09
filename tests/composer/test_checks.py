"""The draft checks: each blame pattern found with its span, none on a sincere apology, disclosure, length."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.composer import checks
from desktop.composer.answers import Answers
from desktop.composer.render import render
from desktop.composer.steps import STEPS

# (draft sentence, the phrase that must be flagged, its kind)
FLAGGED = [
    ("Honestly, you failed to send the assets on time.", "you failed to", checks.BLAME),
    ("The launch slipped because you didn't bother to reply.", "you didn't bother to", checks.BLAME),
    ("You did not even bother to read the spec.", "You did not even bother to", checks.BLAME),
    ("In the end it was your fault.", "it was your fault", checks.BLAME),
    ("That\u2019s all your own fault.", "That\u2019s all your own fault", checks.BLAME),
    ("Sadly you're to blame here.", "you're to blame", checks.BLAME),
    ("You never explained the payment flow.", "You never explained", checks.BLAME),
    ("But you never told me about the launch date.", "you never told me", checks.BLAME),
    ("You didn't specify the browsers.", "You didn't specify", checks.BLAME),
    ("Maybe you should have tested it yourself.", "you should have", checks.BLAME),
    ("You should've asked earlier.", "You should've", checks.BLAME),
    ("you could have just told me.", "you could have", checks.BLAME),
    ("It's not my fault the API was down.", "It's not my fault", checks.BLAME),
    ("The delay happened through no fault of my own.", "through no fault of my own", checks.BLAME),
    ("If you had answered sooner, we would be done.", "If you had answered", checks.BLAME),
    ("Had you told me, I would have planned for it.", "Had you told", checks.BLAME),
    ("The problem is you kept changing the design.", "you kept changing", checks.BLAME),
    ("Then you changed the requirements twice.", "you changed the requirements", checks.BLAME),
    ("You were very unclear about the scope.", "You were very unclear", checks.BLAME),
    ("That was your misunderstanding.", "your misunderstanding", checks.BLAME),
    ("As I already told you, Safari is different.", "As I already told you", checks.CONDESCENSION),
    ("as I said before, the server was slow.", "as I said before", checks.CONDESCENSION),
    ("As mentioned earlier, tests take time.", "As mentioned earlier", checks.CONDESCENSION),
    ("Like I said, it needed more time.", "Like I said", checks.CONDESCENSION),
    ("This is obviously a browser issue.", "obviously", checks.CONDESCENSION),
    ("Clearly you did not read the contract.", "Clearly you", checks.CONDESCENSION),
    ("You don't seem to understand how caching works.", "You don't seem to understand", checks.CONDESCENSION),
    ("With all due respect, the site works.", "With all due respect", checks.CONDESCENSION),
    ("I'm sorry you feel that way.", "I'm sorry you feel", checks.NON_APOLOGY),
    ("We are sorry if you were disappointed.", "sorry if you", checks.NON_APOLOGY),
]


@pytest.mark.parametrize(("text", "phrase", "kind"), FLAGGED, ids=[p for _, p, _ in FLAGGED])
def test_each_blame_pattern_is_found_with_its_span(text: str, phrase: str, kind: str) -> None:
    found = checks.check_blame(text)
    start = text.index(phrase)
    assert [(f.kind, f.start, f.end, f.text) for f in found] == [(kind, start, start + len(phrase), phrase)]
    assert found[0].why and found[0].suggestion


def test_every_pattern_row_is_exercised() -> None:
    rows = (*checks.BLAME_PATTERNS, *checks.CONDESCENSION_PATTERNS, *checks.NON_APOLOGY_PATTERNS)
    for row in rows:
        assert any(row.regex.search(text) for text, _, _ in FLAGGED), row.regex.pattern


SINCERE = [
    "I'm sorry. I missed the deadline we agreed on and I did not tell you early enough. That is on me.",
    "I am sorry I let you down. I underestimated the work and should have said so at the start.",
    "You trusted me with your launch, and I did not deliver. I would like to fix the remaining issues at no "
    "cost to you, or refund the part you did not receive.",
    "I understand how frustrating it was to lose a weekend of sales. I should have tested on a real iPhone.",
    "Thank you for telling me plainly. I will call you this week, if that suits you.",
]


@pytest.mark.parametrize("text", SINCERE)
def test_a_sincere_apology_has_no_findings(text: str) -> None:
    assert checks.check(text, site="upwork", whole=False) == []


def test_a_whole_sincere_draft_has_no_findings_and_reads_calm() -> None:
    answers = Answers(texts={"acknowledge": SINCERE[3], "own": SINCERE[1], "explain": SINCERE[0],
                             "next": SINCERE[2] + " " + SINCERE[4]}, signature="Sam")
    body = render(answers)
    assert checks.check(body, site="upwork") == []
    assert checks.reads_calm(checks.calm(body))


def test_the_built_in_options_pass_their_own_checks() -> None:
    for step in STEPS:
        for option in step.options:
            assert checks.check(option.text) == [], option.key


@pytest.mark.parametrize(("text", "flagged"), [
    ("The budget was $2,400 in total.", "$2,400"),
    ("I refunded \u20ac1.200,50 last week.", "\u20ac1.200,50"),
    ("It cost them 1,200 EUR.", "1,200 EUR"),
    ("about 3k dollars", "3k dollars"),
    ("Write to dana@whitfield-studio.co.uk any time.", "dana@whitfield-studio.co.uk"),
    ("Call me on +44 20 7946 0958 today.", "+44 20 7946 0958"),
    ("My number is (555) 123-4567.", "(555) 123-4567"),
    ("Northwind Bakery had the same setup.", "Northwind Bakery"),
    ("like northwind bakery did", "northwind bakery"),
])
def test_confidential_details_are_flagged(text: str, flagged: str) -> None:
    found = checks.check_confidential(text, ["Northwind Bakery", "Dana Whitfield"])
    start = text.index(flagged)
    assert [(f.start, f.end) for f in found] == [(start, start + len(flagged))]
    assert all(f.kind == checks.CONFIDENTIAL for f in found)


@pytest.mark.parametrize("text", [
    "We started on 2025-03-03 and I delivered on 28/03/2025, 11 days late.",
    "Between 2024 2025 the project ran for 3 weeks and 40 hours.",
    "Version 1.2.3 shipped at 10:30.",
    "Northwinds are strong this time of year.",
])
def test_dates_numbers_and_near_names_are_not_confidential(text: str) -> None:
    assert checks.check_confidential(text, ["Northwind"]) == []


def test_confidentiality_applies_to_public_replies_only() -> None:
    text = "The agreed budget was $2,400; write to dana@example.org."
    assert any(f.kind == checks.CONFIDENTIAL for f in checks.check(text, public=True))
    assert not any(f.kind == checks.CONFIDENTIAL for f in checks.check(text, public=False))


@pytest.mark.parametrize(("text", "phrase"), [
    ("Could you please remove your review?", "remove your review"),
    ("I would appreciate you updating the feedback once it is fixed.", "updating the feedback"),
    ("Would you consider changing your star rating?", "changing your star rating"),
    ("Please take it down.", "take it down"),
    ("Maybe you could raise your rating.", "raise your rating"),
    ("A full refund in exchange for a new review.", "in exchange for a new review"),
])
def test_requests_to_change_the_review_are_flagged(text: str, phrase: str) -> None:
    found = checks.check_removal(text)
    start = text.index(phrase)
    assert [(f.kind, f.start, f.end) for f in found] == [(checks.REMOVAL, start, start + len(phrase))]


def test_the_templates_never_ask_to_remove_the_review() -> None:
    answers = Answers(texts={s.key: " ".join(o.text for o in s.options) or "It broke at testing." for s in STEPS},
                      signature="Sam")
    for kind in ("reply", "email"):
        for fmt in ("txt", "md"):
            assert checks.check_removal(render(answers, kind=kind, fmt=fmt)) == []


def test_length_overflow_is_one_finding_over_the_excess() -> None:
    limit = checks.site_limit("upwork")
    text = "a" * (limit.limit + 25)
    [finding] = checks.check_length(text, limit)
    assert (finding.kind, finding.start, finding.end) == (checks.LENGTH, limit.limit, len(text))
    assert checks.check_length("a" * limit.limit, limit) == []
    assert checks.check_length(text, checks.site_limit("upwork", public=False)) == []


def test_every_site_limit_names_its_source() -> None:
    for limit in checks.SITE_LIMITS.values():
        assert limit.limit and limit.limit > 0 and limit.source
    assert checks.site_limit("nowhere").key == "other"


def test_shouting_and_a_negative_draft_are_tone_findings() -> None:
    found = checks.check_tone("This is TERRIBLE work!!")
    assert {f.text for f in found} >= {"TERRIBLE", "!!"}
    calm = "Thank you for the honest review. I will gladly fix it at no cost."
    assert checks.check_tone(calm) == [] and checks.calm(calm).label == "positive"


@given(st.text(max_size=300))
def test_findings_always_span_the_text(text: str) -> None:
    for f in checks.check(text, other_clients=["Acme"], site="upwork"):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start:f.end] == f.text


def test_owning_a_failure_in_the_first_person_reads_calm_and_blaming_does_not() -> None:
    # "I did not test" is what step 1 asks the freelancer to write; the same failure pinned on the
    # client is not calm.
    assert checks.reads_calm(checks.calm("I did not test the checkout on a real iPhone."))
    assert checks.reads_calm(checks.calm("We missed the deadline we agreed."))
    assert not checks.reads_calm(checks.calm("You did not test anything, and this was a terrible mess."))
