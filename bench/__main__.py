"""`python -m bench [NAME ...]` (or `./dev bench [NAME ...]`): run bench/case_*.py and print a table.

Each case module has `main()` returning one row or a list of rows (bench.common.row): what was timed, its
baseline measured in the same run, the figure checked ("value": a ratio unless the row says otherwise) and
the target. Rows over their target are flagged MISS and the command exits 1. Results go to
bench/results/latest.json with a description of the machine, since only ratios travel between machines.
`./dev bench parse inbox` runs case_parse and case_inbox only.
"""
from __future__ import annotations

import gc
import importlib
import json
import os
import pkgutil
import platform
import sys
import time
from pathlib import Path

import bench


def cases(selected: list[str]) -> list[str]:
    names = sorted(i.name for i in pkgutil.iter_modules(bench.__path__) if i.name.startswith("case_"))
    if selected:
        unknown = [s for s in selected if f"case_{s.removeprefix('case_')}" not in names]
        if unknown:
            raise SystemExit(f"no bench case {', '.join(unknown)}; there are: "
                             + ", ".join(n.removeprefix("case_") for n in names))
        names = [n for n in names if n.removeprefix("case_") in selected or n in selected]
    return names


def _normalised(result: dict[str, object]) -> dict[str, object]:
    """Older cases return just a ratio and an optional target: the same row shape as the rest."""
    result = dict(result)
    result.setdefault("value", result["ratio"])
    result.setdefault("unit", "x")
    result.setdefault("op", "<=")
    result.setdefault("baseline", "")
    target = result.get("target")
    if "met" not in result:
        value = float(result["value"])  # type: ignore[arg-type]
        result["met"] = None if target is None else {"<=": value <= target, "<": value < target,
                                                     ">=": value >= target}[str(result["op"])]
    return result


def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = os.getloadavg()
    except OSError:
        load = (0.0, 0.0, 0.0)
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}", "load_average": [round(x, 2) for x in load],
            "when": time.strftime("%Y-%m-%d %H:%M:%S %Z")}


def _figure(r: dict[str, object], key: str) -> str:
    value = float(r[key])  # type: ignore[arg-type]
    unit = str(r["unit"])
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:.3g} {unit}"


def main(argv: list[str]) -> int:
    results: list[dict[str, object]] = []
    started = time.perf_counter()
    for name in cases(argv):
        print(f"== {name}", flush=True)
        t0 = time.perf_counter()
        out = importlib.import_module(f"bench.{name}").main()
        # What the case left in reference cycles is freed now, on the main thread, not by the collector running
        # later on one of the next case's threads (Qt objects must be deleted on their own thread).
        gc.collect()
        for result in out if isinstance(out, list) else [out]:
            results.append(_normalised({**result, "case": name}))
        print(f"   ({time.perf_counter() - t0:.0f} s)", flush=True)
    print()
    print(f"{'figure':44} {'baseline':>12} {'rapport':>12} {'measured':>10} {'target':>10}")
    failed = False
    for r in results:
        target = r.get("target")
        miss = r["met"] is False
        failed |= miss
        target_text = f"{r['op']} {_figure({**r, 'value': target}, 'value')}" if target is not None else "-"
        side = "MB" if r["unit"] == "MB" else "s"  # what the two sides were measured in
        print(f"{str(r['name'])[:44]:44} {float(r['baseline_s']):10.4f}{side:>2} {float(r['candidate_s']):10.4f}{side:>2} "
              f"{_figure(r, 'value'):>10} {target_text:>10}{'  MISS' if miss else ''}")
    print(f"\n{len(results)} figures, {sum(r['met'] is False for r in results)} missed, "
          f"{time.perf_counter() - started:.0f} s")
    out_dir = Path(__file__).resolve().parent / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "latest.json").write_text(json.dumps({"machine": machine(), "results": results}, indent=2,
                                                    default=str))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
