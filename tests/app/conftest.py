"""Fixtures for the dashboard tests: a store with two registered versions and helpers to run pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.config import load_settings, save_settings
from core.ops import auth
from tests.app.pagekit import PASSWORD
from tests.app.storekit import DashboardStore, build_dashboard_store


@pytest.fixture(scope="session")
def dashboard_store(trained_store, tmp_path_factory: pytest.TempPathFactory) -> DashboardStore:
    """The session's trained model as v1 (champion) plus a rules-only v2, with evaluation reports and tags."""
    return build_dashboard_store(trained_store.settings, trained_store.version, tmp_path_factory.mktemp("dashboard"))


@pytest.fixture(autouse=True)
def user_store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every dashboard test gets its own empty user store; no bootstrap admin unless a test asks for one."""
    path = tmp_path / "users.sqlite"
    monkeypatch.setenv("CONTACTGUARD_USERS_DB", str(path))
    monkeypatch.delenv("CONTACTGUARD_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(auth, "SECRETS_PATHS", ())
    return path


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, dashboard_store: DashboardStore) -> DashboardStore:
    """Point the app at the dashboard store; no admin password from the environment or a secrets file."""
    monkeypatch.setenv("CONTACTGUARD_CONFIG", str(dashboard_store.config_path))
    monkeypatch.delenv("CONTACTGUARD_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(auth, "SECRETS_PATHS", ())
    return dashboard_store


@pytest.fixture
def config_copy(app_env: DashboardStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the config (same MLflow store, own monitoring log) that a test may rewrite."""
    settings = load_settings(app_env.config_path)
    settings.monitoring.db_path = str(tmp_path / "monitoring.sqlite")
    path = save_settings(settings, tmp_path / "config.yaml")
    monkeypatch.setenv("CONTACTGUARD_CONFIG", str(path))
    return path


@pytest.fixture
def store_copy(app_env: DashboardStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the whole MLflow store (aliases may move) with its own config; returns the config."""
    root = tmp_path / "store"
    shutil.copytree(app_env.root, root)
    settings = load_settings(app_env.config_path)
    settings.tracking.uri = f"sqlite:///{root / 'mlflow.db'}"
    settings.monitoring.db_path = str(root / "monitoring.sqlite")
    path = save_settings(settings, root / "config.yaml")
    monkeypatch.setenv("CONTACTGUARD_CONFIG", str(path))
    return path


@pytest.fixture
def admin_password(monkeypatch: pytest.MonkeyPatch) -> str:
    """Configure the admin password through the environment."""
    monkeypatch.setenv("CONTACTGUARD_ADMIN_PASSWORD", PASSWORD)
    return PASSWORD
