"""`rapport demo`: Rapport on a temporary store, watching a local server that plays real sites offline.

The server renders pages from `resources/demo/` in the shapes the real sites serve (a Trustpilot
company page, a Google Alerts Atom feed, a freelancer's own page with schema.org reviews), with
ETags so conditional GET works. A while after start a client posts a new 1-star review; the app's
normal poll -> ingest -> alert -> notify path picks it up, so a first-time user sees the whole flow. Once the
user marks a reply to it posted, the client edits the review up to 4 stars (with the reply under it), and
the next poll shows the review recovered.
"""
from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jinja2

from desktop.paths import resource
from desktop.store import clients, projects
from desktop.store import sources as source_store
from desktop.store.clock import Clock, utc_now

log = logging.getLogger(__name__)

TRUSTPILOT_PATH = "/review/riverawebstudio.com"
FEED_PATH = "/alerts/feeds/04718825907123436516/7712093348201766413"
TESTIMONIALS_PATH = "/reviews/"


def demo_data() -> dict[str, Any]:
    return json.loads(resource("demo", "demo.json").read_text(encoding="utf-8"))


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class DemoSite:
    """Renders the demo pages for the current moment; `publish_late_review()` adds the bad review."""

    def __init__(self, clock: Clock = utc_now) -> None:
        self.data = demo_data()
        self.started = clock()
        self.late_published_at: datetime | None = None
        self.updated_at: datetime | None = None  # when the client edited the late review up
        self.reply: tuple[str, datetime] | None = None  # the freelancer's reply under it, and when
        self._lock = threading.Lock()
        self._env = jinja2.Environment(
            loader=jinja2.FunctionLoader(lambda name: resource("demo", name).read_text(encoding="utf-8")),
            autoescape=jinja2.select_autoescape(default=True), undefined=jinja2.StrictUndefined)

    def publish_late_review(self, at: datetime | None = None) -> None:
        with self._lock:
            self.late_published_at = at or utc_now()

    def publish_update(self, reply: str, replied_at: datetime, at: datetime | None = None) -> None:
        """The freelancer's reply appears under the late review and the client edits it up to 4 stars."""
        with self._lock:
            self.reply = (reply, replied_at)
            self.updated_at = at or utc_now()

    @property
    def late_review_id(self) -> str:
        return self.data["trustpilot_late"]["id"]

    def _ago(self, days: float) -> datetime:
        return self.started - timedelta(days=days, hours=3)

    def _trustpilot_reviews(self) -> list[dict[str, Any]]:
        items = list(self.data["trustpilot"])
        with self._lock:
            late_at, updated_at, reply = self.late_published_at, self.updated_at, self.reply
        reviews = []
        if late_at is not None:
            late = dict(self.data["trustpilot_late"])
            if updated_at is not None:
                late.update(self.data["trustpilot_late_update"])
            reviews.append((late, late_at))
        reviews += [(r, self._ago(r["days_ago"])) for r in items]
        late_id = self.late_review_id
        return [{
            "id": r["id"], "filtered": False, "pending": False, "text": r["text"], "rating": r["rating"],
            "title": r["title"], "likes": 0, "language": "en", "location": None,
            "reply": ({"message": reply[0], "publishedDate": _iso(reply[1]), "updatedDate": None}
                      if reply is not None and r["id"] == late_id else None),
            "dates": {"experiencedDate": _iso(when - timedelta(days=7)), "publishedDate": _iso(when),
                      "updatedDate": _iso(updated_at) if updated_at and r["id"] == late_id else None,
                      "submittedDate": None},
            "consumer": {"id": hashlib.sha1(r["author"].encode()).hexdigest()[:24], "displayName": r["author"],
                         "imageUrl": "", "numberOfReviews": 1, "countryCode": r["country"], "hasImage": False,
                         "isVerified": False},
        } for r, when in reviews]

    def trustpilot_page(self, origin: str) -> str:
        business = self.data["business"]
        reviews = self._trustpilot_reviews()
        review_url = f"https://uk.trustpilot.com/review/{business['domain']}"
        ld = {"@context": "https://schema.org", "@graph": [
            {"@id": "https://uk.trustpilot.com/#/schema/Organization/1", "@type": "Organization", "name": "Trustpilot"},
            {"@id": f"https://uk.trustpilot.com/#/schema/Organization/{business['id']}", "@type": "LocalBusiness",
             "name": business["name"], "url": f"https://{business['domain']}",
             "review": [{"@id": f"https://uk.trustpilot.com/#/schema/Review/{business['domain']}/{r['id']}"}
                        for r in reviews]},
            *[{"@type": "Review", "@id": f"https://uk.trustpilot.com/#/schema/Review/{business['domain']}/{r['id']}",
               "author": {"@type": "Person", "name": r["consumer"]["displayName"]},
               "datePublished": r["dates"]["publishedDate"], "headline": r["title"], "reviewBody": r["text"],
               "reviewRating": {"@type": "Rating", "bestRating": "5", "worstRating": "1",
                                "ratingValue": str(r["rating"])}, "inLanguage": "en"} for r in reviews]]}
        next_data = {"props": {"pageProps": {
            "businessUnit": {"id": business["id"], "displayName": business["name"],
                             "identifyingName": business["domain"], "numberOfReviews": len(reviews)},
            "reviews": reviews, "pageUrl": review_url,
            # One page holds every review: a review missing from it was removed (desktop.store.revisions).
            "filters": {"pagination": {"currentPage": 1, "perPage": 20, "totalCount": len(reviews),
                                       "totalPages": 1}, "totalNumberOfReviews": len(reviews)}}},
            "page": "/review/[businessUnit]", "query": {"businessUnit": business["domain"]},
            "buildId": "businessunitprofile-consumersite-demo", "isFallback": False, "gssp": True,
            "locale": "en-GB"}
        return self._env.get_template("trustpilot.html.j2").render(business=business, reviews=reviews, ld=ld,
                                                                   next_data=next_data)

    def alerts_feed(self) -> str:
        alerts = [{**a, "published": _iso(self._ago(a["days_ago"])).replace(".000", "")}
                  for a in self.data["alerts"]]
        return self._env.get_template("alerts.xml.j2").render(
            freelancer=self.data["freelancer"], alerts=alerts, updated=alerts[-1]["published"])

    def testimonials_page(self) -> str:
        items = self.data["testimonials"]
        ld = {"@context": "https://schema.org", "@type": "ProfessionalService", "name": self.data["freelancer"],
              "review": [{"@type": "Review", "@id": f"#{t['id']}", "author": {"@type": "Organization",
                                                                          "name": t["author"]},
                          "datePublished": self._ago(t["days_ago"]).date().isoformat(), "name": t["name"],
                          "reviewBody": t["text"], "inLanguage": "en",
                          "reviewRating": {"@type": "Rating", "ratingValue": str(t["rating"]), "bestRating": "10",
                                           "worstRating": "0"}} for t in items]}
        return self._env.get_template("testimonials.html.j2").render(
            freelancer=self.data["freelancer"], testimonials=items, ld=ld)

    def render(self, path: str, origin: str) -> tuple[str, str] | None:
        """(content type, body) for a path, or None for a 404."""
        route = path.split("?", 1)[0]
        if route == "/robots.txt":
            return "text/plain; charset=utf-8", "User-agent: *\nAllow: /\n"
        if route == TRUSTPILOT_PATH:
            return "text/html; charset=utf-8", self.trustpilot_page(origin)
        if route == FEED_PATH:
            return "application/atom+xml; charset=utf-8", self.alerts_feed()
        if route == TESTIMONIALS_PATH:
            return "text/html; charset=UTF-8", self.testimonials_page()
        if route.startswith("/reviews/") and route[len("/reviews/"):] in {r["id"] for r in self._trustpilot_reviews()}:
            # A review's own page (what "Open original page" opens): the company page, which shows it. A review
            # that is not on the site any more answers 404, as Trustpilot's do.
            return "text/html; charset=utf-8", self.trustpilot_page(origin)
        return None


