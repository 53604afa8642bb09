"""When and how often a site lets the freelancer answer a review, so the deadline is shown before it passes.

From the sites' own help pages (checked November 2026):
- Upwork, "Respond to or report feedback" (support.upwork.com/hc/en-us/articles/17975121967891): a response
  must be posted within 28 days of the contract ending; one response per feedback, and it cannot be edited.
- Fiverr, "Feedback and ratings" (help.fiverr.com/hc/en-us/articles/360010544097): a seller can reply to a
  buyer's review from the Order page once both reviews are published (or the 10-day blind window passed);
  Rapport only sees public reviews, so a Fiverr review it shows can be answered.
Other sites (Trustpilot, Google, forums) set no deadline for a business reply.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

UPWORK_DAYS = 28


@dataclass(frozen=True)
class ReplyWindow:
    site: str
    deadline: datetime | None  # the last moment a reply is accepted; None: no deadline
    one_shot: bool  # one reply, never edited
    estimated: bool  # the deadline counts from the review's date, the contract's end being unknown
    rule: str  # the site's rule in words

    def describe(self, now: datetime) -> str:
        """One line for the reading pane and the composer."""
        parts = []
        if self.deadline is not None:
            left = self.deadline - now
            when = f"{self.deadline.astimezone():%Y-%m-%d}"
            if left.total_seconds() <= 0:
                parts.append(f"The reply window closed on {when}.")
            else:
                about = "about " if self.estimated else ""
                parts.append(f"Reply by {when} ({about}{max(1, left.days)} day{'s' if left.days != 1 else ''} left).")
        parts.append(self.rule)
        return " ".join(parts)


def window_for(site: str, posted_at: datetime | None, contract_end: date | None = None) -> ReplyWindow | None:
    """The reply rules of `site` for a review posted at `posted_at` on a contract that ended `contract_end` (the
    linked project's delivery date; without one, Upwork's deadline is estimated from the review's date)."""
    site = site.strip().casefold()
    if site == "upwork":
        if contract_end is not None:
            start, estimated = datetime.combine(contract_end, time(23, 59, 59), timezone.utc), False
        elif posted_at is not None:
            start, estimated = posted_at, True
        else:
            start, estimated = None, True
        return ReplyWindow("upwork", start + timedelta(days=UPWORK_DAYS) if start else None, True, estimated,
                           "Upwork allows one public response within 28 days of the contract's end, and it "
                           "cannot be edited afterwards.")
    if site == "fiverr":
        return ReplyWindow("fiverr", None, False, False,
                           "Fiverr lets you reply once the review is public, from the order page.")
    return None
