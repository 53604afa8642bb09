"""Search terms for forum sources: phrases to look for and phrases to exclude, matched here, not by the forum.

A forum's own search is fuzzy (stemming, typo tolerance, any-word matches); people watching their name want
"Sam Rivera" as a phrase, whole words only, in any case. The forum's search narrows what is fetched; these
terms decide what is kept, and say which one matched.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Terms", "clean_terms"]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def clean_terms(values: Iterable[object]) -> tuple[str, ...]:
    """Trimmed, non-empty, without repeats (case-insensitively), in the order given."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        term = " ".join(str(value).split())
        if term and _fold(term) not in seen:
            seen.add(_fold(term))
            out.append(term)
    return tuple(out)


def _pattern(term: str) -> re.Pattern[str]:
    """A term as a whole-word (or whole-phrase) match: word characters may not touch either end, and any run
    of whitespace inside a phrase matches any other."""
    words = [re.escape(_fold(w)) for w in term.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


@dataclass(frozen=True)
class Terms:
    """What to look for (`include`) and what rules a text out (`exclude`), both matched case-insensitively
    as whole words or exact phrases."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "include", clean_terms(self.include))
        object.__setattr__(self, "exclude", clean_terms(self.exclude))

    def __bool__(self) -> bool:
        return bool(self.include)

    def match(self, *texts: str) -> str | None:
        """The first include term found in any of `texts`, or None when none is, or an exclude term is."""
        folded = [_fold(t) for t in texts if t]
        if any(_pattern(term).search(text) for term in self.exclude for text in folded):
            return None
        for term in self.include:
            pattern = _pattern(term)
            if any(pattern.search(text) for text in folded):
                return term
        return None