class DemoServer:
    """A ThreadingHTTPServer on 127.0.0.1 serving a DemoSite, with ETag / If-None-Match."""

    def __init__(self, site: DemoSite) -> None:
        self.site = site
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="demo-server", daemon=True)

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> DemoServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=2)


def _handler(site: DemoSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "RapportDemo/1"
        disable_nagle_algorithm = True  # headers and body are two writes: with Nagle on, each answer waits ~40 ms

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's API
            log.debug("demo server: " + format, *args)

        def do_GET(self) -> None:  # noqa: N802 - http.server's API
            origin = f"http://{self.headers.get('Host', '127.0.0.1')}"
            rendered = site.render(self.path, origin)
            if rendered is None:
                self._send(404, "text/plain; charset=utf-8", b"not found", None)
                return
            content_type, text = rendered
            body = text.encode("utf-8")
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            if self.headers.get("If-None-Match") == etag:
                self._send(304, None, b"", etag)
                return
            self._send(200, content_type, body, etag)

        def _send(self, status: int, content_type: str | None, body: bytes, etag: str | None) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    return Handler


def seed(conn: sqlite3.Connection, origin: str, today: date | None = None) -> dict[str, int]:
    """Clients, projects and the three demo sources; returns {kind: source id}."""
    today = today or date.today()
    data = demo_data()
    for item in data["clients"]:
        client = clients.add(conn, item["name"], email=item["email"], notes=item["notes"],
                             handles=[tuple(h) for h in item["handles"]])
        for p in item["projects"]:
            def ago(key: str) -> date | None:
                return today - timedelta(days=p[key]) if p.get(key) is not None else None

            projects.add(conn, client.id, p["title"], started=ago("started_days_ago"), due=ago("due_days_ago"),
                         delivered=ago("delivered_days_ago"), budget=p["budget"], status=p["status"],
                         notes=p["notes"])
    ids = {}
    for kind, path, label in (("trustpilot", TRUSTPILOT_PATH, "Trustpilot: Rivera Web Studio"),
                              ("feeds", FEED_PATH, "Google Alert: \"Sam Rivera\""),
                              ("jsonld", TESTIMONIALS_PATH, "My site: client reviews")):
        ids[kind] = source_store.add(conn, kind, origin + path, label=label, interval_s=900).id
    return ids


def posted_reply(conn: sqlite3.Connection, source_id: int, site: DemoSite) -> tuple[str, datetime] | None:
    """The reply the user marked posted to the demo's late review (its text and when), or None yet."""
    from desktop.store import drafts
    from desktop.records.ingest import dedupe_key
    from desktop.store import revisions
    from scrapers.base import Mention

    stored = revisions.stored_version(conn, source_id, dedupe_key(Mention(text="", external_id=site.late_review_id)))
    draft = drafts.for_mention(conn, stored.id) if stored is not None else None
    if draft is None or draft.posted_at is None:
        return None
    return (draft.latest.body if draft.latest else ""), draft.posted_at
