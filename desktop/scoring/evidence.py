"""How each lexicon word reads in general feedback: how much a store's corrections must say before it reads otherwise.

One or two corrected texts are enough to learn a niche's word ("terrifying" in horror art, "killed" in pest
control): general feedback hardly holds it, or holds it misleading. They are not enough for generic complaint
vocabulary ("wrong", "awful", "worst"), which reads right in many complaints: learned from a couple of praised
texts, it would excuse real complaints. So the layer's training texts are counted once (`./dev train` writes
resources/scoring/word_evidence.json: for each lexicon word, the texts where its pull agreed with the label and
those where it misled), and each counts its share of GENERAL_WEIGHT (0.1 of a correction), as prior evidence a store's own corrections
must outweigh (learning.py) and as how much a word lends its family to a store's adjustment (adjustment.py).
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

EVIDENCE_FILE = "word_evidence.json"
LEARN_AT = 0.6  # votes a word needs: the main culprit of one correction, or a minor one of two
# What general feedback's evidence counts in all: one training text 0.1 of a correction on round seventeen's 13,042.
# A total shared among the training texts, not a vote per text: at a fixed vote each, every text added to training made
# a generic word harder to teach ("wrong", 117 texts agreeing and 60 misleading, took 13 corrected texts; with the 2,252
# texts round eighteen added, 158 and 89, it would take 16). Shared, the evidence says how a word reads in general
# feedback, not how much of it there is.
GENERAL_WEIGHT = 1304.2
GENERAL_VOTE = 0.1  # what one training text counts where the evidence file does not say how many texts it read


@lru_cache(maxsize=1)
def word_evidence() -> Mapping[str, tuple[int, int]]:
    """Each lexicon word -> (training texts where its pull agreed with the label, texts where it misled); empty when
    the file is not shipped."""
    path = resources.files("resources").joinpath("scoring", EVIDENCE_FILE)
    if not path.is_file():
        return {}
    words = json.loads(path.read_text(encoding="utf-8"))["words"]
    return {w: (agreed, misled) for w, (agreed, misled) in words.items()}


@lru_cache(maxsize=1)
def general_vote() -> float:
    """What one training text counts in a word's evidence: GENERAL_WEIGHT shared among the texts the evidence was read
    from (the file's "texts"), so that training on more texts does not make a store's corrections count for less."""
    path = resources.files("resources").joinpath("scoring", EVIDENCE_FILE)
    texts = json.loads(path.read_text(encoding="utf-8")).get("texts") if path.is_file() else None
    return GENERAL_WEIGHT / texts if texts else GENERAL_VOTE


@lru_cache(maxsize=1)
def _open_shares() -> Mapping[str, float]:
    shares = {}
    vote = general_vote()
    for word, (agreed, misled) in word_evidence().items():
        shares[word] = (LEARN_AT + vote * misled) / (LEARN_AT + vote * (agreed + misled))
    return shares


def open_share(word: str) -> float:
    """How open a word is to reading otherwise in a store, 0-1: the share of its evidence (one correction's worth,
    plus general feedback's) that does not say it reads as the lexicon says. 1.0 for a word general feedback does
    not hold ("eerie") or holds mostly misleading ("brutal"); 0.41 for "wrong" (its pull agreed in 63 training texts,
    misled in 37)."""
    return _open_shares().get(word, 1.0)
