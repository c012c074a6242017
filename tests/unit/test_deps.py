"""Tests of scripts/deps.py: the constraints lock written from the installed packages and the import check."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from scripts import deps


def _project(root: Path, runtime: str, dev: str = "", spark: str = "") -> Path:
    """A project folder with the three requirement files (dev includes the other two)."""
    (root / "requirements.txt").write_text(runtime, encoding="utf-8")
    (root / "requirements-spark.txt").write_text(spark, encoding="utf-8")
    (root / "requirements-dev.txt").write_text(
        f"# tools\n-r requirements.txt\n-r requirements-spark.txt\n{dev}", encoding="utf-8"
    )
    return root


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_lock_pins_the_installed_dependencies_of_every_requirement(tmp_path: Path) -> None:
    root = _project(tmp_path, f"pytest=={version('pytest')}  # runner\n")
    text, problems = deps.lock_text(root)
    pins = [line for line in text.splitlines() if not line.startswith("#")]
    assert problems == []
    for name in ("pytest", "pluggy", "iniconfig", "packaging"):
        assert f"{name}=={version(name)}" in pins
    assert not any(line.startswith("pip==") for line in pins)
    assert pins == sorted(pins, key=str.lower)


def test_lock_refuses_a_pin_that_differs_from_the_installed_version_or_is_missing(tmp_path: Path) -> None:
    root = _project(tmp_path, "pytest==0.0.1\n", dev="no-such-package-contactguard==1.0\n")
    _, problems = deps.lock_text(root)
    assert problems == [
        "no-such-package-contactguard (wanted by requirements-dev.txt) is not installed",
        f"requirements.txt: pytest==0.0.1 but {version('pytest')} is installed",
    ]


def test_imports_must_be_declared_in_the_group_of_the_importing_code(tmp_path: Path) -> None:
    root = _project(tmp_path, "pandas==0\n", dev="hypothesis==0\n", spark="pyspark==0\n")
    _write(root / "core" / "engine.py", "import pandas\nimport pyspark.sql\nfrom matplotlib import pyplot\n")
    _write(root / "core" / "helper.py", "import json\nfrom core import engine\n")
    _write(root / "desktop.py", "try:\n    import webview\nexcept ImportError:\n    webview = None\n")
    _write(
        root / "tests" / "test_engine.py", "import hypothesis\nimport pandas\nimport psutil\nimport not_a_package_cg\n"
    )
    assert deps.undeclared_imports(root) == [
        "core/engine.py: imports matplotlib (matplotlib), not declared in requirements.txt or requirements-spark.txt",
        "tests/test_engine.py: imports not_a_package_cg, which no installed package provides",
        "tests/test_engine.py: imports psutil (psutil), not declared in requirements-dev.txt (or a file it includes)",
    ]


def test_every_import_of_the_repository_is_declared() -> None:
    assert deps.undeclared_imports() == []
