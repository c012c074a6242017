"""MLflow runs, the model registry, and logging and loading the model (its code: core/lifecycle/pyfunc_model.py)."""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import logging
import os
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import unquote, urlparse

import mlflow
import mlflow.pyfunc
import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from core.config import PROJECT_ROOT, Settings, TrackingSettings, resolve_path, settings_as_flat_dict
from core.engine.predict import Predictor
from core.errors import ContactGuardError, Text
from core.lifecycle import pyfunc_model
from core.lifecycle.pyfunc_model import PREDICTOR_ARTIFACT, ContactModel

CORE_DIR = Path(__file__).resolve().parent.parent  # the whole `core` package travels with the model
MODEL_CODE = CORE_DIR / "lifecycle" / "pyfunc_model.py"
logger = logging.getLogger(__name__)


class NoModelError(RuntimeError):
    """Raised when the registry holds no model under the requested alias or version."""


class StoreUnreachableError(ContactGuardError, RuntimeError):
    """The tracking store did not answer within the configured limits (code tracking.unreachable)."""


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


# --------------------------------------------------------------------------- a remote store that does not answer

# MLflow's HTTP client reads these at every request; connect() sets them from the settings before any call.
HTTP_TIMEOUT_ENV = "MLFLOW_HTTP_REQUEST_TIMEOUT"  # seconds to connect, and again to read an answer
HTTP_RETRIES_ENV = "MLFLOW_HTTP_REQUEST_MAX_RETRIES"
HTTP_BACKOFF_ENV = "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR"  # urllib3: no pause before retry 1, then 2 s, 4 s
HTTP_JITTER_ENV = "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER"
HTTP_RETRY_AFTER_ENV = "MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER"  # a server's Retry-After could ask for hours
HTTP_BACKOFF_FACTOR = 1
PROBE_EVERY_SECONDS = 30.0  # a store that answered a TCP connect is not probed again for this long
FAILURE_MEMORY_SECONDS = 10.0  # after a failure, calls fail at once for this long (one wait per page run)
_REACHED: dict[str, float] = {}  # uri -> when a probe last connected
_FAILED: dict[str, tuple[float, dict[str, Any]]] = {}  # uri -> (when, parameters of the error)
_NO_ROUTE = {errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN, errno.ENETDOWN}

Params = ParamSpec("Params")
Result = TypeVar("Result")


def is_remote(uri: str) -> bool:
    """True for an http(s) tracking server (the network limits and the reachability probe apply)."""
    return urlparse(uri).scheme in ("http", "https")


def apply_network_limits(settings: TrackingSettings) -> None:
    """Set MLflow's HTTP timeout, retries and backoff from the settings (this process and the ones it starts)."""
    os.environ[HTTP_TIMEOUT_ENV] = str(settings.request_timeout_seconds)
    os.environ[HTTP_RETRIES_ENV] = str(settings.max_retries)
    os.environ[HTTP_BACKOFF_ENV] = str(HTTP_BACKOFF_FACTOR)
    os.environ[HTTP_JITTER_ENV] = "0"
    os.environ[HTTP_RETRY_AFTER_ENV] = "false"


def _unreachable(uri: str, reason: Text, started: float) -> StoreUnreachableError:
    """The coded error for a store that did not answer, remembered so the next calls fail at once."""
    params: dict[str, Any] = {"uri": _without_password(uri), "reason": reason}
    params["seconds"] = round(time.monotonic() - started, 1)
    _FAILED[uri] = (time.monotonic(), params)
    _REACHED.pop(uri, None)
    return StoreUnreachableError("tracking.unreachable", **params)


def _without_password(uri: str) -> str:
    """The URI as shown in messages: a password in it replaced by ***."""
    parsed = urlparse(uri)
    if parsed.password is None:
        return uri
    return parsed._replace(netloc=parsed.netloc.replace(f":{parsed.password}@", ":***@", 1)).geturl()


def _proxied(host: str) -> bool:
    """True when the HTTP client would go through a proxy to host (a direct TCP probe says nothing then)."""
    proxies = urllib.request.getproxies_environment()
    return bool(proxies) and not urllib.request.proxy_bypass_environment(host, proxies)


