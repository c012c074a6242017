"""Cached resources: settings per config-file version, the champion predictor per version, registry reads."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from core.config import DEFAULT_CONFIG_PATH, ConfigError, Settings, TrackingSettings, load_settings
from core.engine.predict import Predictor
from core.lifecycle import tracking
from ui.render import ModelInfo, sidebar
from ui.settings_store import config_signature

CONFIG_ENV = "CONTACTGUARD_CONFIG"
NO_MODEL_HELP = (
    "В реестре моделей нет версии с меткой «{alias}». Обучите и зарегистрируйте первую модель:\n\n"
    "```\nmake run\n```\n\nили\n\n```\npython -m core ensure-model\n```\n\n"
    "Затем обновите страницу — приложение подхватит новую модель без перезапуска."
)


def config_path() -> Path:
    """The config file the app reads: env CONTACTGUARD_CONFIG or the project's config.yaml."""
    return Path(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG_PATH)


@st.cache_data(max_entries=8, show_spinner=False)
def _settings_for(path: str, mtime_ns: int, digest: str) -> Settings:
    """Settings of one version of the file (the key changes whenever the file does)."""
    return load_settings(path)


def load_app_settings() -> Settings:
    """Current settings; re-read only when the file's mtime or content changed."""
    path = config_path()
    mtime_ns, digest = config_signature(path)
    return _settings_for(str(path), mtime_ns, digest)


def settings_or_stop() -> Settings:
    """Current settings, or an error naming the bad key and a stop of the page."""
    from ui.messages import in_russian

    try:
        return load_app_settings()
    except ConfigError as error:
        st.error(
            f"Файл настроек {config_path()} содержит ошибку: {in_russian(error)}. "
            "Исправьте файл или восстановите предыдущую версию на странице «Настройки».",
            icon=":material/error:",
        )
        st.stop()


def tracking_key(settings: TrackingSettings) -> str:
    """Cache key of a tracking store: the effective URI plus the model name."""
    return f"{tracking.tracking_uri(settings)}|{settings.model_name}"


def champion_version(settings: TrackingSettings) -> str | None:
    """The version holding the serving alias, asked of the registry on every run (cheap)."""
    return tracking.get_alias_version(settings)


@st.cache_resource(max_entries=4, show_spinner="Загружаю модель…")
def _predictor_for(store_key: str, version: str, _settings: TrackingSettings) -> Predictor:
    """Load one registered version once per process (keyed by store and version)."""
    return tracking.load_predictor(_settings, version=version)


@st.cache_data(ttl=30, max_entries=8, show_spinner=False)
def registry_versions(store_key: str, _settings: TrackingSettings) -> pd.DataFrame:
    """Registered versions with aliases, metrics and tags (cached for 30 s per store)."""
    return tracking.list_versions(_settings)


@st.cache_data(ttl=30, max_entries=8, show_spinner=False)
def training_runs(store_key: str, experiment: str, _settings: Settings) -> pd.DataFrame:
    """Runs of the training experiment (cached for 30 s per store and experiment)."""
    return tracking.list_runs(_settings)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def run_json(store_key: str, run_id: str, file_name: str, _settings: TrackingSettings) -> Any:
    """A JSON artifact of a run (cached for 10 minutes; None when the run has none)."""
    return tracking.load_run_json(_settings, run_id, file_name)


def clear_registry_caches() -> None:
    """Forget cached registry reads (after an alias moved)."""
    registry_versions.clear()
    training_runs.clear()


def model_info(settings: Settings, version: str | None) -> ModelInfo:
    """Name, version, alias, training date and mean AUC of the served model."""
    info = ModelInfo(settings.tracking.model_name, version, settings.tracking.serve_alias)
    if version is None:
        return info
    versions = registry_versions(tracking_key(settings.tracking), settings.tracking)
    if versions.empty or "version" not in versions:
        return info
    rows = versions[versions["version"].astype(str) == str(version)]
    if rows.empty:
        return info
    row = rows.iloc[0]
    mean_auc = row.get("mean_auc")
    return ModelInfo(
        info.name,
        version,
        info.alias,
        str(row.get("created", "")),
        float(mean_auc) if mean_auc is not None and pd.notna(mean_auc) else None,
    )


@dataclass(slots=True)
class ServedModel:
    """The champion predictor with its registry facts."""

    predictor: Predictor
    info: ModelInfo


def served_model(settings: Settings, version: str | None) -> tuple[ServedModel | None, str]:
    """The champion predictor of this version (loaded once per version) or None with the reason."""
    if version is None:
        return None, NO_MODEL_HELP.format(alias=settings.tracking.serve_alias)
    try:
        predictor = _predictor_for(tracking_key(settings.tracking), version, settings.tracking)
    except tracking.NoModelError as error:
        return None, f"Не удалось загрузить версию {version}: {error}"
    except tracking.StoreUnreachableError as error:
        from ui.messages import in_russian

        return None, f"Не удалось загрузить версию {version}: {in_russian(error)}"
    return ServedModel(predictor, model_info(settings, version)), ""


@dataclass(slots=True)
class PageContext:
    """What every page starts with: current settings and the champion version."""

    settings: Settings
    champion: str | None
    store_problem: str = ""  # Russian text when the MLflow store did not answer


def page_start(title: str, needs_registry: bool = True) -> PageContext:
    """Settings and champion version for a page; draws the title and the sidebar.

    When the MLflow store does not answer (within tracking.request_timeout_seconds and tracking.max_retries) the
    page shows why and stops, or with needs_registry=False goes on without a champion (the settings page).
    """
    from ui.messages import in_russian

    settings = settings_or_stop()
    st.title(title)
    try:
        version = champion_version(settings.tracking)
        info = model_info(settings, version)
    except tracking.StoreUnreachableError as error:
        problem = in_russian(error)
        st.error(problem, icon=":material/cloud_off:")
        if needs_registry:
            st.stop()
        return PageContext(settings, None, problem)
    sidebar(info, settings.app.threshold)
    return PageContext(settings, version)


def model_or_stop(context: PageContext) -> ServedModel:
    """The served champion, or instructions for getting one and a stop of the page."""
    model, problem = served_model(context.settings, context.champion)
    if model is None:
        st.warning(problem, icon=":material/warning:")
        st.stop()
    return model


@st.cache_data(max_entries=8, show_spinner="Пересчитываю тестовую выборку моделью запуска…")
def rescored_test_split(
    store_key: str, run_id: str, split_path: str, split_mtime: int, _settings: Settings
) -> pd.DataFrame:
    """category, is_bad and the run model's prediction for every ad of the test split (cached per run and file)."""
    from core.lifecycle.data import load_split

    predictor = tracking.load_predictor(_settings.tracking, uri=f"runs:/{run_id}/model")
    frame = load_split(_settings.data, "test", require_label=True)
    result = predictor.predict_frame(frame)
    return pd.DataFrame(
        {
            "category": frame["category"].to_numpy(),
            "is_bad": frame["is_bad"].astype(int).to_numpy(),
            "prediction": result["prediction"].astype(float).to_numpy(),
        }
    )
