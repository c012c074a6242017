"""Serve the champion over HTTP: MLflow's /invocations request format, with the limits and the monitoring log.

The model itself (core/pyfunc_model.py) only scores. This layer refuses oversized requests (body size,
serve.max_rows ads, detect.max_chars characters per title or description), validates the ads with the
same messages as the CSV reader, answers errors with short JSON messages that never quote the request,
and logs every scored ad for monitoring (source `serve`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.config import DetectSettings, MonitoringSettings, ServeSettings, Settings

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
        payload = json.dumps(
            {
                "error_code": "REQUEST_LIMIT_EXCEEDED",
                "message": f"request body of {size:,} bytes is larger than the limit of {self.max_bytes:,} bytes "
                "(send fewer ads per request; serve.max_rows sets the limit)",
            }
        ).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": [*headers, (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": payload})


@dataclass(slots=True)
class Answer:
    """An HTTP answer of the scoring service: status and JSON payload."""

    status: int
    payload: dict[str, Any]

    def body(self) -> bytes:
        """The payload as UTF-8 JSON."""
        return json.dumps(self.payload, ensure_ascii=False, default=_plain_json).encode()


class RequestError(Exception):
    """A request the service refuses: HTTP status, MLflow-style error code and a message for the client."""

    def __init__(self, message: str, status: int = 400, error_code: str = "INVALID_PARAMETER_VALUE") -> None:
        super().__init__(message)
        self.message = message[:MAX_MESSAGE_CHARS]
        self.status = status
        self.error_code = error_code

    def answer(self) -> Answer:
        """The error as an MLflow-style JSON answer."""
        return Answer(self.status, {"error_code": self.error_code, "message": self.message})


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
        raise RequestError(
            f"expected a JSON object with one of the keys {', '.join(FORMATS)}", error_code="BAD_REQUEST"
        )
    keys = [key for key in FORMATS if key in payload]
    if len(keys) != 1:
        found = ", ".join(repr(str(key)[:40]) for key in list(payload)[:10]) or "none"
        raise RequestError(
            f"expected exactly one of the keys {', '.join(FORMATS)} (keys found: {found})", error_code="BAD_REQUEST"
        )
    key = keys[0]
    data = payload[key]
    if key == "dataframe_split":
        return _split_records(data)
    if key in ("instances", "inputs") and isinstance(data, dict):
        return _column_records(key, data)
    if not isinstance(data, list):
        raise RequestError(f"'{key}' must be a list of ads (JSON objects), got {_json_type(data)}")
    return data


def _split_records(data: Any) -> list[Any]:
    """Records of a pandas 'split' table: {"columns": [...], "data": [[...], ...]}."""
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("columns"), list)
        or not isinstance(data.get("data"), list)
    ):
        raise RequestError("'dataframe_split' must be an object with the lists 'columns' and 'data'")
    columns = [str(name) for name in data["columns"]]
    rows = data["data"]
    if len(rows) > 0:
        bad = [i for i, row in enumerate(rows) if not isinstance(row, list) or len(row) != len(columns)]
        if bad:
            shown = ", ".join(f"row {i + 1}" for i in bad[:5])
            raise RequestError(f"'dataframe_split': every row of 'data' must hold {len(columns)} values ({shown})")
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _column_records(key: str, data: dict[str, Any]) -> list[Any]:
    """Records of a table given as columns: {"title": [...], "description": [...], ...}."""
    lengths = {len(values) if isinstance(values, list) else -1 for values in data.values()}
    if -1 in lengths or len(lengths) > 1:
        raise RequestError(f"'{key}' given as columns must map every field to a list, all of the same length")
    count = lengths.pop() if lengths else 0
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
        shown = ", ".join(f"record {i + 1} {column} ({length:,} characters)" for i, column, length in problems[:5])
        more = f" and {len(problems) - 5} more" if len(problems) > 5 else ""
        raise RequestError(
            f"text longer than the limit of {max_chars:,} characters per title or description "
            f"(detect.max_chars): {shown}{more}"
        )


class ScoringService:
    """Parses, limits, scores and logs /invocations requests for one loaded pyfunc model."""

    def __init__(
        self,
        model: Any,
        serve: ServeSettings,
        detect: DetectSettings,
        monitoring: MonitoringSettings,
        threshold: float,
        version: str = "",
    ) -> None:
        """Keep the model (anything with predict(DataFrame) -> DataFrame) and the limits."""
        self.model = model
        self.serve = serve
        self.max_chars = detect.max_chars
        self.monitoring = monitoring
        self.threshold = threshold
        self.version = version

    @classmethod
    def from_settings(cls, model: Any, settings: Settings, version: str = "") -> ScoringService:
        """A service with the limits, threshold and monitoring log of the settings."""
        return cls(model, settings.serve, settings.detect, settings.monitoring, settings.app.threshold, version)

    def invoke(self, body: bytes, content_type: str) -> Answer:
        """Answer one /invocations request; never raises for bad input."""
        try:
            frame = self.parse(body, content_type)
            return Answer(200, {"predictions": self.score(frame)})
        except RequestError as error:
            return error.answer()

    def parse(self, body: bytes, content_type: str) -> pd.DataFrame:
        """The validated ads of a request body (JSON in MLflow's formats, or CSV)."""
        from core.data import DataError, ads_from_records, read_ads_csv

        mime, _, parameters = (content_type or "").partition(";")
        mime = mime.strip().lower()
        charset = parameters.strip().lower().removeprefix("charset=").strip() or "utf-8"
        if charset not in ("utf-8", "utf8"):
            raise RequestError("the scoring server only reads UTF-8", 415, "BAD_REQUEST")
        try:
            if mime == CONTENT_TYPE_JSON:
                records = records_from_payload(self._json(body))
                self._check_rows(len(records))
                return ads_from_records(records)
            if mime == CONTENT_TYPE_CSV:
                frame, _ = read_ads_csv(body, max_rows=self.serve.max_rows)
                return frame
        except DataError as error:
            raise RequestError(self._limit_hint(str(error))) from None
        raise RequestError(
            f"content type {mime[:60] or '(none)'} is not supported: send {CONTENT_TYPE_JSON} or {CONTENT_TYPE_CSV}",
            415,
            "BAD_REQUEST",
        )

    @staticmethod
    def _json(body: bytes) -> Any:
        """The parsed JSON body; malformed JSON is a 400 that names the position, not the content."""
        try:
            return json.loads(body)
        except UnicodeDecodeError:
            raise RequestError("the body is not UTF-8 text", error_code="MALFORMED_REQUEST") from None
        except json.JSONDecodeError as error:
            raise RequestError(
                f"the body is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
                error_code="MALFORMED_REQUEST",
            ) from None

    def _check_rows(self, count: int) -> None:
        """Refuse more than serve.max_rows ads."""
        if count > self.serve.max_rows:
            raise RequestError(f"{count:,} ads in the request, the limit is {self.serve.max_rows:,} (serve.max_rows)")

    def _limit_hint(self, message: str) -> str:
        """Name the setting behind a row-limit message of the CSV reader."""
        return message + " (serve.max_rows)" if "the limit is" in message and "rows" in message else message

    def score(self, frame: pd.DataFrame) -> list[dict[str, Any]]:
        """Check text sizes, score with the model and log the ads; one JSON-ready record per ad."""
        from core.pyfunc_model import INPUT_COLUMNS

        check_text_sizes(frame, self.max_chars)
        if frame.empty:
            return []
        try:
            output = self.model.predict(frame[list(INPUT_COLUMNS)])
        except Exception as error:  # any model failure is answered with a short message, never a stack trace
            if getattr(error, "error_code", None) in ("INVALID_PARAMETER_VALUE", "BAD_REQUEST"):
                # MLflow's schema errors quote the whole input before "Error:"; keep only the reason.
                reason = str(getattr(error, "message", error)).rsplit("Error:", 1)[-1].strip()
                raise RequestError(f"the ads do not fit the model's signature: {reason}") from None
            logger.error("scoring failed: %s", type(error).__name__)
            raise RequestError("internal error while scoring (see the server log)", 500, "INTERNAL_ERROR") from None
        self._log(frame, output)
        return output.to_dict(orient="records")

    def _log(self, frame: pd.DataFrame, output: pd.DataFrame) -> None:
        """Append the scored ads to the monitoring log (source=serve); a failing log only warns."""
        from core import monitoring

        if not self.monitoring.enabled:
            return
        contacts = output["contacts"].tolist()
        result = pd.DataFrame(
            {
                "prediction": output["prediction"].astype(float).to_numpy(),
                "n_contacts": [len(items) for items in contacts],
                "kinds": [",".join(sorted({item["kind"] for item in items})) for items in contacts],
            }
        )
        try:
            monitoring.log_predictions(
                self.monitoring, frame, result, source="serve", model_version=self.version, threshold=self.threshold
            )
        except (sqlite3.Error, OSError) as error:
            logger.warning("monitoring log not written: %s", error)


def request_timeout() -> float:
    """Seconds a request may take (MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT, default 60)."""
    try:
        return float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT_SECONDS))
    except ValueError:
        return DEFAULT_TIMEOUT_SECONDS


