"""Serve the champion over HTTP with MLflow's scoring server behind a request-size guard."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from core.config import ServeSettings, Settings

BODY_BYTES_PER_AD = 16 * 1024
MIN_BODY_BYTES = 1024 * 1024
DRAIN_FACTOR = 16
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


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


class RedactEchoedInput:
    """ASGI middleware: MLflow's 4xx messages quote the request's ads back; keep only the error itself."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Buffer 4xx JSON bodies and rewrite their message; pass everything else through."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def redacting_send(message: Message) -> None:
            if message["type"] == "http.response.start" and 400 <= message["status"] < 500:
                held["start"] = message
                return
            if "start" not in held:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = redact_error_body(b"".join(chunks))
            headers = [(k, v) for k, v in held["start"].get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**held["start"], "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, redacting_send)


def redact_error_body(body: bytes) -> bytes:
    """Drop the echoed input from an MLflow error JSON ("Failed to predict data '<ads>'. Error: …")."""
    try:
        payload = json.loads(body)
    except ValueError:
        return body
    message = payload.get("message") if isinstance(payload, dict) else None
    if isinstance(message, str) and "Error:" in message and message.startswith(("Failed to predict", "Encountered")):
        payload["message"] = message.rsplit("Error:", 1)[1].strip()
        return json.dumps(payload, ensure_ascii=False).encode()
    return body


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
    if version:
        os.environ[tracking.MODEL_VERSION_ENV] = version
    try:
        app = tracking.scoring_app(settings.tracking, uri)
    except tracking.NoModelError as error:
        _say(f"error: {error}")
        return 2
    limit = max_body_bytes(settings.serve)
    _say(
        f"serving {uri} (version {version or '?'}) on http://{host}:{port}: GET /ping, POST /invocations "
        f"(at most {settings.serve.max_rows:,} ads and {limit:,} bytes per request, "
        f"{settings.detect.max_chars:,} characters per title or description)"
    )
    uvicorn.run(
        RedactEchoedInput(BodySizeLimit(app, limit)),
        host=host,
        port=port,
        log_level="info",
        timeout_graceful_shutdown=10,
    )
    return 0


def _version_in(uri: str) -> str | None:
    """The version number in models:/name/N, else None."""
    if uri.startswith("models:/") and "@" not in uri:
        tail = uri.rstrip("/").rsplit("/", 1)[-1]
        return tail if tail.isdigit() else None
    return None
