"""desktop/records/reply_windows.py: the sites' reply deadlines and one-shot rules."""
from __future__ import annotations

from datetime import date, datetime, timezone

from desktop.records.reply_windows import window_for

POSTED = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)


def test_upwork_counts_28_days_from_the_contracts_end():
    window = window_for("Upwork", POSTED, contract_end=date(2026, 2, 27))
    assert window.deadline == datetime(2026, 3, 27, 23, 59, 59, tzinfo=timezone.utc)
    assert window.one_shot and not window.estimated
    text = window.describe(datetime(2026, 3, 20, tzinfo=timezone.utc))
    assert text.startswith("Reply by 2026-03-2") and "(7 days left)" in text and "cannot be edited" in text


def test_upwork_without_a_contract_end_estimates_from_the_review():
    window = window_for("upwork", POSTED)
    assert window.estimated and window.deadline == datetime(2026, 3, 30, 15, 0, tzinfo=timezone.utc)
    assert "about 10 days left" in window.describe(datetime(2026, 3, 20, 9, 0, tzinfo=timezone.utc))
    assert window.describe(datetime(2026, 4, 2, tzinfo=timezone.utc)).startswith("The reply window closed on")


def test_fiverr_has_no_deadline_and_other_sites_no_rules():
    fiverr = window_for("fiverr", POSTED)
    assert fiverr.deadline is None and not fiverr.one_shot
    assert fiverr.describe(POSTED).startswith("Fiverr lets you reply once the review is public")
    assert window_for("trustpilot", POSTED) is None
    assert window_for("", None) is None
