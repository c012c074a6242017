"""Interleaved A/B timing of bench/time_detect.py under two source trees (a shared, noisy machine).

    python bench/ab_time.py /tmp/base_tree /work/wt_speed [--rounds 3]

Runs time_detect.py in a fresh process for each tree in turn, rounds times, and prints the best of each.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "time_detect.py"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("trees", nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", help="saved predictor folder for time_detect.py (default: its models/predictor)")
    args = parser.parse_args()
    best: dict[str, dict[str, float]] = {tree: {} for tree in args.trees}
    for _ in range(args.rounds):
        for tree in args.trees:
            env = {**os.environ, "PYTHONPATH": tree}
            line = subprocess.run(
                [
                    sys.executable,
                    str(SCRIPT),
                    "--repeats",
                    "2",
                    "--root",
                    tree,
                    *(["--model", args.model] if args.model else []),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            for name, rate in re.findall(r"(\w+) ([\d,]+) ads/s", line):
                value = float(rate.replace(",", ""))
                best[tree][name] = max(best[tree].get(name, 0.0), value)
    for tree, rates in best.items():
        print(tree, " | ".join(f"{name} {rate:,.0f} ads/s" for name, rate in rates.items()))


if __name__ == "__main__":
    main()
