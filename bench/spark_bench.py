"""Benchmark: `python -m core spark-score` on local[2] against `python -m core predict` on the same ads.

Usage: python bench/spark_bench.py [--ads 100000] [--master local[2]] [--config config.yaml]

Without --config a small model is trained and registered in a temporary MLflow store (as the tests do);
with --config the champion of that config's registry is used. Both commands score the same generated
CSV (core.lifecycle.synth.generate_ads); predict runs as its own process (model load included, its
detect.workers processes), spark-score in this process with Spark's start-up timed apart. Both outputs
are compared, and the table is printed and written to bench/results.md under "## Spark" (replacing an
earlier Spark section).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.config import Settings, add_state_folder, load_settings, save_settings  # noqa: E402
from core.lifecycle.data import REQUIRED_COLUMNS  # noqa: E402
from core.lifecycle.synth import generate_ads  # noqa: E402
from core.ops import spark_job  # noqa: E402

HEADING = "## Spark"


def temporary_store(root: Path) -> Path:
    """Train a small model on 5,000 generated ads, register it as champion in root; returns its config file."""
    from core.lifecycle import tracking
    from core.lifecycle.pipeline import train

    add_state_folder(root)  # the temp store lies outside the project
    settings = Settings()
    settings.tracking.uri = f"sqlite:///{root / 'mlflow.db'}"
    settings.tracking.artifact_root = str(root / "mlartifacts")
    settings.monitoring.db_path = str(root / "monitoring.sqlite")
    settings.data.prepared_dir = str(root / "prepared")
    frame = generate_ads(6000, seed=7)
    result = train(settings, frame.iloc[:5000], frame.iloc[5000:])
    tracking.log_training_run(settings, result.predictor, result.metrics)
    return save_settings(settings, root / "config.yaml")


def bench_predict(config: Path, source: Path, target: Path) -> float:
    """Wall-clock seconds of `python -m core predict` as its own process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    command = [sys.executable, "-m", "core", "--config", str(config), "predict", str(source), "-o", str(target)]
    subprocess.run([*command, "--quiet"], check=True, cwd=ROOT, env=env, capture_output=True)
    return time.perf_counter() - started


def bench_spark(config: Path, source: Path, target: Path, master: str) -> dict[str, float]:
    """Seconds of Spark's start-up and of spark-score's parts (read, model UDF, score + write)."""
    started = time.perf_counter()
    spark = spark_job.spark_session(master)
    startup = time.perf_counter() - started
    try:
        result = spark_job.run(load_settings(config), str(source), str(target), spark=spark)
    finally:
        spark.stop()
    return {"startup": startup, **result.seconds}


def same_output(first: Path, second: Path) -> str:
    """'identical', or how the two CSVs differ (probabilities compared within 1e-6)."""
    one, two = (pd.read_csv(path, keep_default_na=False, dtype=str) for path in (first, second))
    if one.equals(two):
        return "identical"
    if list(one.columns) != list(two.columns) or len(one) != len(two):
        return "different shape"
    gap = (one["prediction"].astype(float) - two["prediction"].astype(float)).abs().max()
    rest = all(one[c].equals(two[c]) for c in one.columns if c != "prediction")
    return f"max probability gap {gap:.1e}; other columns {'identical' if rest else 'DIFFERENT'}"


def write_section(text: str) -> None:
    """Put the Spark section at the end of bench/results.md, replacing an earlier one."""
    path = ROOT / "bench" / "results.md"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if HEADING in current:
        current = current[: current.index(HEADING)]
    path.write_text(current.rstrip() + "\n\n" + text, encoding="utf-8")


def main() -> int:
    """Run both commands on the same ads, print and store the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ads", type=int, default=100_000)
    parser.add_argument("--master", default=spark_job.DEFAULT_MASTER)
    parser.add_argument("--config", type=Path, default=None, help="use this config's champion (default: train one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="spark-bench-") as folder:
        root = Path(folder)
        config = args.config or temporary_store(root)
        model = "config champion" if args.config else "small model trained here (5,000 ads)"
        source = root / "ads.csv"
        ads = generate_ads(args.ads, seed=11)
        ads.insert(0, "index", range(len(ads)))
        ads[["index", *REQUIRED_COLUMNS]].to_csv(source, index=False)
        predict_seconds = bench_predict(config, source, root / "predict.csv")
        spark = bench_spark(config, source, root / "spark.csv", args.master)
        agreement = same_output(root / "predict.csv", root / "spark.csv")
    n = args.ads
    job = spark["total"]  # spark-score without the start-up: read, load the model as a UDF, score, write the CSV
    scoring = spark["score_write"]
    cores = int(args.master[6:-1]) if args.master.startswith("local[") and args.master[6:-1].isdigit() else None
    rows = [
        ("`python -m core predict` (own process, model load included)", f"{n / predict_seconds:,.0f} ads/s"),
        ("`spark-score`: read + model UDF + score + write CSV (start-up excluded)", f"{n / job:,.0f} ads/s"),
        ("`spark-score`: score + write CSV only", f"{n / scoring:,.0f} ads/s"),
        ("Spark start-up (JVM + session), reported apart", f"{spark['startup']:.1f} s"),
        (
            "`spark-score` parts: read + number / model UDF / score + write",
            f"{spark['read']:.1f} / {spark['model_udf']:.1f} / {scoring:.1f} s",
        ),
        ("`predict` wall-clock", f"{predict_seconds:.1f} s"),
        ("outputs compared", agreement),
    ]
    if cores:
        rows.insert(3, (f"`spark-score` per core ({args.master})", f"{n / scoring / cores:,.0f} ads/s per core"))
    lines = [
        HEADING,
        "",
        f"`python bench/spark_bench.py`: {n:,} generated ads (core.lifecycle.synth.generate_ads) in one CSV, master "
        f"{args.master}, {os.cpu_count()} cores, Python {platform.python_version()}, model: {model}.",
        "",
        "| benchmark | result |",
        "| --- | --- |",
        *[f"| {name} | {value} |" for name, value in rows],
        "",
    ]
    text = "\n".join(lines)
    print(text)
    write_section(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