def scoring_app(service: ScoringService, mlflow_version: str = "") -> Any:
    """The ASGI app (Starlette): GET /ping, /health, /version and POST /invocations (MLflow's request format)."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    timeout = request_timeout()

    async def ping(request: Any) -> Response:
        return Response(content="\n", status_code=200, media_type=CONTENT_TYPE_JSON)

    async def version(request: Any) -> Response:
        return Response(content=mlflow_version, status_code=200, media_type=CONTENT_TYPE_JSON)

    async def invocations(request: Any) -> Response:
        body = await request.body()
        content_type = request.headers.get("content-type", "")
        try:
            answer = await asyncio.wait_for(asyncio.to_thread(service.invoke, body, content_type), timeout)
        except TimeoutError:
            answer = RequestError(
                f"the request took longer than {timeout:g} seconds ({TIMEOUT_ENV}); send fewer ads",
                504,
                "REQUEST_TIMEOUT",
            ).answer()
        return Response(content=answer.body(), status_code=answer.status, media_type=CONTENT_TYPE_JSON)

    return Starlette(
        routes=[
            Route("/ping", ping, methods=["GET"]),
            Route("/health", ping, methods=["GET"]),
            Route("/version", version, methods=["GET"]),
            Route("/invocations", invocations, methods=["POST"]),
        ]
    )


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def serve(settings: Settings, port: int | None = None, host: str | None = None, model: str | None = None) -> int:
    """Run the scoring server for the champion (or a models:/ URI) until stopped; returns the exit code."""
    import uvicorn

    from core import tracking

    host = host or settings.serve.host
    port = port or settings.serve.port
    uri = model or tracking.model_uri(settings.tracking)
    version = tracking.get_alias_version(settings.tracking) if model is None else _version_in(model)
    if model is None and version is None:
        _say(f"error: no model holds {uri}: train one with `python -m core ensure-model` (or `make model`)")
        return 2
    try:
        loaded = tracking.load_model(settings.tracking, uri)
    except tracking.NoModelError as error:
        _say(f"error: {error}")
        return 2
    service = ScoringService.from_settings(loaded, settings, version or "")
    app = scoring_app(service, tracking.mlflow_version())
    limit = max_body_bytes(settings.serve)
    _say(
        f"serving {uri} (version {version or '?'}) on http://{host}:{port}: GET /ping, POST /invocations "
        f"(at most {settings.serve.max_rows:,} ads and {limit:,} bytes per request, "
        f"{settings.detect.max_chars:,} characters per title or description)"
    )
    uvicorn.run(BodySizeLimit(app, limit), host=host, port=port, log_level="info", timeout_graceful_shutdown=10)
    return 0


def _version_in(uri: str) -> str | None:
    """The version number in models:/name/N, else None."""
    if uri.startswith("models:/") and "@" not in uri:
        tail = uri.rstrip("/").rsplit("/", 1)[-1]
        return tail if tail.isdigit() else None
    return None
