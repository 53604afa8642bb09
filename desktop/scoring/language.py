"""Cheap language guess for feedback text, so only English goes through VADER (which reads English only).

The rule: count, over the first words of the text, how many are common function words (and a few
very common review words) of English and of six other languages. A text is English unless another
language has at least two hits and more hits than English. Text mostly in a non-Latin script is
"und" (undetermined, BCP 47). Short texts with no function words at all (e.g. "Never again") stay
English: guessing there would silence exactly the short complaints the monitor must catch.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from collections import Counter
from itertools import chain

_SAMPLE_CHARS = 600
_WORDS = re.compile(r"[^\W\d_]+")

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the a an and or but is was were are be been to of in on for with at by from it this that "
        "he she they we you i my our his her their not no very would will have has had did do does "
        "as so if what when work job great good thanks".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ein eine mit für auf sehr ich wir sie er es war wurde zu den dem "
        "des auch aber noch wieder immer gut gute guter arbeit danke jederzeit schnell schnelle".split()
    ),
    "fr": frozenset(
        "le la les et est pas un une des du pour avec très je nous il elle ce cette mais en sur "
        "travail merci bien bon bonne ne au aux été qui que recommande".split()
    ),
    "es": frozenset(
        "el la los las y es no un una con para muy por que del pero lo al fue trabajo gracias "
        "excelente bueno buena rápido todo su".split()
    ),
    "it": frozenset(
        "il lo la gli le e è non un una con per molto che del della ma ho sono lavoro grazie "
        "ottimo ottima bravo veloce".split()
    ),
    "pt": frozenset(
        "o a os as e é não um uma com para muito que do da mas foi trabalho obrigado ótimo "
        "excelente rápido entregou".split()
    ),
    "nl": frozenset(
        "de het een en is niet van met voor zeer ik wij we hij zij maar was werd op goed werk "
        "bedankt snel geleverd tijd".split()
    ),
}


_ORDER = {lang: n for n, lang in enumerate(_STOPWORDS)}
_LANGS_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in _STOPWORDS.items():
    for _word in _words:
        _LANGS_OF[_word] = _LANGS_OF.get(_word, ()) + (_lang,)
_ENGLISH = _STOPWORDS["en"]
_FOREIGN = frozenset(word for word, langs in _LANGS_OF.items() if langs != ("en",))


def _mostly_non_latin(sample: str) -> bool:
    """True when most letters are outside the Latin blocks (Cyrillic, CJK, Arabic...)."""
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return False
    foreign = sum(1 for c in letters if ord(c) > 0x24F)
    return foreign * 2 > len(letters)


def detect_language(text: str, words: Sequence[str] | None = None) -> str:
    """Best guess of `text`'s language as a two-letter code ("en" when unsure), or "und".

    `words` are the text's first lower-case words when the caller has them already (saves a pass).
    """
    sample = text[:_SAMPLE_CHARS]
    if not sample.isascii() and _mostly_non_latin(sample):
        return "und"
    if words is None:
        words = _WORDS.findall(sample.lower())
    # No language can have more hits than the words of any foreign language: when those are fewer than two,
    # or no more than the English words, the text is English (most feedback; two C-level counts).
    foreign = sum(map(_FOREIGN.__contains__, words))
    if foreign < 2 or foreign <= sum(map(_ENGLISH.__contains__, words)):
        return "en"
    # Hits per language in one C-level pass (Counter over the flat list of every function word's languages).
    hits = Counter(chain.from_iterable(filter(None, map(_LANGS_OF.get, words))))
    english = hits.pop("en", 0)
    if not hits:
        return "en"
    best, most = max(hits.items(), key=_by_hits_then_table_order)
    if most >= 2 and most > english:
        return best
    return "en"


def _by_hits_then_table_order(item: tuple[str, int]) -> tuple[int, int]:
    """Most hits first; on a tie the language listed first in _STOPWORDS wins."""
    return item[1], -_ORDER[item[0]]


def source_language(language: str | None) -> str | None:
    """Normalise a source-given tag ("en-US", "DE") to two letters; None when absent or undetermined."""
    if not language:
        return None
    tag = language.strip().lower().replace("_", "-").split("-")[0]
    return None if tag in ("", "und", "auto", "mul", "zxx") else tag
