"""Single-process timing of analyze_text and predict_serial on 4,000 synthetic ads (best of N).

python bench/time_detect.py [--repeats 3] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if "--root" in sys.argv:  # time another source tree (bench/ab_time.py)
    ROOT = Path(sys.argv[sys.argv.index("--root") + 1])
sys.path.insert(0, str(ROOT))

from core.engine.detectors import analyze_text  # noqa: E402
from core.engine.normalize import normalize  # noqa: E402
from core.engine.predict import Predictor  # noqa: E402
from core.lifecycle.synth import generate_ads  # noqa: E402

MODEL = Path(__file__).resolve().parents[1] / "models" / "predictor"  # this script's own tree (--model)


def best(function, repeats: int) -> float:
    """The best CPU time of repeats calls (this process only: steadier than wall time on a shared machine)."""
    times = []
    for _ in range(repeats):
        started = time.process_time()
        function()
        times.append(time.process_time() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--root", help="source tree to time (default: this one)")
    parser.add_argument("--model", default=str(MODEL), help="saved predictor folder")
    args = parser.parse_args()
    frame = generate_ads(4000, seed=11)
    texts = frame["description"].tolist()
    predictor = Predictor.load(args.model)
    predictor.detect.workers = 1
    predictor.predict_serial(frame.iloc[:200])
    detectors = predictor.detectors
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        predictor.predict_serial(frame)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(35)
        return
    n = len(texts)
    normalize_s = best(lambda: [normalize(t) for t in texts], args.repeats)
    detect_s = best(lambda: [analyze_text(t, detectors) for t in texts], args.repeats)
    predict_s = best(lambda: predictor.predict_serial(frame), args.repeats)
    print(
        f"normalize {n / normalize_s:,.0f} ads/s ({normalize_s:.3f} s) | "
        f"analyze_text {n / detect_s:,.0f} ads/s ({detect_s:.3f} s) | "
        f"predict_serial {n / predict_s:,.0f} ads/s ({predict_s:.3f} s)"
    )


if __name__ == "__main__":
    main()
