"""Do two versions of the scorer give identical Score objects? Speed work must not move a label, a compound's
last digit or a reason, and this says so over every text in tests/data plus random mixes of their words.

    python -m bench.same_scores save OUT.pickle    # with the scorer as it is (e.g. on main)
    python -m bench.same_scores check OUT.pickle   # with the changed scorer: lists every difference

Each text is scored as given, with its rating when it has one, with a rating when it has none, with the rules
alone (`layer=False`), with a store's learned words, and with a store's adjustment of the layer; then mixes and word salads (capitals, quotes, tags,
emoji, line breaks) made from the same texts with a fixed seed, so both runs score the same inputs.
"""
from __future__ import annotations

import json
import pickle
import random
import sys
from collections.abc import Iterator

from bench.common import DATA, setup

MIXES = 4_000


def inputs() -> Iterator[tuple[str, dict[str, object]]]:
    """(text, keyword arguments to score) for every case, in a fixed order."""
    from desktop.scoring.adjustment import Adjustment
    from desktop.scoring.learning import Learned, LearnedWord

    learned = Learned({
        "creepy": LearnedWord("creepy", 2.0, -1.3, 2.0),
        "slow": LearnedWord("slow", 2.0, -1.0, 2.0),
        "amazing": LearnedWord("amazing", -2.0, 2.8, 2.0),
    })
    # A store's adjustment of the layer (adjustment.py): word, reading and family deltas, one strong enough (with
    # "awful" or a horror word) to drop an alert the layer keeps for its serious last sentence.
    adjusted = Learned(adjustment=Adjustment({
        "word:creepy": -1.4, "word:awful": -1.2, "word:late": 0.9, "word:fast": 0.6, "reading:=rules": 0.4,
        "reading:=negations": -0.5, "family:horror": -2.0, "family:pain": -0.8,
    }))
    texts: list[tuple[str, float | None]] = []
    for path in sorted(DATA.glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    record = json.loads(line)
                    texts.append((record["text"], record.get("rating")))
    for text, rating in texts:
        yield text, {}
        yield text, {"rating": rating if rating is not None else 4.0}
        yield text, {"layer": False}
        yield text, {"learned": learned}
        yield text, {"learned": adjusted}
    rnd = random.Random(13)
    sentences = [t for t, _ in texts]
    decorations = ["", " :)", " \U0001f621", "!!!", "?", "\n", ' "great" ', " <b>awful</b> ", " 'expert' "]
    for k in range(MIXES):
        if k % 2:  # a mix of whole sentences
            text = " ".join(rnd.choice(sentences) for _ in range(rnd.randint(1, 4)))
        else:  # a word salad
            words = " ".join(rnd.choice(sentences) for _ in range(3)).split()
            picked = [rnd.choice(words) for _ in range(rnd.randint(1, 30))]
            picked = [w.upper() if rnd.random() < 0.05 else w.capitalize() if rnd.random() < 0.1 else w for w in picked]
            text = " ".join(picked) + rnd.choice(decorations)
        yield text, {}
        if k % 5 == 0:
            yield text, {"learned": learned}
        if k % 5 == 1:
            yield text, {"learned": adjusted}


def scores() -> list[object]:
    from desktop.scoring import score

    return [score(text, **kwargs) for text, kwargs in inputs()]


def main(argv: list[str]) -> int:
    setup()
    if len(argv) != 2 or argv[0] not in ("save", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    got = scores()
    if argv[0] == "save":
        with open(argv[1], "wb") as f:
            pickle.dump(got, f)
        print(f"saved {len(got)} scores")
        return 0
    with open(argv[1], "rb") as f:
        want = pickle.load(f)
    cases = list(inputs())
    differ = [k for k, (a, b) in enumerate(zip(want, got)) if a != b or repr(a) != repr(b)]
    for k in differ[:20]:
        print(f"DIFFERS: {cases[k][0][:100]!r} {cases[k][1]}\n  was {want[k]}\n  now {got[k]}")
    ok = not differ and len(want) == len(got)
    print(f"{len(got)} scores, {len(differ)} differ" + ("" if len(want) == len(got) else f", {len(want)} saved"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
