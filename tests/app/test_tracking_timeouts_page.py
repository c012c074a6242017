"""Pages with an MLflow store that does not answer: a Russian message within the limits, never a hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.config import load_settings
from tests.app.pagekit import no_exceptions, run_page, texts
from tests.netkit import BlackHole, closed_port, restore_http_limits, unreachable_store_config

SETTINGS_PAGE = "app_pages/5_settings.py"
PAGE_SLACK_SECONDS = 15.0  # a page run's own work (imports on the first run, drawing) on a busy machine


@pytest.fixture(autouse=True)
def _http_limits_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    restore_http_limits(monkeypatch)


def _use_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, uri: str) -> Path:
    """Point the app at a config whose tracking store is uri (1 s timeout, no retries)."""
    path = unreachable_store_config(tmp_path, uri)
    monkeypatch.setenv("CONTACTGUARD_CONFIG", str(path))
    return path


def _store_errors(app) -> list[str]:
    return [text for text in texts(app, "error") if text.startswith("хранилище MLflow")]


@pytest.mark.parametrize(
    ("page", "goes_on"),
    [
        ("app_pages/1_check.py", False),
        ("app_pages/3_metrics.py", False),
        ("app_pages/4_models.py", False),
        (SETTINGS_PAGE, True),
        ("app_pages/8_queue.py", True),
    ],
)
def test_a_closed_port_is_a_russian_message_on_every_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str, goes_on: bool
) -> None:
    port = closed_port()
    _use_store(tmp_path, monkeypatch, f"http://127.0.0.1:{port}")
    app = run_page(page)
    no_exceptions(app)
    errors = _store_errors(app)
    assert len(errors) == 1, texts(app, "error")
    assert f"хранилище MLflow http://127.0.0.1:{port} не отвечает: соединение отклонено" in errors[0]
    assert "MLFLOW_TRACKING_URI" in errors[0]
    assert ("settings_submit" in [button.key for button in app.button]) == (page == SETTINGS_PAGE)
    if goes_on:
        assert len(app.main) > 3  # the page went on below the message


def test_the_settings_page_gives_up_on_a_silent_server_and_still_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, black_hole: BlackHole, admin_password: str
) -> None:
    config = _use_store(tmp_path, monkeypatch, black_hole.uri)
    started = time.monotonic()
    app = run_page(SETTINGS_PAGE)
    elapsed = time.monotonic() - started
    no_exceptions(app)
    errors = _store_errors(app)
    assert len(errors) == 1 and "не отвечает: нет ответа за 1 с" in errors[0], texts(app, "error")
    assert len(black_hole.requests) == 1  # one wait of 1 s (no retries), not one per registry read
    assert elapsed < 1 * (0 + 1) + PAGE_SLACK_SECONDS, f"the page took {elapsed:.1f} s"
    # the form still checks and saves settings while the store is silent
    app.get_by_key("cfg.app.threshold").set_value(0.7)
    app = app.button(key="settings_submit").click().run()
    app = app.button(key="settings_save").click().run()
    no_exceptions(app)
    assert load_settings(config).app.threshold == 0.7
    assert any(text.startswith("Настройки сохранены") for text in texts(app, "success"))
    assert len(black_hole.requests) <= 2  # at most one more wait, once the remembered failure is 10 s old
