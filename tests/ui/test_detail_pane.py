"""The reading pane with very long feedback: what is laid out is capped, the rest comes on demand, and the
highlights are applied in one pass (laid out once), so selecting a review never freezes the window."""
from __future__ import annotations

import dataclasses
import json

from desktop.scoring import Reason
from desktop.store import mentions
from desktop.ui.detail_pane import LABEL_CHARS, SHOWN_CHARS, DetailPane

SENTENCE = "Missed the deadline twice and the code was awful. "


def long_mention(conn, add, length: int):
    """A stored mention whose text is one `length`-character line with a reason on every sentence."""
    m = mentions.get(conn, add("Missed the deadline twice.").mention_id)
    text = (SENTENCE * (length // len(SENTENCE) + 1))[:length]
    reasons = tuple(Reason("awful", start + SENTENCE.index("awful"), start + SENTENCE.index("awful") + 5, -1.0)
                    for start in range(0, length - len(SENTENCE), len(SENTENCE)))
    return dataclasses.replace(m, text=text, reasons_json=json.dumps([list(r) for r in reasons]),
                               author="A" * 200_000, title="T" * 200_000)


def test_a_megabyte_line_lays_out_only_its_start_until_show_all(qtbot, conn, add) -> None:
    m = long_mention(conn, add, 1_000_000)
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.show()
    pane.show_mention(m)
    doc = pane.text_view.document()
    assert doc.characterCount() <= SHOWN_CHARS + 1  # + the document's closing paragraph separator
    assert pane.show_all_button.isVisible() and "first 20,000 of 1,000,000 characters" in pane.cut_label.text()
    assert len(pane.author_label.text()) <= LABEL_CHARS and len(pane.title_label.text()) <= LABEL_CHARS
    pane.show_all_button.click()
    assert doc.characterCount() == len(m.text) + 1 and not pane.show_all_button.isVisible()
    pane.show_mention(mentions.get(conn, m.id))  # a short one again: nothing cut, no button
    assert not pane.show_all_button.isVisible() and not pane.cut_label.isVisible()


def test_highlights_are_applied_in_one_pass(qtbot, conn, add) -> None:
    m = long_mention(conn, add, SHOWN_CHARS)
    assert len(m.reasons) > 300
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.show()
    changes: list[int] = []
    pane.text_view.document().contentsChange.connect(lambda pos, removed, added: changes.append(added))
    pane.show_mention(m)
    # The old text out, the new text in, and all the highlights at once: not a re-layout per highlighted word.
    assert len(changes) <= 3


def test_the_search_is_marked_with_accents_folded_as_search_folds_them(qtbot, conn, add) -> None:
    """Search finds "Café" for "cafe" (FTS5's remove_diacritics, unaccent on a team database): the reading pane
    marks it too, at the right characters past an emoji and the accents."""
    m = mentions.get(conn, add("👍 The Café Noël menu, naïve prices: CAFE au lait. Cafeteria too.").mention_id)
    assert [m.text[a:b] for a, b in mentions.search_spans(m.text, "cafe noel")] == [
        "Café", "Noël", "CAFE", "Cafeteria"]
    assert [m.text[a:b] for a, b in mentions.search_spans(m.text, "naïve")] == ["naïve"]
    assert [m.text[a:b] for a, b in mentions.search_spans(m.text, "Café")] == ["Café", "CAFE", "Cafeteria"]
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.show_mention(m)
    pane.set_search("cafe")
    marked = [s.cursor.selectedText() for s in pane.text_view.extraSelections()]
    assert marked == ["Café", "CAFE", "Cafeteria"]
