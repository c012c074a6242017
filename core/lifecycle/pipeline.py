"""The pipeline stages as plain functions: prepare, train, evaluate."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.config import Settings, resolve_path
from core.engine.features import AdAnalysis, ad_candidates, regroup
from core.engine.model import fit_classifier, predict_probability
from core.engine.predict import Predictor, title_description_pairs
from core.engine.scorer import Candidate, SpanScorer, gold_labels
from core.engine.spans import Span, spans_from_json
from core.lifecycle.data import load_split, raw_split_path, read_ads_csv, write_split
from core.lifecycle.golden import load_golden
from core.lifecycle.metrics import disguise_slices, gold_spans_column, per_category_auc, roc_points, span_scores

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
        from core.lifecycle.synth import generate_splits

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


def _candidate_labels(frame: pd.DataFrame, analyses: list[AdAnalysis]) -> tuple[list[Candidate], list[int], list[int]]:
    """Every candidate of the frame with its gold label (overlaps a gold span) and the row it came from."""
    candidates: list[Candidate] = []
    labels: list[int] = []
    rows: list[int] = []
    for row, ((title, description), analysis, gold_json, is_bad) in enumerate(
        zip(title_description_pairs(frame), analyses, frame["spans"], frame["is_bad"], strict=True)
    ):
        gold = spans_from_json(gold_json)
        ad = ad_candidates(title, description, analysis.candidates, analysis.title_candidates)
        candidates.extend(ad)
        labels.extend(gold_labels(analysis.candidates, gold))
        # Gold spans cover descriptions only: a title's candidate counts as a contact when the ad has one.
        labels.extend([int(bool(is_bad))] * len(analysis.title_candidates))
        rows.extend([row] * len(ad))
    return candidates, labels, rows


def fit_span_scorer(
    settings: Settings, frame: pd.DataFrame, analyses: list[AdAnalysis]
) -> tuple[SpanScorer, list[AdAnalysis]]:
    """Fit the candidate scorer on gold spans; return it with the frame's analyses scored out of fold.

    Two folds: each half's candidates are scored by a scorer that never saw them, so the classifier
    learns from scores as honest as the ones it will get on new ads.
    """
    candidates, labels, rows = _candidate_labels(frame, analyses)
    if len(set(labels)) < 2:
        return SpanScorer(None), analyses
    params = {"seed": settings.model.seed, "thread_count": settings.model.thread_count}
    fold = np.array([row % 2 for row in rows])
    scored: list[Span | None] = [None] * len(candidates)
    for part in (0, 1):
        train_at = np.flatnonzero(fold != part)
        score_at = np.flatnonzero(fold == part)
        if len({labels[i] for i in train_at}) < 2:
            return SpanScorer(None), analyses
        scorer = SpanScorer().fit([candidates[i] for i in train_at], [labels[i] for i in train_at], **params)
        for index, span in zip(
            score_at, scorer.rescore([candidates[i] for i in score_at], settings.detect.min_score), strict=True
        ):
            scored[index] = span
    out_of_fold = regroup(analyses, scored, settings.detect.min_score)  # type: ignore[arg-type]
    return SpanScorer().fit(candidates, labels, **params), out_of_fold


def train(
    settings: Settings, train_frame: pd.DataFrame, val_frame: pd.DataFrame, progress: Progress | None = None
) -> TrainResult:
    """Fit the span scorer (when gold spans exist) and the classifier with early stopping on val.

    The scorer learns from the first `train.scorer_ads` ads (their own scores come out of fold); the rest of
    train is analysed in steps with the fitted scorer and kept only as the classifier's feature table, so
    that memory stays flat as the train split grows.
    """
    predictor = Predictor(None, settings.detect, settings.model)
    head = train_frame.iloc[: settings.train.scorer_ads]
    rest = train_frame.iloc[settings.train.scorer_ads :]
    started = time.perf_counter()
    _say(progress, f"detecting contacts in {len(head)} train ads for the span scorer")
    head_analyses = predictor.analyze(head)
    detect_seconds = time.perf_counter() - started
    started = time.perf_counter()
    if settings.model.span_scorer and "spans" in train_frame:
        _say(progress, "fitting the span scorer on gold spans")
        predictor.scorer, head_analyses = fit_span_scorer(settings, head, head_analyses)
    scorer_seconds = time.perf_counter() - started
    started = time.perf_counter()
    head_features = predictor.features(head, head_analyses)
    del head_analyses
    _say(progress, f"detecting contacts in {len(rest) + len(val_frame)} more ads")
    train_features = pd.concat([head_features, predictor.feature_table(rest)]) if len(rest) else head_features
    val_features = predictor.feature_table(val_frame)
    detect_seconds += time.perf_counter() - started
    _say(progress, "fitting CatBoost")
    started = time.perf_counter()
    predictor.classifier = fit_classifier(
        train_features,
        train_frame["is_bad"].astype(int),
        settings.model,
        val_features,
        val_frame["is_bad"].astype(int),
        settings.train.early_stopping_rounds,
    )
    fit_seconds = time.perf_counter() - started
    val_scores = predict_probability(predictor.classifier, val_features)
    auc = per_category_auc(val_frame["category"], val_frame["is_bad"].astype(int), val_scores)
    metrics = {"val_mean_auc": auc.mean, "best_iteration": float(predictor.classifier.get_best_iteration() or 0)}
    timings = {"detect_seconds": detect_seconds, "scorer_seconds": scorer_seconds, "fit_seconds": fit_seconds}
    return TrainResult(predictor, metrics, timings)


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


SYNTHETIC = "synthetic"
# Parts of reports written before the hand-written sets became a configurable list (old MLflow runs).
REPORT_PARTS = (SYNTHETIC, "golden", "holdout")


def metric_prefix(part: str) -> str:
    """Prefix of a report part's metric names: '' for the synthetic split, '<set name>_' for a hand-written set."""
    return "" if part == SYNTHETIC else f"{part}_"


