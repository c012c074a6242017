"""The only MLflow importer: tracking runs, the model registry and the pyfunc model."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import mlflow
import mlflow.pyfunc
import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE
from mlflow.tracking import MlflowClient

from core.config import PROJECT_ROOT, Settings, TrackingSettings, resolve_path, settings_as_flat_dict
from core.predict import Predictor

CORE_DIR = Path(__file__).resolve().parent
logger = logging.getLogger(__name__)
PREDICTOR_ARTIFACT = "predictor"


class NoModelError(RuntimeError):
    """Raised when the registry holds no model under the requested alias or version."""


TRACKING_URI_ENV = "MLFLOW_TRACKING_URI"
REGISTRY_URI_ENV = "MLFLOW_REGISTRY_URI"


def tracking_uri(settings: TrackingSettings) -> str:
    """The tracking URI: env MLFLOW_TRACKING_URI, else the config (relative sqlite under the project)."""
    uri = os.environ.get(TRACKING_URI_ENV) or settings.uri
    prefix = "sqlite:///"
    if uri.startswith(prefix) and not uri[len(prefix) :].startswith("/"):
        uri = prefix + str(PROJECT_ROOT / uri[len(prefix) :])
    return uri


def artifact_location(settings: TrackingSettings) -> str:
    """Artifact root for new experiments on a local store (ignored by a tracking server)."""
    return resolve_path(os.environ.get("CONTACTGUARD_ARTIFACT_ROOT", settings.artifact_root)).as_uri()


def connect(settings: TrackingSettings) -> MlflowClient:
    """Point MLflow at the configured store and return a client."""
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


MODEL_VERSION_ENV = "CONTACTGUARD_MODEL_VERSION"


def _bad_request(message: str) -> MlflowException:
    """An MLflow error that the scoring server answers with HTTP 400."""
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


class ContactPyfunc(mlflow.pyfunc.PythonModel):
    """MLflow pyfunc: a DataFrame of raw ads in, probability and contacts per ad out."""

    def load_context(self, context: Any) -> None:
        """Load the predictor from the model's artifacts and the serving limits and log from the config."""
        from core.config import ConfigError, DetectSettings, MonitoringSettings, ServeSettings, load_settings

        self.predictor = Predictor.load(context.artifacts[PREDICTOR_ARTIFACT])
        try:
            settings = load_settings()
            self.serve_settings = settings.serve
            self.monitoring = settings.monitoring
            self.threshold = settings.app.threshold
            self.max_chars = settings.detect.max_chars
        except (ConfigError, OSError) as error:  # a broken config must not stop the model from loading
            logger.warning("config not read (%s): default serving limits, no monitoring log", error)
            self.serve_settings, self.threshold = ServeSettings(), 0.5
            self.monitoring = MonitoringSettings(enabled=False)
            self.max_chars = DetectSettings().max_chars

    def predict(self, context: Any, model_input: pd.DataFrame, params: dict | None = None) -> pd.DataFrame:
        """Score raw ads; bad or oversized input raises an MLflow error that the server turns into a 400."""
        from core.data import DataError, ads_from_records

        if not isinstance(model_input, pd.DataFrame):
            try:
                model_input = pd.DataFrame(model_input)
            except (ValueError, TypeError) as error:
                raise _bad_request(f"expected a table of ads: {error}") from None
        serve = getattr(self, "serve_settings", None)
        max_rows = serve.max_rows if serve is not None else None
        if max_rows is not None and len(model_input) > max_rows:
            raise _bad_request(f"{len(model_input):,} ads in the request, the limit is {max_rows:,} (serve.max_rows)")
        try:
            frame = ads_from_records(model_input.to_dict(orient="records"), max_rows=max_rows)
        except DataError as error:
            raise _bad_request(str(error)) from None
        _check_text_sizes(frame, getattr(self, "max_chars", None) or _default_max_chars())
        result = self.predictor.predict_frame(frame)
        self._log(frame, result)
        return pd.DataFrame(
            {
                "prediction": result["prediction"].astype(float).to_numpy(),
                "start": result["start"].astype(object).where(result["start"].notna(), None).to_numpy(),
                "finish": result["finish"].astype(object).where(result["finish"].notna(), None).to_numpy(),
                "contacts": [json.loads(value) for value in result["contacts"]],
            }
        )

    def _log(self, frame: pd.DataFrame, result: pd.DataFrame) -> None:
        """Append the scored ads to the monitoring log (source=serve); failures only warn."""
        from core import monitoring

        settings = getattr(self, "monitoring", None)
        if settings is None or not settings.enabled:
            return
        version = os.environ.get(MODEL_VERSION_ENV) or self.predictor.version or ""
        try:
            monitoring.log_predictions(
                settings, frame, result, source="serve", model_version=version, threshold=self.threshold
            )
        except (sqlite3.Error, OSError) as error:
            logger.warning("monitoring log not written: %s", error)


def _default_max_chars() -> int:
    """detect.max_chars when the config could not be read."""
    from core.config import DetectSettings

    return DetectSettings().max_chars


def _check_text_sizes(frame: pd.DataFrame, max_chars: int) -> None:
    """Refuse ads whose title or description is longer than max_chars (detect.max_chars) characters."""
    if frame.empty:
        return
    problems: list[tuple[int, str, int]] = []
    for column in ("title", "description"):
        lengths = frame[column].fillna("").astype(str).str.len().to_numpy()
        problems += [(int(i), column, int(lengths[i])) for i in (lengths > max_chars).nonzero()[0]]
    if problems:
        problems.sort()
        shown = ", ".join(f"record {i + 1} {column} ({length:,} characters)" for i, column, length in problems[:5])
        more = f" and {len(problems) - 5} more" if len(problems) > 5 else ""
        raise _bad_request(
            f"text longer than the limit of {max_chars:,} characters per title or description "
            f"(detect.max_chars): {shown}{more}"
        )


def scoring_app(settings: TrackingSettings, uri: str) -> Any:
    """MLflow's scoring server app (FastAPI: /ping, /health, /version, /invocations) for a model URI."""
    from mlflow.pyfunc import scoring_server

    connect(settings)
    try:
        model = scoring_server.load_model_with_mlflow_config(uri)
    except (MlflowException, OSError) as error:
        raise NoModelError(f"no model at {uri}: train one with `python -m core train` ({error})") from None
    return scoring_server.init(model)


def _pip_requirements() -> list[str]:
    names = ["catboost", "pandas", "numpy", "phonenumbers", "pydantic", "pyyaml", "regex", "scikit-learn"]
    return [f"{name}=={package_version(name)}" for name in names] + [f"mlflow=={mlflow.__version__}"]


@dataclass(slots=True)
class RunRecord:
    """What a training run left behind."""

    run_id: str
    model_version: str | None
    alias_set: bool


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
        with tempfile.TemporaryDirectory() as folder:
            predictor.save(Path(folder) / PREDICTOR_ARTIFACT)
            info = mlflow.pyfunc.log_model(
                name="model",
                python_model=ContactPyfunc(),
                artifacts={PREDICTOR_ARTIFACT: str(Path(folder) / PREDICTOR_ARTIFACT)},
                code_paths=[str(CORE_DIR)],
                pip_requirements=_pip_requirements(),
                registered_model_name=name if settings.train.register_model else None,
            )
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
    connect(settings)
    target = uri or model_uri(settings, version)
    try:
        model = mlflow.pyfunc.load_model(target)
    except (MlflowException, OSError) as error:
        raise NoModelError(
            f"no model at {target}: train one with `python -m core train` (or `make run`); ({error})"
        ) from None
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
