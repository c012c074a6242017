"""MLflow runs, the model registry, and logging and loading the model (its code: core/lifecycle/pyfunc_model.py)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import mlflow
import mlflow.pyfunc
import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from core.config import PROJECT_ROOT, Settings, TrackingSettings, resolve_path, settings_as_flat_dict
from core.engine.predict import Predictor
from core.lifecycle import pyfunc_model
from core.lifecycle.pyfunc_model import PREDICTOR_ARTIFACT, ContactModel

CORE_DIR = Path(__file__).resolve().parent.parent  # the whole `core` package travels with the model
MODEL_CODE = CORE_DIR / "lifecycle" / "pyfunc_model.py"
logger = logging.getLogger(__name__)


class NoModelError(RuntimeError):
    """Raised when the registry holds no model under the requested alias or version."""


TRACKING_URI_ENV = "MLFLOW_TRACKING_URI"
REGISTRY_URI_ENV = "MLFLOW_REGISTRY_URI"
ARTIFACT_ROOT_ENV = "CONTACTGUARD_ARTIFACT_ROOT"


def tracking_uri(settings: TrackingSettings) -> str:
    """The tracking URI: env MLFLOW_TRACKING_URI, else the config (relative sqlite under the project)."""
    uri = os.environ.get(TRACKING_URI_ENV) or settings.uri
    prefix = "sqlite:///"
    if uri.startswith(prefix) and not uri[len(prefix) :].startswith("/"):
        uri = prefix + str(PROJECT_ROOT / uri[len(prefix) :])
    return uri


def _artifact_root_setting(settings: TrackingSettings) -> str:
    """The configured artifact root: env CONTACTGUARD_ARTIFACT_ROOT, else tracking.artifact_root."""
    return os.environ.get(ARTIFACT_ROOT_ENV, settings.artifact_root)


def artifact_location(settings: TrackingSettings) -> str:
    """Artifact root for new experiments on a local store (ignored by a tracking server)."""
    return resolve_path(_artifact_root_setting(settings)).as_uri()


# --------------------------------------------------------------------------- a project store that moved

# Columns of MLflow's SQL store that hold artifact locations (absolute: MLflow resolves relative ones at once).
LOCATION_COLUMNS = (
    ("experiments", "artifact_location"),
    ("runs", "artifact_uri"),
    ("logged_models", "artifact_location"),
    ("model_versions", "storage_location"),
    ("model_versions", "source"),
)
_CHECKED_STORES: set[str] = set()


def project_store(settings: TrackingSettings) -> tuple[Path, Path] | None:
    """(database, artifact root) when both are configured relative to the project folder, else None."""
    prefix = "sqlite:///"
    database = settings.uri[len(prefix) :] if settings.uri.startswith(prefix) else None
    root = _artifact_root_setting(settings)
    if os.environ.get(TRACKING_URI_ENV) or not database or Path(database).is_absolute() or ":" in root:
        return None
    if Path(root).is_absolute() or ".." in Path(root).parts or ".." in Path(database).parts:
        return None
    return resolve_path(database), Path(root)


def relocate_store(settings: TrackingSettings) -> dict[str, str]:
    """Point a moved or copied project store at this project folder; returns {old folder: new folder}.

    MLflow keeps absolute artifact locations in the database. For a project store (sqlite and artifact
    root both relative to the project) every location under the folder the store was written in is
    rewritten to the same place under this project folder, so the copy reads and writes its own files.
    """
    store = project_store(settings)
    if store is None:
        return {}
    database, relative_root = store
    if str(database) in _CHECKED_STORES or not database.is_file():
        return {}
    new_project = PROJECT_ROOT
    moved: dict[str, str] = {}
    with contextlib.closing(sqlite3.connect(database, timeout=30)) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "experiments" not in tables:
            return {}
        for (location,) in connection.execute("SELECT artifact_location FROM experiments"):
            old_project = _project_of(location, relative_root)
            if old_project is not None and old_project != new_project:
                moved[str(old_project)] = str(new_project)
        if moved:
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                for old in moved:
                    _rewrite_prefix(connection, tables, Path(old), new_project)
    _CHECKED_STORES.add(str(database))
    for old, new in moved.items():
        logger.warning("the project moved: MLflow artifact locations under %s now point under %s", old, new)
    return moved


def _project_of(location: str | None, relative_root: Path) -> Path | None:
    """The project folder of an experiment's local artifact location that ends with the relative root."""
    if not location:
        return None
    if location.startswith("file:"):
        path = Path(unquote(urlparse(location).path))
    elif location.startswith("/"):
        path = Path(location)
    else:
        return None
    depth = len(relative_root.parts)
    if len(path.parts) <= depth or path.parts[-depth:] != relative_root.parts:
        return None
    return Path(*path.parts[:-depth])


