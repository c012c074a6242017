"""Tables for the model registry page: versions with metrics and the gated-promotion decisions."""

from __future__ import annotations

import json
import re

import pandas as pd

VERSION_COLUMNS: dict[str, str] = {
    "version": "Версия",
    "aliases": "Метки",
    "created": "Создана (UTC)",
    "mean_auc": "AUC тест",
    "golden_mean_auc": "AUC золотой",
    "holdout_mean_auc": "AUC отложенный",
    "untouched_mean_auc": "AUC нетронутый",
    "val_mean_auc": "AUC валидация",
    "iou": "IoU",
    "span_f1": "F1",
    "run_id": "Запуск",
}
# How many characters of a run id the versions table shows (enough to find the run in MLflow).
RUN_ID_CHARS = 8
PROMOTION_PREFIX = "tag.promotion."
DECISION_LABELS = {"promoted": "повышена", "refused": "отказано"}
SET_NAMES = {"golden": "золотой", "holdout": "отложенный", "untouched": "нетронутый"}
# The training run's own metrics that end like a set's mean AUC but are not one.
NOT_A_SET = {"mean_auc", "val_mean_auc"}


def _version_columns(versions: pd.DataFrame) -> dict[str, str]:
    """VERSION_COLUMNS plus a column for the mean ROC-AUC of every other hand-written set the runs logged."""
    columns = dict(VERSION_COLUMNS)
    run_id = columns.pop("run_id")
    for column in versions.columns:
        name = str(column)
        if name.endswith("_mean_auc") and name not in columns and name not in NOT_A_SET:
            columns[name] = f"AUC {name.removesuffix('_mean_auc')}"
    columns["run_id"] = run_id
    return columns


def versions_table(versions: pd.DataFrame) -> pd.DataFrame:
    """Registered versions with their main metrics (every hand-written set), aliases and dates, Russian headers."""
    names = _version_columns(versions)
    columns = [column for column in names if column in versions.columns]
    table = versions[columns].rename(columns=names)
    if "Запуск" in table:
        table["Запуск"] = table["Запуск"].astype(str).str[:RUN_ID_CHARS]
    return table.astype({"Версия": str}) if "Версия" in table else table


