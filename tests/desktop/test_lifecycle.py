"""A review's later life: edits kept as revisions and alerted once, removals, the site's reply, over real polls.

A local server serves a Trustpilot company page (the recorded page's own markup, cut to a one-page list),
then the same page with one review edited down, one edited up, one removed and one with a business reply.
"""
from __future__ import annotations

import copy
import json
import re
from datetime import timedelta

import pytest

from desktop.store import drafts
from desktop.composer.answers import Answers
from desktop.polling import poll_once
from desktop.store import alerts, revisions, sources
from tests.helpers.fault_server import PAGES, Reply

# Every store test here runs on SQLite and on a real PostgreSQL server.
pytestmark = pytest.mark.both_backends

TP = "/review/northlightstudio.co.uk"
_RECORDED = (PAGES / "trustpilot" / "northlightstudio-page1.html").read_text(encoding="utf-8")
_NEXT_DATA = re.compile(r'(<script id="__NEXT_DATA__" type="application/json">)(.*?)(</script>)', re.S)


def _recorded_data() -> dict:
    return json.loads(_NEXT_DATA.search(_RECORDED).group(2))


def page(edit=None, *, total_pages: int = 1) -> str:
    """The recorded page with its reviews passed through `edit` (a function of the review list)."""
    data = _recorded_data()
    props = data["props"]["pageProps"]
    reviews = props["reviews"]
    for review in reviews:
        review["reply"] = None  # start with no replies; the scenario adds one
    props["reviews"] = edit(copy.deepcopy(reviews)) if edit else reviews
    props["filters"]["pagination"].update(totalPages=total_pages, currentPage=1,
                                          totalCount=len(props["reviews"]))
    payload = json.dumps(data).replace("</", "<\\/")
    return _NEXT_DATA.sub(lambda m: m.group(1) + payload + m.group(3), _RECORDED)


def by_id(reviews: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in reviews}


def scenario(reviews: list[dict]) -> list[dict]:
    """The second visit: #1 (5 stars) edited down to 1, #0 (1 star) edited up to 4, #2 removed, #3 replied to."""
    positive = [r for r in reviews if r["rating"] >= 4]
    negative = [r for r in reviews if r["rating"] <= 2]
    down, up = positive[0], negative[0]
    gone = [r for r in reviews if r is not down and r is not up][0]
    answered = [r for r in reviews if r not in (down, up, gone)][0]
    down.update(rating=1, text="Changed my mind. The site broke a week after launch and nobody answers my emails.")
    up.update(rating=4, text="Update: they fixed the contact form and refunded the extra invoice. Much better now.")
    answered["reply"] = {"message": "Thank you for the kind words, it was a pleasure working with you.",
                         "publishedDate": "2025-03-15T08:00:00.000Z", "updatedDate": None}
    return [r for r in reviews if r is not gone]


def mention_for(conn, review_id: str):
    return conn.execute("SELECT * FROM mentions WHERE external_id = ?", (review_id,)).fetchone()


@pytest.fixture
def reviews():
    """The recorded reviews as the first visit serves them (no replies yet)."""
    found = _recorded_data()["props"]["pageProps"]["reviews"]
    for review in found:
        review["reply"] = None
    return found


def test_edits_removals_and_replies_after_two_polls(conn, fault_server, session, clock, reviews):
    url = fault_server.route(TP, Reply(body=page()), Reply(body=page(scenario)), Reply(body=page(scenario)))
    row = sources.add(conn, "trustpilot", url, interval_s=3600)
    first = poll_once(row, session, conn, clock)
    assert first.ok and first.new == len(reviews)
    first_alerts = {m for _a, m in first.alerted}

    clock.advance(hours=2)
    second = poll_once(sources.get(conn, row.id), session, conn, clock)
    assert second.ok and second.new == 0

    after = scenario(copy.deepcopy(reviews))
    ids = by_id(after)
    positive_before = [r["id"] for r in reviews if r["rating"] >= 4]
    negative_before = [r["id"] for r in reviews if r["rating"] <= 2]
    down, up = mention_for(conn, positive_before[0]), mention_for(conn, negative_before[0])
    # Edited down: a new revision, re-scored, alerted once for it.
    assert (down["rating"], down["label"], down["revision"]) == (1, "negative", 2)
    assert down["text"] == ids[positive_before[0]]["text"]
    history = revisions.history(conn, down["id"])
    assert [(h.n, h.rating) for h in history] == [(1, 5), (2, 1)]
    assert down["id"] not in first_alerts and [m for _a, m in second.alerted] == [down["id"]]
    assert alerts.for_mention(conn, down["id"]) is not None
    # Edited up: a revision, no alert.
    assert (up["rating"], up["revision"]) == (4, 2) and up["label"] != "negative"
    # Removed from a page that holds the whole list: marked, never deleted.
    gone_id = ({r["id"] for r in reviews} - set(ids)).pop()
    gone = mention_for(conn, gone_id)
    assert gone is not None and gone["removed_at"] is not None
    # The business's reply, as the site shows it.
    replied = [r for r in after if r.get("reply")][0]
    assert mention_for(conn, replied["id"])["site_reply"].startswith("Thank you for the kind words")

    # A third poll of the same page changes nothing and alerts nothing again.
    clock.advance(hours=2)
    third = poll_once(sources.get(conn, row.id), session, conn, clock)
    assert third.ok and third.alerted == ()
    assert mention_for(conn, positive_before[0])["revision"] == 2
    assert conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == len(reviews)


