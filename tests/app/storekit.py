"""Builds a self-contained dashboard store from the session's trained model: two runs, evaluations, tags."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from core.config import Settings, save_settings
from core.engine.predict import Predictor
from core.lifecycle import tracking
from core.lifecycle.pipeline import evaluation_report, flat_metrics, handwritten_parts, jsonable
from core.lifecycle.promotion import HandwrittenCheck


@dataclass
class DashboardStore:
    """A temp project for app tests: config file and an MLflow store with two versions (v1 champion)."""

    root: Path
    config_path: Path
    settings: Settings
    champion: str
    challenger: str


def store_settings(base: Settings, root: Path) -> Settings:
    """Copy of the session settings whose MLflow store, monitoring log and history live under root."""
    settings = base.model_copy(deep=True)
    settings.tracking.uri = f"sqlite:///{root / 'mlflow.db'}"
    settings.tracking.artifact_root = str(root / "mlartifacts")
    settings.monitoring.db_path = str(root / "monitoring.sqlite")
    settings.batch.jobs_dir = str(root / "batch_jobs")
    return settings


def build_dashboard_store(base_settings: Settings, base_version: str, root: Path) -> DashboardStore:
    """Register the session's trained model (v1, champion) and a rules-only challenger (v2) in a new store."""
    root.mkdir(parents=True, exist_ok=True)
    settings = store_settings(base_settings, root)
    trained = tracking.load_predictor(base_settings.tracking, version=base_version)
    report = evaluation_report(settings, trained)
    first = tracking.log_training_run(
        settings,
        trained,
        {"val_mean_auc": report["synthetic"]["metrics"]["mean_auc"], **flat_metrics(report)},
        artifacts={"evaluation.json": jsonable(report)},
        run_name="catboost-baseline",
    )
    rules_settings = settings.model_copy(deep=True)
    rules_settings.model.use_text = not settings.model.use_text  # differs from the first run
    rules_settings.detect.context_window = 30
    rules = Predictor(None, rules_settings.detect, rules_settings.model)
    rules_report = evaluation_report(settings, rules)
    second = tracking.log_training_run(
        rules_settings,
        rules,
        flat_metrics(rules_report),
        artifacts={"evaluation.json": jsonable(rules_report)},
        run_name="rules-only",
    )
    assert first.model_version is not None and second.model_version is not None
    candidate_auc = rules_report["synthetic"]["metrics"]["mean_auc"]
    champion_auc = report["synthetic"]["metrics"]["mean_auc"]
    deltas = {
        name: round(value - report["synthetic"]["per_category"].get(name, float("nan")), 6)
        for name, value in rules_report["synthetic"]["per_category"].items()
    }
    handwritten = [
        HandwrittenCheck(
            part,
            rules_report[part]["metrics"][f"{part}_mean_auc"],
            report[part]["metrics"][f"{part}_mean_auc"],
            settings.evaluate.handwritten_tolerance,
            bool(settings.evaluate.handwritten(part)["tuned"]),  # type: ignore[index]
            report[part]["ads"],
        )
        for part in handwritten_parts(report)
    ]
    tracking.tag_version(
        settings.tracking,
        second.model_version,
        {
            "promotion.decision": "promoted" if candidate_auc >= champion_auc else "refused",
            "promotion.candidate_auc": f"{candidate_auc:.6f}",
            "promotion.champion_auc": f"{champion_auc:.6f}",
            "promotion.champion_version": first.model_version,
            "promotion.deltas": json.dumps(deltas, ensure_ascii=False),
            "promotion.handwritten": json.dumps({check.name: check.as_tag() for check in handwritten}),
            "promotion.at": "2025-01-01T12:00:00+00:00",
        },
    )
    config_path = save_settings(settings, root / "config.yaml")
    return DashboardStore(root, config_path, settings, first.model_version, second.model_version)