def _resolve(host: str, port: int, seconds: float) -> list[Any]:
    """getaddrinfo with a deadline (the system resolver has none): TimeoutError when it takes longer."""
    answer: dict[str, Any] = {}

    def lookup() -> None:
        try:
            answer["addresses"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as error:
            answer["error"] = error

    worker = threading.Thread(target=lookup, name="tracking-resolve", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError(f"resolving {host} took longer than {seconds:g} s")
    if "error" in answer:
        raise answer["error"]
    return answer["addresses"]


def probe(uri: str, seconds: float) -> None:
    """Open (and close) one TCP connection to an http(s) store within `seconds`; StoreUnreachableError when it fails.

    A refused connection answers at once, so a stopped server is reported in milliseconds instead of after
    MLflow's retries; a host that drops packets costs one timeout. Skipped behind an HTTP proxy.
    """
    parsed = urlparse(uri)
    try:
        host, port = parsed.hostname, parsed.port or (443 if parsed.scheme == "https" else 80)
    except ValueError:
        return  # a malformed port: MLflow says so itself
    if not host or _proxied(host):
        return
    started = time.monotonic()
    try:
        addresses = _resolve(host, port, seconds)
        last: OSError | None = None
        for family, kind, proto, _, address in addresses:
            remaining = seconds - (time.monotonic() - started)
            if remaining <= 0:
                raise TimeoutError(f"no answer within {seconds:g} s")
            try:
                with socket.socket(family, kind, proto) as connection:
                    connection.settimeout(remaining)
                    connection.connect(address)
                return
            except OSError as error:
                last = error
        if last is not None:
            raise last
    except OSError as error:
        raise _unreachable(uri, _reason(error, seconds, host) or _other(error), started) from None


def _other(error: BaseException) -> Text:
    return Text("tracking.reason.other", detail=(str(error) or type(error).__name__)[:300])


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error and every error it wraps (causes, contexts, urllib3's `reason`, exceptions among the args)."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        item = pending.pop(0)
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        inner = [item.__cause__, item.__context__, getattr(item, "reason", None), *item.args]
        pending.extend(value for value in inner if isinstance(value, BaseException))


def _is_network(item: BaseException) -> bool:
    """A socket, TLS, urllib3 or requests failure (not a missing file, a bad URL or an answer that is not JSON)."""
    if isinstance(item, ConnectionError | TimeoutError | socket.gaierror):
        return True
    module = type(item).__module__.split(".")[0]
    if module in ("requests", "urllib3"):
        return not isinstance(item, ValueError)
    return module == "ssl" and isinstance(item, OSError)


def _reason(error: BaseException, seconds: float, host: str) -> Text | None:
    """Why the store did not answer (refused, no route, unknown host, timeout), or None when error is not a
    network failure."""
    chain = list(_chain(error))
    if not any(_is_network(item) for item in chain):
        return None
    if any(isinstance(item, ConnectionRefusedError) for item in chain):
        return Text("tracking.reason.refused")
    if any(isinstance(item, socket.gaierror) for item in chain):
        return Text("tracking.reason.unknown_host", host=host)
    if any(isinstance(item, OSError) and item.errno in _NO_ROUTE for item in chain):
        return Text("tracking.reason.no_route")
    if any(isinstance(item, TimeoutError) or "Timeout" in type(item).__name__ for item in chain):
        return Text("tracking.reason.timeout", seconds=int(seconds))
    network = next(item for item in chain if _is_network(item))
    return _other(network)


def raise_if_unreachable(settings: TrackingSettings, error: BaseException, started: float) -> None:
    """Raise StoreUnreachableError when error is a network failure talking to the store; else return."""
    uri = tracking_uri(settings)
    reason = _reason(error, settings.request_timeout_seconds, urlparse(uri).hostname or uri)
    if reason is not None:
        raise _unreachable(uri, reason, started) from None


def _recent_failure(uri: str) -> None:
    """Fail at once, with the same message, while a failure of this store is fresh."""
    failed = _FAILED.get(uri)
    if failed is not None and time.monotonic() - failed[0] < FAILURE_MEMORY_SECONDS:
        raise StoreUnreachableError("tracking.unreachable", **failed[1])


def _store_call(function: Callable[Params, Result]) -> Callable[Params, Result]:
    """Turn a network failure of a registry function (first argument: Settings or TrackingSettings) into
    StoreUnreachableError."""

    @functools.wraps(function)
    def guarded(*args: Params.args, **kwargs: Params.kwargs) -> Result:
        first = args[0] if args else kwargs.get("settings")
        settings = first.tracking if isinstance(first, Settings) else first
        started = time.monotonic()
        try:
            return function(*args, **kwargs)
        except (MlflowException, OSError) as error:
            if isinstance(settings, TrackingSettings):
                raise_if_unreachable(settings, error, started)
            raise

    return guarded


@contextlib.contextmanager
def _absent_is_fine(settings: TrackingSettings) -> Iterator[None]:
    """Ignore an MLflow error (something absent) but never a store that does not answer."""
    started = time.monotonic()
    try:
        yield
    except MlflowException as error:
        raise_if_unreachable(settings, error, started)


def connect(settings: TrackingSettings) -> MlflowClient:
    """Point MLflow at the configured store (relocated first if the project folder moved) and return a client.

    For an http(s) store the HTTP limits come from the settings and a TCP probe checks it answers (at most
    every PROBE_EVERY_SECONDS); StoreUnreachableError when it does not, at once while that failure is fresh.
    """
    relocate_store(settings)
    uri = tracking_uri(settings)
    apply_network_limits(settings)
    if is_remote(uri):
        _recent_failure(uri)
        if time.monotonic() - _REACHED.get(uri, -PROBE_EVERY_SECONDS) >= PROBE_EVERY_SECONDS:
            probe(uri, settings.request_timeout_seconds)
            _REACHED[uri] = time.monotonic()
            _FAILED.pop(uri, None)
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


@_store_call
def load_model(
    settings: TrackingSettings, uri: str, model_config: dict[str, Any] | None = None
) -> mlflow.pyfunc.PyFuncModel:
    """Load the pyfunc model at a models:/ or runs:/ URI, optionally overriding model_config keys."""
    connect(settings)
    started = time.monotonic()
    try:
        return mlflow.pyfunc.load_model(uri, model_config=model_config)
    except (MlflowException, OSError) as error:
        raise_if_unreachable(settings, error, started)
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


@_store_call
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


@_store_call
def get_alias_version(settings: TrackingSettings, alias: str | None = None) -> str | None:
    """The version that holds the alias, or None."""
    client = connect(settings)
    with _absent_is_fine(settings):
        return str(client.get_model_version_by_alias(settings.model_name, alias or settings.serve_alias).version)
    return None


@_store_call
def set_alias(settings: TrackingSettings, version: str, alias: str | None = None) -> None:
    """Move the alias (champion by default) to a model version."""
    client = connect(settings)
    started = time.monotonic()
    try:
        client.get_model_version(settings.model_name, str(version))
    except MlflowException as error:
        raise_if_unreachable(settings, error, started)
        raise NoModelError(f"model {settings.model_name} has no version {version}") from None
    client.set_registered_model_alias(settings.model_name, alias or settings.serve_alias, str(version))


def model_uri(settings: TrackingSettings, version: str | None = None) -> str:
    """models:/ URI of a version, or of the serving alias."""
    if version:
        return f"models:/{settings.model_name}/{version}"
    return f"models:/{settings.model_name}@{settings.serve_alias}"


@_store_call
def load_predictor(settings: TrackingSettings, uri: str | None = None, version: str | None = None) -> Predictor:
    """Load a Predictor from a models:/ or runs:/ URI, a version, or the serving alias."""
    target = uri or model_uri(settings, version)
    model = load_model(settings, target)
    predictor = model.unwrap_python_model().predictor
    predictor.version = _version_of(settings, target)
    return predictor


def _version_of(settings: TrackingSettings, target: str) -> str:
    client = connect(settings)
    with _absent_is_fine(settings):
        if "@" in target:
            return str(client.get_model_version_by_alias(settings.model_name, target.split("@", 1)[1]).version)
        if target.startswith("models:/"):
            return target.rstrip("/").split("/")[-1]
    return ""


@_store_call
def list_versions(settings: TrackingSettings) -> pd.DataFrame:
    """Registered versions with aliases, creation date, run id, metrics and tags."""
    client = connect(settings)
    versions = []
    with _absent_is_fine(settings):
        versions = client.search_model_versions(f"name='{settings.model_name}'")
    if not versions:
        return pd.DataFrame()
    # search_model_versions leaves aliases empty on some stores; the registered model has them all.
    aliases_of: dict[str, list[str]] = {}
    with _absent_is_fine(settings):
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
            with _absent_is_fine(settings):
                row.update(client.get_run(item.run_id).data.metrics)
        row.update({f"tag.{key}": value for key, value in item.tags.items()})
        rows.append(row)
    return pd.DataFrame(rows).sort_values("version", ascending=False).reset_index(drop=True) if rows else pd.DataFrame()


@_store_call
def list_runs(settings: Settings) -> pd.DataFrame:
    """Runs of the training experiment with their params and metrics (newest first)."""
    connect(settings.tracking)
    experiment = MlflowClient().get_experiment_by_name(settings.train.experiment)
    if experiment is None:
        return pd.DataFrame()
    return mlflow.search_runs(experiment_ids=[experiment.experiment_id], order_by=["attributes.start_time DESC"])


@_store_call
def load_run_json(settings: TrackingSettings, run_id: str, file_name: str) -> Any:
    """Read a JSON artifact of a run (None when it is not there)."""
    connect(settings)
    started = time.monotonic()
    try:
        path = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path=file_name)
    except (MlflowException, OSError) as error:
        raise_if_unreachable(settings, error, started)
        return None
    return json.loads(Path(path).read_text(encoding="utf-8"))


@_store_call
def tag_version(settings: TrackingSettings, version: str, tags: dict[str, str]) -> None:
    """Set tags on a registered model version."""
    client = connect(settings)
    for key, value in tags.items():
        client.set_model_version_tag(settings.model_name, str(version), key, value)


@_store_call
def check_store(settings: TrackingSettings) -> None:
    """Ask a tracking server one cheap question (StoreUnreachableError when it does not answer), e.g. before a long
    training; a local store is left alone (nothing to wait for, and no database is created yet)."""
    if is_remote(tracking_uri(settings)):
        connect(settings).search_experiments(max_results=1)
