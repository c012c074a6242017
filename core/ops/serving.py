"""Serve the champion over HTTP: MLflow's /invocations request format, with the limits and the monitoring log.

The model itself (core/lifecycle/pyfunc_model.py) only scores. This layer refuses oversized requests (body size,
serve.max_rows ads, detect.max_chars characters per title or description), validates the ads with the
same coded messages as the CSV reader (core/errors.py), answers every refusal with a short JSON
`{"error_code": code, "message": English text}` that never quotes the request, and logs every scored ad for
monitoring (source `serve`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import numpy as np
import pandas as pd

from core.config import DetectSettings, MonitoringSettings, ServeSettings, Settings
from core.errors import DataError, RequestError, Text
from core.ops.scoring import MonitoringLog

__all__ = ["RequestError", "ScoringService", "build_app", "scoring_app", "serve"]

BODY_BYTES_PER_AD = 16 * 1024
MIN_BODY_BYTES = 1024 * 1024
DRAIN_FACTOR = 16
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
logger = logging.getLogger(__name__)

CONTENT_TYPE_JSON = "application/json"
CONTENT_TYPE_CSV = "text/csv"
FORMATS = ("dataframe_records", "dataframe_split", "instances", "inputs")
TIMEOUT_ENV = "MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT"
DEFAULT_TIMEOUT_SECONDS = 60.0
MAX_MESSAGE_CHARS = 500
STATUS_PAYLOAD_TOO_LARGE = 413
SCORING_THREADS = min(32, (os.cpu_count() or 1) + 4)  # asyncio's default executor size, started all at once
WARM_UP_SIZES = (1, 100)
WARM_UP_AD = {
    "title": "Продаю велосипед",
    "description": "Почти новый, звоните 8 912 345-67-89 или пишите @velo_seller, velo@example.com",
    "subcategory": "Велосипеды",
    "category": "Хобби и отдых",
    "price": 12000.0,
    "region": "Москва",
    "city": "Москва",
    "datetime_submitted": "2019-10-01 10:00:00",
}


def max_body_bytes(settings: ServeSettings) -> int:
    """Largest request body accepted: 16 KiB per allowed ad, at least 1 MiB."""
    return max(MIN_BODY_BYTES, settings.max_rows * BODY_BYTES_PER_AD)


class BodySizeLimit:
    """ASGI middleware: answers 413 to requests whose body is larger than max_bytes, never buffering more."""

    def __init__(self, app: Callable[..., Awaitable[None]], max_bytes: int) -> None:
        """Wrap an ASGI app."""
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read the body up to the limit, then hand it to the app or refuse with 413."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = self._content_length(scope)
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = bool(message.get("more_body", False))
            if len(body) > self.max_bytes:
                await self._drain(receive, more, declared)
                await self._refuse(send, declared or len(body))
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _content_length(scope: Scope) -> int | None:
        """The declared Content-Length, if any."""
        for name, value in scope.get("headers", []):
            if name.lower() == b"content-length":
                try:
                    return int(value)
                except ValueError:
                    return None
        return None

    async def _drain(self, receive: Receive, more: bool, declared: int | None) -> None:
        """Read and drop the rest of a refused body (up to a cap) so the client can read the answer."""
        seen = self.max_bytes
        cap = self.max_bytes * DRAIN_FACTOR
        while more and seen < cap:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            seen += len(message.get("body", b""))
            more = bool(message.get("more_body", False))

    async def _refuse(self, send: Send, size: int) -> None:
        """Send 413 with an MLflow-style JSON error."""
        error = RequestError("request.body_too_large", STATUS_PAYLOAD_TOO_LARGE, size=size, limit=self.max_bytes)
        payload = error_answer(error).body()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": [*headers, (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": payload})


@dataclass(slots=True)
class Answer:
    """An HTTP answer of the scoring service: status and JSON payload."""

    status: int
    payload: dict[str, Any]
    version: str = ""

    def body(self) -> bytes:
        """The payload as UTF-8 JSON."""
        return json.dumps(self.payload, ensure_ascii=False, default=_plain_json).encode()


def error_answer(error: RequestError, version: str = "") -> Answer:
    """A refusal as JSON: the catalogue code and its English text (cut to MAX_MESSAGE_CHARS), nothing else."""
    message = str(error)
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[: MAX_MESSAGE_CHARS - 1] + "…"
    return Answer(error.status, {"error_code": error.code, "message": message}, version)


def request_error(error: DataError) -> RequestError:
    """The 400 answer of ads the reader refused (a CSV row limit names serve.max_rows)."""
    if error.code == "csv.too_many_rows":
        return RequestError("request.too_many", n=error.params["rows"], limit=error.params["limit"])
    return RequestError(error.code, **error.params)


def _plain_json(value: Any) -> Any:
    """JSON for numpy scalars and other values json does not know."""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def records_from_payload(payload: Any) -> list[Any]:
    """The ads of an MLflow /invocations JSON body (dataframe_records, dataframe_split, instances or inputs)."""
    if not isinstance(payload, dict):
        raise RequestError("request.not_object", keys=", ".join(FORMATS))
    keys = [key for key in FORMATS if key in payload]
    if len(keys) != 1:
        found = ", ".join(repr(str(key)[:40]) for key in list(payload)[:10]) or Text("columns.none")
        raise RequestError("request.keys", keys=", ".join(FORMATS), found=found)
    key = keys[0]
    data = payload[key]
    if key == "dataframe_split":
        return _split_records(data)
    if key in ("instances", "inputs") and isinstance(data, dict):
        return _column_records(key, data)
    if not isinstance(data, list):
        raise RequestError("request.not_list", key=key, type=_json_type(data))
    if not data:
        raise RequestError("request.empty")
    return data


def _split_records(data: Any) -> list[Any]:
    """Records of a pandas 'split' table: {"columns": [...], "data": [[...], ...]}."""
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("columns"), list)
        or not isinstance(data.get("data"), list)
    ):
        raise RequestError("request.split_shape")
    columns = [str(name) for name in data["columns"]]
    rows = data["data"]
    if len(rows) > 0:
        bad = [i for i, row in enumerate(rows) if not isinstance(row, list) or len(row) != len(columns)]
        if bad:
            shown = [Text("place.row", row=i + 1) for i in bad[:5]]
            raise RequestError("request.split_rows", n=len(columns), rows=shown)
    if not rows:
        raise RequestError("request.empty")
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _column_records(key: str, data: dict[str, Any]) -> list[Any]:
    """Records of a table given as columns: {"title": [...], "description": [...], ...}."""
    lengths = {len(values) if isinstance(values, list) else -1 for values in data.values()}
    if -1 in lengths or len(lengths) > 1:
        raise RequestError("request.columns_shape", key=key)
    count = lengths.pop() if lengths else 0
    if count == 0:
        raise RequestError("request.empty")
    return [{name: values[i] for name, values in data.items()} for i in range(count)]


def _json_type(value: Any) -> str:
    """The JSON name of a parsed value's type."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def check_text_sizes(frame: pd.DataFrame, max_chars: int) -> None:
    """Refuse ads whose title or description is longer than max_chars (detect.max_chars) characters."""
    if frame.empty:
        return
    problems: list[tuple[int, str, int]] = []
    for column in ("title", "description"):
        lengths = frame[column].fillna("").astype(str).str.len().to_numpy()
        problems += [(int(i), column, int(lengths[i])) for i in (lengths > max_chars).nonzero()[0]]
    if problems:
        problems.sort()
        shown: Any = [
            Text("request.text_item", place=Text("place.record", row=i + 1), column=column, length=length)
            for i, column, length in problems[:5]
        ]
        if len(problems) > 5:
            shown = Text("list.and_more", items=shown, n=len(problems) - 5)
        raise RequestError("request.text_too_long", limit=max_chars, items=shown)


