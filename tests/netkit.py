"""Real sockets for the tracking-store timeout tests: a closed port and a server that never answers."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from core.config import save_settings
from core.lifecycle import tracking

HTTP_LIMIT_ENVS = (
    tracking.HTTP_TIMEOUT_ENV,
    tracking.HTTP_RETRIES_ENV,
    tracking.HTTP_BACKOFF_ENV,
    tracking.HTTP_JITTER_ENV,
    tracking.HTTP_RETRY_AFTER_ENV,
)


def restore_http_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Have monkeypatch put MLflow's HTTP limit variables back as they were once the test ends."""
    for name in HTTP_LIMIT_ENVS:
        monkeypatch.setenv(name, "0")  # records the value before the test (or its absence) for the undo
        monkeypatch.delenv(name)


def closed_port() -> int:
    """A local TCP port nobody listens on (bound once to find it free, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class BlackHole:
    """A real TCP server that accepts every connection, reads the request and never answers."""

    def __init__(self) -> None:
        """Listen on a free local port and start accepting in a thread."""
        self.server = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.requests: list[float] = []  # time.monotonic() of each connection that sent bytes (an HTTP request)
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._accept, name="black-hole", daemon=True)]
        self._threads[0].start()

    @property
    def uri(self) -> str:
        """The http:// URI of the server."""
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(connection)
            reader = threading.Thread(target=self._swallow, args=(connection,), daemon=True)
            self._threads.append(reader)
            reader.start()

    def _swallow(self, connection: socket.socket) -> None:
        """Read what the client sends, note when a request arrived, and keep the connection open and silent."""
        try:
            connection.settimeout(0.1)
        except OSError:
            return  # closed by close() before this thread started
        noted = False
        while not self._stop.is_set():
            try:
                data = connection.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data:
                return
            if not noted:
                self.requests.append(time.monotonic())
                noted = True

    def close(self) -> None:
        """Stop accepting and close every connection."""
        self._stop.set()
        self.server.close()
        for connection in self.connections:
            connection.close()
        for thread in self._threads:
            thread.join(1)


def unreachable_store_config(tmp_path: Path, uri: str, retries: int = 0) -> Path:
    """A config in tmp_path whose tracking store is uri (one that does not answer), 1 s timeout, given retries."""
    from tests.conftest import small_settings

    settings = small_settings(tmp_path)
    settings.tracking.uri = uri
    settings.tracking.request_timeout_seconds = 1
    settings.tracking.max_retries = retries
    return save_settings(settings, tmp_path / "config.yaml")
