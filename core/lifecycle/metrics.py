"""Quality metrics: per-category ROC-AUC, contest IoU, character-level span F1, slices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score, roc_curve

from core.engine.spans import Span, contest_span, spans_from_json


@dataclass(slots=True)
class CategoryAuc:
    """ROC-AUC per category, their mean, and categories skipped for having one class."""

    per_category: dict[str, float]
    mean: float
    skipped: list[str] = field(default_factory=list)


def per_category_auc(categories: Sequence[str], labels: Sequence[int], scores: Sequence[float]) -> CategoryAuc:
    """ROC-AUC inside each category and their unweighted mean (the marketplace's metric)."""
    frame = pd.DataFrame({"category": list(categories), "label": list(labels), "score": list(scores)})
    per_category: dict[str, float] = {}
    skipped: list[str] = []
    for category, group in frame.groupby("category", sort=True):
        if group["label"].nunique() < 2:
            skipped.append(str(category))
            continue
        per_category[str(category)] = float(roc_auc_score(group["label"], group["score"]))
    mean = float(np.mean(list(per_category.values()))) if per_category else float("nan")
    return CategoryAuc(per_category, mean, skipped)


def roc_points(labels: Sequence[int], scores: Sequence[float]) -> dict[str, list[float]]:
    """False/true positive rates and thresholds of a ROC curve (empty for one class)."""
    if len(set(labels)) < 2:
        return {"fpr": [], "tpr": [], "threshold": []}
    fpr, tpr, thresholds = roc_curve(list(labels), list(scores))
    return {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "threshold": np.nan_to_num(thresholds, posinf=1.0).tolist()}


def interval_iou(gold: tuple[int, int] | None, predicted: tuple[int, int] | None) -> float:
    """IoU of two [start, finish) intervals; 1.0 when both are empty, 0.0 when one is."""
    if gold is None and predicted is None:
        return 1.0
    if gold is None or predicted is None:
        return 0.0
    intersection = max(0, min(gold[1], predicted[1]) - max(gold[0], predicted[0]))
    union = max(gold[1], predicted[1]) - min(gold[0], predicted[0])
    return intersection / union if union else 0.0


def _chars(spans: Sequence[Span]) -> set[int]:
    covered: set[int] = set()
    for span in spans:
        covered.update(range(span.start, span.finish))
    return covered


@dataclass(slots=True)
class SpanScores:
    """Span quality over a set of ads."""

    iou: float  # mean contest IoU over ads with a gold contact
    iou_ads: int
    both_empty: int  # ads with no gold and no predicted contact (no error; reported apart)
    false_span_rate: float  # share of ads without gold contacts that got a predicted span
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float]:
        """Plain dict for logging."""
        return {
            "iou": self.iou,
            "iou_ads": self.iou_ads,
            "both_empty": self.both_empty,
            "false_span_rate": self.false_span_rate,
            "span_precision": self.precision,
            "span_recall": self.recall,
            "span_f1": self.f1,
        }


def span_scores(gold: Sequence[Sequence[Span]], predicted: Sequence[Sequence[Span]]) -> SpanScores:
    """Contest IoU over ads with contacts and micro character-level precision/recall/F1."""
    ious: list[float] = []
    both_empty = false_spans = clean_ads = 0
    true_chars = gold_chars = predicted_chars = 0
    for gold_spans, predicted_spans in zip(gold, predicted, strict=True):
        gold_set, predicted_set = _chars(gold_spans), _chars(predicted_spans)
        true_chars += len(gold_set & predicted_set)
        gold_chars += len(gold_set)
        predicted_chars += len(predicted_set)
        if gold_spans:
            ious.append(interval_iou(contest_span(gold_spans), contest_span(predicted_spans)))
        else:
            clean_ads += 1
            if predicted_spans:
                false_spans += 1
            else:
                both_empty += 1
    precision = true_chars / predicted_chars if predicted_chars else 1.0
    recall = true_chars / gold_chars if gold_chars else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return SpanScores(
        iou=float(np.mean(ious)) if ious else float("nan"),
        iou_ads=len(ious),
        both_empty=both_empty,
        false_span_rate=false_spans / clean_ads if clean_ads else 0.0,
        precision=precision,
        recall=recall,
        f1=f1,
    )


