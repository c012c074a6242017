"""Tables for the metrics explorer built from MLflow runs and their evaluation reports."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

AUC_PREFIX = "metrics.auc/"
FOUND_PREFIX = "metrics.found/"
PARAM_PREFIX = "params."
METRIC_PREFIX = "metrics."
SYNTHETIC = "synthetic"
SUMMARY_METRICS: dict[str, str] = {
    "metrics.mean_auc": "ROC-AUC (тест)",
    "metrics.golden_mean_auc": "ROC-AUC (золотой набор)",
    "metrics.holdout_mean_auc": "ROC-AUC (отложенный набор)",
    "metrics.untouched_mean_auc": "ROC-AUC (нетронутый набор)",
    "metrics.val_mean_auc": "ROC-AUC (валидация)",
    "metrics.iou": "IoU",
    "metrics.span_f1": "F1 по символам",
    "metrics.golden_iou": "IoU (золотой)",
    "metrics.golden_span_f1": "F1 по символам (золотой)",
    "metrics.holdout_iou": "IoU (отложенный)",
    "metrics.holdout_span_f1": "F1 по символам (отложенный)",
    "metrics.untouched_iou": "IoU (нетронутый)",
    "metrics.untouched_span_f1": "F1 по символам (нетронутый)",
}
SPAN_METRICS: dict[str, str] = {
    "iou": "IoU",
    "span_f1": "F1 по символам",
    "span_precision": "Точность по символам",
    "span_recall": "Полнота по символам",
    "false_span_rate": "Доля ложных контактов в чистых",
}
PARTS: dict[str, str] = {
    SYNTHETIC: "Синтетический тест",
    "golden": "Золотой набор (правила подстраивались)",
    "holdout": "Отложенный набор (без подстройки)",
    "untouched": "Нетронутый набор (только оценка)",
}
SHORT_NAMES: dict[str, str] = {"golden": "золотой", "holdout": "отложенный", "untouched": "нетронутый"}
DEFAULT_TUNED: dict[str, bool] = {"golden": True, "holdout": False, "untouched": False}


def metric_prefix(part: str) -> str:
    """Prefix of a report part's metric columns: 'metrics.' for synthetic, 'metrics.<set name>_' otherwise."""
    return METRIC_PREFIX if part == SYNTHETIC else f"{METRIC_PREFIX}{part}_"


def part_label(part: str, tuned: bool | None = None) -> str:
    """Russian label of an evaluation set; sets not known by name say whether rules were tuned on them."""
    if part in PARTS:
        return PARTS[part]
    if tuned is None:
        return f"Ручной набор «{part}»"
    return f"Ручной набор «{part}» ({'правила подстраивались' if tuned else 'без подстройки'})"


def short_name(part: str) -> str:
    """Short Russian name of a hand-written set for column headers."""
    return SHORT_NAMES.get(part, part)


def parts_present(runs: pd.DataFrame) -> list[str]:
    """Evaluation sets that the runs logged per-category AUC for: synthetic first, then the known sets, then others."""
    found: set[str] = set()
    for column in runs.columns:
        if not column.startswith(METRIC_PREFIX) or "auc/" not in column:
            continue
        head = column[len(METRIC_PREFIX) : column.index("auc/")]
        if head == "":
            found.add(SYNTHETIC)
        elif head.endswith("_") and runs[column].notna().any():
            found.add(head[:-1])
    known = [part for part in PARTS if part in found]
    return known + sorted(found - set(known))


def summary_columns(runs: pd.DataFrame) -> dict[str, str]:
    """Main metric columns present in the runs with Russian headers, every evaluated set included."""
    columns = {column: name for column, name in SUMMARY_METRICS.items() if column in runs.columns}
    for part in parts_present(runs):
        if part == SYNTHETIC or part in SHORT_NAMES:
            continue
        for key, name in (("mean_auc", "ROC-AUC"), ("iou", "IoU"), ("span_f1", "F1 по символам")):
            column = metric_prefix(part) + key
            if column in runs.columns:
                columns[column] = f"{name} ({part})"
    return columns


def handwritten_table(runs: pd.DataFrame, labels: dict[str, str], tuned: dict[str, bool] | None = None) -> pd.DataFrame:
    """Every hand-written set of every chosen run: ROC-AUC, IoU, F1, false spans; whether rules were tuned on it."""
    rows = []
    tuned = tuned or {}
    for _, row in runs.iterrows():
        for part in parts_present(runs):
            if part == SYNTHETIC:
                continue
            prefix = metric_prefix(part)
            values = {
                "Запуск": labels.get(str(row["run_id"]), str(row["run_id"])),
                "Набор": short_name(part),
                "Подстройка": {True: "да", False: "нет"}.get(tuned.get(part, DEFAULT_TUNED.get(part)), "—"),
                "ROC-AUC": row.get(prefix + "mean_auc"),
                **{name: row.get(prefix + key) for key, name in SPAN_METRICS.items()},
            }
            if pd.notna(values["ROC-AUC"]):
                rows.append(values)
    columns = ["Запуск", "Набор", "Подстройка", "ROC-AUC", *SPAN_METRICS.values()]
    return pd.DataFrame(rows, columns=columns)


def run_label(row: pd.Series) -> str:
    """Human label of a run: name, start time and mean AUC."""
    name = row.get("tags.mlflow.runName") or str(row.get("run_id", ""))[:8]
    started = row.get("start_time")
    when = pd.Timestamp(started).strftime("%Y-%m-%d %H:%M") if started is not None and pd.notna(started) else ""
    auc = row.get("metrics.mean_auc")
    score = f" · AUC {auc:.4f}" if auc is not None and pd.notna(auc) else ""
    return f"{name} · {when}{score}" if when else f"{name}{score}"


