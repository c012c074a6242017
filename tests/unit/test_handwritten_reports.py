"""Evaluation reports with any number of hand-written sets: parts, flat metrics, tables, figures, dashboard views."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from core.config import Settings
from core.lifecycle.pipeline import (
    category_table,
    flat_metrics,
    handwritten_parts,
    handwritten_summary,
    metric_prefix,
    report_parts,
    write_evaluation,
)
from core.lifecycle.plots import close_figures, report_figures
from ui import metrics_view as mv
from ui import models_view as views

CATEGORIES = ("Работа", "Транспорт")


def _part(prefix: str, auc: float) -> dict:
    per_category = {category: auc for category in CATEGORIES}
    metrics = {f"{prefix}mean_auc": auc, f"{prefix}iou": auc - 0.1, f"{prefix}span_f1": auc - 0.05}
    metrics.update({f"{prefix}auc/{category}": auc for category in CATEGORIES})
    roc = {
        category: {"fpr": [0.0, 0.5, 1.0], "tpr": [0.0, 0.9, 1.0], "threshold": [1.0, 0.5, 0.0]}
        for category in CATEGORIES
    }
    return {
        "metrics": metrics,
        "per_category": per_category,
        "skipped_categories": [],
        "slices": [],
        "roc": roc,
        "ads": 20,
        "positives": 10,
        "confusion": {"threshold": 0.5, "matrix": [[9, 1], [2, 8]]},
    }


def _report() -> dict:
    return {
        "split": "test",
        "synthetic": _part("", 0.99),
        "handwritten": [
            {"name": "golden", "path": "g.jsonl", "tuned": True, "evaluated": True, "ads": 20, "positives": 10},
            {"name": "holdout", "path": "h.jsonl", "tuned": False, "evaluated": False},
            {"name": "untouched", "path": "u.jsonl", "tuned": False, "evaluated": True, "ads": 20, "positives": 10},
            {"name": "extra", "path": "e.jsonl", "tuned": False, "evaluated": True, "ads": 20, "positives": 10},
        ],
        "golden": _part("golden_", 0.97),
        "untouched": _part("untouched_", 0.81),
        "extra": _part("extra_", 0.7),
    }


def test_parts_follow_the_configured_sets_and_skip_missing_ones() -> None:
    report = _report()
    assert report_parts(report) == ["synthetic", "golden", "untouched", "extra"]
    assert handwritten_parts(report) == ["golden", "untouched", "extra"]
    assert metric_prefix("synthetic") == "" and metric_prefix("untouched") == "untouched_"
    metrics = flat_metrics(report)
    assert metrics["mean_auc"] == 0.99 and metrics["golden_mean_auc"] == 0.97
    assert metrics["untouched_mean_auc"] == 0.81 and metrics["extra_auc/Работа"] == 0.7
    assert not any(key.startswith("holdout_") for key in metrics)


def test_a_report_from_before_the_list_still_reads() -> None:
    legacy = {
        "split": "test",
        "synthetic": _part("", 0.9),
        "golden": _part("golden_", 1.0),
        "holdout": _part("holdout_", 0.95),
    }
    assert report_parts(legacy) == ["synthetic", "golden", "holdout"]
    assert list(category_table(legacy).columns) == ["synthetic", "golden", "holdout"]
    assert handwritten_summary(legacy).empty


def test_category_table_and_summary_cover_every_set() -> None:
    table = category_table(_report())
    assert list(table.columns) == ["synthetic", "golden", "untouched", "extra"]
    assert table.loc["MEAN"].to_dict() == {"synthetic": 0.99, "golden": 0.97, "untouched": 0.81, "extra": 0.7}
    assert table.loc["Работа", "untouched"] == 0.81
    summary = handwritten_summary(_report())
    assert list(summary.index) == ["golden", "holdout", "untouched", "extra"]
    assert summary.loc["golden", "tuned"] and not summary.loc["untouched", "tuned"]
    assert summary.loc["untouched", "mean_auc"] == 0.81 and summary.loc["untouched", "ads"] == 20
    assert math.isnan(summary.loc["holdout", "mean_auc"])  # configured but its file was missing


def test_figures_and_metrics_file_for_every_set(tmp_path: Path) -> None:
    figures = report_figures(_report())
    try:
        assert set(figures) == {
            f"plots/{kind}_{part}.png" for kind in ("roc", "confusion") for part in report_parts(_report())
        }
        assert "not tuned on" in figures["plots/roc_untouched.png"].axes[0].get_title()
        assert "(hand-written, tuned on)" in figures["plots/roc_golden.png"].axes[0].get_title()
    finally:
        close_figures(figures)
    settings = Settings()
    settings.evaluate.metrics_path = str(tmp_path / "metrics.json")
    settings.evaluate.plots_dir = str(tmp_path / "plots")
    write_evaluation(settings, _report())
    written = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert written["untouched_mean_auc"] == 0.81 and written["golden_mean_auc"] == 0.97 and written["mean_auc"] == 0.99
    assert (tmp_path / "plots" / "roc.csv").read_text(encoding="utf-8").startswith("category,fpr,tpr")


def _runs() -> pd.DataFrame:
    rows = []
    for run_id, shift in (("run-a", 0.0), ("run-b", -0.02)):
        row = {"run_id": run_id, "tags.mlflow.runName": run_id, "start_time": pd.Timestamp("2025-01-01")}
        for key, value in flat_metrics(_report()).items():
            row[f"metrics.{key}"] = value + shift
        rows.append(row)
    return pd.DataFrame(rows)


def test_metrics_view_finds_every_set_with_russian_labels() -> None:
    runs = _runs()
    labels = mv.run_labels(runs)
    assert mv.parts_present(runs) == ["synthetic", "golden", "untouched", "extra"]
    assert mv.part_label("untouched") == "Нетронутый набор (только оценка)"
    assert mv.part_label("extra", False) == "Ручной набор «extra» (без подстройки)"
    assert mv.part_label("extra") == "Ручной набор «extra»"
    summary = mv.summary_table(runs, labels)
    assert {"ROC-AUC (тест)", "ROC-AUC (золотой набор)", "ROC-AUC (нетронутый набор)", "ROC-AUC (extra)"} <= set(
        summary.index
    )
    table = mv.handwritten_table(runs, labels, {"extra": True})
    assert len(table) == 6 and set(table["Набор"]) == {"золотой", "нетронутый", "extra"}
    tuned = table.drop_duplicates("Набор").set_index("Набор")["Подстройка"].to_dict()
    assert tuned == {"золотой": "да", "нетронутый": "нет", "extra": "да"}
    untouched_auc = mv.category_auc_long(runs, labels, "untouched")
    assert len(untouched_auc) == 4 and set(untouched_auc["auc"].round(2)) == {0.81, 0.79}


def test_models_view_shows_every_set_and_the_handwritten_gate() -> None:
    record = {"candidate": 0.79, "champion": 0.81, "delta": -0.02, "passed": False, "tuned": False, "ads": 320}
    versions = pd.DataFrame(
        [
            {
                "version": 2,
                "mean_auc": 0.99,
                "golden_mean_auc": 0.97,
                "untouched_mean_auc": 0.79,
                "extra_mean_auc": 0.7,
                "val_mean_auc": 0.98,
                "tag.promotion.decision": "refused",
                "tag.promotion.at": "2025-01-02T00:00:00+00:00",
                "tag.promotion.handwritten": json.dumps(
                    {"golden": {**record, "delta": 0.0, "passed": True, "tuned": True}, "untouched": record}
                ),
            },
            {"version": 1, "mean_auc": 0.99, "golden_mean_auc": 0.97, "untouched_mean_auc": 0.81},
        ]
    )
    table = views.versions_table(versions)
    assert {"AUC нетронутый", "AUC золотой", "AUC extra", "AUC валидация"} <= set(table.columns)
    decisions = views.promotion_table(versions)
    assert decisions["Ручные наборы"].tolist() == ["падение: нетронутый"]
    details = views.promotion_handwritten(versions, "2").set_index("Набор")
    assert details.loc["нетронутый", "Допуск"] == "превышен" and details.loc["золотой", "Допуск"] == "в пределах"
    assert details.loc["нетронутый", "Изменение"] == -0.02 and details.loc["золотой", "Подстройка"] == "да"
    assert views.promotion_handwritten(versions, "1").empty