@dataclass(frozen=True, slots=True)
class LoadedModel:
    """One served model version: the model (predict(DataFrame) -> DataFrame) and, for pyfunc models, its code."""

    model: Any
    version: str = ""
    python_model: Any = None

    @classmethod
    def of(cls, model: Any, version: str = "") -> LoadedModel:
        """Wrap a model; a pyfunc ContactModel is called directly (no second schema pass over the ads)."""
        from core.lifecycle.pyfunc_model import ContactModel

        python_model = None
        unwrap = getattr(model, "unwrap_python_model", None)
        if unwrap is not None:
            try:
                candidate = unwrap()
            except Exception:  # not a python_function model with custom code
                candidate = None
            # models from code load core/lifecycle/pyfunc_model.py under another module name: test by shape, not class
            python_model = candidate if hasattr(candidate, "predictor") and hasattr(candidate, "predict") else None
        elif isinstance(model, ContactModel):
            python_model = model
        return cls(model, version, python_model)

    def predict(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Score a frame of validated ads."""
        if self.python_model is not None:
            return self.python_model.predict(None, frame)
        return self.model.predict(frame)

    def can_score_directly(self, count: int) -> bool:
        """Whether score_ads can take count ads (a ContactModel, and a batch too small for its worker pool)."""
        if self.python_model is None:
            return False
        detect = self.python_model.predictor.detect
        return detect.workers <= 1 or count < detect.parallel_from

    def score_ads(self, ads: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[int], list[str]]:
        """Score plain ads without DataFrames: the records of the answer, contacts per ad and their kinds.

        The same steps as ContactModel.predict (texts cut to max_chars, detectors, classifier over the
        feature table's columns), on Python lists; test_serving_fast checks both give the same answer.
        """
        from core.engine.features import TEXT_FEATURE
        from core.engine.predict import OUTPUT_SPAN_FIELDS
        from core.engine.spans import contest_span

        model = self.python_model
        predictor = model.predictor
        limit = model.max_chars
        pairs = [(ad["title"][:limit], ad["description"][:limit]) for ad in ads]
        analyses = predictor.analyze_pairs(pairs)
        classifier = predictor.classifier
        if classifier is None:
            probability = [float(a.features["max_score"]) for a in analyses]
        else:
            names = list(classifier.feature_names_)
            rows = []
            for ad, (title, description), analysis in zip(ads, pairs, analyses, strict=True):
                values = {**analysis.features, "category": ad["category"]}
                if TEXT_FEATURE in names:
                    values[TEXT_FEATURE] = (title + " \n " + description).lower()
                rows.append([values[name] for name in names])
            probability = classifier.predict_proba(rows, thread_count=1)[:, 1].tolist()
        records, n_contacts, kinds = [], [], []
        for p, analysis in zip(probability, analyses, strict=True):
            span = contest_span(analysis.contacts)
            records.append(
                {
                    "prediction": min(1.0, max(0.0, float(p))),
                    "start": span[0] if span else None,
                    "finish": span[1] if span else None,
                    "contacts": [{name: getattr(c, name) for name in OUTPUT_SPAN_FIELDS} for c in analysis.contacts],
                }
            )
            n_contacts.append(len(analysis.contacts))
            kinds.append(",".join(sorted({c.kind for c in analysis.contacts})))
        return records, n_contacts, kinds


class ScoringService:
    """Parses, limits, scores and logs /invocations requests for the loaded model (swappable at run time)."""

    def __init__(
        self,
        model: Any,
        serve: ServeSettings,
        detect: DetectSettings,
        monitoring: MonitoringSettings,
        threshold: float,
        version: str = "",
        writer: Any = None,
        metrics: ServeMetrics | None = None,
    ) -> None:
        """Keep the model (anything with predict(DataFrame) -> DataFrame), the limits and the log writer."""
        self.loaded = model if isinstance(model, LoadedModel) else LoadedModel.of(model, version)
        self.serve = serve
        self.max_chars = detect.max_chars
        self.monitoring = monitoring
        self.threshold = threshold
        self.writer = writer
        self.metrics = metrics
        self.log = MonitoringLog(monitoring, threshold, writer, report=lambda warning: logger.warning("%s", warning))

    @classmethod
    def from_settings(
        cls, model: Any, settings: Settings, version: str = "", writer: Any = None, metrics: ServeMetrics | None = None
    ) -> ScoringService:
        """A service with the limits, threshold and monitoring log of the settings."""
        return cls(
            model,
            settings.serve,
            settings.detect,
            settings.monitoring,
            settings.app.threshold,
            version,
            writer,
            metrics,
        )

    @property
    def model(self) -> Any:
        """The model being served."""
        return self.loaded.model

    @property
    def version(self) -> str:
        """The version being served."""
        return self.loaded.version

    def swap(self, loaded: LoadedModel) -> None:
        """Serve another model version from the next request on (requests under way finish on the old one)."""
        self.loaded = loaded
        if self.metrics is not None:
            self.metrics.model_changed(loaded.version)

    def warm(self, sizes: tuple[int, ...] = WARM_UP_SIZES) -> None:
        """Score requests of the warm-up ad (1 and 100 copies) like invoke, but neither counted nor logged.

        Run once on every scoring thread at worker start, so each thread's buffers and malloc arena exist
        before the first request (bench/results.md, "Scoring server soak").
        """
        from core.lifecycle.data import ads_from_records

        loaded = self.loaded
        for size in sizes:
            body = json.dumps({"dataframe_records": [WARM_UP_AD] * size}).encode()
            ads = self._plain_ads(body, CONTENT_TYPE_JSON, loaded)
            if ads is not None:
                records = loaded.score_ads(ads)[0]
            else:
                output = loaded.predict(ads_from_records([WARM_UP_AD] * size))
                records = output.to_dict(orient="records")
            Answer(200, {"predictions": records}, loaded.version).body()

    def invoke(self, body: bytes, content_type: str) -> Answer:
        """Answer one /invocations request; never raises for bad input."""
        loaded = self.loaded  # one version for the whole request, even if a reload swaps it meanwhile
        try:
            ads = self._plain_ads(body, content_type, loaded)
            if ads is not None:
                return Answer(200, {"predictions": self._score_plain(ads, loaded)}, loaded.version)
            frame = self.parse(body, content_type)
            return Answer(200, {"predictions": self.score(frame, loaded)}, loaded.version)
        except RequestError as error:
            return error_answer(error, loaded.version)

    def _plain_ads(self, body: bytes, content_type: str, loaded: LoadedModel) -> list[dict[str, Any]] | None:
        """The ads of a plain, valid JSON request as dicts, or None to take the full (DataFrame) path.

        Only requests the full path would accept unchanged qualify: every ad an object with exactly the
        marketplace fields, texts as strings, the price a number or null, no text over detect.max_chars.
        Anything else (and every error message) goes through parse() and score().
        """
        from core.lifecycle.data import REQUIRED_COLUMNS

        if content_type.split(";", 1)[0].strip().lower() != CONTENT_TYPE_JSON or ";" in content_type:
            return None
        try:
            payload = json.loads(body)
            records = records_from_payload(payload)
        except (ValueError, RequestError):
            return None
        if not records or len(records) > self.serve.max_rows or not loaded.can_score_directly(len(records)):
            return None
        fields = set(REQUIRED_COLUMNS)
        ads = []
        for record in records:
            if not isinstance(record, dict) or record.keys() != fields:
                return None
            ad = dict(record)
            for name in REQUIRED_COLUMNS:
                value = ad[name]
                if name == "price":
                    if value is None:
                        ad[name] = float("nan")
                    elif type(value) in (int, float) and value == value and abs(value) != float("inf"):
                        ad[name] = float(value)
                    else:
                        return None
                elif type(value) is not str or len(value) > self.max_chars:
                    return None
            ads.append(ad)
        return ads

    def _score_plain(self, ads: list[dict[str, Any]], loaded: LoadedModel) -> list[dict[str, Any]]:
        """Score ads that _plain_ads accepted, count them and hand them to the monitoring log."""
        try:
            records, n_contacts, kinds = loaded.score_ads(ads)
        except Exception as error:  # any model failure is answered with a short message, never a stack trace
            logger.error("scoring failed: %s", type(error).__name__)
            raise RequestError("request.internal", 500) from None
        probability = [record["prediction"] for record in records]
        if self.metrics is not None:
            self.metrics.scored([ad["category"] for ad in ads], [p >= self.threshold for p in probability])
        self.log.record_ads(
            ads, probability, n_contacts, kinds, source="serve", user=None, model_version=loaded.version
        )
        return records

    def parse(self, body: bytes, content_type: str) -> pd.DataFrame:
        """The validated ads of a request body (JSON in MLflow's formats, or CSV)."""
        from core.lifecycle.data import ads_from_records, read_ads_csv

        mime, _, parameters = (content_type or "").partition(";")
        mime = mime.strip().lower()
        charset = parameters.strip().lower().removeprefix("charset=").strip() or "utf-8"
        if not mime:
            raise RequestError("request.content_type_none", 415)
        if charset not in ("utf-8", "utf8"):
            raise RequestError("request.charset", 415)
        try:
            if mime == CONTENT_TYPE_JSON:
                records = records_from_payload(self._json(body))
                self._check_rows(len(records))
                return ads_from_records(records)
            if mime == CONTENT_TYPE_CSV:
                frame, _ = read_ads_csv(body, max_rows=self.serve.max_rows)
                return frame
        except DataError as error:
            raise request_error(error) from None
        raise RequestError("request.content_type", 415, content_type=mime[:60])

    @staticmethod
    def _json(body: bytes) -> Any:
        """The parsed JSON body; malformed JSON is a 400 that names the position, not the content."""
        try:
            return json.loads(body)
        except UnicodeDecodeError:
            raise RequestError("request.not_utf8") from None
        except json.JSONDecodeError as error:
            raise RequestError("request.not_json", reason=error.msg, line=error.lineno, column=error.colno) from None

    def _check_rows(self, count: int) -> None:
        """Refuse more than serve.max_rows ads."""
        if count > self.serve.max_rows:
            raise RequestError("request.too_many", n=count, limit=self.serve.max_rows)

    def score(self, frame: pd.DataFrame, loaded: LoadedModel | None = None) -> list[dict[str, Any]]:
        """Check text sizes, score with the model and log the ads; one JSON-ready record per ad."""
        from core.lifecycle.pyfunc_model import INPUT_COLUMNS

        loaded = loaded or self.loaded
        check_text_sizes(frame, self.max_chars)
        if frame.empty:
            raise RequestError("request.empty")
        try:
            output = loaded.predict(frame[list(INPUT_COLUMNS)])
        except Exception as error:  # any model failure is answered with a short message, never a stack trace
            if getattr(error, "error_code", None) in ("INVALID_PARAMETER_VALUE", "BAD_REQUEST"):
                # MLflow's schema errors quote the whole input before "Error:"; keep only the reason.
                reason = str(getattr(error, "message", error)).rsplit("Error:", 1)[-1].strip()
                raise RequestError("request.signature", reason=reason[:200]) from None
            logger.error("scoring failed: %s", type(error).__name__)
            raise RequestError("request.internal", 500) from None
        self._log(frame, output, loaded.version)
        return [
            {"prediction": float(p), "start": start, "finish": finish, "contacts": contacts}
            for p, start, finish, contacts in zip(
                output["prediction"].tolist(),
                output["start"].tolist(),
                output["finish"].tolist(),
                output["contacts"].tolist(),
                strict=True,
            )
        ]

    def _log(self, frame: pd.DataFrame, output: pd.DataFrame, version: str) -> None:
        """Count the ads and hand them to the monitoring log (source=serve, no user); a failing log only warns."""
        probability = output["prediction"].astype(float).to_numpy()
        if self.metrics is not None:
            self.metrics.scored(frame["category"].tolist(), (probability >= self.threshold).tolist())
        if not self.monitoring.enabled:
            return
        contacts = output["contacts"].tolist()
        result = pd.DataFrame(
            {
                "prediction": probability,
                "n_contacts": [len(items) for items in contacts],
                "kinds": [",".join(sorted({item["kind"] for item in items})) for items in contacts],
            }
        )
        self.log.record_frame(frame, result, source="serve", user=None, model_version=version)


# --------------------------------------------------------------------------- Prometheus metrics

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.0025, 0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
ROUTES = ("/invocations", "/ping", "/health", "/ready", "/version", "/metrics")
OTHER = "other"
_METRICS: list[ServeMetrics] = []


class ServeMetrics:
    """The server's Prometheus series (contactguard_…); multiprocess-safe when PROMETHEUS_MULTIPROC_DIR is set."""

    def __init__(self) -> None:
        """Create the series in the default registry (once per process: use serve_metrics())."""
        from prometheus_client import Counter, Gauge, Histogram

        from core.config import CATEGORIES

        self.categories = set(CATEGORIES)
        self.requests = Counter(
            "contactguard_requests", "HTTP requests answered, by route and status", ["path", "code"]
        )
        self.errors = Counter(
            "contactguard_request_errors",
            "HTTP requests answered with a 4xx or 5xx, by route and status",
            ["path", "code"],
        )
        self.latency = Histogram(
            "contactguard_request_duration_seconds", "Time to answer a request", ["path"], buckets=LATENCY_BUCKETS
        )
        self.worker = worker_index()
        self.worker_requests = Counter(
            "contactguard_worker_requests", "HTTP requests answered, by server worker process (index)", ["worker"]
        )
        self.ads = Counter("contactguard_ads_scored", "Ads scored, by category", ["category"])
        self.flagged = Counter(
            "contactguard_ads_flagged", "Ads scored at or above app.threshold, by category", ["category"]
        )
        self.model_info = Gauge(
            "contactguard_model_version_info",
            "1 for the model version served",
            ["version"],
            multiprocess_mode="livemax",
        )
        self.model_loaded = Gauge(
            "contactguard_model_loaded", "1 when every worker has a model loaded", multiprocess_mode="livemin"
        )
        self.reloads = Counter(
            "contactguard_model_reloads", "Model reloads after an alias move, by outcome", ["outcome"]
        )
        self.log_lag_ads = Gauge(
            "contactguard_monitoring_log_lag_ads",
            "Scored ads not yet written to the monitoring log",
            multiprocess_mode="livesum",
        )
        self.log_lag_seconds = Gauge(
            "contactguard_monitoring_log_lag_seconds",
            "Age of the oldest scored ad not yet written to the monitoring log",
            multiprocess_mode="livemax",
        )
        self.log_written = Counter("contactguard_monitoring_log_written_ads", "Ads written to the monitoring log")
        self.log_dropped = Counter(
            "contactguard_monitoring_log_dropped_ads", "Ads not logged because the monitoring queue was full"
        )
        self.log_failures = Counter(
            "contactguard_monitoring_log_failed_writes", "Failed monitoring log writes (retried)"
        )
        self._version = ""
        self._written = self._dropped = self._failed = 0

    def request(self, path: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        route = path if path in ROUTES else OTHER
        code = str(status)
        self.requests.labels(route, code).inc()
        self.worker_requests.labels(self.worker).inc()
        self.latency.labels(route).observe(seconds)
        if status >= 400:
            self.errors.labels(route, code).inc()

    def scored(self, categories: list[Any], flagged: list[bool]) -> None:
        """Count scored and flagged ads per category (unknown categories as 'other')."""
        counts: dict[str, list[int]] = {}
        for category, flag in zip(categories, flagged, strict=True):
            name = category if category in self.categories else OTHER
            pair = counts.setdefault(name, [0, 0])
            pair[0] += 1
            pair[1] += int(flag)
        for name, (ads, flags) in counts.items():
            self.ads.labels(name).inc(ads)
            self.flagged.labels(name).inc(flags)  # also 0, so the share's denominator and numerator both exist

    def model_changed(self, version: str) -> None:
        """Mark the version served by this process."""
        if self._version:
            self.model_info.labels(self._version).set(0)
        self._version = version
        self.model_info.labels(version or "unknown").set(1)
        self.model_loaded.set(1)

    def log_progress(self, state: Any) -> None:
        """Mirror the monitoring writer's state (monitoring.WriterState) into the series."""
        self.log_lag_ads.set(state.pending_ads)
        self.log_lag_seconds.set(state.oldest_seconds)
        self.log_written.inc(state.written_ads - self._written)
        self.log_dropped.inc(state.dropped_ads - self._dropped)
        self.log_failures.inc(state.failed_writes - self._failed)
        self._written, self._dropped, self._failed = state.written_ads, state.dropped_ads, state.failed_writes


def serve_metrics() -> ServeMetrics:
    """The process's metrics (created on first use)."""
    if not _METRICS:
        _METRICS.append(ServeMetrics())
    return _METRICS[0]


def metrics_text() -> tuple[bytes, str]:
    """The exposition text of every worker's series (multiprocess mode) or of this process, and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, values

    if os.environ.get(MULTIPROC_ENV) and values.ValueClass is not values.MutexValue:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


class MetricsMiddleware:
    """ASGI middleware: counts every answered request by route and status, with its latency."""

    def __init__(self, app: Callable[..., Awaitable[None]], metrics: ServeMetrics) -> None:
        """Wrap an ASGI app."""
        self.app = app
        self.metrics = metrics
        self.worker_headers = [
            (WORKER_HEADER.lower().encode(), metrics.worker.encode()),
            (WORKER_PID_HEADER.lower().encode(), str(os.getpid()).encode()),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, name the worker in the answer's headers, record its status and time."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message = {**message, "headers": [*message.get("headers", []), *self.worker_headers]}
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            self.metrics.request(scope.get("path", ""), status, time.perf_counter() - started)


# --------------------------------------------------------------------------- following the serving alias


class PeriodicThread:
    """A daemon thread that calls `tick()` every `seconds` until stopped (nothing when seconds <= 0)."""

    thread_name = "periodic"

    def __init__(self, seconds: float) -> None:
        """Tick every `seconds` once started."""
        self.seconds = seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def can_run(self) -> bool:
        """Whether starting makes sense (subclasses add their own conditions)."""
        return self.seconds > 0

    def start(self) -> Self:
        """Start the thread once."""
        if self.can_run() and self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def tick(self) -> object:
        """One period's work."""
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.wait(self.seconds):
            self.tick()


class ModelFollower(PeriodicThread):
    """Background thread: every `seconds` it reads the serving alias and swaps in a newly promoted version."""

    thread_name = "model-follower"

    def __init__(self, service: ScoringService, settings: Settings, alias: str | None, seconds: float) -> None:
        """Follow `alias` (default: tracking.serve_alias) for the service."""
        super().__init__(seconds)
        self.service = service
        self.settings = settings
        self.alias = alias or settings.tracking.serve_alias

    def tick(self) -> bool:
        """One check of the alias."""
        return self.check()

    def check(self) -> bool:
        """Swap to the alias's version if it moved; True when a new version is now served."""
        from core.lifecycle import tracking

        metrics = self.service.metrics
        try:
            version = tracking.get_alias_version(self.settings.tracking, self.alias)
            if version is None or version == self.service.version:
                return False
            uri = tracking.model_uri(self.settings.tracking, version)  # the version, not the alias: it may move again
            loaded = LoadedModel.of(tracking.load_model(self.settings.tracking, uri), version)
        except Exception as error:  # the old version keeps serving; try again at the next check
            logger.warning("model reload failed, still serving version %s: %s", self.service.version, error)
            if metrics is not None:
                metrics.reloads.labels("failed").inc()
            return False
        old = self.service.version
        self.service.swap(loaded)
        logger.warning("now serving version %s (was %s) after the @%s alias moved", version, old, self.alias)
        if metrics is not None:
            metrics.reloads.labels("swapped").inc()
        return True


# --------------------------------------------------------------------------- memory

TRIM_SECONDS = 30.0


class MemoryTrimmer(PeriodicThread):
    """Background thread: every `seconds` hands the C heap's free pages back to the system (glibc malloc_trim).

    Requests are parsed on the event loop and scored on executor threads, so buffers are allocated in one
    thread and freed in another; glibc keeps such freed memory in its per-thread arenas and caches instead
    of returning it. Measured (bench/results.md, "Scoring server soak"): with 1-ad requests the free
    memory held by malloc grows about 1 MB per 30 s per worker for minutes while the memory in use stays
    flat, and the RSS grows with it; trimming removes that slow growth (the one-off steps that came with
    threads started late are gone with start_scoring_threads). Nothing happens where malloc_trim is missing.
    """

    thread_name = "memory-trimmer"

    def __init__(self, seconds: float = TRIM_SECONDS) -> None:
        """Trim every `seconds` once started."""
        super().__init__(seconds)
        self._trim = _malloc_trim()

    @property
    def available(self) -> bool:
        """Whether this C library can trim (glibc)."""
        return self._trim is not None

    def trim(self) -> bool:
        """Trim once; True when memory was returned to the system."""
        return bool(self._trim(0)) if self._trim is not None else False

    def can_run(self) -> bool:
        """Only where the C library can trim."""
        return self._trim is not None and super().can_run()

    def tick(self) -> bool:
        """One trim."""
        return self.trim()


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim(pad), or None when the C library has none."""
    import ctypes

    try:
        trim = _libc().malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def _libc() -> Any:
    """The process's C library."""
    import ctypes
    import ctypes.util

    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


# --------------------------------------------------------------------------- the app


def request_timeout() -> float:
    """Seconds a request may take (MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT, default 60)."""
    try:
        return float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT_SECONDS))
    except ValueError:
        return DEFAULT_TIMEOUT_SECONDS


def scoring_app(service: ScoringService, mlflow_version: str = "", lifespan: Any = None) -> Any:
    """The ASGI app (Starlette): GET /ping, /health, /ready, /version, /metrics and POST /invocations."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    timeout = request_timeout()

    async def ping(request: Any) -> Response:
        return Response(content="\n", status_code=200, media_type=CONTENT_TYPE_JSON)

    async def ready(request: Any) -> Response:
        loaded = service.loaded
        ok = loaded is not None and loaded.model is not None
        body = json.dumps({"ready": ok, "version": loaded.version if ok else None})
        return Response(content=body, status_code=200 if ok else 503, media_type=CONTENT_TYPE_JSON)

    async def version(request: Any) -> Response:
        return Response(content=mlflow_version, status_code=200, media_type=CONTENT_TYPE_JSON)

    async def metrics(request: Any) -> Response:
        text, content_type = await asyncio.to_thread(metrics_text)
        return Response(content=text, status_code=200, headers={"Content-Type": content_type})

    async def invocations(request: Any) -> Response:
        body = await request.body()
        content_type = request.headers.get("content-type", "")
        try:
            answer = await asyncio.wait_for(asyncio.to_thread(service.invoke, body, content_type), timeout)
        except TimeoutError:
            answer = error_answer(RequestError("request.timeout", 504, seconds=f"{timeout:g}"), service.version)
        headers = {VERSION_HEADER: answer.version} if answer.version else None
        return Response(content=answer.body(), status_code=answer.status, media_type=CONTENT_TYPE_JSON, headers=headers)

    return Starlette(
        routes=[
            Route("/ping", ping, methods=["GET"]),
            Route("/health", ping, methods=["GET"]),
            Route("/ready", ready, methods=["GET"]),
            Route("/version", version, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
            Route("/invocations", invocations, methods=["POST"]),
        ],
        lifespan=lifespan,
    )


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


SETTINGS_ENV = "CONTACTGUARD_SERVE_SETTINGS"
MODEL_ENV = "CONTACTGUARD_SERVE_MODEL"
WORKER_ENV = "CONTACTGUARD_SERVE_WORKER"
PROFILE_ENV = "CONTACTGUARD_SERVE_PROFILE"
VERSION_HEADER = "X-Model-Version"
WORKER_HEADER = "X-Worker"
WORKER_PID_HEADER = "X-Worker-Pid"


def build_app(settings: Settings, model: str | None = None) -> Any:
    """Load the model and return the whole ASGI app of one worker (limits, metrics, log writer, reloads)."""
    from core.lifecycle import tracking
    from core.ops import monitoring

    uri = model or tracking.model_uri(settings.tracking)
    version = tracking.get_alias_version(settings.tracking, _alias_in(uri)) if _alias_in(uri) else _version_in(uri)
    loaded = LoadedModel.of(tracking.load_model(settings.tracking, uri), version or "")
    metrics = serve_metrics()
    writer = None
    if settings.monitoring.enabled:
        writer = monitoring.LogWriter(
            settings.monitoring,
            queue_size=settings.serve.log_queue_size,
            batch_size=settings.serve.log_batch_size,
            flush_seconds=settings.serve.log_flush_seconds,
            on_progress=metrics.log_progress,
        )
    service = ScoringService.from_settings(loaded, settings, loaded.version, writer, metrics)
    metrics.model_changed(loaded.version)
    alias = _alias_in(uri)
    follower = ModelFollower(service, settings, alias, settings.serve.reload_seconds) if alias else None
    trimmer = MemoryTrimmer()
    profiler = WorkerProfiler(os.environ[PROFILE_ENV]) if os.environ.get(PROFILE_ENV) else None

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> Any:
        if profiler is not None:
            profiler.start_thread()
        if writer is not None:
            writer.start()
        if follower is not None:
            follower.start()
        trimmer.start()
        pool = await start_scoring_threads(service, SCORING_THREADS, profiler)
        try:
            yield
        finally:
            if profiler is not None:
                await on_every_thread(pool, SCORING_THREADS, profiler.stop_thread)
                profiler.stop_thread()
                _say(f"profile written to {profiler.write()}")
            trimmer.stop()
            if follower is not None:
                follower.stop()
            if writer is not None:
                state = await asyncio.to_thread(writer.stop, 10.0)
                if state.pending_ads:
                    logger.warning("monitoring log: %d ads not written at shutdown", state.pending_ads)

    app = scoring_app(service, tracking.mlflow_version(), lifespan)
    return MetricsMiddleware(BodySizeLimit(app, max_body_bytes(settings.serve)), metrics)


async def on_every_thread(pool: ThreadPoolExecutor, threads: int, function: Callable[[], object]) -> None:
    """Run `function` once on each of the pool's `threads` threads (each call waits until all have started)."""
    barrier = threading.Barrier(threads)

    def once() -> None:
        barrier.wait(120)  # every call holds its thread until all are running: one call per thread
        function()

    await asyncio.gather(*(asyncio.wrap_future(pool.submit(once)) for _ in range(threads)))


async def start_scoring_threads(
    service: ScoringService, threads: int = SCORING_THREADS, profiler: WorkerProfiler | None = None
) -> ThreadPoolExecutor:
    """The event loop's executor: `threads` scoring threads, all started and warmed (service.warm) now.

    asyncio's own default executor starts a thread only when a request finds none idle, so under steady load
    a worker could start its fifth or sixth thread minutes in; that thread's first requests brought a glibc
    arena and buffers of its own, a one-off RSS step of about 5 MB (bench/results.md, "Scoring server soak").
    """
    initializer = profiler.start_thread if profiler is not None else None
    pool = ThreadPoolExecutor(threads, thread_name_prefix="scoring", initializer=initializer)
    try:
        await on_every_thread(pool, threads, service.warm)
    except Exception as error:  # a model that cannot score the warm-up ad still serves (and answers its errors)
        logger.warning("warm-up of the scoring threads failed: %s: %s", type(error).__name__, error)
    asyncio.get_running_loop().set_default_executor(pool)
    return pool


class WorkerProfiler:
    """cProfile of one worker (CONTACTGUARD_SERVE_PROFILE=folder): its event loop and scoring threads, written at exit."""

    def __init__(self, folder: str) -> None:
        """Write into `folder` (created if missing)."""
        self.folder = Path(folder)
        self._profiles: list[Any] = []
        self._local = threading.local()
        self._lock = threading.Lock()

    def start_thread(self) -> None:
        """Profile the calling thread from now on."""
        import cProfile

        profile = cProfile.Profile()
        with self._lock:
            self._profiles.append(profile)
        self._local.profile = profile
        profile.enable()

    def stop_thread(self) -> None:
        """Stop profiling the calling thread."""
        profile = getattr(self._local, "profile", None)
        if profile is not None:
            profile.disable()

    def write(self) -> Path:
        """Merge every thread's profile into folder/worker-INDEX-PID.prof (pstats format)."""
        import pstats

        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"worker-{worker_index()}-{os.getpid()}.prof"
        with self._lock:
            stats = pstats.Stats(*self._profiles)
        stats.dump_stats(path)
        return path


def _no_delay_protocol() -> type:
    """uvicorn's h11 protocol with TCP_NODELAY on every connection.

    With several workers uvicorn binds the socket itself (protocol number 0), so asyncio does not set
    TCP_NODELAY on accepted connections; the body then waits behind the headers for the client's delayed
    ACK (about 40 ms on Linux) on every keep-alive request.
    """
    import socket

    from uvicorn.protocols.http.h11_impl import H11Protocol

    class NoDelayH11Protocol(H11Protocol):
        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            sock = transport.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().connection_made(transport)

    return NoDelayH11Protocol


def __getattr__(name: str) -> Any:
    """NoDelayH11Protocol, built on first use (uvicorn imports it by name in every worker)."""
    if name == "NoDelayH11Protocol":
        return _no_delay_protocol()
    raise AttributeError(name)


def worker_index() -> str:
    """This worker's index (0 … workers-1) as started by serve(); "0" in a single-process server."""
    return os.environ.get(WORKER_ENV, "0")


def worker_app() -> Any:
    """uvicorn's app factory in every worker process: the settings and model URI come from the environment."""
    from core.config import Settings

    settings = Settings.model_validate_json(os.environ[SETTINGS_ENV])
    return build_app(settings, os.environ.get(MODEL_ENV) or None)


def serve(
    settings: Settings,
    port: int | None = None,
    host: str | None = None,
    model: str | None = None,
    workers: int | None = None,
) -> int:
    """Run the scoring server (serve.workers processes) for the champion or a models:/ URI; returns the exit code."""
    from core.lifecycle import tracking

    host = host or settings.serve.host
    port = port or settings.serve.port
    workers = workers or settings.serve.workers
    uri = model or tracking.model_uri(settings.tracking)
    alias = _alias_in(uri)
    version = tracking.get_alias_version(settings.tracking, alias) if alias else _version_in(uri)
    if alias and version is None:
        _say(f"error: {Text('cli.no_model', uri=uri)}")
        return 2
    if not alias:
        try:  # fail here, once, rather than in every worker
            tracking.load_model(settings.tracking, uri)
        except tracking.NoModelError as error:
            _say(f"error: {error}")
            return 2
    metrics_dir = _fresh_metrics_dir()
    os.environ[SETTINGS_ENV] = settings.model_dump_json()
    os.environ[MODEL_ENV] = model or ""
    import uvicorn

    limit = max_body_bytes(settings.serve)
    reload = f"follows @{alias} every {settings.serve.reload_seconds:g} s" if alias else "fixed version"
    _say(
        f"serving {uri} (version {version or '?'}, {reload}) on http://{host}:{port} with {workers} worker(s): "
        f"POST /invocations, GET /ping /ready /metrics (at most {settings.serve.max_rows:,} ads and {limit:,} bytes "
        f"per request, {settings.detect.max_chars:,} characters per title or description)"
    )
    try:
        if workers > 1 and hasattr(socket, "SO_REUSEPORT"):
            return _run_workers(workers, host, port)
        uvicorn.run(
            "core.ops.serving:worker_app",
            factory=True,
            http="core.ops.serving:NoDelayH11Protocol",
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            access_log=False,
            timeout_graceful_shutdown=10,
        )
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0


def _listening_socket(host: str, port: int) -> socket.socket:
    """A socket of this worker's own on the shared port (SO_REUSEPORT): the kernel spreads new connections.

    With one socket shared by every worker (uvicorn's own supervisor), the worker whose event loop is free
    accepts: scoring runs off the loop, so a busy worker keeps accepting and four keep-alive clients all ended
    up on one of two workers (one core busy, the other idle). Separate sockets are balanced by the kernel.
    """
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def _worker_main(host: str, port: int, index: int = 0) -> None:
    """One worker process (number `index`): its own listening socket, uvicorn serving the app factory on it."""
    import uvicorn

    os.environ[WORKER_ENV] = str(index)

    config = uvicorn.Config(
        "core.ops.serving:worker_app",
        factory=True,
        http="core.ops.serving:NoDelayH11Protocol",
        log_level="info",
        access_log=False,
        timeout_graceful_shutdown=10,
    )
    uvicorn.Server(config).run(sockets=[_listening_socket(host, port)])


def _run_workers(workers: int, host: str, port: int) -> int:
    """Start `workers` processes on the port (SO_REUSEPORT), forward SIGTERM/SIGINT, wait; 1 if one died early."""
    import multiprocessing
    import signal

    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_worker_main, args=(host, port, index), name=f"contactguard-serve-{index}")
        for index in range(workers)
    ]
    for process in processes:
        process.start()
    stopping = threading.Event()

    def stop(signum: int, frame: object) -> None:
        stopping.set()
        for process in processes:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while any(process.is_alive() for process in processes):
        if not stopping.is_set() and any(not process.is_alive() for process in processes):
            _say("error: a server worker stopped; stopping the others")
            stop(signal.SIGTERM, None)
        time.sleep(0.2)
    return 0 if stopping.is_set() else 1


def _fresh_metrics_dir() -> str | None:
    """Point PROMETHEUS_MULTIPROC_DIR at an empty folder (a new temp one unless the operator set one)."""
    configured = os.environ.get(MULTIPROC_ENV)
    if configured:
        folder = Path(configured)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink(missing_ok=True)
        return None
    created = tempfile.mkdtemp(prefix="contactguard-metrics-")
    os.environ[MULTIPROC_ENV] = created
    return created


def _alias_in(uri: str) -> str | None:
    """The alias in models:/name@alias, else None."""
    if uri.startswith("models:/") and "@" in uri:
        return uri.rsplit("@", 1)[1].strip("/") or None
    return None


def _version_in(uri: str) -> str | None:
    """The version number in models:/name/N, else None."""
    if uri.startswith("models:/") and "@" not in uri:
        tail = uri.rstrip("/").rsplit("/", 1)[-1]
        return tail if tail.isdigit() else None
    return None