def disguise_slices(
    gold: Sequence[Sequence[Span]],
    predicted: Sequence[Sequence[Span]],
    labels: Sequence[int],
    scores: Sequence[float],
) -> pd.DataFrame:
    """Per disguise kind: gold spans, share found, character recall, and AUC of its ads vs clean ads."""
    rows: dict[str, dict[str, float]] = {}
    negative_scores = [s for s, y, g in zip(scores, labels, gold, strict=True) if y == 0 and not g]
    ads_by_disguise: dict[str, list[float]] = {}
    for gold_spans, predicted_spans, score in zip(gold, predicted, scores, strict=True):
        covered = _chars(predicted_spans)
        for disguise in {s.disguise for s in gold_spans}:
            ads_by_disguise.setdefault(disguise, []).append(score)
        for span in gold_spans:
            row = rows.setdefault(span.disguise, {"spans": 0, "found": 0, "chars": 0, "covered": 0})
            span_chars = set(range(span.start, span.finish))
            row["spans"] += 1
            row["found"] += bool(span_chars & covered)
            row["chars"] += len(span_chars)
            row["covered"] += len(span_chars & covered)
    table = []
    for disguise, row in sorted(rows.items()):
        positives = ads_by_disguise.get(disguise, [])
        auc = float("nan")
        if positives and negative_scores:
            auc = float(roc_auc_score([1] * len(positives) + [0] * len(negative_scores), positives + negative_scores))
        table.append(
            {
                "disguise": disguise,
                "spans": int(row["spans"]),
                "found": row["found"] / row["spans"],
                "char_recall": row["covered"] / row["chars"] if row["chars"] else float("nan"),
                "auc_vs_clean": auc,
            }
        )
    return pd.DataFrame(table, columns=["disguise", "spans", "found", "char_recall", "auc_vs_clean"])


def gold_spans_column(frame: pd.DataFrame) -> list[list[Span]]:
    """Parse the `spans` JSON column of a labelled frame (empty lists where absent)."""
    if "spans" not in frame:
        return [[] for _ in range(len(frame))]
    return [spans_from_json(value) if isinstance(value, str) else [] for value in frame["spans"]]


def threshold_table(frame: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Per category at a threshold: precision, recall and flag rate (needs is_bad and prediction)."""
    rows = []
    for category, group in frame.groupby("category", sort=True):
        flagged = group["prediction"] >= threshold
        positives = group["is_bad"] == 1
        true_positive = int((flagged & positives).sum())
        rows.append(
            {
                "category": category,
                "ads": len(group),
                "flag_rate": float(flagged.mean()),
                "precision": true_positive / int(flagged.sum()) if flagged.any() else float("nan"),
                "recall": true_positive / int(positives.sum()) if positives.any() else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def threshold_overall(frame: pd.DataFrame, threshold: float) -> dict[str, float]:
    """Over all ads at a threshold: ads, flagged, precision, recall and flag rate (needs is_bad and prediction)."""
    flagged = frame["prediction"] >= threshold
    positives = frame["is_bad"] == 1
    true_positive = int((flagged & positives).sum())
    return {
        "ads": len(frame),
        "flagged": int(flagged.sum()),
        "flag_rate": float(flagged.mean()) if len(frame) else float("nan"),
        "precision": true_positive / int(flagged.sum()) if flagged.any() else float("nan"),
        "recall": true_positive / int(positives.sum()) if positives.any() else float("nan"),
    }


def score_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The same ads scored by two models: both predictions and the change, largest absolute change first."""
    if len(before) != len(after):
        raise ValueError(f"the two scorings cover different ads ({len(before)} vs {len(after)})")
    changes = after.reset_index(drop=True).rename(columns={"prediction": "after", "contacts": "contacts_after"})
    changes.insert(0, "before", before["prediction"].to_numpy())
    if "contacts" in before:
        changes["contacts_before"] = before["contacts"].to_numpy()
    changes["change"] = changes["after"] - changes["before"]
    order = changes["change"].abs().sort_values(ascending=False, kind="stable").index
    return changes.loc[order].reset_index(drop=True)
