"""A phrase group's filter (lexicon.Alternation) says what its rules' alternation says, before and after it compiles."""
from __future__ import annotations

import json
import re
from pathlib import Path

from desktop.scoring.lexicon import COMPILE_AFTER, Alternation, lexicon

DATA = Path(__file__).resolve().parents[1] / "data"


def _word_starts() -> list[tuple[str, int]]:
    """(lower-cased text, where a word starts) over the labelled sets' texts."""
    out = []
    for path in sorted(DATA.glob("feedback_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line)["text"].lower()
                out += [(text, m.start()) for m in re.finditer(r"\S+", text)]
    return out


def test_a_group_tried_rule_by_rule_matches_where_its_alternation_does_then_compiles_it() -> None:
    starts = _word_starts()
    for word in ("the", "never", "not", "no", "took"):
        group = lexicon().phrases[word]
        assert group is not None and len(group.rules) > 1
        patterns = [rule.pattern for rule, _ in group.rules]
        alternation = re.compile("|".join(patterns))
        fresh = Alternation(patterns, tuple(rule for rule, _ in group.rules))
        candidates = [(text, pos) for text, pos in starts if text.startswith(word, pos)]
        assert len(candidates) > COMPILE_AFTER
        found = 0
        for text, pos in candidates:
            expected = alternation.match(text, pos)
            assert (fresh.match(text, pos) is None) == (expected is None), (word, text, pos)
            found += expected is not None
        assert 0 < found < len(candidates)  # each group matches some of the places its word starts, not all
        assert fresh.match.__self__.pattern == alternation.pattern  # compiled, once tried often enough
