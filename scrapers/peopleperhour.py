"""PeoplePerHour freelancer profiles: the reviews the public page carries (no API exists for them)."""
from __future__ import annotations

import re

from scrapers.base import Mention, Source, site_url_problem
from scrapers.selectors import ReviewSelectors, schema_or_own_markup

__all__ = ["PeoplePerHourProfile"]

_PROFILE_PATH = re.compile(r"^/freelancer/(?:[a-z0-9-]+/)?[a-z0-9-]{3,160}/?$")
# PeoplePerHour's own review blocks, read when the page carries no schema.org reviews.
OWN_MARKUP = ReviewSelectors(item=".review-item", text=".review-item__text", author=".review-item__author",
                             date="time.review-item__date", rating=".star-rating", title=".review-item__project")


class PeoplePerHourProfile(Source):
    """Your reviews on PeoplePerHour.

    **URL:** your public profile, `https://www.peopleperhour.com/freelancer/<category>/<your-profile>`.

    **Reads:** the reviews your public profile page shows: the client's name, stars, text, date and the
    project's title.

    **Limits:** PeoplePerHour has no API for reviews, so this reads the page as a browser receives it and
    breaks when PeoplePerHour changes its pages (the source then says the layout changed; import your
    reviews meanwhile). Only the reviews on the first page of your profile are read. PeoplePerHour sometimes
    answers automated readers with a bot check or its sign-in page: the source then says so.
    """

    # The page's schema.org reviews (JSON-LD) when present, else its own `.review-item` blocks.
    kind = "peopleperhour"
    display_name = "PeoplePerHour profile"

    @classmethod
    def check_url(cls, url: str) -> str | None:
        return site_url_problem(url, domain="peopleperhour.com", path=_PROFILE_PATH, site="PeoplePerHour",
                                page="PeoplePerHour profile",
                                example="https://www.peopleperhour.com/freelancer/design/your-name-abc123")

    def parse(self, body: bytes | str, url: str) -> list[Mention]:
        return schema_or_own_markup(body, url, OWN_MARKUP, "PeoplePerHour")
