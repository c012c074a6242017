"""Tables for the model registry page: versions with metrics and the gated-promotion decisions."""

from __future__ import annotations

import json

import pandas as pd

VERSION_COLUMNS: dict[str, str] = {
    "version": "Версия",
    "aliases": "Метки",
    "created": "Создана (UTC)",
    "mean_auc": "ROC-AUC (тест)",
    "golden_mean_auc": "ROC-AUC (золотой)",
    "val_mean_auc": "ROC-AUC (валидация)",
    "iou": "IoU",
    "span_f1": "F1 по символам",
    "run_id": "Запуск",
}
PROMOTION_PREFIX = "tag.promotion."
DECISION_LABELS = {"promoted": "повышена", "refused": "отказано"}


def versions_table(versions: pd.DataFrame) -> pd.DataFrame:
    """Registered versions with their main metrics, aliases and dates, Russian headers."""
    columns = [column for column in VERSION_COLUMNS if column in versions.columns]
    table = versions[columns].rename(columns=VERSION_COLUMNS)
    return table.astype({"Версия": str}) if "Версия" in table else table


def _number(value: object) -> float | None:
    """A tag value as a float, None when empty or not a number."""
    try:
        return float(str(value))
    except (TypeError, ValueError):
        return None


def promotion_table(versions: pd.DataFrame) -> pd.DataFrame:
    """Gated-promotion decisions recorded as version tags, newest decision first."""
    columns = ["Версия", "Решение", "AUC кандидата", "AUC чемпиона", "Чемпион", "Когда"]
    decision_column = PROMOTION_PREFIX + "decision"
    if versions.empty or decision_column not in versions.columns:
        return pd.DataFrame(columns=columns)
    rows = []
    for _, row in versions[versions[decision_column].notna()].iterrows():
        decision = str(row[decision_column])
        rows.append(
            {
                "Версия": str(row["version"]),
                "Решение": DECISION_LABELS.get(decision, decision),
                "AUC кандидата": _number(row.get(PROMOTION_PREFIX + "candidate_auc")),
                "AUC чемпиона": _number(row.get(PROMOTION_PREFIX + "champion_auc")),
                "Чемпион": str(row.get(PROMOTION_PREFIX + "champion_version") or "—"),
                "Когда": str(row.get(PROMOTION_PREFIX + "at") or ""),
            }
        )
    return pd.DataFrame(rows, columns=columns).sort_values("Когда", ascending=False, kind="stable")


def promotion_deltas(versions: pd.DataFrame, version: str) -> pd.DataFrame:
    """Per-category ROC-AUC change of a candidate against the champion from its promotion.deltas tag."""
    column = PROMOTION_PREFIX + "deltas"
    if versions.empty or column not in versions.columns:
        return pd.DataFrame(columns=["Категория", "Изменение AUC"])
    rows = versions[versions["version"].astype(str) == str(version)]
    raw = rows.iloc[0][column] if not rows.empty else None
    try:
        deltas = json.loads(raw) if isinstance(raw, str) and raw else {}
    except json.JSONDecodeError:
        deltas = {}
    if not isinstance(deltas, dict):
        deltas = {}
    table = pd.DataFrame(
        [{"Категория": str(name), "Изменение AUC": _number(value)} for name, value in deltas.items()],
        columns=["Категория", "Изменение AUC"],
    )
    return table.sort_values("Изменение AUC", kind="stable").reset_index(drop=True)


def promotion_reason(versions: pd.DataFrame, version: str) -> str:
    """The recorded reason of a promotion decision ('' when absent)."""
    column = PROMOTION_PREFIX + "reason"
    if versions.empty or column not in versions.columns:
        return ""
    rows = versions[versions["version"].astype(str) == str(version)]
    value = rows.iloc[0][column] if not rows.empty else None
    return str(value) if isinstance(value, str) else ""
