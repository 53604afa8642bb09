"""One broken item in a real-shaped page of each forum and marketplace kind: the item is skipped with the
same note on every kind ("1 of N reviews/posts could not be read: why"), the rest of the page is kept
(every kind builds its items through `scrapers.base.collect`)."""
from __future__ import annotations

import json
from collections.abc import Callable

import pytest

import scrapers
from scrapers.base import Mentions
from scrapers.poll import PollRequest
from scrapers.terms import Terms
from tests.helpers.fault_server import Reply
from tests.scrapers.pages import PAGES

FAR_DATE = "9999-12-31T23:00:00-05:00"  # a real date whose UTC moment overflows: stored, it would crash
LONE = "\ud800"  # a lone surrogate: no store or export can hold it


def _json_edit(edit: Callable[[dict], None]) -> Callable[[str], str]:
    def apply(text: str) -> str:
        data = json.loads(text)
        edit(data)
        return json.dumps(data)
    return apply


def _second(items: list[dict], **fields: object) -> None:
    items[1].update(fields)


def _upwork_contract(data: dict) -> None:
    data["data"]["talentWorkHistory"]["workHistoryList"][0]["contract"]["endDate"] = FAR_DATE


def _freelancer_time(data: dict) -> None:
    data["result"]["reviews"][0]["time_submitted"] = 10 ** 30  # a timestamp no datetime can hold


# kind, recorded page, url, how to break one item
CASES = [
    ("hackernews", "search-sam-rivera.response", "https://hn.algolia.com/api/v1/search_by_date",
     _json_edit(lambda d: _second(d["hits"], comment_text=f"Sam Rivera {LONE} again"))),
    ("reddit", "oauth-search-sam-rivera.response", "https://oauth.reddit.com/search",
     _json_edit(lambda d: d["data"]["children"][1]["data"].update(body=f"Sam Rivera {LONE}",
                                                                    selftext=f"Sam Rivera {LONE}"))),
    ("discourse", "topic-9127.response", "https://forum.ledgerkit.org",
     _json_edit(lambda d: _second(d["post_stream"]["posts"], created_at=FAR_DATE))),
    ("freelancer", "reviews-page1.response",
     "https://www.freelancer.com/api/projects/0.1/reviews/?to_users[]=30817245", _json_edit(_freelancer_time)),
    ("fiverr", "seller-rasmusvoll.html", "https://www.fiverr.com/rasmusvoll",
     lambda text: text.replace('"created_at": "2026-11-03T17:40:02.000Z"', f'"created_at": "{FAR_DATE}"', 1)),
    ("upwork", "work-history.response", "https://www.upwork.com/freelancers/~01a7c3e9d5b2f46180",
     _json_edit(_upwork_contract)),
    ("peopleperhour", "profile-own-markup.html",
     "https://www.peopleperhour.com/freelancer/design/marta-kowalczyk-brand-identity-designer-zxqvmnw",
     lambda text: text.replace('datetime="2026-10-28"', f'datetime="{FAR_DATE}"', 1)),
    ("guru", "profile-own-markup.html", "https://www.guru.com/freelancers/ines-alvarez-web-development",
     lambda text: text.replace('<span class="feedback__date">Oct 19, 2026</span>',
                               f'<span class="feedback__date">{FAR_DATE}</span>', 1)),
]


@pytest.mark.parametrize(("kind", "name", "url", "break_one"), CASES, ids=[c[0] for c in CASES])
def test_one_broken_item_is_skipped_with_the_shared_note(kind, name, url, break_one):
    source_cls = scrapers.load_all()[kind]
    recorded = (PAGES / kind / name).read_text(encoding="utf-8")
    whole = source_cls().parse_page(recorded, url)
    broken = break_one(recorded)
    assert broken != recorded, "the breaker must change the page"
    found = source_cls().parse_page(broken, url)
    assert isinstance(found, Mentions)
    assert len(found) == len(whole) - 1 and len(found.unreadable) == 1  # only the broken item is lost
    items = source_cls.items_called
    assert found.note(items).startswith(f"1 of {len(whole)} {items} could not be read: ")
    assert {m.external_id for m in found} < {m.external_id for m in whole}


