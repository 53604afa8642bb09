"""score() on hostile text: lone surrogates, controls, markup, floods of one word, emoji; it always returns a
Score whose reasons point at real spans of the text. `HYPOTHESIS_PROFILE=long` runs 10,000 cases."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop.scoring import LABELS, score
from tests.helpers.hostile import hostile_text

_WORDS = ["never", "not", "delivered", "late", "refund", "great", "but", "however", "!!!", "?", "\"great\"",
          "'optimised'", "minor", "previous developer", ":(", "😡", "★", "<b>", "</b>", "&amp;", "\n", "\ud800",
          "İ", "ß", "\u200b", "\u2028"]


def _texts() -> st.SearchStrategy[str]:
    soup = st.lists(st.sampled_from(_WORDS), max_size=60).map(" ".join)
    return st.one_of(hostile_text(400), soup, st.tuples(soup, hostile_text(80), soup).map("".join))


@given(_texts(), st.one_of(st.none(), st.floats(1, 5)), st.sampled_from([None, "en", "de", "", "x" * 50, "\ud800"]))
def test_score_of_hostile_text(text: str, rating: float | None, language: str | None) -> None:
    result = score(text, rating=rating, language=language)
    assert result.label in LABELS and -1.0 <= result.compound <= 1.0
    for reason in result.reasons:
        if reason.start != reason.end:
            assert 0 <= reason.start < reason.end <= len(text) and text[reason.start:reason.end] == reason.text


_ASCII_PIECES = ["great", "Great", "NOT", "late.", "(late)", "\"great\"", "'ok'", "it's", "...", "!!", ":)", ";", "a.",
                 "done!)", "why?\"", "x", "-", "\n", "\t", "  ", " \n ", "(", "a,b", "3/10", "\"", "'"]


@given(st.one_of(st.text(st.characters(max_codepoint=127), max_size=120),
                 st.lists(st.sampled_from(_ASCII_PIECES), max_size=40).map(" ".join)))
def test_ascii_tokens_are_read_as_any_text_is(text: str) -> None:
    """The ASCII path remembers what each token reads as: its words, spans, sentence ends and the lexicon's facts
    of its word, first seen or looked up again, are those of the word-by-word path every other text takes; and
    the learned layer's words it remembers with each token are those the layer reads in the text."""
    from desktop.scoring.scorer import _word_facts
    from desktop.scoring.tokens import _tokenize_any, _tokenize_ascii

    from desktop.scoring.model import words_of

    expected = _tokenize_any(text, text.lower(), {}, _word_facts())
    for _ in range(2):  # first worked out, then from what was remembered
        tokens = _tokenize_ascii(text, _word_facts())
        assert tokens._replace(chunks=()) == expected
        # the learned layer's words of each token, as it reads them in the lower-cased text
        assert [word for chunk in tokens.chunks for word in chunk] == words_of(text.lower())
