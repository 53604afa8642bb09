"""How each lexicon word reads in general feedback: how much a store's corrections must say before it reads otherwise.

One or two corrected texts are enough to learn a niche's word ("terrifying" in horror art, "killed" in pest
control): general feedback hardly holds it, or holds it misleading. They are not enough for generic complaint
vocabulary ("wrong", "awful", "worst"), which reads right in many complaints: learned from a couple of praised
texts, it would excuse real complaints. So the layer's training texts are counted once (`./dev train` writes
resources/scoring/word_evidence.json: for each lexicon word, the texts where its pull agreed with the label and
those where it misled), and each counts GENERAL_VOTE of a correction, as prior evidence a store's own corrections
must outweigh (learning.py) and as how much a word lends its family to a store's adjustment (adjustment.py).
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

EVIDENCE_FILE = "word_evidence.json"
LEARN_AT = 0.6  # votes a word needs: the main culprit of one correction, or a minor one of two
GENERAL_VOTE = 0.1  # what one training text counts in a word's evidence: ten of them as much as one correction


@lru_cache(maxsize=1)
def word_evidence() -> Mapping[str, tuple[int, int]]:
    """Each lexicon word -> (training texts where its pull agreed with the label, texts where it misled); empty when
    the file is not shipped."""
    path = resources.files("resources").joinpath("scoring", EVIDENCE_FILE)
    if not path.is_file():
        return {}
    return {w: (agreed, misled) for w, (agreed, misled) in json.loads(path.read_text(encoding="utf-8"))["words"].items()}


@lru_cache(maxsize=1)
def _open_shares() -> Mapping[str, float]:
    shares = {}
    for word, (agreed, misled) in word_evidence().items():
        shares[word] = (LEARN_AT + GENERAL_VOTE * misled) / (LEARN_AT + GENERAL_VOTE * (agreed + misled))
    return shares


def open_share(word: str) -> float:
    """How open a word is to reading otherwise in a store, 0-1: the share of its evidence (one correction's worth,
    plus general feedback's) that does not say it reads as the lexicon says. 1.0 for a word general feedback does
    not hold ("eerie") or holds mostly misleading ("brutal"); 0.41 for "wrong" (its pull agreed in 63 training texts,
    misled in 37)."""
    return _open_shares().get(word, 1.0)
