"""A real scoring server process for the integration tests: started on a free port, waited for, stopped."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from desktop import free_port

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def serve_process(config: Path, log_path: Path, workers: int | None = 2) -> Iterator[tuple[int, subprocess.Popen]]:
    """`python -m core serve` with config on 127.0.0.1 until /ready answers 200; (port, process), stopped on exit.

    workers=None leaves the number to the config (serve.workers).
    """
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("MLFLOW_TRACKING_URI", "CONTACTGUARD_CONFIG", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
    command = [sys.executable, "-m", "core", "--config", str(config), "serve", "--host", "127.0.0.1"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port), *(["--workers", str(workers)] if workers else [])],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                pytest.fail(f"server exited with {process.returncode}:\n{log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server not ready:\n{log_path.read_text()}")
            time.sleep(0.5)
        yield port, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
