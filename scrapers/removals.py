"""Whether a review is still on its site, asked of the review's own page (where the site gives each one).

A page that shows only the newest reviews cannot say that an older one was taken down; the review's own page
can: 404 or 410 means gone. The question goes through the same polite fetch as everything else (robots.txt,
the deadline, the redirect guards); a 429 or 503 is the site asking us to slow down, and stops the asking.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from scrapers.base import FetchError, RateLimited, ScrapeError, Source
from scrapers.http import PoliteSession

__all__ = ["GONE", "review_gone", "same_site"]

GONE = frozenset({404, 410})


def same_site(review_url: str, source_url: str) -> bool:
    """Only a review page on the source's own host (scheme and port included) is ever asked: a link a page
    carries cannot send Rapport anywhere else."""
    source = urlsplit(source_url)  # the same each call: urllib caches it
    if source.netloc and _plain(review_url) and not review_url[:len(source.netloc) + 12].lower().startswith(
            f"{source.scheme}://{source.netloc}/".lower()):
        return False  # the usual answer for another site's link, without splitting it (a poll asks hundreds)
    review = urlsplit(review_url)
    return (review.scheme.lower() in ("http", "https") and review.scheme.lower() == source.scheme.lower()
            and review.netloc.lower() == source.netloc.lower() and review.path not in ("", "/"))


def _plain(url: str) -> bool:
    """No leading space or control character and no tab or line break: what urlsplit would remove first."""
    return url[:1] > " " and "\t" not in url and "\n" not in url and "\r" not in url


def review_gone(session: PoliteSession, url: str, source_cls: type[Source]) -> bool | None:
    """True when the review's page answers 404/410, False when it is there, None when the site would not say
    (robots.txt forbids the page, a bot check, a sign-in, a server error). RateLimited is raised: stop asking."""
    try:
        session.fetch(url, accept=source_cls.accept, check_robots=source_cls.respects_robots)
    except RateLimited:
        raise
    except FetchError as exc:
        return True if exc.status in GONE else None
    except ScrapeError:
        return None
    return False
