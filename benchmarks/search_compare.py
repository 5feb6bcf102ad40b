"""Search latency of two versions of lsarchive side by side, in one run.

    .venv/bin/python -m benchmarks.search_compare BEFORE_TREE AFTER_TREE \\
        10000=10k.db 100000=100k.db [--rounds 3]

Each tree is a copy of the project (e.g. `git archive COMMIT | tar -x -C DIR`);
this benchmark's own code (benchmarks/) is copied into both, so that both are
measured the same way, and `python -m benchmarks.search` runs in each tree
(its lsarchive, its `lsarchive serve`, its `lsarchive search`) on the same
archive files, alternating before, after, before, after… On a shared machine
only the ratios mean much: the load average at each run is recorded beside it.
Prints, for every figure, each round's value, the median of each side and
after ÷ before, as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from .common import REPO


def run_tree(tree: Path, dbs: list[str]) -> dict:
    shutil.copytree(REPO / "benchmarks", tree / "benchmarks", dirs_exist_ok=True)
    load = os.getloadavg()[0]
    out = subprocess.run([sys.executable, "-m", "benchmarks.search", *dbs], cwd=tree,
                         capture_output=True, text=True, check=True)
    figures = json.loads(out.stdout)
    for size in figures.values():
        size["load_average_at_start"] = load
    return figures


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("dbs", nargs="+", metavar="ARTICLES=PATH")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    runs: dict[str, list[dict]] = {"before": [], "after": []}
    for n in range(args.rounds):
        for side in ("before", "after"):
            print(f"round {n + 1}: {side} (load average {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
            runs[side].append(run_tree(getattr(args, side).resolve(), args.dbs))
    summary: dict = {}
    for size in runs["after"][0]:
        summary[size] = {}
        for figure, value in runs["after"][0][size].items():
            if not isinstance(value, (int, float)):
                continue
            sides = {side: [r[size].get(figure) for r in runs[side]] for side in runs}
            if any(v is None for values in sides.values() for v in values):
                continue
            medians = {side: statistics.median(values) for side, values in sides.items()}
            summary[size][figure] = {
                **{f"{side}_rounds": [round(v, 1) for v in values] for side, values in sides.items()},
                **{side: round(m, 1) for side, m in medians.items()},
                "after_over_before": round(medians["after"] / medians["before"], 2) if medians["before"] else None,
            }
        summary[size]["load_average"] = {side: [r[size]["load_average"] for r in runs[side]] for side in runs}
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
