"""Parsing, per kind, against bare lxml building its tree from the same bytes (target: at most 5x).

Pages: the recorded fixtures of each kind, and a Trustpilot page grown to the size a real one has
(491 KB: 20 review cards, 20 reviews in __NEXT_DATA__, and the inline CSS and SVG icons Trustpilot ships),
built from the recorded page by repeating its own review markup.
"""
from __future__ import annotations

import json
import re

from bench.common import ROOT, interleaved, row, setup

TARGET = 5.0
PAGES = ROOT / "tests" / "fixtures" / "pages"
BIG_PAGE_BYTES = 491_000
URL = "https://uk.trustpilot.com/review/northlightstudio.co.uk"


def big_trustpilot_page(size: int = BIG_PAGE_BYTES, reviews: list[dict] | None = None) -> bytes:
    """The recorded Trustpilot page grown to `size` bytes the way real ones are: 20 review cards, CSS, icons.

    `reviews` replaces the 20 reviews of its __NEXT_DATA__ (what Rapport reads), e.g. with new ones per poll.
    """
    page = (PAGES / "trustpilot" / "northlightstudio-page1.html").read_text(encoding="utf-8").rstrip("\n")
    head, rest = page.split("\n", 1)
    cards, tail = rest.rsplit("\n", 1)
    cards_grown = "\n".join(re.sub(r"/reviews/([0-9a-f]{24})", lambda m: f"/reviews/{m.group(1)[:-2]}{k:02d}", cards)
                            for k in range(4))
    data_match = re.search(r'(<script id="__NEXT_DATA__" type="application/json">)(.*?)(</script>)', tail, re.S)
    assert data_match is not None
    data = json.loads(data_match.group(2))
    recorded = data["props"]["pageProps"]["reviews"]
    data["props"]["pageProps"]["reviews"] = reviews if reviews is not None else \
        [dict(r, id=f"{r['id'][:-2]}{k:02d}") for k in range(4) for r in recorded]
    tail = tail.replace(data_match.group(2), json.dumps(data, ensure_ascii=False).replace("</", "<\\/"))
    icon = ('<svg viewBox="0 0 16 16" xmlns="http://www.w3.org/2000/svg" class="icon_icon__ECGRl" width="14px" '
            'height="14px"><path fill-rule="evenodd" clip-rule="evenodd" d="M8 .5a7.5 7.5 0 1 0 0 15 7.5 7.5 0 0 0 '
            '0-15ZM1.5 8a6.5 6.5 0 1 1 13 0 6.5 6.5 0 0 1-13 0Zm7 3.5v-5h-1v5h1Zm-1-7V3.5h1V4.5h-1Z"></path></svg>')
    html = f"{head}\n{cards_grown}\n{tail}"
    css_rule = ".styles_reviewCard__Qwhpy{{display:flex;flex-direction:column;padding:{0}px 24px;" \
               "border-radius:8px;background:#fff}}\n"
    style, length = [], len(html)
    while length + 600 < size * 0.7:
        style.append(css_rule.format(len(style) % 40))
        length += len(style[-1])
    html = html.replace("</head>", f"<style data-emotion=\"css\">{''.join(style)}</style></head>", 1)
    icons, length = [], len(html)
    while length < size:
        icons.append(f'<span class="styles_icon__{len(icons)}">{icon}</span>')
        length += len(icons[-1])
    html = html.replace("</main>", f"<footer class=\"styles_footer__x\">{''.join(icons)}</footer></main>", 1)
    return html.encode("utf-8")


def recorded_reviews() -> list[dict]:
    """The recorded page's __NEXT_DATA__ reviews: the shape new ones are made in."""
    page = (PAGES / "trustpilot" / "northlightstudio-page1.html").read_text(encoding="utf-8")
    raw = re.search(r'<script id="__NEXT_DATA__" type="application/json">(.*?)</script>', page, re.S)
    assert raw is not None
    return json.loads(raw.group(1))["props"]["pageProps"]["reviews"]


def _cases() -> list[tuple[str, str, bytes]]:
    return [
        ("parse trustpilot (23 KB page)", "trustpilot",
         (PAGES / "trustpilot" / "northlightstudio-page1.html").read_bytes()),
        ("parse trustpilot (491 KB page)", "trustpilot", big_trustpilot_page()),
        ("parse trustpilot JSON-LD only", "trustpilot",
         (PAGES / "trustpilot" / "northlightstudio-ld-only.html").read_bytes()),
        ("parse jsonld (testimonials page)", "jsonld",
         (PAGES / "jsonld" / "freelancer-testimonials.html").read_bytes()),
        ("parse jsonld (@graph page)", "jsonld", (PAGES / "jsonld" / "trustpilot-graph.html").read_bytes()),
        ("parse feeds (Google Alerts)", "feeds", (PAGES / "feeds" / "google-alerts-northlight.xml").read_bytes()),
        ("parse feeds (WordPress comments)", "feeds", (PAGES / "feeds" / "wordpress-comments.rss").read_bytes()),
    ]


def forget_earlier_pages() -> None:
    """Each timed parse reads its page as new: the plain text of a field is memoised (a feed's reader asks for it
    twice), so parsing the same page again would find every field's text already made, which a poll of new
    reviews does not."""
    from scrapers.text import simple_markup_text

    simple_markup_text.cache_clear()


def main() -> list[dict[str, object]]:
    setup()
    import lxml.etree
    import lxml.html

    import scrapers

    kinds = scrapers.load_all()
    results = []
    for name, kind, body in _cases():
        source = kinds[kind]()
        found = source.parse(body, URL)
        assert found, f"{name}: parsed nothing"
        if kind == "feeds":
            def bare(body: bytes = body) -> object:
                return lxml.etree.fromstring(body, lxml.etree.XMLParser(recover=True))
        else:
            def bare(body: bytes = body) -> object:
                return lxml.html.document_fromstring(body)
        reps = max(1, int(20_000 / max(len(body), 1_000)))  # chunks of ~20 KB of input per side

        def base(bare=bare, reps=reps) -> None:
            for _ in range(reps):
                bare()

        def cand(source=source, body=body, reps=reps) -> None:
            for _ in range(reps):
                forget_earlier_pages()
                source.parse(body, URL)

        b, c, ratio = interleaved(base, cand, rounds=31)
        results.append(row(name, baseline="bare lxml tree", baseline_s=b / reps, candidate_s=c / reps,
                           target=TARGET, value=ratio, bytes=len(body), mentions=len(found)))
        print(f"  {name}: {len(body):,} bytes, {len(found)} mentions, lxml {b / reps * 1e3:.3f} ms, "
              f"rapport {c / reps * 1e3:.3f} ms, ratio {ratio:.1f}", flush=True)
    return results


if __name__ == "__main__":
    main()
