"""Tables for the metrics explorer built from MLflow runs and their evaluation reports."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core.config import Settings, TrackingSettings, resolve_path
from core.engine.predict import Predictor
from core.lifecycle import tracking
from core.lifecycle.data import load_split
from core.lifecycle.golden import load_golden
from core.lifecycle.metrics import score_changes, threshold_overall, threshold_table
from ui.ru_format import ru_number

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
    "false_span_rate": "Ложные контакты в чистых",
}
# The span metrics the hand-written table shows (the rest are on the "Контакты в тексте" tab).
HANDWRITTEN_SPAN_METRICS = ("iou", "span_f1", "false_span_rate")
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
                **{SPAN_METRICS[key]: row.get(prefix + key) for key in HANDWRITTEN_SPAN_METRICS},
            }
            if pd.notna(values["ROC-AUC"]):
                rows.append(values)
    columns = ["Запуск", "Набор", "Подстройка", "ROC-AUC", *(SPAN_METRICS[key] for key in HANDWRITTEN_SPAN_METRICS)]
    return pd.DataFrame(rows, columns=columns)


def run_label(row: pd.Series) -> str:
    """Human label of a run: name, start time and mean AUC."""
    name = row.get("tags.mlflow.runName") or str(row.get("run_id", ""))[:8]
    started = row.get("start_time")
    when = pd.Timestamp(started).strftime("%Y-%m-%d %H:%M") if started is not None and pd.notna(started) else ""
    auc = row.get("metrics.mean_auc")
    score = f" · AUC {ru_number(auc, 4)}" if auc is not None and pd.notna(auc) else ""
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


def short_run_labels(runs: pd.DataFrame) -> dict[str, str]:
    """run_id -> run name for table headers and legends; the start time or id is added only to tell runs apart."""
    names = [str(row.get("tags.mlflow.runName") or str(row["run_id"])[:8]) for _, row in runs.iterrows()]
    labels: dict[str, str] = {}
    for name, (_, row) in zip(names, runs.iterrows(), strict=True):
        label = name
        if names.count(name) > 1:
            started = row.get("start_time")
            when = pd.Timestamp(started).strftime("%d.%m %H:%M") if started is not None and pd.notna(started) else ""
            label = f"{name} · {when}" if when else name
        if label in labels.values():
            label = f"{label} · {str(row['run_id'])[:6]}"
        labels[str(row["run_id"])] = label
    return labels


def summary_table(runs: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Main metrics of the chosen runs for the split and every hand-written set: one row per metric, a column per run."""
    names = summary_columns(runs)
    table = runs.set_index("run_id")[list(names)].rename(columns=names).T
    table.columns = [labels.get(str(run_id), str(run_id)) for run_id in table.columns]
    table.index.name = "Показатель"
    return table.astype(float)


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


# --------------------------------------------------------------------------- two runs compared

BEFORE, AFTER = "A", "B"
ALL_CATEGORIES = "Все категории"
MEAN_ROW = "в среднем по категориям"
CHANGE_COLUMNS = ["Набор", "Категория", f"ROC-AUC {BEFORE}", f"ROC-AUC {AFTER}", "Изменение"]


def plot_label(text: str) -> str:
    """Text for a plotly label or legend: tags such as <b> in a run name are shown, not rendered."""
    return html.escape(str(text), quote=False)


def set_name(part: str) -> str:
    """Short Russian name of an evaluation set for table cells."""
    return "синтетический тест" if part == SYNTHETIC else short_name(part)


def change_table(runs: pd.DataFrame, before: str, after: str) -> pd.DataFrame:
    """Per-category ROC-AUC of two runs on every evaluation set either logged, with the change (B minus A)."""
    pair = runs.set_index("run_id").loc[[before, after]]
    rows = []
    for part in parts_present(pair.reset_index()):
        prefix = metric_prefix(part)
        family = prefix + "auc/"
        columns = [column for column in pair.columns if column.startswith(family) and pair[column].notna().any()]
        named = [(MEAN_ROW, prefix + "mean_auc"), *sorted((column[len(family) :], column) for column in columns)]
        for category, column in named:
            if column not in pair.columns:
                continue
            first, second = pair.loc[before, column], pair.loc[after, column]
            rows.append(
                {
                    "Набор": set_name(part),
                    "Категория": category,
                    f"ROC-AUC {BEFORE}": first,
                    f"ROC-AUC {AFTER}": second,
                    "Изменение": second - first,
                }
            )
    table = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    for column in CHANGE_COLUMNS[2:]:
        table[column] = pd.to_numeric(table[column], errors="coerce")
    return table.sort_values("Изменение", kind="stable", na_position="last").reset_index(drop=True)


def roc_categories(reports: list[dict[str, Any] | None], part: str) -> list[str]:
    """Categories with ROC points in any of the reports for this evaluation set."""
    found: set[str] = set()
    for report in reports:
        found.update(((report or {}).get(part) or {}).get("roc") or {})
    return sorted(found)


