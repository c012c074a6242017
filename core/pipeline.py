"""The pipeline stages as plain functions: prepare, train, evaluate."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from core.config import Settings, resolve_path
from core.data import load_split, raw_split_path, read_ads_csv, write_split
from core.golden import load_golden
from core.metrics import disguise_slices, gold_spans_column, per_category_auc, roc_points, span_scores
from core.model import fit_classifier
from core.predict import Predictor
from core.spans import spans_from_json

SPLITS = ("train", "val", "test")
Progress = Callable[[str], None]


def _say(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


def prepare(settings: Settings, progress: Progress | None = None) -> dict[str, Path]:
    """Write train/val/test CSVs to the prepared folder from the synthetic generator or the raw files."""
    target = resolve_path(settings.data.prepared_dir)
    target.mkdir(parents=True, exist_ok=True)
    if settings.data.source == "synthetic":
        from core.synth import generate_splits

        frames = generate_splits(settings.synth)
    else:
        frames = {}
        for split in SPLITS:
            frame, report = read_ads_csv(raw_split_path(settings.data, split), max_rows=settings.data.max_rows)
            for warning in report.warnings:
                _say(progress, f"{split}: {warning}")
            frames[split] = frame
    frames["train"] = merge_feedback(settings, frames["train"], progress)
    paths = {}
    for split, frame in frames.items():
        paths[split] = target / f"{split}.csv"
        write_split(frame, paths[split])
        _say(progress, f"{split}: {len(frame)} ads -> {paths[split]}")
    return paths


def merge_feedback(settings: Settings, train: pd.DataFrame, progress: Progress | None = None) -> pd.DataFrame:
    """Append moderator-confirmed ads (labelled data exported by monitoring) to the train split."""
    path = resolve_path(settings.data.feedback_path)
    if not settings.data.merge_feedback or not path.exists():
        return train
    feedback, _ = read_ads_csv(path, require_label=True)
    _say(progress, f"train: merged {len(feedback)} moderator-confirmed ads from {path}")
    return pd.concat([train, feedback[[c for c in feedback.columns if c in train.columns]]], ignore_index=True)


@dataclass(slots=True)
class TrainResult:
    """A trained predictor with its validation metrics and timings."""

    predictor: Predictor
    metrics: dict[str, float]
    timings: dict[str, float] = field(default_factory=dict)


def train(
    settings: Settings, train_frame: pd.DataFrame, val_frame: pd.DataFrame, progress: Progress | None = None
) -> TrainResult:
    """Fit the classifier on train with early stopping on val; return it with val metrics."""
    predictor = Predictor(None, settings.detect, settings.model)
    started = time.perf_counter()
    _say(progress, f"detecting contacts in {len(train_frame)} train ads")
    train_analyses = predictor.analyze(train_frame)
    val_analyses = predictor.analyze(val_frame)
    detect_seconds = time.perf_counter() - started
    _say(progress, "fitting CatBoost")
    started = time.perf_counter()
    predictor.classifier = fit_classifier(
        predictor.features(train_frame, train_analyses),
        train_frame["is_bad"].astype(int),
        settings.model,
        predictor.features(val_frame, val_analyses),
        val_frame["is_bad"].astype(int),
        settings.train.early_stopping_rounds,
    )
    fit_seconds = time.perf_counter() - started
    val_scores = predictor.probabilities(val_frame, val_analyses)
    auc = per_category_auc(val_frame["category"], val_frame["is_bad"].astype(int), val_scores)
    metrics = {"val_mean_auc": auc.mean, "best_iteration": float(predictor.classifier.get_best_iteration() or 0)}
    return TrainResult(predictor, metrics, {"detect_seconds": detect_seconds, "fit_seconds": fit_seconds})


def evaluate_frame(
    predictor: Predictor, frame: pd.DataFrame, prefix: str = "", threshold: float = 0.5
) -> dict[str, Any]:
    """Score a labelled frame and compute every metric; returns a JSON-ready report."""
    result = predictor.predict_frame(frame)
    labels = frame["is_bad"].astype(int).tolist()
    scores = result["prediction"].tolist()
    flagged = [int(score >= threshold) for score in scores]
    matrix = [[0, 0], [0, 0]]
    for label, flag in zip(labels, flagged, strict=True):
        matrix[label][flag] += 1
    auc = per_category_auc(frame["category"].tolist(), labels, scores)
    gold = gold_spans_column(frame)
    predicted = [spans_from_json(value) for value in result["contacts"]]
    spans = span_scores(gold, predicted) if "spans" in frame else None
    slices = disguise_slices(gold, predicted, labels, scores) if "spans" in frame else pd.DataFrame()
    roc = {
        category: roc_points(group["is_bad"].astype(int).tolist(), result.loc[group.index, "prediction"].tolist())
        for category, group in frame.groupby("category")
    }
    metrics: dict[str, float] = {f"{prefix}mean_auc": auc.mean}
    metrics.update({f"{prefix}auc/{category}": value for category, value in auc.per_category.items()})
    if spans is not None:
        metrics.update({f"{prefix}{key}": float(value) for key, value in spans.as_dict().items()})
    for row in slices.to_dict(orient="records"):
        metrics[f"{prefix}found/{row['disguise']}"] = row["found"]
    return {
        "metrics": metrics,
        "per_category": auc.per_category,
        "skipped_categories": auc.skipped,
        "slices": slices.to_dict(orient="records"),
        "roc": roc,
        "ads": len(frame),
        "positives": int(sum(labels)),
        "confusion": {"threshold": threshold, "matrix": matrix},
    }


REPORT_PARTS = ("synthetic", "golden", "holdout")


def evaluation_report(settings: Settings, predictor: Predictor, progress: Progress | None = None) -> dict[str, Any]:
    """Metrics on the configured split, the golden set and the untuned hold-out set."""
    frame = load_split(settings.data, settings.evaluate.split)
    _say(progress, f"evaluating on {len(frame)} ads of {settings.evaluate.split}")
    threshold = settings.evaluate.threshold
    report: dict[str, Any] = {
        "split": settings.evaluate.split,
        "synthetic": evaluate_frame(predictor, frame, threshold=threshold),
    }
    for part, path in (("golden", settings.evaluate.golden_path), ("holdout", settings.evaluate.holdout_path)):
        if path and resolve_path(path).exists():
            golden = load_golden(resolve_path(path))
            report[part] = evaluate_frame(predictor, golden, prefix=f"{part}_", threshold=threshold)
    return report


def evaluate(settings: Settings, predictor: Predictor, progress: Progress | None = None) -> dict[str, Any]:
    """Evaluate on the split and the golden sets; write metrics JSON and ROC plots."""
    report = evaluation_report(settings, predictor, progress)
    write_evaluation(settings, report)
    return report


def jsonable(value: Any) -> Any:
    """A report with NaN and infinities turned into None, so that it serialises as strict JSON."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def flat_metrics(report: dict[str, Any]) -> dict[str, float]:
    """All metrics of an evaluation report in one flat dict."""
    metrics: dict[str, float] = {}
    for part in REPORT_PARTS:
        if part in report:
            metrics.update(report[part]["metrics"])
    return metrics


