"""The phrase rules' gate (lexicon.match_starts, PhraseGroup.starts): it may only skip a try that would find nothing."""
from __future__ import annotations

import json
import re
import string
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from desktop.scoring.lexicon import lexicon, match_starts

DATA = Path(__file__).resolve().parents[1] / "data"


def _texts() -> list[str]:
    out: list[str] = []
    for path in sorted(DATA.glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            out.extend(json.loads(line)["text"].lower().replace("\u2019", "'") for line in f if line.strip())
    return out


def test_every_match_begins_as_its_rule_says() -> None:
    """Over every labelled text, each match of each rule at a word start begins with one of its beginnings."""
    text = "\n".join(_texts()[::3])  # a third of them: each rule is searched through one long text
    known = 0
    for _, term, _ in lexicon().phrases.rules():
        starts = match_starts(term)
        if starts is None:
            continue
        known += 1
        for hit in re.finditer(f"(?<!\\S)(?:{term})(?![\\w'])", text):
            assert hit.group().startswith(tuple(starts)), (term, hit.group())
    assert known >= 150  # most rules have a gate


def test_match_starts_reads_the_pattern() -> None:
    assert match_starts("on time") == {"on time"}
    assert match_starts("(?:the |my )?only (?:good|nice) thing") == {"the only good thing", "the only nice thing",
                                                                      "my only good thing", "my only nice thing",
                                                                      "only good thing", "only nice thing"}
    assert match_starts("never get (?:\\w+ ){0,2}back") == {"never get ", "never get back"}
    assert match_starts("deadlines? missed") == {"deadline missed", "deadlines missed"}
    assert match_starts("(?:[0-9]+|two) days") == {"", "two days"}
    assert match_starts("(?i)on time") is None


WORDS = sorted({w for _, term, _ in lexicon().phrases.rules() for w in re.findall(r"[a-z']+", term)})


@given(st.lists(st.sampled_from(WORDS + ["the", "a", "my", "0", "20", ",", "."]), min_size=1, max_size=12))
def test_a_gated_group_finds_what_the_engine_finds(words: list[str]) -> None:
    """Word salads of the rules' own words: where a word's gate says no rule can match, none does."""
    text = " ".join(words)
    lex = lexicon()
    for m in re.finditer(r"\S+", text):
        word = m.group().strip(string.punctuation)
        if not word or not m.group().startswith(word):
            continue
        group = lex.phrases[word]
        if group is not None and group.starts is not None and group.any_rule.match(text, m.start()) is not None:
            n, beginnings = group.starts
            assert text[m.start() : m.start() + n] in beginnings, (word, text[m.start() :])
