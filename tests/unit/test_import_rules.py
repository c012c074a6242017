"""The layer rule (import-linter, pyproject's [tool.importlinter]) holds, and fails on a wrong import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=project, capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def _copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "pyproject.toml", project)
    for package in ("core", "ui"):
        shutil.copytree(ROOT / package, project / package, ignore=shutil.ignore_patterns("__pycache__"))
    return project


def test_the_repository_keeps_every_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


def test_an_upward_import_from_the_engine_breaks_the_layer_rule(tmp_path: Path) -> None:
    project = _copy(tmp_path)
    normalize = project / "core" / "engine" / "normalize.py"
    normalize.write_text(normalize.read_text(encoding="utf-8") + "\nfrom core.ops import serving  # noqa\n")
    result = _lint(project)
    assert result.returncode != 0
    assert "core.engine is not allowed to import core.ops" in result.stdout
    assert "core.engine.normalize -> core.ops.serving" in result.stdout


def test_streamlit_in_core_breaks_the_rule(tmp_path: Path) -> None:
    project = _copy(tmp_path)
    spans = project / "core" / "engine" / "spans.py"
    spans.write_text(spans.read_text(encoding="utf-8") + "\nimport streamlit  # noqa\n")
    result = _lint(project)
    assert result.returncode != 0 and "core never imports streamlit" in result.stdout


def test_models_logged_before_the_layers_still_find_what_they_import() -> None:
    import importlib

    from core.engine import predict

    old = importlib.import_module("core.predict")  # what pyfunc_model.py of versions before the split imports
    assert (old.Predictor, old.OUTPUT_SPAN_FIELDS, old.cap_ad_texts) == (
        predict.Predictor, predict.OUTPUT_SPAN_FIELDS, predict.cap_ad_texts,
    )  # fmt: skip