def run_labels(runs: pd.DataFrame) -> dict[str, str]:
    """run_id -> label, unique even when two runs share a name and minute."""
    labels: dict[str, str] = {}
    for _, row in runs.iterrows():
        label = run_label(row)
        if label in labels.values():
            label = f"{label} · {str(row['run_id'])[:6]}"
        labels[str(row["run_id"])] = label
    return labels


def summary_table(runs: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Main metrics of the chosen runs, one row per run, for the split and every hand-written set."""
    names = summary_columns(runs)
    table = runs.set_index("run_id")[list(names)].rename(columns=names)
    table.index = [labels.get(str(run_id), str(run_id)) for run_id in table.index]
    table.index.name = "Запуск"
    return table


def _metric_family_long(runs: pd.DataFrame, labels: dict[str, str], prefix: str, key: str, value: str) -> pd.DataFrame:
    """Long table run, <key>, <value> from the metric columns named <prefix><key>."""
    rows = []
    for _, row in runs.iterrows():
        for column in runs.columns:
            if column.startswith(prefix) and pd.notna(row[column]):
                rows.append({"run": labels.get(str(row["run_id"])), key: column[len(prefix) :], value: row[column]})
    return pd.DataFrame(rows, columns=["run", key, value]).sort_values(key, kind="stable")


def category_auc_long(runs: pd.DataFrame, labels: dict[str, str], part: str = "synthetic") -> pd.DataFrame:
    """Long table run, category, auc from the per-category metric columns."""
    return _metric_family_long(runs, labels, metric_prefix(part) + "auc/", "category", "auc")


def found_by_disguise_long(runs: pd.DataFrame, labels: dict[str, str], part: str = "synthetic") -> pd.DataFrame:
    """Long table run, disguise, found (share of gold contacts found) from the metric columns."""
    return _metric_family_long(runs, labels, metric_prefix(part) + "found/", "disguise", "found")


def span_table(runs: pd.DataFrame, labels: dict[str, str], part: str = "synthetic") -> pd.DataFrame:
    """IoU, span F1, precision, recall and false-span rate per run."""
    prefix = metric_prefix(part)
    columns = {prefix + key: name for key, name in SPAN_METRICS.items() if prefix + key in runs.columns}
    table = runs.set_index("run_id")[list(columns)].rename(columns=columns)
    table.index = [labels.get(str(run_id), str(run_id)) for run_id in table.index]
    table.index.name = "Запуск"
    return table


def roc_long(report: dict[str, Any] | None, part: str, categories: list[str] | None = None) -> pd.DataFrame:
    """Long table category, fpr, tpr, threshold from an evaluation report's ROC points."""
    rows = []
    roc = ((report or {}).get(part) or {}).get("roc") or {}
    for category, points in sorted(roc.items()):
        if categories and category not in categories:
            continue
        for fpr, tpr, threshold in zip(points["fpr"], points["tpr"], points["threshold"], strict=False):
            rows.append({"category": category, "fpr": fpr, "tpr": tpr, "threshold": threshold})
    return pd.DataFrame(rows, columns=["category", "fpr", "tpr", "threshold"])


def roc_operating_point(points: dict[str, list[float]], threshold: float) -> tuple[float, float]:
    """(recall, false positive rate) of flagging scores >= threshold, read off the ROC points."""
    thresholds = np.asarray(points.get("threshold", []), dtype=float)
    if thresholds.size == 0:
        return float("nan"), float("nan")
    reached = np.nonzero(thresholds >= threshold)[0]
    if reached.size == 0:
        return 0.0, 0.0
    index = int(reached[-1])
    return float(points["tpr"][index]), float(points["fpr"][index])


def roc_threshold_table(report: dict[str, Any] | None, part: str, threshold: float) -> pd.DataFrame:
    """Per category: recall and false positive rate at the threshold from the stored ROC points."""
    rows = []
    roc = ((report or {}).get(part) or {}).get("roc") or {}
    for category, points in sorted(roc.items()):
        recall, fpr = roc_operating_point(points, threshold)
        rows.append({"category": category, "recall": recall, "fpr": fpr})
    return pd.DataFrame(rows, columns=["category", "recall", "fpr"])


def slices_table(report: dict[str, Any] | None, part: str) -> pd.DataFrame:
    """Per disguise kind: gold spans, share found, character recall and AUC vs clean ads."""
    slices = ((report or {}).get(part) or {}).get("slices") or []
    return pd.DataFrame(slices, columns=["disguise", "spans", "found", "char_recall", "auc_vs_clean"])


def params_diff(runs: pd.DataFrame, labels: dict[str, str], only_different: bool = True) -> pd.DataFrame:
    """Params of the chosen runs side by side (rows = params); only rows that differ by default."""
    columns = sorted(column for column in runs.columns if column.startswith(PARAM_PREFIX))
    table = runs.set_index("run_id")[columns].T
    table.index = [column[len(PARAM_PREFIX) :] for column in columns]
    table.columns = [labels.get(str(run_id), str(run_id)) for run_id in table.columns]
    table.index.name = "Параметр"
    table = table.astype(object).where(table.notna(), "—")
    if only_different and table.shape[1] > 1:
        table = table[table.astype(str).nunique(axis=1) > 1]
    return table
