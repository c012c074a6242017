"""Builds a self-contained dashboard store from the session's trained model: two runs, evaluations, tags."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core import tracking
from core.config import Settings, resolve_path, save_settings
from core.data import load_split
from core.golden import load_golden
from core.pipeline import evaluate_frame, flat_metrics
from core.predict import Predictor


@dataclass
class DashboardStore:
    """A temp project for app tests: config file and an MLflow store with two versions (v1 champion)."""

    root: Path
    config_path: Path
    settings: Settings
    champion: str
    challenger: str


def forget_tracking_env() -> None:
    """Drop MLFLOW_TRACKING_URI: mlflow.set_tracking_uri copies the last store there and core.tracking reads it first."""
    os.environ.pop("MLFLOW_TRACKING_URI", None)


def _jsonable(report: dict[str, Any]) -> dict[str, Any]:
    """The evaluation report with NaN turned into null."""
    return json.loads(json.dumps(report, default=float, allow_nan=True).replace("NaN", "null"))


def _evaluation(settings: Settings, predictor: Predictor) -> dict[str, Any]:
    """Synthetic test split and golden set evaluation of a predictor."""
    report = {"split": "test", "synthetic": evaluate_frame(predictor, load_split(settings.data, "test"))}
    golden = resolve_path(settings.evaluate.golden_path)
    if golden.exists():
        report["golden"] = evaluate_frame(predictor, load_golden(golden), prefix="golden_")
    return report


def store_settings(base: Settings, root: Path) -> Settings:
    """Copy of the session settings whose MLflow store, monitoring log and history live under root."""
    settings = base.model_copy(deep=True)
    settings.tracking.uri = f"sqlite:///{root / 'mlflow.db'}"
    settings.tracking.artifact_root = str(root / "mlartifacts")
    settings.monitoring.db_path = str(root / "monitoring.sqlite")
    return settings


def build_dashboard_store(base_settings: Settings, base_version: str, root: Path) -> DashboardStore:
    """Register the session's trained model (v1, champion) and a rules-only challenger (v2) in a new store."""
    root.mkdir(parents=True, exist_ok=True)
    settings = store_settings(base_settings, root)
    forget_tracking_env()
    trained = tracking.load_predictor(base_settings.tracking, version=base_version)
    forget_tracking_env()
    report = _evaluation(settings, trained)
    first = tracking.log_training_run(
        settings,
        trained,
        {"val_mean_auc": report["synthetic"]["metrics"]["mean_auc"], **flat_metrics(report)},
        artifacts={"evaluation.json": _jsonable(report)},
        run_name="catboost-baseline",
    )
    rules_settings = settings.model_copy(deep=True)
    rules_settings.model.use_text = not settings.model.use_text  # differs from the first run
    rules_settings.detect.context_window = 30
    rules = Predictor(None, rules_settings.detect, rules_settings.model)
    rules_report = _evaluation(settings, rules)
    second = tracking.log_training_run(
        rules_settings,
        rules,
        flat_metrics(rules_report),
        artifacts={"evaluation.json": _jsonable(rules_report)},
        run_name="rules-only",
    )
    assert first.model_version is not None and second.model_version is not None
    candidate_auc = rules_report["synthetic"]["metrics"]["mean_auc"]
    champion_auc = report["synthetic"]["metrics"]["mean_auc"]
    deltas = {
        name: round(value - report["synthetic"]["per_category"].get(name, float("nan")), 6)
        for name, value in rules_report["synthetic"]["per_category"].items()
    }
    tracking.tag_version(
        settings.tracking,
        second.model_version,
        {
            "promotion.decision": "promoted" if candidate_auc >= champion_auc else "refused",
            "promotion.candidate_auc": f"{candidate_auc:.6f}",
            "promotion.champion_auc": f"{champion_auc:.6f}",
            "promotion.champion_version": first.model_version,
            "promotion.deltas": json.dumps(deltas, ensure_ascii=False),
            "promotion.at": "2025-01-01T12:00:00+00:00",
        },
    )
    forget_tracking_env()
    config_path = save_settings(settings, root / "config.yaml")
    return DashboardStore(root, config_path, settings, first.model_version, second.model_version)
