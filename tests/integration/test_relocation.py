"""A project with a registered model is copied to another folder and the original deleted: the copy still works."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from core.config import Settings, save_settings
from core.lifecycle.data import write_split
from core.lifecycle.tracking import LOCATION_COLUMNS
from tests.conftest import SAMPLE_AD

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
TRAIN = """
from core.lifecycle import tracking
from core.config import load_settings
from core.lifecycle.data import load_split
from core.lifecycle.pipeline import prepare, train
settings = load_settings()
prepare(settings)
result = train(settings, load_split(settings.data, "train"), load_split(settings.data, "val"))
print(tracking.log_training_run(settings, result.predictor, result.metrics).model_version)
"""
RETRAIN = """
from core.lifecycle import tracking
from core.config import load_settings
settings = load_settings()
predictor = tracking.load_predictor(settings.tracking)
print(tracking.log_training_run(settings, predictor, {}).model_version)
"""
PLAIN_MLFLOW = """
import sys, mlflow, pandas as pd
model = mlflow.pyfunc.load_model("models:/contact-detector@champion")
import core
print(core.__file__)
print(model.predict(pd.read_csv(sys.argv[1])).to_json(orient="records", force_ascii=False))
"""


def _project(folder: Path) -> Path:
    """A project folder: the code and a config whose paths are all relative (the defaults), small data."""
    shutil.copytree(ROOT / "core", folder / "core", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    settings = Settings()
    settings.synth.n_train, settings.synth.n_val, settings.synth.n_test = 400, 100, 100
    settings.model.iterations = 20
    settings.train.early_stopping_rounds = 0
    save_settings(settings, folder / "config.yaml")
    return folder


def _run(args: list[str], cwd: Path, project: Path | None) -> subprocess.CompletedProcess:
    """Run python with the project's code on the path (or none) and no outside tracking settings."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "CONTACTGUARD_CONFIG")}
    env.pop("MLFLOW_TRACKING_URI", None)
    if project is not None:
        env["PYTHONPATH"] = str(project)
    else:
        env["MLFLOW_TRACKING_URI"] = f"sqlite:///{cwd / 'mlflow.db'}"
    done = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def _locations(database: Path) -> list[str]:
    """Every artifact location stored in an MLflow database."""
    values: list[str] = []
    with sqlite3.connect(database) as connection:
        for table, column in LOCATION_COLUMNS:
            values += [row[0] for row in connection.execute(f"SELECT {column} FROM {table}") if row[0]]
    return values


def test_a_copied_project_loads_scores_and_logs_models_in_its_own_folder(tmp_path: Path) -> None:
    original = _project(tmp_path / "original")
    assert _run(["-c", TRAIN], original, original).stdout.split()[-1] == "1"
    assert (original / "mlartifacts").is_dir()
    assert any(str(original) in value for value in _locations(original / "mlflow.db"))

    moved = tmp_path / "elsewhere" / "moved project"
    shutil.copytree(original, moved)
    shutil.rmtree(original)
    ads = moved / "ads.csv"
    write_split(pd.DataFrame([SAMPLE_AD, {**SAMPLE_AD, "description": "Без контактов, торг уместен"}]), ads)

    done = _run(["-m", "core", "predict", str(ads), "-o", str(moved / "out.csv"), "--quiet"], moved, moved)
    assert "the project moved" in done.stderr
    scored = pd.read_csv(moved / "out.csv")
    assert len(scored) == 2 and scored["prediction"][0] > scored["prediction"][1]
    locations = _locations(moved / "mlflow.db")
    assert locations and not any(str(original) in value for value in locations)

    plain = _run(["-c", PLAIN_MLFLOW, str(ads)], moved, None).stdout.splitlines()
    assert Path(plain[0]).is_relative_to(moved / "mlartifacts")
    assert [row["start"] for row in json.loads(plain[1])] == [scored["start"][0], None]

    assert _run(["-c", RETRAIN], moved, moved).stdout.split()[-1] == "2"
    with sqlite3.connect(moved / "mlflow.db") as connection:
        (storage,) = connection.execute("SELECT storage_location FROM model_versions WHERE version = 2").fetchone()
    assert storage.startswith((moved / "mlartifacts").as_uri())
    assert not original.exists()