def report_parts(report: dict[str, Any]) -> list[str]:
    """The parts of an evaluation report in order: the synthetic split, then every evaluated hand-written set."""
    if "handwritten" in report:
        names = [entry["name"] for entry in report["handwritten"] if entry.get("evaluated")]
    else:
        names = list(REPORT_PARTS[1:])
    return [part for part in (SYNTHETIC, *names) if part in report]


def handwritten_parts(report: dict[str, Any]) -> list[str]:
    """The hand-written sets an evaluation report holds, in config order."""
    return [part for part in report_parts(report) if part != SYNTHETIC]


def evaluate_handwritten(
    settings: Settings, predictor: Predictor, progress: Progress | None = None
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Score every configured hand-written set; returns (one entry per set, report part per evaluated set).

    A set whose file is missing is reported (`evaluated` false, with a warning) and skipped.
    """
    threshold = settings.app.threshold
    entries: list[dict[str, Any]] = []
    parts: dict[str, dict[str, Any]] = {}
    for spec in settings.evaluate.handwritten_sets:
        name, path = spec["name"], resolve_path(spec["path"])
        entry: dict[str, Any] = {"name": name, "path": spec["path"], "tuned": spec["tuned"], "evaluated": False}
        if not path.exists():
            _say(progress, f"warning: hand-written set '{name}' not found at {path}: skipped")
            entries.append(entry)
            continue
        frame = load_golden(path)
        tuned = " (tuned on)" if spec["tuned"] else ""
        _say(progress, f"evaluating on {len(frame)} hand-written ads of '{name}'{tuned}")
        parts[name] = evaluate_frame(predictor, frame, prefix=metric_prefix(name), threshold=threshold)
        entry.update(evaluated=True, ads=parts[name]["ads"], positives=parts[name]["positives"])
        entries.append(entry)
    return entries, parts


def evaluation_report(settings: Settings, predictor: Predictor, progress: Progress | None = None) -> dict[str, Any]:
    """Metrics on the configured split and on every hand-written set of `evaluate.handwritten_sets`."""
    frame = load_split(settings.data, settings.evaluate.split)
    _say(progress, f"evaluating on {len(frame)} ads of {settings.evaluate.split}")
    report: dict[str, Any] = {
        "split": settings.evaluate.split,
        SYNTHETIC: evaluate_frame(predictor, frame, threshold=settings.app.threshold),
    }
    entries, parts = evaluate_handwritten(settings, predictor, progress)
    report["handwritten"] = entries
    report.update(parts)
    return report


def evaluate(settings: Settings, predictor: Predictor, progress: Progress | None = None) -> dict[str, Any]:
    """Evaluate on the split and every hand-written set; write metrics JSON and ROC plots."""
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
    for part in report_parts(report):
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
    """Per-category ROC-AUC of the synthetic split and every hand-written set side by side, with the mean row."""
    parts = report_parts(report)
    table = pd.DataFrame({part: report[part]["per_category"] for part in parts}, columns=parts)
    table.index.name = "category"
    mean = {part: report[part]["metrics"].get(metric_prefix(part) + "mean_auc") for part in parts}
    return pd.concat([table, pd.DataFrame(mean, index=["MEAN"], columns=parts)])


SUMMARY_KEYS = ("mean_auc", "iou", "span_f1", "span_precision", "span_recall", "false_span_rate")


def handwritten_summary(report: dict[str, Any]) -> pd.DataFrame:
    """One row per configured hand-written set: file, tuned or not, ads, mean AUC and span quality."""
    rows = []
    for entry in report.get("handwritten", []):
        row: dict[str, Any] = {
            "set": entry["name"],
            "tuned": bool(entry.get("tuned")),
            "ads": entry.get("ads", 0),
            "path": entry.get("path", ""),
        }
        metrics = report[entry["name"]]["metrics"] if entry.get("evaluated") and entry["name"] in report else {}
        prefix = metric_prefix(entry["name"])
        for key in SUMMARY_KEYS:
            row[key] = metrics.get(prefix + key, float("nan"))
        rows.append(row)
    return pd.DataFrame(rows, columns=["set", "tuned", "ads", *SUMMARY_KEYS, "path"]).set_index("set")