def roc_overlay_long(curves: dict[str, dict[str, Any] | None], part: str, category: str) -> pd.DataFrame:
    """Long table run, fpr, tpr, threshold: one category's ROC curve of each run (labels escaped for plotly)."""
    rows = []
    for label, report in curves.items():
        points = (((report or {}).get(part) or {}).get("roc") or {}).get(category)
        if not points:
            continue
        for fpr, tpr, threshold in zip(points["fpr"], points["tpr"], points["threshold"], strict=False):
            rows.append({"run": plot_label(label), "fpr": fpr, "tpr": tpr, "threshold": threshold})
    return pd.DataFrame(rows, columns=["run", "fpr", "tpr", "threshold"])


def exact_threshold_table(scored: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Precision, recall and flag rate at the threshold from every ad's score: all ads first, then each category."""
    total = threshold_overall(scored, threshold)
    overall = {"category": ALL_CATEGORIES, **{key: total[key] for key in ("ads", "flag_rate", "precision", "recall")}}
    table = pd.concat([pd.DataFrame([overall]), threshold_table(scored, threshold)], ignore_index=True)
    return table.rename(
        columns={
            "category": "Категория",
            "ads": "Объявлений",
            "flag_rate": "Доля отмеченных",
            "precision": "Точность",
            "recall": "Полнота",
        }
    )


# Column widths (pixels) that keep the changed-ads table inside the page; long texts are cut in the cell only.
CHANGED_ADS_WIDTHS: dict[str, int] = {
    "Изменение": 85,
    f"Оценка {BEFORE}": 70,
    f"Оценка {AFTER}": 70,
    "Разметка": 105,
    "Категория": 130,
    "Заголовок": 160,
    "Описание": 140,
}


def changed_ads_table(changes: pd.DataFrame, top: int, excerpt: int = 160) -> pd.DataFrame:
    """The ads whose score changed most, for a table: change, both scores, label, category, title, text excerpt."""
    head = changes.head(top)
    text = head["description"].fillna("").astype(str)
    return pd.DataFrame(
        {
            "Изменение": head["change"].to_numpy(),
            f"Оценка {BEFORE}": head["before"].to_numpy(),
            f"Оценка {AFTER}": head["after"].to_numpy(),
            "Разметка": np.where(head["is_bad"].to_numpy() == 1, "контакт есть", "контакта нет"),
            "Категория": head["category"].astype(str).to_numpy(),
            "Заголовок": head["title"].fillna("").astype(str).to_numpy(),
            "Описание": [value if len(value) <= excerpt else value[:excerpt] + "…" for value in text],
        }
    )


def set_file(settings: Settings, part: str) -> Path | None:
    """The file an evaluation set is read from: the prepared split or the hand-written JSONL (None if unknown)."""
    if part == SYNTHETIC:
        return resolve_path(settings.data.prepared_dir) / f"{settings.evaluate.split}.csv"
    spec = settings.evaluate.handwritten(part)
    return resolve_path(spec["path"]) if spec else None


@st.cache_resource(max_entries=4, show_spinner="Загружаю модель запуска…")
def _run_predictor(store_key: str, run_id: str, _settings: TrackingSettings) -> Predictor:
    """The model a training run logged (loaded once per process and run)."""
    return tracking.load_predictor(_settings, uri=f"runs:/{run_id}/model")


@st.cache_data(max_entries=16, show_spinner="Оцениваю объявления набора моделью запуска…")
def scored_set(store_key: str, run_id: str, part: str, path: str, mtime_ns: int, _settings: Settings) -> pd.DataFrame:
    """Every ad of an evaluation set scored by a run's model: category, is_bad, prediction, title, text, contacts."""
    if part == SYNTHETIC:
        frame = load_split(_settings.data, _settings.evaluate.split, require_label=True)
    else:
        frame = load_golden(path)
    result = _run_predictor(store_key, run_id, _settings.tracking).predict_frame(frame)
    return pd.DataFrame(
        {
            "category": frame["category"].astype(str).to_numpy(),
            "is_bad": frame["is_bad"].astype(int).to_numpy(),
            "prediction": result["prediction"].astype(float).to_numpy(),
            "title": frame["title"].fillna("").astype(str).to_numpy(),
            "description": frame["description"].fillna("").astype(str).to_numpy(),
            "contacts": result["contacts"].to_numpy(),
        }
    )


def run_scores(store_key: str, run_id: str, part: str, settings: Settings) -> pd.DataFrame:
    """scored_set for a run and an evaluation set of the current settings (FileNotFoundError when it is missing)."""
    path = set_file(settings, part)
    if path is None or not path.exists():
        raise FileNotFoundError(f"нет файла набора «{part}»: {path or 'не задан в настройках'}")
    return scored_set(store_key, run_id, part, str(path), path.stat().st_mtime_ns, settings)


def changed_scores(store_key: str, before: str, after: str, part: str, settings: Settings) -> pd.DataFrame:
    """The ads of an evaluation set scored by both runs' models, largest change first."""
    first = run_scores(store_key, before, part, settings)
    second = run_scores(store_key, after, part, settings)
    return score_changes(first, second)