def split_versions_table(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """versions_table as two narrower tables: the versions with their test metrics, and ROC-AUC per hand-written set."""
    per_set = [
        column
        for column in table.columns
        if str(column).startswith("AUC ") and column not in ("AUC тест", "AUC валидация")
    ]
    main = table[[column for column in table.columns if column not in per_set]]
    sets = table[[column for column in ("Версия", *per_set) if column in table.columns]]
    return main, sets if per_set else sets.iloc[:, :0]


def _number(value: object) -> float | None:
    """A tag value as a float, None when empty or not a number."""
    try:
        return float(str(value))
    except (TypeError, ValueError):
        return None


def _handwritten_tag(value: object) -> dict[str, dict]:
    """The promotion.handwritten tag as {set: record}; {} when absent or malformed."""
    try:
        parsed = json.loads(value) if isinstance(value, str) and value else {}
    except json.JSONDecodeError:
        return {}
    if not isinstance(parsed, dict):
        return {}
    return {str(name): record for name, record in parsed.items() if isinstance(record, dict)}


def _handwritten_verdict(row: pd.Series) -> str:
    """One cell: the hand-written sets that failed the gate, or that all passed, or '—' when not recorded."""
    records = _handwritten_tag(row.get(PROMOTION_PREFIX + "handwritten"))
    if not records:
        return "—"
    failed = [SET_NAMES.get(name, name) for name, record in records.items() if record.get("passed") is False]
    if failed:
        return "падение: " + ", ".join(failed)
    return "в пределах допуска"


def promotion_table(versions: pd.DataFrame) -> pd.DataFrame:
    """Gated-promotion decisions recorded as version tags, newest decision first."""
    columns = ["Версия", "Решение", "AUC кандидата", "AUC чемпиона", "Ручные наборы", "Чемпион", "Когда"]
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
                "Ручные наборы": _handwritten_verdict(row),
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


def promotion_handwritten(versions: pd.DataFrame, version: str) -> pd.DataFrame:
    """Mean per-category ROC-AUC of candidate and champion on each hand-written set from promotion.handwritten."""
    columns = ["Набор", "Подстройка", "Объявлений", "AUC кандидата", "AUC чемпиона", "Изменение", "Допуск"]
    column = PROMOTION_PREFIX + "handwritten"
    if versions.empty or column not in versions.columns:
        return pd.DataFrame(columns=columns)
    rows = versions[versions["version"].astype(str) == str(version)]
    records = _handwritten_tag(rows.iloc[0][column] if not rows.empty else None)
    table = [
        {
            "Набор": SET_NAMES.get(name, name),
            "Подстройка": "да" if record.get("tuned") else "нет",
            "Объявлений": record.get("ads"),
            "AUC кандидата": _number(record.get("candidate")),
            "AUC чемпиона": _number(record.get("champion")),
            "Изменение": _number(record.get("delta")),
            "Допуск": {True: "в пределах", False: "превышен"}.get(record.get("passed"), "—"),
        }
        for name, record in records.items()
    ]
    return pd.DataFrame(table, columns=columns)


_NUMBER = r"([+-]?\d+(?:\.\d+)?|nan)"
# (pattern on one part of core/lifecycle/promotion.py's English reason, Russian template); numbers get a decimal comma.
_REASON_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), template)
    for pattern, template in (
        (r"the candidate has no per-category ROC-AUC on this split", "у кандидата нет ROC-AUC по категориям на этой выборке"),
        (r"the candidate has no ROC-AUC for (.+)", "у кандидата нет ROC-AUC для категорий: {0}"),
        (r"there is no champion yet", "чемпиона ещё нет"),
        (rf"mean ROC-AUC {_NUMBER} is lower than the champion's {_NUMBER}", "средний ROC-AUC {0} ниже, чем у чемпиона ({1})"),
        (
            rf"ROC-AUC in '(.+)' drops by {_NUMBER}, more than the tolerance {_NUMBER} \((\d+) categories drop too much\)",
            "ROC-AUC в категории «{0}» падает на {1} — больше допуска {2} (слишком сильно падают категорий: {3})",
        ),
        (rf"ROC-AUC in '(.+)' drops by {_NUMBER}, more than the tolerance {_NUMBER}", "ROC-AUC в категории «{0}» падает на {1} — больше допуска {2}"),
        (
            rf"mean ROC-AUC on hand-written set '(.+)' drops by {_NUMBER} \({_NUMBER} -> {_NUMBER}\), more than the tolerance {_NUMBER}",
            "средний ROC-AUC на ручном наборе «{0}» падает на {1} ({2} → {3}) — больше допуска {4}",
        ),
        (
            rf"mean ROC-AUC {_NUMBER} >= champion's {_NUMBER} and no category drops by more than {_NUMBER}",
            "средний ROC-AUC {0} не ниже, чем у чемпиона ({1}), и ни одна категория не падает больше чем на {2}",
        ),
        (
            rf"no hand-written set's mean ROC-AUC drops by more than {_NUMBER} \((.*)\)",
            "ни на одном ручном наборе средний ROC-AUC не падает больше чем на {0} ({1})",
        ),
    )
)  # fmt: skip
_SET_DELTA = re.compile(rf"(\S+) {_NUMBER}")


def _decimal_comma(text: str) -> str:
    """Numbers of a reason with a decimal comma."""
    return re.sub(r"(\d)\.(\d)", r"\1,\2", text)


def _part_in_russian(part: str) -> str:
    """One '; '-separated part of a promotion reason in Russian; unknown text is kept as it is."""
    for pattern, template in _REASON_RULES:
        match = pattern.fullmatch(part.strip())
        if match is None:
            continue
        groups = list(match.groups())
        if template.startswith("ни на одном ручном наборе"):
            groups[-1] = ", ".join(
                f"{SET_NAMES.get(name, name)} {_decimal_comma(delta)}" for name, delta in _SET_DELTA.findall(groups[-1])
            )
        elif template.startswith("средний ROC-AUC на ручном наборе"):
            groups[0] = SET_NAMES.get(groups[0], groups[0])
        shown = [_decimal_comma(group) if re.fullmatch(_NUMBER, group) else group for group in groups]
        return template.format(*shown)
    return part.strip()


def reason_in_russian(reason: str) -> str:
    """The gate's recorded reason (English, from core/lifecycle/promotion.py) in Russian, as plain text."""
    if not reason.strip():
        return ""
    parts = [_part_in_russian(part) for part in reason.split("; ")]
    text = "; ".join(part for part in parts if part)
    return text[:1].upper() + text[1:]


def promotion_decision(versions: pd.DataFrame, version: str) -> str | None:
    """The gate's recorded decision for a version ('promoted', 'refused') or None when it never decided."""
    column = PROMOTION_PREFIX + "decision"
    if versions.empty or column not in versions.columns:
        return None
    rows = versions[versions["version"].astype(str) == str(version)]
    value = rows.iloc[0][column] if not rows.empty else None
    return str(value) if isinstance(value, str) and value else None
