"""Metrics: per-category AUC with skipped categories, contest IoU, character F1, disguise slices."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import precision_score, recall_score, roc_curve

from core.engine.spans import Span, contest_span, resolve_overlaps
from core.lifecycle.metrics import (
    disguise_slices,
    interval_iou,
    per_category_auc,
    score_changes,
    span_scores,
    threshold_overall,
    threshold_table,
)


def test_per_category_auc_skips_single_class_categories() -> None:
    result = per_category_auc(["a", "a", "a", "a", "b", "b"], [0, 1, 0, 1, 1, 1], [0.1, 0.9, 0.2, 0.8, 0.5, 0.6])
    assert result.per_category == {"a": 1.0}
    assert result.skipped == ["b"]
    assert result.mean == 1.0


def test_mean_is_unweighted_over_categories() -> None:
    result = per_category_auc(["a"] * 4 + ["b"] * 2, [0, 1, 0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8, 0.9, 0.1])
    assert result.per_category == {"a": 1.0, "b": 0.0}
    assert result.mean == 0.5


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        ((0, 10), (0, 10), 1.0),
        ((0, 10), (5, 15), 5 / 15),
        ((0, 10), None, 0.0),
        (None, None, 1.0),
        ((0, 4), (6, 9), 0.0),
    ],
)
def test_interval_iou(gold, predicted, expected) -> None:
    assert math.isclose(interval_iou(gold, predicted), expected)


def test_span_scores_iou_over_positive_ads_and_char_f1() -> None:
    gold = [[Span(0, 10, "phone")], [], [Span(5, 10, "email"), Span(20, 30, "phone")]]
    predicted = [[Span(0, 5, "phone")], [Span(0, 3, "phone")], [Span(5, 10, "email"), Span(20, 30, "phone")]]
    scores = span_scores(gold, predicted)
    assert scores.iou_ads == 2
    assert math.isclose(scores.iou, (0.5 + 1.0) / 2)
    assert scores.false_span_rate == 1.0
    assert scores.both_empty == 0
    assert math.isclose(scores.precision, 20 / 23)
    assert math.isclose(scores.recall, 20 / 25)


def test_contest_span_covers_first_to_last_contact() -> None:
    assert contest_span([Span(30, 40, "url"), Span(3, 9, "phone")]) == (3, 40)
    assert contest_span([]) is None


def test_resolve_overlaps_keeps_the_better_span() -> None:
    spans = [Span(0, 10, "phone", score=0.6), Span(5, 20, "url", score=0.9), Span(30, 35, "email")]
    assert [(s.start, s.kind) for s in resolve_overlaps(spans)] == [(5, "url"), (30, "email")]


def test_disguise_slices_report_found_share() -> None:
    gold = [[Span(0, 10, "phone", disguise="words")], [Span(0, 5, "phone", disguise="lookalike")], []]
    predicted = [[Span(0, 10, "phone")], [], []]
    table = disguise_slices(gold, predicted, [1, 1, 0], [0.9, 0.2, 0.1]).set_index("disguise")
    assert table.loc["words", "found"] == 1.0
    assert table.loc["lookalike", "found"] == 0.0
    assert table.loc["words", "auc_vs_clean"] == 1.0


def _scored(seed: int = 7, ads: int = 400) -> pd.DataFrame:
    """Random labelled scores in three categories, one of them perfectly separated (AUC 1.0)."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, ads)
    scores = np.clip(labels * 0.35 + rng.random(ads) * 0.65, 0, 1)
    categories = rng.choice(["a", "b", "perfect"], ads)
    perfect = categories == "perfect"
    scores[perfect] = np.where(
        labels[perfect] == 1, 0.3 + rng.random(perfect.sum()) * 0.7, rng.random(perfect.sum()) * 0.25
    )
    return pd.DataFrame({"category": categories, "is_bad": labels, "prediction": scores})


@pytest.mark.parametrize("threshold", [0.0, 0.25, 0.5, 0.77, 0.985])
def test_threshold_numbers_match_sklearn(threshold: float) -> None:
    frame = _scored()
    flagged = (frame["prediction"] >= threshold).astype(int)
    overall = threshold_overall(frame, threshold)
    assert overall["ads"] == len(frame) and overall["flagged"] == flagged.sum()
    assert overall["recall"] == pytest.approx(recall_score(frame["is_bad"], flagged))
    assert overall["precision"] == pytest.approx(
        precision_score(frame["is_bad"], flagged, zero_division=np.nan), nan_ok=True
    )
    assert overall["flag_rate"] == pytest.approx(flagged.mean())
    table = threshold_table(frame, threshold).set_index("category")
    for category, group in frame.groupby("category"):
        marked = (group["prediction"] >= threshold).astype(int)
        assert table.loc[category, "recall"] == pytest.approx(recall_score(group["is_bad"], marked))


def test_perfect_category_has_full_recall_at_a_threshold_below_its_positives() -> None:
    frame = _scored()
    perfect = frame[frame["category"] == "perfect"]
    assert per_category_auc(perfect["category"], perfect["is_bad"], perfect["prediction"]).mean == 1.0
    assert threshold_table(frame, 0.28).set_index("category").loc["perfect", "recall"] == 1.0
    # the thinned ROC points that the page used to read skip most thresholds: they cannot give this number
    _, _, thresholds = roc_curve(perfect["is_bad"], perfect["prediction"])
    assert len(thresholds) < 5 < len(perfect)


def test_score_changes_pair_the_same_ads_and_sort_by_the_largest_change() -> None:
    before = pd.DataFrame({"category": ["a", "b", "c"], "is_bad": [1, 0, 1], "prediction": [0.9, 0.2, 0.5]})
    after = before.assign(prediction=[0.1, 0.3, 0.9])
    changes = score_changes(before, after)
    assert changes["category"].tolist() == ["a", "c", "b"]
    assert changes["change"].tolist() == pytest.approx([-0.8, 0.4, 0.1])
    assert changes["before"].tolist() == [0.9, 0.5, 0.2] and changes["after"].tolist() == [0.1, 0.9, 0.3]
    with pytest.raises(ValueError, match="different ads"):
        score_changes(before, after.head(2))
