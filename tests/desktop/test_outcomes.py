"""desktop/records/outcomes.py and `rapport outcomes`: figures on a seeded store with known answers."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from desktop.store import drafts
from desktop.composer.answers import Answers
from desktop.records import outcomes
from desktop.records.ingest import ingest
from desktop.store import clients, projects, revisions, sources
from scrapers.base import Mention

# Every store test here runs on SQLite and on a real PostgreSQL server.
pytestmark = pytest.mark.both_backends

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def review(rid: str, rating: float, text: str, author: str = "Maya Chen") -> Mention:
    return Mention(text=text, author=author, external_id=rid, rating=rating, posted_at=T0 - timedelta(days=1),
                   url=f"https://www.trustpilot.com/reviews/{rid}")


def answer(conn, mention_id: int, at: datetime, offers: tuple[str, ...] = ()) -> None:
    draft = drafts.create(conn, mention_id, None, clock=lambda: at)
    drafts.save(conn, draft, Answers(choices={"next": offers}), "I am sorry; I missed the deadline.",
                clock=lambda: at)
    drafts.mark_posted(conn, draft, at)


@pytest.fixture
def seeded(conn):
    """Five negative reviews on two sources, each with a known fate, and one positive review."""
    tp = sources.add(conn, "trustpilot", "https://www.trustpilot.com/review/rivera.dev", label="Trustpilot")
    feed = sources.add(conn, "jsonld", "https://rivera.dev/testimonials", label="Testimonials")
    maya = clients.add(conn, "Oakridge Dental", handles=[("trustpilot", "Maya Chen")])
    at = lambda t: (lambda: t)  # noqa: E731
    first = ingest(conn, tp.id, [review("r1", 1, "Missed the deadline twice and stopped answering."),
                                 review("r2", 2, "Buggy checkout, had to pay someone else.", "Tom Price"),
                                 review("r3", 1, "Never delivered the second milestone.", "Ines Alvarez"),
                                 review("r4", 5, "Lovely work, fast and friendly.", "Ola Berg")],
                   site="trustpilot", clock=at(T0))
    second = ingest(conn, feed.id, [review("f1", 1, "Terrible communication, the project failed.", "Lee Wong"),
                                    review("f2", 2, "Disappointing results for the money.", "Ana Ruiz")],
                    site="jsonld", clock=at(T0))
    ids = {m.external_id: r.mention_id for m, r in zip(
        [review(x, 1, "") for x in ("r1", "r2", "r3", "r4")], first)}
    ids.update({"f1": second[0].mention_id, "f2": second[1].mention_id})
    # r1 (Maya): answered after 6 h with two offers, then raised to 4 stars: recovered; and a new project: won back.
    answer(conn, ids["r1"], T0 + timedelta(hours=6), ("fix_free", "call"))
    ingest(conn, tp.id, [review("r1", 4, "Update: Sam fixed everything at no cost. Much happier now.")],
           site="trustpilot", clock=at(T0 + timedelta(days=3)))
    projects.add(conn, maya.id, "Booking widget v2", started=date(2026, 3, 20))
    # r2: answered after 30 h, then removed from the site.
    answer(conn, ids["r2"], T0 + timedelta(hours=30), ("partial_refund",))
    with conn:
        revisions.mark_removed(conn, tp.id, {"id:r1", "id:r3", "id:r4"}, T0 + timedelta(days=4))
    # r3: answered after 2 h, nothing changed since.
    answer(conn, ids["r3"], T0 + timedelta(hours=2), ("handover",))
    # f1: unanswered. f2: the site shows a reply (no draft) after 12 h; edited later but still negative.
    with conn:
        revisions.record_site_reply(conn, ids["f2"], "Sorry to hear it.", T0 + timedelta(hours=12))
    ingest(conn, feed.id, [review("f2", 2, "Still disappointing results for the money, sadly.", "Ana Ruiz")],
           site="jsonld", clock=at(T0 + timedelta(days=2)))
    return ids


def test_each_review_gets_its_outcome(conn, seeded):
    found = {o.review.mention: o for o in outcomes.outcomes(conn)}
    assert seeded["r4"] not in found  # a positive review never alerted
    soon, later = T0 + timedelta(days=10), T0 + timedelta(days=40)
    words = {rid: found[mid].outcome(soon) for rid, mid in seeded.items() if mid in found}
    assert words == {"r1": "recovered", "r2": "removed", "r3": "pending", "f1": "unanswered", "f2": "pending"}
    assert found[seeded["r1"]].won_back and found[seeded["r1"]].recovered
    assert found[seeded["r3"]].outcome(later) == "unchanged"
    assert found[seeded["r1"]].time_to_answer == timedelta(hours=6)


def test_figures_overall_and_per_source(conn, seeded):
    from desktop.store.dashboard import Query

    overall = outcomes.figures(conn, Query(), T0 + timedelta(days=40))
    assert (overall.negatives, overall.answered, overall.recovered, overall.removed, overall.won_back,
            overall.unchanged) == (5, 4, 1, 1, 1, 2)
    assert overall.median_hours_to_answer == 9.0  # 2, 6, 12, 30 hours
    assert overall.offers_in_recovered == {"A call to talk it through": 1, "Fix it at no cost": 1}
    per_source = outcomes.by_source(conn, Query(), T0 + timedelta(days=40))
    assert set(per_source) == {"Trustpilot", "Testimonials"}
    assert (per_source["Testimonials"].negatives, per_source["Testimonials"].answered) == (2, 1)


def test_since_leaves_out_older_alerts(conn, seeded):
    assert outcomes.outcomes(conn, T0 + timedelta(days=1)) == []
    assert len(outcomes.outcomes(conn, T0 - timedelta(days=1))) == 5


def test_outcomes_command(conn, seeded, store_target, capsys):
    from desktop.cli import main

    conn.close()
    assert main(["--db", str(store_target), "outcomes", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"]["negatives"] == 5 and data["overall"]["answered"] == 4
    assert main(["--db", str(store_target), "outcomes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2].startswith("all sources\t5 negative\t4 answered\tmedian 9 h to answer")
    assert "Fix it at no cost (1)" in lines[-1]
    assert main(["--db", str(store_target), "outcomes", "--since", "2026-03-05"]) == 0
    assert "0 negative" in capsys.readouterr().out


def test_outcomes_command_refuses_a_bad_date(db_path, capsys):
    from desktop.cli import main

    with pytest.raises(SystemExit):
        main(["--db", str(db_path), "outcomes", "--since", "last tuesday"])
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_the_dashboard_and_the_outcomes_read_one_answered(conn, seeded):
    """"Answered" has one definition (store/mentions.ANSWERED_AT): the dashboard's unanswered negatives are
    exactly the alerted negatives the outcomes call unanswered, and a site reply earlier than a posted draft
    is when the review was answered."""
    from desktop.store import dashboard

    answer(conn, seeded["f2"], T0 + timedelta(hours=20))  # a draft posted after the site's reply (12 h)
    found = {o.review.mention: o for o in outcomes.outcomes(conn)}
    assert found[seeded["f2"]].time_to_answer == timedelta(hours=12)
    unanswered_here = {mid for mid, o in found.items() if not o.answered and o.review.label == "negative"}
    listed = {u.id for u in dashboard.unanswered(conn, dashboard.Query(), limit=100)}
    assert listed == unanswered_here == {seeded["f1"]}
    assert dashboard.headline(conn, dashboard.Query()).unanswered_negatives == 1
