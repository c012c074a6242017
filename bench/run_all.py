"""Benchmarks: throughput vs phonenumbers, single-ad latency, detection time vs length, training time and RSS.

Usage: python bench/run_all.py [--ads 20000] [--rounds 5] [--model FOLDER] [--train-ads 100000] [--skip-train]
Writes bench/results.md and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import phonenumbers

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.config import Settings  # noqa: E402
from core.lifecycle.synth import generate_ads  # noqa: E402


def _trained_predictor(settings: Settings, model: str | None = None):
    """The trained model at `model` (default: the local models/predictor) or a small one trained here."""
    from core.engine.predict import Predictor
    from core.lifecycle.pipeline import train

    local = Path(model) if model else ROOT / "models" / "predictor"
    if local.exists():
        return Predictor.load(local), model or "models/predictor"
    frame = generate_ads(6000, seed=7)
    result = train(settings, frame.iloc[:5000], frame.iloc[5000:])
    return result.predictor, "trained in bench on 5,000 ads"


def _phonenumbers_pass(texts: list[str]) -> int:
    """PhoneNumberMatcher over every text (region RU): how many numbers it finds."""
    found = 0
    for text in texts:
        found += sum(1 for _ in phonenumbers.PhoneNumberMatcher(text, "RU"))
    return found


def _seconds(run) -> float:
    """Wall time of one call of run()."""
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def bench_throughput(predictor, frame, rounds: int = 5) -> dict:
    """Ads/s for probability + spans (all workers, and one process), against PhoneNumberMatcher on the same texts.

    PhoneNumberMatcher runs twice: over the descriptions only (the comparison of sessions 1-12), and over every
    ad's title and description, the texts ContactGuard reads (it finds title contacts; issue 7: "on the same
    texts"). The four runs take turns, rounds times (each round in a rotated order), so that a slow spell of the
    shared machine hits all of them alike; each is reported by its best and its median run, a ratio from the same
    statistic on both sides.
    """
    texts = frame["description"].tolist()
    titles_and_texts = [text for pair in zip(frame["title"].tolist(), texts, strict=True) for text in pair]
    workers = predictor.detect.workers

    def parallel() -> None:
        predictor.predict_frame(frame)

    def single() -> None:
        predictor.detect.workers = 1
        try:
            predictor.predict_frame(frame)
        finally:
            predictor.detect.workers = workers

    found = [0, 0]

    def reference() -> None:
        found[0] = _phonenumbers_pass(texts)

    def reference_all() -> None:
        found[1] = _phonenumbers_pass(titles_and_texts)

    # Warm-up: our caches and CatBoost; PhoneNumberMatcher's metadata (loaded on first use).
    predictor.predict_frame(frame.iloc[:200])
    _phonenumbers_pass(texts[:200])
    runs: dict[str, list[float]] = {
        "contactguard": [],
        "single_process": [],
        "phonenumbers": [],
        "phonenumbers_all": [],
    }
    order = [
        ("contactguard", parallel),
        ("single_process", single),
        ("phonenumbers", reference),
        ("phonenumbers_all", reference_all),
    ]
    for round_ in range(rounds):
        for name, run in order[round_ % len(order) :] + order[: round_ % len(order)]:
            runs[name].append(len(texts) / _seconds(run))
    best = {name: max(rates) for name, rates in runs.items()}
    median = {name: statistics.median(rates) for name, rates in runs.items()}
    return {
        "ads": len(texts),
        "rounds": rounds,
        "workers": workers,
        "runs": runs,
        "best": best,
        "median": median,
        "ratio_best": best["contactguard"] / best["phonenumbers"],
        "ratio_median": median["contactguard"] / median["phonenumbers"],
        "ratio_all_best": best["contactguard"] / best["phonenumbers_all"],
        "ratio_all_median": median["contactguard"] / median["phonenumbers_all"],
        "phonenumbers_found": found[0],
        "phonenumbers_all_found": found[1],
    }


def bench_latency(predictor, frame, repeats: int = 500) -> dict:
    """Single-ad latency of predict_one, p50 and p95 in ms."""
    rows = frame.sample(n=min(repeats, len(frame)), random_state=1).to_dict(orient="records")
    predictor.predict_one(rows[0]["description"], rows[0]["title"], rows[0]["category"])
    timings = []
    for row in rows:
        started = time.perf_counter()
        predictor.predict_one(row["description"], row["title"], row["category"], row["subcategory"], row["price"])
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(0.95 * (len(timings) - 1))],
        "max_ms": timings[-1],
    }


def bench_length_curve(predictor, sizes: tuple[int, ...] = (10_000, 30_000, 100_000, 300_000, 1_000_000)) -> list[dict]:
    """Detection time of one ad as its length grows (text made of generated ads, contacts and look-alikes)."""
    from core.engine.detectors import analyze_text

    pieces = generate_ads(3000, seed=99)["description"].tolist()
    text = "\n".join(pieces)
    while len(text) < max(sizes):
        text += "\n" + text
    rows = []
    for size in sizes:
        sample = text[:size]
        started = time.perf_counter()
        analyze_text(sample, predictor.detectors)
        seconds = time.perf_counter() - started
        rows.append({"chars": size, "seconds": seconds, "us_per_char": seconds / size * 1e6})
    return rows


TRAIN_SCRIPT = """
import json, sys, time, resource
sys.path.insert(0, {root!r})
from core.config import Settings
from core.lifecycle.synth import generate_ads
from core.lifecycle.pipeline import train
settings = Settings()
started = time.perf_counter()
frame = generate_ads({n}, seed=11, label_noise=0.02)
val = generate_ads(min(max({n} // 10, 1000), 20000), seed=12)
generated = time.perf_counter() - started
started = time.perf_counter()
result = train(settings, frame, val)
seconds = time.perf_counter() - started
print(json.dumps({{"generate_seconds": generated, "train_seconds": seconds, **result.timings,
    "val_mean_auc": result.metrics["val_mean_auc"],
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def bench_training(n: int) -> dict:
    """Training on n synthetic ads in a fresh process: seconds and peak RSS."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "train_bench.py"
        script.write_text(TRAIN_SCRIPT.format(root=str(ROOT), n=n), encoding="utf-8")
        output = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    return {"ads": n, **json.loads(output.stdout.strip().splitlines()[-1])}


def _rates(throughput: dict, name: str) -> str:
    """'best / median ads/s' of one throughput run."""
    return f"{throughput['best'][name]:,.0f} / {throughput['median'][name]:,.0f} ads/s"


def main() -> int:
    """Run every benchmark, write bench/results.md."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--ads", type=int, default=20000)
    parser.add_argument("--train-ads", type=int, default=100_000)
    parser.add_argument("--skip-train", action="store_true")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved runs of each throughput measurement")
    parser.add_argument("--model", default=None, help="a saved predictor folder (default: models/predictor)")
    args = parser.parse_args()
    settings = Settings()
    predictor, source = _trained_predictor(settings, args.model)
    frame = generate_ads(args.ads, seed=2024)
    throughput = bench_throughput(predictor, frame, args.rounds)
    latency = bench_latency(predictor, frame)
    curve = bench_length_curve(predictor)
    training = None if args.skip_train else bench_training(args.train_ads)
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; model: {source}.",
        "",
        "| benchmark | result |",
        "| --- | --- |",
        f"| both tasks, {throughput['ads']:,} synthetic ads, {throughput['workers']} worker processes "
        f"(best / median of {throughput['rounds']} interleaved runs) | {_rates(throughput, 'contactguard')} |",
        f"| both tasks, same ads, one process | {_rates(throughput, 'single_process')} |",
        f"| phonenumbers.PhoneNumberMatcher, the same ads' descriptions, one process | {_rates(throughput, 'phonenumbers')} |",
        f"| phonenumbers.PhoneNumberMatcher, the same ads' titles and descriptions, one process "
        f"| {_rates(throughput, 'phonenumbers_all')} |",
        f"| ratio: ContactGuard (both tasks, {throughput['workers']} workers) / PhoneNumberMatcher (phones only) "
        f"on titles and descriptions, best / median | {throughput['ratio_all_best']:.2f}x / "
        f"{throughput['ratio_all_median']:.2f}x |",
        f"| ratio, PhoneNumberMatcher on descriptions only, best / median "
        f"| {throughput['ratio_best']:.2f}x / {throughput['ratio_median']:.2f}x |",
        f"| single ad predict_one p50 / p95 / max | {latency['p50_ms']:.2f} / {latency['p95_ms']:.2f} / {latency['max_ms']:.2f} ms |",
    ]
    lines += [
        f"| detection of one {row['chars']:,}-character ad | {row['seconds']:.3f} s ({row['us_per_char']:.2f} µs/char) |"
        for row in curve
    ]
    if training:
        lines += [
            f"| training on {training['ads']:,} ads (detect + span scorer + CatBoost fit) | "
            f"{training['train_seconds']:.1f} s (detect {training['detect_seconds']:.1f} s, "
            f"scorer {training.get('scorer_seconds', 0):.1f} s, fit {training['fit_seconds']:.1f} s) |",
            f"| generating {training['ads']:,} synthetic ads (+10% val) | {training['generate_seconds']:.1f} s |",
            f"| peak RSS of the training process | {training['peak_rss_mb']:,.0f} MB |",
            f"| val mean per-category AUC of that model | {training['val_mean_auc']:.4f} |",
        ]
    text = "\n".join(lines) + "\n"
    results = ROOT / "bench" / "results.md"
    # Other benchmarks (the scoring server's load test, Spark) keep their own "## " sections in the file.
    kept = results.read_text(encoding="utf-8").split("\n## ")[1:] if results.exists() else []
    results.write_text(text + "".join(f"\n## {section}" for section in kept), encoding="utf-8")
    print(text)
    print("throughput runs, ads/s in run order:")
    for name, rates in throughput["runs"].items():
        print(f"  {name}: " + ", ".join(f"{rate:,.0f}" for rate in rates))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
