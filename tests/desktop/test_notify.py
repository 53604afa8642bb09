"""The notifier's rules, headless: batching, quiet hours on an injected clock, the start-up summary."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from desktop.shell.notify import AlertInfo, Notifier, in_quiet_hours, single_notice, stars

LOCAL = datetime.now().astimezone().tzinfo


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def alert(n: int, site: str = "trustpilot") -> AlertInfo:
    return AlertInfo(n, site, f"client{n}", "Missed the deadline and stopped replying", 1.0)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 2, 15, 0, tzinfo=LOCAL))


def test_one_alert_gives_one_message_about_that_mention(clock: Clock) -> None:
    notifier = Notifier(clock=clock)
    notice = notifier.on_alerts([alert(7)])
    assert notice is not None and notice.mention_id == 7
    assert notice.title == "Negative review on Trustpilot"
    assert "★☆☆☆☆" in notice.body and "client7" in notice.body
    assert notifier.last_shown == notice


def test_several_at_once_become_one_summary(clock: Clock) -> None:
    notifier = Notifier(clock=clock)
    notice = notifier.on_alerts([alert(1), alert(2, "upwork"), alert(3)])
    assert notice is not None
    assert notice.title == "3 new negative reviews"
    assert notice.mention_id is None and notice.mention_ids == (1, 2, 3)
    assert "Trustpilot" in notice.body and "Upwork" in notice.body


def test_quiet_hours_hold_messages_until_they_end(clock: Clock) -> None:
    clock.now = clock.now.replace(hour=23, minute=30)
    notifier = Notifier(clock=clock, quiet_start=time(22), quiet_end=time(7))
    assert notifier.on_alerts([alert(1)]) is None
    assert notifier.on_alerts([alert(2)]) is None
    clock.now += timedelta(hours=3)  # 02:30, still quiet
    assert notifier.release_due() is None
    clock.now += timedelta(hours=5)  # 07:30
    released = notifier.release_due()
    assert released is not None and released.mention_ids == (1, 2)
    assert released.title == "2 new negative reviews"
    assert notifier.release_due() is None  # nothing shown twice


def test_startup_summarises_unseen_alerts_never_one_each(clock: Clock) -> None:
    notifier = Notifier(clock=clock)
    notice = notifier.on_startup([alert(1), alert(2), alert(3)])
    assert notice is not None and notice.title == "3 unseen negative reviews"
    one = Notifier(clock=clock).on_startup([alert(4)])
    assert one is not None and one.title == "1 unseen negative review" and one.mention_id == 4
    assert notifier.on_startup([]) is None


def test_notifications_off_shows_nothing(clock: Clock) -> None:
    notifier = Notifier(clock=clock)
    notifier.configure({"notifications": False})
    assert notifier.on_alerts([alert(1)]) is None


@pytest.mark.parametrize("now, quiet", [(time(21, 59), False), (time(22, 0), True), (time(3), True),
                                       (time(7, 0), False), (time(12), False)])
def test_quiet_hours_across_midnight(now: time, quiet: bool) -> None:
    moment = datetime(2026, 1, 1, now.hour, now.minute, tzinfo=LOCAL)
    assert in_quiet_hours(moment, time(22), time(7)) is quiet


def test_message_text_keeps_markup_literal() -> None:
    hostile = AlertInfo(1, "reddit", "<b>x</b>", '<img src=x onerror="alert(1)">', None)
    notice = single_notice(hostile)
    assert '<img src=x onerror="alert(1)">' in notice.body and "<b>x</b>" in notice.body


def test_stars_round_and_clamp() -> None:
    assert stars(2.4) == "★★☆☆☆" and stars(5) == "★★★★★" and stars(None) == ""
