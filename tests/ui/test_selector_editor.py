"""desktop/ui/selector_editor.py: the css kind's selectors with a live preview of what they find, off the GUI thread."""
from __future__ import annotations

from desktop.ui.selector_editor import SelectorEditor
from tests.scrapers.pages import PAGES

URL = "https://www.peopleperhour.com/freelancer/design/marta-kowalczyk-brand-identity-designer-zxqvmnw"
PAGE = (PAGES / "peopleperhour" / "profile-own-markup.html").read_text(encoding="utf-8")


def make(qtbot) -> SelectorEditor:
    editor = SelectorEditor()
    qtbot.addWidget(editor)
    return editor


def test_preview_follows_the_typing(qtbot):
    editor = make(qtbot)
    editor.set_selectors({"item": ".review-item", "text": ".review-item__text", "author": ".review-item__author",
                          "rating": ".star-rating", "date": "time"})
    editor.set_page(PAGE, URL)
    qtbot.waitUntil(lambda: "matches 3 elements" in editor.preview.text())
    assert "Oliver Brandt · ★★★★★ · 12 Nov 2026" in editor.preview.text()
    editor.edits["item"].setText(".review-card")  # the page's old layout: nothing matches
    qtbot.waitUntil(lambda: "matches nothing" in editor.preview.text())


def test_invalid_css_is_named_before_anything_runs(qtbot):
    editor = make(qtbot)
    editor.set_page(PAGE, URL)
    editor.set_selectors({"item": ".review-item", "rating": "div[aria-label="})
    assert "“Stars” selector is not valid CSS" in editor.problem()
    qtbot.waitUntil(lambda: "not valid CSS" in editor.preview.text())
    editor.set_selectors({})
    assert "first selector" in editor.problem()
    assert editor.selectors() is None


def test_scraped_text_is_shown_as_plain_text(qtbot):
    editor = make(qtbot)
    editor.set_selectors({"item": "li"})
    editor.set_page("<ul><li>&lt;b&gt;not bold&lt;/b&gt; <i>fine</i></li></ul>", "https://ana.example/")
    qtbot.waitUntil(lambda: "matches 1 element" in editor.preview.text())
    assert "<b>not bold</b> fine" in editor.preview.text()
