"""An elliptic reply of emphasis (round nineteen): a sentence that is only "Not for a second.", "Not once.", "Never.",
"Not at all.".

After a statement it repeats that statement's sense: "Wouldn't hesitate to recommend. Not for a second." praises, "They
never called back. Not once." complains (round eighteen's layer read 'not', "wouldn't" and 'for a' in the first as a
complaint and raised an alert over the rules' praise). After a question it answers no, so it weighs as the question
turned: "Did they ever miss a deadline? Never." and "Was I worried? Not at all." praise, "Did they care? Not for a
second." complains; "Would I recommend them? Never." too (the question alone reads as the writer's praise, which
the no takes back). A question of the writer's own will with no sentiment word in it ("Would I hire them again?",
"Will we go back?") answered no is a refusal: a complaint (REFUSAL).

The same words opening a longer sentence ("Never had a payment go missing", "Not once did they miss a deadline") are
no reply: words.py reads them as the negation they are.
"""
from __future__ import annotations

from desktop.scoring.context import ONESELF

REFUSAL = -1.5  # what a no weighs to a question of the writer's will that holds no sentiment word
_REPLIES = frozenset(tuple(s.split()) for s in (
    "not for a second", "not for a moment", "not for one second", "not for one moment", "not once", "not at all",
    "never", "never once", "never ever", "not ever", "not even once", "not one bit", "not a bit", "not in the slightest",
    "not even for a second", "not even for a moment", "not a chance", "no chance", "no way",
))
OPENERS = frozenset(reply[0] for reply in _REPLIES)  # a reply opens with one of these (the scorer's gate)
_LONGEST = max(map(len, _REPLIES))
_WILLING = frozenset(("would", "will", "should"))


def is_reply(lows: list[str]) -> bool:
    """Is the sentence (its lower-case words) only an elliptic reply of emphasis?"""
    return len(lows) <= _LONGEST and tuple(lows) in _REPLIES


def reply_weight(before: list[str], said: float, read: float, asked: bool) -> float:
    """What a reply weighs after the sentence `before` (its lower-case words), which weighed `said` in the text and
    `read` as its words were read (before a question's were set aside), and was a question when `asked`."""
    if not asked:
        return said
    if read:  # the question turned, and what it added to the text when it was read as the writer's own ("Would I recommend them?")
        return -read - said
    if len(before) > 2 and before[0] in _WILLING and before[1] in ONESELF:
        return REFUSAL  # "Would I hire them again? Never."
    return 0.0
