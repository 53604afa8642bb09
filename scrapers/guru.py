"""Guru freelancer profiles: the feedback the public page carries (Guru offers no API for it)."""
from __future__ import annotations

import re

from scrapers.base import Mention, Source, site_url_problem
from scrapers.selectors import ReviewSelectors, schema_or_own_markup

__all__ = ["GuruProfile"]

_PROFILE_PATH = re.compile(r"^/freelancers/[A-Za-z0-9-]{2,120}(/reviews)?/?$")
# Guru's own feedback blocks, read when the page carries no schema.org reviews.
OWN_MARKUP = ReviewSelectors(item="li.feedback", text=".feedback__comment", author=".feedback__employer",
                             date=".feedback__date", rating=".feedback__rating", title=".feedback__title")


class GuruProfile(Source):
    """Your feedback on Guru.

    **URL:** your public profile, `https://www.guru.com/freelancers/<your-profile>`.

    **Reads:** the feedback your public profile shows: the employer's name, stars, comment, date and the
    job's title.

    **Limits:** Guru has no API for feedback, so this reads the page as a browser receives it and breaks
    when Guru changes its pages (the source then says the layout changed; import your feedback meanwhile).
    Only the feedback on the first page of your profile is read. Bot checks and sign-in pages are reported
    as such, never worked around.
    """

    # The page's schema.org reviews (JSON-LD) when present, else its own `li.feedback` blocks.
    kind = "guru"
    display_name = "Guru profile"

    @classmethod
    def check_url(cls, url: str) -> str | None:
        return site_url_problem(url, domain="guru.com", path=_PROFILE_PATH, site="Guru", page="Guru profile",
                                example="https://www.guru.com/freelancers/your-name")

    def parse(self, body: bytes | str, url: str) -> list[Mention]:
        return schema_or_own_markup(body, url, OWN_MARKUP, "Guru")