def test_a_partial_list_never_marks_reviews_removed(conn, fault_server, session, clock, reviews):
    newest_only = page(lambda rs: rs[:2], total_pages=3)  # the site shows the newest page of three
    url = fault_server.route(TP, Reply(body=page(total_pages=3)), Reply(body=newest_only))
    for review in reviews:  # every older review is still on its own page
        fault_server.route(f"/reviews/{review['id']}", Reply(body=_RECORDED))
    row = sources.add(conn, "trustpilot", url, interval_s=3600)
    poll_once(row, session, conn, clock)
    clock.advance(hours=1)
    assert poll_once(sources.get(conn, row.id), session, conn, clock).ok
    removed = conn.execute("SELECT count(*) FROM mentions WHERE removed_at IS NOT NULL").fetchone()[0]
    assert removed == 0
    asked = [r for r in fault_server.requests if r.path.startswith("/reviews/")]
    assert 1 <= len(asked) <= 3  # a few review pages a check, never the whole older list


def _partial_then_missing(fault_server, reviews, polls: int = 1) -> tuple[str, dict, dict]:
    """A newest-first page of three (never the whole list) that first shows every review, then loses two."""
    kept, lost = reviews[:-2], reviews[-2:]
    replies = [Reply(body=page(total_pages=3))] + [Reply(body=page(lambda rs: rs[:-2], total_pages=3))] * polls
    return fault_server.route(TP, *replies), lost[0], lost[1]


def test_a_review_whose_own_page_is_gone_is_marked_removed(conn, fault_server, session, clock, reviews):
    """Off a partial page, the two missing reviews are asked for on their own pages: the one that answers 410
    (taken down) is removed, the one still there is not; both over the same polite fetch (robots.txt read)."""
    url, gone, there = _partial_then_missing(fault_server, reviews)
    fault_server.route(f"/reviews/{gone['id']}", Reply(status=410, body="<h1>This review has been removed</h1>"))
    fault_server.route(f"/reviews/{there['id']}", Reply(body=_RECORDED))
    row = sources.add(conn, "trustpilot", url, interval_s=3600)
    poll_once(row, session, conn, clock)
    assert fault_server.hits(f"/reviews/{gone['id']}") == []  # nothing missing yet: nothing asked
    clock.advance(hours=1)
    assert poll_once(sources.get(conn, row.id), session, conn, clock).ok
    assert mention_for(conn, gone["id"])["removed_at"] is not None
    assert mention_for(conn, there["id"])["removed_at"] is None
    assert len(fault_server.hits(f"/reviews/{gone['id']}")) == 1 and fault_server.hits("/robots.txt")
    removed = conn.execute("SELECT count(*) FROM mentions WHERE removed_at IS NOT NULL").fetchone()[0]
    assert removed == 1