def _rewrite_prefix(connection: sqlite3.Connection, tables: set[str], old: Path, new: Path) -> None:
    """Replace the folder old by new at the start of every stored location (file URIs and plain paths)."""
    pairs = list(
        dict.fromkeys([(old.as_uri(), new.as_uri()), ("file://" + str(old), new.as_uri()), (str(old), str(new))])
    )
    for table, column in LOCATION_COLUMNS:
        if table not in tables:
            continue
        updates = []
        for rowid, value in connection.execute(f"SELECT rowid, {column} FROM {table}"):
            for before, after in pairs:
                if isinstance(value, str) and (value == before or value.startswith(before + "/")):
                    updates.append((after + value[len(before) :], rowid))
                    break
        connection.executemany(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", updates)


def connect(settings: TrackingSettings) -> MlflowClient:
    """Point MLflow at the configured store (relocated first if the project folder moved) and return a client."""
    relocate_store(settings)
    uri = tracking_uri(settings)
    # MLflow also exports the URI into the environment (for subprocesses); undo that so only an operator's own
    # MLFLOW_TRACKING_URI ever wins over the config, and child processes read their own config.
    saved = {name: os.environ.get(name) for name in (TRACKING_URI_ENV, REGISTRY_URI_ENV)}
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def _experiment_id(client: MlflowClient, name: str, settings: TrackingSettings) -> str:
    experiment = client.get_experiment_by_name(name)
    if experiment is not None:
        return experiment.experiment_id
    uri = tracking_uri(settings)
    location = artifact_location(settings) if uri.startswith(("sqlite:", "file:", "/")) else None
    return client.create_experiment(name, artifact_location=location)


class ContactPyfunc(ContactModel):
    """Versions logged before models-from-code are cloudpickled instances of this name; they now only score."""


def load_model(
    settings: TrackingSettings, uri: str, model_config: dict[str, Any] | None = None
) -> mlflow.pyfunc.PyFuncModel:
    """Load the pyfunc model at a models:/ or runs:/ URI, optionally overriding model_config keys."""
    connect(settings)
    try:
        return mlflow.pyfunc.load_model(uri, model_config=model_config)
    except (MlflowException, OSError) as error:
        raise NoModelError(
            f"no model at {uri}: train one with `python -m core train` (or `make run`); ({error})"
        ) from None


def mlflow_version() -> str:
    """The installed MLflow version (the scoring server's /version answer)."""
    return mlflow.__version__


def _log_model(predictor: Predictor, registered_name: str | None) -> Any:
    """Log the model from code (core/lifecycle/pyfunc_model.py) with the predictor folder, core/, signature and config."""
    detect = predictor.detect
    with tempfile.TemporaryDirectory() as folder:
        predictor_dir = predictor.save(Path(folder) / PREDICTOR_ARTIFACT)
        code_dir = Path(folder) / "code" / CORE_DIR.name
        shutil.copytree(CORE_DIR, code_dir, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        return mlflow.pyfunc.log_model(
            name="model",
            python_model=str(MODEL_CODE),
            artifacts={PREDICTOR_ARTIFACT: str(predictor_dir)},
            code_paths=[str(code_dir)],
            signature=pyfunc_model.signature(),
            input_example=pyfunc_model.input_example(),
            model_config=pyfunc_model.runtime_config(detect.max_chars, detect.workers, detect.parallel_from),
            pip_requirements=_pip_requirements(),
            registered_model_name=registered_name,
        )


def _pip_requirements() -> list[str]:
    names = ["catboost", "pandas", "numpy", "phonenumbers", "pydantic", "pyyaml", "regex", "scikit-learn"]
    return [f"{name}=={package_version(name)}" for name in names] + [f"mlflow=={mlflow.__version__}"]


@dataclass(slots=True)
class RunRecord:
    """What a training run left behind."""

    run_id: str
    model_version: str | None
    alias_set: bool


def fail_abandoned_runs(client: MlflowClient, experiment_id: str) -> list[str]:
    """Mark runs left RUNNING by a killed `train` (kill -9 while logging) as FAILED; return their ids.

    Runs here live only while one training logs its results, so a RUNNING run seen when the next one
    starts belongs to a process that died.
    """
    abandoned = client.search_runs([experiment_id], filter_string="attributes.status = 'RUNNING'")
    for run in abandoned:
        client.set_tag(run.info.run_id, "contactguard.abandoned", "marked failed when the next training started")
        client.set_terminated(run.info.run_id, status="FAILED")
    return [run.info.run_id for run in abandoned]


def log_training_run(
    settings: Settings,
    predictor: Predictor,
    metrics: dict[str, float],
    artifacts: dict[str, Any] | None = None,
    figures: dict[str, Any] | None = None,
    run_name: str | None = None,
) -> RunRecord:
    """Log params, metrics, JSON artifacts, figures and the pyfunc model; register it if configured."""
    client = connect(settings.tracking)
    experiment_id = _experiment_id(client, settings.train.experiment, settings.tracking)
    name = settings.tracking.model_name
    fail_abandoned_runs(client, experiment_id)
    with mlflow.start_run(experiment_id=experiment_id, run_name=run_name) as run:
        mlflow.log_params(
            {
                key: json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
                for key, value in settings_as_flat_dict(settings).items()
            }
        )
        mlflow.log_metrics({key: float(value) for key, value in metrics.items() if value == value})
        for file_name, payload in (artifacts or {}).items():
            mlflow.log_dict(payload, file_name)
        for file_name, figure in (figures or {}).items():
            mlflow.log_figure(figure, file_name)
        info = _log_model(predictor, name if settings.train.register_model else None)
        version = str(info.registered_model_version) if settings.train.register_model else None
    alias_set = False
    if version is not None:
        client.set_model_version_tag(name, version, "run_id", run.info.run_id)
        if get_alias_version(settings.tracking) is None:
            client.set_registered_model_alias(name, settings.tracking.serve_alias, version)
            alias_set = True
    return RunRecord(run.info.run_id, version, alias_set)


def get_alias_version(settings: TrackingSettings, alias: str | None = None) -> str | None:
    """The version that holds the alias, or None."""
    client = connect(settings)
    try:
        return str(client.get_model_version_by_alias(settings.model_name, alias or settings.serve_alias).version)
    except MlflowException:
        return None


def set_alias(settings: TrackingSettings, version: str, alias: str | None = None) -> None:
    """Move the alias (champion by default) to a model version."""
    client = connect(settings)
    try:
        client.get_model_version(settings.model_name, str(version))
    except MlflowException:
        raise NoModelError(f"model {settings.model_name} has no version {version}") from None
    client.set_registered_model_alias(settings.model_name, alias or settings.serve_alias, str(version))


def model_uri(settings: TrackingSettings, version: str | None = None) -> str:
    """models:/ URI of a version, or of the serving alias."""
    if version:
        return f"models:/{settings.model_name}/{version}"
    return f"models:/{settings.model_name}@{settings.serve_alias}"


def load_predictor(settings: TrackingSettings, uri: str | None = None, version: str | None = None) -> Predictor:
    """Load a Predictor from a models:/ or runs:/ URI, a version, or the serving alias."""
    target = uri or model_uri(settings, version)
    model = load_model(settings, target)
    predictor = model.unwrap_python_model().predictor
    predictor.version = _version_of(settings, target)
    return predictor


def _version_of(settings: TrackingSettings, target: str) -> str:
    client = connect(settings)
    try:
        if "@" in target:
            return str(client.get_model_version_by_alias(settings.model_name, target.split("@", 1)[1]).version)
        if target.startswith("models:/"):
            return target.rstrip("/").split("/")[-1]
    except MlflowException:
        return ""
    return ""


def list_versions(settings: TrackingSettings) -> pd.DataFrame:
    """Registered versions with aliases, creation date, run id, metrics and tags."""
    client = connect(settings)
    try:
        versions = client.search_model_versions(f"name='{settings.model_name}'")
    except MlflowException:
        return pd.DataFrame()
    # search_model_versions leaves aliases empty on some stores; the registered model has them all.
    aliases_of: dict[str, list[str]] = {}
    with contextlib.suppress(MlflowException):
        for alias, version in client.get_registered_model(settings.model_name).aliases.items():
            aliases_of.setdefault(str(version), []).append(alias)
    rows = []
    for item in versions:
        row: dict[str, Any] = {
            "version": int(item.version),
            "aliases": ", ".join(sorted(set(item.aliases) | set(aliases_of.get(str(item.version), [])))),
            "created": datetime.fromtimestamp(item.creation_timestamp / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M"),
            "run_id": item.run_id,
        }
        if item.run_id:
            with contextlib.suppress(MlflowException):
                row.update(client.get_run(item.run_id).data.metrics)
        row.update({f"tag.{key}": value for key, value in item.tags.items()})
        rows.append(row)
    return pd.DataFrame(rows).sort_values("version", ascending=False).reset_index(drop=True) if rows else pd.DataFrame()


def list_runs(settings: Settings) -> pd.DataFrame:
    """Runs of the training experiment with their params and metrics (newest first)."""
    connect(settings.tracking)
    experiment = MlflowClient().get_experiment_by_name(settings.train.experiment)
    if experiment is None:
        return pd.DataFrame()
    return mlflow.search_runs(experiment_ids=[experiment.experiment_id], order_by=["attributes.start_time DESC"])


def load_run_json(settings: TrackingSettings, run_id: str, file_name: str) -> Any:
    """Read a JSON artifact of a run (None when it is not there)."""
    connect(settings)
    try:
        path = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path=file_name)
    except (MlflowException, OSError):
        return None
    return json.loads(Path(path).read_text(encoding="utf-8"))


def tag_version(settings: TrackingSettings, version: str, tags: dict[str, str]) -> None:
    """Set tags on a registered model version."""
    client = connect(settings)
    for key, value in tags.items():
        client.set_model_version_tag(settings.model_name, str(version), key, value)
