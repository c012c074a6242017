"""The desktop launcher starts a real streamlit server, waits for health and stops it again."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
APP = 'import streamlit as st\nst.write("ContactGuard desktop test")\n'


def _gone(pid: int, timeout: float = 15.0) -> bool:
    """True once the process no longer runs (exited or a reaped zombie)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.2)
    return False


def _env(tmp_path: Path) -> dict[str, str]:
    """No real browser: BROWSER runs `true`; streamlit keeps its files in tmp."""
    return {**os.environ, "BROWSER": "true", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}


def _server_pid(output: str) -> int:
    match = re.search(r"server pid (\d+)", output)
    assert match, output
    return int(match.group(1))


def test_no_window_starts_waits_for_health_and_stops(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text(APP, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "desktop.py"), "--no-window", "--app", str(app)],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert re.search(r"ready: http://127\.0\.0\.1:\d+", output)
    assert "server stopped" in output
    assert _gone(_server_pid(output))


def test_browser_mode_stops_the_server_when_the_launcher_is_terminated(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text(APP, encoding="utf-8")
    log = tmp_path / "launcher.log"
    with log.open("w") as stream:
        launcher = subprocess.Popen(
            [sys.executable, str(ROOT / "desktop.py"), "--app", str(app)],
            cwd=ROOT,
            env=_env(tmp_path),
            stdout=stream,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        deadline = time.monotonic() + 90
        while "opened in the browser" not in log.read_text() and time.monotonic() < deadline:
            assert launcher.poll() is None, log.read_text()
            time.sleep(0.3)
        output = log.read_text()
        assert "opened in the browser" in output, output
        server = _server_pid(output)
        assert psutil.pid_exists(server)
        launcher.send_signal(signal.SIGTERM)
        launcher.wait(timeout=30)
    finally:
        if launcher.poll() is None:
            launcher.kill()
    assert "server stopped" in log.read_text()
    assert _gone(server)


def test_missing_app_is_reported(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "desktop.py"), "--no-window", "--app", str(tmp_path / "none.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "no Streamlit script" in done.stdout