def write_evaluation(settings: Settings, report: dict[str, Any]) -> None:
    """Write metrics JSON (for DVC and the README) and one ROC CSV per category (for dvc plots)."""
    metrics_path = resolve_path(settings.evaluate.metrics_path)
    metrics_path.parent.mkdir(parents=True, exist_ok=True)
    summary = {key: round(value, 6) for key, value in flat_metrics(report).items() if value == value}
    # ASCII escapes: DVC refuses a metrics file whose first bytes look binary (Cyrillic category names).
    metrics_path.write_text(json.dumps(summary, ensure_ascii=True, indent=2, sort_keys=True), encoding="utf-8")
    plots = resolve_path(settings.evaluate.plots_dir)
    plots.mkdir(parents=True, exist_ok=True)
    rows = []
    for category, points in report["synthetic"]["roc"].items():
        rows.extend(
            {"category": category, "fpr": f, "tpr": t} for f, t in zip(points["fpr"], points["tpr"], strict=True)
        )
    pd.DataFrame(rows, columns=["category", "fpr", "tpr"]).to_csv(plots / "roc.csv", index=False)


def category_table(report: dict[str, Any]) -> pd.DataFrame:
    """Per-category ROC-AUC for the synthetic split and the golden set side by side."""
    columns = {part: report[part]["per_category"] for part in REPORT_PARTS if part in report}
    table = pd.DataFrame(columns)
    table.index.name = "category"
    mean = {
        part: report[part]["metrics"].get(("" if part == "synthetic" else f"{part}_") + "mean_auc") for part in columns
    }
    return pd.concat([table, pd.DataFrame(mean, index=["MEAN"])])
