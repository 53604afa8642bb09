"""`python -m bench [NAME ...]` (or `./dev bench`): run every bench/case_*.py and print ratios.

Each case module has `main() -> dict` returning {"name", "baseline_s", "candidate_s", "ratio"} and
optionally "target" (the ratio it should stay under). Numbers are only compared within one run, on one
machine, so they mean something wherever they are taken.
"""
from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path

import bench


def cases(selected: list[str]) -> list[str]:
    names = sorted(i.name for i in pkgutil.iter_modules(bench.__path__) if i.name.startswith("case_"))
    if selected:
        names = [n for n in names if n.removeprefix("case_") in selected or n in selected]
    return names


def main(argv: list[str]) -> int:
    results = []
    for name in cases(argv):
        print(f"== {name}", flush=True)
        result = importlib.import_module(f"bench.{name}").main()
        results.append(result)
    print()
    print(f"{'case':40} {'baseline s':>11} {'rapport s':>11} {'ratio':>7} {'target':>7}")
    failed = False
    for r in results:
        target = r.get("target")
        over = target is not None and r["ratio"] > target
        failed |= over
        print(f"{r['name']:40} {r['baseline_s']:11.4f} {r['candidate_s']:11.4f} {r['ratio']:7.2f} "
              f"{(f'{target:.2f}' if target else '-'):>7}{'  OVER' if over else ''}")
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
