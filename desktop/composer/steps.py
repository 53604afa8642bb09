"""The response guide as data: the four steps that win an unhappy client back, then the review.

The wizard builds one page per step from these records, and the CLI and tests read the same data, so a
step's wording lives in exactly one place.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Option:
    """A usual answer the user can pick: `text` is a starter sentence they then rewrite in their own words."""

    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    guidance: str
    prompt: str
    options: tuple[Option, ...] = field(default_factory=tuple)


OWN = Step(
    key="own",
    title="Own your mistakes",
    guidance=("Say honestly what went wrong on your side. Readers forgive a mistake that is owned; they do not "
              "forgive excuses. Pick what fits, then say it in your own words."),
    prompt="What went wrong on my side",
    options=(
        Option("miscommunication", "Miscommunication",
               "I did not check often enough that we understood the brief the same way."),
        Option("deadline", "Too short a deadline",
               "I agreed to a deadline I could not keep, instead of telling you so at the start."),
        Option("underestimated", "Underestimated the task",
               "I underestimated how much work the project needed."),
        Option("not_serious", "Did not take it seriously enough",
               "I did not give your project the attention it deserved."),
    ),
)

BLAME = Step(
    key="acknowledge",
    title="Don't blame the client",
    guidance=("The client does not need the technical side of the job, and nobody reading wants to see a client "
              "blamed. Acknowledge what this was like for them. Your whole draft so far is checked for blaming "
              "and condescending phrases as you type."),
    prompt="What this was like for the client",
    options=(
        Option("frustration", "Frustration", "I understand how frustrating this was for you."),
        Option("trust", "Trust let down", "You trusted me with this project and I let you down."),
        Option("time", "Lost time", "I know this cost you time you had planned for other things."),
    ),
)

EXPLAIN = Step(
    key="explain",
    title="Explain why the project failed",
    guidance=("Walk through the process objectively: where it broke and why. Facts from the project record are "
              "filled in for you. Keep private details (amounts, emails, phone numbers, other clients) out of a "
              "public reply."),
    prompt="What happened, step by step",
)

NEXT = Step(
    key="next",
    title="Give ideas what to do",
    guidance=("Propose what you can do now. Concrete offers show you mean the apology. Edit them to what you "
              "can really deliver."),
    prompt="What I can offer",
    options=(
        Option("fix_free", "Fix it at no cost", "I would like to fix the remaining issues at no cost to you."),
        Option("partial_refund", "Partial refund", "I can offer a partial refund for the part that was not delivered."),
        Option("handover", "Hand over to another professional",
               "If you prefer, I will hand everything over to another professional who can finish it, "
               "with notes so they can start straight away."),
        Option("call", "A call to talk it through",
               "I would welcome a short call to talk it through and agree on the next steps."),
    ),
)

STEPS: tuple[Step, ...] = (OWN, BLAME, EXPLAIN, NEXT)

REVIEW = Step(
    key="review",
    title="Review & export",
    guidance=("The whole draft with its checks. A public reply should read calm, fit the site's limit and never "
              "ask the client to remove or change the review."),
    prompt="",
)

KINDS = {"reply": "Public reply", "email": "Private email"}


def step(key: str) -> Step:
    for s in (*STEPS, REVIEW):
        if s.key == key:
            return s
    raise KeyError(key)
