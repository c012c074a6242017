"""Shared fixtures: small settings in a temp folder and a real trained model in a real MLflow store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.config import Settings, add_state_folder, save_settings
from tests.netkit import BlackHole

# One marketplace ad with a plain phone, in the CSV columns (integration tests score and log it).
SAMPLE_AD = {
    "title": "Продаю велосипед",
    "description": "Почти новый, звоните 8 912 345-67-89",
    "subcategory": "Велосипеды",
    "category": "Хобби и отдых",
    "price": 12000.0,
    "region": "Москва",
    "city": "Москва",
    "datetime_submitted": "2019-10-01 10:00:00",
}


def small_settings(root: Path) -> Settings:
    """Settings whose every path lives under root, with small data and a fast model."""
    settings = Settings()
    settings.data.prepared_dir = str(root / "prepared")
    settings.data.feedback_path = str(root / "feedback" / "confirmed.csv")
    settings.synth.n_train = 1500
    settings.synth.n_val = 400
    settings.synth.n_test = 600
    settings.model.iterations = 60
    settings.train.early_stopping_rounds = 0
    settings.evaluate.metrics_path = str(root / "metrics" / "metrics.json")
    settings.evaluate.plots_dir = str(root / "metrics" / "plots")
    settings.tracking.uri = f"sqlite:///{root / 'mlflow.db'}"
    settings.tracking.artifact_root = str(root / "mlartifacts")
    settings.monitoring.db_path = str(root / "monitoring.sqlite")
    return settings


@dataclass
class TrainedStore:
    """A temp project: config file, prepared splits, MLflow store with a registered champion."""

    root: Path
    config_path: Path
    settings: Settings
    version: str


@pytest.fixture(scope="session", autouse=True)
def _temp_projects_allowed(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Test projects live in pytest's temp folder: path settings may point there (CONTACTGUARD_STATE_DIR)."""
    add_state_folder(tmp_path_factory.getbasetemp())


@pytest.fixture(autouse=True)
def _no_outside_tracking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)


@pytest.fixture(scope="session")
def trained_store(tmp_path_factory: pytest.TempPathFactory) -> TrainedStore:
    """Prepare small synthetic splits, train a real CatBoost model and register it as champion."""
    from core.lifecycle import tracking
    from core.lifecycle.data import load_split
    from core.lifecycle.pipeline import prepare, train

    os.environ.pop("MLFLOW_TRACKING_URI", None)
    root = tmp_path_factory.mktemp("store")
    settings = small_settings(root)
    config_path = save_settings(settings, root / "config.yaml")
    prepare(settings)
    result = train(settings, load_split(settings.data, "train"), load_split(settings.data, "val"))
    record = tracking.log_training_run(settings, result.predictor, result.metrics)
    assert record.model_version is not None
    return TrainedStore(root, config_path, settings, record.model_version)


@pytest.fixture
def black_hole() -> Iterator[BlackHole]:
    """A local server that accepts connections and never answers (an unreachable tracking store)."""
    server = BlackHole()
    yield server
    server.close()
