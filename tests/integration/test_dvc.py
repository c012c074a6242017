"""`dvc repro` of prepare -> train -> evaluate in a temporary copy of the repository, on a small config."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.config import Settings, load_settings, save_settings

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass
class Repo:
    """A temporary git + DVC repository holding a copy of the pipeline."""

    root: Path
    env: dict[str, str]
    first_repro: str

    def run(self, *args: str, check: bool = True) -> str:
        """Run a command in the repo and return stdout + stderr."""
        done = subprocess.run(
            list(args), cwd=self.root, env=self.env, capture_output=True, text=True, timeout=600, check=False
        )
        output = done.stdout + done.stderr
        if check and done.returncode != 0:
            pytest.fail(f"{' '.join(args)} exited {done.returncode}:\n{output}")
        return output

    def dvc(self, *args: str) -> str:
        """Run the venv's dvc."""
        return self.run(str(BIN / "dvc"), *args)

    def settings(self) -> Settings:
        """The repo's config.yaml."""
        return load_settings(self.root / "config.yaml")


def _small_settings() -> Settings:
    """Small synthetic data and a fast model; every path relative to the repo copy."""
    settings = Settings()
    settings.synth.n_train = 300
    settings.synth.n_val = 120
    settings.synth.n_test = 150
    settings.model.iterations = 10
    settings.train.early_stopping_rounds = 0
    return settings


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """Copy core/, dvc.yaml, the hand-written sets and a small config; git init, dvc init, commit, dvc repro."""
    root = tmp_path_factory.mktemp("dvc-repo")
    shutil.copytree(ROOT / "core", root / "core", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "dvc.yaml", root / "dvc.yaml")
    (root / "tests" / "data").mkdir(parents=True)
    for entry in Settings().evaluate.handwritten_sets:
        shutil.copy2(ROOT / entry["path"], root / entry["path"])
    save_settings(_small_settings(), root / "config.yaml")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MLFLOW_", "CONTACTGUARD_"))}
    env.update({"PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}", "PYTHONPATH": "", "DVC_NO_ANALYTICS": "1"})
    repo = Repo(root, env, "")
    repo.run("git", "init", "-q")
    repo.run("git", "config", "user.email", "ci@example.invalid")
    repo.run("git", "config", "user.name", "CI")
    repo.dvc("init", "-q")
    repo.dvc("config", "core.autostage", "false")
    repo.dvc("config", "core.analytics", "false")
    shutil.copytree(ROOT / ".dvc" / "plots", root / ".dvc" / "plots")
    repo.run("git", "add", "-A")
    repo.run("git", "commit", "-q", "-m", "pipeline")
    repo.first_repro = repo.dvc("repro")
    return repo


def test_repro_runs_every_stage_and_writes_metrics_plots_and_model(repo: Repo) -> None:
    for stage in ("prepare", "train", "evaluate"):
        assert f"Running stage '{stage}'" in repo.first_repro
    assert (repo.root / "dvc.lock").exists()
    assert all((repo.root / "data" / "prepared" / f"{split}.csv").exists() for split in ("train", "val", "test"))
    metrics = json.loads((repo.root / "metrics" / "metrics.json").read_text(encoding="utf-8"))
    assert 0.5 < metrics["mean_auc"] <= 1.0
    for part in ("golden", "holdout", "untouched"):  # every hand-written set of the default config
        assert 0.0 <= metrics[f"{part}_mean_auc"] <= 1.0 and f"{part}_span_f1" in metrics
    roc = (repo.root / "metrics" / "plots" / "roc.csv").read_text(encoding="utf-8").splitlines()
    assert roc[0] == "category,fpr,tpr" and len(roc) > 10
    run = json.loads((repo.root / "models" / "run.json").read_text(encoding="utf-8"))
    assert run["version"] == "1" and run["champion_set"] is True
    assert (repo.root / "mlflow.db").exists()  # the relative sqlite URI resolved inside the copy


def test_outputs_are_dvc_tracked_not_git(repo: Repo) -> None:
    lock = (repo.root / "dvc.lock").read_text(encoding="utf-8")
    assert "path: data/prepared" in lock and "path: models" in lock and "iterations: 10" in lock
    assert "path: tests/data/handwritten_untouched.jsonl" in lock and "evaluate.handwritten_sets:" in lock
    ignored = repo.run("git", "check-ignore", "data/prepared", "models")
    assert "data/prepared" in ignored and "models" in ignored
    assert "Data and pipelines are up to date" in repo.dvc("status")


def test_metrics_show_and_plots(repo: Repo) -> None:
    shown = repo.dvc("metrics", "show")
    assert "metrics/metrics.json" in shown and "mean_auc" in shown
    out = repo.root / "plots-html"
    repo.dvc("plots", "show", "-o", str(out))
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "category" in html and "tpr" in html


def test_the_gate_tolerance_touches_only_evaluate_and_a_changed_set_reruns_train(repo: Repo) -> None:
    repo.run("git", "add", "-A")
    repo.run("git", "commit", "-q", "-m", "first repro")
    config = (repo.root / "config.yaml").read_text(encoding="utf-8")
    untouched = repo.root / "tests" / "data" / "handwritten_untouched.jsonl"
    ads = untouched.read_text(encoding="utf-8")
    try:
        settings = repo.settings()
        settings.evaluate.handwritten_tolerance = 0.02
        save_settings(settings, repo.root / "config.yaml")
        status = repo.dvc("status")
        assert "evaluate:" in status and "train:" not in status and "prepare:" not in status
        (repo.root / "config.yaml").write_text(config, encoding="utf-8")
        untouched.write_text(ads + ads.splitlines()[0].replace('"c1-001"', '"c9-001"') + "\n", encoding="utf-8")
        status = repo.dvc("status")
        assert "train:" in status and "evaluate:" in status and "prepare:" not in status
        assert "tests/data/handwritten_untouched.jsonl" in status
    finally:
        (repo.root / "config.yaml").write_text(config, encoding="utf-8")
        untouched.write_text(ads, encoding="utf-8")
    assert "Data and pipelines are up to date" in repo.dvc("status")


def test_a_model_param_reruns_train_but_not_prepare(repo: Repo) -> None:
    repo.run("git", "add", "-A")
    repo.run("git", "commit", "-q", "-m", "first repro", check=False)  # nothing new when the test above ran first
    settings = repo.settings()
    settings.model.iterations = 12
    save_settings(settings, repo.root / "config.yaml")

    diff = repo.dvc("params", "diff")
    assert "model.iterations" in diff and "10" in diff and "12" in diff
    status = repo.dvc("status")
    assert "train:" in status and "evaluate:" not in status.split("train:")[0]
    assert "prepare:" not in status

    planned = repo.dvc("repro", "--dry")  # what a repro would run (evaluate follows train's new outputs)
    assert "Stage 'prepare' didn't change, skipping" in planned
    assert "Running stage 'train'" in planned and "> python -m core train" in planned
    assert "Running stage 'prepare'" not in planned