def test_a_hacker_news_poll_keeps_the_rest_and_notes_the_broken_hit(fault_server, session, clock):
    recorded = json.loads((PAGES / "hackernews" / "search-sam-rivera.response").read_text(encoding="utf-8"))
    recorded["hits"][0]["comment_text"] = f"Sam Rivera {LONE}"
    fault_server.route("/api/v1/search_by_date", Reply(200, json.dumps(recorded), content_type="application/json"))
    source = scrapers.load_all()["hackernews"]()
    outcome = source.poll(session, PollRequest(url=fault_server.url("/api/v1/search_by_date"), now=clock(),
                                               terms=Terms(("Sam Rivera", "rivera.dev"))))
    # Each term is its own search and both answer with the broken hit: it is still one item, noted once.
    assert sum(r.path.startswith("/api/v1/search_by_date?") for r in fault_server.requests) == 2
    assert isinstance(outcome.mentions, Mentions) and len(outcome.mentions.unreadable) == 1
    assert "not valid Unicode" in outcome.mentions.unreadable[0]
    assert outcome.mentions and all(LONE not in m.text for m in outcome.mentions)


def test_a_discourse_poll_keeps_the_rest_and_notes_the_broken_post(fault_server, session, clock):
    here = PAGES / "discourse"
    post = json.loads((here / "post-48213.response").read_text(encoding="utf-8"))
    fault_server.route("/search.json", Reply(200, (here / "search-sam-rivera.response").read_bytes(),
                                             content_type="application/json"))
    fault_server.route("/posts/48213.json", Reply(200, json.dumps({**post, "created_at": FAR_DATE}),
                                                  content_type="application/json"))
    for post_id in (48190, 47002):
        fault_server.route(f"/posts/{post_id}.json", Reply(200, json.dumps(
            {**post, "id": post_id, "cooked": "<p>Sam Rivera rebuilt our invoicing flow.</p>"}),
            content_type="application/json"))
    source = scrapers.load_all()["discourse"]()
    outcome = source.poll(session, PollRequest(url=fault_server.url("/"), now=clock(), terms=Terms(("Sam Rivera",))))
    assert isinstance(outcome.mentions, Mentions) and len(outcome.mentions.unreadable) == 1
    assert "out of range" in outcome.mentions.unreadable[0]
    assert outcome.mentions and outcome.checkpoint["post_id"] == 48213  # the broken post is not asked again


@pytest.mark.parametrize("field", ["text", "author", "url", "external_id", "title", "language", "reply"])
def test_a_mention_says_which_of_its_texts_cannot_be_stored(field: str) -> None:
    """All text fields are checked at once; the one that fails is named, and a wrongly typed one too."""
    from datetime import datetime, timezone

    from scrapers.base import Mention

    moment = datetime(2025, 3, 1, tzinfo=timezone.utc)
    assert Mention(text="Café", author="Zoë", posted_at=moment).problem() is None
    broken = Mention(**{"text": "fine", "posted_at": moment, field: "bad \ud800 text"})
    assert broken.problem() == f"its {field.replace('_', ' ')} is not valid Unicode (a lone surrogate)"
    assert Mention(**{"text": "fine", field: 12}).problem() == f"its {field.replace('_', ' ')} is not text"


def test_a_missing_optional_text_still_has_its_date_checked() -> None:
    from datetime import datetime, timedelta, timezone

    from scrapers.base import Mention

    late = datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))
    assert Mention(text="fine", external_id=None, language=None).problem() is None
    assert Mention(text=None, posted_at=late).problem() == f"its date {late.isoformat()} is out of range"  # type: ignore[arg-type]
