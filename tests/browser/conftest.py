"""A real `streamlit run app.py` server on a free port and a headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from core.ops.users import UserStore
from desktop import free_port, wait_healthy
from tests.app.storekit import DashboardStore, build_dashboard_store
from tests.browser.browserkit import (
    ADMIN_PASSWORD,
    CHROMIUM,
    CHROMIUM_ARGS,
    MODERATOR,
    MODERATOR_PASSWORD,
    ROOT,
    VIEWPORT,
)


def _wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 90.0) -> None:
    """desktop.wait_healthy, failing with the server's log."""
    if not wait_healthy(url, process, timeout):
        state = f"exited with {process.returncode}" if process.poll() is not None else f"not healthy in {timeout:.0f} s"
        raise RuntimeError(f"streamlit {state}:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def browser_store(trained_store, tmp_path_factory: pytest.TempPathFactory) -> DashboardStore:
    """The session's trained model as champion plus a second version, in a store of its own."""
    return build_dashboard_store(trained_store.settings, trained_store.version, tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def users_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user store with one moderator; the admin comes from CONTACTGUARD_ADMIN_PASSWORD when the server starts."""
    path = tmp_path_factory.mktemp("users") / "users.sqlite"
    UserStore(path).add(MODERATOR, "moderator", MODERATOR_PASSWORD, by="tests")
    return path


@contextmanager
def running_server(config: Path, users: Path, log_dir: Path) -> Iterator[str]:
    """Start `streamlit run app.py` on a free port against this config and user store; yields its base URL."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "MLFLOW_TRACKING_URI"}
    env.update(
        CONTACTGUARD_CONFIG=str(config),
        CONTACTGUARD_ADMIN_PASSWORD=ADMIN_PASSWORD,
        CONTACTGUARD_USERS_DB=str(users),
        PYTHONPATH=str(ROOT),
    )
    log = log_dir / "streamlit.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(browser_store: DashboardStore, users_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a streamlit server running app.py against the browser store."""
    with running_server(browser_store.config_path, users_db, tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Headless Debian Chromium; fails (never skips) when it is not installed."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `make chromium` (apt-get install chromium)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(scope="module")
def context(browser) -> Iterator:
    """One browser context for the module so the app's scripts are fetched once."""
    ctx = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="ru-RU")
    ctx.set_default_timeout(60_000)
    try:
        yield ctx
    finally:
        ctx.close()