def test_checks_go_round_the_missing_reviews_oldest_asked_first(conn, fault_server, session, clock, reviews):
    """Off a partial page that keeps showing only the newest two, each check asks about RECHECKS_PER_POLL of
    the missing reviews: the never-asked first, then the longest ago, so every one is asked once before any is
    asked twice (picked at random, some were asked again while others waited)."""
    from desktop.polling.removals import RECHECKS_PER_POLL

    def more(rs: list[dict]) -> list[dict]:  # the recorded five and copies under their own ids: eleven reviews
        return rs + [dict(copy.deepcopy(r), id=r["id"][:-2] + f"{k:02x}") for k, r in enumerate(rs + rs[:1])]

    everyone = more(copy.deepcopy(reviews))
    missing = everyone[2:]
    rounds = -(-len(missing) // RECHECKS_PER_POLL)  # enough checks to ask about each once
    url = fault_server.route(TP, Reply(body=page(more, total_pages=3)),
                             *[Reply(body=page(lambda rs: more(rs)[:2], total_pages=3))] * (2 * rounds))
    for review in everyone:  # every older review is still on its own page
        fault_server.route(f"/reviews/{review['id']}", Reply(body=_RECORDED))
    row = sources.add(conn, "trustpilot", url, interval_s=3600)
    poll_once(row, session, conn, clock)

    def asked() -> dict[str, int]:
        return {r["id"]: len(fault_server.hits(f"/reviews/{r['id']}")) for r in missing}

    for done in range(1, 2 * rounds + 1):
        clock.advance(hours=1)
        assert poll_once(sources.get(conn, row.id), session, conn, clock).ok
        counts = asked()
        assert sum(counts.values()) == done * RECHECKS_PER_POLL
        assert max(counts.values()) - min(counts.values()) <= 1, (done, counts)  # nobody asked twice too soon
        if done == rounds:
            assert min(counts.values()) == 1  # every missing review asked about once
    assert conn.execute("SELECT count(*) FROM mentions WHERE removal_checked_at IS NOT NULL").fetchone()[0] \
        == len(missing)


def test_robots_and_rate_limits_hold_the_asking_back(conn, fault_server, session, clock, reviews):
    """A review page robots.txt forbids is never asked for (nothing marked); a 429 on one stops the asking
    and holds the next check until the site's Retry-After."""
    url, first, second = _partial_then_missing(fault_server, reviews, polls=2)
    fault_server.route("/robots.txt", Reply(body=f"User-agent: *\nDisallow: /reviews/{first['id']}\n",
                                            content_type="text/plain"))
    fault_server.route(f"/reviews/{second['id']}", Reply(status=429, headers={"Retry-After": "3600"}),
                       Reply(status=404))
    row = sources.add(conn, "trustpilot", url, interval_s=3600)
    poll_once(row, session, conn, clock)
    clock.advance(hours=1)
    result = poll_once(sources.get(conn, row.id), session, conn, clock)
    assert result.ok and result.retry_at is not None and result.retry_at >= clock() + timedelta(minutes=59)
    assert fault_server.hits(f"/reviews/{first['id']}") == []
    assert conn.execute("SELECT count(*) FROM mentions WHERE removed_at IS NOT NULL").fetchone()[0] == 0
    clock.advance(hours=2)
    assert poll_once(sources.get(conn, row.id), session, conn, clock).ok
    assert mention_for(conn, second["id"])["removed_at"] is not None  # asked again later: 404, gone
    assert mention_for(conn, first["id"])["removed_at"] is None


def test_an_edit_alerts_once_per_revision_and_again_for_a_later_one(conn, fault_server, session, clock, reviews):
    target = [r["id"] for r in reviews if r["rating"] == 5][0]

    def rate(stars, words):
        def edit(rs):
            by_id(rs)[target].update(rating=stars, text=words)
            return rs
        return edit

    url = fault_server.route(TP, Reply(body=page()), Reply(body=page(rate(3, "It was okay in the end."))),
                             Reply(body=page(rate(3, "It was okay in the end."))),
                             Reply(body=page(rate(1, "Worst agency I have hired. Avoid."))))
    row = sources.add(conn, "trustpilot", url, interval_s=3600)
    poll_once(row, session, conn, clock)
    results = []
    for _ in range(3):
        clock.advance(hours=1)
        results.append(poll_once(sources.get(conn, row.id), session, conn, clock))
    mention = mention_for(conn, target)
    assert [len(r.alerted) for r in results] == [1, 0, 1]  # 5 -> 3 (rating down), unchanged, 3 -> 1
    assert mention["revision"] == 3
    alert = alerts.for_mention(conn, mention["id"])
    assert alert is not None and alert.seen_at is None


def test_the_sites_reply_marks_the_matching_draft_posted(conn, fault_server, session, clock, reviews):
    target = [r for r in reviews if r["rating"] <= 2][0]
    our_reply = ("Aoife, we're sorry about the launch. We should have told you about the delays as soon as we "
                 "knew, and we will refund the extra developer's invoice.")

    def replied(rs):
        by_id(rs)[target["id"]]["reply"] = {"message": our_reply + " Thanks for your patience.",
                                            "publishedDate": "2025-03-14T12:00:00.000Z", "updatedDate": None}
        return rs

    url = fault_server.route(TP, Reply(body=page()), Reply(body=page(replied)))
    row = sources.add(conn, "trustpilot", url, interval_s=3600)
    poll_once(row, session, conn, clock)
    mention = mention_for(conn, target["id"])
    draft_id = drafts.create(conn, mention["id"], None, clock=clock)
    drafts.save(conn, draft_id, Answers(), our_reply, clock=clock)
    assert drafts.get(conn, draft_id).posted_at is None
    clock.advance(hours=3)
    poll_once(sources.get(conn, row.id), session, conn, clock)
    posted = drafts.get(conn, draft_id).posted_at
    assert posted is not None and posted.isoformat().startswith("2025-03-14T12:00")


def test_replies_match_tolerates_light_edits_not_other_text():
    ours = "Thank you, Maya. I missed the deadline and I am sorry; I have refunded the last milestone."
    assert drafts.replies_match(ours, ours.replace("Thank you", "Thanks") + " Best, Sam")
    assert not drafts.replies_match(ours, "We appreciate your business and hope to work with you again soon.")
    assert not drafts.replies_match("", ours)


def test_the_lifecycle_migration_keeps_every_mention_and_alert(tmp_path):
    import sqlite3

    from desktop.store import migrations
    from desktop.store.db import connect

    path = tmp_path / "before.sqlite3"
    raw = sqlite3.connect(path, isolation_level=None)
    before = migrations.MIGRATIONS.index(migrations._v_lifecycle)
    migrations.migrate(raw, target=before)
    raw.execute("INSERT INTO mentions (source, dedupe_key, external_id, text, rating, fetched_at, compound, label)"
                " VALUES (1, 'id:r1', 'r1', 'Missed the deadline twice', 1, '2026-01-02T00:00:00+00:00', -0.6,"
                " 'negative')")
    raw.execute("INSERT INTO alerts (mention, raised_at) VALUES (1, '2026-01-02T00:00:00+00:00')")
    raw.close()

    conn = connect(path)
    try:
        mention = conn.execute("SELECT * FROM mentions").fetchone()
        assert (mention["text"], mention["revision"], mention["removed_at"], mention["site_reply"]) == (
            "Missed the deadline twice", 1, None, "")
        assert alerts.for_mention(conn, 1) is not None
        assert [(h.n, h.text) for h in revisions.history(conn, 1)] == [(1, "Missed the deadline twice")]
    finally:
        conn.close()


def test_the_tray_message_says_the_review_changed(conn, fault_server, session, clock, reviews):
    from desktop.shell.notify import info_for, single_notice

    target = [r for r in reviews if r["rating"] == 5][0]

    def down(rs):
        by_id(rs)[target["id"]].update(rating=1, text="They stopped answering after launch. Avoid.")
        return rs

    url = fault_server.route(TP, Reply(body=page()), Reply(body=page(down)))
    row = sources.add(conn, "trustpilot", url, interval_s=3600)
    poll_once(row, session, conn, clock)
    clock.advance(hours=1)
    result = poll_once(sources.get(conn, row.id), session, conn, clock)
    [brief] = alerts.alerted_mentions(conn, [m for _a, m in result.alerted])
    notice = single_notice(info_for(brief))
    author = target["consumer"]["displayName"]
    assert notice.title == "Review changed on Trustpilot"
    assert notice.body.startswith(f"{author} changed their review: 5 stars -> 1 star.")


def test_a_removed_review_put_back_online_is_back(conn, fault_server, session, clock, reviews):
    """Trustpilot takes a reported review offline and puts it back once the reviewer has fixed it (its help
    pages: "if the problem is addressed, the review will be put back online"). Off a partial page that no
    longer lists it, its own page answering 404 marks it removed; the same page answering again later, though
    the newest page still does not list it, marks it back. The company page itself answering 404 fails the
    check and marks nothing."""
    url, gone, there = _partial_then_missing(fault_server, reviews, polls=3)
    fault_server.route(f"/reviews/{gone['id']}", Reply(status=404, body="<h1>Page not found</h1>"),
                       Reply(body=_RECORDED))
    fault_server.route(f"/reviews/{there['id']}", Reply(body=_RECORDED), Reply(body=_RECORDED))
    row = sources.add(conn, "trustpilot", url, interval_s=3600)
    poll_once(row, session, conn, clock)
    clock.advance(hours=1)
    assert poll_once(sources.get(conn, row.id), session, conn, clock).ok
    assert mention_for(conn, gone["id"])["removed_at"] is not None
    clock.advance(hours=1)
    assert poll_once(sources.get(conn, row.id), session, conn, clock).ok
    assert len(fault_server.hits(f"/reviews/{gone['id']}")) == 2  # asked again though marked removed
    assert mention_for(conn, gone["id"])["removed_at"] is None and mention_for(conn, there["id"])["removed_at"] is None

    fault_server.route(TP, Reply(status=404, body="<h1>Page not found</h1>"))
    clock.advance(hours=1)
    failed = poll_once(sources.get(conn, row.id), session, conn, clock)
    assert failed.state == "failing" and "page not found (404)" in failed.error
    assert conn.execute("SELECT count(*) FROM mentions WHERE removed_at IS NOT NULL").fetchone()[0] == 0
